/**
 * Rows that repeat the id (or key) of an earlier row of their file with other fields, and which
 * fields differ. Validation keeps of each row only its line and a SHA-1 of its fields
 * (BundleIndex), so a repeat with other fields is found at once, but not which fields: those are
 * found once the file is read, by reading it again up to the earlier lines and comparing them
 * field by field. Such repeats are rare, and only the first of them are listed (MAX_PROBLEMS), so
 * nothing more is kept per row: the second read happens only for a file that has one, and reads
 * no further than the last earlier line it needs.
 */
import type { FieldProblem } from '../domain/errors';
import { groupBy } from '../domain/group-by';
import type { FileSpec, RawRow } from '../domain/records';
import { fingerprint } from './bundle-index';
import { readCsvRows } from './csv-source';

/** Columns whose values are personal data: a message names them but does not show them. */
const PERSONAL_COLUMNS: Partial<Record<string, readonly string[]>> = {
  'persons.csv': ['name', 'phone', 'id_number'],
};

/** A home's name is an address, which picks out a household (as the API masks it). */
const HOME_NAME = { file: 'places.csv', column: 'name', kind: 'home' } as const;

/** A row found to repeat an earlier row's id or key with other fields. */
export interface ConflictingRepeat {
  /** The problem logged for it, whose column and reason are made exact once the fields are known. */
  problem: FieldProblem;
  /** How its reason begins: `"P5" is defined again`, `repeats the person of line 2`. */
  subject: string;
  /** The earlier row's line, and the fingerprint validation kept of its record. */
  earlierLine: number;
  earlierPrint: Buffer;
  /** The row itself, as read and as parsed. */
  row: RawRow;
  record: unknown;
}

/** A record's field as the file names its column: `homeId` is `home_id`. */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `age`, `age and phone`, `age, phone and occupation`. */
function andList(names: readonly string[]): string {
  return names.length < 2
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A value as the row has it: quoted, or `empty`. */
function shown(row: RawRow, column: string): string {
  const value = (row[column] ?? '').trim();
  return value === '' ? 'empty' : JSON.stringify(value);
}

/**
 * Collects the repeats of one file with other fields as validation finds them, then names the
 * fields that differ in the problems logged for them (`nameFields`).
 */
export class ConflictingRepeats {
  private readonly repeats: ConflictingRepeat[] = [];

  /** `cap`: how many problems validation keeps; later repeats of the file could not be among them. */
  constructor(
    private readonly spec: FileSpec<unknown>,
    private readonly cap: number,
  ) {}

  add(repeat: ConflictingRepeat): void {
    if (this.repeats.length < this.cap) this.repeats.push(repeat);
  }

  /**
   * Reads the file at `filePath` again up to the last earlier line needed, and gives the problem of
   * each repeat still kept (`kept`) the first column that differs and a reason naming every field
   * that differs, with the values of both lines. A repeat whose earlier line no longer reads as the
   * record validation saw (the file changed meanwhile) keeps the reason it was logged with.
   */
  async nameFields(filePath: string, kept: (problem: FieldProblem) => boolean): Promise<void> {
    const wanted = groupBy(this.repeats, (r) => (kept(r.problem) ? r.earlierLine : null));
    this.repeats.length = 0;
    if (wanted.size === 0) return;
    const last = Math.max(...wanted.keys());
    const rows = readCsvRows(filePath, { columns: this.spec.columns, onProblem: () => undefined });
    for await (const { line, row } of rows) {
      if (line > last) break;
      const repeats = wanted.get(line);
      if (!repeats) continue;
      const earlier = this.spec.parse(row).record;
      for (const repeat of repeats) {
        if (earlier === null || !fingerprint(earlier).equals(repeat.earlierPrint)) continue;
        this.describe(repeat, line, row, earlier);
      }
    }
  }

  /** Rewrites the problem of `repeat` to name the fields in which it differs from `earlier`. */
  private describe(
    repeat: ConflictingRepeat,
    earlierLine: number,
    earlierRow: RawRow,
    earlier: unknown,
  ): void {
    const before = earlier as Record<string, unknown>;
    const after = repeat.record as Record<string, unknown>;
    const columns = Object.keys(after)
      .filter((field) => before[field] !== after[field])
      .map(columnOf);
    if (columns.length === 0) return;
    const { problem } = repeat;
    const values = columns.map((column) => {
      const both = this.isPersonal(column, [before, after])
        ? `not shown, as personal data: compare lines ${earlierLine} and ${problem.line}`
        : `${shown(earlierRow, column)} on line ${earlierLine}, ${shown(repeat.row, column)} on line ${problem.line}`;
      return columns.length === 1 ? both : `${column}: ${both}`;
    });
    problem.column = columns[0]!;
    problem.reason = `${repeat.subject} with another ${andList(columns)} (${values.join('; ')})`;
  }

  private isPersonal(column: string, records: Record<string, unknown>[]): boolean {
    if (PERSONAL_COLUMNS[this.spec.file]?.includes(column)) return true;
    return (
      this.spec.file === HOME_NAME.file &&
      column === HOME_NAME.column &&
      records.some((record) => record.kind === HOME_NAME.kind)
    );
  }
}
