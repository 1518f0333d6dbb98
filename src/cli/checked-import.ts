/**
 * Importing a bundle as `import` and `start` do. Into a folder with no store, the bundle is
 * validated against an empty store (what a store never made holds) before the store is made, so
 * that a refused bundle leaves no store behind for stats or report to read as an outbreak with no
 * cases; should the store or the write fail all the same (a full disk, a write error), what was
 * made for the import is removed again. Neo4j is a server, not a folder: nothing is made there
 * before the write. The bundle folder is marked as being read while the import runs
 * (`whileReadingBundle`), so that no export or seed replaces its files between the two passes.
 */
import { closeSync, openSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  importBundle,
  validateForImport,
  writeBundle,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from '../import/import';
import { EMPTY_STORE, whileReadingBundle } from '../import/validate';
import { makeFolders } from '../fs/folders';
import { stopHereInTests } from '../fs/stop-in-tests';
import { storeExists, type StoreConfig, type TraceStore } from '../store';
import { DATABASE_FILE } from '../store/embedded';
import { openConfiguredStore, UndoneError, type CliIo } from './context';

/**
 * What an import waiting for another writer says before it waits (on Neo4j before it has read
 * anything; on the embedded store once it has validated the bundle, before it writes).
 */
export function waitingNotice(holder: string, dir: string, giveUpAfterMs?: number): string {
  const upTo = giveUpAfterMs === undefined ? '' : `up to ${giveUpAfterMs / 1000} s `;
  return `${holder}: waiting ${upTo}for it to end before importing ${dir} (Ctrl-C stops this import; nothing is written until then)\n`;
}

export interface CheckedImportOptions {
  onProgress?(progress: ImportProgress): void;
  /** `start`: a store that holds persons already is left alone, the bundle unread. */
  onlyIntoEmpty?: boolean;
  /** Told just before the bundle is read. */
  onLoading?(): void;
}

export interface StoreWithImport<Imported = ImportSummary> {
  /** The store, open: the caller closes it. */
  store: TraceStore;
  imported: Imported;
}

/**
 * Opens the configured store and imports the bundle `dir` into it (with `onlyIntoEmpty`, only if
 * the store holds no persons: `imported` is null otherwise). Every failure closes the store; one
 * of the import that made the store also removes what it made (`undoStoreMade`).
 */
export async function openAndImport(
  config: StoreConfig,
  io: CliIo,
  dir: string,
  options?: CheckedImportOptions & { onlyIntoEmpty?: false },
): Promise<StoreWithImport>;
export async function openAndImport(
  config: StoreConfig,
  io: CliIo,
  dir: string,
  options: CheckedImportOptions,
): Promise<StoreWithImport<ImportSummary | null>>;
export async function openAndImport(
  config: StoreConfig,
  io: CliIo,
  dir: string,
  options: CheckedImportOptions = {},
): Promise<StoreWithImport<ImportSummary | null>> {
  const importOptions: ImportOptions = {
    onProgress: options.onProgress,
    onWait: (holder, giveUpAfterMs) => void io.stderr.write(waitingNotice(holder, dir, giveUpAfterMs)),
  };
  if (!storeExists(config)) {
    options.onLoading?.();
    return whileReadingBundle(dir, async () => {
      const validated = await validateForImport(EMPTY_STORE, dir, importOptions);
      stopHereInTests('validated');
      const made = makeStoreFile(config.dataDir);
      let store: TraceStore | null = null;
      try {
        store = await openConfiguredStore(config, io);
        // If another import made and filled the store meanwhile, writing validates again against it.
        return { store, imported: await writeBundle(store, validated, importOptions) };
      } catch (err) {
        throw await undoStoreMade(err, made, store, config.dataDir);
      }
    });
  }
  const store = await openConfiguredStore(config, io);
  try {
    if (options.onlyIntoEmpty && (await store.counts()).persons > 0) return { store, imported: null };
    options.onLoading?.();
    return { store, imported: await whileReadingBundle(dir, () => importBundle(store, dir, importOptions)) };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

/** What an import made for a store in a folder that had none. */
interface StoreMade {
  /** The folders made, outermost first. */
  folders: string[];
  /** The database file, when this import made it; null when it could not, or another process did. */
  file: string | null;
}

/**
 * Makes the data folder and an empty database file in it (SQLite takes an empty file for an empty
 * database), the file only if it is not there: made here, it is known to be this import's alone,
 * even should another process make a store in the folder at the same moment. Anything that fails
 * is left for opening the store to report, naming the folder.
 */
function makeStoreFile(dataDir: string): StoreMade {
  let folders: string[];
  try {
    folders = makeFolders(dataDir);
  } catch {
    return { folders: [], file: null };
  }
  const file = path.join(dataDir, DATABASE_FILE);
  try {
    closeSync(openSync(file, 'wx'));
    return { folders, file };
  } catch {
    return { folders, file: null };
  }
}

/**
 * After a failed first import: closes the store and removes the database file this import made,
 * with SQLite's files beside it, unless the store holds records (another process wrote them: the
 * embedded store's imports take no lock), then the folders it made, unless something else is in
 * them now. Returns the error to throw: `err`, saying what became of the store.
 */
async function undoStoreMade(
  err: unknown,
  made: StoreMade,
  store: TraceStore | null,
  dataDir: string,
): Promise<unknown> {
  const records = store
    ? await store.counts().then(
        (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0),
        () => null,
      )
    : 0;
  await store?.close().catch(() => undefined);
  let failure = err;
  if (made.file && records !== 0) {
    const why = records === null ? 'it could not be read' : 'another process wrote to it meanwhile';
    failure = new UndoneError(err, `the store made for this import (${made.file}) is kept: ${why}`);
  } else if (made.file) {
    try {
      for (const file of sqliteFiles(made.file)) rmSync(file, { force: true });
      failure = new UndoneError(
        err,
        `the store made for this import (${made.file}) was removed again: ${dataDir} is as it was before`,
      );
    } catch (removal) {
      const reason = (removal as Error).message;
      failure = new UndoneError(
        err,
        `the store made for this import (${made.file}) could not be removed: ${reason}`,
      );
    }
  }
  for (const folder of [...made.folders].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      // Something is in it (a store kept, another's file): it stays, and so do the folders above it.
      break;
    }
  }
  return failure;
}

/** The database file and the files SQLite keeps beside it: its write-ahead log, shared memory and rollback journal. */
function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}
