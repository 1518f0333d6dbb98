import {
  formatBytes,
  formatCount,
  formatRatio,
  formatSeconds,
  formatSpread,
  rate,
  significant,
  summarise,
} from '../../bench/stats';

describe('summarise', () => {
  it('throws on no values or a value that is not finite', () => {
    expect(() => summarise([])).toThrow('summarise: no values');
    expect(() => summarise([1, NaN])).toThrow('not a finite number');
  });

  it('takes the middle value of an odd count, with min and max', () => {
    expect(summarise([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
  });

  it('takes the mean of the middle two of an even count', () => {
    expect(summarise([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
  });

  it('is the value itself for one run', () => {
    expect(summarise([7])).toEqual({ median: 7, min: 7, max: 7, runs: 1 });
  });
});

describe('formats', () => {
  it('keeps three significant digits', () => {
    expect(significant(0.012345)).toBe('0.0123');
    expect(significant(1.2345)).toBe('1.23');
    expect(significant(12.345)).toBe('12.3');
    expect(significant(123.45)).toBe('123');
    expect(significant(12345.6)).toBe('12346');
    expect(significant(0)).toBe('0');
  });

  it('writes seconds, milliseconds under a second', () => {
    expect(formatSeconds(20)).toBe('20.0 s');
    expect(formatSeconds(0.25)).toBe('250 ms');
  });

  it('writes a spread as median (min–max), one value when there is no spread', () => {
    expect(formatSpread(summarise([30, 10, 20]))).toBe('20.0 s (10.0 s–30.0 s)');
    expect(formatSpread(summarise([2, 2]))).toBe('2.00 s');
    expect(formatSpread(summarise([5]))).toBe('5.00 s');
  });

  it('writes bytes in MB, GB from 1024 MB', () => {
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB');
    expect(formatBytes(1.5 * 1024 * 1024 * 1024)).toBe('1.50 GB');
  });

  it('writes counts with separators, rates and ratios', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(rate(1000, 20)).toBe(50);
    expect(() => rate(1000, 0)).toThrow('rate: seconds must be above 0');
    expect(formatRatio(20, 5)).toBe('4.00×');
    expect(formatRatio(1, 3)).toBe('0.333×');
    expect(formatRatio(1, 0)).toBe('n/a');
  });
});
