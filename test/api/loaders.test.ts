/** DataLoader: a request for many persons with their stays makes a fixed, small number of store calls. */
import { buildApiSchema } from '../../src/api/schema';
import type { RecordBatch } from '../../src/domain/types';
import type { TraceStore } from '../../src/store/port';
import { t } from '../store/fixtures';
import { contextFor, countingStore, embeddedStoreWith, run, type Json, type TempStore } from './helpers';

const schema = buildApiSchema();
const HOUR = 3_600_000;
const id = (i: number) => `P${String(i).padStart(3, '0')}`;

function town(persons: number): RecordBatch {
  const day0 = t('2022-08-01T08:00:00+08:00');
  return {
    places: [
      ...Array.from({ length: 10 }, (_, h) => ({
        id: `H${h}`,
        name: null,
        kind: 'home',
        lat: null,
        lon: null,
        capacity: null,
      })),
      { id: 'MKT', name: 'Market', kind: 'market', lat: null, lon: null, capacity: null },
    ],
    boats: [
      { id: 'B0', name: 'Boat 0', registration: null, homePortId: null },
      { id: 'B1', name: 'Boat 1', registration: null, homePortId: null },
    ],
    persons: Array.from({ length: persons }, (_, i) => ({
      id: id(i),
      name: `Person ${i}`,
      sex: null,
      age: null,
      phone: null,
      idNumber: null,
      homeId: `H${i % 10}`,
      occupation: null,
    })),
    stays: Array.from({ length: persons }, (_, i) => [
      { subjectId: id(i), hostId: 'MKT', start: day0 + i * HOUR, end: day0 + i * HOUR + HOUR / 2 },
      { subjectId: id(i), hostId: `B${i % 2}`, start: day0 - 24 * HOUR, end: day0 - 12 * HOUR },
    ]).flat(),
    cases: Array.from({ length: persons / 10 }, (_, k) => ({
      personId: id(k * 10),
      classification: 'asymptomatic' as const,
      onset: null,
      confirmedAt: day0,
    })),
  };
}

const QUERY = `query Many($ids: [ID!]!) {
  persons(ids: $ids) {
    id
    name
    home { id kind }
    case { classification }
    stays(first: 5) {
      edges { node { start host { __typename ... on Place { id kind } ... on Boat { id name } } } }
    }
  }
}`;

describe('DataLoader batching', () => {
  let temp: TempStore;
  let store: TraceStore;
  beforeAll(async () => {
    temp = await embeddedStoreWith(town(200), 'tracegraph-api-loaders-');
    store = temp.store;
  });
  afterAll(() => temp.dispose());

  async function callsFor(count: number): Promise<Record<string, number>> {
    const counting = countingStore(store);
    const ids = Array.from({ length: count }, (_, i) => id(i));
    const result = await run(schema, contextFor(counting.store, 'investigator'), QUERY, { ids });
    expect(result.errors).toBeUndefined();
    const persons = (result.data as Json).persons;
    expect(persons).toHaveLength(count);
    expect(persons[7]).toEqual({
      id: 'P007',
      name: 'Person 7',
      home: { id: 'H7', kind: 'home' },
      case: null,
      stays: {
        edges: [
          {
            node: {
              start: '2022-07-31T00:00:00.000Z',
              host: { __typename: 'Boat', id: 'B1', name: 'Boat 1' },
            },
          },
          {
            node: {
              start: '2022-08-01T07:00:00.000Z',
              host: { __typename: 'Place', id: 'MKT', kind: 'market' },
            },
          },
        ],
      },
    });
    expect(persons[10].case).toEqual({ classification: 'ASYMPTOMATIC' });
    return Object.fromEntries(counting.calls);
  }

  test('200 persons with stays, homes, cases and hosts: one call per lookup and level', async () => {
    const calls = await callsFor(200);
    // persons, then (homes, stays, cases) together, then the hosts' kinds, then the hosts.
    expect(calls).toEqual({
      persons: 1,
      places: 2,
      casesOf: 1,
      staysOfSubjects: 1,
      entityKinds: 1,
      boats: 1,
    });
  });

  test('the number of store calls does not grow with the number of persons', async () => {
    expect(await callsFor(20)).toEqual(await callsFor(200));
  });
});
