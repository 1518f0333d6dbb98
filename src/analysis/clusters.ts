/**
 * Clusters and superspreaders: connected components of the case graph (links of the infector
 * inference above a threshold), communities of the exposure graph (Louvain: Blondel et al.,
 * J Stat Mech 2008, via graphology-communities-louvain with an injected rng), and the cases that
 * drive transmission, by offspring in the chains (over-dispersion k = 0.33 makes a few cases cause
 * most infections: J Travel Med 2022, PMID 35435992) and by betweenness and PageRank of the case
 * graph (graphology-metrics).
 */
import { DirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { connectedComponents } from 'graphology-components';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import pagerank from 'graphology-metrics/centrality/pagerank';
import type { Id } from '../domain/types';
import type { ChainAnalysis } from './chains';
import type { InfectorInference } from './infector';
import type { Exposure } from './model';
import { ExposureGraphBuilder, type ExposureGraph } from './exposure-graph';

export interface ClusterOptions {
  /** A case-to-case link counts when its probability is at least this. */
  threshold: number;
  /** Louvain resolution (1 = classic modularity). */
  resolution: number;
  /** Randomness of Louvain's node order, e.g. `seedrandom('42')`; required for exposure communities. */
  rng: (() => number) | null;
  /** How many spreaders to list. */
  limit: number;
}

export const DEFAULTS: ClusterOptions = {
  threshold: 0.1,
  resolution: 1,
  rng: null,
  limit: 10,
};

export interface Cluster {
  /** `component-<smallest member id>` or `community-<smallest member id>`. */
  id: string;
  kind: 'case_component' | 'exposure_community';
  memberIds: Id[];
  size: number;
  caseCount: number;
}

export interface Spreader {
  personId: Id;
  /** Cases whose most likely infector this case is. */
  offspring: number;
  /** Σ of link probabilities to other cases (Wallinga & Teunis). */
  expectedOffspring: number;
  /** Normalised betweenness in the directed case graph. */
  betweenness: number;
  /** PageRank with links reversed (infectee to infector, weighted by probability, the rest of each
   *  case's probability pointing outside the graph): a case ranks high when its infectees, and
   *  theirs, point at it. The cases' ranks sum to 1. */
  pagerank: number;
}

export interface Spreaders {
  byOffspring: Spreader[];
  byBetweenness: Spreader[];
  byPagerank: Spreader[];
}

function checkThreshold(threshold: number, where: string): void {
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`${where}: option "threshold" must be between 0 and 1 (got ${threshold})`);
}

function checkInferences(inferences: readonly InfectorInference[], where: string): Set<Id> {
  if (!Array.isArray(inferences)) throw new TypeError(`${where}: inferences must be an array`);
  const ids = new Set<Id>();
  inferences.forEach((inf, i) => {
    if (!inf || typeof inf.personId !== 'string' || !Array.isArray(inf.distribution)) {
      throw new TypeError(`${where}: inferences[${i}] has no "personId" or "distribution"`);
    }
    ids.add(inf.personId);
  });
  return ids;
}

export type CaseGraph = DirectedGraph<{ id: Id }, { probability: number }>;

/**
 * The directed case graph: infector -> infectee for every case link at or above `threshold`. Its
 * nodes are numbered ("0", "1", ... in the order of the sorted ids), each with its case's `id`:
 * graphology keeps a node's neighbours in plain objects keyed by node key, where a key such as
 * "constructor" finds the inherited property and reads as an edge that is not there.
 */
export function caseGraph(
  inferences: readonly InfectorInference[],
  threshold = DEFAULTS.threshold,
): CaseGraph {
  const where = 'case graph';
  checkThreshold(threshold, where);
  const ids = checkInferences(inferences, where);
  const graph: CaseGraph = new DirectedGraph();
  const keyOf = new Map<Id, string>();
  for (const id of [...ids].sort()) addCase(graph, keyOf, id);
  for (const inf of inferences) {
    for (const d of inf.distribution) {
      if (
        d.kind !== 'case' ||
        d.id === inf.personId ||
        !ids.has(d.id) ||
        d.probability < threshold ||
        d.probability === 0
      )
        continue;
      graph.mergeEdge(keyOf.get(d.id)!, keyOf.get(inf.personId)!, { probability: d.probability });
    }
  }
  return graph;
}

/** Adds the case `id` as the next numbered node, unless it is there already; returns its key. */
function addCase(graph: CaseGraph, keyOf: Map<Id, string>, id: Id): string {
  let key = keyOf.get(id);
  if (key === undefined) {
    key = String(graph.order);
    keyOf.set(id, key);
    graph.addNode(key, { id });
  }
  return key;
}

/** Connected components of the case graph (links at or above the threshold), largest first. */
export function caseComponents(
  inferences: readonly InfectorInference[],
  options: Partial<ClusterOptions> = {},
): Cluster[] {
  const { threshold } = { ...DEFAULTS, ...options };
  const graph = caseGraph(inferences, threshold);
  return connectedComponents(graph)
    .map((members) => {
      const memberIds = members.map((key) => graph.getNodeAttribute(key, 'id')).sort();
      return {
        id: `component-${memberIds[0]}`,
        kind: 'case_component' as const,
        memberIds,
        size: memberIds.length,
        caseCount: memberIds.length,
      };
    })
    .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
}

/**
 * Louvain communities of the exposure graph: persons and sources joined by their exposures,
 * weighted by minutes (at least 1, so an instant handling counts). `caseIds` marks which members
 * are cases. Returns the communities (largest first) and their modularity.
 */
export function exposureCommunities(
  exposures: readonly Exposure[],
  caseIds: ReadonlySet<Id>,
  options: Partial<ClusterOptions> = {},
): { communities: Cluster[]; modularity: number } {
  // Checked before the graph is built, not only by graphCommunities after.
  communityOptions(options);
  if (!Array.isArray(exposures)) throw new TypeError('exposure communities: exposures must be an array');
  exposures.forEach((e, i) => {
    if (typeof e.personId !== 'string' || typeof e.sourceId !== 'string') {
      throw new TypeError(`exposure communities: exposures[${i}] has no "personId" or "sourceId"`);
    }
    if (!(e.minutes >= 0))
      throw new RangeError(`exposure communities: exposures[${i}]: field "minutes" must be >= 0`);
  });
  const graph = new ExposureGraphBuilder(exposures.filter((e) => e.personId !== e.sourceId)).exposures();
  return graphCommunities(graph, caseIds, options);
}

/** Louvain's options, checked: a seeded rng is required, the resolution must be above 0. */
function communityOptions(options: Partial<ClusterOptions>): { resolution: number; rng: () => number } {
  const { resolution, rng } = { ...DEFAULTS, ...options };
  if (typeof rng !== 'function')
    throw new TypeError('exposure communities: option "rng" (a seeded random function) is required');
  if (!(resolution > 0))
    throw new RangeError(`exposure communities: option "resolution" must be > 0 (got ${resolution})`);
  return { resolution, rng };
}

/**
 * `exposureCommunities` on an exposure graph already built (src/analysis/exposure-graph.ts).
 * Louvain weighs each edge by its `weight`; a link weighs 0 but would still make its persons
 * members, so give the graph before the links are added (`ExposureGraphBuilder.exposures()`).
 */
export function graphCommunities(
  graph: ExposureGraph,
  caseIds: ReadonlySet<Id>,
  options: Partial<ClusterOptions> = {},
): { communities: Cluster[]; modularity: number } {
  const { resolution, rng } = communityOptions(options);
  if (graph.order === 0) return { communities: [], modularity: 0 };
  // Louvain's node order, and so its result, is the graph's: the order of first appearance.
  const detailed = louvain.detailed(graph, { getEdgeWeight: 'weight', resolution, rng });
  const ids: Id[] = [];
  const communityOf: number[] = [];
  graph.forEachNode((key, { id }) => {
    ids.push(id);
    communityOf.push(detailed.communities[key]!);
  });
  return { communities: clustersOfCommunities(ids, communityOf, caseIds), modularity: detailed.modularity };
}

/**
 * The communities as clusters (largest first), from each node's id and community, in the graph's
 * node order (src/analysis/network-measures.ts gives them by node number).
 */
export function clustersOfCommunities(
  ids: readonly Id[],
  communityOf: ArrayLike<number>,
  caseIds: ReadonlySet<Id>,
): Cluster[] {
  if (communityOf.length > ids.length) {
    throw new RangeError(`communities: ${communityOf.length} nodes with a community but ${ids.length} ids`);
  }
  const members = new Map<number, Id[]>();
  for (let node = 0; node < communityOf.length; node++) {
    const community = communityOf[node]!;
    const list = members.get(community);
    if (list) list.push(ids[node]!);
    else members.set(community, [ids[node]!]);
  }
  return [...members.values()]
    .map((list) => {
      const memberIds = list.sort();
      return {
        id: `community-${memberIds[0]}`,
        kind: 'exposure_community' as const,
        memberIds,
        size: memberIds.length,
        caseCount: memberIds.filter((id) => caseIds.has(id)).length,
      };
    })
    .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
}

/** Key of the node standing for every infection no case explains; case nodes are numbered. */
const OUTSIDE = 'outside';

/**
 * PageRank of the case graph with its links reversed (infectee to infector, weighted by
 * probability), by node key, the cases' ranks summing to 1. PageRank divides a node's rank among
 * its out-links in proportion to their weights, so a case whose one link to a case is 12 % likely
 * would pass on all its rank as if that link were certain: the rest of each case's probability
 * (an outside or environmental source, or links below the threshold) goes to one node standing
 * for outside, which passes its rank to every node alike, as PageRank does with a node without
 * links, and is left out of the result.
 */
function spreaderRank(graph: CaseGraph): Record<string, number> {
  if (graph.order === 0) return {};
  const reversed = new DirectedGraph<Record<string, never>, { weight: number }>();
  graph.forEachNode((node) => reversed.addNode(node));
  reversed.addNode(OUTSIDE);
  graph.forEachEdge((_edge, attr, source, target) =>
    reversed.addEdge(target, source, { weight: attr.probability }),
  );
  graph.forEachNode((node) => {
    let explained = 0;
    reversed.forEachOutEdge(node, (_edge, attr) => (explained += attr.weight));
    if (explained < 1) reversed.addEdge(node, OUTSIDE, { weight: 1 - explained });
  });
  const rank = pagerank(reversed, { getEdgeWeight: 'weight' });
  const total = 1 - rank[OUTSIDE]!;
  const ofCases: Record<string, number> = {};
  graph.forEachNode((node) => (ofCases[node] = total > 0 ? rank[node]! / total : 0));
  return ofCases;
}

/**
 * The top spreaders by offspring in the chains, by betweenness and by PageRank of the case graph
 * (links at or above the threshold). Ties are broken by person id.
 */
export function topSpreaders(
  chains: ChainAnalysis,
  inferences: readonly InfectorInference[],
  options: Partial<ClusterOptions> = {},
): Spreaders {
  const { threshold, limit } = { ...DEFAULTS, ...options };
  if (!chains || !Array.isArray(chains.cases))
    throw new TypeError('top spreaders: chains must have a "cases" array');
  if (!(Number.isInteger(limit) && limit >= 0))
    throw new RangeError(`top spreaders: option "limit" must be a whole number >= 0 (got ${limit})`);
  const graph = caseGraph(inferences, threshold);
  const keyOf = new Map<Id, string>();
  graph.forEachNode((key, { id }) => keyOf.set(id, key));
  for (const c of chains.cases) addCase(graph, keyOf, c.personId);
  // Keyed by node number (see caseGraph), so no case id is ever looked up in these objects.
  const betweenness =
    graph.order > 0 ? betweennessCentrality(graph, { normalized: true, getEdgeWeight: null }) : {};
  const rank = spreaderRank(graph);
  const spreaders: Spreader[] = chains.cases.map((c) => ({
    personId: c.personId,
    offspring: c.offspring,
    expectedOffspring: c.expectedOffspring,
    betweenness: betweenness[keyOf.get(c.personId)!] ?? 0,
    pagerank: rank[keyOf.get(c.personId)!] ?? 0,
  }));
  const top = (key: (s: Spreader) => number, tie?: (s: Spreader) => number): Spreader[] =>
    [...spreaders]
      .sort((a, b) => key(b) - key(a) || (tie ? tie(b) - tie(a) : 0) || a.personId.localeCompare(b.personId))
      .slice(0, limit);
  return {
    byOffspring: top(
      (s) => s.offspring,
      (s) => s.expectedOffspring,
    ),
    byBetweenness: top((s) => s.betweenness),
    byPagerank: top((s) => s.pagerank),
  };
}
