/** A reader of a FIFO for tests of what is written into one (test/report, test/cli). */
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Reads a FIFO from before anything writes to it: opened without waiting for a writer (so a test
 * that finds no writer fails rather than hangs), read through a socket. `close()` lets it go.
 */
export function readFifo(fifo: string): { text: Promise<string>; close(): void } {
  const socket = new Socket({
    fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK),
    readable: true,
  });
  const chunks: Buffer[] = [];
  const text = new Promise<string>((resolve, reject) =>
    socket
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject),
  );
  return { text, close: () => socket.destroy() };
}
