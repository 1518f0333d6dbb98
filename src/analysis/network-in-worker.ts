/**
 * Measures the contact network in a worker thread (./network-worker.ts), so that on two cores its
 * communities and centrality are found while this thread assigns the tiers. The input's arrays are
 * moved to the worker, not copied.
 */
import { runInWorker } from './in-worker';
import type { NetworkInput, NetworkMeasureOptions, NetworkMeasures } from './network-measures';
import { isNetworkRecords, type NetworkRecords } from './network-records';

/** What a worker is given (workerData). */
export interface NetworkJob {
  input: NetworkInput | NetworkRecords;
  options: NetworkMeasureOptions;
}

/** A measurement under way: its result, and a way to stop it when it is no longer wanted. */
export interface PendingMeasures {
  measures: Promise<NetworkMeasures>;
  stop(): void;
}

/** Starts measuring the network in a worker; the input's arrays go with it (unusable here after). */
export function measureNetworkInWorker(
  input: NetworkInput | NetworkRecords,
  options: NetworkMeasureOptions,
): PendingMeasures {
  const job: NetworkJob = { input, options };
  const arrays = isNetworkRecords(input)
    ? [input.recordA, input.recordB, input.recordWeights]
    : [input.endA, input.endB, input.weights];
  const pending = runInWorker<NetworkMeasures>(
    __filename,
    'network-worker',
    job,
    arrays.map((array) => array.buffer as ArrayBuffer),
    { worker: "the contact network's worker", work: "the contact network's measurement" },
  );
  return { measures: pending.result, stop: pending.stop };
}
