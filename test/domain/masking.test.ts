import { maskIdNumber, maskName, maskPhone } from '../../src/domain/masking';

describe('masking personal data', () => {
  test('names keep their first character', () => {
    expect(maskName('陈大明')).toBe('陈**');
    expect(maskName('陈')).toBe('陈*');
    expect(maskName('Li Wei')).toBe('L*****');
    expect(maskName(null)).toBeNull();
  });

  test('phones keep the first 3 and last 4 digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBeNull();
  });

  test('id numbers keep the region prefix and the last 4', () => {
    expect(maskIdNumber('460204197701011234')).toBe('460204********1234');
    expect(maskIdNumber('46020419770101123X')).toBe('460204********123X');
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskIdNumber(null)).toBeNull();
  });
});
