/** Reading the district through the schema: lookups, relationships, unions, windows and pages. */
import { buildApiSchema } from '../../src/api/schema';
import { contextFor, districtStore, run, type Json, type TempStore } from './helpers';
import { DISTRICT_COUNTS } from '../store/fixtures';

const schema = buildApiSchema();
let temp: TempStore;
beforeAll(async () => {
  temp = await districtStore();
});
afterAll(async () => {
  await temp.dispose();
});

const asInvestigator = (source: string, variables?: Record<string, unknown>) =>
  run(schema, contextFor(temp.store, 'investigator'), source, variables);

describe('queries', () => {
  test('a person with home, case, household, samples and contacts', async () => {
    const result = await asInvestigator(`{
      person(id: "P1") {
        id name sex age phone idNumber occupation
        home { id name kind }
        case { classification onset confirmedAt person { id } }
        household { id }
        samples { sampledAt result method ct }
        contacts { start end setting personA { id } personB { id } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      person: {
        id: 'P1',
        name: '陈大明',
        sex: 'M',
        age: 45,
        phone: '13800001111',
        idNumber: '460200197701011234',
        occupation: 'fisher',
        home: { id: 'H1', name: 'Home 1', kind: 'home' },
        case: {
          classification: 'CONFIRMED',
          onset: '2022-07-31T16:00:00.000Z',
          confirmedAt: '2022-08-02T12:00:00.000Z',
          person: { id: 'P1' },
        },
        household: [{ id: 'P2' }],
        samples: [
          { sampledAt: '2022-07-29T02:00:00.000Z', result: 'NEGATIVE', method: 'PCR', ct: null },
          { sampledAt: '2022-08-02T02:00:00.000Z', result: 'POSITIVE', method: 'PCR', ct: 24.5 },
        ],
        contacts: [
          {
            start: '2022-08-02T11:00:00.000Z',
            end: '2022-08-02T13:00:00.000Z',
            setting: 'SOCIAL',
            personA: { id: 'P1' },
            personB: { id: 'P4' },
          },
        ],
      },
    });
  });

  test('stays page by start with opaque cursors, hosts resolve to Place or Boat', async () => {
    const query = `query ($after: String) {
      person(id: "P1") {
        stays(first: 1, after: $after) {
          totalCount
          edges { cursor node { start end relation host { __typename ... on Place { id kind } ... on Boat { id registration } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    const first = await asInvestigator(query);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Json).person.stays;
    expect(page1.totalCount).toBe(2);
    expect(page1.edges.map((e: Json) => e.node)).toEqual([
      {
        start: '2022-07-29T20:00:00.000Z',
        end: '2022-07-31T10:00:00.000Z',
        relation: 'ABOARD',
        host: { __typename: 'Boat', id: 'B1', registration: 'QYY-01' },
      },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.pageInfo.endCursor).toBe(page1.edges[0].cursor);
    expect(page1.edges[0].cursor).not.toContain('B1');

    const second = await asInvestigator(query, { after: page1.pageInfo.endCursor });
    const page2 = (second.data as Json).person.stays;
    expect(page2.edges.map((e: Json) => e.node)).toEqual([
      {
        start: '2022-08-01T01:00:00.000Z',
        end: '2022-08-01T02:00:00.000Z',
        relation: 'STAYED_AT',
        host: { __typename: 'Place', id: 'MKT', kind: 'market' },
      },
    ]);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });

    const bad = await asInvestigator(query, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toBe('after: is not a cursor of this list');
  });

  test("a place's visitors in a window", async () => {
    const result = await asInvestigator(`{
      place(id: "MKT") {
        visitors(from: "2022-08-01T00:00:00+08:00", to: "2022-08-01T23:59:59+08:00") {
          totalCount
          edges { node { start subject { __typename ... on Person { id } } } }
        }
        samples { result subject { __typename ... on Place { id } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect((result.data as Json).place).toEqual({
      visitors: {
        totalCount: 2,
        edges: [
          { node: { start: '2022-08-01T01:00:00.000Z', subject: { __typename: 'Person', id: 'P1' } } },
          { node: { start: '2022-08-01T01:30:00.000Z', subject: { __typename: 'Person', id: 'P3' } } },
        ],
      },
      samples: [{ result: 'NEGATIVE', subject: { __typename: 'Place', id: 'MKT' } }],
    });
  });

  test('a window that ends before it starts is refused', async () => {
    const result = await asInvestigator(`{
      place(id: "MKT") { visitors(from: "2022-08-02T00:00:00+08:00", to: "2022-08-01T00:00:00+08:00") { totalCount } }
    }`);
    expect(result.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['to: is before from', 'BAD_USER_INPUT'],
    ]);
  });

  test("a boat's crew, cargo, dockings and home port", async () => {
    const result = await asInvestigator(`{
      boat(id: "B1") {
        name
        homePort { id kind }
        crew(from: "2022-07-30T00:00:00+08:00", to: "2022-07-31T23:59:59+08:00") {
          edges { node { end subject { ... on Person { id } } } }
        }
        cargo(from: "2022-07-30T00:00:00+08:00", to: "2022-07-31T23:59:59+08:00") { totalCount }
        dockings { edges { node { relation host { ... on Place { id } } } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect((result.data as Json).boat).toEqual({
      name: 'Qiong Ya Yu 01',
      homePort: { id: 'PORT', kind: 'fishing_port' },
      crew: {
        edges: [
          { node: { end: '2022-07-30T04:00:00.000Z', subject: { id: 'P3' } } },
          { node: { end: '2022-07-31T10:00:00.000Z', subject: { id: 'P1' } } },
        ],
      },
      cargo: { totalCount: 0 },
      dockings: { edges: [{ node: { relation: 'DOCKED_AT', host: { id: 'PORT' } } }] },
    });
  });

  test('a cold-chain lot: handlers, storage and samples', async () => {
    const result = await asInvestigator(`{
      coldChainItem(id: "L1") {
        product lot arrivedAt
        handlers { at person { id occupation } item { id } }
        storage { edges { node { start end relation host { ... on Place { id } } } } }
        samples { result ct }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect((result.data as Json).coldChainItem).toEqual({
      product: 'frozen shrimp',
      lot: 'LOT-77',
      arrivedAt: '2022-07-27T16:00:00.000Z',
      handlers: [
        { at: '2022-07-29T00:00:00.000Z', person: { id: 'P3', occupation: 'porter' }, item: { id: 'L1' } },
      ],
      storage: {
        edges: [
          {
            node: {
              start: '2022-07-28T02:00:00.000Z',
              end: '2022-08-05T02:00:00.000Z',
              relation: 'STORED_AT',
              host: { id: 'COLD' },
            },
          },
        ],
      },
      samples: [{ result: 'POSITIVE', ct: 33 }],
    });
  });

  test('cases by person, persons in the order asked, unknown ids are null', async () => {
    const result = await asInvestigator(`{
      asymptomatic: case(personId: "P3") { classification onset confirmedAt }
      none: case(personId: "P2") { classification }
      persons(ids: ["P3", "nobody", "P1"]) { id }
      person(id: "nobody") { id }
      place(id: "P1") { id }
      boat(id: "nope") { id }
      coldChainItem(id: "nope") { id }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      asymptomatic: { classification: 'ASYMPTOMATIC', onset: null, confirmedAt: '2022-08-05T04:00:00.000Z' },
      none: null,
      persons: [{ id: 'P3' }, null, { id: 'P1' }],
      person: null,
      place: null,
      boat: null,
      coldChainItem: null,
    });
  });

  test('ids are looked up as writes store them, without spaces around; an empty or blank id is refused', async () => {
    const padded = await asInvestigator(`{
      person(id: " P1 ") { id }
      persons(ids: ["P3 ", "\\tP1"]) { id }
      place(id: "MKT ") { id }
      boat(id: " B1") { id }
      coldChainItem(id: "L1 ") { id }
      case(personId: " P3") { personId }
    }`);
    expect(padded.errors).toBeUndefined();
    expect(padded.data).toEqual({
      person: { id: 'P1' },
      persons: [{ id: 'P3' }, { id: 'P1' }],
      place: { id: 'MKT' },
      boat: { id: 'B1' },
      coldChainItem: { id: 'L1' },
      case: { personId: 'P3' },
    });

    const empty = await asInvestigator(`{
      person(id: "") { id }
      persons(ids: ["P1", " ", ""]) { id }
      place(id: "  ") { id }
      boat(id: "") { id }
      coldChainItem(id: "") { id }
      case(personId: " ") { personId }
      chain(id: "") { id }
    }`);
    // Each field is refused on its own (sorted by path: sync and async fields settle in any order).
    const refusals = [...(empty.errors ?? [])]
      .sort((a, b) => String(a.path).localeCompare(String(b.path)))
      .map((e) => [
        e.path?.join('.'),
        e.extensions.code,
        (e.extensions.problems as { path: string; reason: string }[]).map((p) => `${p.path}: ${p.reason}`),
      ]);
    expect(refusals).toEqual([
      ['boat', 'BAD_USER_INPUT', ["id: is empty: give a boat's id"]],
      ['case', 'BAD_USER_INPUT', ["personId: is blank: give a person's id"]],
      ['chain', 'BAD_USER_INPUT', ["id: is empty: give a chain's id"]],
      ['coldChainItem', 'BAD_USER_INPUT', ["id: is empty: give a lot's id"]],
      ['person', 'BAD_USER_INPUT', ["id: is empty: give a person's id"]],
      [
        'persons',
        'BAD_USER_INPUT',
        ["ids[1]: is blank: give a person's id", "ids[2]: is empty: give a person's id"],
      ],
      ['place', 'BAD_USER_INPUT', ["id: is blank: give a place's id"]],
    ]);
  });

  test('search by phone and the store counts', async () => {
    const result = await asInvestigator(`{
      searchPersons(text: "1380000", first: 10) { id phone }
      stats { persons places boats items stays contacts handlings samples cases }
    }`);
    expect(result.errors).toBeUndefined();
    const found = (result.data as Json).searchPersons.map((p: Json) => p.id).sort();
    expect(found).toEqual(['P1', 'P2']);
    expect((result.data as Json).stats).toEqual(DISTRICT_COUNTS);
    const tooShort = await asInvestigator('{ searchPersons(text: " 1 ") { id } }');
    expect(tooShort.errors?.[0]?.message).toBe('text: needs at least 2 characters, or one Chinese character');
  });

  test('search by a surname of one Chinese character; one other character is refused', async () => {
    const bySurname = await asInvestigator('{ searchPersons(text: "陈") { id } }');
    expect(bySurname.errors).toBeUndefined();
    expect((bySurname.data as Json).searchPersons.map((p: Json) => p.id).sort()).toEqual(['P1', 'P2']);
    // A character outside the Basic Multilingual Plane is one character, not two code units.
    const oneEmoji = await asInvestigator('{ searchPersons(text: "😀") { id } }');
    expect(oneEmoji.errors?.[0]?.message).toBe('text: needs at least 2 characters, or one Chinese character');
    const oneLetter = await asInvestigator('{ searchPersons(text: "L") { id } }');
    expect(oneLetter.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
