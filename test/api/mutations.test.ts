/** Mutations validate through the import's row specs and the store's references; a refused batch writes nothing. */
import { buildApiSchema } from '../../src/api/schema';
import { smallDistrict, t } from '../store/fixtures';
import { codes, contextFor, districtStore, run, type TempStore } from './helpers';

const schema = buildApiSchema();
let temp: TempStore;
beforeAll(async () => {
  temp = await districtStore();
});
beforeEach(async () => {
  await temp.store.clear();
  await temp.store.write(smallDistrict());
});
afterAll(async () => {
  await temp.dispose();
});

const write = (source: string, variables?: Record<string, unknown>) =>
  run(schema, contextFor(temp.store, 'investigator'), source, variables);

const ADD_STAYS = `mutation ($stays: [StayInput!]!) { addStays(stays: $stays) { start end relation subject { __typename } } }`;

describe('mutations', () => {
  test('adds stays and returns them', async () => {
    const result = await write(ADD_STAYS, {
      stays: [
        {
          subjectId: 'P2',
          hostId: 'MKT',
          start: '2022-08-01T09:45:00+08:00',
          end: '2022-08-01T09:55:00+08:00',
        },
        {
          subjectId: 'L1',
          hostId: 'B1',
          start: '2022-07-27T10:00:00+08:00',
          end: '2022-07-28T09:00:00+08:00',
        },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      addStays: [
        {
          start: '2022-08-01T01:45:00.000Z',
          end: '2022-08-01T01:55:00.000Z',
          relation: 'STAYED_AT',
          subject: { __typename: 'Person' },
        },
        {
          start: '2022-07-27T02:00:00.000Z',
          end: '2022-07-28T01:00:00.000Z',
          relation: 'CARRIED_BY',
          subject: { __typename: 'ColdChainItem' },
        },
      ],
    });
    expect((await temp.store.counts()).stays).toBe(9);
    expect(
      await temp.store.staysOfSubjects([{ id: 'P2', from: t('2022-08-01'), to: t('2022-08-02') }]),
    ).toEqual([
      {
        subjectId: 'P2',
        hostId: 'MKT',
        start: t('2022-08-01T09:45:00+08:00'),
        end: t('2022-08-01T09:55:00+08:00'),
      },
    ]);
  });

  test('a batch with problems is refused whole, each problem named by argument path and field', async () => {
    await write('mutation { upsertBoats(boats: [{ id: "B2", name: "Qiong Ya Yu 02" }]) { id } }');
    const before = await temp.store.counts();
    const result = await write(ADD_STAYS, {
      stays: [
        {
          subjectId: 'P2',
          hostId: 'MKT',
          start: '2022-08-01T09:45:00+08:00',
          end: '2022-08-01T09:55:00+08:00',
        },
        {
          subjectId: 'P2',
          hostId: 'MKT',
          start: '2022-08-01T12:00:00+08:00',
          end: '2022-08-01T11:00:00+08:00',
        },
        {
          subjectId: 'P2',
          hostId: 'NOWHERE',
          start: '2022-08-01T12:00:00+08:00',
          end: '2022-08-01T13:00:00+08:00',
        },
        {
          subjectId: 'MKT',
          hostId: 'PORT',
          start: '2022-08-01T12:00:00+08:00',
          end: '2022-08-01T13:00:00+08:00',
        },
        {
          subjectId: 'B2',
          hostId: 'B1',
          start: '2022-08-01T12:00:00+08:00',
          end: '2022-08-01T13:00:00+08:00',
        },
        {
          subjectId: 'P2',
          hostId: 'MKT',
          start: '2022-08-01T09:45:00+08:00',
          end: '2022-08-01T09:55:00+08:00',
        },
      ],
    });
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toBe(
      [
        'stays[1].end: is before start',
        'stays[2].hostId: "NOWHERE" does not exist',
        'stays[3].subjectId: "MKT" is a place, not a person, cold-chain lot or boat',
        'stays[4].hostId: a boat cannot stay at a boat',
        'stays[5]: repeats stays[0]',
      ].join('; '),
    );
    expect(result.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'stays[1].end', reason: 'is before start' },
      { path: 'stays[2].hostId', reason: '"NOWHERE" does not exist' },
      { path: 'stays[3].subjectId', reason: '"MKT" is a place, not a person, cold-chain lot or boat' },
      { path: 'stays[4].hostId', reason: 'a boat cannot stay at a boat' },
      { path: 'stays[5]', reason: 'repeats stays[0]' },
    ]);
    expect(await temp.store.counts()).toEqual(before);
  });

  test('persons: field rules of persons.csv, references and ids taken by another kind', async () => {
    const result = await write(`mutation {
      upsertPersons(persons: [
        { id: "P10", age: 200 },
        { id: "P11", homeId: "B1" },
        { id: "H1", name: "Not a place" },
        { id: "P12", name: "Zhou" },
        { id: " P12 ", name: "Zhou again" }
      ]) { id }
    }`);
    expect(result.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'persons[0].age', reason: '"200" is not a whole number from 0 to 130' },
      { path: 'persons[1].homeId', reason: '"B1" is a boat, not a place' },
      { path: 'persons[2].id', reason: '"H1" is already a place' },
      { path: 'persons[4].id', reason: 'repeats persons[3]' },
    ]);
    expect((await temp.store.counts()).persons).toBe(4);
  });

  test('persons are added and updated by id', async () => {
    const result = await write(`mutation {
      upsertPersons(persons: [
        { id: "P4", name: "Wang Fang", sex: F, age: 28, homeId: "H2" },
        { id: "P5", name: "Zhou Min", phone: "13700005555" }
      ]) { id name sex age home { id } household { id } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      upsertPersons: [
        { id: 'P4', name: 'Wang Fang', sex: 'F', age: 28, home: { id: 'H2' }, household: [{ id: 'P3' }] },
        { id: 'P5', name: 'Zhou Min', sex: null, age: null, home: null, household: [] },
      ],
    });
    expect(await temp.store.persons(['P4', 'P5'])).toEqual([
      {
        id: 'P4',
        name: 'Wang Fang',
        sex: 'F',
        age: 28,
        phone: null,
        idNumber: null,
        homeId: 'H2',
        occupation: null,
      },
      {
        id: 'P5',
        name: 'Zhou Min',
        sex: null,
        age: null,
        phone: '13700005555',
        idNumber: null,
        homeId: null,
        occupation: null,
      },
    ]);
  });

  test('cases, contacts, samples and handlings follow their files rules', async () => {
    const cases = await write(`mutation {
      upsertCases(cases: [
        { personId: "P2", classification: ASYMPTOMATIC, onset: "2022-08-03" },
        { personId: "P4", classification: CONFIRMED, onset: "yesterday" }
      ]) { classification }
    }`);
    expect(cases.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'cases[0].onset', reason: 'an asymptomatic case has no onset' },
      {
        path: 'cases[1].onset',
        reason:
          '"yesterday" is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00) or a date (2022-08-01)',
      },
    ]);

    const contacts = await write(`mutation {
      addContacts(contacts: [{ personA: "P1", personB: "P1", start: "2022-08-02T19:00:00+08:00", end: "2022-08-02T20:00:00+08:00", setting: WORK }]) { setting }
    }`);
    expect(contacts.errors?.[0]?.message).toBe('contacts[0].personB: is the same person as personA');

    const handlings = await write(`mutation {
      addHandlings(handlings: [{ personId: "L1", itemId: "P3", at: "2022-07-29T08:00:00+08:00" }]) { at }
    }`);
    expect(handlings.errors?.[0]?.message).toBe(
      'handlings[0].personId: "L1" is a cold-chain lot, not a person; handlings[0].itemId: "P3" is a person, not a cold-chain lot',
    );

    const samples = await write(`mutation {
      addSamples(samples: [{ subjectId: "P1", sampledAt: "2022-08-02T10:00:00+08:00", result: POSITIVE, method: PCR, ct: 22 }]) {
        ct subject { ... on Person { id } }
      }
      upsertCases(cases: [{ personId: "P2", classification: CONFIRMED, onset: "2022-08-03", confirmedAt: "2022-08-04T09:00:00+08:00" }]) {
        onset person { id }
      }
    }`);
    expect(samples.errors).toBeUndefined();
    expect(samples.data).toEqual({
      addSamples: [{ ct: 22, subject: { id: 'P1' } }],
      upsertCases: [{ onset: '2022-08-02T16:00:00.000Z', person: { id: 'P2' } }],
    });
    const counts = await temp.store.counts();
    // The sample of the same subject, instant and method was corrected, not added.
    expect([counts.samples, counts.cases]).toEqual([4, 3]);
    expect((await temp.store.samplesOf(['P1'])).find((s) => s.result === 'positive')?.ct).toBe(22);
  });

  test('at most 1,000 records per call', async () => {
    const stays = Array.from({ length: 1001 }, (_, i) => ({
      subjectId: 'P2',
      hostId: 'MKT',
      start: new Date(t('2022-08-01T00:00:00+08:00') + i * 60_000).toISOString(),
      end: new Date(t('2022-08-01T00:00:00+08:00') + i * 60_000 + 30_000).toISOString(),
    }));
    const result = await write(ADD_STAYS, { stays });
    expect(result.errors?.[0]?.message).toBe('stays: at most 1000 records per call (got 1001)');
    expect((await temp.store.counts()).stays).toBe(7);
  });
});
