/**
 * A child process (a script beside this file, run with tsx) that holds something until told to
 * let it go: it says `ready` over IPC once it holds it, and answers `finish` with `finished`.
 * Shared by ./importing-process.ts and ./locking-process.ts.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

export interface HoldingChild {
  /** Its process id. */
  pid: number;
  /** Sends `finish` and resolves once the child has answered `finished` and exited. */
  finish(): Promise<void>;
  /** Kills it, letting go of what it held; does nothing once it has ended. */
  kill(): Promise<void>;
}

/** The words a child says and is told, and what it does, for the errors. */
export interface ChildWords {
  ready: string;
  finish: string;
  finished: string;
  /** "the importing process", "the locking process" */
  name: string;
  /** "wrote", "locked" */
  readyVerb: string;
  /** "commit", "release its lock" */
  finishVerb: string;
}

/** Starts `script` with `args`; resolves once it has said it is ready. */
export async function holdingChild(script: string, args: string[], words: ChildWords): Promise<HoldingChild> {
  const child = fork(path.join(__dirname, script), args, {
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
  if (!(await said(words.ready)))
    throw new Error(`${words.name} ended before it ${words.readyVerb}: ${stderr}`);
  return {
    pid: child.pid!,
    async finish() {
      const finished = said(words.finished);
      child.send(words.finish);
      if (!(await finished)) throw new Error(`${words.name} did not ${words.finishVerb}: ${stderr}`);
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
