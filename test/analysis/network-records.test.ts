import seedrandom from 'seedrandom';
import { ExposureGraphBuilder } from '../../src/analysis/exposure-graph';
import { measureNetwork } from '../../src/analysis/network-measures';
import { mergeNetworkRecords, networkRecords } from '../../src/analysis/network-records';
import { crowdedHome, randomNetwork } from './network-fixtures';
import { aug, exposure, outbreak } from './outbreak-fixtures';

describe('networkRecords', () => {
  test('merged, the records are the network the graph builder numbers, number for number', () => {
    let merged = 0;
    for (let round = 0; round < 20; round++) {
      const { exposures, data, caseIds } = randomNetwork(seedrandom(`records ${round}`), {
        exposures: 60,
        contacts: 8,
      });
      const builder = new ExposureGraphBuilder(exposures, caseIds);
      const expected = builder.networkInput(data);
      const { records, nodeIds } = networkRecords(exposures, data);
      expect(nodeIds).toEqual(builder.nodeIds);
      expect(records.exposureRecords).toBe(exposures.length);
      expect(records.recordA.length).toBeGreaterThan(exposures.length); // links came after
      expect(mergeNetworkRecords(records)).toEqual(expected);
      merged += records.recordA.length - expected.endA.length;
    }
    // Records between the same two nodes did merge.
    expect(merged).toBeGreaterThan(0);
  });

  test('without links, or with more links than the room kept: the same network as the builder', () => {
    const { exposures, data } = crowdedHome();
    for (const options of [{}, { householdLinks: false, contactLinks: false }]) {
      const { records } = networkRecords(exposures, data, options);
      expect(mergeNetworkRecords(records)).toEqual(
        new ExposureGraphBuilder(exposures).networkInput(data, options),
      );
    }
    const merged = mergeNetworkRecords(networkRecords(exposures, data).records);
    expect(merged.endA).toHaveLength(2 + (60 * 59) / 2);
    expect([merged.exposureNodes, merged.exposureEdges, merged.nodes]).toEqual([3, 2, 61]);
    expect(merged.weights[0]).toBe(35);
  });

  test('measured as records or as edges, the network has the same communities and centrality', () => {
    const { exposures, data, caseIds } = randomNetwork(seedrandom('measured'));
    const options = { seed: 'tracegraph', resolution: 1, centrality: 'pagerank' as const };
    const fromRecords = measureNetwork(networkRecords(exposures, data).records, options);
    const fromEdges = measureNetwork(
      new ExposureGraphBuilder(exposures, caseIds).networkInput(data),
      options,
    );
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
