/**
 * The write lock of a bundle folder: one write (an export, a seed, a restore) into a folder at a
 * time. A second write would put back the first's files while it renames them, and could leave
 * part of each bundle. The lock is a file in the folder (WRITE_LOCK), made with O_EXCL so that only
 * one process can make it, naming its holder's pid, host and start; the holder removes it when the
 * write ends, failed or not. A process killed while it holds it (SIGKILL, a power loss) leaves it:
 * a lock whose process is known to be gone (this host, and no process of that pid running, or
 * this host restarted since) is taken over by the next write.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const WRITE_LOCK = '.tracegraph-bundle-write.lock';

/** Who holds a folder's write lock, as its lock file says. */
export interface WriteLockHolder {
  pid: number;
  host: string;
  /** When it took the lock, ISO 8601 UTC to the second. */
  started: string;
  /** The Linux boot the holder ran in (/proc/sys/kernel/random/boot_id), or null where there is none. */
  boot: string | null;
}

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

/** Whether process `pid` (not this one) is running: a file it names may still be in use. */
export function running(pid: number): boolean {
  if (pid === process.pid) return false;
  // Not a pid a process can have: not known to be gone.
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let bootId: string | null | undefined;

/** This boot of the machine (Linux); null where the system does not say. */
function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** The lock files this process holds: a lock naming its own pid is otherwise an earlier process's. */
const heldHere = new Set<string>();

/** A lock file as found: its text and identity (to tell it from one made since), and its holder. */
interface FoundLock {
  text: string;
  dev: number;
  ino: number;
  /** Null when the file does not say (empty, or edited). */
  holder: WriteLockHolder | null;
}

function parseHolder(text: string): WriteLockHolder | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const lock = parsed as Partial<WriteLockHolder> | null;
  if (
    typeof lock?.pid !== 'number' ||
    !Number.isSafeInteger(lock.pid) ||
    lock.pid <= 0 ||
    typeof lock.host !== 'string' ||
    typeof lock.started !== 'string' ||
    !(lock.boot === null || typeof lock.boot === 'string')
  )
    return null;
  return { pid: lock.pid, host: lock.host, started: lock.started, boot: lock.boot };
}

/** Pauses this thread: the lock is taken before a write starts, where nothing else waits. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How long a lock file that does not say its holder is read again: its maker may be writing it. */
const UNREADABLE_RETRY_MS = 1_000;
const RETRY_PAUSE_MS = 50;

/** The lock file of `dir`, or null when there is none. */
function findLock(dir: string): FoundLock | null {
  const file = path.join(dir, WRITE_LOCK);
  for (let waited = 0; ; waited += RETRY_PAUSE_MS) {
    let text: string;
    let entry;
    try {
      entry = lstatSync(file);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const holder = parseHolder(text);
    if (holder || waited >= UNREADABLE_RETRY_MS) return { text, dev: entry.dev, ino: entry.ino, holder };
    // Made (O_EXCL) an instant ago, its holder not yet written in it.
    pause(RETRY_PAUSE_MS);
  }
}

/** Whether the write that holds `lock` may still be running; false only when it is known to be gone. */
function mayBeRunning(file: string, holder: WriteLockHolder | null): boolean {
  if (!holder || holder.host !== hostname()) return true;
  const boot = currentBoot();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) return false;
  if (holder.pid === process.pid) return heldHere.has(path.resolve(file));
  return running(holder.pid);
}

/** The write that holds `dir`'s lock and may still be running, or null when none does. */
export function runningWriteOf(dir: string): BundleFolderBusyError | null {
  const found = findLock(dir);
  if (!found || !mayBeRunning(path.join(dir, WRITE_LOCK), found.holder)) return null;
  return new BundleFolderBusyError(dir, found.holder);
}

/** Makes the lock file for this process and returns what it says, or null when one is there. */
function make(file: string): WriteLockHolder | null {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
  const holder: WriteLockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    boot: currentBoot(),
  };
  let written = false;
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    // Whole on disk: after a power loss an empty lock would not say that its holder is gone.
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(file, { force: true });
  }
  return holder;
}

/** The name a stale lock is moved to by the process taking it over, before it is removed. */
const asideName = (pid: number): string => `${WRITE_LOCK}.${pid}.stale`;

/**
 * Removes `found`, a lock left by a write no longer running, unless another process took it over
 * first. It is moved aside, then checked to be the very file judged: between the look and the move,
 * another process may have removed it and made its own, which is then put back.
 */
function removeStale(dir: string, found: FoundLock): void {
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
      const holder = make(file);
      if (holder) {
        heldHere.add(path.resolve(file));
        const lock = new BundleWriteLock(file, `${JSON.stringify(holder)}\n`);
        try {
          removeDeadAsides(dir);
        } catch (err) {
          lock.release();
          throw err;
        }
        return lock;
      }
      const found = findLock(dir);
      // Removed between the two looks: its write ended.
      if (!found) continue;
      if (mayBeRunning(file, found.holder) || takeOvers >= MAX_TAKE_OVERS)
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
    try {
      if (readFileSync(this.file, 'utf8') === this.text) rmSync(this.file, { force: true });
    } catch {
      // Gone already, or left: a lock naming a process no longer running is taken over.
    }
  }
}
