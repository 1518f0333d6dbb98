/**
 * Work handed to a worker thread by the analysis (the contact network's measures, the infector
 * inference), so that on two cores it runs beside what this thread does meanwhile: the job goes
 * as the worker's data (its typed arrays moved, not copied, when listed), the result or the error
 * comes back once. The worker's heap may grow as large as this one's.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import {
  errorFromWorker,
  workerEntry,
  workerError,
  WORKER_YOUNG_GENERATION_MB,
  type WorkerError,
} from '../domain/worker-entry';

/** What a worker posts back. */
export type WorkerReply<T> = { ok: true; value: T } | { ok: false; error: WorkerError };

/** Work under way: its result, and a way to stop it when it is no longer wanted. */
export interface PendingWork<T> {
  result: Promise<T>;
  stop(): void;
}

/** How errors name the work: "the contact network's worker", "the contact network's measurement". */
export interface WorkNames {
  worker: string;
  work: string;
}

/**
 * Runs the worker file `name` beside `callerFile` (the caller's `__filename`) on `job`; the
 * buffers in `transfer` go with it (unusable here after). The worker's RangeError and TypeError
 * come back as such.
 */
export function runInWorker<T>(
  callerFile: string,
  name: string,
  job: unknown,
  transfer: ArrayBuffer[],
  names: WorkNames,
): PendingWork<T> {
  const { file, execArgv } = workerEntry(callerFile, name);
  const worker = new Worker(file, {
    workerData: job,
    transferList: transfer,
    execArgv,
    resourceLimits: {
      maxOldGenerationSizeMb: Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20),
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
    },
  });
  let stopped = false;
  const result = new Promise<T>((resolve, reject) => {
    let outcome: (() => void) | null = null;
    worker.once('message', (reply: WorkerReply<T>) => {
      outcome ??= () =>
        reply.ok ? resolve(reply.value) : reject(errorFromWorker(reply.error, { RangeError, TypeError }));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      outcome ??= () => reject(new Error(`${names.worker} failed: ${err.message}`, { cause: err }));
    });
    worker.once('exit', (code) => {
      if (outcome) outcome();
      else if (stopped) reject(new Error(`${names.work} was stopped`));
      else reject(new Error(`${names.worker} ended (exit code ${code}) without an answer`));
    });
  });
  return {
    result,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}

/**
 * The body of a worker thread: does `work` on the job it was given and posts the result back (the
 * buffers `work` lists moved rather than copied), or the error it threw.
 */
export function answerJob<J, T>(work: (job: J) => { value: T; transfer: ArrayBuffer[] }): void {
  let message: WorkerReply<T>;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = work(workerData as J);
    message = { ok: true, value: done.value };
    transfer = done.transfer;
  } catch (err) {
    message = { ok: false, error: workerError(err) };
  }
  parentPort!.postMessage(message, transfer);
}
