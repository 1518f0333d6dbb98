/**
 * The as-of instant of an analysis: what a caller typed (an ISO 8601 timestamp with offset, or a
 * date meaning the whole of that day), or by default the end of the day of the latest case event
 * in the store, so that a report of a finished outbreak does not depend on today's date.
 */
import { DAY, parseInstant, startOfDay } from '../domain/time';
import type { Instant } from '../domain/types';
import type { TraceStore } from '../store/port';

/** The instant a text names, or null when it is neither a timestamp with offset nor a date. */
export function asOfFromText(text: string): Instant | null {
  const trimmed = text.trim();
  const at = parseInstant(trimmed, true);
  if (at === null) return null;
  // A date alone means the whole of that day.
  return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? at + DAY - 1 : at;
}

/**
 * The end of the day (district time) of the latest onset or confirmation in the store; `now()`
 * when there is no case yet.
 */
export async function latestCaseAsOf(store: TraceStore, now: () => Instant = Date.now): Promise<Instant> {
  const cases = await store.listCases();
  let latest = -Infinity;
  for (const c of cases) latest = Math.max(latest, c.confirmedAt ?? -Infinity, c.onset ?? -Infinity);
  return Number.isFinite(latest) ? startOfDay(latest) + DAY - 1 : now();
}
