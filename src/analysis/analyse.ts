/**
 * The whole analysis: from the outbreak neighbourhood to exposures, contact tiers, who infected
 * whom, chains, sources, quarantine priority, risk areas and clusters. `analyseData` is pure and
 * runs in this thread; `analyseDataInParallel` gives the same analysis with a large contact
 * network measured in a worker thread beside the tiers, and the infectors of many exposures
 * inferred in another beside the network's numbering and the tiers (at a million persons 4 s and
 * 13 s that leave this thread's path); `analyseOutbreak` first pulls the neighbourhood through
 * the store port, then runs that, with the infectors' worker started halfway through a load that
 * reads in this thread.
 */
import type { Parameters } from '../domain/parameters';
import type { Id, Instant } from '../domain/types';
import type { TraceStore } from '../store/port';
import { buildChains, type ChainAnalysis } from './chains';
import {
  caseComponents,
  clustersOfCommunities,
  DEFAULTS as CLUSTER_DEFAULTS,
  topSpreaders,
  type Cluster,
  type Spreaders,
} from './clusters';
import { onForSize } from './auto-choice';
import { collectsGarbage, exposedCollector } from './collect-garbage';
import { protocolAndInferenceExposures } from './exposures';
import { caseWindows, type InfectiousWindow } from './infectious-window';
import {
  caseExposures,
  inferenceParameters,
  inferFromCaseExposures,
  type InfectorInference,
} from './infector';
import { inferInfectorsInWorker, type InferencesFromWorker } from './infector-in-worker';
import type { PendingWork } from './in-worker';
import type { CaseInfectionTimes } from './infection-time';
import { loadOutbreakWithExposures, type ExposuresKnown } from './load';
import type { CasesAndSamples, Exposure, OutbreakData } from './model';
import { networkExposures } from './network-exposures';
import { measureNetworkInWorker, type PendingMeasures } from './network-in-worker';
import { networkRecords, type NetworkRecords } from './network-records';
import {
  measureNetwork,
  type NetworkPhase,
  type NetworkMeasureOptions,
  type NetworkMeasures,
} from './network-measures';
import { prioritiseQuarantine, type QuarantinePlan } from './quarantine';
import { riskAreas, type RiskArea } from './risk-areas';
import { rankSources, type SourceRanking } from './sources';
import { assignTiers, type TierEntry } from './tiers';

export interface AnalysisOptions {
  asOf: Instant;
  /** At most this many quarantine beds in all (default: the sites' capacity). */
  capacity?: number | null;
  /** Seed of the community detection (Louvain), so a report is reproducible. */
  seed?: string;
  /**
   * Whether `analyseOutbreak` measures the contact network in a worker thread, beside the tiers:
   * 'auto' (the default) when it has at least `NETWORK_WORKER_MIN_RECORDS` records (exposures and
   * links, src/analysis/network-records.ts). The result is the same either way.
   */
  networkWorker?: boolean | 'auto';
  /**
   * Whether the infectors are inferred in a worker thread: 'auto' (the default) when there are at
   * least `INFECTOR_WORKER_MIN_EXPOSURES` exposures. `analyseOutbreak` on a store that reads in
   * this thread (embedded) starts it as soon as the load knows the exposures, beside the rest of
   * the load; otherwise it runs beside the network's numbering and the tiers. The result is the
   * same either way.
   */
  infectorWorker?: boolean | 'auto';
  /**
   * Whether `analyseOutbreak` makes a full garbage collection as soon as the load ends and again
   * as the analysis ends, where node allows one (--expose-gc): 'auto' (the default) when the load
   * has at least `COLLECT_GARBAGE_MIN_EXPOSURES` exposures (src/analysis/collect-garbage.ts says
   * why). The result is the same either way.
   */
  collectGarbage?: boolean | 'auto';
  /** Told the seconds each phase took, as it ends (benchmarks print them). */
  onPhase?: (phase: AnalysisPhase, seconds: number) => void;
}

/**
 * Below this many records the contact network is measured in this thread: starting a worker and
 * loading graphology there (a fraction of a second) would cost more than it saves.
 */
export const NETWORK_WORKER_MIN_RECORDS = 50_000;

/**
 * Below this many exposures the infectors are inferred in this thread, after the tiers: the
 * inference takes about a second at 100,000 persons, not worth a worker's start.
 */
export const INFECTOR_WORKER_MIN_EXPOSURES = 1_000_000;

/**
 * The phases of an analysis, in the order they end. 'load garbage' and 'analysis garbage' are the
 * full collections after a large load and after its analysis (see `collectGarbage`), told only
 * when made. The network's phases ('network edges', 'communities' and 'centrality') run in a
 * worker beside 'tiers' to 'sources' when the network is large (see `networkWorker`); 'network wait' is then the time this thread waited for them after 'sources'.
 * With many exposures the infectors are inferred in a worker (see `infectorWorker`), from halfway
 * through 'load' or from the end of 'exposures': 'infectors' is then the seconds of that work (the
 * cases' exposures gathered here, the inference there), told after 'tiers', and 'infectors wait'
 * the time this thread waited for it.
 * The analysis measures Louvain and PageRank from the network's numbers: no graphology graph is
 * built for them, so no 'contact network' phase (src/analysis/network-measures.ts).
 */
export const ANALYSIS_PHASES = [
  'load',
  'load garbage',
  'exposures',
  'network numbering',
  'tiers',
  'infectors',
  'infectors wait',
  'chains',
  'sources',
  'network edges',
  'communities',
  'centrality',
  'network wait',
  'quarantine',
  'risk areas',
  'clusters',
  'analysis garbage',
] as const;
export type AnalysisPhase = (typeof ANALYSIS_PHASES)[number] | NetworkPhase;

/** Runs `work` and tells `onPhase` how long it took. */
function timed<T>(onPhase: AnalysisOptions['onPhase'], phase: AnalysisPhase, work: () => T): T {
  if (!onPhase) return work();
  const started = performance.now();
  const result = work();
  onPhase(phase, (performance.now() - started) / 1000);
  return result;
}

export interface Analysis {
  asOf: Instant;
  params: Parameters;
  data: OutbreakData;
  windows: Map<string, InfectiousWindow>;
  /** Exposures in the protocol's windows: what contact tracing acts on. */
  exposures: Exposure[];
  tiers: TierEntry[];
  inferences: InfectorInference[];
  chains: ChainAnalysis;
  sources: SourceRanking;
  quarantine: QuarantinePlan;
  riskAreas: RiskArea[];
  clusters: Cluster[];
  spreaders: Spreaders;
}

/**
 * What the analysis asks of whoever drives it (`analyseData`, `analyseDataInParallel`): to start
 * inferring the infectors, then, after the tiers, for the inferences; to start measuring the
 * contact network, then, once the tiers to the sources are done, for its measures. The driver
 * answers each of the last two with what it asks for, the starts with nothing.
 */
type AnalysisRequest =
  | { kind: 'start infectors'; cases: CasesAndSamples; exposures: Exposure[]; params: Parameters }
  | { kind: 'inferences' }
  | { kind: 'start network'; input: NetworkRecords }
  | { kind: 'measures' };
type AnalysisAnswer = InfectorInference[] | NetworkMeasures | undefined;

/**
 * The analysis, step by step; the contact network is measured by the driver (see above).
 * `loaded`: what the load has worked out (src/analysis/load.ts), or null: the exposures of `data`
 * under `inferenceParameters(params)`, and the cases' infection times under `params` (or null).
 */
function* analysisSteps(
  data: OutbreakData,
  params: Parameters,
  options: AnalysisOptions,
  loaded: { exposures: Exposure[]; infectionTimes: CaseInfectionTimes | null } | null,
): Generator<AnalysisRequest, Analysis, AnalysisAnswer> {
  const { asOf, onPhase } = options;
  const { windows, windowsAsOf, exposures, inferenceExposures } = timed(onPhase, 'exposures', () => {
    // Each case's window, worked out once for every step that reads one (each read every stay).
    const windows = caseWindows(data, params);
    // The chains and the report read them as of the analysis's instant: the same table unless a
    // caller gave another instant than the data's.
    const windowsAsOf = asOf === data.asOf ? windows : caseWindows({ ...data, asOf }, params);
    // Inference weighs exposures over its own windows (src/analysis/infector.ts); while they are
    // the protocol's, the exposures are derived once.
    const { protocol, inference } = protocolAndInferenceExposures(
      data,
      params,
      inferenceParameters(params),
      {},
      loaded?.exposures ?? null,
      windows,
    );
    return { windows, windowsAsOf, exposures: protocol, inferenceExposures: inference };
  });
  const { cases, samples } = data;
  const infectionTimes = loaded?.infectionTimes;
  yield {
    kind: 'start infectors',
    cases: { cases, samples, asOf: data.asOf, windows, ...(infectionTimes ? { infectionTimes } : {}) },
    exposures: inferenceExposures,
    params,
  };
  const caseIds = new Set(data.cases.map((c) => c.personId));
  // Centrality and communities are measured on the contact network, not on every co-presence at
  // a venue (src/analysis/network-exposures.ts says why): Louvain on the exposures' edges, then
  // centrality with the household and contact links added. The network is numbered here and
  // measured by the driver, in a worker when it is large: at 1M persons ~5.7M edges, a minute of
  // graphology's work that then runs beside the tiers and the inference.
  const { records, nodeIds } = timed(onPhase, 'network numbering', () =>
    networkRecords(networkExposures(exposures, caseIds, params.protocol), data),
  );
  yield { kind: 'start network', input: records };
  const tiers = timed(onPhase, 'tiers', () => assignTiers(data, exposures, params, {}, windows));
  const inferences = yield { kind: 'inferences' };
  if (!Array.isArray(inferences)) throw new Error('analysis: the infectors were not inferred');
  const chains = timed(onPhase, 'chains', () => buildChains(data, inferences, params, asOf, {}, windowsAsOf));
  const sources = timed(onPhase, 'sources', () =>
    rankSources(data, inferenceExposures, inferences, chains, {
      backwardDays: params.protocol.backwardTracingDays,
    }),
  );
  const measures = yield { kind: 'measures' };
  if (!measures || Array.isArray(measures)) throw new Error('analysis: the contact network was not measured');
  const centralityById = new Map<Id, number>();
  measures.centrality.forEach((value, node) => centralityById.set(nodeIds[node]!, value));
  const quarantine = timed(onPhase, 'quarantine', () =>
    prioritiseQuarantine(data, exposures, tiers, params, {
      asOf,
      centralityById,
      capacity: options.capacity ?? null,
    }),
  );
  const areas = timed(onPhase, 'risk areas', () => riskAreas(data, params, { asOf }, windows));
  const { clusters, spreaders } = timed(onPhase, 'clusters', () => ({
    clusters: [
      ...caseComponents(inferences),
      ...clustersOfCommunities(nodeIds, measures.communityOf, caseIds),
    ],
    spreaders: topSpreaders(chains, inferences),
  }));
  return {
    asOf,
    params,
    data,
    windows: windowsAsOf,
    exposures,
    tiers,
    inferences,
    chains,
    sources,
    quarantine,
    riskAreas: areas,
    clusters,
    spreaders,
  };
}

function networkOptions(options: AnalysisOptions): NetworkMeasureOptions {
  return {
    seed: options.seed ?? 'tracegraph',
    resolution: CLUSTER_DEFAULTS.resolution,
    centrality: 'pagerank',
  };
}

/** Tells `onPhase` the network's phases. */
function tellNetworkPhases(options: AnalysisOptions, measures: NetworkMeasures): void {
  for (const [phase, seconds] of measures.phases) options.onPhase?.(phase, seconds);
}

/** Runs every algorithm on data already loaded, in this thread. */
export function analyseData(data: OutbreakData, params: Parameters, options: AnalysisOptions): Analysis {
  const steps = analysisSteps(data, params, options, null);
  let infer: (() => InfectorInference[]) | null = null;
  let input: NetworkRecords | null = null;
  let step = steps.next();
  while (!step.done) {
    const request = step.value;
    switch (request.kind) {
      case 'start infectors':
        infer = () => inferFromCaseExposures(caseExposures(request.cases, request.exposures), request.params);
        step = steps.next();
        break;
      case 'inferences': {
        const inferences = timed(options.onPhase, 'infectors', infer!);
        infer = null;
        step = steps.next(inferences);
        break;
      }
      case 'start network':
        input = request.input;
        step = steps.next();
        break;
      case 'measures': {
        const measures = measureNetwork(input!, networkOptions(options));
        input = null;
        tellNetworkPhases(options, measures);
        step = steps.next(measures);
        break;
      }
    }
  }
  return step.value;
}

/**
 * `analyseData`, with the contact network measured in a worker thread beside the rest when it is
 * large (`networkWorker`): the same analysis, sooner on two cores.
 */
export async function analyseDataInParallel(
  data: OutbreakData,
  params: Parameters,
  options: AnalysisOptions,
): Promise<Analysis> {
  return runInParallel(analysisSteps(data, params, options, null), options);
}

/** The infector inference under way in a worker, and the seconds this thread spent on it. */
interface PendingInferences {
  work: PendingWork<InferencesFromWorker>;
  secondsHere: number;
}

/** Starts inferring the infectors in a worker: the exposures checked here, only the cases' sent. */
function inferInWorker(
  data: CasesAndSamples,
  exposures: readonly Exposure[],
  params: Parameters,
): PendingInferences {
  const started = performance.now();
  const work = inferInfectorsInWorker(caseExposures(data, exposures), params);
  // Its failure is reported when waited for, not as an unhandled rejection before that.
  work.result.catch(() => undefined);
  return { work, secondsHere: (performance.now() - started) / 1000 };
}

/**
 * Drives the steps of an analysis, with a large contact network measured, and the infectors of
 * many exposures inferred, in worker threads.
 */
async function runInParallel(
  steps: Generator<AnalysisRequest, Analysis, AnalysisAnswer>,
  options: AnalysisOptions,
  startedEarly: PendingInferences | null = null,
): Promise<Analysis> {
  let infer: (() => InfectorInference[]) | null = null;
  let inferring: PendingInferences | null = startedEarly;
  let input: NetworkRecords | null = null;
  let pending: PendingMeasures | null = null;
  try {
    let step = steps.next();
    while (!step.done) {
      const request = step.value;
      if (request.kind === 'start infectors') {
        const { cases, exposures, params } = request;
        if (startedEarly) {
          // Already under way since the load, on the same cases' exposures (see `analyseOutbreak`).
        } else if (onForSize(options.infectorWorker, exposures.length, INFECTOR_WORKER_MIN_EXPOSURES)) {
          inferring = inferInWorker(cases, exposures, params);
        } else {
          infer = () => inferFromCaseExposures(caseExposures(cases, exposures), params);
        }
        step = steps.next();
      } else if (request.kind === 'inferences') {
        let inferences: InferencesFromWorker['inferences'];
        if (inferring) {
          const started = performance.now();
          const done = await inferring.work.result;
          const waited = (performance.now() - started) / 1000;
          options.onPhase?.('infectors', inferring.secondsHere + done.seconds);
          options.onPhase?.('infectors wait', waited);
          inferring = null;
          inferences = done.inferences;
        } else {
          inferences = timed(options.onPhase, 'infectors', infer!);
          infer = null;
        }
        step = steps.next(inferences);
      } else if (request.kind === 'start network') {
        input = request.input;
        if (onForSize(options.networkWorker, input.recordA.length, NETWORK_WORKER_MIN_RECORDS)) {
          pending = measureNetworkInWorker(input, networkOptions(options));
          pending.measures.catch(() => undefined);
          input = null;
        }
        step = steps.next();
      } else {
        const networkInWorker = pending !== null;
        const started = performance.now();
        const measures = pending ? await pending.measures : measureNetwork(input!, networkOptions(options));
        const waited = (performance.now() - started) / 1000;
        pending = null;
        input = null;
        tellNetworkPhases(options, measures);
        if (networkInWorker) options.onPhase?.('network wait', waited);
        step = steps.next(measures);
      }
    }
    return step.value;
  } finally {
    // The analysis failed before it needed them: stop the work under way.
    inferring?.work.stop();
    pending?.stop();
  }
}

/** Loads the neighbourhood the analysis needs from the store, then analyses it. */
export async function analyseOutbreak(
  store: TraceStore,
  params: Parameters,
  options: AnalysisOptions,
): Promise<Analysis> {
  // Load with the wider inference windows: a superset of what the protocol's windows need. The
  // load's exposures are those windows' exposures of the data: the analysis takes them as they are.
  const inference = inferenceParameters(params);
  // With many exposures, on a store that reads in this thread, the infectors are inferred in a
  // worker from the moment the load knows the exposures, halfway through it: beside the rest of the
  // load, which leaves the other core idle, rather than beside the tiers, where the contact
  // network's worker and this thread already keep both cores busy (at 1M embedded, numbering and
  // tiers 23 s instead of 26-36 s). A server's reads take that core themselves: on Neo4j at 1M the
  // worker beside the load made it 10 s longer and the peak 0.2 GB higher (3.99 GB, at the load's
  // end), so there it starts after the load, as with `analyseDataInParallel`. The inference reads
  // the cases' exposures (the analysis's, under the load's inference windows), the cases, their
  // samples and the instant, all final by then, and the cases' windows and infection times
  // (src/analysis/load.ts `onExposures`).
  // Those windows and infection times, and the ones the load returns, are under the load's
  // parameters: the inference's own while they are the analysis's; else it works them out itself.
  const loadParametersAreAnalysis = inference === params;
  let early: PendingInferences | null = null;
  const onExposures = ({ exposures, data }: ExposuresKnown): void => {
    if (
      loadParametersAreAnalysis &&
      store.readsInThisThread &&
      onForSize(options.infectorWorker, exposures.length, INFECTOR_WORKER_MIN_EXPOSURES)
    )
      early = inferInWorker(data, exposures, params);
    // The first half of the load's garbage (the rows fetched, the copies sorted and merged, the
    // sweep's), collected before the second half grows the heap on top of the exposures: at 1M
    // that half's end was the analysis's peak (src/analysis/collect-garbage.ts).
    if (collectsGarbage(options.collectGarbage, exposures.length)) exposedCollector()?.();
  };
  try {
    const started = performance.now();
    const { data, exposures, infectionTimes } = await loadOutbreakWithExposures(
      store,
      inference,
      options.asOf,
      { onExposures },
    );
    options.onPhase?.('load', (performance.now() - started) / 1000);
    const collector = collectsGarbage(options.collectGarbage, exposures.length) ? exposedCollector() : null;
    if (collector) timed(options.onPhase, 'load garbage', collector);
    const steps = analysisSteps(data, params, options, {
      exposures,
      infectionTimes: loadParametersAreAnalysis ? infectionTimes : null,
    });
    const pending = early;
    // Handed on: stopped, if need be, by the driver from here.
    early = null;
    const analysis = await runInParallel(steps, options, pending);
    // What the phases left behind, collected before a report is built on top of the analysis.
    if (collector) timed(options.onPhase, 'analysis garbage', collector);
    return analysis;
  } finally {
    // The load failed after the inference started.
    (early as PendingInferences | null)?.work.stop();
  }
}
