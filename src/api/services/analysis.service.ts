/**
 * The analysis behind the API: runs the engine (src/analysis/analyse.ts) for an as-of instant and a
 * bed capacity, and keeps the result, since one run over a large district takes seconds. Results
 * are cached per (asOf, capacity), requests for a key already being computed wait for that one
 * computation, and a write through the API empties the cache. A failed analysis is remembered for
 * a short while (`failureMaxAgeMs`), so that a request that breaks the engine does not run it again
 * on every request under load; a failure of the store being unreachable is not: the next request
 * tries again. The default as-of instant is the end
 * of the day of the latest case event (src/analysis/as-of.ts), as in the CLI.
 *
 * The server runs each analysis in a worker thread (`worker`, analysis-workers.ts) with its own
 * store connection, so /health, /ready and record queries keep being answered during the minute
 * or more a large district takes; `close()` terminates running workers. Without `worker`, or
 * with `inProcess` or an injected `analyse`, the engine runs on the calling thread.
 */
import { briefingState, type BriefingState } from '../../analysis/changes';
import { analyseOutbreak, type Analysis, type AnalysisOptions } from '../../analysis/analyse';
import { latestCaseAsOf } from '../../analysis/as-of';
import type { AnalysisReport } from '../../analysis/report-model';
import { toReport } from '../../analysis/report';
import { StoreBusyError } from '../../domain/errors';
import { resolveParameters, type Parameters } from '../../domain/parameters';
import { EARLIEST_YEAR, LATEST_YEAR, withinYears } from '../../domain/time';
import type { Instant } from '../../domain/types';
import type { TraceStore } from '../../store/port';
import { badUserInput, isStoreUnavailable } from '../errors';
import { AnalysisIndex } from '../analysis/analysis-index';
import { AnalysisWorkers, type AnalysisWorkerOptions } from './analysis-workers';

/** What one analysis is computed for. */
export interface AnalysisKey {
  asOf: Instant;
  /** At most this many quarantine beds in all; null: the sites' own capacity. */
  capacity: number | null;
}

/** What a caller asks for: anything left out takes its default. */
export interface AnalysisRequest {
  asOf?: Instant | null;
  capacity?: number | null;
}

/**
 * BAD_USER_INPUT at `path` for an instant outside the years the rest of tracegraph takes (an
 * analysis as of the year 9999 walks every day to it, holding the analysis queue for minutes).
 */
export function checkWithinYears(at: number, path: string): void {
  if (!withinYears(at))
    throw badUserInput([
      {
        path,
        reason: `${new Date(at).toISOString()} is outside the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`,
      },
    ]);
}

/** One computed analysis, with its report and lookups built when first needed. */
export class AnalysedOutbreak {
  private reportMemo: AnalysisReport | null = null;
  private indexMemo: AnalysisIndex | null = null;
  private briefingMemo: BriefingState | null = null;

  constructor(
    readonly key: AnalysisKey,
    readonly analysis: Analysis,
  ) {}

  /**
   * The JSON-ready report (src/analysis/report.ts), as the CLI and the chain view use it. Its
   * contacts' evidence is built when read: nothing here reads it (contacts are served from the
   * tiers), and kept it would be 12 million objects per cached analysis at a million persons.
   */
  report(): AnalysisReport {
    return (this.reportMemo ??= toReport(this.analysis, { evidenceOnRead: true }));
  }

  /** What a comparison with another analysis reads (`outbreakChanges`). */
  briefing(): BriefingState {
    return (this.briefingMemo ??= briefingState(this.analysis));
  }

  /** Lookups by person, chain, host and place over this analysis. */
  get index(): AnalysisIndex {
    return (this.indexMemo ??= new AnalysisIndex(this.analysis, () => this.report()));
  }
}

export type Analyse = (store: TraceStore, params: Parameters, options: AnalysisOptions) => Promise<Analysis>;

export interface AnalysisServiceOptions {
  /** Default: the 9th-edition protocol and Omicron BA.5 (resolveParameters()). */
  params?: Parameters;
  /** Analyses kept at once, least recently used dropped first (default 8). */
  maxEntries?: number;
  /**
   * A cached analysis older than this is computed again (default 10 minutes), so that records
   * written to the store by other means (an import from the command line) are seen in time.
   */
  maxAgeMs?: number;
  /**
   * A failed analysis is answered with the same failure for this long (default 30 s) before it is
   * tried again; one that failed because the store was unreachable is tried again at once.
   */
  failureMaxAgeMs?: number;
  /** The engine, run as given on the calling thread (tests count its runs); overrides `worker`. */
  analyse?: Analyse;
  /** Run each analysis in a worker thread opening the store from this configuration. */
  worker?: AnalysisWorkerOptions;
  /** Run the engine on the calling thread even when `worker` is given. */
  inProcess?: boolean;
  now?: () => number;
}

interface Entry {
  promise: Promise<AnalysedOutbreak>;
  startedAt: number;
  /** When the computation failed; null while running or once it succeeded. */
  failedAt: number | null;
}

export const DEFAULT_CACHE_ENTRIES = 8;
export const DEFAULT_CACHE_MAX_AGE_MS = 10 * 60_000;
export const DEFAULT_FAILURE_MAX_AGE_MS = 30_000;

export class AnalysisService {
  readonly params: Parameters;
  private readonly entries = new Map<string, Entry>();
  private defaultAsOf: { promise: Promise<Instant>; startedAt: number } | null = null;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly failureMaxAgeMs: number;
  private readonly analyse: Analyse;
  private readonly workers: AnalysisWorkers | null;
  private readonly now: () => number;
  private runs = 0;

  constructor(
    private readonly store: TraceStore,
    options: AnalysisServiceOptions = {},
  ) {
    this.params = options.params ?? resolveParameters();
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_CACHE_ENTRIES);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS;
    this.failureMaxAgeMs = options.failureMaxAgeMs ?? DEFAULT_FAILURE_MAX_AGE_MS;
    this.workers =
      options.analyse || options.inProcess || !options.worker ? null : new AnalysisWorkers(options.worker);
    this.analyse = options.analyse ?? this.workers?.analyse ?? analyseOutbreak;
    this.now = options.now ?? Date.now;
  }

  /** How many analyses have been started (cache misses). */
  get computations(): number {
    return this.runs;
  }

  /** Whether analyses run in worker threads. */
  get inWorkers(): boolean {
    return this.workers !== null;
  }

  /** Analyses running in workers now. */
  get runningWorkers(): number {
    return this.workers?.size ?? 0;
  }

  /** Terminates analyses running in workers (they fail with a shutdown error); for a server's stop. */
  async close(): Promise<void> {
    await this.workers?.close();
  }

  /** Forgets every analysis and the default as-of instant: the store has changed. */
  invalidate(): void {
    this.entries.clear();
    this.defaultAsOf = null;
  }

  /**
   * The key a request stands for, its defaults filled in; refuses a capacity that is not a bed
   * count, and an instant outside the years the rest of tracegraph takes (an analysis as of the
   * year 9999 walks every day to it, holding the analysis queue for minutes).
   */
  async keyOf(request: AnalysisRequest = {}): Promise<AnalysisKey> {
    const capacity = request.capacity ?? null;
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0)) {
      throw badUserInput([{ path: 'capacity', reason: 'must be a whole number of beds (0 or more)' }]);
    }
    if (request.asOf != null) checkWithinYears(request.asOf, 'asOf');
    const asOf = request.asOf ?? (await this.latestAsOf());
    return { asOf, capacity };
  }

  /** The cache id of a key: one per analysis. */
  static idOf(key: AnalysisKey): string {
    return `${key.asOf}|${key.capacity ?? ''}`;
  }

  /** The analysis for the request, computed once per key while the store does not change. */
  async get(request: AnalysisRequest = {}): Promise<AnalysedOutbreak> {
    const key = await this.keyOf(request);
    const id = AnalysisService.idOf(key);
    const cached = this.entries.get(id);
    if (cached && this.isFresh(cached)) {
      // Least recently used goes first: move this one to the end.
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached.promise;
    }
    this.runs += 1;
    const promise = this.analyse(this.store, this.params, { asOf: key.asOf, capacity: key.capacity }).then(
      (analysis) => new AnalysedOutbreak(key, analysis),
    );
    const entry: Entry = { promise, startedAt: this.now(), failedAt: null };
    this.entries.set(id, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    promise.catch((err: unknown) => {
      // The store being down or busy says nothing about the analysis: the next request tries again.
      if (isStoreUnavailable(err) || err instanceof StoreBusyError) {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      } else {
        entry.failedAt = this.now();
      }
    });
    return promise;
  }

  private isFresh(entry: Entry): boolean {
    const now = this.now();
    if (now - entry.startedAt > this.maxAgeMs) return false;
    return entry.failedAt === null || now - entry.failedAt <= this.failureMaxAgeMs;
  }

  private latestAsOf(): Promise<Instant> {
    const current = this.defaultAsOf;
    if (current && this.now() - current.startedAt <= this.maxAgeMs) return current.promise;
    const promise = latestCaseAsOf(this.store, this.now);
    const entry = { promise, startedAt: this.now() };
    this.defaultAsOf = entry;
    promise.catch(() => {
      if (this.defaultAsOf === entry) this.defaultAsOf = null;
    });
    return promise;
  }
}
