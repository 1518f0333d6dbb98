import { groupBy } from '../../src/domain/group-by';

describe('groupBy', () => {
  test('one list a key, keys and items in the order they come', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]!);
    expect([...groups.keys()]).toEqual(['b', 'a', 'c']);
    expect(groups.get('a')).toEqual(['a1', 'a2']);
    expect(groups.get('b')).toEqual(['b1', 'b2']);
    expect(groups.get('c')).toEqual(['c1']);
  });

  test('a null key leaves the item out; an empty string or 0 is a key', () => {
    const rows = [
      { id: 'P1', parent: null },
      { id: 'P2', parent: 'P1' },
      { id: 'P3', parent: '' },
      { id: 'P4', parent: 'P1' },
    ];
    const groups = groupBy(rows, (r) => r.parent);
    expect([...groups.entries()].map(([k, v]) => [k, v.map((r) => r.id)])).toEqual([
      ['P1', ['P2', 'P4']],
      ['', ['P3']],
    ]);
    expect(groupBy([1, 2, 3], (n) => n % 2).get(0)).toEqual([2]);
  });

  test('reads any iterable once', () => {
    function* once() {
      yield 'x';
      yield 'y';
    }
    expect(groupBy(once(), () => 'k').get('k')).toEqual(['x', 'y']);
  });
});
