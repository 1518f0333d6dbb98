import { decimalText, fixedText, smallNumberText } from '../../src/domain/number-text';

describe('number text', () => {
  test('a number the decimals would show as 0 gets two significant digits; 0 and others do not', () => {
    expect([0.000434, 0.00015, 4.26e-7, -0.0001].map((x) => smallNumberText(x, 3))).toEqual([
      '0.00043',
      '0.00015',
      '4.3e-7',
      '-0.0001',
    ]);
    expect([0, 0.0005, 0.001, 0.5, 2].map((x) => smallNumberText(x, 3))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    // Two decimals show 0.004 as 0.00; 0.005 as 0.01.
    expect([0.004, 0.005].map((x) => smallNumberText(x, 2))).toEqual(['0.004', null]);
  });

  test('fixed keeps its trailing zeros, decimal drops them', () => {
    expect([0.5, 0, 0.00015, 1.2345].map((x) => fixedText(x, 2))).toEqual([
      '0.50',
      '0.00',
      '0.00015',
      '1.23',
    ]);
    expect([0.4, 0, 0.00015, 0.61234, 0.0005, 1].map((x) => decimalText(x, 3))).toEqual([
      '0.4',
      '0',
      '0.00015',
      '0.612',
      '0.001',
      '1',
    ]);
  });
});
