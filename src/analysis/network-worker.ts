/**
 * The body of a network worker thread (started by ./network-in-worker.ts): measures the contact
 * network it is given and posts the measures back, their arrays moved rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { measureNetwork } from './network-measures';
import type { NetworkJob, NetworkReply } from './network-in-worker';

function reply(job: NetworkJob): { message: NetworkReply; transfer: ArrayBuffer[] } {
  try {
    const measures = measureNetwork(job.input, job.options);
    return {
      message: { ok: true, measures },
      transfer: [measures.communityOf.buffer as ArrayBuffer, measures.centrality.buffer as ArrayBuffer],
    };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return {
      message: { ok: false, error: { name: error.name, message: error.message, stack: error.stack } },
      transfer: [],
    };
  }
}

const { message, transfer } = reply(workerData as NetworkJob);
parentPort!.postMessage(message, transfer);
