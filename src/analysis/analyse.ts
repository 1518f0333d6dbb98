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
import { caseComponents, exposureCommunities, topSpreaders, type Cluster, type Spreaders } from './clusters';
import { buildExposureGraph } from './exposure-graph';
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
  const { asOf } = options;
  const windows = windowsOfCases(data.cases, data.samples, params, asOf);
  // Inference weighs exposures over its own windows (src/analysis/infector.ts); while they are the
  // protocol's, the exposures are derived once.
  const { protocol: exposures, inference: inferenceExposures } = protocolAndInferenceExposures(
    data,
    params,
    inferenceParameters(params),
  );
  const tiers = assignTiers(data, exposures, params);
  const inferences = inferInfectors(data, inferenceExposures, params);
  const chains = buildChains(data, inferences, params, asOf);
  const sources = rankSources(data, inferenceExposures, inferences, chains);
  const caseIds = new Set(data.cases.map((c) => c.personId));
  // Centrality and communities are measured on the contact network, not on every co-presence at
  // a venue (src/analysis/network-exposures.ts says why).
  const network = networkExposures(exposures, caseIds, params.protocol);
  const exposureGraph = buildExposureGraph(network, data);
  const quarantine = prioritiseQuarantine(data, exposures, tiers, params, {
    asOf,
    exposureGraph,
    capacity: options.capacity ?? null,
  });
  const areas = riskAreas(data, params, { asOf });
  const rng = seedrandom(options.seed ?? 'tracegraph');
  const clusters = [
    ...caseComponents(inferences),
    ...exposureCommunities(network, caseIds, { rng }).communities,
  ];
  const spreaders = topSpreaders(chains, inferences);
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
  const data = await loadOutbreak(store, inferenceParameters(params), options.asOf);
  return analyseData(data, params, options);
}
