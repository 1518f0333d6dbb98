/**
 * The body of a network worker thread (started by ./network-in-worker.ts): measures the contact
 * network it is given and posts the measures back, their arrays moved rather than copied.
 */
import { answerJob } from './in-worker';
import { measureNetwork } from './network-measures';
import type { NetworkJob } from './network-in-worker';

answerJob((job: NetworkJob) => {
  const measures = measureNetwork(job.input, job.options);
  return {
    value: measures,
    transfer: [measures.communityOf.buffer as ArrayBuffer, measures.centrality.buffer as ArrayBuffer],
  };
});
