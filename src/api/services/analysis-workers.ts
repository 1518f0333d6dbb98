/**
 * Analyses in worker threads, so that the server keeps answering /health, /ready and record
 * queries while one is computed (a minute or more on a 100,000-person district). Each analysis
 * gets its own Worker (analysis-worker.ts), which opens its own store connection from the
 * server's store configuration (a second SQLite connection to the WAL database, or a second
 * Neo4j driver), runs the engine and posts the Analysis back by structured clone (plain objects,
 * arrays and Maps only), then ends. A failure comes back as the error it was, by name: a
 * StoreUnavailableError stays one, so the API still answers UNAVAILABLE, and a StoreBusyError (a
 * read refused while another process holds the store) one, STORE_BUSY. `close()` terminates the
 * workers still running (the server's graceful stop).
 */
import { Worker } from 'node:worker_threads';
import type { Analysis, AnalysisOptions } from '../../analysis/analyse';
import type { Parameters } from '../../domain/parameters';
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';
import {
  errorFromWorker,
  workerEntry,
  WORKER_YOUNG_GENERATION_MB,
  type WorkerError,
} from '../../domain/worker-entry';
import type { StoreConfig } from '../../store';
import type { TraceStore } from '../../store/port';
import type { Analyse } from './analysis.service';

export interface AnalysisWorkerOptions {
  /** How the worker opens the store: the configuration the server's store was opened with. */
  storeConfig: StoreConfig;
  /**
   * Analyses computed at once; more wait their turn (default 1: a 100,000-person analysis holds
   * about 1.5 GB until it is sent back).
   */
  maxConcurrent?: number;
  /**
   * Tests only: a worker blocks its thread before analysing until `holdForTests[0]` is non-zero,
   * and adds 1 to `holdForTests[1]` when it starts (an Int32Array over a SharedArrayBuffer).
   */
  holdForTests?: Int32Array;
}

/** What a worker is given (workerData). */
export interface AnalysisJob {
  storeConfig: StoreConfig;
  params: Parameters;
  options: AnalysisOptions;
  holdForTests?: Int32Array;
}

/** What a worker posts back. */
export type WorkerReply = { ok: true; analysis: Analysis } | { ok: false; error: WorkerError };

export const DEFAULT_CONCURRENT_ANALYSES = 1;

/** A worker only reads: a StoreBusyError it met is a read refused (another process holds the store). */
class ReadRefusedError extends StoreBusyError {
  constructor(message: string) {
    super(message, null, undefined, 'every-write', 'read');
  }
}

/**
 * The error classes a worker's failure keeps: a store outage stays one (UNAVAILABLE), and a read
 * refused while another process holds the store a StoreBusyError (STORE_BUSY).
 */
const WORKER_ERROR_CLASSES = { StoreUnavailableError, StoreBusyError: ReadRefusedError };

function stoppedError(): Error {
  return new Error('the analysis was stopped: the server is shutting down');
}

export class AnalysisWorkers {
  private readonly running = new Set<Worker>();
  private readonly queue: { resolve(): void; reject(err: Error): void }[] = [];
  private readonly maxConcurrent: number;
  private active = 0;
  private closed = false;

  constructor(private readonly options: AnalysisWorkerOptions) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_CONCURRENT_ANALYSES);
  }

  /** The engine as an `Analyse`: the store argument is not used, the worker opens its own. */
  readonly analyse: Analyse = (_store: TraceStore, params, options) => this.run(params, options);

  /** Workers running now. */
  get size(): number {
    return this.running.size;
  }

  /** Terminates the running workers and refuses the waiting and later analyses. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(stoppedError());
    await Promise.all([...this.running].map((worker) => worker.terminate()));
  }

  private async run(params: Parameters, options: AnalysisOptions): Promise<Analysis> {
    await this.acquire();
    try {
      return await this.runWorker({
        storeConfig: this.options.storeConfig,
        params,
        options,
        holdForTests: this.options.holdForTests,
      });
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.closed) return Promise.reject(stoppedError());
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  /** Hands the slot to the next waiting analysis, if any. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next.resolve();
    else this.active -= 1;
  }

  private runWorker(job: AnalysisJob): Promise<Analysis> {
    if (this.closed) return Promise.reject(stoppedError());
    const { file, execArgv } = workerEntry(__filename, 'analysis-worker');
    return new Promise<Analysis>((resolve, reject) => {
      // Settled on exit, so that the worker has ended when its analysis is handed over.
      let outcome: (() => void) | null = null;
      const worker = new Worker(file, {
        workerData: job,
        execArgv,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      this.running.add(worker);
      worker.once('message', (reply: WorkerReply) => {
        outcome ??= () =>
          reply.ok ? resolve(reply.analysis) : reject(errorFromWorker(reply.error, WORKER_ERROR_CLASSES));
        // The worker has nothing left to do: end it now rather than wait for its handles to close.
        void worker.terminate();
      });
      worker.once('error', (err) => {
        outcome ??= () => reject(new Error(`the analysis worker failed: ${err.message}`, { cause: err }));
      });
      worker.once('exit', (code) => {
        this.running.delete(worker);
        if (outcome) outcome();
        else if (this.closed) reject(stoppedError());
        else reject(new Error(`the analysis worker ended (exit code ${code}) without an answer`));
      });
    });
  }
}
