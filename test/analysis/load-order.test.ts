import { sortStays } from '../../src/analysis/load';
import type { Stay } from '../../src/domain/types';

/** The order the loader keeps stays in, written out as one comparison. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const stayOrder = (a: Stay, b: Stay): number =>
  byText(a.subjectId, b.subjectId) || byText(a.hostId, b.hostId) || a.start - b.start || a.end - b.end;

/** A small deterministic generator, so a failure can be replayed. */
function randomStays(count: number, seed: number): Stay[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  // Ids chosen so that code-unit order differs from the locale's ('a' after 'Z', '10' before '9').
  const subjects = ['P9', 'P10', 'p1', 'Z', 'a', 'P1'];
  const hosts = ['MKT', 'mkt', 'H10', 'H9', 'B1'];
  return Array.from({ length: count }, () => {
    const start = next(5);
    return {
      subjectId: subjects[next(subjects.length)]!,
      hostId: hosts[next(hosts.length)]!,
      start,
      end: start + next(3),
    };
  });
}

describe('sortStays', () => {
  test('gives the same stays, in the same order, as one stable sort of them all', () => {
    for (const seed of [1, 2, 3, 42]) {
      const stays = randomStays(500, seed);
      const expected = [...stays].sort(stayOrder);
      const sorted = sortStays(stays);
      expect(sorted).toHaveLength(expected.length);
      // The same objects: rows of one key stay in the order they were given (the last one wins
      // when duplicates are dropped), as the stable sort leaves them.
      sorted.forEach((s, i) => expect(s).toBe(expected[i]));
    }
  });

  test('orders ids by code unit, not by locale, and leaves its input alone', () => {
    const stays: Stay[] = [
      { subjectId: 'a', hostId: 'H1', start: 1, end: 2 },
      { subjectId: 'Z', hostId: 'h1', start: 1, end: 2 },
      { subjectId: 'Z', hostId: 'H1', start: 3, end: 4 },
      { subjectId: 'Z', hostId: 'H1', start: 1, end: 5 },
    ];
    const given = [...stays];
    expect(sortStays(stays)).toEqual([stays[3], stays[2], stays[1], stays[0]]);
    expect(stays).toEqual(given);
  });

  test('an empty list stays empty', () => {
    expect(sortStays([])).toEqual([]);
  });
});
