/**
 * Writing a report in pieces: to a stream that is let drain (a file, standard output), or to a
 * file written beside its target and renamed, so that a reader never sees half a report.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';

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

/** A stream error as one that says what could not be written; keeps the system error code. */
function writeError(err: Error, name: string): Error {
  const error = new Error(`cannot write the report to ${name}: ${err.message}`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code;
  if (code) Object.assign(error, { code });
  return error;
}

/** A sink that only counts the UTF-8 bytes it is given (for benchmarks). */
export function countingSink(): TextSink & { bytes: number } {
  return {
    bytes: 0,
    write(chunk) {
      this.bytes += Buffer.byteLength(chunk);
      return Promise.resolve();
    },
  };
}

/**
 * Writes a file through `write`, beside it first and renamed once complete; a failed write
 * removes the partial file and names the file in its error. Returns what `write` returned.
 */
export async function writeFileStreamed<T>(
  out: string,
  write: (sink: TextSink) => Promise<T>,
): Promise<{ value: T; file: string }> {
  const file = path.resolve(out);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  const sink = streamSink(stream, file);
  try {
    const value = await write(sink);
    await sink.settled();
    stream.end();
    await finished(stream).catch((err: Error) => {
      throw writeError(err, file);
    });
    await rename(partial, file);
    return { value, file };
  } catch (err) {
    stream.destroy();
    // The write's error is the one to report, whatever becomes of the partial file.
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    sink.release();
  }
}
