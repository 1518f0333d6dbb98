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

function validCalendar(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function offsetMinutes(text: string): number | null {
  if (text === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Parses an ISO 8601 timestamp with an offset; with `allowDate`, also a date alone.
 * Returns null when the text is not one.
 */
export function parseInstant(
  text: string,
  allowDate = false,
  dateOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): Instant | null {
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
    return Date.UTC(y, mo - 1, d, h, mi, s, ms) - off * MINUTE;
  }
  if (allowDate) {
    const m = DATE_ONLY.exec(text);
    if (m) {
      const [y, mo, d] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
      if (!validCalendar(y, mo, d)) return null;
      return Date.UTC(y, mo - 1, d) - dateOffsetMinutes * MINUTE;
    }
  }
  return null;
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
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : '') +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
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
