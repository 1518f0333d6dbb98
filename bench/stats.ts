/**
 * Benchmark statistics and number formats: the median of the runs with their min–max spread
 * (the median, not the mean, so one run slowed by a neighbour on a shared machine does not move
 * the figure), ratios and throughputs.
 */

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median (mean of the middle two for an even count), min and max. Throws on no values. */
export function summarise(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('summarise: no values');
  if (values.some((v) => !Number.isFinite(v)))
    throw new RangeError(`summarise: not a finite number in [${values.join(', ')}]`);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Three significant digits, no exponent: 0.0123, 1.23, 12.3, 123, 1234. */
export function significant(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  return n.toFixed(Math.min(digits, 6));
}

/** Seconds as `1.23 s`, or `456 ms` under a second. */
export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${significant(seconds * 1000)} ms` : `${significant(seconds)} s`;
}

/** `median (min–max)`, or the one value for a single run. */
export function formatSpread(spread: Spread, format: (n: number) => string = formatSeconds): string {
  if (spread.runs === 1 || spread.min === spread.max) return format(spread.median);
  return `${format(spread.median)} (${format(spread.min)}–${format(spread.max)})`;
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1024 ? `${significant(mb / 1024)} GB` : `${significant(mb)} MB`;
}

/** Whole numbers with thousands separators: 1,234,567. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Rows per second from a row count and seconds. */
export function rate(rows: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`rate: seconds must be above 0 (got ${seconds})`);
  return rows / seconds;
}

/** `ours / theirs` as `1.23×`; above 1 means ours took longer (or used more). */
export function formatRatio(ours: number, theirs: number): string {
  if (!(theirs > 0)) return 'n/a';
  return `${significant(ours / theirs)}×`;
}
