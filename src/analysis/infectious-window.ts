/**
 * Infectious window of a case: the span during which the people around the case become close
 * contacts, per China's COVID-19 protocol, 9th edition (June 2022), section on close contacts.
 *
 * - It opens `preOnsetDays` (2 by default; some cities used 4) before the day of the earliest
 *   evidence of infection: the earlier of symptom onset and the first positive test. The protocol
 *   counts days by date ("2 days before the sampling date"), so a sample taken at 15:00 on the 4th
 *   opens the window at midnight (district time) on the 2nd, not at 15:00. A confirmation implies a
 *   positive test by then, so the first positive test is the first positive sample on record or
 *   the confirmation, whichever is earlier (the confirmation stands in for a positive sample that
 *   is not on record: a case confirmed by screening before onset is infectious before the
 *   confirmation, not only from 2 days before the later onset).
 * - A case found by screening (no onset, or a positive test before onset) may have been infected
 *   at any time since the last negative sample: when that negative is earlier than the default
 *   start, the window opens there instead, but never more than `screeningLookbackMaxDays` before
 *   the day of the first positive test.
 * - It closes at isolation: the confirmation, failing that the first positive sample, failing that
 *   `asOf` (the case is not isolated yet), but no later than `infectiousDaysAfterOnset` after the
 *   onset of a case never isolated. Nothing after `asOf` is known.
 */
import type { Parameters } from '../domain/parameters';
import { DAY, formatDate, formatInstant, startOfDay } from '../domain/time';
import type { Case, Instant, Sample } from '../domain/types';

export interface InfectiousWindow {
  from: Instant;
  to: Instant;
  /** In words: what opened and what closed the window. */
  basis: string;
}

function assertInstant(value: unknown, field: string, personId: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `infectious window of case ${personId}: field "${field}" is not an instant (got ${String(value)})`,
    );
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The infectious window of `caseRecord` from its own samples (samples of other subjects and samples
 * taken after `asOf` are ignored).
 */
export function infectiousWindow(
  caseRecord: Case,
  samplesOfPerson: Sample[],
  params: Parameters,
  asOf: Instant,
): { from: Instant; to: Instant; basis: string } {
  const personId = caseRecord?.personId;
  if (typeof personId !== 'string' || personId === '') {
    throw new TypeError('infectious window: field "personId" of the case is missing');
  }
  assertInstant(asOf, 'asOf', personId);
  if (caseRecord.onset !== null) assertInstant(caseRecord.onset, 'onset', personId);
  if (caseRecord.confirmedAt !== null) assertInstant(caseRecord.confirmedAt, 'confirmedAt', personId);
  samplesOfPerson.forEach((s, i) => {
    if (s.subjectId === personId) assertInstant(s.sampledAt, `samples[${i}].sampledAt`, personId);
  });
  const { preOnsetDays, windowFromLastNegative, screeningLookbackMaxDays } = params.protocol;
  const { infectiousDaysAfterOnset } = params.pathogen;

  const own = samplesOfPerson
    .filter((s) => s.subjectId === personId && s.sampledAt <= asOf)
    .sort((a, b) => a.sampledAt - b.sampledAt);
  const firstPositive = own.find((s) => s.result === 'positive')?.sampledAt ?? null;
  const onset = caseRecord.onset !== null && caseRecord.onset <= asOf ? caseRecord.onset : null;
  const confirmedAt =
    caseRecord.confirmedAt !== null && caseRecord.confirmedAt <= asOf ? caseRecord.confirmedAt : null;
  // The first positive test: a sample on record, or the confirmation when it came first (a
  // confirmation implies a positive test, whose sample may not be on record).
  const byConfirmation = confirmedAt !== null && (firstPositive === null || confirmedAt < firstPositive);
  const positive = byConfirmation ? confirmedAt : firstPositive;

  // The earliest evidence of infection anchors the default start.
  let anchor: Instant;
  let anchorWords: string;
  if (onset !== null && (positive === null || onset <= positive)) {
    anchor = onset;
    anchorWords = `onset ${formatDate(onset)}`;
  } else if (positive !== null) {
    anchor = positive;
    anchorWords = byConfirmation
      ? `confirmation ${formatInstant(positive)} (${firstPositive === null ? 'no' : 'no earlier'} positive sample on record)`
      : `first positive sample ${formatInstant(positive)}`;
  } else {
    anchor = asOf;
    anchorWords = `the analysis instant ${formatInstant(asOf)} (no onset, sample or confirmation on record)`;
  }
  let from = startOfDay(anchor) - preOnsetDays * DAY;
  let opened = `${plural(preOnsetDays, 'day')} before the day of ${anchorWords}`;

  const foundByScreening = positive !== null && (onset === null || positive < onset);
  if (foundByScreening && windowFromLastNegative) {
    const lastNegative = own
      .filter((s) => s.result === 'negative' && s.sampledAt < positive)
      .at(-1)?.sampledAt;
    if (lastNegative !== undefined && lastNegative < from) {
      const earliest = startOfDay(positive) - screeningLookbackMaxDays * DAY;
      if (lastNegative >= earliest) {
        from = lastNegative;
        opened = `last negative sample ${formatInstant(lastNegative)} before ${byConfirmation ? 'the confirmation' : 'the first positive'} (found by screening)`;
      } else if (earliest < from) {
        from = earliest;
        opened =
          `${plural(screeningLookbackMaxDays, 'day')} before the day of ${byConfirmation ? 'the confirmation' : 'the first positive sample'}: the last negative ` +
          `(${formatInstant(lastNegative)}) is older than the screening look-back`;
      }
    }
  }

  let to: Instant;
  let closed: string;
  if (confirmedAt !== null) {
    to = confirmedAt;
    closed = `isolated at confirmation ${formatInstant(to)}`;
  } else if (firstPositive !== null) {
    to = firstPositive;
    closed = `isolated at the first positive sample ${formatInstant(to)}`;
  } else if (onset !== null && onset + infectiousDaysAfterOnset * DAY < asOf) {
    // Never isolated, but no longer infectious.
    to = onset + infectiousDaysAfterOnset * DAY;
    closed = `not isolated; infectious until ${plural(infectiousDaysAfterOnset, 'day')} after onset`;
  } else {
    to = asOf;
    closed = `not isolated by ${formatInstant(asOf)}`;
  }
  if (to < from) {
    // Isolation recorded before the default start: the window is empty, at the isolation.
    from = to;
    opened = `${opened}, cut to the isolation`;
  }
  return { from, to, basis: `from ${opened}; until ${closed}` };
}

/** The infectious window of every case, by person id, from all the samples given. */
export function windowsOfCases(
  cases: readonly Case[],
  samples: readonly Sample[],
  params: Parameters,
  asOf: Instant,
): Map<string, InfectiousWindow> {
  // Only the cases' own samples open or close a window (the exposed persons' are many more).
  const samplesBySubject = new Map<string, Sample[]>(cases.map((c) => [c.personId, []]));
  for (const s of samples) {
    samplesBySubject.get(s.subjectId)?.push(s);
  }
  const windows = new Map<string, InfectiousWindow>();
  for (const c of cases)
    windows.set(c.personId, infectiousWindow(c, samplesBySubject.get(c.personId) ?? [], params, asOf));
  return windows;
}
