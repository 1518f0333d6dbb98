/**
 * Writing a report in pieces: to a stream that is let drain (a file, standard output), straight to
 * a file descriptor whose writes block (standard output redirected to a file), or to a file
 * written beside its target and renamed, so that a reader never sees half a report.
 */
import { createWriteStream, fstatSync, writeSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { lstat, open, readlink, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { FolderError, makeMissingFolders, missingFolders } from '../fs/folders';
import { reasonOf } from '../fs/system-error';

/** Where streamed text goes; `write` resolves once the sink can take more. */
export interface TextSink {
  write(chunk: string): Promise<void>;
}

/**
 * A sink over a writable stream that respects backpressure (waits for `drain`) and turns the
 * stream's errors into one naming `name` (a file, or standard output). `settled()` resolves once
 * everything written has been handed on, or rejects with the first error.
 */
export function streamSink(
  stream: NodeJS.WritableStream,
  name: string,
): TextSink & { settled(): Promise<void>; release(): void } {
  let failure: Error | null = null;
  let lastWrite: Promise<void> = Promise.resolve();
  const waiting = new Set<() => void>();
  const onError = (err: Error) => {
    failure ??= writeError(err, name);
    for (const wake of waiting) wake();
  };
  stream.on('error', onError);
  const check = () => {
    if (failure) throw failure;
  };
  /** Resolves on `event`, or as soon as the stream fails or closes (a failed stream never drains). */
  const until = (event: 'drain' | 'written') =>
    new Promise<void>((resolve) => {
      const wake = () => {
        waiting.delete(wake);
        stream.off('drain', wake);
        stream.off('close', wake);
        resolve();
      };
      waiting.add(wake);
      stream.on('close', wake);
      if (event === 'drain') stream.on('drain', wake);
      else void lastWrite.then(wake);
    });
  return {
    async write(chunk) {
      check();
      let ready = true;
      lastWrite = new Promise((resolve) => {
        ready = stream.write(chunk, () => resolve());
      });
      if (!ready) await until('drain');
      check();
    },
    async settled() {
      check();
      await until('written');
      check();
    },
    release() {
      stream.off('error', onError);
    },
  };
}

/**
 * A sink writing straight to a file descriptor whose writes block (a file, /dev/null): each chunk
 * encoded into one buffer that is kept and reused, then written whole. Standard output redirected
 * to a file is a stream that makes a Buffer of every chunk written; at a million persons the JSON
 * document's 1.4 GB in such Buffers, freed only as the garbage collector comes by, raised the
 * peak RSS from 4.2 GB to 6.2 GB. `settled()` resolves at once: every write is done when it returns.
 */
export function fdSink(
  fd: number,
  name: string,
  bufferBytes = 1 << 20,
): TextSink & { settled(): Promise<void>; release(): void; readonly bytes: number } {
  const buffer = Buffer.alloc(bufferBytes);
  let written = 0;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: a piece this long always fits.
  const pieceLength = Math.floor(bufferBytes / 3);
  const writePiece = (piece: string): void => {
    const bytes = buffer.write(piece);
    for (let done = 0; done < bytes;) done += writeSync(fd, buffer, done, bytes - done);
    written += bytes;
  };
  return {
    write(chunk) {
      try {
        for (let start = 0; start < chunk.length;) {
          let end = Math.min(start + pieceLength, chunk.length);
          // A surrogate pair is never cut in two (each half alone would be written as U+FFFD).
          const last = chunk.charCodeAt(end - 1);
          if (end < chunk.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
          writePiece(start === 0 && end === chunk.length ? chunk : chunk.slice(start, end));
          start = end;
        }
      } catch (err) {
        return Promise.reject(writeError(err as Error, name));
      }
      return Promise.resolve();
    },
    settled: () => Promise.resolve(),
    release() {},
    /** The bytes written so far. */
    get bytes() {
      return written;
    },
  };
}

/**
 * Whether the descriptor's writes block and nothing else buffers them: a regular file, or a device
 * that is not a terminal (/dev/null). Not a pipe or socket (non-blocking; the stream waits for them
 * to drain) nor a terminal.
 */
export function writesBlock(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() || (stats.isCharacterDevice() && !isatty(fd));
  } catch {
    return false;
  }
}

/** A stream error as one that says what could not be written; keeps the system error code. */
function writeError(err: Error, name: string): Error {
  const error = new Error(`cannot write the report to ${name}: ${reasonOf(err)}`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code;
  if (code) Object.assign(error, { code });
  return error;
}

/** An `--out` target a report cannot be written to; the message names it as given. */
export class OutTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutTargetError';
  }
}

/**
 * How a report is written to the path it was given: `file` is where it goes (a symbolic link
 * followed); `straight` when it is written into what is there (a FIFO or a character device)
 * rather than beside it and renamed.
 */
export interface OutTarget {
  file: string;
  straight: boolean;
}

const MAX_LINKS = 40;

/** The file a chain of symbolic links ends at, which does not exist (a dangling link). */
async function danglingTarget(file: string, out: string): Promise<string> {
  let at = file;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(at)).isSymbolicLink();
    } catch {
      return at;
    }
    if (!isLink) return at;
    at = path.resolve(path.dirname(at), await readlink(at));
  }
  throw new OutTargetError(`"${out}": too many symbolic links`);
}

/** Runs `use` on folders, turning a FolderError (src/fs/folders.ts) into an OutTargetError naming `out`. */
function withFolders<T>(out: string, use: () => T): T {
  try {
    return use();
  } catch (err) {
    if (err instanceof FolderError) throw new OutTargetError(`"${out}": ${err.message}`);
    throw err;
  }
}

/**
 * The folders missing above a missing file, nearest first; refuses it when its nearest existing
 * ancestor is not a folder.
 */
function missingFoldersAbove(file: string, out: string): string[] {
  return withFolders(out, () => missingFolders(path.dirname(file)));
}

/**
 * Where a report for the path `out` goes, checked before anything is written (the command line
 * checks it before the analysis, so a bad path fails at once):
 * - a missing file or a regular file: written beside it and renamed over it, so that a reader never
 *   sees half a report (missing folders are made: `readyOutTarget`);
 * - a symbolic link: followed; the file it names is written (beside it and renamed), the link kept;
 * - a FIFO or a character device (a named pipe, `/dev/stdout`): written into straight, as a shell's
 *   `>` would;
 * - an empty path, a folder, a socket or a block device: refused with an `OutTargetError` naming
 *   `out`.
 */
export async function outTarget(out: string): Promise<OutTarget> {
  const { missing: _missing, ...target } = await locateOut(out);
  return target;
}

/** `outTarget`, with the folders missing above a file to be written beside its target. */
async function locateOut(out: string): Promise<OutTarget & { missing: string[] }> {
  if (out.trim() === '') throw new OutTargetError(`"${out}" is not a file name`);
  const given = path.resolve(out);
  let stats: Stats;
  try {
    stats = await stat(given);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const file = await danglingTarget(given, out);
      return { file, straight: false, missing: missingFoldersAbove(file, out) };
    }
    if (code === 'ENOTDIR') {
      missingFoldersAbove(given, out);
    }
    if (code === 'ELOOP') throw new OutTargetError(`"${out}": too many symbolic links`);
    throw new OutTargetError(`"${out}": ${reasonOf(err as Error)}`);
  }
  if (stats.isFile()) {
    const isLink = (await lstat(given)).isSymbolicLink();
    return { file: isLink ? await realpath(given) : given, straight: false, missing: [] };
  }
  if (stats.isFIFO() || stats.isCharacterDevice()) return { file: given, straight: true, missing: [] };
  if (stats.isDirectory()) throw new OutTargetError(`"${out}" is a folder: give a file name`);
  throw new OutTargetError(
    `"${out}" is ${stats.isSocket() ? 'a socket' : 'a block device'}: give a file name, a FIFO or a character device`,
  );
}

/**
 * `outTarget(out)`, with the missing folders of a file written beside its target made: the
 * command line readies its `--out` so before the analysis, and a folder that cannot be made
 * (`/proc/nope/x.json`) fails at once.
 */
export async function readyOutTarget(out: string): Promise<OutTarget> {
  const { missing, ...target } = await locateOut(out);
  // One at a time, refusing at the first that cannot be made (`/proc/nope/x.json` fails at once:
  // see src/fs/folders.ts).
  withFolders(out, () => makeMissingFolders(missing));
  if (!target.straight) await checkWritableBeside(target.file, out);
  return target;
}

/**
 * Refuses a file that cannot be made beside the target (a folder that is read-only or another
 * user's, a read-only file system), by making the partial file's name there and removing it
 * again: found only once the report is written, it failed after the whole analysis. A FIFO or
 * device written into straight is not probed (opening a FIFO waits for its reader).
 */
async function checkWritableBeside(file: string, out: string): Promise<void> {
  const probe = `${file}.${process.pid}.partial`;
  let handle: FileHandle;
  try {
    handle = await open(probe, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new OutTargetError(`"${out}": cannot write in ${path.dirname(file)}: ${reasonOf(err as Error)}`);
  }
  await handle.close();
  await rm(probe, { force: true });
}

/**
 * Writes a file through `write`, where `readyOutTarget(out)` says: beside it first and renamed once
 * complete (a failed write removes the partial file), or straight into a FIFO or character
 * device. Errors name `out` (resolved). Returns what `write` returned, and `out` resolved.
 */
export async function writeFileStreamed<T>(
  out: string,
  write: (sink: TextSink) => Promise<T>,
): Promise<{ value: T; file: string }> {
  const name = path.resolve(out);
  const target = await readyOutTarget(out);
  const partial = target.straight ? target.file : `${target.file}.${process.pid}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  const sink = streamSink(stream, name);
  try {
    const value = await write(sink);
    await sink.settled();
    stream.end();
    await finished(stream).catch((err: Error) => {
      throw writeError(err, name);
    });
    if (!target.straight)
      await rename(partial, target.file).catch((err: Error) => {
        throw writeError(err, name);
      });
    return { value, file: name };
  } catch (err) {
    stream.destroy();
    // The write's error is the one to report, whatever becomes of the partial file.
    if (!target.straight) await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    sink.release();
  }
}
