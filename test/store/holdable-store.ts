/**
 * An embedded store whose file another process can hold whole (./locking-process.ts, `exclusive`)
 * while the store has it open, so that the store's own reads meet SQLITE_BUSY.
 *
 * The store opens its file in WAL mode, where a connection keeps a shared lock on the file for as
 * long as it is open: another process can then take the file whole only before the store opens it,
 * and a read through an open store meets SQLITE_BUSY only while another process recovers the WAL,
 * which a test cannot hold. Here the file is switched to rollback-journal mode once open, where an
 * idle connection holds no lock: another process can take the file whole at any time, and each read
 * then meets SQLITE_BUSY until it lets go. The connection keeps every other pragma of the store's
 * (its busy timeout included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordBatch } from '../../src/domain/types';
import { EmbeddedStore } from '../../src/store/embedded';
import { DATABASE_FILE, openConnection } from '../../src/store/embedded/connection';
import { migrateSchema } from '../../src/store/embedded/schema';

export interface HoldableStore {
  store: EmbeddedStore;
  /** The database file, for the holding process. */
  file: string;
  dispose(): Promise<void>;
}

/** A store in a fresh temp dir (named from `prefix`) holding `batch`, which another process can hold whole. */
export async function holdableStoreWith(batch: RecordBatch, prefix: string): Promise<HoldableStore> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, DATABASE_FILE);
  const db = openConnection(file);
  const journal = db.pragma('journal_mode = DELETE', { simple: true });
  if (journal !== 'delete') throw new Error(`${file}: the journal stayed ${String(journal)}`);
  await migrateSchema(db);
  const store = new EmbeddedStore(db, file);
  await store.write(batch);
  return {
    store,
    file,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
