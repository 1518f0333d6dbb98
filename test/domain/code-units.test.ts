import { compareCodeUnits } from '../../src/domain/code-units';

describe('compareCodeUnits', () => {
  test('orders by UTF-16 code units, as the default sort does: not by the locale, not by code points', () => {
    // Capitals before small letters; digits before both; a prefix first.
    const ids = ['b', 'P10', 'a', 'P1', 'B', '10', 'P2'];
    expect([...ids].sort(compareCodeUnits)).toEqual(['10', 'B', 'P1', 'P10', 'P2', 'a', 'b']);
    expect([...ids].sort(compareCodeUnits)).toEqual([...ids].sort());
    // The locale would put `a` before `B`.
    expect('a'.localeCompare('B')).toBeLessThan(0);
    expect(compareCodeUnits('a', 'B')).toBe(1);
    // 😀 (U+1F600) is the surrogate pair D83D DE00: before Ａ (U+FF21) by code units, after it by
    // code points.
    expect(compareCodeUnits('😀', 'Ａ')).toBe(-1);
    expect(compareCodeUnits('病例乙', '病例甲')).toBe(Math.sign('乙'.charCodeAt(0) - '甲'.charCodeAt(0)));
  });

  test('0 only for equal strings, and antisymmetric', () => {
    expect(compareCodeUnits('P1', 'P1')).toBe(0);
    expect(compareCodeUnits('', '')).toBe(0);
    expect(compareCodeUnits('', 'a')).toBe(-1);
    // Canonically equivalent but different code units: not equal.
    expect(compareCodeUnits('é', 'e\u0301')).not.toBe(0);
    for (const [a, b] of [
      ['P1', 'P2'],
      ['a', 'B'],
      ['😀', 'Ａ'],
    ] as const)
      expect(compareCodeUnits(b, a)).toBe(-compareCodeUnits(a, b));
  });
});
