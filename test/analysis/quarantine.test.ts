import { buildExposureGraph } from '../../src/analysis/exposure-graph';
import { computeExposures } from '../../src/analysis/exposures';
import type { Exposure } from '../../src/analysis/model';
import { exposureProbability, prioritiseQuarantine } from '../../src/analysis/quarantine';
import { assignTiers } from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import type { Case } from '../../src/domain/types';
import { aug, outbreak, person, place, positive, stay } from './outbreak-fixtures';

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

describe('prioritiseQuarantine', () => {
  test('throws on invalid input', () => {
    const { data, exposures, tiers, graph } = district();
    const run = (o: object) => () =>
      prioritiseQuarantine(data, exposures, tiers, params, { asOf: data.asOf, exposureGraph: graph, ...o });
    expect(run({ asOf: Number.NaN })).toThrow(/option "asOf"/);
    expect(run({ capacity: -1 })).toThrow(/option "capacity"/);
    expect(run({ capacity: 1.5 })).toThrow(/option "capacity"/);
    expect(run({ exposureGraph: null })).toThrow(/option "exposureGraph"/);
    const badSite = { ...data, quarantineSites: [place('Q1', 'quarantine_site', { capacity: -2 })] };
    expect(() =>
      prioritiseQuarantine(badSite, exposures, tiers, params, { asOf: data.asOf, exposureGraph: graph }),
    ).toThrow(/quarantineSites\[0\] \(Q1\): field "capacity"/);
  });

  test('no exposures: an empty plan', () => {
    const { data } = district();
    const plan = prioritiseQuarantine(data, [], [], params, {
      asOf: data.asOf,
      exposureGraph: buildExposureGraph([]),
    });
    expect(plan).toEqual({ asOf: data.asOf, entries: [], sites: [], waiting: 0 });
  });

  test('probability of infection: attack rate, dose, source infectiousness, combined exposures', () => {
    const { data, exposures, tiers, graph } = district();
    const plan = prioritiseQuarantine(data, exposures, tiers, params, {
      asOf: data.asOf,
      exposureGraph: graph,
    });
    const p = new Map(plan.entries.map((e) => [e.personId, e]));
    expect([...p.keys()].sort()).toEqual(['P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
    // P2: household with C1, 4 nights = 34 h, after onset: 1 - 0.573 * 0.989^34 ≈ 0.6066.
    const p2 = 1 - (1 - 0.427) * (1 - 0.011) ** 34;
    expect(p.get('P2')!.probability).toBeCloseTo(p2, 12);
    expect(p2).toBeCloseTo(0.6066, 4);
    // P3: 20 min at a workplace (work 5.9%) before C1's onset (x 2/3) ≈ 0.0416.
    const p3 = (2 / 3) * (1 - (1 - 0.059) * (1 - 0.011) ** (20 / 60));
    expect(p.get('P3')!.probability).toBeCloseTo(p3, 12);
    expect(p3).toBeCloseTo(0.0416, 4);
    // P4: lives with close contact P3, 3 nights (27 h) since P3's exposure: P(P3) * 2/3 * household.
    const p4 = p3 * (2 / 3) * (1 - (1 - 0.427) * (1 - 0.011) ** 27);
    expect(p.get('P4')!.probability).toBeCloseTo(p4, 12);
    expect(p4).toBeCloseTo(0.016, 4);
    // P5: 1 h at a market with C1 (casual 1.2%) and 1 h social contact with asymptomatic C2 (x 1/7).
    const p5market = 1 - (1 - 0.012) * (1 - 0.011);
    const p5social = (1 / 7) * (1 - (1 - 0.059) * (1 - 0.011));
    expect(p.get('P5')!.probability).toBeCloseTo(1 - (1 - p5market) * (1 - p5social), 12);
    expect(p.get('P5')!.probability).toBeCloseTo(0.0325, 4);
    // P6: 3 min at the market, below every tier.
    expect(p.get('P6')!.probability).toBeCloseTo(1 - (1 - 0.012) * (1 - 0.011) ** (3 / 60), 12);
    expect(p.get('P6')).toMatchObject({ tier: null, placement: 'none', releaseOn: null, pcrDates: [] });
    expect(exposureProbability(0.5, 0, 600, 1)).toBe(0.5);
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
      /^lives with close contact P3 \(3 night\(s\) since their exposure\) \(p=0\.04×0\.38=0\.02\); P\(infected\)=0\.02;/,
    );
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
  });

  test('score: household size, centrality and vulnerability, explained in words and numbers', () => {
    const p = resolveParameters({
      overrides: [
        'pathogen.attackRates.social=0.5',
        'pathogen.attackRates.work=0.2',
        'pathogen.riskPerHour=0',
        'protocol.traceContactsOfCloseContacts=false',
      ],
    });
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
    // A: P = 1 - 0.5 * 0.8 = 0.6; x (1 + 0.1 * 4 + 0.5 * 1) x 1.2 = 1.368.
    expect(a).toMatchObject({ personId: 'A', priority: 1, householdSize: 5, centrality: 1 });
    expect(a!.probability).toBeCloseTo(0.6, 12);
    expect(a!.score).toBeCloseTo(0.6 * 1.9 * 1.2, 12);
    expect(a!.reasons).toBe(
      'social contact with case C1 for 1 h (p=0.50); work contact with case C2 for 1 h (p=0.20); P(infected)=0.60; ' +
        'household of 5 (+40%); centrality 1.00 of the highest (+50%); age 67 (+20%); score 1.368',
    );
    // D: P = 0.2; x (1 + 0.5 * 0.5) = 0.25.
    expect(d).toMatchObject({ personId: 'D', priority: 2, householdSize: 1, centrality: 0.5 });
    expect(d!.score).toBeCloseTo(0.25, 12);
    expect(d!.reasons).toBe(
      'work contact with case C1 for 1 h (p=0.20); P(infected)=0.20; centrality 0.50 of the highest (+25%); score 0.250',
    );
  });

  describe('bed allocation', () => {
    // Probabilities by reported-contact setting, no dose and no weights: the score is the attack rate.
    const p = resolveParameters({
      overrides: [
        'pathogen.attackRates.household=0.5',
        'pathogen.attackRates.work=0.4',
        'pathogen.attackRates.social=0.3',
        'pathogen.attackRates.care=0.25',
        'pathogen.attackRates.transport=0.2',
        'pathogen.attackRates.casual=0.1',
        'pathogen.riskPerHour=0',
        'protocol.traceContactsOfCloseContacts=false',
        'protocol.quarantinePriority.householdMemberWeight=0',
        'protocol.quarantinePriority.centralityWeight=0',
        'protocol.quarantinePriority.vulnerableWeight=0',
      ],
    });
    const exposures = [
      contactExposure('A', 'C1', 'household'), // 0.5, home HA
      contactExposure('C', 'C1', 'work'), // 0.4, home HC
      contactExposure('D', 'C1', 'social'), // 0.3, home HD
      contactExposure('F', 'C1', 'care'), // 0.25, no home
      contactExposure('E', 'C1', 'transport'), // 0.2, home HA
      contactExposure('B', 'C1', 'other'), // 0.1, home HA
    ];
    const plan = (capacities: number[], capacity?: number) => {
      const data = outbreak({
        asOf: aug(6),
        cases: [{ personId: 'C1', classification: 'confirmed', onset: aug(1), confirmedAt: aug(6) }],
        persons: [
          person('A', 'HA'),
          person('B', 'HA'),
          person('E', 'HA'),
          person('C', 'HC'),
          person('D', 'HD'),
          person('F'),
        ],
        places: capacities.map((c, i) => place(`Q${i + 1}`, 'quarantine_site', { capacity: c })),
      });
      const result = prioritiseQuarantine(data, exposures, assignTiers(data, exposures, p), p, {
        asOf: data.asOf,
        exposureGraph: buildExposureGraph(exposures),
        capacity: capacity ?? null,
      });
      return {
        order: result.entries.map((e) => e.personId).join(''),
        at: Object.fromEntries(result.entries.map((e) => [e.personId, e.assignedSiteId ?? e.placement])),
        sites: result.sites,
        waiting: result.waiting,
      };
    };

    test('in priority order, a household together at the site that fits it best', () => {
      const r = plan([2, 3]);
      expect(r.order).toBe('ACDFEB');
      expect(r.at).toEqual({ A: 'Q2', E: 'Q2', B: 'Q2', C: 'Q1', D: 'Q1', F: 'waiting' });
      expect(r.sites).toEqual([
        { siteId: 'Q1', capacity: 2, assigned: 2 },
        { siteId: 'Q2', capacity: 3, assigned: 3 },
      ]);
      expect(r.waiting).toBe(1);
    });

    test('the overall capacity caps the beds used', () => {
      const r = plan([2, 3], 4);
      expect(r.at).toEqual({ A: 'Q2', E: 'Q2', B: 'Q2', C: 'Q1', D: 'waiting', F: 'waiting' });
      expect(plan([2, 3], 0).waiting).toBe(6);
    });

    test('a household no site can hold is split, the first member taking the roomiest site', () => {
      const r = plan([2, 2]);
      expect(r.at).toEqual({ A: 'Q1', C: 'Q1', D: 'Q2', F: 'Q2', E: 'waiting', B: 'waiting' });
    });

    test('no quarantine sites: everybody waits', () => {
      expect(plan([]).waiting).toBe(6);
    });
  });
});
