/**
 * The holder a lock file in a bundle folder names (a write's lock, ./bundle-write-lock.ts, or an
 * import's read marker, ./bundle-read-marker.ts), and whether that process is known to be gone.
 * A pid alone cannot say so: once a process has ended the system may give its pid to another, which
 * would keep the file looking held until the machine restarts. So the file also records when its
 * process started as the kernel counts it (Linux), which a later process of the same pid does not share.
 */
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { formatUtcSecond } from '../domain/time';

/** Who holds a lock file, as the file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When it took the lock, ISO 8601 UTC to the second. */
  started: string;
  /** The Linux boot the holder ran in (/proc/sys/kernel/random/boot_id), or null where there is none. */
  boot: string | null;
  /**
   * When the holder's process started, in clock ticks after `boot` (field 22, starttime, of
   * /proc/<pid>/stat); null where the system does not say, and in files written before it was recorded.
   */
  processStart: number | null;
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
export function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** The field of /proc/<pid>/stat that says when the process started (fields are counted from 1). */
const STARTTIME_FIELD = 22;

/**
 * The start of the process a /proc/<pid>/stat line describes (its field 22), or null when the line
 * does not have one. Field 2 is the command in parentheses, which may itself hold spaces and
 * parentheses: the fields from 3 on follow the last `)`.
 */
export function startInStat(stat: string): number | null {
  const commandEnd = stat.lastIndexOf(')');
  if (commandEnd < 0) return null;
  const field = stat
    .slice(commandEnd + 1)
    .trim()
    .split(/\s+/)[STARTTIME_FIELD - 3];
  if (field === undefined || !/^\d+$/.test(field)) return null;
  const start = Number(field);
  return Number.isSafeInteger(start) ? start : null;
}

/** When process `pid` started, in clock ticks after boot; null where /proc does not say (or it is gone). */
export function processStartOf(pid: number): number | null {
  try {
    return startInStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Whether the process `holder` names may still be running; false only when it is known to be gone:
 * it is of this host, and this host has restarted since, or no process of that pid runs, or the
 * one that does started at another time (a later process given the same pid). A holder naming this
 * process is this process only when `heldHere`: otherwise an earlier process of the same pid.
 */
export function mayBeRunning(holder: LockHolder | null, heldHere: boolean): boolean {
  if (!holder || holder.host !== hostname()) return true;
  const boot = currentBoot();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) return false;
  if (holder.pid === process.pid) return heldHere;
  if (!running(holder.pid)) return false;
  // A start in clock ticks after boot compares only within one boot.
  if (holder.processStart === null || holder.boot === null || boot === null) return true;
  const start = processStartOf(holder.pid);
  return start === null || start === holder.processStart;
}

/** What the lock file `text` says of its holder; null when it does not say (empty, or edited). */
export function parseHolder(text: string): LockHolder | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const lock = parsed as Partial<LockHolder> | null;
  if (
    typeof lock?.pid !== 'number' ||
    !Number.isSafeInteger(lock.pid) ||
    lock.pid <= 0 ||
    typeof lock.host !== 'string' ||
    typeof lock.started !== 'string' ||
    !(lock.boot === null || typeof lock.boot === 'string')
  )
    return null;
  // Files written before the start was recorded have none: such a holder is judged by its pid alone.
  const processStart = lock.processStart ?? null;
  if (processStart !== null && !(Number.isSafeInteger(processStart) && processStart >= 0)) return null;
  return { pid: lock.pid, host: lock.host, started: lock.started, boot: lock.boot, processStart };
}

/** A lock file as found: its text and identity (to tell it from one made since), and its holder. */
export interface FoundHolderFile {
  text: string;
  dev: number;
  ino: number;
  /** Null when the file does not say (empty, or edited). */
  holder: LockHolder | null;
}

/** Pauses this thread: locks are looked at before a write or a read starts, where nothing else waits. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How long a lock file that does not say its holder is read again: its maker may be writing it. */
const UNREADABLE_RETRY_MS = 1_000;
const RETRY_PAUSE_MS = 50;

/** The lock file `file`, or null when there is none. */
export function readHolderFile(file: string): FoundHolderFile | null {
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

let ownStart: number | null | undefined;

/** This process as a lock file names it, from now. */
function thisProcess(): LockHolder {
  if (ownStart === undefined) ownStart = processStartOf(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    started: formatUtcSecond(Date.now()),
    boot: currentBoot(),
    processStart: ownStart,
  };
}

/**
 * Makes the lock file `file` (O_EXCL: only one process can) naming this process, and returns its
 * text; null when the file is there already. Any other failure is thrown, and nothing is left.
 */
export function makeHolderFile(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
  const text = `${JSON.stringify(thisProcess())}\n`;
  let written = false;
  try {
    writeSync(fd, text);
    // Whole on disk: after a power loss an empty file would not say that its holder is gone.
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(file, { force: true });
  }
  return text;
}

/** Removes the lock file `file` if it still says `text` (never another holder's); quietly. */
export function removeHolderFile(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch {
    // Gone already, or left: a file naming a process no longer running is ignored, then removed.
  }
}
