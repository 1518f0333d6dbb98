/**
 * What a bundle changes that the person importing it must hear of, although it is imported as
 * given: values that look mistyped across its files and the store (a case's first positive sample
 * weeks before its confirmation), and stored sample results it corrects. The infectious window
 * opens two days before the earlier of onset and first positive sample, so a mistyped year there
 * would expose everyone the case met in that year; a result corrected from negative to positive,
 * or back, changes infectious windows, infectors and the quarantine list. Each is reported as a
 * warning naming the bundle row. The store is asked in batches of keys, never row by row. The API's
 * addSamples and upsertCases warn of the same, in the same words, through the functions exported
 * here (src/api/services/records.service.ts).
 * (A row's own fields are checked where it is parsed: src/domain/records.ts.)
 */
import type { FieldProblem } from '../domain/errors';
import { EARLY_DATE_ACCEPTED, suspiciousDaysBeforeConfirmation, type FileName } from '../domain/records';
import { formatDate, formatInstant } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';
import { sampleKeyText, type TraceStore } from '../store/port';
import { LookupsInFlight } from './lookups-in-flight';

/** What the checks read from the store. */
export type PlausibilityStore = Pick<TraceStore, 'samplesByKey' | 'samplesOf' | 'casesOf'>;

/** Keys (`sampleKeyText`) of stored positive samples that a bundle or request makes negative, by subject. */
export type MadeNegative = ReadonlyMap<Id, ReadonlySet<string>>;

/** Keys or ids looked up in the store per query. */
const LOOKUP_BATCH = 1000;

/** A bundle row and its line. */
interface Row<T> {
  line: number;
  record: T;
}

const ctText = (ct: number | null): string => (ct === null ? '(empty)' : String(ct));

/**
 * What a sample changes of the stored sample of its key (same subject, instant and method), each
 * by the column it changes: its result, its ct. Empty when it changes nothing.
 */
export function sampleCorrections(
  before: Sample,
  record: Sample,
): { column: 'result' | 'ct'; reason: string }[] {
  const what = `of ${record.subjectId}'s ${record.method} sample at ${formatInstant(record.sampledAt)}`;
  const corrections: { column: 'result' | 'ct'; reason: string }[] = [];
  if (before.result !== record.result)
    corrections.push({
      column: 'result',
      reason: `replaces the stored result ${before.result} ${what} with ${record.result}`,
    });
  if (before.ct !== record.ct)
    corrections.push({
      column: 'ct',
      reason: `replaces the stored ct ${ctText(before.ct)} ${what} with ${ctText(record.ct)}`,
    });
  return corrections;
}

/**
 * Notes in `firsts` a positive sample earlier than the one noted for its subject, with `where` it
 * is (a line of samples.csv, a position in a request): a case's first positive sample.
 */
export function noteFirstPositive(
  firsts: Map<Id, { at: Instant; where: number }>,
  sample: Sample,
  where: number,
): void {
  if (sample.result !== 'positive') return;
  const earlier = firsts.get(sample.subjectId);
  if (!earlier || sample.sampledAt < earlier.at)
    firsts.set(sample.subjectId, { at: sample.sampledAt, where });
}

/** Notes in `madeNegative` a sample that makes the stored positive sample of its key negative. */
export function noteMadeNegative(madeNegative: Map<Id, Set<string>>, before: Sample, record: Sample): void {
  if (before.result !== 'positive' || record.result === 'positive') return;
  const keys = madeNegative.get(record.subjectId) ?? new Set<string>();
  madeNegative.set(record.subjectId, keys.add(sampleKeyText(record)));
}

/**
 * The warning on a first positive sample (of the bundle or request) weeks before its case's
 * confirmation, `where` saying where the case is (`cases.csv:2`, `in the store`); null when the
 * sample is not that early.
 */
export function earlySampleReason(
  personId: Id,
  at: Instant,
  confirmedAt: Instant,
  where: string,
): string | null {
  const days = suspiciousDaysBeforeConfirmation(at, confirmedAt);
  if (days === null) return null;
  return (
    `${formatDate(at)}, ${personId}'s first positive sample, is ${days} days before the ` +
    `case's confirmed_at (${formatDate(confirmedAt)}, ${where}); ${EARLY_DATE_ACCEPTED}`
  );
}

/**
 * The warning on a case (of the bundle or request) confirmed weeks after its person's first
 * positive sample, which is stored; null when the sample is not that early.
 */
export function earlyStoredSampleReason(personId: Id, at: Instant, confirmedAt: Instant): string | null {
  const days = suspiciousDaysBeforeConfirmation(at, confirmedAt);
  if (days === null) return null;
  return (
    `${formatDate(at)}, ${personId}'s first positive sample (in the store), is ${days} days before ` +
    `the case's confirmed_at (${formatDate(confirmedAt)}); ${EARLY_DATE_ACCEPTED}`
  );
}

/**
 * The earliest stored positive sample of each person, leaving out those `madeNegative` names,
 * read in batches of LOOKUP_BATCH persons.
 */
export async function storedFirstPositives(
  store: Pick<TraceStore, 'samplesOf'>,
  personIds: readonly Id[],
  madeNegative: MadeNegative,
): Promise<Map<Id, Instant>> {
  const first = new Map<Id, Instant>();
  for (let i = 0; i < personIds.length; i += LOOKUP_BATCH) {
    for (const s of await store.samplesOf(personIds.slice(i, i + LOOKUP_BATCH))) {
      if (s.result !== 'positive' || madeNegative.get(s.subjectId)?.has(sampleKeyText(s))) continue;
      const earlier = first.get(s.subjectId);
      if (earlier === undefined || s.sampledAt < earlier) first.set(s.subjectId, s.sampledAt);
    }
  }
  return first;
}

/**
 * Of the first positive samples `firsts` (by subject) of a bundle or request that brings no case
 * for them, those that become the first of a case stored, weeks before its confirmation: the
 * warning of each, by subject. A stored positive sample as early or earlier is the first already
 * (the samples change nothing), unless `madeNegative` names it. Reads the subjects' cases, then the
 * stored samples of those whose case the sample would be early for: two reads for up to
 * LOOKUP_BATCH subjects.
 */
export async function samplesEarlyForStoredCases(
  store: Pick<TraceStore, 'casesOf' | 'samplesOf'>,
  firsts: ReadonlyMap<Id, Instant>,
  madeNegative: MadeNegative,
): Promise<Map<Id, string>> {
  const warnings = new Map<Id, string>();
  const subjects = [...firsts.keys()];
  for (let i = 0; i < subjects.length; i += LOOKUP_BATCH) {
    const early: { personId: Id; reason: string }[] = [];
    for (const stored of await store.casesOf(subjects.slice(i, i + LOOKUP_BATCH))) {
      if (stored?.confirmedAt == null) continue;
      const reason = earlySampleReason(
        stored.personId,
        firsts.get(stored.personId)!,
        stored.confirmedAt,
        'in the store',
      );
      if (reason !== null) early.push({ personId: stored.personId, reason });
    }
    if (early.length === 0) continue;
    const inStore = await storedFirstPositives(
      store,
      early.map((c) => c.personId),
      madeNegative,
    );
    for (const { personId, reason } of early) {
      const storedFirst = inStore.get(personId);
      if (storedFirst === undefined || firsts.get(personId)! < storedFirst) warnings.set(personId, reason);
    }
  }
  return warnings;
}

/**
 * For each of `cases` (by position) whose person's first positive sample is stored (none in the
 * request) weeks before its confirmation, the warning; null for the others. One read per
 * LOOKUP_BATCH persons.
 */
export async function casesEarlyAfterStoredSamples(
  store: Pick<TraceStore, 'samplesOf'>,
  cases: readonly Case[],
): Promise<(string | null)[]> {
  const confirmed = cases.filter((c) => c.confirmedAt !== null).map((c) => c.personId);
  if (confirmed.length === 0) return cases.map(() => null);
  const stored = await storedFirstPositives(store, [...new Set(confirmed)], new Map());
  return cases.map(({ personId, confirmedAt }) => {
    const first = stored.get(personId);
    return first === undefined || confirmedAt === null
      ? null
      : earlyStoredSampleReason(personId, first, confirmedAt);
  });
}

export class BundlePlausibility {
  /** The earliest positive sample of each subject in the bundle, and its line in samples.csv. */
  private readonly firstPositive = new Map<Id, { at: Instant; where: number }>();
  /** Samples of the bundle waiting to be compared with the stored sample of the same key. */
  private samples: Row<Sample>[] = [];
  /** Their look-ups in the store, answered while samples.csv is read on. */
  private readonly sampleLookups = new LookupsInFlight();
  /** Stored positive samples the bundle makes negative. */
  private readonly madeNegative = new Map<Id, Set<string>>();
  /** Cases of the bundle waiting for their persons' stored positive samples. */
  private cases: Row<Case>[] = [];
  /** Persons with a case in the bundle. */
  private readonly casesInBundle = new Set<Id>();

  constructor(
    private readonly store: PlausibilityStore,
    private readonly warn: (warning: FieldProblem) => void,
  ) {}

  /** Takes note of a sample row, the first of its key in the bundle (a repeat is identical or refused). */
  async sample(line: number, sample: Sample): Promise<void> {
    noteFirstPositive(this.firstPositive, sample, line);
    this.samples.push({ line, record: sample });
    if (this.samples.length >= LOOKUP_BATCH) await this.flushSamples();
  }

  /** Takes note of a case row; cases.csv is read after samples.csv. */
  async case(line: number, record: Case): Promise<void> {
    this.casesInBundle.add(record.personId);
    if (record.confirmedAt === null) return;
    this.cases.push({ line, record });
    if (this.cases.length >= LOOKUP_BATCH) await this.flushCases();
  }

  /** Once a file is read: its warnings come before those of the files after it. */
  async fileRead(file: FileName): Promise<void> {
    if (file === 'samples.csv') await this.drainSamples();
  }

  /** Once every row is read: what is left, and the bundle's samples of cases already stored. */
  async finish(): Promise<void> {
    await this.drainSamples();
    await this.flushCases();
    await this.checkStoredCases();
  }

  /**
   * A bundle sample that changes the result or ct of the stored sample of its key says so. The
   * look-up is started here and applied later (`drainSamples`), while samples.csv is read on.
   */
  private async flushSamples(): Promise<void> {
    const samples = this.samples;
    this.samples = [];
    for (let i = 0; i < samples.length; i += LOOKUP_BATCH) {
      const batch = samples.slice(i, i + LOOKUP_BATCH);
      await this.sampleLookups.add(
        () => this.store.samplesByKey(batch.map((s) => s.record)),
        (stored) =>
          batch.forEach(({ line, record }, j) => {
            const before = stored[j];
            if (!before) return;
            for (const { column, reason } of sampleCorrections(before, record)) {
              this.warn({ file: 'samples.csv', line, column, reason });
            }
            noteMadeNegative(this.madeNegative, before, record);
          }),
      );
    }
  }

  /** Every sample's look-up started, applied: the stored positives made negative are all known. */
  private async drainSamples(): Promise<void> {
    await this.flushSamples();
    await this.sampleLookups.drain();
  }

  /**
   * A case of the bundle whose first positive sample, in the bundle or the store, is weeks before
   * its confirmation: reported on the sample's line when the bundle has it, else on the case's.
   */
  private async flushCases(): Promise<void> {
    const cases = this.cases;
    this.cases = [];
    if (cases.length === 0) return;
    const stored = await storedFirstPositives(
      this.store,
      [...new Set(cases.map((c) => c.record.personId))],
      this.madeNegative,
    );
    for (const { line, record } of cases) {
      const { personId, confirmedAt } = record;
      const inBundle = this.firstPositive.get(personId);
      const inStore = stored.get(personId);
      if (inBundle && (inStore === undefined || inBundle.at <= inStore)) {
        const reason = earlySampleReason(personId, inBundle.at, confirmedAt!, `cases.csv:${line}`);
        if (reason !== null)
          this.warn({ file: 'samples.csv', line: inBundle.where, column: 'sampled_at', reason });
      } else if (inStore !== undefined) {
        const reason = earlyStoredSampleReason(personId, inStore, confirmedAt!);
        if (reason !== null) this.warn({ file: 'cases.csv', line, column: 'confirmed_at', reason });
      }
    }
  }

  /**
   * A positive sample of the bundle that becomes the first of a case stored (and not in the
   * bundle), weeks before its confirmation.
   */
  private async checkStoredCases(): Promise<void> {
    const subjects = [...this.firstPositive.keys()].filter((id) => !this.casesInBundle.has(id));
    for (let i = 0; i < subjects.length; i += LOOKUP_BATCH) {
      const batch = subjects.slice(i, i + LOOKUP_BATCH);
      const firsts = new Map(batch.map((id) => [id, this.firstPositive.get(id)!.at]));
      const early = await samplesEarlyForStoredCases(this.store, firsts, this.madeNegative);
      for (const [personId, reason] of early) {
        const line = this.firstPositive.get(personId)!.where;
        this.warn({ file: 'samples.csv', line, column: 'sampled_at', reason });
      }
    }
  }
}
