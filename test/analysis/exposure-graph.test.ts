import pagerank from 'graphology-metrics/centrality/pagerank';
import seedrandom from 'seedrandom';
import {
  buildExposureGraph,
  ExposureGraphBuilder,
  type ExposureGraph,
} from '../../src/analysis/exposure-graph';
import { crowdedHome, randomNetwork } from './network-fixtures';
import { aug, exposure, outbreak, person } from './outbreak-fixtures';

/** The node's key (its number) by the id it carries. */
function keyOf(g: ExposureGraph, id: string): string | undefined {
  return g.findNode((_key, attributes) => attributes.id === id);
}

/** The attributes of the edge between the nodes of two ids. */
function edgeBetween(g: ExposureGraph, a: string, b: string) {
  return g.getEdgeAttributes(g.edge(keyOf(g, a)!, keyOf(g, b)!)!);
}

const idsOf = (g: ExposureGraph): string[] => g.mapNodes((_key, attributes) => attributes.id);

describe('buildExposureGraph', () => {
  test('throws on invalid input', () => {
    expect(() => buildExposureGraph([exposure('P1', 'P1')])).toThrow(
      /exposures\[0\]: person P1 is their own source/,
    );
    expect(() =>
      buildExposureGraph([exposure('P1', 'C1'), exposure('P2', 'C1', { setting: 'bus' as never })]),
    ).toThrow(/exposures\[1\]: field "setting" is not one of boat, cold_chain, contact, household, place/);
  });

  test('no exposures and no data: an empty graph', () => {
    const g = buildExposureGraph([]);
    expect([g.order, g.size, g.type]).toEqual([0, 0, 'undirected']);
  });

  test('exposures between the same two nodes merge into one edge; sources keep their kind', () => {
    const g = buildExposureGraph([
      exposure('P2', 'C1', { setting: 'household', hostId: 'H1', placeKind: 'home', minutes: 540 }),
      exposure('P2', 'C1', {
        setting: 'contact',
        hostId: null,
        placeKind: null,
        contactSetting: 'social',
        minutes: 30,
      }),
      exposure('P3', 'L1', {
        sourceKind: 'item',
        setting: 'cold_chain',
        hostId: null,
        placeKind: null,
        minutes: 0,
      }),
      exposure('C1', 'C2', { minutes: 15 }),
      exposure('C2', 'C1', { minutes: 15 }),
    ]);
    expect(g.order).toBe(5);
    expect(g.size).toBe(3);
    expect(edgeBetween(g, 'C1', 'P2')).toEqual({
      settings: ['contact', 'household'],
      minutes: 570,
      weight: 570,
      exposures: 2,
      sources: ['C1'],
      links: [],
    });
    expect(edgeBetween(g, 'C2', 'C1')).toEqual({
      settings: ['place'],
      minutes: 30,
      weight: 30,
      exposures: 2,
      sources: ['C1', 'C2'],
      links: [],
    });
    expect(['C1', 'C2', 'P2', 'L1'].map((id) => g.getNodeAttribute(keyOf(g, id), 'kind'))).toEqual([
      'case',
      'case',
      'person',
      'item',
    ]);
  });

  test('edges with the same settings share one read-only list; sources list both ends when both were sources', () => {
    const g = buildExposureGraph([
      exposure('P1', 'C1'),
      exposure('P2', 'C1'),
      exposure('C1', 'C2', { setting: 'contact', hostId: null, placeKind: null, contactSetting: 'work' }),
      exposure('C2', 'C1', { setting: 'household', minutes: 600 }),
    ]);
    const p1 = edgeBetween(g, 'P1', 'C1');
    const p2 = edgeBetween(g, 'P2', 'C1');
    expect(p1.settings).toBe(p2.settings);
    expect(p1.sources).toBe(p2.sources);
    expect(Object.isFrozen(p1.settings) && Object.isFrozen(p1.sources) && Object.isFrozen(p1.links)).toBe(
      true,
    );
    expect(edgeBetween(g, 'C1', 'C2')).toEqual({
      settings: ['contact', 'household'],
      minutes: 660,
      weight: 660,
      exposures: 2,
      sources: ['C1', 'C2'],
      links: [],
    });
    const c1c2 = g.edge(keyOf(g, 'C1')!, keyOf(g, 'C2')!)!;
    expect(g.getNodeAttribute(g.source(c1c2), 'id')).toBe('C1');
    // Keyed by number in the order first seen, edges too.
    expect(idsOf(g)).toEqual(['P1', 'C1', 'P2', 'C2']);
    expect(g.nodes()).toEqual(['0', '1', '2', '3']);
    expect(g.edges()).toEqual(['0', '1', '2']);
  });

  test('with data: cases marked, residents of a home in the graph and reported contacts linked', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [{ personId: 'P3', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6) }],
      persons: [
        person('P2', 'H1'),
        person('P3', 'H1'),
        person('P4', 'H1'),
        person('P5', 'H2'),
        person('P6', null),
        person('P7', 'H3'), // a home with no one exposed or in a reported contact
        person('P8', 'H3'),
        person('P9', 'H2'), // P5's housemate: P5 is in the graph by a reported contact
      ],
      contacts: [{ personA: 'P5', personB: 'P6', start: aug(4), end: aug(4, '01:00'), setting: 'work' }],
    });
    const g = buildExposureGraph([exposure('P2', 'P3', { setting: 'household' })], data);
    expect(g.order).toBe(6);
    expect(g.size).toBe(5); // P2-P3, P2-P4, P3-P4, P5-P6, P5-P9
    expect(idsOf(g).sort()).toEqual(['P2', 'P3', 'P4', 'P5', 'P6', 'P9']);
    expect(edgeBetween(g, 'P5', 'P9')).toMatchObject({ links: ['household'], exposures: 0, weight: 0 });
    expect(edgeBetween(g, 'P2', 'P3')).toMatchObject({
      settings: ['household'],
      links: ['household'],
      exposures: 1,
    });
    expect(edgeBetween(g, 'P4', 'P3')).toMatchObject({
      settings: [],
      links: ['household'],
      minutes: 0,
    });
    expect(edgeBetween(g, 'P5', 'P6')).toMatchObject({ links: ['contact'] });
    expect(g.getNodeAttribute(keyOf(g, 'P3'), 'kind')).toBe('case');
    expect(buildExposureGraph([], data, { householdLinks: false, contactLinks: false }).order).toBe(0);
  });

  test('weight: minutes summed, each exposure at least 1 (an instant handling still ties)', () => {
    const g = buildExposureGraph([
      exposure('P3', 'L1', { sourceKind: 'item', setting: 'cold_chain', hostId: null, minutes: 0 }),
      exposure('P3', 'L1', { sourceKind: 'item', setting: 'cold_chain', hostId: null, minutes: 0.5 }),
      exposure('P4', 'C1', { minutes: 20 }),
      exposure('C1', 'P4', { minutes: 0 }),
    ]);
    expect(edgeBetween(g, 'P3', 'L1')).toMatchObject({ minutes: 0.5, weight: 2 });
    expect(edgeBetween(g, 'P4', 'C1')).toMatchObject({ minutes: 20, weight: 21 });
  });

  test('built in two steps (exposures, then links on the same graph) it is the graph one build gives', () => {
    const rng = seedrandom('two steps');
    // What the second step does to the first step's graph, counted over the rounds.
    let relinked = 0;
    let linkedIn = 0;
    for (let round = 0; round < 20; round++) {
      const { exposures, data, caseIds: cases } = randomNetwork(rng);
      const oneBuild = new ExposureGraphBuilder(exposures, cases).withLinks(data);
      const builder = new ExposureGraphBuilder(exposures, cases);
      const first = builder.exposures();
      const exported = first.export();
      const twoSteps = builder.withLinks(data);
      expect(twoSteps).toBe(first);
      expect(twoSteps.export()).toEqual(oneBuild.export());
      expect(oneBuild.export()).toEqual(buildExposureGraph(exposures, data).export());
      // The first step alone was the graph of the exposures, cases marked, no links.
      expect(exported).toEqual(
        buildExposureGraph(exposures, data, { householdLinks: false, contactLinks: false }).export(),
      );
      relinked += twoSteps.filterEdges((_k, a) => a.exposures > 0 && a.links.length > 0).length;
      linkedIn += twoSteps.order - exported.nodes.length;
    }
    expect(relinked).toBeGreaterThan(0);
    expect(linkedIn).toBeGreaterThan(0);
  });

  test('more links than the room kept for them: every edge keeps what was added to it', () => {
    const { exposures, data } = crowdedHome();
    const graph = buildExposureGraph(exposures, data);
    expect(graph.size).toBe(2 + (60 * 59) / 2); // C1 lives elsewhere: no link lands on an exposure edge
    expect(edgeBetween(graph, 'R00', 'C1')).toMatchObject({
      minutes: 35,
      weight: 35,
      exposures: 2,
      links: [],
    });
    expect(edgeBetween(graph, 'R01', 'C1')).toMatchObject({ minutes: 10, weight: 10, exposures: 1 });
    graph.forEachEdge((_key, attributes, source, target) => {
      if (source === keyOf(graph, 'C1') || target === keyOf(graph, 'C1')) return;
      expect(attributes).toEqual({
        settings: [],
        minutes: 0,
        weight: 0,
        exposures: 0,
        sources: [],
        links: ['household'],
      });
    });
  });

  test('centrality runs on it: a star centre ranks first under pagerank', () => {
    const g = buildExposureGraph([
      exposure('P1', 'C1'),
      exposure('P2', 'C1'),
      exposure('P3', 'C1'),
      exposure('P4', 'P3'),
    ]);
    const byKey = pagerank(g, { getEdgeWeight: null });
    const rank = Object.fromEntries(g.mapNodes((key, { id }) => [id, byKey[key]!]));
    const sum = Object.values(rank).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(Object.entries(rank).sort((a, b) => b[1] - a[1])[0]![0]).toBe('C1');
    expect(rank.P1).toBeCloseTo(rank.P2!, 10);
  });
});
