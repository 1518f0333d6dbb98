/**
 * Embedded store transactions: BEGIN IMMEDIATE (take the write lock up front, so a writer waits
 * at the start rather than failing half-way), and a COMMIT that, when deferred foreign keys fail,
 * rolls back and says which rows refer to which unknown ids.
 */
import type Database from 'better-sqlite3';
import { StoreBusyError, ValidationError, type FieldProblem } from '../../domain/errors';
import { retryWhileBusy } from './busy-wait';
import { isBusy } from './connection';

/** What each referenced table holds, in investigators' words (a cold-chain item is a lot). */
const NOUN: Record<string, string> = {
  entities: 'person, place, boat or lot',
  persons: 'person',
  places: 'place',
  items: 'lot',
};

/** A column as the domain names it: `home_id` is `homeId`. */
const fieldName = (column: string): string =>
  column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

interface ForeignKeyViolation {
  table: string;
  rowid: number;
  parent: string;
  fkid: number;
}

interface ForeignKey {
  id: number;
  from: string;
}

const LISTED_PROBLEMS = 100;

/** Rows (the first hundred) whose references name nothing; runs inside the failed transaction. */
function danglingReferences(db: Database.Database): { problems: FieldProblem[]; total: number } {
  const violations = db.prepare<[], ForeignKeyViolation>('PRAGMA foreign_key_check').all();
  const keysOf = new Map<string, ForeignKey[]>();
  const problems = violations.slice(0, LISTED_PROBLEMS).map((v): FieldProblem => {
    if (!keysOf.has(v.table)) {
      keysOf.set(v.table, db.prepare<[], ForeignKey>(`PRAGMA foreign_key_list("${v.table}")`).all());
    }
    const column = keysOf.get(v.table)!.find((k) => k.id === v.fkid)?.from ?? '?';
    const id = db.prepare(`SELECT "${column}" FROM "${v.table}" WHERE rowid = ?`).pluck().get(v.rowid);
    return {
      file: v.table,
      line: 0,
      column: fieldName(column),
      reason: `"${String(id)}" is not a known ${NOUN[v.parent] ?? v.parent}`,
    };
  });
  return { problems, total: violations.length };
}

/**
 * Commits the open transaction. On failure it rolls back and rethrows; references to unknown
 * records become a ValidationError listing each table, field and id.
 */
export function commitOrRollBack(db: Database.Database, file: string): void {
  try {
    db.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' && db.inTransaction) {
      const { problems, total } = danglingReferences(db);
      db.exec('ROLLBACK');
      throw new ValidationError(problems, total);
    }
    if (db.inTransaction) db.exec('ROLLBACK');
    throw describeLockFailure(err, file);
  }
}

/**
 * Opens a write transaction without blocking the thread: tries for the write lock without SQLite's
 * busy wait and, while another connection holds it, tries again on a timer (`retryWhileBusy`, so
 * that the event loop serves other requests meanwhile) until BUSY_TIMEOUT_MS after `waitFrom`, then
 * throws StoreBusyError. `check` runs before each try (it may throw to give up); `onWait` is told
 * once, before the first pause, when another connection holds the lock and there is time left to
 * wait. Resolves with the transaction open: the caller must write and commit (or roll back) before
 * it next awaits.
 */
export async function beginWriteWhenFree(
  db: Database.Database,
  file: string,
  waitFrom: number,
  check?: () => void,
  onWait?: () => void,
): Promise<void> {
  try {
    await retryWhileBusy(db, waitFrom, () => db.exec('BEGIN IMMEDIATE'), check, onWait);
  } catch (err) {
    throw describeLockFailure(err, file);
  }
}

/**
 * Runs `work` in one write transaction, all of it written or none, once the write lock is free
 * (`beginWriteWhenFree`, which waits on a timer up to BUSY_TIMEOUT_MS after `waitFrom`).
 */
export async function inWriteTransactionWhenFree<T>(
  db: Database.Database,
  file: string,
  work: () => T,
  waitFrom: number,
  check?: () => void,
): Promise<T> {
  await beginWriteWhenFree(db, file, waitFrom, check);
  return finishWrite(db, file, work);
}

/** Runs `work` in the write transaction just begun, then commits, or rolls back if it throws. */
function finishWrite<T>(db: Database.Database, file: string, work: () => T): T {
  let result: T;
  try {
    result = work();
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  commitOrRollBack(db, file);
  return result;
}

/**
 * A lock timeout becomes StoreBusyError, which says what to do and which the API answers as it
 * answers Neo4j's import lock; other errors pass unchanged.
 */
export function describeLockFailure(err: unknown, file: string): unknown {
  if (!isBusy(err)) return err;
  return new StoreBusyError(
    `${lockedByAnotherWriter(file)}; nothing was written: try again when it ends`,
    null,
    err,
    'every-write',
  );
}

/** Who holds the write lock a write waits for, as far as this process can tell. */
export function lockedByAnotherWriter(file: string): string {
  return `${file} is locked by another writer (an import in another process?)`;
}
