/**
 * The body of an analysis worker thread (started by analysis-workers.ts): opens its own connection
 * to the store the server uses, runs the analysis, closes the connection and posts the Analysis
 * back. The analysis is CPU-bound for a minute or more on a large district; here it keeps this
 * thread busy instead of the server's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseOutbreak } from '../../analysis/analyse';
import { workerError } from '../../domain/worker-entry';
import { openEmbeddedStore } from '../../store/embedded';
import { openNeo4jStore } from '../../store/neo4j';
import type { TraceStore } from '../../store/port';
import type { AnalysisJob, WorkerReply } from './analysis-workers';

/**
 * The store as the server opened it, without its migration: the server ran that already, and a
 * worker only reads.
 */
function openJobStore(job: AnalysisJob): Promise<TraceStore> {
  const { storeConfig } = job;
  return storeConfig.neo4j ? openNeo4jStore(storeConfig.neo4j) : openEmbeddedStore(storeConfig.dataDir);
}

/** Tests only: block this thread, as a long analysis would, until the test lets it go. */
function waitForRelease(hold: Int32Array): void {
  Atomics.add(hold, 1, 1);
  while (Atomics.load(hold, 0) === 0) Atomics.wait(hold, 0, 0, 1_000);
}

function failure(err: unknown): WorkerReply {
  return { ok: false, error: workerError(err) };
}

async function runJob(job: AnalysisJob): Promise<WorkerReply> {
  let store: TraceStore | null = null;
  try {
    if (job.holdForTests) waitForRelease(job.holdForTests);
    store = await openJobStore(job);
    const analysis = await analyseOutbreak(store, job.params, job.options);
    return { ok: true, analysis };
  } catch (err) {
    return failure(err);
  } finally {
    await store?.close().catch(() => undefined);
  }
}

if (parentPort) {
  const port = parentPort;
  void runJob(workerData as AnalysisJob).then((reply) => {
    try {
      port.postMessage(reply);
    } catch (err) {
      // Something in the result cannot be cloned (a DataCloneError): say so rather than crash.
      port.postMessage(failure(err));
    }
  });
}
