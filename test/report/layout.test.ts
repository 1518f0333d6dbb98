/**
 * Chain layout: where a chain's nodes and links are drawn depends on the chain's shape and the
 * order of its nodes, never on what its ids are, ids named like inherited properties included.
 */
import type { ChainReport } from '../../src/analysis/report-model';
import { layoutChain } from '../../src/report/layout';

/** A chain with a root lot, a case it infected, and a case who infected two more (one outside). */
function chain(ids: readonly string[]): ChainReport {
  const [lot, a, b, c, d] = ids as [string, string, string, string, string];
  return {
    id: `chain-${a}`,
    rootId: lot,
    rootKind: 'item',
    caseIds: [a, b, c],
    size: 3,
    length: 2,
    firstDate: '2022-08-01',
    lastDate: '2022-08-05',
    durationDays: 4,
    active: true,
    links: [
      { from: lot, fromKind: 'item', to: a, probability: 0.9, setting: 'item', flags: [] },
      { from: a, fromKind: 'case', to: b, probability: 0.7, setting: 'household', flags: [] },
      { from: a, fromKind: 'case', to: c, probability: 0.6, setting: 'work', flags: [] },
      { from: c, fromKind: 'case', to: d, probability: 0.5, setting: 'social', flags: [] },
    ],
    rByGeneration: [],
  };
}

const drawn = (ids: readonly string[]) => {
  const layout = layoutChain(chain(ids));
  const at = (id: string) => ids.indexOf(id);
  return {
    size: [layout.width, layout.height],
    nodes: layout.nodes.map((n) => [at(n.id), n.kind, n.x, n.y, n.incoming && at(n.incoming.from)]),
    edges: layout.edges.map((e) => [at(e.link.from), at(e.link.to), e.points, e.labelX, e.labelY]),
  };
};

describe('layoutChain', () => {
  const plain = ['L1', 'A', 'B', 'C', 'D'];

  test('draws every node once, each link from its infector above to its infectee below', () => {
    const layout = layoutChain(chain(plain));
    expect(layout.nodes.map((n) => n.id)).toEqual(['A', 'B', 'C', 'L1', 'D']);
    const y = new Map(layout.nodes.map((n) => [n.id, n.y]));
    for (const { link } of layout.edges) expect(y.get(link.from)!).toBeLessThan(y.get(link.to)!);
  });

  test.each([
    ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'],
    ['__proto__', 'constructor', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'],
  ])('ids named like inherited properties are drawn as any others: %s, ...', (...ids) => {
    expect(drawn(ids)).toEqual(drawn(plain));
  });
});
