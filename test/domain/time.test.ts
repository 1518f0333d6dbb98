import {
  DAY,
  EARLIEST_YEAR,
  LATEST_YEAR,
  formatDate,
  formatDateTime,
  formatDuration,
  formatInstant,
  formatUtcSecond,
  instantTextProblem,
  parseInstant,
  startOfDay,
} from '../../src/domain/time';

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

  test('in words for people: date and minute in the district time, whatever offset the record came with', () => {
    expect(formatDateTime(parseInstant('2022-08-03T16:47:00+08:00')!)).toBe('2022-08-03 16:47');
    expect(formatDateTime(parseInstant('2022-08-03T08:47:00Z')!)).toBe('2022-08-03 16:47');
    expect(formatDateTime(parseInstant('2022-08-02T23:30:00-01:00')!)).toBe('2022-08-03 08:30');
    expect(formatDateTime(parseInstant('2022-08-03T00:00:59.5+08:00')!)).toBe('2022-08-03 00:00');
  });

  test('in UTC to the second, the milliseconds cut: how lock files and lock notices say when', () => {
    expect(formatUtcSecond(parseInstant('2022-08-05T09:02:03+08:00')!)).toBe('2022-08-05T01:02:03Z');
    expect(formatUtcSecond(parseInstant('2022-08-05T09:02:03.999+08:00')!)).toBe('2022-08-05T01:02:03Z');
    expect(formatUtcSecond(parseInstant('2022-08-05T07:59:59.5+08:00')!)).toBe('2022-08-04T23:59:59Z');
  });

  test('a year outside 1900 to 2199 (district time) is refused, not moved: 0022 is no 1922', () => {
    expect([EARLIEST_YEAR, LATEST_YEAR]).toEqual([1900, 2199]);
    for (const text of [
      '0022-08-01T10:00:00+08:00',
      '0050-08-01T09:00:00+08:00',
      '1899-12-31T23:59:59+08:00',
    ]) {
      expect(parseInstant(text)).toBeNull();
      expect(instantTextProblem(text)).toBe('is outside the years 1900 to 2199');
    }
    expect(parseInstant('0022-08-01', true)).toBeNull();
    expect(instantTextProblem('0022-08-01', true)).toBe('is outside the years 1900 to 2199');
    expect(parseInstant('2200-01-01T00:00:00+08:00')).toBeNull();
    // In the district's time, not as written: the same instant written in another offset.
    expect(parseInstant('2199-12-31T20:00:00-08:00')).toBeNull();
    expect(parseInstant('1900-01-01T00:00:00+08:00')).toBe(Date.UTC(1899, 11, 31, 16));
    expect(parseInstant('1899-12-31T16:00:00Z')).toBe(Date.UTC(1899, 11, 31, 16));
    expect(parseInstant('2199-12-31T23:59:59.999+08:00')).toBe(Date.UTC(2199, 11, 31, 15, 59, 59, 999));
    // The format's own problems keep their message.
    expect(instantTextProblem('yesterday')).toBe(
      'is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00)',
    );
    expect(instantTextProblem('0022-02-30', true)).toMatch(/^is not an ISO 8601 timestamp/);
  });

  test('every accepted instant formats as a four-digit year in the district and parses back', () => {
    for (const text of [
      '1900-01-01T00:00:00+08:00',
      '2199-12-31T23:59:59.999+08:00',
      '1899-12-31T16:00:00Z',
    ]) {
      const at = parseInstant(text)!;
      expect(formatInstant(at)).toMatch(/^\d{4}-/);
      expect(parseInstant(formatInstant(at))).toBe(at);
    }
    // Years the import refuses still format with four digits (no `500-08-01`).
    expect(formatInstant(new Date(0).setUTCFullYear(500, 7, 1), 0)).toBe('0500-08-01T00:00:00+00:00');
  });

  test('seconds stop at 59: a leap second is refused, not read as the next minute', () => {
    expect(parseInstant('2022-08-01T10:15:60+08:00')).toBeNull();
    expect(parseInstant('2022-08-01T10:15:59+08:00')).toBe(Date.UTC(2022, 7, 1, 2, 15, 59));
  });

  test('start of day is local midnight', () => {
    const at = parseInstant('2022-08-01T23:59:00+08:00')!;
    expect(startOfDay(at)).toBe(parseInstant('2022-08-01T00:00:00+08:00'));
    expect(startOfDay(at) + DAY).toBe(parseInstant('2022-08-02T00:00:00+08:00'));
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0 min'],
    [31.4, '31 min'],
    [59.6, '1 h'],
    [240, '4 h'],
    [244, '4 h 4 min'],
    [3312, '55 h 12 min'],
  ])('%p minutes: %p', (minutes, words) => {
    expect(formatDuration(minutes)).toBe(words);
  });
});
