/**
 * Values a bundle may hold although they look mistyped, found across its files: a case's first
 * positive sample weeks before its confirmation. The infectious window opens two days before the
 * earlier of onset and first positive sample, so a mistyped year there would expose everyone the
 * case met in that year. Such rows are imported as given and reported as warnings.
 * (A row's own fields are checked where it is parsed: src/domain/records.ts.)
 */
import type { FieldProblem } from '../domain/errors';
import { EARLY_DATE_ACCEPTED, suspiciousDaysBeforeConfirmation, type FileName } from '../domain/records';
import { formatDate } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';

export class BundlePlausibility {
  /** The earliest positive sample of each subject in the bundle, and its line in samples.csv. */
  private readonly firstPositive = new Map<Id, { at: Instant; line: number }>();

  /** Takes note of a row as it is read; returns the warnings it raises now. */
  row(file: FileName, line: number, record: unknown): FieldProblem[] {
    if (file === 'samples.csv') {
      const sample = record as Sample;
      if (sample.result !== 'positive') return [];
      const earlier = this.firstPositive.get(sample.subjectId);
      if (!earlier || sample.sampledAt < earlier.at)
        this.firstPositive.set(sample.subjectId, { at: sample.sampledAt, line });
      return [];
    }
    if (file !== 'cases.csv') return [];
    const { personId, confirmedAt } = record as Case;
    const first = this.firstPositive.get(personId);
    if (!first || confirmedAt === null) return [];
    const days = suspiciousDaysBeforeConfirmation(first.at, confirmedAt);
    if (days === null) return [];
    return [
      {
        file: 'samples.csv',
        line: first.line,
        column: 'sampled_at',
        reason:
          `${formatDate(first.at)}, ${personId}'s first positive sample, is ${days} days before the ` +
          `case's confirmed_at (${formatDate(confirmedAt)}, cases.csv:${line}); ${EARLY_DATE_ACCEPTED}`,
      },
    ];
  }
}
