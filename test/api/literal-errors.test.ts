/**
 * A value written in the operation itself (a literal) that GraphQL's validation refuses is named
 * by its argument path, in the message and as `extensions.argumentPath`, as a variable's or a
 * resolver's refusal names where the bad value is; the code and the HTTP status stay GraphQL's
 * (GRAPHQL_VALIDATION_FAILED, 400), and nothing runs. Over HTTP, on the embedded store.
 */
import { smallDistrict } from '../store/fixtures';
import { serveRecords, type Json, type ServedStore } from './helpers';
import { postGraphQL } from './http';

const KEY = 'investigator-key-9d41c7';
let served: ServedStore;

beforeAll(async () => {
  served = await serveRecords(smallDistrict(), 'tracegraph-api-literals-', KEY);
});
afterAll(() => served?.stop());

/** The HTTP status and, per error, its code, argument path and message. */
async function refusal(query: string): Promise<{ status: number; errors: unknown[][] }> {
  const result = await postGraphQL(served.running.url, KEY, { query });
  return {
    status: result.status,
    errors: (result.body.errors ?? []).map((e: Json) => [
      e.extensions?.code,
      e.extensions?.argumentPath,
      e.message,
    ]),
  };
}

describe('a bad literal is named by its argument path', () => {
  test('a scalar argument of the wrong type, alone or as an item of a list', async () => {
    expect(await refusal('{ searchPersons(text: "陈", first: "ten") { id } }')).toEqual({
      status: 400,
      errors: [
        [
          'GRAPHQL_VALIDATION_FAILED',
          'searchPersons.first',
          'searchPersons.first: Int cannot represent non-integer value: "ten"',
        ],
      ],
    });
    // Aliased fields are named as the response names them.
    expect(await refusal('{ a: persons(ids: ["P1", 5.5]) { id } b: person(id: null) { id } }')).toEqual({
      status: 400,
      errors: [
        [
          'GRAPHQL_VALIDATION_FAILED',
          'a.ids[1]',
          'a.ids[1]: ID cannot represent a non-string and non-integer value: 5.5',
        ],
        ['GRAPHQL_VALIDATION_FAILED', 'b.id', 'b.id: Expected value of type "ID!", found null.'],
      ],
    });
  });

  test('a DateTime argument given a string that is no instant, at the top and further down', async () => {
    const result = await refusal(
      '{ outbreakSummary(asOf: "2022-13-01T00:00:00Z") { cases } boat(id: "B1") { crew(from: "yesterday", to: "2022-08-01T00:00:00Z") { totalCount } } }',
    );
    expect(result.status).toBe(400);
    expect(result.errors.map(([code, path]) => [code, path])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'outbreakSummary.asOf'],
      ['GRAPHQL_VALIDATION_FAILED', 'boat.crew.from'],
    ]);
    expect(result.errors[1]![2]).toBe(
      'boat.crew.from: DateTime cannot represent an invalid date-time-string yesterday.',
    );
  });

  test('a field of an input object in a list, of a scalar and of DateTime; nothing is written', async () => {
    const before = await served.temp.store.counts();
    expect(
      await refusal(
        'mutation { upsertPersons(persons: [{ id: "P7" }, { id: "P8" }, { id: "P9", homeId: "H1", age: "x" }]) { id } }',
      ),
    ).toEqual({
      status: 400,
      errors: [
        [
          'GRAPHQL_VALIDATION_FAILED',
          'upsertPersons.persons[2].age',
          'upsertPersons.persons[2].age: Int cannot represent non-integer value: "x"',
        ],
      ],
    });
    const stays = await refusal(
      'mutation { addStays(stays: [{ subjectId: "P2", hostId: "MKT", start: "2022-08-05T09:00:00+08:00", end: "2022-08-05T10:00:00+08:00" }, { subjectId: "P2", hostId: "MKT", start: "2022-08-05T11:00:00+08:00", end: "noon" }]) { start } }',
    );
    expect(stays.errors.map(([code, path]) => [code, path])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'addStays.stays[1].end'],
    ]);
    expect(await served.temp.store.counts()).toEqual(before);
  });

  test('an input field the input type does not have', async () => {
    expect(
      await refusal('mutation { upsertPersons(persons: [{ id: "P9" }, { id: "P10", nme: "林" }]) { id } }'),
    ).toEqual({
      status: 400,
      errors: [
        [
          'GRAPHQL_VALIDATION_FAILED',
          'upsertPersons.persons[1].nme',
          'upsertPersons.persons[1].nme: Field "nme" is not defined by type "PersonInput". Did you mean "name" or "age"?',
        ],
      ],
    });
    const filter = await refusal('{ transmissionChains(filter: { size: 2 }) { totalCount } }');
    expect(filter.errors.map(([code, path]) => [code, path])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'transmissionChains.filter.size'],
    ]);
  });

  test('in a fragment, in a directive and in a variable default; errors about no value have no path', async () => {
    const result = await refusal(
      `query ($since: DateTime = "last week") {
         b: boat(id: "B1") { ...Crew }
         p: person(id: "P1") @include(if: "yes") { id nickname }
         outbreakSummary(asOf: $since) { cases }
       }
       fragment Crew on Boat { crew(from: "x", to: "2022-08-01T00:00:00Z") { totalCount } }`,
    );
    expect(result.status).toBe(400);
    expect(result.errors.map(([code, path]) => [code, path])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', '$since'],
      ['GRAPHQL_VALIDATION_FAILED', 'p@include.if'],
      ['GRAPHQL_VALIDATION_FAILED', undefined],
      ['GRAPHQL_VALIDATION_FAILED', '...Crew.crew.from'],
    ]);
    expect(result.errors[2]![2]).toMatch(/^Cannot query field "nickname" on type "Person"\./);
  });
});
