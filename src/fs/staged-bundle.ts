/**
 * Writing a bundle folder so that a failure leaves it as it was. Every file is written under a
 * temporary name beside its own (`stays.csv.<pid>.partial`), and the files are renamed into place
 * only once all nine are complete; should a rename fail, those already renamed are put back. A
 * folder made for the bundle is removed again when the write fails. Other files in the folder are
 * left alone, but a `.csv` file the format does not name is refused up front: import would refuse
 * the bundle for it.
 */
import { once } from 'node:events';
import { createWriteStream, lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILE_SPECS, type FileName } from '../domain/records';
import { FolderError, makeFolders } from './folders';
import { reasonOf } from './system-error';

/** A bundle that cannot be written where asked; the message names the folder or the file. */
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

/** A bundle being written into a folder; `commit` puts it in place, `abandon` clears it away. */
export class StagedBundle {
  private readonly started = new Set<FileName>();

  private constructor(
    /** The folder as given, for messages. */
    readonly dir: string,
    /** Folders made for the bundle, outermost first: removed again if it is abandoned. */
    private readonly madeFolders: readonly string[],
  ) {}

  /**
   * Readies `dir` for a bundle: makes it (and the folders above it) if missing; refuses, before
   * anything is written, a path that is not a folder, a folder that cannot be made, and a folder
   * holding a `.csv` file import would refuse or a folder where a bundle file goes.
   */
  static open(dir: string): StagedBundle {
    const refused = (reason: string, cause?: unknown): BundleWriteError =>
      new BundleWriteError(`cannot write the bundle into ${dir}: ${reason}`, cause);
    let folder: Stats | null = null;
    try {
      folder = statSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refused(reasonOf(err as Error), err);
    }
    if (!folder) {
      try {
        return new StagedBundle(dir, makeFolders(dir));
      } catch (err) {
        throw err instanceof FolderError ? refused(err.message, err) : err;
      }
    }
    if (!folder.isDirectory()) throw refused('it is not a folder');
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
    return new StagedBundle(dir, []);
  }

  /** Where `file` is written until the whole bundle is. */
  private partialPath(file: FileName): string {
    return `${path.join(this.dir, file)}.${process.pid}.partial`;
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
   * back as it was: then it throws a BundleWriteError naming the file.
   */
  async commit(): Promise<void> {
    const placed: { target: string; previous: string | null }[] = [];
    try {
      for (const file of BUNDLE_FILES) {
        if (!this.started.has(file)) continue;
        const target = path.join(this.dir, file);
        try {
          const entry = entryAt(target);
          // Checked at `open`; something may have been put there meanwhile.
          if (entry && !entry.isFile()) throw new Error(`it is now ${notAFile(entry)}`);
          const previous = entry ? `${target}.${process.pid}.previous` : null;
          if (previous) await rename(target, previous);
          try {
            await rename(this.partialPath(file), target);
          } catch (err) {
            if (previous) await rename(previous, target);
            throw err;
          }
          placed.push({ target, previous });
        } catch (err) {
          throw this.fileError(file, err as Error);
        }
      }
    } catch (err) {
      for (const { target, previous } of placed.reverse()) {
        if (previous) await rename(previous, target).catch(() => undefined);
        else await rm(target, { force: true }).catch(() => undefined);
      }
      throw err;
    }
    for (const { previous } of placed)
      if (previous) await rm(previous, { force: true }).catch(() => undefined);
  }

  /** Removes the temporary files, and the folders made for the bundle if they are empty again. */
  async abandon(): Promise<void> {
    for (const file of this.started) await rm(this.partialPath(file), { force: true }).catch(() => undefined);
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
export async function writeBundle<T>(dir: string, write: (bundle: StagedBundle) => Promise<T>): Promise<T> {
  const bundle = StagedBundle.open(dir);
  try {
    const value = await write(bundle);
    await bundle.commit();
    return value;
  } catch (err) {
    await bundle.abandon();
    throw err;
  }
}
