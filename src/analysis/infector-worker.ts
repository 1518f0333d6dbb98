/**
 * The body of an infector worker thread (started by ./infector-in-worker.ts): infers the infectors
 * from the cases' exposures it is given and posts the inferences back.
 */
import { answerJob } from './in-worker';
import { inferFromCaseExposures } from './infector';
import type { InfectorJob } from './infector-in-worker';

answerJob((job: InfectorJob) => {
  const started = performance.now();
  const inferences = inferFromCaseExposures(job.input, job.params, job.options);
  return { value: { inferences, seconds: (performance.now() - started) / 1000 }, transfer: [] };
});
