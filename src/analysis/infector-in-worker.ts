/**
 * Infers the infectors in a worker thread (./infector-worker.ts), so that on two cores the
 * inference runs while this thread numbers the contact network and assigns the tiers. It is given
 * the cases' exposures alone (`caseExposures`, checked here), a small share of a district's.
 */
import { runInWorker, type PendingWork } from './in-worker';
import type { CaseExposures, InfectorInference, InfectorOptions } from './infector';
import type { Parameters } from '../domain/parameters';

/** What a worker is given (workerData). */
export interface InfectorJob {
  input: CaseExposures;
  params: Parameters;
  options: Partial<InfectorOptions>;
}

/** What a worker posts back: the inferences, and the seconds the inference took there. */
export interface InferencesFromWorker {
  inferences: InfectorInference[];
  seconds: number;
}

/** Starts inferring the infectors in a worker. */
export function inferInfectorsInWorker(
  input: CaseExposures,
  params: Parameters,
  options: Partial<InfectorOptions> = {},
): PendingWork<InferencesFromWorker> {
  const job: InfectorJob = { input, params, options };
  return runInWorker<InferencesFromWorker>(__filename, 'infector-worker', job, [], {
    worker: "the infector inference's worker",
    work: 'the infector inference',
  });
}
