/**
 * The whole analysis: from the outbreak neighbourhood to exposures, contact tiers, who infected
 * whom, chains, sources, quarantine priority, risk areas and clusters. `analyseData` is pure;
 * `analyseOutbreak` first pulls the neighbourhood through the store port.
 */
import seedrandom from 'seedrandom';
import type { Parameters } from '../domain/parameters';
import type { Instant } from '../domain/types';
import type { TraceStore } from '../store/port';
import { buildChains, type ChainAnalysis } from './chains';
import { caseComponents, graphCommunities, topSpreaders, type Cluster, type Spreaders } from './clusters';
import { ExposureGraphBuilder, type ExposureGraph } from './exposure-graph';
import { protocolAndInferenceExposures } from './exposures';
import { windowsOfCases, type InfectiousWindow } from './infectious-window';
import { inferenceParameters, inferInfectors, type InfectorInference } from './infector';
import { loadOutbreak } from './load';
import type { Exposure, OutbreakData } from './model';
import { networkExposures } from './network-exposures';
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
  /** Told the seconds each phase took, as it ends (benchmarks print them). */
  onPhase?: (phase: AnalysisPhase, seconds: number) => void;
}

/** The phases of an analysis, in the order they run. */
export const ANALYSIS_PHASES = [
  'load',
  'exposures',
  'tiers',
  'infectors',
  'chains',
  'sources',
  'contact network',
  'communities',
  'network links',
  'quarantine',
  'risk areas',
  'clusters',
] as const;
export type AnalysisPhase = (typeof ANALYSIS_PHASES)[number];

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

/** Runs every algorithm on data already loaded. */
export function analyseData(data: OutbreakData, params: Parameters, options: AnalysisOptions): Analysis {
  const { asOf, onPhase } = options;
  const { windows, exposures, inferenceExposures } = timed(onPhase, 'exposures', () => {
    const windows = windowsOfCases(data.cases, data.samples, params, asOf);
    // Inference weighs exposures over its own windows (src/analysis/infector.ts); while they are
    // the protocol's, the exposures are derived once.
    const { protocol, inference } = protocolAndInferenceExposures(data, params, inferenceParameters(params));
    return { windows, exposures: protocol, inferenceExposures: inference };
  });
  const tiers = timed(onPhase, 'tiers', () => assignTiers(data, exposures, params));
  const inferences = timed(onPhase, 'infectors', () => inferInfectors(data, inferenceExposures, params));
  const chains = timed(onPhase, 'chains', () => buildChains(data, inferences, params, asOf));
  const sources = timed(onPhase, 'sources', () => rankSources(data, inferenceExposures, inferences, chains));
  const caseIds = new Set(data.cases.map((c) => c.personId));
  // Centrality and communities are measured on the contact network, not on every co-presence at
  // a venue (src/analysis/network-exposures.ts says why). One graph serves both (at 1M persons
  // ~4M edges, whose building is most of either's cost): Louvain runs on the exposures' edges,
  // then the household and contact links are added for centrality.
  // The builder and the graph are let go as soon as nothing reads them (at 1M persons the graph
  // is ~2.7 GB).
  const network: { builder: ExposureGraphBuilder | null; graph: ExposureGraph | null } = timed(
    onPhase,
    'contact network',
    () => {
      const builder = new ExposureGraphBuilder(
        networkExposures(exposures, caseIds, params.protocol),
        caseIds,
      );
      return { builder, graph: builder.exposures() };
    },
  );
  const communities = timed(onPhase, 'communities', () => {
    const rng = seedrandom(options.seed ?? 'tracegraph');
    return graphCommunities(network.graph!, caseIds, { rng }).communities;
  });
  timed(onPhase, 'network links', () => {
    network.builder!.withLinks(data);
    // The graph is complete: its draft (numbering, sums) can go.
    network.builder = null;
  });
  const quarantine = timed(onPhase, 'quarantine', () =>
    prioritiseQuarantine(data, exposures, tiers, params, {
      asOf,
      exposureGraph: network.graph!,
      capacity: options.capacity ?? null,
    }),
  );
  // Nothing reads the graph after quarantine.
  network.graph = null;
  const areas = timed(onPhase, 'risk areas', () => riskAreas(data, params, { asOf }));
  const { clusters, spreaders } = timed(onPhase, 'clusters', () => ({
    clusters: [...caseComponents(inferences), ...communities],
    spreaders: topSpreaders(chains, inferences),
  }));
  return {
    asOf,
    params,
    data,
    windows,
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

/** Loads the neighbourhood the analysis needs from the store, then analyses it. */
export async function analyseOutbreak(
  store: TraceStore,
  params: Parameters,
  options: AnalysisOptions,
): Promise<Analysis> {
  // Load with the wider inference windows: a superset of what the protocol's windows need.
  const started = performance.now();
  const data = await loadOutbreak(store, inferenceParameters(params), options.asOf);
  options.onPhase?.('load', (performance.now() - started) / 1000);
  return analyseData(data, params, options);
}
