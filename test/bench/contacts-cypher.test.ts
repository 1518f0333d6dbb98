import neo4j, { type Driver } from 'neo4j-driver';
import {
  CO_PRESENCE_QUERY,
  comparePairs,
  coPresenceParameters,
  coPresencePairs,
} from '../../bench/contacts-cypher';
import { computeExposures } from '../../src/analysis/exposures';
import { loadOutbreak } from '../../src/analysis/load';
import type { Exposure } from '../../src/analysis/model';
import { resolveParameters } from '../../src/domain/parameters';
import { parseInstant } from '../../src/domain/time';
import type { Person, Place, RecordBatch, Stay } from '../../src/domain/types';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { barePerson, barePlace } from '../bare-records';
import { neo4jTestConfig } from '../setup/neo4j';

jest.setTimeout(240_000);

const at = (text: string): number => parseInstant(`2022-${text}:00+08:00`)!;
const stay = (subjectId: string, hostId: string, start: string, end: string): Stay => ({
  subjectId,
  hostId,
  start: at(start),
  end: at(end),
});
const person = (id: string, homeId: string | null = null): Person => barePerson(id, { homeId });
const place = (id: string, kind: string): Place => barePlace(id, kind);

/**
 * C1: onset 08-03, confirmed 08-04 12:00, so infectious 08-01 00:00 to 08-04 12:00.
 * C2: asymptomatic, negative 08-02 08:00, positive 08-05 08:00, confirmed 08-06 12:00: found by
 * screening, so infectious from the last negative (08-02 08:00), not 2 days before the positive.
 * C4: onset 08-06 15:00, confirmed 08-07 12:00: the protocol counts days by date, so infectious
 * from 08-04 00:00, not from 08-04 15:00.
 * C5: confirmed 08-05 09:00 with no positive sample on record and a later onset (08-06): the
 * confirmation is the first positive test, so infectious from 08-03 00:00.
 * C6: onset 07-25, never isolated: infectious until 10 days after onset (08-04 00:00).
 */
const OUTBREAK: RecordBatch = {
  places: [
    place('H1', 'home'),
    place('MK', 'market'),
    place('RS', 'restaurant'),
    place('QS', 'quarantine_site'),
    place('PK', 'park'),
  ],
  boats: [{ id: 'B1', name: null, registration: null, homePortId: null }],
  persons: [
    person('C1', 'H1'),
    person('C2'),
    person('P1', 'H1'),
    person('P2'),
    person('P3'),
    person('P4'),
    person('P5'),
    person('C3'),
    person('P6'),
    person('P7'),
    person('C4'),
    person('C5'),
    person('C6'),
    person('P8'),
    person('P9'),
    person('P10'),
  ],
  cases: [
    { personId: 'C1', classification: 'confirmed', onset: at('08-03T00:00'), confirmedAt: at('08-04T12:00') },
    { personId: 'C2', classification: 'asymptomatic', onset: null, confirmedAt: at('08-06T12:00') },
    { personId: 'C3', classification: 'confirmed', onset: at('08-06T00:00'), confirmedAt: at('08-07T12:00') },
    { personId: 'C4', classification: 'confirmed', onset: at('08-06T15:00'), confirmedAt: at('08-07T12:00') },
    { personId: 'C5', classification: 'confirmed', onset: at('08-06T00:00'), confirmedAt: at('08-05T09:00') },
    { personId: 'C6', classification: 'confirmed', onset: at('07-25T00:00'), confirmedAt: null },
  ],
  samples: [
    { subjectId: 'C2', sampledAt: at('08-02T08:00'), result: 'negative', method: 'pcr', ct: null },
    { subjectId: 'C2', sampledAt: at('08-05T08:00'), result: 'positive', method: 'pcr', ct: 25 },
  ],
  stays: [
    // Overlap 10:30-11:00 in C1's window: exposed.
    stay('C1', 'MK', '08-02T10:00', '08-02T11:00'),
    stay('P1', 'MK', '08-02T10:30', '08-02T12:00'),
    // Only touches at 11:00: no time shared.
    stay('P2', 'MK', '08-02T11:00', '08-02T12:00'),
    // Together before C1's window opened.
    stay('C1', 'MK', '07-31T10:00', '07-31T11:00'),
    stay('P3', 'MK', '07-31T10:00', '07-31T11:00'),
    // Crew of the same trip: exposed aboard.
    stay('C1', 'B1', '08-03T04:00', '08-03T16:00'),
    stay('P4', 'B1', '08-03T04:00', '08-03T16:00'),
    // C3 (window from 08-04) was in quarantine until 08-05: its window opens at the release. A scan
    // of C3 at MK while in quarantine (a record at odds with it) exposes no one; one after does.
    stay('C3', 'QS', '08-03T00:00', '08-05T00:00'),
    stay('C3', 'MK', '08-04T10:00', '08-04T10:30'),
    stay('P6', 'MK', '08-04T10:00', '08-04T10:30'),
    stay('C3', 'MK', '08-05T10:00', '08-05T10:30'),
    stay('P7', 'MK', '08-05T10:00', '08-05T10:30'),
    // Held apart at a quarantine hotel, from the confirmation: no exposure.
    stay('C1', 'QS', '08-04T12:00', '08-04T20:00'),
    stay('P5', 'QS', '08-04T12:00', '08-04T20:00'),
    // Inside C2's window only thanks to the screening look-back.
    stay('C2', 'RS', '08-02T12:00', '08-02T13:00'),
    stay('P5', 'RS', '08-02T12:30', '08-02T13:30'),
    // Two cases together while both infectious: each exposes the other.
    stay('C1', 'RS', '08-04T11:00', '08-04T12:00'),
    stay('C2', 'RS', '08-04T11:00', '08-04T12:00'),
    // C1 was isolated on 08-04 at 12:00: C2 can no longer expose C1 on 08-05.
    stay('C2', 'MK', '08-05T07:00', '08-05T07:30'),
    stay('C1', 'MK', '08-05T07:00', '08-05T07:30'),
    // Inside C4's window by date (from 08-04 00:00), not within 48 hours of its onset.
    stay('C4', 'RS', '08-04T06:00', '08-04T07:00'),
    stay('P8', 'RS', '08-04T06:00', '08-04T07:00'),
    // Inside C5's window from its confirmation (08-03 00:00), not from its onset (08-04 00:00).
    stay('C5', 'PK', '08-03T06:00', '08-03T07:00'),
    stay('P9', 'PK', '08-03T06:00', '08-03T07:00'),
    // C6 is infectious until 08-04 00:00: P10 met it on 08-03, not on 08-06.
    stay('C6', 'MK', '08-03T18:00', '08-03T19:00'),
    stay('P10', 'MK', '08-03T18:00', '08-03T19:00'),
    stay('P10', 'RS', '08-06T18:00', '08-06T19:00'),
    stay('C6', 'RS', '08-06T18:00', '08-06T19:00'),
  ],
  // A reported contact and a household: exposures, but not place or boat co-presence.
  contacts: [
    { personA: 'C1', personB: 'P2', start: at('08-02T19:00'), end: at('08-02T20:00'), setting: 'social' },
  ],
};

const EXPECTED = [
  'C1|C2|RS',
  'C1|P1|MK',
  'C1|P4|B1',
  'C2|C1|RS',
  'C2|P5|RS',
  'C3|P7|MK',
  'C4|P8|RS',
  'C5|P9|PK',
  'C6|P10|MK',
];

describe('co-presence: tracegraph against the plain Cypher query', () => {
  const params = resolveParameters();
  const asOf = at('08-10T00:00');
  let store: TraceStore;
  let driver: Driver;

  beforeAll(async () => {
    const config = neo4jTestConfig();
    store = await openNeo4jStore({ ...config, database: 'neo4j' });
    await store.migrate();
    await store.clear();
    await store.write(OUTBREAK);
    driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password));
  });

  afterAll(async () => {
    await store.clear();
    await store.close();
    await driver.close();
  });

  it('the Cypher query finds exactly the triples worked out by hand', async () => {
    const { records } = await driver.executeQuery(CO_PRESENCE_QUERY, coPresenceParameters(params, asOf));
    expect(records.map((r) => `${r.get('caseId')}|${r.get('personId')}|${r.get('hostId')}`)).toEqual(
      EXPECTED,
    );
  });

  it("tracegraph's exposures give the same triples, leaving out household and reported contacts", async () => {
    const exposures = computeExposures(await loadOutbreak(store, params, asOf), params);
    expect(coPresencePairs(exposures)).toEqual(EXPECTED);
    const settings = new Set(exposures.map((e) => e.setting));
    expect(settings.has('household') && settings.has('contact')).toBe(true);
  });

  it('without the screening look-back, neither side counts the exposure before the positive test', async () => {
    const strict = resolveParameters({ overrides: ['protocol.windowFromLastNegative=false'] });
    const { records } = await driver.executeQuery(CO_PRESENCE_QUERY, coPresenceParameters(strict, asOf));
    const cypher = records.map((r) => `${r.get('caseId')}|${r.get('personId')}|${r.get('hostId')}`);
    const ours = coPresencePairs(computeExposures(await loadOutbreak(store, strict, asOf), strict));
    const withoutLookBack = EXPECTED.filter((k) => k !== 'C2|P5|RS');
    expect(cypher).toEqual(withoutLookBack);
    expect(ours).toEqual(withoutLookBack);
  });
});

describe('pair keys', () => {
  const exposure = (over: Partial<Exposure>): Exposure => ({
    personId: 'P1',
    sourceId: 'C1',
    sourceKind: 'case',
    setting: 'place',
    hostId: 'MK',
    placeKind: 'market',
    contactSetting: null,
    start: 0,
    end: 1,
    minutes: 0,
    ...over,
  });

  it('keeps case exposures at places and on boats once each, sorted', () => {
    expect(
      coPresencePairs([
        exposure({ personId: 'P2' }),
        exposure({}),
        exposure({ start: 5, end: 9 }),
        exposure({ setting: 'boat', hostId: 'B1' }),
        exposure({ sourceKind: 'place', sourceId: 'MK' }),
        exposure({ setting: 'household', hostId: 'H1' }),
        exposure({ setting: 'contact', hostId: null }),
      ]),
    ).toEqual(['C1|P1|B1', 'C1|P1|MK', 'C1|P2|MK']);
  });

  it('counts what each side found alone', () => {
    expect(comparePairs(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).toEqual({
      onlyTracegraph: ['a'],
      onlyCypher: ['d', 'e'],
      common: 2,
    });
  });
});
