/** Small text formats shared by the commands' one-line summaries. */
import { describeProblem, type FieldProblem } from '../domain/errors';
import { FILE_SPECS, type FileName } from '../domain/records';

/** `places 6, persons 4, stays 8` for the files that have a count, in bundle order. */
export function formatRowCounts(rows: Partial<Record<FileName, number>>): string {
  return FILE_SPECS.filter((spec) => rows[spec.file] !== undefined)
    .map((spec) => `${spec.file.replace(/\.csv$/, '')} ${rows[spec.file]}`)
    .join(', ');
}

/**
 * How many rows an import skipped as repeats of an earlier row with the same fields, by file,
 * to follow its summary (`; 2 rows that repeat earlier ones with the same fields were skipped
 * (persons 1, cases 1)`); empty when none. The warnings name each one's line.
 */
export function formatSkippedRepeats(repeats: Partial<Record<FileName, number>>): string {
  const total = Object.values(repeats).reduce((sum, n) => sum + n, 0);
  if (total === 0) return '';
  const rows = total === 1 ? '1 row that repeats an earlier one' : `${total} rows that repeat earlier ones`;
  return `; ${rows} with the same fields ${total === 1 ? 'was' : 'were'} skipped (${formatRowCounts(repeats)})`;
}

/**
 * The import's warnings, one a line (`warning: cases.csv:20: column "onset": …`), and how many more
 * there were; empty when none. Written to standard error: the rows were imported all the same.
 */
export function formatImportWarnings(summary: { warnings: FieldProblem[]; warningsTotal: number }): string {
  if (summary.warningsTotal === 0) return '';
  const lines = summary.warnings.map((w) => `warning: ${describeProblem(w)}\n`);
  const more = summary.warningsTotal - summary.warnings.length;
  return lines.join('') + (more > 0 ? `warning: ... and ${more} more\n` : '');
}
