import { NodePairs } from '../../src/analysis/node-pairs';

describe('NodePairs', () => {
  test('numbers nodes in the order first seen, each once', () => {
    const pairs = new NodePairs();
    expect(['B', 'A', 'B', 'C'].map((id) => pairs.node(id))).toEqual([0, 1, 0, 2]);
    expect(pairs.ids).toEqual(['B', 'A', 'C']);
    expect(pairs.nodeCount).toBe(3);
  });

  test('a pair is unordered: {a, b} and {b, a} share a number; its ends keep the first order', () => {
    const pairs = new NodePairs();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => pairs.node(id)) as [number, number, number];
    expect(pairs.pair(b, a)).toBe(0);
    expect(pairs.pair(a, c)).toBe(1);
    expect(pairs.pair(a, b)).toBe(0);
    expect(pairs.pair(c, a)).toBe(1);
    expect(pairs.pair(b, c)).toBe(2);
    expect(pairs.pairCount).toBe(3);
    expect([pairs.endA, pairs.endB]).toEqual([
      [b, a, b],
      [a, c, c],
    ]);
  });

  test('pairs of far-apart node numbers stay apart', () => {
    const pairs = new NodePairs();
    for (let i = 0; i < 70_000; i++) pairs.node(`P${i}`);
    expect(pairs.pair(1, 69_999)).toBe(0);
    expect(pairs.pair(69_999, 2)).toBe(1);
    expect(pairs.pair(2, 69_998)).toBe(2);
    expect(pairs.pair(69_999, 1)).toBe(0);
  });
});
