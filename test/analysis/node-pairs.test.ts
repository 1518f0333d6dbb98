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
    // The first pairCount items are the pairs' ends (the arrays keep room for more).
    expect([pairs.endA, pairs.endB].map((ends) => [...ends.subarray(0, pairs.pairCount)])).toEqual([
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

  test.each([
    ['made small', 0],
    ['made for the pairs expected', 6_000],
  ])('keeps every pair apart and findable while its table grows (%s)', (_name, expectedPairs) => {
    const pairs = new NodePairs(expectedPairs);
    for (let i = 0; i < 2_000; i++) pairs.node(`P${i}`);
    // Pairs in a scrambled order, given either way round; a reference Map says which number each got.
    const expected = new Map<string, number>();
    let seed = 1;
    const next = (): number => (seed = (seed * 48_271) % 2_147_483_647) % 2_000;
    for (let k = 0; k < 20_000; k++) {
      const a = next();
      const b = next();
      if (a === b) continue;
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      const n = pairs.pair(k % 2 ? a : b, k % 2 ? b : a);
      if (!expected.has(key)) expected.set(key, expected.size);
      expect(n).toBe(expected.get(key));
    }
    expect(pairs.pairCount).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(5_000); // past several doublings of the table
    for (const [key, n] of expected) {
      const [a, b] = key.split('-').map(Number) as [number, number];
      expect([pairs.pair(b, a), pairs.pair(a, b)]).toEqual([n, n]);
      // Its ends, as first given, kept through every growth of the arrays.
      expect([pairs.endA[n], pairs.endB[n]].sort((x, y) => x! - y!)).toEqual([a, b]);
    }
    expect(pairs.pairCount).toBe(expected.size);
  });
});
