import neo4j from 'neo4j-driver';
import { toStay, windowGroups, type Row } from '../../src/store/neo4j/convert';

/** A result row with the given columns, as the driver's Record reads them. */
const row = (columns: Record<string, unknown>): Row => ({ get: (column) => columns[column] });

describe('Neo4j results to domain records', () => {
  test('driver integers become numbers, up to the largest safe integer', () => {
    const stay = toStay(
      row({ subjectId: 'P1', hostId: 'H1', start: neo4j.int(-1), end: neo4j.int(Number.MAX_SAFE_INTEGER) }),
    );
    expect(stay).toEqual({ subjectId: 'P1', hostId: 'H1', start: -1, end: Number.MAX_SAFE_INTEGER });
  });

  test('an integer a number cannot hold exactly is refused, naming the field', () => {
    const tooLarge = neo4j.int('9007199254740992');
    expect(() => toStay(row({ subjectId: 'P1', hostId: 'H1', start: neo4j.int(0), end: tooLarge }))).toThrow(
      'Neo4j returned stay end = 9007199254740992, too large for a number',
    );
    expect(() =>
      toStay(
        row({ subjectId: 'P1', hostId: 'H1', start: neo4j.int('-9007199254740993'), end: neo4j.int(0) }),
      ),
    ).toThrow(RangeError);
  });
});

describe('windows as statement rows', () => {
  test('one row per id, in first-seen order, with all its windows as whole-number bounds', () => {
    const groups = windowGroups([
      { id: 'MKT', from: 10, to: 20 },
      { id: 'P1', from: 0.5, to: Infinity },
      { id: 'MKT', from: 30, to: 40.5 },
    ]);
    expect(groups.map((g) => g.id)).toEqual(['MKT', 'P1']);
    expect(groups.map((g) => g.windows.map((w) => [w.from, w.to]))).toEqual([
      [
        [10, 20],
        [30, 40],
      ],
      [[1, 8.64e15]],
    ]);
    expect(windowGroups([])).toEqual([]);
  });
});
