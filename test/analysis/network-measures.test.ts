import pagerank from 'graphology-metrics/centrality/pagerank';
import { degreeCentrality } from 'graphology-metrics/centrality/degree';
import seedrandom from 'seedrandom';
import { clustersOfCommunities, graphCommunities } from '../../src/analysis/clusters';
import { ExposureGraphBuilder } from '../../src/analysis/exposure-graph';
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import { measureNetworkInWorker } from '../../src/analysis/network-in-worker';
import { measureNetwork, type NetworkInput } from '../../src/analysis/network-measures';
import { networkRecords } from '../../src/analysis/network-records';
import { networkOf } from './network-fixtures';
import { aug, exposure, outbreak, person } from './outbreak-fixtures';

/**
 * A random network with structure, unlike network-fixtures' `randomNetwork`: persons in a few
 * groups around their cases, exposed mostly within their group, with households and reported
 * contacts, some of which bring in persons with no exposure.
 */
function groupedNetwork(seed: string): { exposures: Exposure[]; caseIds: Set<string>; data: OutbreakData } {
  const rng = seedrandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const groups = Array.from({ length: 5 }, (_, g) => ({
    cases: [`C${g}a`, `C${g}b`],
    persons: Array.from({ length: 12 }, (_, i) => `P${g}-${String(i).padStart(2, '0')}`),
  }));
  const caseIds = new Set(groups.flatMap((g) => g.cases));
  const exposures: Exposure[] = [];
  for (let i = 0; i < 260; i++) {
    const group = pick(groups);
    // One exposure in ten crosses to another group.
    const source = rng() < 0.1 ? pick(pick(groups).cases) : pick(group.cases);
    const personId = pick([...group.persons, ...group.cases]);
    if (personId === source) continue;
    exposures.push(
      exposure(personId, source, {
        setting: pick(['place', 'household', 'contact', 'boat'] as const),
        minutes: Math.floor(rng() * 120),
      }),
    );
  }
  const everyone = [...groups.flatMap((g) => [...g.cases, ...g.persons]), 'R1', 'R2', 'R3'];
  const data = outbreak({
    asOf: aug(10),
    cases: [...caseIds].map((personId) => ({
      personId,
      classification: 'confirmed' as const,
      onset: aug(5),
      confirmedAt: aug(6),
    })),
    persons: everyone.map((id) => person(id, `H${Math.floor(rng() * 25)}`)),
    contacts: Array.from({ length: 15 }, () => ({
      personA: pick(everyone),
      personB: pick(everyone),
      start: aug(4),
      end: aug(4, '01:00'),
      setting: 'work',
    })),
  });
  return { exposures, caseIds, data };
}

/** A copy whose arrays can be handed to a worker (which takes them over) while the original stays. */
function copyOf(input: NetworkInput): NetworkInput {
  return { ...input, endA: input.endA.slice(), endB: input.endB.slice(), weights: input.weights.slice() };
}

const OPTIONS = { seed: 'seven', resolution: 1, centrality: 'pagerank' as const };

describe('measureNetwork', () => {
  test.each(['one', 'two', 'three'])(
    'gives the communities and PageRank of the graph ExposureGraphBuilder builds (network %s)',
    (seed) => {
      const { exposures, caseIds, data } = groupedNetwork(seed);
      const builder = new ExposureGraphBuilder(exposures, caseIds);
      const graph = builder.exposures();
      const expected = graphCommunities(graph, caseIds, { rng: seedrandom(OPTIONS.seed) });
      builder.withLinks(data);
      const rank = pagerank(graph, { getEdgeWeight: null });

      const { input, nodeIds: ids } = networkOf(exposures, data);
      expect([input.nodes, input.endA.length]).toEqual([graph.order, graph.size]);
      const measures = measureNetwork(input, OPTIONS);
      expect({
        communities: clustersOfCommunities(ids, measures.communityOf, caseIds),
        modularity: measures.modularity,
      }).toEqual(expected);
      // Several communities, and links that bring in persons with no exposure: not a trivial case.
      expect(expected.communities.length).toBeGreaterThan(2);
      expect(input.nodes).toBeGreaterThan(input.exposureNodes);
      const byId = new Map(graph.mapNodes((key, { id }) => [id, rank[key]!]));
      expect(new Map(ids.map((id, node) => [id, measures.centrality[node]!]))).toEqual(byId);
      // Louvain and PageRank read the numbers (src/analysis/numbered-graph.ts, pagerank.ts): no
      // graphology graph is built.
      expect(measures.phases.map(([phase]) => phase)).toEqual(['communities', 'centrality']);
    },
  );

  test('degree centrality on request; an empty network gives empty measures', () => {
    const { exposures, caseIds, data } = groupedNetwork('degree');
    const builder = new ExposureGraphBuilder(exposures, caseIds);
    const graph = builder.withLinks(data);
    const degree = degreeCentrality(graph);
    const measures = measureNetwork(networkOf(exposures, data).input, { ...OPTIONS, centrality: 'degree' });
    expect([...measures.centrality]).toEqual(graph.mapNodes((key) => degree[key]));
    // The graph is built for graphology-metrics, after the communities (which read the numbers).
    expect(measures.phases.map(([phase]) => phase)).toEqual(['communities', 'contact network', 'centrality']);
    const pagerankRun = measureNetwork(networkOf(exposures, data).input, OPTIONS);
    expect([measures.communityOf, measures.modularity]).toEqual([
      pagerankRun.communityOf,
      pagerankRun.modularity,
    ]);

    const empty = measureNetwork(networkOf([], outbreak({ asOf: aug(10) })).input, OPTIONS);
    expect([empty.communityOf.length, empty.centrality.length, empty.modularity]).toEqual([0, 0, 0]);
  });

  test('throws on an edge that does not join two nodes of its graph', () => {
    const input: NetworkInput = {
      exposureNodes: 2,
      exposureEdges: 1,
      nodes: 3,
      endA: Int32Array.of(0, 1),
      endB: Int32Array.of(2, 2),
      weights: Float64Array.of(1, 0),
    };
    // Edge 0 belongs to the exposures' graph, which has nodes 0 and 1 only.
    expect(() => measureNetwork(input, OPTIONS)).toThrow(
      'network measures: edge 0 (0, 2) does not join two nodes of its graph',
    );
    expect(() => measureNetwork({ ...input, weights: Float64Array.of(1) }, OPTIONS)).toThrow(
      /one entry per edge/,
    );
  });
});

describe('measureNetworkInWorker', () => {
  test('gives what measureNetwork gives in this thread, and takes the input arrays over', async () => {
    const { exposures, data } = groupedNetwork('worker');
    const { input } = networkOf(exposures, data);
    const here = measureNetwork(copyOf(input), OPTIONS);
    const sent = copyOf(input);
    const there = await measureNetworkInWorker(sent, OPTIONS).measures;
    expect(sent.endA.length).toBe(0); // moved, not copied
    expect([there.communityOf, there.modularity, there.centrality]).toEqual([
      here.communityOf,
      here.modularity,
      here.centrality,
    ]);
    expect(there.centrality.length).toBe(input.nodes);
  });

  test('given records, merges them there and gives what it gives here; takes the record arrays over', async () => {
    const { exposures, data } = groupedNetwork('worker records');
    const here = measureNetwork(networkRecords(exposures, data).records, OPTIONS);
    const { records } = networkRecords(exposures, data);
    const there = await measureNetworkInWorker(records, OPTIONS).measures;
    expect(records.recordA.length).toBe(0); // moved, not copied
    expect(there.phases.map(([phase]) => phase)).toEqual(['network edges', 'communities', 'centrality']);
    expect([there.communityOf, there.modularity, there.centrality]).toEqual([
      here.communityOf,
      here.modularity,
      here.centrality,
    ]);
  });

  test("the worker's error comes back as the error it was", async () => {
    const input: NetworkInput = {
      exposureNodes: 1,
      exposureEdges: 1,
      nodes: 1,
      endA: Int32Array.of(0),
      endB: Int32Array.of(0),
      weights: Float64Array.of(1),
    };
    const failed = measureNetworkInWorker(input, OPTIONS).measures;
    await expect(failed).rejects.toThrow(RangeError);
    await expect(failed).rejects.toThrow(
      'network measures: edge 0 (0, 0) does not join two nodes of its graph',
    );
  });

  test('stopped, it ends and says so', async () => {
    const { exposures, data } = groupedNetwork('stop');
    const pending = measureNetworkInWorker(networkOf(exposures, data).input, OPTIONS);
    pending.stop();
    await expect(pending.measures).rejects.toThrow("the contact network's measurement was stopped");
  });
});

describe('clustersOfCommunities', () => {
  test('groups ids by community, largest first; more communities than ids is an error', () => {
    const clusters = clustersOfCommunities(['B', 'A', 'X', 'C'], [5, 5, 2, 5], new Set(['X', 'A']));
    expect(clusters).toEqual([
      { id: 'community-A', kind: 'exposure_community', memberIds: ['A', 'B', 'C'], size: 3, caseCount: 1 },
      { id: 'community-X', kind: 'exposure_community', memberIds: ['X'], size: 1, caseCount: 1 },
    ]);
    expect(() => clustersOfCommunities(['A'], [0, 1], new Set())).toThrow(
      /2 nodes with a community but 1 ids/,
    );
  });
});
