import pagerank from 'graphology-metrics/centrality/pagerank';
import seedrandom from 'seedrandom';
import { buildExposureGraph } from '../../src/analysis/exposure-graph';
import { computeExposures } from '../../src/analysis/exposures';
import type { Exposure } from '../../src/analysis/model';
import { infectedAndSilent, prioritiseQuarantine, silentAfterFrom } from '../../src/analysis/quarantine';
import { cdf } from '../../src/domain/distributions';
import { DAY, HOUR } from '../../src/domain/time';
import { assignTiers } from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import type { Case, Stay } from '../../src/domain/types';
import { scatteredAndByPerson } from './network-fixtures';
import { aug, outbreak, person, place, positive, stay, t } from './outbreak-fixtures';

const params = resolveParameters();
const C1: Case = { personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') };
const C2: Case = {
  personId: 'C2',
  classification: 'asymptomatic',
  onset: null,
  confirmedAt: aug(7, '10:00'),
};

/** C1 infectious over [Aug 3 00:00, Aug 6 10:00], C2 over [Aug 5 08:00, Aug 7 08:00]; asOf Aug 7 12:00. */
function district() {
  const data = outbreak({
    asOf: aug(7, '12:00'),
    cases: [C1, C2],
    samples: [positive('C2', aug(7, '08:00'))],
    persons: [
      person('C1', 'H1'),
      person('P2', 'H1'),
      person('C2'),
      person('P3', 'H3'),
      person('P4', 'H3'),
      person('P5'),
      person('P6'),
      person('P7'),
    ],
    places: [place('H1', 'home'), place('H3', 'home'), place('W1', 'workplace'), place('MKT', 'market')],
    stays: [
      stay('C1', 'W1', aug(4, '09:00'), aug(4, '12:00')),
      stay('P3', 'W1', aug(4, '09:00'), aug(4, '09:20')),
      stay('C1', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('P5', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('P6', 'MKT', aug(5, '15:57'), aug(5, '16:00')),
      stay('P7', 'MKT', aug(5, '15:50'), aug(5, '16:00')),
    ],
    contacts: [
      { personA: 'C2', personB: 'P5', start: aug(6, '12:00'), end: aug(6, '13:00'), setting: 'social' },
    ],
  });
  const exposures = computeExposures(data, params);
  const tiers = assignTiers(data, exposures, params);
  return { data, exposures, tiers, graph: buildExposureGraph(exposures, data) };
}

/** A close contact through a reported contact [Aug 4 09:00, 10:00] with case `sourceId`. */
const contactExposure = (personId: string, sourceId: string, setting: string): Exposure => ({
  personId,
  sourceId,
  sourceKind: 'case',
  setting: 'contact',
  hostId: null,
  placeKind: null,
  contactSetting: setting,
  start: aug(4, '09:00'),
  end: aug(4, '10:00'),
  minutes: 60,
});

/**
 * An incubation so long that no exposure's is over yet (s = 1): a mean of some 22,000 days, which
 * the parameters refuse (src/domain/parameters.ts), set on resolved parameters for the plan alone.
 */
const neverOver = { family: 'lognormal' as const, meanlog: 10, sdlog: 0.456 };

describe('prioritiseQuarantine', () => {
  test('reasons are told when read, and a spread, JSON and a structured clone carry the same text', () => {
    const { data, exposures, tiers, graph } = district();
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    expect(plan.entries.length).toBeGreaterThan(0);
    for (const entry of plan.entries) {
      // An accessor, not a kept text: at a million persons the texts held for the whole analysis
      // were a quarter of a gigabyte.
      expect(typeof Object.getOwnPropertyDescriptor(entry, 'reasons')?.get).toBe('function');
      expect(entry.reasons).toMatch(/P\(infected\)=.*; score \d/);
      expect(entry.reasons).toBe(entry.reasons);
      expect({ ...entry }.reasons).toBe(entry.reasons);
      expect(JSON.parse(JSON.stringify(entry)).reasons).toBe(entry.reasons);
      const cloned = structuredClone(entry);
      expect(cloned.reasons).toBe(entry.reasons);
      // Nothing but the data travels: the clone holds the text itself.
      expect(Object.getOwnPropertyDescriptor(cloned, 'reasons')?.value).toBe(entry.reasons);
    }
  });

  test('throws on invalid input', () => {
    const { data, exposures, tiers, graph } = district();
    const run = (o: object) => () =>
      prioritiseQuarantine(data, exposures, tiers, params, { asOf: data.asOf, exposureGraph: graph, ...o });
    expect(run({ asOf: Number.NaN })).toThrow(/option "asOf"/);
    expect(run({ capacity: -1 })).toThrow(/option "capacity"/);
    expect(run({ capacity: 1.5 })).toThrow(/option "capacity"/);
    expect(run({ exposureGraph: null })).toThrow(/option "exposureGraph"/);
    expect(run({ exposureGraph: null, centralityById: { P2: 1 } })).toThrow(
      /option "centralityById" is not a Map/,
    );
    const badSite = { ...data, quarantineSites: [place('Q1', 'quarantine_site', { capacity: -2 })] };
    expect(() =>
      prioritiseQuarantine(badSite, exposures, tiers, params, { asOf: data.asOf, exposureGraph: graph }),
    ).toThrow(/quarantineSites\[0\] \(Q1\): field "capacity"/);
  });

  test('centrality measured beforehand (centralityById) ranks as the graph does', () => {
    const { data, exposures, tiers, graph } = district();
    const fromGraph = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const byKey = pagerank(graph, { getEdgeWeight: null });
    const centralityById = new Map(graph.mapNodes((key, { id }) => [id, byKey[key]!] as const));
    const given = prioritiseQuarantine(data, exposures, tiers, params, { asOf: data.asOf, centralityById });
    expect(given).toEqual(fromGraph);
    expect(fromGraph.entries.some((e) => e.centrality > 0 && e.centrality < 1)).toBe(true);
    // Other values, other scores: the map is what is read.
    const flat = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      centralityById: new Map(),
    });
    expect(flat.entries.every((e) => e.centrality === 0)).toBe(true);
  });

  test('no exposures: an empty plan', () => {
    const { data } = district();
    const plan = prioritiseQuarantine(data, [], [], params, {
      asOf: data.asOf,
      exposureGraph: buildExposureGraph([]),
    });
    expect(plan).toEqual({ asOf: data.asOf, entries: [], sites: [], beds: 0, waiting: 0 });
  });

  test('infectedAndSilent: Bayes given no onset yet', () => {
    expect(infectedAndSilent([])).toBe(0);
    // One exposure, p = 0.5, half its infections still silent: 0.25 / (0.25 + 0.5) = 1/3.
    expect(infectedAndSilent([{ p: 0.5, silent: 0.5 }])).toBeCloseTo(1 / 3, 12);
    // All silent: just the chance of infection.
    expect(infectedAndSilent([{ p: 0.3, silent: 1 }])).toBeCloseTo(0.3, 12);
    // Two: silently infected 1 - 0.5 * 0.9 = 0.55, escaped 0.5 * 0.8 = 0.4: 0.55 / 0.95.
    expect(
      infectedAndSilent([
        { p: 0.5, silent: 1 },
        { p: 0.2, silent: 0.5 },
      ]),
    ).toBeCloseTo(0.55 / 0.95, 12);
    // Past the whole incubation with nothing to show: not infected.
    expect(infectedAndSilent([{ p: 0.9, silent: 0 }])).toBe(0);
  });

  test('silentAfterFrom: 1 − F_inc of the days since each instant, the same when asked again', () => {
    const asOf = aug(12);
    const silentAfter = silentAfterFrom(asOf, params.pathogen);
    const expected = (at: number) => 1 - cdf(params.pathogen.incubation, Math.max(0, asOf - at) / DAY);
    // More instants than the table starts with (it grows), half a minute apart, some after asOf.
    const instants = Array.from(
      { length: 10_000 },
      (_, i) => asOf - 20 * DAY + i * 30_000 + (i % 3 ? 0 : 0.5),
    );
    for (const at of instants) expect(silentAfter(at)).toBe(expected(at));
    for (const at of instants.filter((_, i) => i % 97 === 0)) expect(silentAfter(at)).toBe(expected(at));
    expect(silentAfter(asOf)).toBe(1);
    expect(silentAfter(asOf + DAY)).toBe(1);
    expect(silentAfter(Number.NaN)).toBe(1 - cdf(params.pathogen.incubation, Number.NaN));
  });

  test('probability of infection: rate per hour, source infectiousness, elapsed incubation, combined exposures', () => {
    const { data, exposures, tiers, graph } = district();
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect([...p.keys()].sort()).toEqual(['P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
    // Still without onset at asOf (Aug 7 12:00) after an infection `days` earlier.
    const silent = (days: number): number => 1 - cdf(params.pathogen.incubation, days);
    const bayes = (q: number, s: number): number => (q * s) / (q * s + 1 - q);
    // P2: household with C1 over [Aug 3 00:00, Aug 6 07:00], 4 nights = 34 h, at 0.427 / 60 h per
    // hour; C1's onset (Aug 5 00:00) 48 h into the 79-h span: f = 48/79 * 2/3 + 31/79 ≈ 0.7975.
    // Middle Aug 4 15:30, 2 d 20.5 h before asOf (lognormal incubation: 1 - F ≈ 0.3956).
    const f2 = (48 / 79) * (2 / 3) + 31 / 79;
    const q2 = 1 - Math.exp(-34 * (0.427 / 60) * f2);
    expect(q2).toBeCloseTo(0.17549, 5);
    expect(silent(2 + 20.5 / 24)).toBeCloseTo(0.39556, 4);
    expect(p.get('P2')!.probability).toBeCloseTo(bayes(q2, silent(2 + 20.5 / 24)), 12);
    expect(p.get('P2')!.probability).toBeCloseTo(0.07765, 4);
    // P3: 20 min at a workplace (work: 0.059 / 32 h per hour) before C1's onset (x 2/3), middle
    // Aug 4 09:10, 3 d 2 h 50 min before asOf.
    const q3 = 1 - Math.exp(-(20 / 60) * (0.059 / 32) * (2 / 3));
    const p3 = bayes(q3, silent(3 + (2 + 50 / 60) / 24));
    expect(p.get('P3')!.probability).toBeCloseTo(p3, 12);
    expect(p3).toBeCloseTo(0.00013243, 7);
    // P4: lives with close contact P3, 3 nights (27 h, Aug 4 22:00 to Aug 7 07:00, middle Aug 6
    // 02:30, 1 d 9.5 h before asOf) since P3's exposure: P(P3) * (1 - exp(-27 * 0.427/60 * 2/3)).
    const link = 1 - Math.exp(-27 * (0.427 / 60) * (2 / 3));
    expect(link).toBeCloseTo(0.12023, 5);
    expect(p.get('P4')!.probability).toBeCloseTo(bayes(p3 * link, silent(1 + 9.5 / 24)), 12);
    // P5: 1 h at a market with C1 after onset (casual: 0.012 per hour), middle Aug 5 15:30, and 1 h
    // social contact with asymptomatic C2 (0.059 / 3 h per hour, x 1/7), middle Aug 6 12:30.
    const market = { p: 1 - Math.exp(-0.012), silent: silent(1 + 20.5 / 24) };
    const social = { p: 1 - Math.exp(-0.059 / 3 / 7), silent: silent(23.5 / 24) };
    const silentlyInfected = 1 - (1 - market.p * market.silent) * (1 - social.p * social.silent);
    const p5 = silentlyInfected / (silentlyInfected + (1 - market.p) * (1 - social.p));
    expect(p.get('P5')!.probability).toBeCloseTo(p5, 12);
    expect(p5).toBeCloseTo(0.011735, 6);
    // P6: 3 min at the market, below every tier; middle Aug 5 15:58:30.
    const p6 = bayes(1 - Math.exp(-0.012 * (3 / 60)), silent(1 + (20 + 1.5 / 60) / 24));
    expect(p.get('P6')!.probability).toBeCloseTo(p6, 12);
    expect(p.get('P6')).toMatchObject({ tier: null, placement: 'none', releaseOn: null, pcrDates: [] });
  });

  test('a reported contact beginning at the isolation is no exposure; one recorded as an instant weighs one episode (audit D2)', () => {
    const { data } = district();
    data.persons.set('Z', person('Z'));
    data.persons.set('Y', person('Y'));
    data.persons.set('X', person('X'));
    data.contacts.push(
      // C1 isolated at Aug 6 10:00: Z met C1 only from then.
      { personA: 'C1', personB: 'Z', start: aug(6, '10:00'), end: aug(6, '11:00'), setting: 'social' },
      // Y met C1 at an instant of the window, after onset (infectiousness 1).
      { personA: 'C1', personB: 'Y', start: aug(5, '12:00'), end: aug(5, '12:00'), setting: 'social' },
      // X met Y (a close contact) at an instant after Y's exposure.
      { personA: 'X', personB: 'Y', start: aug(6, '12:00'), end: aug(6, '12:00'), setting: 'work' },
    );
    const exposures = computeExposures(data, params);
    const tiers = assignTiers(data, exposures, params);
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: buildExposureGraph(exposures, data),
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect(p.has('Z')).toBe(false);
    const silent = (days: number): number => 1 - cdf(params.pathogen.incubation, days);
    const bayes = (q: number, s: number): number => (q * s) / (q * s + 1 - q);
    // One social episode: the attack rate, not 0 minutes' worth.
    const qY = 1 - Math.exp(-0.059);
    const pY = bayes(qY, silent(2));
    expect(p.get('Y')!.probability).toBeCloseTo(pY, 12);
    expect(p.get('Y')!.reasons).toMatch(
      /^social contact with case C1 at one moment \(no duration recorded\)/,
    );
    // Through Y: P(Y) times one work episode at pre-symptomatic infectiousness.
    const link = 1 - Math.exp(-0.059 * (2 / 3));
    expect(p.get('X')!.probability).toBeCloseTo(bayes(pY * link, silent(1)), 12);
  });

  test('the same exposure weighs less the more of its incubation has passed without a case', () => {
    const one = (personId: string, daysAgo: number): Exposure => ({
      ...contactExposure(personId, 'C1', 'work'),
      start: aug(10) - daysAgo * DAY - HOUR,
      end: aug(10) - daysAgo * DAY,
    });
    const exposures = [one('RECENT', 1), one('EARLIER', 6)];
    const data = outbreak({
      asOf: aug(10),
      cases: [{ personId: 'C1', classification: 'confirmed', onset: aug(1), confirmedAt: aug(10) }],
      persons: [person('C1'), person('RECENT'), person('EARLIER')],
    });
    const plan = prioritiseQuarantine(data, exposures, assignTiers(data, exposures, params), params, {
      asOf: data.asOf,
      exposureGraph: buildExposureGraph(exposures),
    });
    // 1 h of work contact after onset: q = 1 - exp(-0.059 / 32); middles 1.5 h after the start.
    const q = 1 - Math.exp(-0.059 / 32);
    const bayes = (days: number): number => {
      const s = 1 - cdf(params.pathogen.incubation, days);
      return (q * s) / (q * s + 1 - q);
    };
    const [first, second] = plan.entries;
    expect(first).toMatchObject({ personId: 'RECENT', priority: 1 });
    expect(second).toMatchObject({ personId: 'EARLIER', priority: 2 });
    expect(first!.probability).toBeCloseTo(bayes(1 + 0.5 / 24), 12);
    expect(second!.probability).toBeCloseTo(bayes(6 + 0.5 / 24), 12);
    // Lognormal(0.928, 0.456): 1 - F(1.02 d) ≈ 0.9767, 1 - F(6.02 d) ≈ 0.0286.
    expect(first!.probability).toBeCloseTo(0.0017992, 7);
    expect(second!.probability).toBeCloseTo(0.0000528, 7);
  });

  test('placements by tier: close contacts wait for a bed, contacts of close contacts stay home, venue-exposed are monitored', () => {
    const { data, exposures, tiers, graph } = district();
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect(p.get('P2')).toMatchObject({
      tier: 'close_contact',
      placement: 'waiting',
      assignedSiteId: null,
      householdSize: 2,
    });
    expect(p.get('P4')).toMatchObject({ tier: 'contact_of_close_contact', placement: 'home' });
    expect(p.get('P5')).toMatchObject({ tier: 'close_contact', placement: 'waiting' }); // reported contact of C2
    expect(p.get('P7')).toMatchObject({
      tier: 'venue_exposed',
      placement: 'monitoring',
      releaseOn: null,
      pcrDates: [],
    });
    expect(plan.waiting).toBe(3);
    expect(plan.entries.map((e) => e.priority)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(plan.entries[0]!.personId).toBe('P2');
    expect(p.get('P4')!.reasons).toMatch(
      // Small chances in two significant digits, not 0.00.
      /^lives with close contact P3 \(3 night\(s\) since their exposure\) \(p=0\.00013×0\.12=0\.000016, silent 0\.90\); P\(infected\)=0\.000014;/,
    );
  });

  test('the contacts are numbered 1, 2, 3, … without gaps; one exposed below every tier ranks after them all and changes no bed', () => {
    const { data, exposures, tiers, graph } = district();
    // Two beds for the three close contacts (P2, P5, P3).
    const withBeds = { ...data, quarantineSites: [place('Q1', 'quarantine_site', { capacity: 2 })] };
    const plan = prioritiseQuarantine(withBeds, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    // P6 (3 min at the market) is below every tier, yet scores above the close contact P3 (20 min
    // at the workplace before C1's onset): by score alone P6 would rank between contacts.
    expect(p.get('P6')).toMatchObject({ tier: null, placement: 'none', assignedSiteId: null });
    expect(p.get('P6')!.score).toBeGreaterThan(p.get('P3')!.score);
    const contacts = plan.entries.filter((e) => e.tier !== null);
    expect(contacts).toHaveLength(5);
    expect(contacts.map((e) => e.priority)).toEqual([1, 2, 3, 4, 5]);
    // Among the contacts, still by score.
    for (let i = 1; i < contacts.length; i++)
      expect(contacts[i - 1]!.score).toBeGreaterThanOrEqual(contacts[i]!.score);
    expect(p.get('P6')!.priority).toBe(6);
    // The plan's entries stay in priority order.
    expect(plan.entries.map((e) => e.priority)).toEqual([1, 2, 3, 4, 5, 6]);
    // The beds go to the two close contacts with the highest scores; P3 waits.
    const closeContacts = contacts.filter((e) => e.tier === 'close_contact');
    expect(closeContacts.map((e) => [e.personId, e.placement, e.assignedSiteId])).toEqual([
      ['P2', 'site', 'Q1'],
      ['P5', 'site', 'Q1'],
      ['P3', 'waiting', null],
    ]);
  });

  test('release, home monitoring and PCR dates from the last exposure', () => {
    const { data, exposures, tiers, graph } = district();
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    // P3 last exposed Aug 4 09:20: 7 days quarantine + 3 home; PCR days 1, 2, 3, 5, 7; home day 3.
    expect(p.get('P3')).toMatchObject({
      lastExposure: aug(4, '09:20'),
      releaseOn: aug(11, '09:20'),
      homeMonitoringUntil: aug(14, '09:20'),
      pcrDates: [aug(5), aug(6), aug(7), aug(9), aug(11)],
      homePcrDates: [aug(14)],
    });
    // P4 with P3 until the morning of Aug 7: 7 days home quarantine, PCR days 1, 4, 7.
    expect(p.get('P4')).toMatchObject({
      lastExposure: aug(7, '07:00'),
      releaseOn: aug(14, '07:00'),
      homeMonitoringUntil: aug(14, '07:00'),
      pcrDates: [aug(8), aug(11), aug(14)],
      homePcrDates: [],
    });
    // The 20 measures: 5 days, PCR days 1, 2, 3, 5.
    const twenty = resolveParameters({ protocol: 'cn-20-measures-2022' });
    const p3 = prioritiseQuarantine(data, exposures, assignTiers(data, exposures, twenty), twenty, {
      asOf: data.asOf,
      exposureGraph: graph,
    }).entries.find((e) => e.personId === 'P3')!;
    expect(p3).toMatchObject({ releaseOn: aug(9, '09:20'), pcrDates: [aug(5), aug(6), aug(7), aug(9)] });
  });

  test('a close contact whose quarantine period is already over needs no bed', () => {
    const { data, exposures, tiers, graph } = district();
    const later = { ...data, quarantineSites: [place('Q1', 'quarantine_site', { capacity: 10 })] };
    const plan = prioritiseQuarantine(later, exposures, tiers, params, {
      asOf: aug(12),
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect(p.get('P3')).toMatchObject({ placement: 'completed', assignedSiteId: null });
    expect(p.get('P2')).toMatchObject({ placement: 'site', assignedSiteId: 'Q1' }); // released Aug 13 07:00
    expect(p.get('P3')!.reasons).not.toMatch(/due for release/);
    expect(plan.sites).toEqual([{ siteId: 'Q1', capacity: 10, occupied: 0, assigned: 2, dueForRelease: 0 }]);
  });

  test('a contact whose quarantine is over and who is still at a site keeps that site: due for release', () => {
    const { data, exposures, tiers, graph } = district();
    // On Aug 12 P3 (released Aug 11 09:20) is still at Q1, beside P2 (released Aug 13 07:00) and X,
    // who is not exposed.
    const later = { ...data, quarantineSites: [place('Q1', 'quarantine_site', { capacity: 4 })] };
    later.quarantineStays = [
      stay('P3', 'Q1', aug(5), aug(13)),
      stay('P2', 'Q1', aug(8), aug(14)),
      stay('X', 'Q1', aug(10), aug(20)),
    ];
    const plan = prioritiseQuarantine(later, exposures, tiers, params, {
      asOf: aug(12),
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect(p.get('P3')).toMatchObject({
      placement: 'completed',
      assignedSiteId: 'Q1',
      releaseOn: aug(11, '09:20'),
    });
    expect(p.get('P3')!.reasons).toMatch(
      /; score [0-9.]+; quarantine ended on 2022-08-11, still at Q1: due for release$/,
    );
    expect(p.get('P2')).toMatchObject({ placement: 'site', assignedSiteId: 'Q1' });
    expect(p.get('P2')!.reasons).not.toMatch(/due for release/);
    // Three beds taken: P3's is due for release; X, not exposed, has no entry and is not counted.
    // The last bed goes to P5 (released Aug 13 13:00).
    expect(plan.sites).toEqual([{ siteId: 'Q1', capacity: 4, occupied: 3, assigned: 1, dueForRelease: 1 }]);
    expect(p.get('P5')).toMatchObject({ placement: 'site', assignedSiteId: 'Q1' });
    // The site's entries are the exposed persons there (P3 among them) and the one newly placed.
    const atQ1 = plan.entries.filter((e) => e.assignedSiteId === 'Q1').map((e) => e.personId);
    expect(atQ1.sort()).toEqual(['P2', 'P3', 'P5']);
  });

  test('score: household size, centrality and vulnerability, explained in words and numbers', () => {
    const p = resolveParameters({
      overrides: [
        // Rates of 0.5 and 0.2 per hour; an incubation so long that nothing is past it yet (s = 1).
        'pathogen.attackRates.social=0.5',
        'pathogen.attackRates.work=0.2',
        'pathogen.attackRateHours.social=1',
        'pathogen.attackRateHours.work=1',
        'protocol.traceContactsOfCloseContacts=false',
      ],
    });
    p.pathogen.incubation = neverOver;
    const cases: Case[] = [
      { personId: 'C1', classification: 'confirmed', onset: aug(1), confirmedAt: aug(6) },
      { personId: 'C2', classification: 'confirmed', onset: aug(1), confirmedAt: aug(6) },
    ];
    const data = outbreak({
      asOf: aug(6, '12:00'),
      cases,
      persons: [
        person('A', 'HA', 67),
        person('B', 'HA'),
        person('X1', 'HA'),
        person('X2', 'HA'),
        person('X3', 'HA'),
        person('D', null, 30),
        person('C1'),
        person('C2'),
      ],
    });
    const exposures = [
      contactExposure('A', 'C1', 'social'),
      contactExposure('A', 'C2', 'work'),
      contactExposure('D', 'C1', 'work'),
    ];
    const tiers = assignTiers(data, exposures, p);
    // Degree: A links C1 and C2 (2), D links C1 (1): centrality A 1, D 0.5.
    const plan = prioritiseQuarantine(data, exposures, tiers, p, {
      asOf: data.asOf,
      exposureGraph: buildExposureGraph(exposures),
      centrality: 'degree',
    });
    const [a, d] = plan.entries;
    // A: p = 1 - e^-0.5 ≈ 0.3935 and 1 - e^-0.2 ≈ 0.1813, P = 1 - e^-0.7 ≈ 0.5034;
    // x (1 + 0.1 * 4 + 0.5 * 1) x 1.2 ≈ 1.1478.
    expect(a).toMatchObject({ personId: 'A', priority: 1, householdSize: 5, centrality: 1 });
    expect(a!.probability).toBeCloseTo(1 - Math.exp(-0.7), 12);
    expect(a!.score).toBeCloseTo((1 - Math.exp(-0.7)) * 1.9 * 1.2, 12);
    expect(a!.reasons).toBe(
      'social contact with case C1 for 1 h (p=0.39, silent 1.00); work contact with case C2 for 1 h (p=0.18, silent 1.00); ' +
        'P(infected)=0.50; household of 5 (+40%); centrality 1.00 of the highest (+50%); age 67 (+20%); score 1.148',
    );
    // D: P = 1 - e^-0.2 ≈ 0.1813; x (1 + 0.5 * 0.5) ≈ 0.2266.
    expect(d).toMatchObject({ personId: 'D', priority: 2, householdSize: 1, centrality: 0.5 });
    expect(d!.score).toBeCloseTo((1 - Math.exp(-0.2)) * 1.25, 12);
    expect(d!.reasons).toBe(
      'work contact with case C1 for 1 h (p=0.18, silent 1.00); P(infected)=0.18; centrality 0.50 of the highest (+25%); score 0.227',
    );
  });

  test("the same plan whether a person's exposures come in one run or scattered among others'", () => {
    const rng = seedrandom('quarantine in runs');
    for (let round = 0; round < 10; round++) {
      const { data, scattered, byPerson } = scatteredAndByPerson(rng);
      const plan = (exposures: Exposure[]) =>
        prioritiseQuarantine(data, exposures, assignTiers(data, exposures, params), params, {
          asOf: data.asOf,
          centralityById: new Map(),
        });
      const scatteredPlan = plan(scattered);
      expect(scatteredPlan).toEqual(plan(byPerson));
      // Every exposed person who is not a case is ranked, once, and every contact of a close contact.
      const caseIds = new Set(data.cases.map((c) => c.personId));
      const ranked = new Set(scattered.map((e) => e.personId).filter((id) => !caseIds.has(id)));
      for (const t of assignTiers(data, scattered, params)) ranked.add(t.personId);
      expect(new Set(scatteredPlan.entries.map((e) => e.personId))).toEqual(ranked);
      expect(scatteredPlan.entries).toHaveLength(ranked.size);
    }
  });

  describe('bed allocation', () => {
    // One hour at a rate per hour equal to the setting's attack rate, nothing past the incubation
    // and no weights: the score is 1 - exp(-attack rate), in the order of the attack rates.
    const p = resolveParameters({
      overrides: [
        ...['household', 'work', 'social', 'care', 'transport', 'casual'].map(
          (setting) => `pathogen.attackRateHours.${setting}=1`,
        ),
        'pathogen.attackRates.household=0.5',
        'pathogen.attackRates.work=0.4',
        'pathogen.attackRates.social=0.3',
        'pathogen.attackRates.care=0.25',
        'pathogen.attackRates.transport=0.2',
        'pathogen.attackRates.casual=0.1',
        'protocol.traceContactsOfCloseContacts=false',
        'protocol.quarantinePriority.householdMemberWeight=0',
        'protocol.quarantinePriority.centralityWeight=0',
        'protocol.quarantinePriority.vulnerableWeight=0',
      ],
    });
    p.pathogen.incubation = neverOver;
    const exposures = [
      contactExposure('A', 'C1', 'household'), // 1 - e^-0.5, home HA
      contactExposure('C', 'C1', 'work'), // 1 - e^-0.4, home HC
      contactExposure('D', 'C1', 'social'), // 1 - e^-0.3, home HD
      contactExposure('F', 'C1', 'care'), // 1 - e^-0.25, no home
      contactExposure('E', 'C1', 'transport'), // 1 - e^-0.2, home HA
      contactExposure('B', 'C1', 'other'), // 1 - e^-0.1, home HA
    ];
    const plan = (
      capacities: number[],
      capacity?: number,
      occupancy: { stays?: Stay[]; quarantineStays?: Stay[] } = {},
      more: Exposure[] = [],
    ) => {
      const all = [...exposures, ...more];
      const data = outbreak({
        stays: occupancy.stays,
        asOf: aug(6),
        cases: [{ personId: 'C1', classification: 'confirmed', onset: aug(1), confirmedAt: aug(6) }],
        persons: [
          person('A', 'HA'),
          person('B', 'HA'),
          person('E', 'HA'),
          person('C', 'HC'),
          person('D', 'HD'),
          person('F'),
          person('G', 'HG'),
        ],
        places: capacities.map((c, i) => place(`Q${i + 1}`, 'quarantine_site', { capacity: c })),
      });
      data.quarantineStays = occupancy.quarantineStays;
      const result = prioritiseQuarantine(data, all, assignTiers(data, all, p), p, {
        asOf: data.asOf,
        exposureGraph: buildExposureGraph(all),
        capacity: capacity ?? null,
      });
      return {
        entries: result.entries,
        order: result.entries.map((e) => e.personId).join(''),
        at: Object.fromEntries(result.entries.map((e) => [e.personId, e.assignedSiteId ?? e.placement])),
        sites: result.sites,
        beds: result.beds,
        waiting: result.waiting,
      };
    };

    test('in priority order, a household together at the site that fits it best', () => {
      const r = plan([2, 3]);
      expect(r.order).toBe('ACDFEB');
      expect(r.at).toEqual({ A: 'Q2', E: 'Q2', B: 'Q2', C: 'Q1', D: 'Q1', F: 'waiting' });
      expect(r.sites).toEqual([
        { siteId: 'Q1', capacity: 2, occupied: 0, assigned: 2, dueForRelease: 0 },
        { siteId: 'Q2', capacity: 3, occupied: 0, assigned: 3, dueForRelease: 0 },
      ]);
      expect(r.waiting).toBe(1);
    });

    test('the overall capacity caps the beds used', () => {
      const r = plan([2, 3], 4);
      expect(r.at).toEqual({ A: 'Q2', E: 'Q2', B: 'Q2', C: 'Q1', D: 'waiting', F: 'waiting' });
      expect(plan([2, 3], 0).waiting).toBe(6);
    });

    test("the plan's beds: the sites' capacity, or the overall capacity where it is fewer", () => {
      expect(plan([2, 3]).beds).toBe(5);
      expect(plan([2, 3], 4).beds).toBe(4);
      expect(plan([2, 3], 0).beds).toBe(0);
      // A cap above what the sites hold adds no bed.
      expect(plan([2, 3], 9).beds).toBe(5);
      expect(plan([]).beds).toBe(0);
    });

    test('a household no site can hold is split, the first member taking the roomiest site', () => {
      const r = plan([2, 2]);
      expect(r.at).toEqual({ A: 'Q1', C: 'Q1', D: 'Q2', F: 'Q2', E: 'waiting', B: 'waiting' });
    });

    describe('beds already taken at asOf', () => {
      // C (exposed) is at Q2 and X (not exposed) at Q1 over asOf (Aug 6); Y left Q1 and Z comes
      // to Q2 outside it. X's stay is among the analysed stays, cut at asOf as the loader cuts it.
      const occupancy = {
        stays: [stay('X', 'Q1', aug(5), aug(6))],
        quarantineStays: [
          stay('C', 'Q2', aug(5), aug(12)),
          stay('Y', 'Q1', aug(4), aug(5)),
          stay('Z', 'Q2', aug(7), aug(14)),
        ],
      };

      test('an exposed person in a site keeps it; the others share the free beds', () => {
        const r = plan([2, 3], undefined, occupancy);
        // Free: Q1 1, Q2 2. A's household of 3 fits nowhere: A alone to the roomiest (Q2);
        // D to Q1 (the fitting site with the fewest beds to spare, first by id), F to Q2.
        expect(r.at).toEqual({ A: 'Q2', C: 'Q2', D: 'Q1', F: 'Q2', E: 'waiting', B: 'waiting' });
        expect(r.sites).toEqual([
          { siteId: 'Q1', capacity: 2, occupied: 1, assigned: 1, dueForRelease: 0 },
          { siteId: 'Q2', capacity: 3, occupied: 1, assigned: 2, dueForRelease: 0 },
        ]);
        expect(r.waiting).toBe(2);
      });

      test('occupied beds count against the overall capacity', () => {
        // 4 beds in all, 2 taken: A and D get the 2 left.
        const r = plan([2, 3], 4, occupancy);
        expect(r.at).toEqual({ A: 'Q2', C: 'Q2', D: 'Q1', F: 'waiting', E: 'waiting', B: 'waiting' });
        expect(r.sites.map((s) => s.assigned)).toEqual([1, 1]);
        // The 2 beds taken are among the 4.
        expect(r.beds).toBe(4);
        // Fewer beds in all than are taken: nobody new, C still in Q2.
        const full = plan([2, 3], 1, occupancy);
        expect(full.at['C']).toBe('Q2');
        expect(full.waiting).toBe(5);
        expect(full.beds).toBe(1);
      });

      test('a site filled by others takes nobody new', () => {
        const others = [stay('X', 'Q1', aug(5), aug(9)), stay('W', 'Q1', aug(5), aug(9))];
        const r = plan([2], undefined, { quarantineStays: others });
        expect(r.sites).toEqual([{ siteId: 'Q1', capacity: 2, occupied: 2, assigned: 0, dueForRelease: 0 }]);
        expect(r.waiting).toBe(6);
      });
    });

    describe('a contact whose quarantine is over', () => {
      // G lived with C1 for 10 h on Jul 29: the likeliest infected of all, but released on Aug 5
      // 19:00, before asOf (Aug 6).
      const released: Exposure = {
        ...contactExposure('G', 'C1', 'household'),
        start: t('2022-07-29T09:00:00+08:00'),
        end: t('2022-07-29T19:00:00+08:00'),
        minutes: 600,
      };

      test('is numbered after every other contact, without gaps, and changes no bed', () => {
        const without = plan([2, 3]);
        const r = plan([2, 3], undefined, {}, [released]);
        const g = r.entries.find((e) => e.personId === 'G')!;
        expect(g).toMatchObject({ tier: 'close_contact', placement: 'completed', assignedSiteId: null });
        // By score G would come first.
        expect(g.score).toBeGreaterThan(Math.max(...r.entries.filter((e) => e !== g).map((e) => e.score)));
        expect(r.order).toBe(`${without.order}G`);
        expect(r.entries.map((e) => e.priority)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(r.at).toEqual({ ...without.at, G: 'completed' });
        expect(r.sites).toEqual(without.sites);
        expect(r.waiting).toBe(without.waiting);
      });

      test('still at a site on asOf: that site, its bed due for release, the others placed as around anyone else there', () => {
        const stillThere = plan([2, 3], undefined, { quarantineStays: [stay('G', 'Q1', aug(1), aug(9))] }, [
          released,
        ]);
        const someoneElse = plan([2, 3], undefined, { quarantineStays: [stay('X', 'Q1', aug(1), aug(9))] });
        const g = stillThere.entries.find((e) => e.personId === 'G')!;
        expect(g).toMatchObject({ placement: 'completed', assignedSiteId: 'Q1', priority: 7 });
        expect(g.reasons).toMatch(/; quarantine ended on 2022-08-05, still at Q1: due for release$/);
        expect(stillThere.at).toEqual({ ...someoneElse.at, G: 'Q1' });
        expect(stillThere.sites).toEqual([
          { ...someoneElse.sites[0]!, dueForRelease: 1 },
          { ...someoneElse.sites[1]!, dueForRelease: 0 },
        ]);
        expect(stillThere.sites[0]).toMatchObject({ occupied: 1, dueForRelease: 1 });
        expect(someoneElse.sites[0]).toMatchObject({ occupied: 1, dueForRelease: 0 });
      });
    });

    test('no quarantine sites: everybody waits', () => {
      expect(plan([]).waiting).toBe(6);
    });
  });
});
