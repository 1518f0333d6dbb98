/**
 * Another process holding a lock on an embedded store's database file (./sqlite-lock-child.ts)
 * through a plain SQLite connection: its write lock, or (`exclusive`) the whole file.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

export interface LockingProcess {
  /** Releases the lock and resolves once the process has exited. */
  release(): Promise<void>;
  /** Kills it, releasing the lock; does nothing once it has ended. */
  kill(): Promise<void>;
}

/** Starts the process on `file`; resolves once it holds the lock. */
export async function lockingProcess(file: string, lock: 'write' | 'exclusive'): Promise<LockingProcess> {
  const child = fork(path.join(__dirname, 'sqlite-lock-child.ts'), [file, lock], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const said = (word: string): Promise<boolean> =>
    Promise.race([
      new Promise<boolean>((resolve) => child.on('message', (m) => m === word && resolve(true))),
      exited.then(() => false),
    ]);
  if (!(await said('locked'))) throw new Error(`the locking process ended before it locked: ${stderr}`);
  return {
    async release() {
      const released = said('released');
      child.send('release');
      if (!(await released)) throw new Error(`the locking process did not release its lock: ${stderr}`);
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
