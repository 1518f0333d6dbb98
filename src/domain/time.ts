/**
 * Instants at the boundary: the import format carries ISO 8601 timestamps with an offset
 * (`2022-08-01T09:30:00+08:00`) and, where allowed, dates alone (`2022-08-01`), which are read
 * as midnight in the district's own offset.
 */
import type { Instant } from './types';

/** Yazhou district, Sanya: China Standard Time. */
export const DEFAULT_UTC_OFFSET_MINUTES = 8 * 60;

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The years an instant may fall in, in the district's time. A year such as `0022` is a typo for
 * `2022`, not an outbreak of the first century; and every accepted instant exports (in the
 * district's offset) as a four-digit year that imports again.
 */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2199;

/** Milliseconds since the epoch of a UTC calendar time; unlike `Date.UTC`, years 0–99 are those years. */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

const EARLIEST_INSTANT = utcMillis(EARLIEST_YEAR, 1, 1) - DEFAULT_UTC_OFFSET_MINUTES * MINUTE;
const END_OF_LATEST_YEAR = utcMillis(LATEST_YEAR + 1, 1, 1) - DEFAULT_UTC_OFFSET_MINUTES * MINUTE;

function validCalendar(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  // Seconds stop at 59: an instant here cannot hold a leap second.
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(utcMillis(y, mo + 1, 0)).getUTCDate();
}

function offsetMinutes(text: string): number | null {
  if (text === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** Whether an instant lies in the years EARLIEST_YEAR to LATEST_YEAR in the district's time. */
export function withinYears(at: Instant): boolean {
  return at >= EARLIEST_INSTANT && at < END_OF_LATEST_YEAR;
}

/**
 * Parses an ISO 8601 timestamp with an offset; with `allowDate`, also a date alone.
 * Returns null when the text is not one, or names an instant outside the years
 * EARLIEST_YEAR to LATEST_YEAR in the district's time.
 */
export function parseInstant(
  text: string,
  allowDate = false,
  dateOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): Instant | null {
  return parseInstantIn(text, allowDate, dateOffsetMinutes, true);
}

function parseInstantIn(
  text: string,
  allowDate: boolean,
  dateOffsetMinutes: number,
  checkRange: boolean,
): Instant | null {
  const inRange = (at: Instant): Instant | null => (!checkRange || withinYears(at) ? at : null);
  const t = TIMESTAMP.exec(text);
  if (t) {
    const [y, mo, d, h, mi] = [t[1], t[2], t[3], t[4], t[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const s = t[6] ? Number(t[6]) : 0;
    if (!validCalendar(y, mo, d, h, mi, s)) return null;
    const off = offsetMinutes(t[8]!);
    if (off === null) return null;
    const ms = t[7] ? Math.round(Number(`0.${t[7]}`) * 1000) : 0;
    return inRange(utcMillis(y, mo, d, h, mi, s, ms) - off * MINUTE);
  }
  if (allowDate) {
    const m = DATE_ONLY.exec(text);
    if (m) {
      const [y, mo, d] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
      if (!validCalendar(y, mo, d)) return null;
      return inRange(utcMillis(y, mo, d) - dateOffsetMinutes * MINUTE);
    }
  }
  return null;
}

/**
 * Why a text that parseInstant refused is not an instant, as the end of a sentence naming the
 * text: its years out of range, or its format.
 */
export function instantTextProblem(text: string, allowDate = false): string {
  const outOfRange = parseInstantIn(text, allowDate, DEFAULT_UTC_OFFSET_MINUTES, false) !== null;
  if (outOfRange) return `is outside the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`;
  return allowDate
    ? 'is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00) or a date (2022-08-01)'
    : 'is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00)';
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats an instant as ISO 8601 in the given offset, e.g. `2022-08-01T09:30:00+08:00`. */
export function formatInstant(at: Instant, offset = DEFAULT_UTC_OFFSET_MINUTES): string {
  const local = new Date(at + offset * MINUTE);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const ms = local.getUTCMilliseconds();
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : '') +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * An instant as texts for people write it, `2022-08-03 16:47`: the date and the minute in the
 * district's time, as the report's pages show times. The offset is left out, as every instant is
 * told in the district's one offset (an import's other offsets are converted as they are read);
 * machine fields keep `formatInstant`.
 */
export function formatDateTime(at: Instant, offset = DEFAULT_UTC_OFFSET_MINUTES): string {
  const text = formatInstant(at, offset);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}`;
}

/**
 * A duration for people, as every text of the report writes it: `31 min`, `4 h`, `55 h 12 min`
 * (rounded to the minute).
 */
export function formatDuration(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * An instant in UTC to the second, `2022-08-05T01:02:03Z`: how lock files, the Neo4j import lock
 * and an unfinished import's notice say when a process began. The milliseconds are cut, not
 * rounded.
 */
export function formatUtcSecond(at: Instant): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The calendar date (`YYYY-MM-DD`) of an instant in the given offset. */
export function formatDate(at: Instant, offset = DEFAULT_UTC_OFFSET_MINUTES): string {
  return formatInstant(at, offset).slice(0, 10);
}

/** Midnight (in the given offset) of the day that contains `at`. */
export function startOfDay(at: Instant, offset = DEFAULT_UTC_OFFSET_MINUTES): Instant {
  const shifted = at + offset * MINUTE;
  return shifted - (((shifted % DAY) + DAY) % DAY) - offset * MINUTE;
}
