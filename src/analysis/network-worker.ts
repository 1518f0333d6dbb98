/**
 * The body of a network worker thread (started by ./network-in-worker.ts): measures the contact
 * network it is given and posts the measures back, their arrays moved rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { workerError } from '../domain/worker-entry';
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
    return { message: { ok: false, error: workerError(err) }, transfer: [] };
  }
}

const { message, transfer } = reply(workerData as NetworkJob);
parentPort!.postMessage(message, transfer);
