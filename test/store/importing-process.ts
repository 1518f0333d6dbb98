/**
 * Another process importing into an embedded store (./embedded-import-child.ts): its import holds
 * SQLite's write lock on the store's file until it commits or the process is killed.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

export interface ImportingProcess {
  /** Commits its import and resolves once the process has exited. */
  commit(): Promise<void>;
  /** Kills it, rolling its import back; does nothing once it has ended. */
  kill(): Promise<void>;
}

/** Starts the process on the store in `dataDir`; resolves once its import has written its batch. */
export async function importingProcess(dataDir: string): Promise<ImportingProcess> {
  const child = fork(path.join(__dirname, 'embedded-import-child.ts'), [dataDir], {
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
  if (!(await said('written'))) throw new Error(`the importing process ended before it wrote: ${stderr}`);
  return {
    async commit() {
      const committed = said('committed');
      child.send('commit');
      if (!(await committed)) throw new Error(`the importing process did not commit: ${stderr}`);
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
