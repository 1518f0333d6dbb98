import fc from 'fast-check';
import { InstantTable } from '../../src/analysis/instant-table';
import { aug } from './outbreak-fixtures';

describe('InstantTable', () => {
  test('gives what was set, and nothing for an instant never set', () => {
    const table = new InstantTable<string>();
    table.set(aug(4), 'a');
    table.set(aug(4, '01:00'), 'b');
    expect([table.get(aug(4)), table.get(aug(4, '01:00')), table.get(aug(5))]).toEqual(['a', 'b', undefined]);
    expect(table.size).toBe(2);
    table.set(aug(4), 'c');
    expect([table.get(aug(4)), table.size]).toEqual(['c', 2]);
  });

  test('instants within one second (one hash) and far apart, negative ones and zero, each its own', () => {
    const table = new InstantTable<number>();
    const instants = [aug(4), aug(4) + 1, aug(4) + 999, aug(4) + 1000, 0, -1, -86_400_000, 8.64e15];
    instants.forEach((at, i) => table.set(at, i));
    expect(instants.map((at) => table.get(at))).toEqual(instants.map((_, i) => i));
    expect(table.get(aug(4) + 2)).toBeUndefined();
  });

  test('NaN is never stored and never found', () => {
    const table = new InstantTable<number>();
    table.set(Number.NaN, 1);
    expect([table.get(Number.NaN), table.size]).toEqual([undefined, 0]);
  });

  test('grows past its first room (4,096 slots, half of them filled), keeping every value', () => {
    const table = new InstantTable<number>();
    for (let k = 0; k < 10_000; k++) table.set(aug(1) + k * 60_000, k);
    expect(table.size).toBe(10_000);
    for (let k = 0; k < 10_000; k++) expect(table.get(aug(1) + k * 60_000)).toBe(k);
    expect(table.get(aug(1) + 10_000 * 60_000)).toBeUndefined();
  });

  test('holds what a Map holds, whatever is written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer()), {
          minLength: 1,
          maxLength: 3_000,
          // Long arrays too (up to 3,000 writes), so that some runs grow the table past 2,048.
          size: 'max',
        }),
        (writes) => {
          const table = new InstantTable<number>();
          const map = new Map<number, number>();
          for (const [minute, value] of writes) {
            table.set(aug(1) + minute * 60_000, value);
            map.set(aug(1) + minute * 60_000, value);
          }
          expect(table.size).toBe(map.size);
          for (const [at, value] of map) expect(table.get(at)).toBe(value);
          expect(table.get(aug(1) - 60_000)).toBeUndefined();
        },
      ),
      // No shrinking: a failing run of thousands of writes would shrink for minutes.
      { numRuns: 20, endOnFailure: true },
    );
  });
});
