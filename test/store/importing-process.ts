/**
 * Another process importing into an embedded store (./embedded-import-child.ts): its import holds
 * SQLite's write lock on the store's file until it commits or the process is killed.
 */
import { holdingChild } from './child-process-holder';

export interface ImportingProcess {
  /** Commits its import and resolves once the process has exited. */
  commit(): Promise<void>;
  /** Kills it, rolling its import back; does nothing once it has ended. */
  kill(): Promise<void>;
}

/** Starts the process on the store in `dataDir`; resolves once its import has written its batch. */
export async function importingProcess(dataDir: string): Promise<ImportingProcess> {
  const child = await holdingChild('embedded-import-child.ts', [dataDir], {
    ready: 'written',
    finish: 'commit',
    finished: 'committed',
    name: 'the importing process',
    readyVerb: 'wrote',
    finishVerb: 'commit',
  });
  return { commit: () => child.finish(), kill: () => child.kill() };
}
