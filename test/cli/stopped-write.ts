/**
 * A bundle write run as a user runs it, that stops itself (SIGSTOP) at a chosen point of its commit
 * (TRACEGRAPH_TEST_STOP_AT, test only, src/fs/stop-in-tests.ts, its points in src/fs/staged-bundle.ts),
 * so that a test can look at the folder there, run other commands, then let it go on or kill it.
 * An import stops the same way between its two passes (`validated`, src/cli/checked-import.ts).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WRITE_LOCK } from '../../src/fs/bundle-write-lock';
import { BIN, cliEnv, type CliResult } from './run-cli';

/** What the write lock file of `dir` says. */
export function lockIn(dir: string): {
  pid: number;
  host: string;
  started: string;
  boot: string | null;
  processStart?: number | null;
} {
  return JSON.parse(readFileSync(path.join(dir, WRITE_LOCK), 'utf8')) as ReturnType<typeof lockIn>;
}

/** Every entry of a folder: the SHA-256 of a file's bytes, or 'folder'. */
export function contents(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)))
    state[entry.name] = entry.isDirectory()
      ? 'folder'
      : createHash('sha256')
          .update(readFileSync(path.join(dir, entry.name)))
          .digest('hex');
  return state;
}

export interface StoppedWrite {
  /** The process that writes (bin/tracegraph.js restarts itself: the one it names). */
  pid: number;
  /** Settles once the command has ended, with its output (stderr from the start). */
  ended: Promise<CliResult>;
  /** Lets it go on from where it stopped. */
  resume(): void;
  /** Kills it there (SIGKILL, as a power loss stops it) and waits until it is gone. */
  kill(): Promise<void>;
}

/** Runs `tracegraph ...args` until it stops at `point`. */
export async function stoppedAt(point: string, args: readonly string[]): Promise<StoppedWrite> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cliEnv({ TRACEGRAPH_TEST_STOP_AT: point }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const ended = new Promise<CliResult>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  const pid = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const stopped = /^stopped at (\S+) \(pid (\d+)\)$/m.exec(stderr);
      if (stopped) resolve(Number(stopped[2]));
    });
    void ended.then(({ code }) =>
      reject(new Error(`the write did not stop at ${point}: it exited ${code}, stderr: ${stderr}`)),
    );
  });
  // It says so just before it stops: a SIGCONT sent in between would be lost.
  await untilStopped(pid);
  return {
    pid,
    ended,
    resume: () => process.kill(pid, 'SIGCONT'),
    kill: async () => {
      process.kill(pid, 'SIGKILL');
      // Once the command has ended, the killed process is gone (waited for), its pid free.
      await ended;
    },
  };
}

/** Resolves once process `pid` is stopped (its state in /proc/<pid>/stat is T). */
async function untilStopped(pid: number): Promise<void> {
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command's name, which is in parentheses and may hold any character.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
