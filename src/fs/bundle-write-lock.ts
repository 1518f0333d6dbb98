/**
 * The write lock of a bundle folder: one write (an export, a seed, a restore) into a folder at a
 * time. A second write would put back the first's files while it renames them, and could leave
 * part of each bundle. The lock is a file in the folder (WRITE_LOCK), made with O_EXCL so that only
 * one process can make it, naming its holder's pid, host, start and process start (./lock-holder.ts);
 * the holder removes it when the write ends, failed or not. A process killed while it holds it
 * (SIGKILL, a power loss) leaves it: a lock whose process is known to be gone (this host, and no
 * process of that pid running, or one that started at another time, or this host restarted since)
 * is taken over by the next write.
 */
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  makeHolderFile,
  mayBeRunning,
  readHolderFile,
  removeHolderFile,
  running,
  type FoundHolderFile,
  type LockHolder,
} from './lock-holder';

export const WRITE_LOCK = '.tracegraph-bundle-write.lock';

/** Who holds a folder's write lock, as its lock file says. */
export type WriteLockHolder = LockHolder;

/** A folder whose write lock a write that may still be running holds; the message names both. */
export class BundleFolderBusyError extends Error {
  /** The message without the folder: `is being written by pid 4711 on host since …`. */
  readonly detail: string;
  constructor(
    readonly dir: string,
    readonly holder: WriteLockHolder | null,
  ) {
    const detail = describeWrite(dir, holder);
    super(`${dir} ${detail}`);
    this.name = 'BundleFolderBusyError';
    this.detail = detail;
  }
}

function describeWrite(dir: string, holder: WriteLockHolder | null): string {
  const lockFile = path.join(dir, WRITE_LOCK);
  if (!holder)
    return (
      `is being written, or was: it holds ${WRITE_LOCK}, which does not say by which process (it is empty ` +
      `or was edited; should no export, seed or restore-bundle into it be running, remove ${lockFile})`
    );
  const by = `is being written by pid ${holder.pid} on ${holder.host} since ${holder.started}`;
  if (holder.host === hostname()) return by;
  // Whether a process of another host is running cannot be told from here.
  return `${by} (a process of another host cannot be checked: should that write have ended, remove ${lockFile})`;
}

/** The lock files this process holds: a lock naming its own pid is otherwise an earlier process's. */
const heldHere = new Set<string>();

/** Whether the write that holds the lock file `file` may still be running. */
const writeMayBeRunning = (file: string, holder: LockHolder | null): boolean =>
  mayBeRunning(holder, heldHere.has(path.resolve(file)));

/** The write that holds `dir`'s lock and may still be running, or null when none does. */
export function runningWriteOf(dir: string): BundleFolderBusyError | null {
  const found = readHolderFile(path.join(dir, WRITE_LOCK));
  if (!found || !writeMayBeRunning(path.join(dir, WRITE_LOCK), found.holder)) return null;
  return new BundleFolderBusyError(dir, found.holder);
}

/** The name a stale lock is moved to by the process taking it over, before it is removed. */
const asideName = (pid: number): string => `${WRITE_LOCK}.${pid}.stale`;

/**
 * Removes `found`, a lock left by a write no longer running, unless another process took it over
 * first. It is moved aside, then checked to be the very file judged: between the look and the move,
 * another process may have removed it and made its own, which is then put back.
 */
function removeStale(dir: string, found: FoundHolderFile): void {
  const file = path.join(dir, WRITE_LOCK);
  const aside = path.join(dir, asideName(process.pid));
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = lstatSync(aside);
  if (moved.dev === found.dev && moved.ino === found.ino && readFileSync(aside, 'utf8') === found.text)
    rmSync(aside, { force: true });
  else renameSync(aside, file);
}

/** Removes the stale locks that processes killed while taking one over left aside. */
function removeDeadAsides(dir: string): void {
  for (const name of readdirSync(dir)) {
    const aside = /^(.+)\.(\d+)\.stale$/.exec(name);
    if (aside && aside[1] === WRITE_LOCK && !running(Number(aside[2])))
      rmSync(path.join(dir, name), { force: true });
  }
}

/** How a write taking a bundle folder's lock is told that it took over one a gone write left. */
export interface TakeOverOptions {
  onTakeOver?: (message: string) => void;
}

/** How many locks left by gone writes one take may remove before it gives up. */
const MAX_TAKE_OVERS = 10;

/** This process's write lock on a bundle folder, until `release`. */
export class BundleWriteLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  /**
   * Takes `dir`'s write lock. Throws BundleFolderBusyError when a write that may still be running
   * holds it; a lock whose write is known to be gone is removed first, and `onTakeOver` told so.
   */
  static take(dir: string, options: TakeOverOptions = {}): BundleWriteLock {
    const file = path.join(dir, WRITE_LOCK);
    for (let takeOvers = 0; ;) {
      const text = makeHolderFile(file);
      if (text !== null) {
        heldHere.add(path.resolve(file));
        const lock = new BundleWriteLock(file, text);
        try {
          removeDeadAsides(dir);
        } catch (err) {
          lock.release();
          throw err;
        }
        return lock;
      }
      const found = readHolderFile(file);
      // Removed between the two looks: its write ended.
      if (!found) continue;
      if (writeMayBeRunning(file, found.holder) || takeOvers >= MAX_TAKE_OVERS)
        throw new BundleFolderBusyError(dir, found.holder);
      removeStale(dir, found);
      takeOvers++;
      const { pid, host, started } = found.holder!;
      options.onTakeOver?.(
        `${dir}: taking over the write lock left by pid ${pid} on ${host} since ${started}, which is no longer running`,
      );
    }
  }

  /** Removes the lock file, if it is still this process's (never another's); safe to call again. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(path.resolve(this.file));
    // Should it be left, a lock naming a process no longer running is taken over.
    removeHolderFile(this.file, this.text);
  }
}
