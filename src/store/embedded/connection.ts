/**
 * Embedded store connections: the data directory, the database file in it, and the pragmas every
 * connection runs with (WAL journal, synchronous FULL so a commit survives a crash or power loss,
 * deferred foreign keys enforced).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';
import { makeFolders } from '../../fs/folders';

export const DATABASE_FILE = 'tracegraph.db';

/**
 * How long a connection waits for another process's lock before giving up. SQLite's own wait (the
 * busy timeout) blocks the thread: the store's reads and writes wait instead on a timer
 * (./busy-wait.ts), up to the same time, so that a server answers other requests meanwhile.
 * Opening the store (./index.ts) keeps SQLite's wait.
 */
export const BUSY_TIMEOUT_MS = 5_000;
/** Page cache per connection, in KiB: keeps the window indexes' hot pages in memory during an import. */
const CACHE_KIB = 32 * 1024;

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'it (or a folder above it) is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      // Duck-typed: better-sqlite3's errors may come from another realm (e.g. a test sandbox).
      return typeof (err as Error)?.message === 'string' ? (err as Error).message : String(err);
  }
}

/**
 * Creates the data directory if needed and returns the database file's path in it.
 * Throws StoreUnavailableError naming the directory when it cannot hold the database.
 */
export function databaseFileIn(dataDir: string): string {
  try {
    // Not mkdirSync(dataDir, { recursive: true }), which loops for ever on /proc/nope (src/fs/folders.ts).
    makeFolders(dataDir);
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new StoreUnavailableError(`cannot use data directory "${dataDir}": ${reasonOf(err)}`, err);
  }
  return path.join(dataDir, DATABASE_FILE);
}

/** Opens one connection to the database file with the store's pragmas. */
export function openConnection(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const journal = db.pragma('journal_mode = WAL', { simple: true });
    if (journal !== 'wal')
      throw new Error(`the journal cannot be switched to WAL (it is ${String(journal)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    return db;
  } catch (err) {
    db?.close();
    if (isBusy(err)) throw readRefused(file, err);
    throw new StoreUnavailableError(`cannot open database "${file}": ${reasonOf(err)}`, err);
  }
}

/** Whether an error is SQLite giving up on a lock another connection holds (SQLITE_BUSY, SQLITE_LOCKED and their extended codes). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

/** A read refused because another process holds the database (e.g. in exclusive locking mode). */
export function readRefused(file: string, err: unknown): StoreBusyError {
  return new StoreBusyError(
    `${file} is locked by another process; nothing was read: try again when it ends`,
    null,
    err,
    'every-write',
    'read',
  );
}
