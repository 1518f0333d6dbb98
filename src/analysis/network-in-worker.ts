/**
 * Measures the contact network in a worker thread (./network-worker.ts), so that on two cores the
 * graph is built, its communities found and its centrality measured while this thread assigns the
 * tiers and infers the infectors. The input's arrays are moved to the worker, not copied; the
 * worker's heap may grow as large as this one's (the network of a million-person district takes
 * 2–3 GB there).
 */
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import {
  errorFromWorker,
  workerEntry,
  WORKER_YOUNG_GENERATION_MB,
  type WorkerError,
} from '../domain/worker-entry';
import type { NetworkInput, NetworkMeasureOptions, NetworkMeasures } from './network-measures';

/** What a worker is given (workerData). */
export interface NetworkJob {
  input: NetworkInput;
  options: NetworkMeasureOptions;
}

/** What a worker posts back. */
export type NetworkReply = { ok: true; measures: NetworkMeasures } | { ok: false; error: WorkerError };

/** A measurement under way: its result, and a way to stop it when it is no longer wanted. */
export interface PendingMeasures {
  measures: Promise<NetworkMeasures>;
  stop(): void;
}

/** Starts measuring the network in a worker; the input's arrays go with it (unusable here after). */
export function measureNetworkInWorker(input: NetworkInput, options: NetworkMeasureOptions): PendingMeasures {
  const { file, execArgv } = workerEntry(__filename, 'network-worker');
  const job: NetworkJob = { input, options };
  const worker = new Worker(file, {
    workerData: job,
    transferList: [
      input.endA.buffer as ArrayBuffer,
      input.endB.buffer as ArrayBuffer,
      input.weights.buffer as ArrayBuffer,
    ],
    execArgv,
    resourceLimits: {
      maxOldGenerationSizeMb: Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20),
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
    },
  });
  let stopped = false;
  const measures = new Promise<NetworkMeasures>((resolve, reject) => {
    let outcome: (() => void) | null = null;
    worker.once('message', (reply: NetworkReply) => {
      outcome ??= () =>
        reply.ok ? resolve(reply.measures) : reject(errorFromWorker(reply.error, { RangeError, TypeError }));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      outcome ??= () =>
        reject(new Error(`the contact network's worker failed: ${err.message}`, { cause: err }));
    });
    worker.once('exit', (code) => {
      if (outcome) outcome();
      else if (stopped) reject(new Error("the contact network's measurement was stopped"));
      else reject(new Error(`the contact network's worker ended (exit code ${code}) without an answer`));
    });
  });
  return {
    measures,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}
