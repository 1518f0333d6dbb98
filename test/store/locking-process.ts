/**
 * Another process holding a lock on an embedded store's database file (./sqlite-lock-child.ts)
 * through a plain SQLite connection: its write lock, or (`exclusive`) the whole file.
 */
import { holdingChild } from './child-process-holder';

export interface LockingProcess {
  /** Releases the lock and resolves once the process has exited. */
  release(): Promise<void>;
  /** Kills it, releasing the lock; does nothing once it has ended. */
  kill(): Promise<void>;
}

/** Starts the process on `file`; resolves once it holds the lock. */
export async function lockingProcess(file: string, lock: 'write' | 'exclusive'): Promise<LockingProcess> {
  const child = await holdingChild('sqlite-lock-child.ts', [file, lock], {
    ready: 'locked',
    finish: 'release',
    finished: 'released',
    name: 'the locking process',
    readyVerb: 'locked',
    finishVerb: 'release its lock',
  });
  return { release: () => child.finish(), kill: () => child.kill() };
}
