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
 * The import's warnings, one a line (`warning: cases.csv:20: column "onset": …`), and how many more
 * there were; empty when none. Written to standard error: the rows were imported all the same.
 */
export function formatImportWarnings(summary: { warnings: FieldProblem[]; warningsTotal: number }): string {
  if (summary.warningsTotal === 0) return '';
  const lines = summary.warnings.map((w) => `warning: ${describeProblem(w)}\n`);
  const more = summary.warningsTotal - summary.warnings.length;
  return lines.join('') + (more > 0 ? `warning: ... and ${more} more\n` : '');
}
