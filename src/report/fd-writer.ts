/**
 * The body of a writer thread (started by `fdSinkInThread`, ./stream.ts): writes each chunk it is
 * sent to the file descriptor, as `fdSink` writes in the thread that makes the text, and answers
 * each with the bytes written so far, or with the first error (after which it writes nothing).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fdSink } from './stream';

export type WriterReply = { bytes: number } | { error: { message: string; code?: string } };

const { fd, name, bufferBytes } = workerData as { fd: number; name: string; bufferBytes: number };
const sink = fdSink(fd, name, bufferBytes);
let failed = false;
parentPort!.on('message', (chunk: string) => {
  if (failed) return void parentPort!.postMessage({ bytes: sink.bytes } satisfies WriterReply);
  sink.write(chunk).then(
    () => parentPort!.postMessage({ bytes: sink.bytes } satisfies WriterReply),
    (err: NodeJS.ErrnoException) => {
      failed = true;
      parentPort!.postMessage({ error: { message: err.message, code: err.code } } satisfies WriterReply);
    },
  );
});
