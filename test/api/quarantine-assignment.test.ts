/**
 * assignQuarantineSite over HTTP on both stores: the stay it records, its defaults, each refusal
 * named by argument with nothing written, roles, and the quarantine plan counting the bed taken;
 * and the same rules of beds as addStays and upsertPlaces apply them.
 */
import pino from 'pino';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { resolveParameters } from '../../src/domain/parameters';
import { DAY } from '../../src/domain/time';
import type { Place } from '../../src/domain/types';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { smallDistrict, t } from '../store/fixtures';
import { suiteTempDirs, type Json } from './helpers';
import { errorCodes, postGraphQL } from './http';

const KEYS = { investigator: 'investigator-key-51be20', cdc: 'cdc-key-c0ffee42' };
const apiKeys = [
  { key: KEYS.investigator, role: 'investigator' as const },
  { key: KEYS.cdc, role: 'cdc' as const },
];
/** A second quarantine site with two beds. */
const QH2: Place = {
  id: 'QH2',
  name: 'Quarantine hotel 2',
  kind: 'quarantine_site',
  lat: null,
  lon: null,
  capacity: 2,
};

const ASSIGN = `mutation Assign($personId: ID!, $siteId: ID!, $start: DateTime, $end: DateTime) {
  assignQuarantineSite(personId: $personId, siteId: $siteId, start: $start, end: $end) {
    person { id } site { id name } start end capacity freeBeds
  }
}`;
const PLAN = `query Plan($asOf: DateTime) {
  quarantinePriority(asOf: $asOf) { occupied sites { place { id } capacity occupied assigned free } }
}`;

const freshDir = suiteTempDirs();

const stores: [string, () => Promise<TraceStore>][] = [
  [
    'embedded',
    () => {
      return openEmbeddedStore(freshDir('tracegraph-assign-'));
    },
  ],
  ['neo4j', () => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' })],
];

describe.each(stores)('assignQuarantineSite on the %s store', (_kind, open) => {
  let store: TraceStore;
  let running: RunningApiServer;
  const assign = (variables: Record<string, unknown>, key: string = KEYS.investigator) =>
    postGraphQL(running.url, key, { query: ASSIGN, variables });
  /** Problems of a refused request as `path: reason`. */
  const problemsOf = (body: Json): string[] =>
    (body.errors ?? []).flatMap((e: Json) =>
      (e.extensions?.problems ?? []).map((p: Json) => `${p.path}: ${p.reason}`),
    );
  const staysOf = (id: string) => store.staysOfSubjects([{ id, from: t('2022-01-01'), to: t('2023-01-01') }]);

  beforeAll(async () => {
    store = await open();
    await store.migrate();
    const logger = pino({ level: 'silent' });
    running = await startApiServer({ store, apiKeys, logger }, { port: 0 });
  });
  beforeEach(async () => {
    await store.clear();
    await store.write(smallDistrict());
    await store.write({ places: [QH2] });
  });
  afterAll(async () => {
    await running?.stop(); // closes the store too
  });

  test('records a stay at the site and tells the beds left', async () => {
    const result = await assign({
      personId: 'P2',
      siteId: 'QH2',
      start: '2022-08-10T12:00:00+08:00',
      end: '2022-08-17T12:00:00+08:00',
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.assignQuarantineSite).toEqual({
      person: { id: 'P2' },
      site: { id: 'QH2', name: 'Quarantine hotel 2' },
      start: '2022-08-10T04:00:00.000Z',
      end: '2022-08-17T04:00:00.000Z',
      capacity: 2,
      freeBeds: 1,
    });
    expect((await staysOf('P2')).filter((s) => s.hostId === 'QH2')).toEqual([
      {
        subjectId: 'P2',
        hostId: 'QH2',
        start: t('2022-08-10T12:00:00+08:00'),
        end: t('2022-08-17T12:00:00+08:00'),
      },
    ]);
    // The next one over an overlapping interval gets the last bed.
    const second = await assign({
      personId: 'P3',
      siteId: 'QH2',
      start: '2022-08-15T00:00:00+08:00',
      end: '2022-08-20T00:00:00+08:00',
    });
    expect(second.body.data.assignQuarantineSite).toMatchObject({ person: { id: 'P3' }, freeBeds: 0 });
  });

  test("defaults: from now to now plus the protocol's quarantine days for a close contact", async () => {
    const before = Date.now();
    const result = await assign({ personId: 'P2', siteId: 'QH2' });
    const after = Date.now();
    expect(result.body.errors).toBeUndefined();
    const { start, end } = result.body.data.assignQuarantineSite;
    expect(Date.parse(start)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(start)).toBeLessThanOrEqual(after);
    const days = resolveParameters().protocol.closeContactQuarantineDays;
    expect(Date.parse(end) - Date.parse(start)).toBe(days * DAY);
  });

  test('unknown or wrong ids, and an end before the start: refused by argument, nothing written', async () => {
    await store.write({ places: [{ ...QH2, id: 'QH0', capacity: null }] });
    const days = resolveParameters().protocol.closeContactQuarantineDays;
    const before = await store.counts();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ personId: 'NOBODY', siteId: 'QH2' }, ['personId: "NOBODY" does not exist']],
      [{ personId: 'MKT', siteId: 'QH2' }, ['personId: "MKT" is a place, not a person']],
      [{ personId: 'P2', siteId: 'NOWHERE' }, ['siteId: "NOWHERE" does not exist']],
      [{ personId: 'P2', siteId: 'B1' }, ['siteId: "B1" is a boat, not a place']],
      [{ personId: 'P2', siteId: 'MKT' }, ['siteId: "MKT" is a place of kind market, not a quarantine site']],
      [{ personId: 'P2', siteId: 'QH0' }, ['siteId: "QH0" has no capacity (beds) on record']],
      [
        {
          personId: 'P2',
          siteId: 'QH2',
          start: '2022-08-10T00:00:00+08:00',
          end: '2022-08-09T00:00:00+08:00',
        },
        ['end: is before start'],
      ],
      // The end left out follows from the start: a start refused is the only problem.
      [
        { personId: 'P2', siteId: 'QH2', start: '9999-12-31T00:00:00Z' },
        ['start: "9999-12-31T00:00:00.000Z" is outside the years 1900 to 2199'],
      ],
      [
        { personId: 'P2', siteId: 'QH2', start: '2199-12-30T00:00:00Z' },
        [
          `end: "2200-01-06T00:00:00.000Z" is outside the years 1900 to 2199 (end was left out: start plus ${days} days)`,
        ],
      ],
    ];
    for (const [variables, problems] of cases) {
      const result = await assign(variables);
      expect(errorCodes(result.body)).toEqual(['BAD_USER_INPUT']);
      expect(result.body.errors[0].path).toEqual(['assignQuarantineSite']);
      expect(problemsOf(result.body)).toEqual(problems);
      expect(result.body.data).toBeNull();
    }
    // An end before the start left out: before now, which the problem says is the start.
    const early = await assign({ personId: 'P2', siteId: 'QH2', end: '2022-08-09T00:00:00+08:00' });
    expect(problemsOf(early.body)).toEqual([
      expect.stringMatching(
        /^end: is before start \(start was left out: now, \d{4}-\d\d-\d\dT[\d:.]+\+08:00\)$/,
      ),
    ]);
    expect(await store.counts()).toEqual(before);
  });

  test('a site full over part of the interval is refused; a bed freed as it starts is free', async () => {
    const week = (personId: string, day: number) => ({
      personId,
      siteId: 'QH2',
      start: `2022-08-${day}T00:00:00+08:00`,
      end: `2022-08-${day + 7}T00:00:00+08:00`,
    });
    expect((await assign(week('P1', 10))).body.errors).toBeUndefined();
    expect((await assign(week('P2', 12))).body.errors).toBeUndefined();
    const before = await store.counts();
    // Full from P3's arrival on the 16th until P1 leaves on the 17th: the message says when.
    const full = await assign(week('P3', 16));
    expect(errorCodes(full.body)).toEqual(['BAD_USER_INPUT']);
    expect(problemsOf(full.body)).toEqual([
      'siteId: "QH2" is full from 2022-08-16T00:00:00+08:00 to 2022-08-17T00:00:00+08:00: 2 of 2 bed(s) taken',
    ]);
    expect(await store.counts()).toEqual(before);
    // P1 leaves on the 17th as P3 arrives.
    const next = await assign(week('P3', 17));
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.assignQuarantineSite.freeBeds).toBe(0);
  });

  test('beds count the most persons there at once: one freed half-way serves a later arrival', async () => {
    const stay = (personId: string, from: string, to: string) => ({
      personId,
      siteId: 'QH2',
      start: `2022-08-${from}:00+08:00`,
      end: `2022-08-${to}:00+08:00`,
    });
    // Two beds; P1 and P2 there one after the other, never together.
    expect((await assign(stay('P1', '10T00:00', '12T00:00'))).body.errors).toBeUndefined();
    expect((await assign(stay('P2', '14T00:00', '16T00:00'))).body.errors).toBeUndefined();
    const across = await assign(stay('P3', '09T00:00', '17T00:00'));
    expect(across.body.errors).toBeUndefined();
    // Its own bed and one other at the busiest moment: none left over the whole interval.
    expect(across.body.data.assignQuarantineSite.freeBeds).toBe(0);
    // Now two are there at once on the 11th (P1, P3) and on the 15th (P2, P3).
    const before = await store.counts();
    // The first span with every bed taken: the 11th until P1 leaves on the 12th.
    const full = await assign(stay('P4', '11T00:00', '15T00:00'));
    expect(problemsOf(full.body)).toEqual([
      'siteId: "QH2" is full from 2022-08-11T00:00:00+08:00 to 2022-08-12T00:00:00+08:00: 2 of 2 bed(s) taken',
    ]);
    expect(await store.counts()).toEqual(before);
    // Between P1 leaving and P2 arriving one bed is free.
    const between = await assign(stay('P4', '12T00:00', '14T00:00'));
    expect(between.body.errors).toBeUndefined();
    expect(between.body.data.assignQuarantineSite.freeBeds).toBe(0);
  });

  test('a person already at a quarantine site over part of the interval is refused', async () => {
    const atQH1 = await assign({
      personId: 'P4',
      siteId: 'QH1',
      start: '2022-08-10T00:00:00+08:00',
      end: '2022-08-17T00:00:00+08:00',
    });
    expect(atQH1.body.errors).toBeUndefined();
    const before = await store.counts();
    const again = await assign({
      personId: 'P4',
      siteId: 'QH2',
      start: '2022-08-16T00:00:00+08:00',
      end: '2022-08-20T00:00:00+08:00',
    });
    expect(problemsOf(again.body)).toEqual([
      'personId: "P4" is already assigned to quarantine site QH1 from 2022-08-10T00:00:00+08:00 to 2022-08-17T00:00:00+08:00',
    ]);
    expect(await store.counts()).toEqual(before);
  });

  test("addStays and upsertPlaces keep one bed per person and the persons within a site's beds", async () => {
    const write = (query: string, variables: Record<string, unknown>) =>
      postGraphQL(running.url, KEYS.investigator, { query, variables });
    const ADD = 'mutation ($stays: [StayInput!]!) { addStays(stays: $stays) { start } }';
    const UPSERT = 'mutation ($places: [PlaceInput!]!) { upsertPlaces(places: $places) { id } }';
    const stayAt = (subjectId: string, hostId: string, from: string, to: string) => ({
      subjectId,
      hostId,
      start: `2022-08-${from}T00:00:00+08:00`,
      end: `2022-08-${to}T00:00:00+08:00`,
    });
    expect(
      (await assign({ ...stayAt('P4', 'QH1', '01', '08'), personId: 'P4', siteId: 'QH1' })).body.errors,
    ).toBeUndefined();
    expect(
      (await write(ADD, { stays: [stayAt('P1', 'QH2', '10', '17'), stayAt('P2', 'QH2', '11', '12')] })).body
        .errors,
    ).toBeUndefined();
    const before = await store.counts();

    const secondBed = await write(ADD, { stays: [stayAt('P4', 'QH2', '05', '09')] });
    const fewerBeds = await write(UPSERT, {
      places: [{ id: 'QH2', name: QH2.name, kind: 'quarantine_site', capacity: 1 }],
    });
    // P4 was at the market on 3 August, while at QH1: made a site, it would give P4 a second bed.
    const madeSite = await write(UPSERT, {
      places: [{ id: 'MKT', name: 'Baogang market', kind: 'quarantine_site', capacity: 5 }],
    });
    expect(problemsOf(secondBed.body)).toEqual([
      'stays[0].subjectId: "P4" is at quarantine site QH1 from 2022-08-01T00:00:00+08:00 to 2022-08-08T00:00:00+08:00, over part of this stay: a person holds one bed at a time',
    ]);
    expect(problemsOf(fewerBeds.body)).toEqual([
      'places[0].capacity: 2 person(s) are recorded at "QH2" at once on 2022-08-11T00:00:00+08:00; a quarantine site with a capacity of 1 bed(s) cannot hold them',
    ]);
    expect(problemsOf(madeSite.body)).toEqual([
      'places[0].kind: "P4" stays at "MKT" from 2022-08-03T09:30:00+08:00 to 2022-08-03T11:00:00+08:00 while at quarantine site QH1 from 2022-08-01T00:00:00+08:00 to 2022-08-08T00:00:00+08:00: a person holds one bed at a time',
    ]);
    expect(await store.counts()).toEqual(before);
    expect((await store.places(['QH2', 'MKT'])).map((p) => [p?.kind, p?.capacity])).toEqual([
      ['quarantine_site', 2],
      ['market', null],
    ]);
  });

  test('two requests for the last bed at once: one gets it, the other is refused', async () => {
    await store.write({ places: [{ ...QH2, id: 'QH3', capacity: 1 }] });
    const interval = { siteId: 'QH3', start: '2022-08-10T00:00:00+08:00', end: '2022-08-17T00:00:00+08:00' };
    const [first, second] = await Promise.all([
      assign({ ...interval, personId: 'P1' }),
      assign({ ...interval, personId: 'P2' }),
    ]);
    const outcomes = [first, second].map((r) => (r.body.errors ? errorCodes(r.body)[0] : 'assigned'));
    expect(outcomes.sort()).toEqual(['BAD_USER_INPUT', 'assigned']);
    const atQH3 = await store.staysAtHosts([{ id: 'QH3', from: t('2022-08-01'), to: t('2022-09-01') }]);
    expect(atQH3).toHaveLength(1);
  });

  test('the cdc role may not assign: FORBIDDEN, nothing written', async () => {
    const before = await store.counts();
    const result = await assign({ personId: 'P2', siteId: 'QH2' }, KEYS.cdc);
    expect(errorCodes(result.body)).toEqual(['FORBIDDEN']);
    expect(await store.counts()).toEqual(before);
  });

  test('the quarantine plan counts the bed taken once assigned (the analysis is computed again)', async () => {
    const plan = async () => {
      const result = await postGraphQL(running.url, KEYS.investigator, {
        query: PLAN,
        variables: { asOf: '2022-08-05T00:00:00+08:00' },
      });
      expect(result.body.errors).toBeUndefined();
      return result.body.data.quarantinePriority;
    };
    // Z9 has no other part in the outbreak: only the stays at sites around asOf bring them in.
    await store.write({
      persons: [
        {
          id: 'Z9',
          name: '王九',
          sex: 'F',
          age: 30,
          phone: null,
          idNumber: null,
          homeId: null,
          occupation: null,
        },
      ],
    });
    const empty = await plan();
    expect(empty.occupied).toBe(0);
    await assign({
      personId: 'Z9',
      siteId: 'QH2',
      start: '2022-08-01T00:00:00+08:00',
      end: '2022-08-20T00:00:00+08:00',
    });
    const taken = await plan();
    expect(taken.occupied).toBe(1);
    expect(taken.sites.find((s: Json) => s.place.id === 'QH2')).toMatchObject({
      capacity: 2,
      occupied: 1,
      free: 2 - 1 - taken.sites.find((s: Json) => s.place.id === 'QH2').assigned,
    });
  });
});
