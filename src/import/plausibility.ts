/**
 * What a bundle changes that the person importing it must hear of, although it is imported as
 * given: values that look mistyped across its files and the store (a case's first positive sample
 * weeks before its confirmation), and stored sample results it corrects. The infectious window
 * opens two days before the earlier of onset and first positive sample, so a mistyped year there
 * would expose everyone the case met in that year; a result corrected from negative to positive,
 * or back, changes infectious windows, infectors and the quarantine list. Each is reported as a
 * warning naming the bundle row. The store is asked in batches of keys, never row by row.
 * (A row's own fields are checked where it is parsed: src/domain/records.ts.)
 */
import type { FieldProblem } from '../domain/errors';
import { EARLY_DATE_ACCEPTED, suspiciousDaysBeforeConfirmation, type FileName } from '../domain/records';
import { formatDate, formatInstant } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';
import { sampleKeyText, type TraceStore } from '../store/port';

/** What the checks read from the store. */
export type PlausibilityStore = Pick<TraceStore, 'samplesByKey' | 'samplesOf' | 'casesOf'>;

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

export class BundlePlausibility {
  /** The earliest positive sample of each subject in the bundle, and its line in samples.csv. */
  private readonly firstPositive = new Map<Id, { at: Instant; line: number }>();
  /** Samples of the bundle waiting to be compared with the stored sample of the same key. */
  private samples: Row<Sample>[] = [];
  /** Keys (`sampleKeyText`) of stored positive samples the bundle makes negative, by subject. */
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
    if (sample.result === 'positive') {
      const earlier = this.firstPositive.get(sample.subjectId);
      if (!earlier || sample.sampledAt < earlier.at)
        this.firstPositive.set(sample.subjectId, { at: sample.sampledAt, line });
    }
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
    if (file === 'samples.csv') await this.flushSamples();
  }

  /** Once every row is read: what is left, and the bundle's samples of cases already stored. */
  async finish(): Promise<void> {
    await this.flushSamples();
    await this.flushCases();
    await this.checkStoredCases();
  }

  /** A bundle sample that changes the result or ct of the stored sample of its key says so. */
  private async flushSamples(): Promise<void> {
    const samples = this.samples;
    this.samples = [];
    for (let i = 0; i < samples.length; i += LOOKUP_BATCH) {
      const batch = samples.slice(i, i + LOOKUP_BATCH);
      const stored = await this.store.samplesByKey(batch.map((s) => s.record));
      batch.forEach(({ line, record }, j) => {
        const before = stored[j];
        if (!before) return;
        for (const { column, reason } of sampleCorrections(before, record)) {
          this.warn({ file: 'samples.csv', line, column, reason });
        }
        if (before.result !== record.result && before.result === 'positive') {
          const keys = this.madeNegative.get(record.subjectId) ?? new Set<string>();
          this.madeNegative.set(record.subjectId, keys.add(sampleKeyText(record)));
        }
      });
    }
  }

  /**
   * The earliest stored positive sample of each person, leaving out those the bundle makes
   * negative (a positive sample of the bundle is in `firstPositive`).
   */
  private async storedFirstPositives(personIds: Id[]): Promise<Map<Id, Instant>> {
    const first = new Map<Id, Instant>();
    for (let i = 0; i < personIds.length; i += LOOKUP_BATCH) {
      for (const s of await this.store.samplesOf(personIds.slice(i, i + LOOKUP_BATCH))) {
        if (s.result !== 'positive' || this.madeNegative.get(s.subjectId)?.has(sampleKeyText(s))) continue;
        const earlier = first.get(s.subjectId);
        if (earlier === undefined || s.sampledAt < earlier) first.set(s.subjectId, s.sampledAt);
      }
    }
    return first;
  }

  /**
   * A case of the bundle whose first positive sample, in the bundle or the store, is weeks before
   * its confirmation: reported on the sample's line when the bundle has it, else on the case's.
   */
  private async flushCases(): Promise<void> {
    const cases = this.cases;
    this.cases = [];
    if (cases.length === 0) return;
    const stored = await this.storedFirstPositives([...new Set(cases.map((c) => c.record.personId))]);
    for (const { line, record } of cases) {
      const { personId, confirmedAt } = record;
      const inBundle = this.firstPositive.get(personId);
      const inStore = stored.get(personId);
      if (inBundle && (inStore === undefined || inBundle.at <= inStore)) {
        this.earlySample(personId, inBundle, confirmedAt!, `cases.csv:${line}`);
      } else if (inStore !== undefined) {
        const days = suspiciousDaysBeforeConfirmation(inStore, confirmedAt!);
        if (days === null) continue;
        this.warn({
          file: 'cases.csv',
          line,
          column: 'confirmed_at',
          reason:
            `${formatDate(inStore)}, ${personId}'s first positive sample (in the store), is ${days} days before ` +
            `the case's confirmed_at (${formatDate(confirmedAt!)}); ${EARLY_DATE_ACCEPTED}`,
        });
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
      const early: Case[] = [];
      (await this.store.casesOf(batch)).forEach((stored) => {
        if (stored?.confirmedAt == null) return;
        const first = this.firstPositive.get(stored.personId)!;
        if (suspiciousDaysBeforeConfirmation(first.at, stored.confirmedAt) !== null) early.push(stored);
      });
      if (early.length === 0) continue;
      // A stored positive sample as early or earlier is the first already: the bundle changes nothing.
      const inStore = await this.storedFirstPositives(early.map((c) => c.personId));
      for (const { personId, confirmedAt } of early) {
        const first = this.firstPositive.get(personId)!;
        const storedFirst = inStore.get(personId);
        if (storedFirst === undefined || first.at < storedFirst)
          this.earlySample(personId, first, confirmedAt!, 'in the store');
      }
    }
  }

  /** Warns of a first positive sample of the bundle weeks before the confirmation, if it is. */
  private earlySample(
    personId: Id,
    first: { at: Instant; line: number },
    confirmedAt: Instant,
    where: string,
  ): void {
    const days = suspiciousDaysBeforeConfirmation(first.at, confirmedAt);
    if (days === null) return;
    this.warn({
      file: 'samples.csv',
      line: first.line,
      column: 'sampled_at',
      reason:
        `${formatDate(first.at)}, ${personId}'s first positive sample, is ${days} days before the ` +
        `case's confirmed_at (${formatDate(confirmedAt)}, ${where}); ${EARLY_DATE_ACCEPTED}`,
    });
  }
}
