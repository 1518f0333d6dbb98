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
 *   onset of a case never isolated. A stay at an isolation place (`isolationPlaceKinds`, a
 *   quarantine site) is no time among others: one starting inside the window and lasting to its
 *   end closes it there (a close contact found positive in quarantine was isolated since they were
 *   taken there), and one running at the opening opens it at its end, empty if it lasts to the
 *   isolation. Nothing after `asOf` is known.
 */
import type { Parameters, Protocol } from '../domain/parameters';
import { DAY, formatDate, formatDateTime, startOfDay } from '../domain/time';
import type { Case, Id, Instant, Sample, Stay } from '../domain/types';
import type { OutbreakData } from './model';

export interface InfectiousWindow {
  from: Instant;
  to: Instant;
  /** In words: what opened and what closed the window. */
  basis: string;
}

/**
 * The infectious window of each case, by person id (`caseWindows`): worked out once per analysis
 * and handed to every step that reads a case's window (exposures, tiers, infectors, chains, risk
 * areas, the report). Each of them read every stay and every sample to work it out again.
 */
export type CaseWindows = ReadonlyMap<Id, InfectiousWindow>;

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
 * taken after `asOf` are ignored) and its stays at isolation places (`isolationStays`; others are
 * the caller's to leave out).
 */
export function infectiousWindow(
  caseRecord: Case,
  samplesOfPerson: readonly Sample[],
  params: Parameters,
  asOf: Instant,
  isolationStays: readonly Stay[] = [],
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
      ? `confirmation ${formatDateTime(positive)} (${firstPositive === null ? 'no' : 'no earlier'} positive sample on record)`
      : `first positive sample ${formatDateTime(positive)}`;
  } else {
    anchor = asOf;
    anchorWords = `the analysis instant ${formatDateTime(asOf)} (no onset, sample or confirmation on record)`;
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
        opened = `last negative sample ${formatDateTime(lastNegative)} before ${byConfirmation ? 'the confirmation' : 'the first positive'} (found by screening)`;
      } else if (earliest < from) {
        from = earliest;
        opened =
          `${plural(screeningLookbackMaxDays, 'day')} before the day of ${byConfirmation ? 'the confirmation' : 'the first positive sample'}: the last negative ` +
          `(${formatDateTime(lastNegative)}) is older than the screening look-back`;
      }
    }
  }

  let to: Instant;
  let closed: string;
  if (confirmedAt !== null) {
    to = confirmedAt;
    closed = `isolated at confirmation ${formatDateTime(to)}`;
  } else if (firstPositive !== null) {
    to = firstPositive;
    closed = `isolated at the first positive sample ${formatDateTime(to)}`;
  } else if (onset !== null && onset + infectiousDaysAfterOnset * DAY < asOf) {
    // Never isolated, but no longer infectious.
    to = onset + infectiousDaysAfterOnset * DAY;
    closed = `not isolated; infectious until ${plural(infectiousDaysAfterOnset, 'day')} after onset`;
  } else {
    to = asOf;
    closed = `not isolated by ${formatDateTime(asOf)}`;
  }
  // Time in isolation is no time among others: a stay at a quarantine site running at the opening
  // opens the window when it ends (a close contact released, later positive); one starting inside
  // the window and lasting to its end (not released before) closes it. One released from inside
  // the window leaves it whole: a window is one span, and the days after the release count (the
  // site itself exposes no one, by its kind).
  const isolations = isolationStays
    .filter((s) => s.subjectId === personId && s.start <= asOf)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (const s of isolations) {
    if (s.end <= from || s.start >= to) continue;
    if (s.start <= from) {
      from = s.end;
      opened = `${opened}, from the end of a stay at quarantine site ${s.hostId} (${formatDateTime(s.end)})`;
    } else if (s.end >= to) {
      to = s.start;
      closed = `isolated at quarantine site ${s.hostId} ${formatDateTime(s.start)}`;
      break;
    }
  }
  if (to < from) {
    // Isolation recorded before the default start: the window is empty, at the isolation.
    from = to;
    opened = `${opened}, cut to the isolation`;
  }
  return { from, to, basis: `from ${opened}; until ${closed}` };
}

/**
 * The stays at isolation places (`protocol.isolationPlaceKinds`) of `subjects` (everyone when
 * null), among `data.stays` and the quarantine sites' own (`data.quarantineStays`), each once, by
 * subject: what closes a case's window early, or a close contact's span.
 */
export function isolationStaysOf(
  data: Pick<OutbreakData, 'stays' | 'quarantineStays' | 'places'>,
  protocol: Protocol,
  subjects: ReadonlySet<Id> | null,
): Map<Id, Stay[]> {
  const bySubject = new Map<Id, Stay[]>();
  const kinds = protocol.isolationPlaceKinds;
  if (kinds.length === 0 || subjects?.size === 0) return bySubject;
  const seen = new Set<string>();
  // Partial data (a test's, a caller's) may have no stays or places: then no isolation is known.
  for (const stays of [data.stays ?? [], data.quarantineStays ?? []])
    for (const s of stays) {
      if (subjects && !subjects.has(s.subjectId)) continue;
      if (!kinds.includes(data.places?.get(s.hostId)?.kind ?? '')) continue;
      const key = `${s.subjectId}|${s.hostId}|${s.start}|${s.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const own = bySubject.get(s.subjectId);
      if (own) own.push(s);
      else bySubject.set(s.subjectId, [s]);
    }
  return bySubject;
}

/** Each case's stays at isolation places, by person id (`isolationStaysOf` the cases). */
export function isolationStaysOfCases(
  data: Pick<OutbreakData, 'cases' | 'stays' | 'quarantineStays' | 'places'>,
  protocol: Protocol,
): Map<Id, Stay[]> {
  return isolationStaysOf(data, protocol, new Set(data.cases.map((c) => c.personId)));
}

/**
 * The infectious windows of `data`'s cases under `params`: from their samples, and closed early
 * by their stays at isolation places.
 */
export function caseWindows(
  data: Pick<OutbreakData, 'cases' | 'samples' | 'stays' | 'quarantineStays' | 'places' | 'asOf'>,
  params: Parameters,
): Map<string, InfectiousWindow> {
  return windowsOfCases(
    data.cases,
    data.samples,
    params,
    data.asOf,
    isolationStaysOfCases(data, params.protocol),
  );
}

/** Each case's own samples among `samples`, by person id (others' are left out). */
export function samplesOfCases(cases: readonly Case[], samples: readonly Sample[]): Map<Id, Sample[]> {
  const own = new Map<Id, Sample[]>(cases.map((c) => [c.personId, []]));
  for (const s of samples) own.get(s.subjectId)?.push(s);
  return own;
}

/** The cases' own samples by person id, as `samplesOfCases` groups them (every case has an entry). */
export type CaseSamples = ReadonlyMap<Id, readonly Sample[]>;

/** `samples` grouped by case, unless they come grouped already (so callers can group them once). */
export function caseSamples(cases: readonly Case[], samples: readonly Sample[] | CaseSamples): CaseSamples {
  return 'get' in samples ? samples : samplesOfCases(cases, samples);
}

/**
 * The infectious window of every case, by person id, from all the samples given (or the cases'
 * own, grouped), and the cases' stays at isolation places (`isolationStaysOfCases`), if given.
 */
export function windowsOfCases(
  cases: readonly Case[],
  samples: readonly Sample[] | CaseSamples,
  params: Parameters,
  asOf: Instant,
  isolationStays: ReadonlyMap<Id, readonly Stay[]> = new Map(),
): Map<string, InfectiousWindow> {
  // Only the cases' own samples open or close a window (the exposed persons' are many more).
  const samplesBySubject = caseSamples(cases, samples);
  const windows = new Map<string, InfectiousWindow>();
  for (const c of cases)
    windows.set(
      c.personId,
      infectiousWindow(
        c,
        samplesBySubject.get(c.personId) ?? [],
        params,
        asOf,
        isolationStays.get(c.personId) ?? [],
      ),
    );
  return windows;
}
