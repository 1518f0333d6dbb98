import seedrandom from 'seedrandom';
import { ExposureGraphBuilder, type ExposureGraphOptions } from '../../src/analysis/exposure-graph';
import type { OutbreakData } from '../../src/analysis/model';
import { measureNetwork, type NetworkInput } from '../../src/analysis/network-measures';
import { mergeNetworkRecords, networkRecords } from '../../src/analysis/network-records';
import { crowdedHome, randomNetwork, scatteredAndByPerson } from './network-fixtures';
import { aug, exposure, outbreak } from './outbreak-fixtures';

/**
 * Checks that `merged` (with `nodeIds`) is the network of the exposure graph built from the same
 * exposures and links: node for node, edge for edge (ends in the order given, Louvain's weight),
 * the exposures' own nodes and edges first.
 */
function expectTheGraphs(
  merged: NetworkInput,
  nodeIds: readonly string[],
  builder: ExposureGraphBuilder,
  data: OutbreakData,
  options: Partial<ExposureGraphOptions> = {},
): void {
  const exposuresAlone = builder.exposures();
  expect([merged.exposureNodes, merged.exposureEdges]).toEqual([exposuresAlone.order, exposuresAlone.size]);
  const graph = builder.withLinks(data, options);
  expect(nodeIds).toEqual(graph.mapNodes((_key, { id }) => id));
  expect(graph.nodes()).toEqual(nodeIds.map((_id, n) => String(n)));
  expect([merged.nodes, merged.endA.length]).toEqual([graph.order, graph.size]);
  graph.forEachEdge((key, { weight }, source, target) => {
    const edge = Number(key);
    expect([merged.endA[edge], merged.endB[edge], merged.weights[edge]]).toEqual([
      Number(source),
      Number(target),
      weight,
    ]);
  });
}

describe('networkRecords', () => {
  test('merged, the records are the network of the exposure graph, number for number', () => {
    const rng = seedrandom('records');
    let merged = 0;
    for (let round = 0; round < 20; round++) {
      const { data, caseIds, scattered, byPerson } = scatteredAndByPerson(rng, {
        exposures: 60,
        contacts: 8,
      });
      // A person's exposures scattered among others', or in one run each.
      for (const exposures of [scattered, byPerson]) {
        const { records, nodeIds } = networkRecords(exposures, data);
        expect(records.exposureRecords).toBe(exposures.length);
        expect(records.recordA.length).toBeGreaterThan(exposures.length); // links came after
        const network = mergeNetworkRecords(records);
        expectTheGraphs(network, nodeIds, new ExposureGraphBuilder(exposures, caseIds), data);
        merged += records.recordA.length - network.endA.length;
      }
    }
    // Records between the same two nodes did merge.
    expect(merged).toBeGreaterThan(0);
  });

  test('without links, or with more links than the room kept: the network of the graph', () => {
    const { exposures, data } = crowdedHome();
    for (const options of [{}, { householdLinks: false, contactLinks: false }]) {
      const { records, nodeIds } = networkRecords(exposures, data, options);
      expectTheGraphs(
        mergeNetworkRecords(records),
        nodeIds,
        new ExposureGraphBuilder(exposures),
        data,
        options,
      );
    }
    const merged = mergeNetworkRecords(networkRecords(exposures, data).records);
    expect(merged.endA).toHaveLength(2 + (60 * 59) / 2);
    expect([merged.exposureNodes, merged.exposureEdges, merged.nodes]).toEqual([3, 2, 61]);
    expect(merged.weights[0]).toBe(35);
  });

  test('measured as records or as edges, the network has the same communities and centrality', () => {
    const { exposures, data } = randomNetwork(seedrandom('measured'));
    const options = { seed: 'tracegraph', resolution: 1, centrality: 'pagerank' as const };
    const fromRecords = measureNetwork(networkRecords(exposures, data).records, options);
    const fromEdges = measureNetwork(mergeNetworkRecords(networkRecords(exposures, data).records), options);
    expect(fromRecords.phases.map(([phase]) => phase)).toEqual([
      'network edges',
      'communities',
      'centrality',
    ]);
    expect(fromEdges.phases.map(([phase]) => phase)).toEqual(['communities', 'centrality']);
    expect(fromRecords.communityOf).toEqual(fromEdges.communityOf);
    expect(fromRecords.centrality).toEqual(fromEdges.centrality);
    expect(fromRecords.modularity).toBe(fromEdges.modularity);
  });

  test('throws on a person who is their own source, and on records that do not pair up', () => {
    const data = outbreak({ asOf: aug(10) });
    expect(() => networkRecords([exposure('P1', 'C1'), exposure('P1', 'P1')], data)).toThrow(
      /exposures\[1\]: person P1 is their own source/,
    );
    const { records } = networkRecords([exposure('P1', 'C1')], data);
    expect(() => mergeNetworkRecords({ ...records, recordB: new Int32Array(0) })).toThrow(
      /two ends and a weight each/,
    );
    expect(() =>
      mergeNetworkRecords({ ...records, recordA: new Int32Array([1]), recordB: new Int32Array([1]) }),
    ).toThrow(/record 0 joins node 1 to itself/);
  });
});
