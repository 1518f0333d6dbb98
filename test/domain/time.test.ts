import { DAY, formatDate, formatInstant, parseInstant, startOfDay } from '../../src/domain/time';

describe('instants at the boundary', () => {
  test('parses timestamps with an offset', () => {
    expect(parseInstant('2022-08-01T09:30:00+08:00')).toBe(Date.UTC(2022, 7, 1, 1, 30));
    expect(parseInstant('2022-08-01T01:30:00Z')).toBe(Date.UTC(2022, 7, 1, 1, 30));
    expect(parseInstant('2022-08-01T01:30:00.250-0130')).toBe(Date.UTC(2022, 7, 1, 3, 0, 0, 250));
    expect(parseInstant('2022-08-01 09:30+08:00')).toBe(Date.UTC(2022, 7, 1, 1, 30));
  });

  test('refuses timestamps without an offset, impossible dates and garbage', () => {
    expect(parseInstant('2022-08-01T09:30:00')).toBeNull();
    expect(parseInstant('2022-02-30T09:30:00+08:00')).toBeNull();
    expect(parseInstant('2022-08-01T24:30:00+08:00')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseInstant('2022-08-01')).toBeNull();
  });

  test('a date alone, where allowed, is midnight in the district offset', () => {
    expect(parseInstant('2022-08-01', true)).toBe(Date.UTC(2022, 6, 31, 16, 0));
    expect(parseInstant('2022-08-01', true, 0)).toBe(Date.UTC(2022, 7, 1));
    expect(parseInstant('2022-13-01', true)).toBeNull();
  });

  test('formats in the district offset and round-trips', () => {
    const at = Date.UTC(2022, 7, 1, 1, 30);
    expect(formatInstant(at)).toBe('2022-08-01T09:30:00+08:00');
    expect(formatInstant(at, 0)).toBe('2022-08-01T01:30:00+00:00');
    expect(parseInstant(formatInstant(at + 5))).toBe(at + 5);
    expect(formatDate(Date.UTC(2022, 6, 31, 17, 0))).toBe('2022-08-01');
  });

  test('start of day is local midnight', () => {
    const at = parseInstant('2022-08-01T23:59:00+08:00')!;
    expect(startOfDay(at)).toBe(parseInstant('2022-08-01T00:00:00+08:00'));
    expect(startOfDay(at) + DAY).toBe(parseInstant('2022-08-02T00:00:00+08:00'));
  });
});
