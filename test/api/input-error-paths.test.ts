/**
 * Every BAD_USER_INPUT error names the wrong value in `extensions.argumentPath`, in the notation of
 * a bad literal's GRAPHQL_VALIDATION_FAILED (test/api/literal-errors.test.ts): an argument a
 * resolver refuses by the field's response path as written (aliases, no list positions) and the
 * problem's path, each problem by its own; a bad variable by its path in the variable
 * (`$persons[2].age`). Over HTTP, on the embedded store.
 */
import { smallDistrict } from '../store/fixtures';
import { serveRecords, type Json, type ServedStore } from './helpers';
import { postGraphQL } from './http';

const KEY = 'investigator-key-51b2e0';
let served: ServedStore;

beforeAll(async () => {
  served = await serveRecords(smallDistrict(), 'tracegraph-api-error-paths-', KEY);
});
afterAll(() => served?.stop());

async function post(query: string, variables?: Record<string, unknown>) {
  return postGraphQL(served.running.url, KEY, { query, variables });
}

/** Per error: its code, response path, argument path and problems' argument paths. */
async function named(query: string, variables?: Record<string, unknown>): Promise<unknown[][]> {
  const { body } = await post(query, variables);
  return (body.errors ?? []).map((e: Json) => [
    e.extensions?.code,
    e.path,
    e.extensions?.argumentPath,
    e.extensions?.problems?.map((p: Json) => p.argumentPath),
  ]);
}

const WINDOW = 'from: "2022-08-01T00:00:00Z", to: "2022-08-02T00:00:00Z"';

describe('an argument a resolver refuses', () => {
  test('a root field: the field, then the argument; the problem keeps its path from the field', async () => {
    const { body } = await post('{ quarantinePriority(first: -1) { beds } }');
    expect(body.errors).toEqual([
      {
        message: 'first: must be a whole number from 0 to 500',
        locations: [{ line: 1, column: 3 }],
        path: ['quarantinePriority'],
        extensions: {
          code: 'BAD_USER_INPUT',
          argumentPath: 'quarantinePriority.first',
          problems: [
            {
              path: 'first',
              reason: 'must be a whole number from 0 to 500',
              argumentPath: 'quarantinePriority.first',
            },
          ],
        },
      },
    ]);
  });

  test('an input field of an argument, and a cursor', async () => {
    expect(await named('{ transmissionChains(filter: { minSize: -1 }) { totalCount } }')).toEqual([
      [
        'BAD_USER_INPUT',
        ['transmissionChains'],
        'transmissionChains.filter.minSize',
        ['transmissionChains.filter.minSize'],
      ],
    ]);
    expect(await named(`{ person(id: "P1") { stays(after: "nonsense") { totalCount } } }`)).toEqual([
      ['BAD_USER_INPUT', ['person', 'stays'], 'person.stays.after', ['person.stays.after']],
    ]);
    expect(await named('{ s: sources(after: "nonsense") { id } }')).toEqual([
      ['BAD_USER_INPUT', ['s'], 's.after', ['s.after']],
    ]);
  });

  test('an empty or blank id given to narrow a list, written or in a variable', async () => {
    expect(await named('{ c: transmissionChains(filter: { includesPerson: "" }) { totalCount } }')).toEqual([
      ['BAD_USER_INPUT', ['c'], 'c.filter.includesPerson', ['c.filter.includesPerson']],
    ]);
    expect(
      await named('query ($p: ID) { transmissionChains(filter: { includesPerson: $p }) { totalCount } }', {
        p: ' ',
      }),
    ).toEqual([
      [
        'BAD_USER_INPUT',
        ['transmissionChains'],
        'transmissionChains.filter.includesPerson',
        ['transmissionChains.filter.includesPerson'],
      ],
    ]);
    expect(await named('{ s: sources(chainId: "") { id } }')).toEqual([
      ['BAD_USER_INPUT', ['s'], 's.chainId', ['s.chainId']],
    ]);
  });

  test('nested and aliased fields are named as the response names them', async () => {
    expect(await named(`{ b: boat(id: "B1") { c: crew(${WINDOW}, first: 501) { totalCount } } }`)).toEqual([
      ['BAD_USER_INPUT', ['b', 'c'], 'b.c.first', ['b.c.first']],
    ]);
    expect(
      await named(
        '{ b: boat(id: "B1") { c: crew(from: "2022-08-02T00:00:00Z", to: "2022-08-01T00:00:00Z") { totalCount } } }',
      ),
    ).toEqual([['BAD_USER_INPUT', ['b', 'c'], 'b.c.to', ['b.c.to']]]);
  });

  test('a field inside a list is named without the positions: the argument is written once', async () => {
    expect(
      await named('{ ps: persons(ids: ["P1", "P2"]) { id s: stays(first: -1) { totalCount } } }'),
    ).toEqual([
      ['BAD_USER_INPUT', ['ps', 0, 's'], 'ps.s.first', ['ps.s.first']],
      ['BAD_USER_INPUT', ['ps', 1, 's'], 'ps.s.first', ['ps.s.first']],
    ]);
  });

  test('several problems: each named, the error by the first; nothing is written', async () => {
    const before = await served.temp.store.counts();
    const { body } = await post(
      `mutation { added: upsertPersons(persons: [
        { id: "P10", age: 200 },
        { id: "P11" },
        { id: "P12", homeId: "B1" }
      ]) { id } }`,
    );
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentPath: 'added.persons[0].age',
      problems: [
        {
          path: 'persons[0].age',
          reason: '"200" is not a whole number from 0 to 130',
          argumentPath: 'added.persons[0].age',
        },
        {
          path: 'persons[2].homeId',
          reason: '"B1" is a boat, not a place',
          argumentPath: 'added.persons[2].homeId',
        },
      ],
    });
    expect(await served.temp.store.counts()).toEqual(before);
  });

  test('a field refused as a whole (one analysis too many) is named by its own path', async () => {
    const asOf = (day: number) => `"2022-08-0${day}T00:00:00Z"`;
    expect(
      await named(`{
        a: outbreakSummary(asOf: ${asOf(1)}) { cases }
        b: outbreakSummary(asOf: ${asOf(2)}) { cases }
        c: outbreakSummary(asOf: ${asOf(3)}) { cases }
      }`),
    ).toEqual([['BAD_USER_INPUT', ['c'], 'c', ['c']]]);
  });
});

describe('a bad variable', () => {
  const UPSERT = 'mutation ($persons: [PersonInput!]!) { upsertPersons(persons: $persons) { id } }';

  test('an input field of an item of a list, with the message GraphQL gives', async () => {
    const result = await post(UPSERT, { persons: [{ id: 'P10' }, { id: 'P11' }, { id: 'P12', age: 'x' }] });
    expect(result.status).toBe(400);
    expect(
      result.body.errors.map((e: Json) => [e.extensions.code, e.extensions.argumentPath, e.message]),
    ).toEqual([
      [
        'BAD_USER_INPUT',
        '$persons[2].age',
        'Variable "$persons" got invalid value "x" at "persons[2].age"; Int cannot represent non-integer value: "x"',
      ],
    ]);
  });

  test('an item of a list, a whole variable, a missing one and a null one, each named', async () => {
    expect(
      await named(
        `query ($ids: [ID!]!, $since: DateTime, $b: ID!, $p: ID!) {
          persons(ids: $ids) { id } boat(id: $b) { id } person(id: $p) { id }
          outbreakSummary(asOf: $since) { cases } }`,
        { ids: ['P1', 2.5], since: 'yesterday', p: null },
      ),
    ).toEqual([
      ['BAD_USER_INPUT', undefined, '$ids[1]', undefined],
      ['BAD_USER_INPUT', undefined, '$since', undefined],
      ['BAD_USER_INPUT', undefined, '$b', undefined],
      ['BAD_USER_INPUT', undefined, '$p', undefined],
    ]);
  });

  test('an input field of an input object, and one the type does not have', async () => {
    expect(
      await named('query ($f: ChainFilter) { transmissionChains(filter: $f) { totalCount } }', {
        f: { minSize: 'two' },
      }),
    ).toEqual([['BAD_USER_INPUT', undefined, '$f.minSize', undefined]]);
    expect(await named(UPSERT, { persons: [{ id: 'P10' }, { id: 'P11', nme: 'Li' }] })).toEqual([
      ['BAD_USER_INPUT', undefined, '$persons[1]', undefined],
    ]);
  });

  test('odd names and values that look like a path are not taken for one', async () => {
    // A variable named `at`; a value whose text holds ` at "…"`; an object key printed unquoted.
    expect(await named('query ($at: [ID!]!) { persons(ids: $at) { id } }', { at: ['P1', { x: 1 }] })).toEqual(
      [['BAD_USER_INPUT', undefined, '$at[1]', undefined]],
    );
    expect(
      await named('query ($_: ChainFilter) { transmissionChains(filter: $_) { totalCount } }', {
        _: { minSize: 'x at "_.active"' },
      }),
    ).toEqual([['BAD_USER_INPUT', undefined, '$_.minSize', undefined]]);
    expect(await named(UPSERT, { persons: [{ id: 'P10', 'x at "persons[0].id"; y': 1 }] })).toEqual([
      ['BAD_USER_INPUT', undefined, '$persons[0]', undefined],
    ]);
    expect(
      await named('query ($f: ChainFilter) { transmissionChains(filter: $f) { totalCount } }', {
        f: { 'x at "f.minSize"': 1 },
      }),
    ).toEqual([['BAD_USER_INPUT', undefined, '$f', undefined]]);
    expect(await named(UPSERT, { persons: 'at "persons[3].age"' })).toEqual([
      ['BAD_USER_INPUT', undefined, '$persons', undefined],
    ]);
  });
});
