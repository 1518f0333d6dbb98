/**
 * Writing a bundle folder so that a failure leaves it as it was. Every file is written under a
 * temporary name beside its own (`stays.csv.<pid>.partial`), and the files are renamed into place
 * only once all nine are complete; should a rename fail, those already renamed are put back. A
 * folder made for the bundle is removed again when the write fails. Other files in the folder are
 * left alone, but a `.csv` file the format does not name is refused up front: import would refuse
 * the bundle for it.
 *
 * A process killed while it renames (SIGKILL, a power loss) cannot put anything back itself, so
 * before the first rename the swap is written down in the folder (SWAP_JOURNAL, made whole under a
 * temporary name, synced, then renamed), and that journal is removed only once every file is in
 * place. While it is there, every file the swap moved aside is still there too, so the folder can
 * always be put back to the bundle it held before: import refuses a folder with a journal, and the
 * next write into it first puts the earlier bundle back (`recoverInterruptedWrite`), as does
 * `restoreInterruptedWrite` alone. A write holds the folder's write lock (./bundle-write-lock.ts)
 * from before it looks at the folder until it ends: two writes at once would mix their files. It
 * is refused while an import reads the folder (./bundle-read-marker.ts), which would read files
 * of two bundles.
 */
import { once } from 'node:events';
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILE_SPECS, type FileName } from '../domain/records';
import { BundleFolderReadError, removeGoneReadMarkers, runningReadOf } from './bundle-read-marker';
import { BundleFolderBusyError, BundleWriteLock, type TakeOverOptions } from './bundle-write-lock';
import { FolderError, makeFolders } from './folders';
import { running } from './lock-holder';
import { stopHereInTests } from './stop-in-tests';
import { reasonOf } from './system-error';

/** A bundle that cannot be written (or put back) where asked; the message names the folder or the file. */
export class BundleWriteError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'BundleWriteError';
  }
}

const BUNDLE_FILES: readonly FileName[] = FILE_SPECS.map((spec) => spec.file);

/** What stands at a bundle file's name: nothing, a regular file, or something a bundle cannot hold. */
function entryAt(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function notAFile(entry: Stats): string {
  if (entry.isDirectory()) return 'a folder';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Why `dir` (an existing folder) cannot take a bundle: bundle names held by something other than a
 * regular file, and `.csv` files the format does not name (import reads every `.csv` name, in any
 * case, and refuses those: see `listBundle`). Empty when it can.
 */
function obstaclesIn(dir: string): string[] {
  const obstacles: string[] = [];
  const bundleEntries: Stats[] = [];
  for (const file of BUNDLE_FILES) {
    const entry = entryAt(path.join(dir, file));
    if (!entry) continue;
    bundleEntries.push(entry);
    if (!entry.isFile()) obstacles.push(`${file} there is ${notAFile(entry)}`);
  }
  const sameEntry = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;
  for (const name of readdirSync(dir).sort()) {
    if (!/\.csv$/i.test(name) || (BUNDLE_FILES as readonly string[]).includes(name)) continue;
    const entry = entryAt(path.join(dir, name));
    // On a case-insensitive disk `Stays.csv` is the `stays.csv` looked at above.
    if (!entry || bundleEntries.some((known) => sameEntry(known, entry))) continue;
    obstacles.push(`${name} there is not a bundle file, and import would refuse the bundle for it`);
  }
  return obstacles;
}

/**
 * The journal of a swap under way, in the bundle folder from before the first rename until every
 * file is in place: a folder holding it holds files of two bundles, or may.
 */
export const SWAP_JOURNAL = '.tracegraph-bundle-swap.json';

/** One file of a swap: its new content's name, and whether an earlier file is moved aside. */
interface SwapEntry {
  file: FileName;
  /** Whether a file of that name was there, moved aside to `previous` before `partial` takes its name. */
  replaces: boolean;
  partial: string;
  previous: string;
}

interface SwapJournal {
  pid: number;
  files: SwapEntry[];
}

const partialName = (file: FileName, pid: number): string => `${file}.${pid}.partial`;
const previousName = (file: FileName, pid: number): string => `${file}.${pid}.previous`;
const journalTempName = (pid: number): string => `${SWAP_JOURNAL}.${pid}.tmp`;

/** Makes a file's content, or a folder's entries (names made, renamed, removed), durable. */
function sync(target: string): void {
  const fd = openSync(target, 'r');
  try {
    fsyncSync(fd);
  } catch (err) {
    // Some systems cannot sync a folder; a file's error is real.
    const code = (err as NodeJS.ErrnoException).code;
    if (!(statSync(target).isDirectory() && (code === 'EINVAL' || code === 'EISDIR' || code === 'EPERM')))
      throw err;
  } finally {
    closeSync(fd);
  }
}

/** Writes the journal whole: under a temporary name, synced, renamed, and the folder synced. */
function writeJournal(dir: string, journal: SwapJournal): void {
  const temp = path.join(dir, journalTempName(journal.pid));
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path.join(dir, SWAP_JOURNAL));
  sync(dir);
}

/** Removes the journal, for good. */
function removeJournal(dir: string): void {
  rmSync(path.join(dir, SWAP_JOURNAL), { force: true });
  sync(dir);
}

/** The journal in `dir`, or null; throws when it is there but is not one this module writes. */
function readJournal(dir: string): SwapJournal | null {
  let text: string;
  try {
    text = readFileSync(path.join(dir, SWAP_JOURNAL), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const bad = (): Error => new Error(`${path.join(dir, SWAP_JOURNAL)} is not a bundle swap journal`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad();
  }
  const journal = parsed as Partial<SwapJournal> | null;
  const pid = journal?.pid;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || !Array.isArray(journal?.files))
    throw bad();
  // Only the names this module makes are ever renamed or removed, whatever the journal says.
  for (const entry of journal.files as unknown[]) {
    const e = entry as Partial<SwapEntry> | null;
    if (
      !e ||
      !(BUNDLE_FILES as readonly unknown[]).includes(e.file) ||
      typeof e.replaces !== 'boolean' ||
      e.partial !== partialName(e.file as FileName, pid) ||
      e.previous !== previousName(e.file as FileName, pid)
    )
      throw bad();
  }
  return { pid, files: journal.files };
}

/**
 * Puts the folder back as it was before the swap `journal` records, from any point of it: each
 * file moved aside is renamed back, a file placed where there was none is removed, and every new
 * file not placed is removed. Safe to run again, should it be stopped midway. The journal is left.
 */
function rollBack(dir: string, journal: SwapJournal): void {
  for (const entry of [...journal.files].reverse()) {
    const target = path.join(dir, entry.file);
    const previous = path.join(dir, entry.previous);
    const partial = path.join(dir, entry.partial);
    // A file moved aside is the earlier one, whatever stands at its name now (the new one, or nothing).
    if (entryAt(previous)) renameSync(previous, target);
    // No earlier file, and the new one gone from its temporary name: it was placed; remove it.
    else if (!entry.replaces && !entryAt(partial)) rmSync(target, { force: true });
    // Otherwise the earlier file never left its name, or was put back already.
    rmSync(partial, { force: true });
  }
  sync(dir);
}

/**
 * When `dir` holds the journal of a write that was interrupted (its process killed while it put
 * the files in place), puts the folder back to the bundle it held before that write and removes
 * the journal. Returns whether there was one.
 */
export function recoverInterruptedWrite(dir: string): boolean {
  const journal = readJournal(dir);
  if (!journal) return false;
  putBack(dir, journal);
  return true;
}

/** `rollBack`, then the journal removed: the folder holds the bundle it held before the swap. */
function putBack(dir: string, journal: SwapJournal): void {
  rollBack(dir, journal);
  removeJournal(dir);
}

/** Removes `folder` if it is empty; one holding anything (another write's lock) is left. */
function removeFolderQuietly(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty, or gone.
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Left behind: the next write into the folder removes it.
  }
}

/**
 * Removes what writes into `dir` by processes no longer running left behind: a bundle file's
 * `<name>.<pid>.partial` or `<name>.<pid>.previous`, and the journal's temporary file. Names of any
 * other form are left alone. (This process has written nothing yet: a file with its pid is one an
 * earlier process of the same number left.) Returns the names removed.
 */
function removeLeftovers(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const leftover = /^(.+)\.(\d+)\.(partial|previous)$/.exec(name);
    const journalTemp = /^(.+)\.(\d+)\.tmp$/.exec(name);
    const isLeftover =
      (leftover && (BUNDLE_FILES as readonly string[]).includes(leftover[1]!)) ||
      (journalTemp && journalTemp[1] === SWAP_JOURNAL);
    const pid = Number((leftover ?? journalTemp)?.[2]);
    if (isLeftover && !running(pid) && entryAt(path.join(dir, name))?.isFile()) {
      rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

type Refusal = (reason: string, cause?: unknown) => BundleWriteError;

/**
 * Takes `dir`'s write lock for a write or a restore, then looks for imports reading the folder (in
 * that order: ./bundle-read-marker.ts). A folder another write holds, or an import that may still
 * be running reads, is refused with BundleFolderBusyError's or BundleFolderReadError's message,
 * then `untouched` (`nothing was written`), with no `refused` prefix; the lock is released again.
 */
function takeLock(
  dir: string,
  options: TakeOverOptions,
  refused: Refusal,
  untouched = 'nothing was written',
): BundleWriteLock {
  let lock: BundleWriteLock;
  try {
    lock = BundleWriteLock.take(dir, options);
  } catch (err) {
    if (err instanceof BundleFolderBusyError) throw new BundleWriteError(`${err.message}; ${untouched}`, err);
    throw refused(`cannot take its write lock: ${reasonOf(err as Error)}`, err);
  }
  let reading: BundleFolderReadError | null;
  try {
    reading = runningReadOf(dir);
  } catch (err) {
    lock.release();
    throw refused(`cannot look for imports reading it: ${reasonOf(err as Error)}`, err);
  }
  if (reading) {
    lock.release();
    throw new BundleWriteError(`${reading.message}; ${untouched}`, reading);
  }
  return lock;
}

/**
 * Under the write lock: refuses a folder that could not hold an importable bundle, puts back the
 * bundle a folder held before an interrupted write, and removes the leftovers of gone writes and
 * the read markers of gone imports.
 */
function readyForWrite(dir: string, refused: Refusal): void {
  let obstacles: string[];
  try {
    obstacles = obstaclesIn(dir);
  } catch (err) {
    throw refused(reasonOf(err as Error), err);
  }
  if (obstacles.length > 0) {
    const them = obstacles.length === 1 ? 'it' : 'them';
    throw refused(`${obstacles.join('; ')}; move ${them} out of ${dir} or choose another folder`);
  }
  try {
    recoverInterruptedWrite(dir);
  } catch (err) {
    throw refused(
      `a bundle write into it was interrupted, and the bundle it held before cannot be put back: ${reasonOf(err as Error)}`,
      err,
    );
  }
  try {
    removeLeftovers(dir);
    removeGoneReadMarkers(dir);
  } catch (err) {
    throw refused(reasonOf(err as Error), err);
  }
}

/** A bundle being written into a folder; `commit` puts it in place, `abandon` clears it away. */
export class StagedBundle {
  private readonly started = new Set<FileName>();

  private constructor(
    /** The folder as given, for messages. */
    readonly dir: string,
    /** Folders made for the bundle, outermost first: removed again if it is abandoned. */
    private readonly madeFolders: readonly string[],
    /** Held until the bundle is in place or abandoned. */
    private readonly lock: BundleWriteLock,
  ) {}

  /**
   * Readies `dir` for a bundle: makes it (and the folders above it) if missing; refuses, before
   * anything is written, a path that is not a folder, a folder that cannot be made, and a folder
   * holding a `.csv` file import would refuse or a folder where a bundle file goes. Then takes the
   * folder's write lock, refusing a folder another write that may still be running holds (a lock
   * left by a write known to be gone is taken over, and `onTakeOver` told), or an import that may
   * still be running reads. A folder a write into was interrupted is then put back to the bundle it
   * held before that write, and the temporary files of writes whose process is gone are removed,
   * with the read markers of gone imports.
   */
  static open(dir: string, options: TakeOverOptions = {}): StagedBundle {
    const refused = (reason: string, cause?: unknown): BundleWriteError =>
      new BundleWriteError(`cannot write the bundle into ${dir}: ${reason}`, cause);
    let folder: Stats | null = null;
    try {
      folder = statSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refused(reasonOf(err as Error), err);
    }
    let madeFolders: string[] = [];
    if (!folder) {
      try {
        madeFolders = makeFolders(dir);
      } catch (err) {
        throw err instanceof FolderError ? refused(err.message, err) : err;
      }
    } else if (!folder.isDirectory()) throw refused('it is not a folder');
    let lock: BundleWriteLock | null = null;
    try {
      lock = takeLock(dir, options, refused);
      readyForWrite(dir, refused);
      return new StagedBundle(dir, madeFolders, lock);
    } catch (err) {
      lock?.release();
      for (const made of [...madeFolders].reverse()) removeFolderQuietly(made);
      throw err;
    }
  }

  /** Where `file` is written until the whole bundle is. */
  private partialPath(file: FileName): string {
    return path.join(this.dir, partialName(file, process.pid));
  }

  /**
   * Streams `source` into `file`'s temporary name. Rejects as `pipeline` does, but an error of the
   * file itself (a full disk, a file too large) becomes a BundleWriteError naming `file`.
   */
  async write(file: FileName, source: Readable, options: { highWaterMark?: number } = {}): Promise<void> {
    this.started.add(file);
    const out = createWriteStream(this.partialPath(file), options);
    let fileError: Error | undefined;
    out.once('error', (err) => (fileError = err));
    try {
      await pipeline(source, out);
    } catch (err) {
      if (fileError && err === fileError) throw this.fileError(file, fileError);
      throw err;
    }
  }

  private fileError(file: FileName, err: Error): BundleWriteError {
    return new BundleWriteError(`cannot write ${path.join(this.dir, file)}: ${reasonOf(err)}`, err);
  }

  /**
   * Renames every file written into place. Each file it replaces is moved aside first
   * (`<name>.<pid>.previous`) and removed at the end, so that a failure midway can put the folder
   * back as it was: then it throws a BundleWriteError naming the file and saying whether the folder
   * was put back. The swap is written down in the folder (SWAP_JOURNAL) before the first rename and
   * struck out once every file is in place, so that a kill midway can be put back too
   * (`recoverInterruptedWrite`).
   */
  async commit(): Promise<void> {
    stopHereInTests('files-written');
    const entries: SwapEntry[] = [];
    for (const file of BUNDLE_FILES) {
      if (!this.started.has(file)) continue;
      try {
        const entry = entryAt(path.join(this.dir, file));
        // Checked at `open`; something may have been put there meanwhile.
        if (entry && !entry.isFile()) throw new Error(`it is now ${notAFile(entry)}`);
        // Its content on disk before its name is: a power loss must not leave an empty file in place.
        sync(this.partialPath(file));
        const pid = process.pid;
        entries.push({
          file,
          replaces: entry !== null,
          partial: partialName(file, pid),
          previous: previousName(file, pid),
        });
      } catch (err) {
        throw this.fileError(file, err as Error);
      }
    }
    const journal: SwapJournal = { pid: process.pid, files: entries };
    try {
      writeJournal(this.dir, journal);
    } catch (err) {
      removeQuietly(path.join(this.dir, journalTempName(process.pid)));
      throw new BundleWriteError(
        `cannot write ${path.join(this.dir, SWAP_JOURNAL)}: ${reasonOf(err as Error)}`,
        err,
      );
    }
    stopHereInTests('journal');
    let renames = 0;
    try {
      for (const { file, replaces, partial, previous } of entries) {
        const target = path.join(this.dir, file);
        try {
          if (replaces) {
            renameSync(target, path.join(this.dir, previous));
            stopHereInTests(`rename-${++renames}`);
          }
          renameSync(path.join(this.dir, partial), target);
          stopHereInTests(`rename-${++renames}`);
        } catch (err) {
          throw this.fileError(file, err as Error);
        }
      }
      // Every name in place for good before the journal goes.
      sync(this.dir);
      rmSync(path.join(this.dir, SWAP_JOURNAL));
    } catch (err) {
      const failure =
        err instanceof BundleWriteError
          ? err
          : new BundleWriteError(`cannot write the bundle into ${this.dir}: ${reasonOf(err as Error)}`, err);
      let outcome: string;
      try {
        putBack(this.dir, journal);
        outcome = `${this.dir} was put back as it was before this write`;
      } catch (putBackError) {
        // The journal stays: import refuses the folder, and the next write into it puts it back.
        outcome =
          `${this.dir} could not be put back as it was (${reasonOf(putBackError as Error)}): it holds ` +
          `${SWAP_JOURNAL}, so import refuses it until the next export or seed into it puts it back`;
      }
      throw new BundleWriteError(`${failure.message}; ${outcome}`, failure.cause);
    }
    try {
      sync(this.dir);
    } catch {
      // The bundle is in place; at worst a power loss now brings back the journal, and with it the earlier bundle.
    }
    stopHereInTests('journal-removed');
    // Should a removal fail (or the process be killed first), the next write into the folder removes it.
    for (const { replaces, previous } of entries) if (replaces) removeQuietly(path.join(this.dir, previous));
    this.lock.release();
  }

  /**
   * Removes the temporary files and the write lock, and the folders made for the bundle if they
   * are empty again.
   */
  async abandon(): Promise<void> {
    for (const file of this.started) removeQuietly(this.partialPath(file));
    this.lock.release();
    for (const folder of [...this.madeFolders].reverse()) await rmdir(folder).catch(() => undefined);
  }
}

/**
 * Resolves once `source` (a stream `StagedBundle.write` reads) may be written again, or rejects as
 * `written` (that write's promise) does when the write fails first: a failed stream never drains.
 */
export function drained(source: Writable, written: Promise<void>): Promise<void> {
  // A destroyed source emits 'error' with the file's error as it was; `written` names the file.
  return Promise.race([
    once(source, 'drain').then(
      () => undefined,
      () => written,
    ),
    written,
  ]);
}

/**
 * Writes a bundle into `dir` through `write` (which streams each file with `bundle.write`), and
 * puts it in place once `write` resolves. When anything fails, the folder is left as it was (a
 * folder made for it removed again) and the error is passed on.
 */
export async function writeBundle<T>(
  dir: string,
  write: (bundle: StagedBundle) => Promise<T>,
  options: TakeOverOptions = {},
): Promise<T> {
  const bundle = StagedBundle.open(dir, options);
  try {
    const value = await write(bundle);
    await bundle.commit();
    return value;
  } catch (err) {
    await bundle.abandon();
    throw err;
  }
}

/** What `restoreInterruptedWrite` put back. */
export interface RestoredBundle {
  /** The process of the interrupted write. */
  pid: number;
  /** The files the folder held before that write: each is back as it was. */
  putBack: FileName[];
  /** The files that write placed where the folder held none: removed. */
  removed: FileName[];
  /** Temporary files of writes no longer running, removed as a write removes them. */
  leftovers: string[];
}

/**
 * Under `dir`'s write lock (refused, as a write is, while an import reads the folder), puts back
 * the bundle the folder held before a write into it was interrupted (as the next write into it
 * would, `recoverInterruptedWrite`), then removes the leftovers of writes no longer running.
 * Returns null, and changes nothing, when no write into it was interrupted (no journal). Throws a
 * BundleWriteError naming the folder when it cannot.
 */
export function restoreInterruptedWrite(dir: string, options: TakeOverOptions = {}): RestoredBundle | null {
  const refused = (reason: string, cause?: unknown): BundleWriteError =>
    new BundleWriteError(`cannot put back the bundle in ${dir}: ${reason}`, cause);
  let folder: Stats;
  try {
    folder = statSync(dir);
  } catch (err) {
    throw refused(reasonOf(err as Error), err);
  }
  if (!folder.isDirectory()) throw refused('it is not a folder');
  const lock = takeLock(dir, options, refused, 'nothing was put back');
  try {
    let journal: SwapJournal | null;
    try {
      journal = readJournal(dir);
    } catch (err) {
      throw refused(reasonOf(err as Error), err);
    }
    if (!journal) return null;
    try {
      putBack(dir, journal);
    } catch (err) {
      throw refused(
        `${reasonOf(err as Error)}; ${SWAP_JOURNAL} is left, so that it can be put back again`,
        err,
      );
    }
    let leftovers: string[];
    try {
      leftovers = removeLeftovers(dir);
    } catch (err) {
      throw refused(`it is back, but its leftovers cannot be removed: ${reasonOf(err as Error)}`, err);
    }
    return {
      pid: journal.pid,
      putBack: journal.files.filter((entry) => entry.replaces).map((entry) => entry.file),
      removed: journal.files.filter((entry) => !entry.replaces).map((entry) => entry.file),
      leftovers,
    };
  } finally {
    lock.release();
  }
}
