/** Mutations validate through the import's row specs and the store's references; a refused batch writes nothing. */
import { buildApiSchema } from '../../src/api/schema';
import type { Place, Stay } from '../../src/domain/types';
import { oneCheckedWriteAtATime } from '../../src/api/services/checked-writes';
import { barePerson } from '../bare-records';
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
      ].join('; '),
    );
    expect(result.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'stays[1].end', reason: 'is before start' },
      { path: 'stays[2].hostId', reason: '"NOWHERE" does not exist' },
      { path: 'stays[3].subjectId', reason: '"MKT" is a place, not a person, cold-chain lot or boat' },
      { path: 'stays[4].hostId', reason: 'a boat cannot stay at a boat' },
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
      { path: 'persons[4].id', reason: 'repeats persons[3] with different fields' },
    ]);
    expect((await temp.store.counts()).persons).toBe(4);
  });

  test("a person's homeId must name a place of kind home", async () => {
    const result = await write(`mutation {
      upsertPersons(persons: [{ id: "P10", homeId: "H2" }, { id: "P11", homeId: "MKT" }, { id: "P12", homeId: "QH1" }]) { id }
    }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'persons[1].homeId', reason: '"MKT" is a place of kind market, not a home' },
      { path: 'persons[2].homeId', reason: '"QH1" is a place of kind quarantine_site, not a home' },
    ]);
    expect(await temp.store.persons(['P10', 'P11', 'P12'])).toEqual([null, null, null]);
  });

  test('a place may not stop being a home while persons live there; once they move it may', async () => {
    const result = await write(`mutation {
      upsertPlaces(places: [
        { id: "H1", name: "Home 1", kind: "restaurant" },
        { id: "MKT", name: "Baogang market", kind: "market" },
        { id: "H2", name: "Home 2", kind: "shop" }
      ]) { id }
    }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.problems).toEqual([
      {
        path: 'places[0].kind',
        reason:
          '"H1" is the homeId of 2 person(s) (P1, P2), so it cannot be a restaurant: a homeId names a place of kind home',
      },
      {
        path: 'places[2].kind',
        reason:
          '"H2" is the homeId of 1 person(s) (P3), so it cannot be a shop: a homeId names a place of kind home',
      },
    ]);
    expect((await temp.store.places(['H1', 'H2'])).map((p) => p?.kind)).toEqual(['home', 'home']);

    const moved = await write(`mutation {
      upsertPersons(persons: [{ id: "P3", name: "Li Wei", homeId: "H1" }]) { id }
      upsertPlaces(places: [{ id: "H2", name: "Home 2", kind: "shop" }]) { id kind }
    }`);
    expect(moved.errors).toBeUndefined();
    expect((await temp.store.places(['H2']))[0]?.kind).toBe('shop');
  });

  test('persons wait for the checked writes before them: no one moves into a place while it may stop being a home', async () => {
    let release!: () => void;
    const held = oneCheckedWriteAtATime(
      temp.store,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const moving = write(`mutation { upsertPersons(persons: [{ id: "P10", homeId: "H2" }]) { id } }`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await temp.store.persons(['P10'])).toEqual([null]);
    } finally {
      // Released even when the check fails, so the writes of the tests after it are not held.
      release();
      await held;
    }
    expect((await moving).errors).toBeUndefined();
    expect((await temp.store.persons(['P10']))[0]?.homeId).toBe('H2');
  });

  test('the same record twice in a call is written once, as import takes it', async () => {
    const before = await temp.store.counts();
    const stay = `{ subjectId: "P1", hostId: "MKT", start: "2022-08-02T09:00:00+08:00", end: "2022-08-02T09:30:00+08:00" }`;
    const result = await write(`mutation {
      upsertPersons(persons: [{ id: "P20", name: "Qin" }, { id: "P20", name: "Qin" }]) { id }
      addStays(stays: [${stay}, ${stay}]) { start }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      upsertPersons: [{ id: 'P20' }],
      addStays: [{ start: expect.any(String) }],
    });
    const after = await temp.store.counts();
    expect([after.persons - before.persons, after.stays - before.stays]).toEqual([1, 1]);
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
    // Written whole, as a row of persons.csv: what an update leaves out is empty after it.
    const updated = await write(`mutation { upsertPersons(persons: [{ id: "P4", age: 29 }]) { id } }`);
    expect(updated.errors).toBeUndefined();
    expect(await temp.store.persons(['P4'])).toEqual([
      {
        id: 'P4',
        name: null,
        sex: null,
        age: 29,
        phone: null,
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

  test('a sample that corrects the stored result or ct is written and said in the warnings; the same again says nothing', async () => {
    const CORRECT = `mutation ($samples: [SampleInput!]!) { addSamples(samples: $samples) { result ct } }`;
    const samples = [
      // Stored negative without a ct: now positive, ct 31.
      { subjectId: 'P1', sampledAt: '2022-07-29T10:00:00+08:00', result: 'POSITIVE', method: 'PCR', ct: 31 },
      // A new sample: nothing to correct.
      { subjectId: 'P2', sampledAt: '2022-08-03T10:00:00+08:00', result: 'NEGATIVE', method: 'PCR' },
      // Stored positive, ct 33: the same result, another ct.
      { subjectId: 'L1', sampledAt: '2022-08-01T15:00:00+08:00', result: 'POSITIVE', method: 'PCR', ct: 30 },
    ];
    const context = contextFor(temp.store, 'investigator');
    const result = await run(schema, context, CORRECT, { samples });
    expect(result.errors).toBeUndefined();
    expect(context.warnings).toEqual([
      {
        path: 'samples[0].result',
        reason:
          "replaces the stored result negative of P1's pcr sample at 2022-07-29T10:00:00+08:00 with positive",
      },
      {
        path: 'samples[0].ct',
        reason: "replaces the stored ct (empty) of P1's pcr sample at 2022-07-29T10:00:00+08:00 with 31",
      },
      {
        path: 'samples[2].ct',
        reason: "replaces the stored ct 33 of L1's pcr sample at 2022-08-01T15:00:00+08:00 with 30",
      },
    ]);
    // Written as given.
    expect(
      (await temp.store.samplesOf(['P1'])).find((s) => s.sampledAt === t('2022-07-29T10:00:00+08:00')),
    ).toMatchObject({
      result: 'positive',
      ct: 31,
    });
    const again = contextFor(temp.store, 'investigator');
    expect((await run(schema, again, CORRECT, { samples })).errors).toBeUndefined();
    expect(again.warnings).toEqual([]);
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

describe('stays at a quarantine site take its beds', () => {
  /** A site of two beds, one held by P1 from 10 to 17 Aug (a stay already stored). */
  const SITE: Place = {
    id: 'QS2',
    name: 'Quarantine site 2',
    kind: 'quarantine_site',
    lat: null,
    lon: null,
    capacity: 2,
  };
  const stayAt = (subjectId: string, hostId: string, from: string, to: string) => ({
    subjectId,
    hostId,
    start: `2022-08-${from}T00:00:00+08:00`,
    end: `2022-08-${to}T00:00:00+08:00`,
  });
  const stored = (input: ReturnType<typeof stayAt>): Stay => ({
    ...input,
    start: t(input.start),
    end: t(input.end),
  });
  const staysAtSite = () =>
    temp.store.staysAtHosts([{ id: SITE.id, from: t('2022-08-01'), to: t('2022-09-01') }]);
  const problemsOf = (result: Awaited<ReturnType<typeof write>>) =>
    (result.errors?.[0]?.extensions?.problems as { path: string; reason: string }[] | undefined) ?? [];
  const UPSERT = `mutation ($places: [PlaceInput!]!) { upsertPlaces(places: $places) { id capacity } }`;
  const place = (p: Place) => ({ id: p.id, name: p.name, kind: p.kind, capacity: p.capacity });
  /** The result was refused for this one problem. */
  const refusedFor = (result: Awaited<ReturnType<typeof write>>, path: string, reason: string) =>
    expect(problemsOf(result)).toEqual([{ path, reason }]);
  /** P2 takes the other bed over the same days. */
  const fillSite = () => temp.store.write({ stays: [stored(stayAt('P2', SITE.id, '10', '17'))] });

  beforeEach(async () => {
    await temp.store.write({
      places: [SITE],
      persons: ['P5', 'P6'].map((id) => barePerson(id)),
      stays: [stored(stayAt('P1', SITE.id, '10', '17'))],
    });
  });

  test('a stay that would take the site over its capacity is refused, and nothing of the batch is written', async () => {
    await fillSite();
    const before = await temp.store.counts();
    const result = await write(ADD_STAYS, {
      stays: [stayAt('P3', 'MKT', '11', '12'), stayAt('P3', SITE.id, '12', '14')],
    });
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(problemsOf(result)).toEqual([
      {
        path: 'stays[1].hostId',
        reason: `"${SITE.id}" is full from 2022-08-12T00:00:00+08:00 to 2022-08-14T00:00:00+08:00: 2 of 2 bed(s) taken`,
      },
    ]);
    expect(await temp.store.counts()).toEqual(before);
  });

  test('a stay within the capacity is written', async () => {
    const result = await write(ADD_STAYS, { stays: [stayAt('P3', SITE.id, '12', '14')] });
    expect(result.errors).toBeUndefined();
    expect(await staysAtSite()).toContainEqual(stored(stayAt('P3', SITE.id, '12', '14')));
  });

  test('two stays of one batch that together exceed the capacity are refused', async () => {
    const before = await temp.store.counts();
    // Each fits beside P1 alone; the second finds the first's bed taken too, from the 14th to the
    // 15th (P1 10-17, P2 11-15): the message names when the site is full, not the stay's whole interval.
    const result = await write(ADD_STAYS, {
      stays: [stayAt('P2', SITE.id, '11', '15'), stayAt('P3', SITE.id, '14', '20')],
    });
    expect(problemsOf(result)).toEqual([
      {
        path: 'stays[1].hostId',
        reason: `"${SITE.id}" is full from 2022-08-14T00:00:00+08:00 to 2022-08-15T00:00:00+08:00: 2 of 2 bed(s) taken`,
      },
    ]);
    expect(await temp.store.counts()).toEqual(before);
  });

  test('stays that do not overlap the occupied interval are written; lots stored there take no bed', async () => {
    await fillSite();
    const stays = [
      stayAt('P3', SITE.id, '17', '20'),
      stayAt('P4', SITE.id, '05', '10'),
      stayAt('L1', SITE.id, '12', '13'),
      // Within P1's own stay there: it takes no second bed.
      stayAt('P1', SITE.id, '12', '13'),
    ];
    const result = await write(ADD_STAYS, { stays });
    expect(result.errors).toBeUndefined();
    const atSite = await staysAtSite();
    for (const stay of stays) expect(atSite).toContainEqual(stored(stay));
  });

  test("a stay overlapping the person's stay at another quarantine site is refused; a move from one to the next is not", async () => {
    await temp.store.write({ places: [{ ...SITE, id: 'QS3', name: 'Quarantine site 3' }] });
    const before = await temp.store.counts();
    const overStored = await write(ADD_STAYS, { stays: [stayAt('P1', 'QS3', '16', '20')] });
    const inBatch = await write(ADD_STAYS, {
      stays: [stayAt('P3', SITE.id, '11', '13'), stayAt('P3', 'QS3', '12', '14')],
    });
    refusedFor(
      overStored,
      'stays[0].subjectId',
      '"P1" is at quarantine site QS2 from 2022-08-10T00:00:00+08:00 to 2022-08-17T00:00:00+08:00, ' +
        'over part of this stay: a person holds one bed at a time',
    );
    refusedFor(
      inBatch,
      'stays[1].subjectId',
      '"P3" is at quarantine site QS2 from 2022-08-11T00:00:00+08:00 to 2022-08-13T00:00:00+08:00, ' +
        'over part of this stay: a person holds one bed at a time',
    );
    expect(await temp.store.counts()).toEqual(before);

    const moved = await write(ADD_STAYS, { stays: [stayAt('P1', 'QS3', '17', '20')] });
    expect(moved.errors).toBeUndefined();
    expect(
      await temp.store.staysOfSubjects([{ id: 'P1', from: t('2022-08-17'), to: t('2022-08-18') }]),
    ).toContainEqual(stored(stayAt('P1', 'QS3', '17', '20')));
  });

  test('a quarantine site with no capacity on record is refused by argument path', async () => {
    await temp.store.write({ places: [{ ...SITE, id: 'QS0', capacity: null }] });
    const result = await write(ADD_STAYS, { stays: [stayAt('P3', 'QS0', '12', '14')] });
    expect(problemsOf(result)).toEqual([
      { path: 'stays[0].hostId', reason: '"QS0" has no capacity (beds) on record' },
    ]);
  });

  test("upsertPlaces: a quarantine site's capacity must hold the most persons recorded there at once", async () => {
    await fillSite();
    const before = await temp.store.counts();
    const lowered = await write(UPSERT, { places: [place({ ...SITE, capacity: 1 })] });
    // The market has two persons at once on 1 Aug (09:30 to 10:00); made a site, it needs two beds.
    const market = { id: 'MKT', name: 'Baogang market', kind: 'quarantine_site' };
    const noCapacity = await write(UPSERT, { places: [{ ...market, capacity: null }] });
    refusedFor(
      lowered,
      'places[0].capacity',
      '2 person(s) are recorded at "QS2" at once on 2022-08-10T00:00:00+08:00; ' +
        'a quarantine site with a capacity of 1 bed(s) cannot hold them',
    );
    refusedFor(
      noCapacity,
      'places[0].capacity',
      '2 person(s) are recorded at "MKT" at once on 2022-08-01T09:30:00+08:00; ' +
        'a quarantine site with no capacity cannot hold them',
    );
    expect(await temp.store.counts()).toEqual(before);
    expect((await temp.store.places([SITE.id, 'MKT'])).map((p) => [p?.kind, p?.capacity])).toEqual([
      ['quarantine_site', 2],
      ['market', null],
    ]);

    // Enough beds, or another kind of place: written.
    const written = await write(UPSERT, {
      places: [{ ...market, capacity: 2 }, place({ ...SITE, kind: 'hotel', capacity: 0 })],
    });
    expect(written.errors).toBeUndefined();
    expect((await temp.store.places([SITE.id, 'MKT'])).map((p) => [p?.kind, p?.capacity])).toEqual([
      ['hotel', 0],
      ['quarantine_site', 2],
    ]);
  });

  test('upsertPlaces: a site over its capacity as imported may still be corrected; a place made a site may not give a person a second bed', async () => {
    await fillSite();
    // As an import may leave it: two persons at once at a site of one bed.
    await temp.store.write({ places: [{ ...SITE, capacity: 1 }] });
    const renamed = await write(UPSERT, { places: [place({ ...SITE, name: 'Hotel Q', capacity: 1 })] });
    expect(renamed.errors).toBeUndefined();
    expect((await temp.store.places([SITE.id]))[0]?.name).toBe('Hotel Q');

    const hotel: Place = {
      id: 'HTL',
      name: 'Sea View hotel',
      kind: 'hotel',
      lat: null,
      lon: null,
      capacity: 50,
    };
    await temp.store.write({ places: [hotel], stays: [stored(stayAt('P1', 'HTL', '12', '13'))] });
    const before = await temp.store.counts();
    const made = await write(UPSERT, { places: [place({ ...hotel, kind: 'quarantine_site' })] });
    refusedFor(
      made,
      'places[0].kind',
      '"P1" stays at "HTL" from 2022-08-12T00:00:00+08:00 to 2022-08-13T00:00:00+08:00 ' +
        'while at quarantine site QS2 from 2022-08-10T00:00:00+08:00 to 2022-08-17T00:00:00+08:00: ' +
        'a person holds one bed at a time',
    );
    expect(await temp.store.counts()).toEqual(before);
    expect((await temp.store.places(['HTL']))[0]?.kind).toBe('hotel');
  });

  test('places wait for the bed writes before them: a capacity is not lowered under a stay being checked', async () => {
    let release!: () => void;
    const held = oneCheckedWriteAtATime(
      temp.store,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const lowering = write(
      `mutation { upsertPlaces(places: [{ id: "${SITE.id}", name: "${SITE.name}", kind: "quarantine_site", capacity: 1 }]) { id } }`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await temp.store.places([SITE.id]))[0]?.capacity).toBe(2);
    release();
    await held;
    expect((await lowering).errors).toBeUndefined();
    expect((await temp.store.places([SITE.id]))[0]?.capacity).toBe(1);
  });

  test('assignQuarantineSite counts the beds addStays took; asked for the last bed at once, one gets it', async () => {
    const assign = (personId: string, from: string, to: string) =>
      write(
        `mutation ($personId: ID!, $start: DateTime!, $end: DateTime!) {
          assignQuarantineSite(personId: $personId, siteId: "${SITE.id}", start: $start, end: $end) { freeBeds }
        }`,
        { personId, start: `2022-08-${from}T00:00:00+08:00`, end: `2022-08-${to}T00:00:00+08:00` },
      );
    expect((await write(ADD_STAYS, { stays: [stayAt('P3', SITE.id, '12', '14')] })).errors).toBeUndefined();
    expect(problemsOf(await assign('P4', '13', '15'))).toEqual([
      {
        path: 'siteId',
        reason: `"${SITE.id}" is full from 2022-08-13T00:00:00+08:00 to 2022-08-14T00:00:00+08:00: 2 of 2 bed(s) taken`,
      },
    ]);

    // Now a site of one bed, free from 20 to 27 Aug: P5 and P6 ask for it at once.
    await temp.store.write({ places: [{ ...SITE, capacity: 1 }] });
    const [added, assigned] = await Promise.all([
      write(ADD_STAYS, { stays: [stayAt('P5', SITE.id, '20', '27')] }),
      assign('P6', '20', '27'),
    ]);
    const outcomes = [added, assigned].map((r) => (r.errors ? codes(r)[0] : 'written'));
    expect(outcomes.sort()).toEqual(['BAD_USER_INPUT', 'written']);
    expect((await staysAtSite()).filter((s) => s.start === t('2022-08-20T00:00:00+08:00'))).toHaveLength(1);
  });
});
