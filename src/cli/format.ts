/** Small text formats shared by the commands' one-line summaries. */
import { FILE_SPECS, type FileName } from '../domain/records';

/** `places 6, persons 4, stays 8` for the files that have a count, in bundle order. */
export function formatRowCounts(rows: Partial<Record<FileName, number>>): string {
  return FILE_SPECS.filter((spec) => rows[spec.file] !== undefined)
    .map((spec) => `${spec.file.replace(/\.csv$/, '')} ${rows[spec.file]}`)
    .join(', ');
}
