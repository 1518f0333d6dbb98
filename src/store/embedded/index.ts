/**
 * Opens the embedded store: `<dataDir>/tracegraph.db`, a SQLite database in WAL mode, created
 * and migrated on first use.
 */
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';
import type { MigrationReport, TraceStore } from '../port';
import { databaseFileIn, openConnection } from './connection';
import { migrateSchema } from './schema';
import { EmbeddedStore } from './store';

/**
 * Opens (creating if needed) the store in `dataDir`, with its schema up to date (`report` is told
 * of each migration applied to records already stored). Throws StoreUnavailableError naming the
 * path when the directory or file cannot be used, StoreBusyError when another process holds the
 * file past the busy timeout (its write lock while the schema must be upgraded, or the whole file).
 * For the whole file it waits in SQLite, blocking the thread (the store's reads and writes wait on
 * a timer instead): a command opens its store before any other work, a server before it listens,
 * and an analysis worker in a thread of its own. For the write lock, the upgrade waits on a timer,
 * telling `report` (./schema.ts).
 */
export async function openEmbeddedStore(dataDir: string, report?: MigrationReport): Promise<TraceStore> {
  const file = databaseFileIn(dataDir);
  const db = openConnection(file);
  try {
    // The store's statements are prepared against the schema, so it must exist first;
    // migrate() stays available (and idempotent) for the port.
    await migrateSchema(db, report);
    return new EmbeddedStore(db, file);
  } catch (err) {
    db.close();
    // Another process holds the file (its import): busy, not out of reach.
    if (err instanceof StoreBusyError) throw err;
    // Duck-typed: better-sqlite3's errors may come from another realm (e.g. a test sandbox).
    const reason = typeof (err as Error)?.message === 'string' ? (err as Error).message : String(err);
    throw new StoreUnavailableError(
      reason.includes(file) ? reason : `cannot open database "${file}": ${reason}`,
      err,
    );
  }
}

export { DATABASE_FILE } from './connection';
export { EmbeddedStore } from './store';
