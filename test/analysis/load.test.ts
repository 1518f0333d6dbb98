import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { computeExposures } from '../../src/analysis/exposures';
import { infectionTimesOfCases } from '../../src/analysis/infection-time';
import { caseWindows } from '../../src/analysis/infectious-window';
import { loadOutbreak, loadOutbreakWithExposures, type ExposuresKnown } from '../../src/analysis/load';
import type { OutbreakData } from '../../src/analysis/model';
import { prioritiseQuarantine } from '../../src/analysis/quarantine';
import { assignTiers } from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import type { Person, RecordBatch } from '../../src/domain/types';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { aug, boat, item, negative, outbreak, person, place, positive, stay, t } from './outbreak-fixtures';

const params = resolveParameters();
const ASOF = aug(10);

/**
 * C1 is infectious over [Aug 3 00:00, Aug 6 10:00]. C2 is confirmed only after asOf. P7 and R9
 * have nothing to do with the outbreak. Several records fall after asOf.
 */
function district(): Required<RecordBatch> {
  return {
    places: [
      place('H1', 'home', { lat: 18.305, lon: 109.1 }),
      place('H2', 'home'),
      place('H3', 'home'),
      place('H5', 'home'),
      place('V1', 'village', { lat: 18.3, lon: 109.1 }),
      place('MKT', 'market'),
      place('W1', 'workplace'),
      place('COLD', 'cold_storage'),
      place('R9', 'restaurant'),
      place('Q1', 'quarantine_site', { capacity: 5 }),
    ],
    persons: [
      person('C1', 'H1'),
      person('P2', 'H1'),
      person('C2', 'H2'),
      person('P3', 'H3'),
      person('P4', 'H3'),
      person('P5', 'H5'),
      person('P6'),
      person('P7'),
      person('P8'),
      person('P9'),
      person('P10', 'H5'), // lives with the venue-exposed P5, nothing else
    ],
    boats: [boat('B1')],
    items: [item('L1')],
    stays: [
      stay('C1', 'W1', aug(4, '09:00'), aug(4, '12:00')),
      stay('P3', 'W1', aug(4, '09:00'), aug(4, '09:20')),
      stay('C1', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('P5', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('C1', 'B1', aug(5, '04:00'), aug(5, '18:00')),
      stay('P6', 'B1', aug(5, '04:00'), aug(5, '12:00')),
      stay('P2', 'R9', aug(4, '21:00'), aug(4, '23:00')), // P2 out on the night of Aug 4
      stay('P4', 'W1', aug(9, '20:00'), aug(11, '08:00')), // runs past asOf: cut
      stay('P4', 'R9', aug(8, '12:00'), aug(8, '13:00')), // a lunch out: no night, not read
      stay('P4', 'H3', aug(7, '22:00'), aug(8, '07:00')), // a night at home: not read
      stay('P3', 'MKT', aug(8, '10:00'), aug(8, '11:00')), // close contact P3 by day: not read
      stay('L1', 'COLD', aug(1), aug(6)),
      stay('P7', 'R9', aug(4, '12:00'), aug(4, '13:00')), // unrelated
      stay('P5', 'R9', aug(7, '12:00'), aug(7, '13:00')), // venue-exposed P5, later: not needed
      stay('C2', 'MKT', aug(11, '09:00'), aug(11, '10:00')), // after asOf
    ],
    contacts: [
      { personA: 'P3', personB: 'P8', start: aug(8, '18:00'), end: aug(8, '19:00'), setting: 'social' },
      { personA: 'P8', personB: 'P3', start: aug(11, '18:00'), end: aug(11, '19:00'), setting: 'social' }, // after asOf
    ],
    handlings: [
      { personId: 'P9', itemId: 'L1', at: aug(2, '08:00') },
      { personId: 'P9', itemId: 'L1', at: aug(11, '08:00') }, // after asOf
    ],
    samples: [
      positive('C1', aug(6, '08:00')),
      negative('P3', aug(7, '09:00')),
      positive('P3', aug(11, '09:00')), // after asOf
      positive('L1', aug(3, '12:00')),
      positive('C2', aug(11, '09:00')), // after asOf
    ],
    cases: [
      { personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') },
      { personId: 'C2', classification: 'asymptomatic', onset: null, confirmedAt: aug(12) }, // after asOf
    ],
  };
}

/** Everything in the district as known at asOf, in memory: the reference the neighbourhood must match. */
function everythingAsOf(): OutbreakData {
  const d = district();
  return outbreak({
    asOf: ASOF,
    cases: d.cases.filter((c) => (c.confirmedAt ?? c.onset ?? Infinity) <= ASOF),
    samples: d.samples.filter((s) => s.sampledAt <= ASOF),
    stays: d.stays.filter((s) => s.start <= ASOF).map((s) => ({ ...s, end: Math.min(s.end, ASOF) })),
    contacts: d.contacts.filter((c) => c.start <= ASOF),
    handlings: d.handlings.filter((h) => h.at <= ASOF),
    persons: d.persons,
    places: d.places,
    boats: d.boats,
    items: d.items,
  });
}

/** How many of `persons` live at each home. */
function residentCounts(persons: Iterable<Person>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of persons) if (p.homeId) counts.set(p.homeId, (counts.get(p.homeId) ?? 0) + 1);
  return counts;
}

const tmpDirs: string[] = [];
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` on an embedded store of its own, made and migrated for it, and closes it after. */
async function withFreshStore(prefix: string, work: (store: TraceStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tmpDirs.push(dir);
  const store = await openEmbeddedStore(dir);
  try {
    await store.migrate();
    await work(store);
  } finally {
    await store.close();
  }
}

async function loadedFrom(store: TraceStore, batchSize?: number): Promise<OutbreakData> {
  await store.migrate();
  await store.clear();
  await store.write(district());
  return loadOutbreak(store, params, ASOF, batchSize ? { batchSize } : {});
}

describe('loadOutbreak', () => {
  let embedded: TraceStore;
  let graph: TraceStore;
  let fromEmbedded: OutbreakData;
  let fromNeo4j: OutbreakData;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-load-'));
    tmpDirs.push(dir);
    embedded = await openEmbeddedStore(dir);
    graph = await openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });
    fromEmbedded = await loadedFrom(embedded);
    fromNeo4j = await loadedFrom(graph);
  });
  afterAll(async () => {
    await embedded?.close();
    await graph?.clear();
    await graph?.close();
  });

  test('throws on invalid input', async () => {
    await expect(loadOutbreak(embedded, params, Number.NaN)).rejects.toThrow(/argument "asOf"/);
    await expect(loadOutbreak(embedded, params, ASOF, { batchSize: 0 })).rejects.toThrow(
      /option "batchSize"/,
    );
  });

  test('the embedded store and Neo4j give the same data', () => {
    expect(fromNeo4j).toEqual(fromEmbedded);
  });

  test('records after asOf are ignored; stays running past it are cut', () => {
    const data = fromEmbedded;
    expect(data.cases.map((c) => c.personId)).toEqual(['C1']);
    // P3's negative sample is not loaded: P3 is exposed, not a case, and no result reads it.
    expect(data.samples.map((s) => `${s.subjectId}@${s.sampledAt}`)).toEqual([
      `C1@${aug(6, '08:00')}`,
      `L1@${aug(3, '12:00')}`,
    ]);
    expect(data.handlings).toEqual([{ personId: 'P9', itemId: 'L1', at: aug(2, '08:00') }]);
    expect(data.contacts).toEqual([district().contacts[0]]);
    expect(data.stays.find((s) => s.subjectId === 'P4')).toEqual(stay('P4', 'W1', aug(9, '20:00'), ASOF));
    expect(data.stays.every((s) => s.end <= ASOF)).toBe(true);
    expect(data.stays.some((s) => s.subjectId === 'C2')).toBe(false);
  });

  test('only the neighbourhood: no unrelated persons or places; quarantine sites and villages are there', () => {
    const data = fromEmbedded;
    expect([...data.persons.keys()]).toEqual(['C1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P8', 'P9']);
    // R9: where P2 was on a night at home; COLD (where lot L1 lay) is not needed.
    expect([...data.places.keys()]).toEqual(['H1', 'H3', 'H5', 'MKT', 'Q1', 'R9', 'V1', 'W1']);
    expect(data.stays.some((s) => s.subjectId === 'P7')).toBe(false);
    expect([...data.boats.keys()]).toEqual(['B1']);
    expect([...data.items.keys()]).toEqual(['L1']);
    expect(data.quarantineSites.map((p) => [p.id, p.capacity])).toEqual([['Q1', 5]]);
  });

  test('the neighbourhood is enough: exposures and tiers equal those over everything', () => {
    const everything = everythingAsOf();
    const exposures = computeExposures(fromEmbedded, params);
    expect(exposures).toEqual(computeExposures(everything, params));
    expect(exposures.map((e) => `${e.personId}<${e.sourceId}:${e.setting}`)).toEqual([
      'P2<C1:household',
      'P3<C1:place',
      'P5<C1:place',
      'P6<C1:boat',
      'P9<L1:cold_chain',
    ]);
    const tiers = assignTiers(fromEmbedded, exposures, params);
    expect(tiers).toEqual(assignTiers(everything, computeExposures(everything, params), params));
    // P4 lives with close contact P3 (out at W1 the night of Aug 9); P8 had a reported contact with P3.
    expect(tiers.map((t) => `${t.personId}:${t.tier}`)).toEqual([
      'P2:close_contact',
      'P3:close_contact',
      'P6:close_contact',
      'P9:close_contact',
      'P4:contact_of_close_contact',
      'P8:contact_of_close_contact',
      'P5:venue_exposed',
    ]);
    const p4 = tiers.find((t) => t.personId === 'P4')!;
    // Nights from P3's exposure (Aug 4 09:00) to asOf: Aug 4-5 ... 8-9; on Aug 9-10 P4 was at W1.
    expect(p4.evidence[0]).toMatchObject({
      setting: 'household',
      nights: 5,
      start: aug(4, '22:00'),
      end: aug(9, '07:00'),
    });
  });

  test("the protocol's household nights decide which stays away at night are read, on both stores", async () => {
    // Nights from 20:00 to 11:00: close contact P3's morning at the market (Aug 8, 10:00-11:00)
    // now cuts a night P3 spent at home with P4, and is read; the tiers equal those over everything.
    const longNights = resolveParameters({
      overrides: ['protocol.householdNightStartHour=20', 'protocol.householdNightEndHour=11'],
    });
    const everything = everythingAsOf();
    const expected = assignTiers(everything, computeExposures(everything, longNights), longNights);
    for (const store of [embedded, graph]) {
      const data = await loadOutbreak(store, longNights, ASOF);
      expect(data.stays.filter((s) => s.subjectId === 'P3')).toContainEqual(
        stay('P3', 'MKT', aug(8, '10:00'), aug(8, '11:00')),
      );
      expect(assignTiers(data, computeExposures(data, longNights), longNights)).toEqual(expected);
    }
    const p4 = expected.find((t) => t.personId === 'P4')!;
    // From P3's exposure (Aug 4 09:00; P3 back from W1 at 09:20, within the night of Aug 3-4) to
    // the night of Aug 8-9: on Aug 9-10 P4 was at W1.
    expect(p4.evidence[0]).toMatchObject({
      setting: 'household',
      start: aug(4, '09:20'),
      end: aug(9, '11:00'),
    });
    const defaultP4 = assignTiers(everything, computeExposures(everything, params), params).find(
      (t) => t.personId === 'P4',
    )!;
    expect(p4.evidence[0]!.minutes).not.toBe(defaultP4.evidence[0]!.minutes);
  });

  test('stays since exposure: those of close contacts and the others in their homes, not of the venue-exposed', async () => {
    const ofP5 = (s: { subjectId: string }): boolean => s.subjectId === 'P5';
    expect(fromEmbedded.stays.filter(ofP5)).toEqual([stay('P5', 'MKT', aug(5, '15:00'), aug(5, '16:00'))]);
    // P4 lives with close contact P3: the night P4 spent at W1 decides P4's nights with P3.
    expect(fromEmbedded.stays.filter((s) => s.subjectId === 'P4')).toHaveLength(1);
    const untraced = resolveParameters({ overrides: ['protocol.traceContactsOfCloseContacts=false'] });
    const withoutSecondTier = await loadOutbreak(embedded, untraced, ASOF);
    expect(withoutSecondTier.stays.some((s) => s.subjectId === 'P4')).toBe(false);
    expect(withoutSecondTier.persons.has('P4')).toBe(true);
  });

  test('since exposure, of a person who is not a case only stays away from home reaching into a night are read', () => {
    for (const data of [fromEmbedded, fromNeo4j]) {
      // P4's night at W1 is read (it decides P4's nights with P3); the lunch at R9 and the night at
      // home are not, nor P3's morning at the market, long after C1 was there.
      expect(data.stays.filter((s) => s.subjectId === 'P4')).toEqual([
        stay('P4', 'W1', aug(9, '20:00'), ASOF),
      ]);
      expect(data.stays.filter((s) => s.subjectId === 'P3')).toEqual([
        stay('P3', 'W1', aug(4, '09:00'), aug(4, '09:20')),
      ]);
    }
  });

  test("of a venue-exposed person's home only the household's size is read, not who lives there", () => {
    for (const data of [fromEmbedded, fromNeo4j]) {
      // P5 was at the market with C1; P10, at home with P5, is in no result.
      expect(data.persons.has('P5')).toBe(true);
      expect(data.persons.has('P10')).toBe(false);
      // H1 (the case's home) and H3 (close contact P3's) are read resident by resident.
      expect(data.householdSizes).toEqual(new Map([['H5', 2]]));
    }
    const plan = (data: OutbreakData) => {
      const exposures = computeExposures(data, params);
      return prioritiseQuarantine(data, exposures, assignTiers(data, exposures, params), params, {
        asOf: ASOF,
        centralityById: new Map(),
      });
    };
    const fromLoad = plan(fromEmbedded);
    expect(fromLoad.entries.find((e) => e.personId === 'P5')).toMatchObject({
      householdId: 'H5',
      householdSize: 2,
    });
    expect(fromLoad).toEqual(plan(everythingAsOf()));
  });

  test('small batches give the same data', async () => {
    expect(await loadOutbreak(embedded, params, ASOF, { batchSize: 1 })).toEqual(fromEmbedded);
    // On Neo4j the next batch is asked for while one is read: the rows still come back in order.
    expect(await loadOutbreak(graph, params, ASOF, { batchSize: 1 })).toEqual(fromNeo4j);
  });

  test("the kind is asked for only of ids that are not persons' (persons are looked up directly)", async () => {
    const asked: string[] = [];
    const askedAsPersons: string[] = [];
    const counting: TraceStore = Object.assign(Object.create(embedded) as TraceStore, {
      entityKinds(ids: readonly string[]) {
        asked.push(...ids);
        return embedded.entityKinds(ids);
      },
      persons(ids: readonly string[]) {
        askedAsPersons.push(...ids);
        return embedded.persons(ids);
      },
    });
    const data = await loadOutbreak(counting, params, ASOF);
    expect(data).toEqual(fromEmbedded);
    expect(asked.filter((id) => data.persons.has(id))).toEqual([]);
    // The places, the boat and the lot met were still resolved through their kinds.
    expect(asked).toEqual(expect.arrayContaining(['W1', 'MKT', 'B1', 'L1']));
    // Homes, known to be places, were read as places at once: never asked as persons or for a kind.
    for (const home of ['H1', 'H3', 'H5']) {
      expect(data.places.has(home)).toBe(true);
      expect([...asked, ...askedAsPersons]).not.toContain(home);
    }
  });

  test('a failed batch fails the load with its own error, and the batch asked for ahead is no second error', async () => {
    let calls = 0;
    const failing: TraceStore = Object.assign(Object.create(embedded) as TraceStore, {
      entityKinds(ids: readonly string[]) {
        calls += 1;
        return calls === 1
          ? embedded.entityKinds(ids)
          : Promise.reject(new Error(`entityKinds call ${calls} failed`));
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(loadOutbreak(failing, params, ASOF, { batchSize: 1 })).rejects.toThrow(
        'entityKinds call 2 failed',
      );
      // The third batch was asked for before the second's failure was seen.
      expect(calls).toBe(3);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

/**
 * The load works out the exposures of what it has fetched so far to find the exposed persons;
 * the analysis takes them as the exposures of all it returns, so what the load fetches after
 * must add none and change none.
 */
describe('loadOutbreakWithExposures', () => {
  const stores: TraceStore[] = [];
  const opened = async (): Promise<TraceStore> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-load-exposures-'));
    tmpDirs.push(dir);
    const store = await openEmbeddedStore(dir);
    stores.push(store);
    await store.migrate();
    return store;
  };
  afterAll(async () => {
    for (const store of stores) await store.close();
  });
  const protocols = [resolveParameters(), resolveParameters({ protocol: 'cn-20-measures-2022' })];

  test("the data is what loadOutbreak gives, and the exposures and the cases' infection times are those of the data", async () => {
    const store = await opened();
    await store.write(district());
    for (const p of protocols) {
      const { data, exposures, infectionTimes } = await loadOutbreakWithExposures(store, p, ASOF);
      expect(data).toEqual(await loadOutbreak(store, p, ASOF));
      expect(exposures).toEqual(computeExposures(data, p));
      expect(exposures.length).toBe(5);
      expect(infectionTimes).toEqual(infectionTimesOfCases(data.cases, data.samples, p, ASOF));
      expect([...infectionTimes.keys()]).toEqual(data.cases.map((c) => c.personId));
    }
  });

  test('onExposures is told once: the exposures and infection times, and the cases, samples, instant and windows it returns', async () => {
    const store = await opened();
    await store.write(district());
    const told: ExposuresKnown[] = [];
    const { data, exposures, infectionTimes } = await loadOutbreakWithExposures(store, params, ASOF, {
      onExposures: (known) => told.push(known),
    });
    expect(told).toHaveLength(1);
    expect(told[0]!.exposures).toBe(exposures);
    expect(told[0]!.data).toEqual({
      cases: data.cases,
      samples: data.samples,
      asOf: data.asOf,
      windows: caseWindows(data, params),
      infectionTimes,
    });
    // The fixture's environmental positive and the case's own sample are both there by then.
    expect(told[0]!.data.samples.map((s) => s.subjectId).sort()).toEqual(['C1', 'L1']);
  });

  test('on a simulated outbreak, at every day of it, under both protocols', async () => {
    const sim = simulate({ seed: 'load', source: 'boat', households: 250 }, params);
    const all = snapshot(sim, aug(31));
    const store = await opened();
    await store.write({
      persons: [...all.persons.values()],
      places: [...all.places.values()],
      boats: [...all.boats.values()],
      items: [...all.items.values()],
      stays: all.stays,
      contacts: all.contacts,
      handlings: all.handlings,
      samples: all.samples,
      cases: all.cases,
    });
    const residentsOf = residentCounts(all.persons.values());
    let checked = 0;
    let counted = 0;
    for (let day = 4; day <= 24; day += 4) {
      for (const p of protocols) {
        const { data, exposures, infectionTimes } = await loadOutbreakWithExposures(store, p, aug(day));
        expect(exposures).toEqual(computeExposures(data, p));
        expect(infectionTimes).toEqual(infectionTimesOfCases(data.cases, data.samples, p, aug(day)));
        // Every exposed person's household has its true size: counted, or all of it loaded.
        const loaded = residentCounts(data.persons.values());
        const exposedHomes = new Set(exposures.map((e) => data.persons.get(e.personId)?.homeId));
        for (const homeId of exposedHomes) {
          if (!homeId) continue;
          expect([homeId, data.householdSizes?.get(homeId) ?? loaded.get(homeId)]).toEqual([
            homeId,
            residentsOf.get(homeId),
          ]);
        }
        if (data.householdSizes?.size) counted++;
        if (data.cases.length > 5 && exposures.some((e) => e.setting === 'household')) checked++;
      }
    }
    // Not only the first days, with a case or two: most instants have an outbreak under way.
    expect(checked).toBeGreaterThanOrEqual(6);
    // And venue-exposed households were counted, not only read.
    expect(counted).toBeGreaterThanOrEqual(6);
  });
});

describe('loadOutbreak of cases as they stood at asOf', () => {
  test('a case confirmed by asOf whose symptoms began later is loaded without its onset, as asymptomatic', async () => {
    await withFreshStore('tracegraph-load-onset-', async (store) => {
      await store.write({
        places: [place('HA', 'home')],
        persons: [person('A', 'HA'), person('B', 'HA')],
        cases: [
          // Found by screening on Aug 3, symptoms from Aug 5: reclassified as confirmed since.
          {
            personId: 'A',
            classification: 'confirmed',
            onset: aug(5, '10:00'),
            confirmedAt: aug(3, '23:59'),
          },
          { personId: 'B', classification: 'confirmed', onset: aug(2), confirmedAt: aug(3) },
        ],
      });
      const early = await loadOutbreak(store, params, aug(4, '12:00'));
      expect(early.cases).toEqual([
        { personId: 'A', classification: 'asymptomatic', onset: null, confirmedAt: aug(3, '23:59') },
        { personId: 'B', classification: 'confirmed', onset: aug(2), confirmedAt: aug(3) },
      ]);
      const later = await loadOutbreak(store, params, aug(6));
      expect(later.cases.find((c) => c.personId === 'A')).toMatchObject({
        classification: 'confirmed',
        onset: aug(5, '10:00'),
      });
    });
  });
});

describe('loadOutbreak of a case isolated in quarantine before its confirmation', () => {
  test('the exposures and tiers through the store are those over everything', async () => {
    await withFreshStore('tracegraph-load-isolated-', async (store) => {
      // C1 (window from Aug 3) is taken to Q1 on Aug 4 at 12:00 and confirmed there on Aug 6.
      const batch: RecordBatch = {
        places: [
          place('H1', 'home'),
          place('W1', 'workplace'),
          place('Q1', 'quarantine_site', { capacity: 9 }),
        ],
        persons: [person('C1', 'H1'), person('P2'), person('P3'), person('P4', 'H1')],
        stays: [
          stay('C1', 'W1', aug(4, '09:00'), aug(4, '11:00')),
          stay('P2', 'W1', aug(4, '09:00'), aug(4, '11:00')),
          stay('C1', 'Q1', aug(4, '12:00'), aug(11)),
        ],
        contacts: [
          { personA: 'C1', personB: 'P3', start: aug(5, '10:00'), end: aug(5, '11:00'), setting: 'care' },
        ],
        cases: [{ personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') }],
      };
      await store.write(batch);
      const asOf = aug(8);
      const loaded = await loadOutbreak(store, params, asOf);
      const everything = outbreak({
        asOf,
        cases: batch.cases,
        stays: batch.stays!.map((s) => ({ ...s, end: Math.min(s.end, asOf) })),
        contacts: batch.contacts,
        persons: batch.persons,
        places: batch.places,
      });
      const exposures = computeExposures(loaded, params);
      expect(exposures).toEqual(computeExposures(everything, params));
      // P2 met C1 before; P3's care came after C1 was isolated; P4 shared two nights (from the
      // window's opening on Aug 3, and Aug 3-4), none since.
      expect(exposures.map((e) => [e.personId, e.setting, e.nights ?? null])).toEqual([
        ['P2', 'place', null],
        ['P4', 'household', 2],
      ]);
      expect(assignTiers(loaded, exposures, params)).toEqual(
        assignTiers(everything, computeExposures(everything, params), params),
      );
    });
  });
});

describe('loadOutbreak for backward tracing', () => {
  test("fetches a case's own stays as far back as the sources look, not only from its window (audit D4)", async () => {
    // A and B (apart) fall ill on Aug 6 (windows from Aug 4): both were at market M on Aug 1 (5
    // days before onset, within the 6 days backward tracing looks back) and at N on Aug 3. The
    // load fetched a case's stays from a day before its window only (Aug 3), so M was missing from
    // the sources of a report run through the store.
    await withFreshStore('tracegraph-load-backward-', async (store) => {
      const batch: RecordBatch = {
        places: [place('HA', 'home'), place('HB', 'home'), place('M', 'market'), place('N', 'market')],
        persons: [person('A', 'HA'), person('B', 'HB'), person('X', 'HA')],
        stays: [
          stay('A', 'M', aug(1, '10:00'), aug(1, '11:00')),
          stay('B', 'M', aug(1, '10:00'), aug(1, '11:00')),
          stay('A', 'N', aug(3, '10:00'), aug(3, '11:00')),
          stay('B', 'N', aug(3, '10:00'), aug(3, '11:00')),
          stay('A', 'N', t('2022-07-30T10:00:00+08:00'), t('2022-07-30T11:00:00+08:00')), // 7 days before
          stay('X', 'M', aug(1, '09:00'), aug(1, '12:00')), // an exposed person's, before any exposure
        ],
        cases: [
          { personId: 'A', classification: 'confirmed', onset: aug(6), confirmedAt: aug(7, '10:00') },
          { personId: 'B', classification: 'confirmed', onset: aug(6), confirmedAt: aug(7, '10:00') },
        ],
      };
      await store.write(batch);
      const asOf = t('2022-08-08T23:59:59+08:00');
      const loaded = await loadOutbreak(store, params, asOf);
      const staysOf = (id: string) =>
        loaded.stays.filter((s) => s.subjectId === id).map((s) => `${s.hostId}@${s.start}`);
      expect(staysOf('A')).toEqual(expect.arrayContaining([`M@${aug(1, '10:00')}`, `N@${aug(3, '10:00')}`]));
      expect(staysOf('B')).toEqual(expect.arrayContaining([`M@${aug(1, '10:00')}`]));
      // The exposed persons' stays are fetched as before: not X's from before the exposure.
      expect(staysOf('X')).toEqual([]);
      // The sources through the store are those over everything.
      const everything = outbreak({
        asOf,
        cases: batch.cases,
        stays: batch.stays,
        persons: batch.persons,
        places: batch.places,
      });
      const viaStore = analyseData(loaded, params, { asOf }).sources.overall;
      const overAll = analyseData(everything, params, { asOf }).sources.overall;
      expect(viaStore.map((s) => [s.id, s.score])).toEqual(overAll.map((s) => [s.id, s.score]));
      expect(viaStore.find((s) => s.id === 'M')?.score).toBeCloseTo(0.533, 3);
      // Looking back 4 days (a parameter): the sources through the store are still those over
      // everything, and say so. (M is read all the same: A's infection may be older, found by the
      // incubation's tail, and backward tracing looks back to that too.)
      const fourDays = resolveParameters({ overrides: ['protocol.backwardTracingDays=4'] });
      const near = analyseData(await loadOutbreak(store, fourDays, asOf), fourDays, { asOf }).sources.overall;
      expect(near.map((s) => [s.id, s.score])).toEqual(
        analyseData(everything, fourDays, { asOf }).sources.overall.map((s) => [s.id, s.score]),
      );
      expect(near.find((s) => s.id === 'N')?.reasons.join(' ')).toContain('in the 4 days before onset');
      expect(viaStore.find((s) => s.id === 'N')?.reasons.join(' ')).toContain('in the 6 days before onset');
    });
  });
});
