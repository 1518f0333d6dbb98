import { computeExposures } from '../../src/analysis/exposures';
import type { Exposure } from '../../src/analysis/model';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import {
  assignTiers,
  evidenceSourcesOf,
  TIER_RANK,
  tierOfExposure,
  type TierEvidence,
} from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import type { Case } from '../../src/domain/types';
import { scatteredAndByPerson } from './network-fixtures';
import { aug, outbreak, person, place, positive, stay } from './outbreak-fixtures';

const params = resolveParameters();
const C1: Case = { personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') };
const C2: Case = {
  personId: 'C2',
  classification: 'asymptomatic',
  onset: null,
  confirmedAt: aug(7, '10:00'),
};

/** C1 infectious over [Aug 3 00:00, Aug 6 10:00]; analysis at Aug 7 12:00. */
function district(p = params) {
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
      person('P8', 'H3'),
      person('P5'),
      person('P6'),
      person('P7'),
      person('P9'),
      person('P10'),
    ],
    places: [place('H1', 'home'), place('H3', 'home'), place('W1', 'workplace'), place('MKT', 'market')],
    stays: [
      stay('C1', 'W1', aug(4, '09:00'), aug(4, '12:00')),
      stay('P3', 'W1', aug(4, '09:00'), aug(4, '09:20')), // 20 min in a workshop: close contact
      stay('P4', 'W1', aug(4, '11:50'), aug(4, '12:10')), // 10 min: venue-exposed only
      stay('C2', 'W1', aug(4, '09:00'), aug(4, '09:30')), // a case: never listed
      stay('C1', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('P5', 'MKT', aug(5, '15:00'), aug(5, '16:00')), // 60 min at a market: venue-exposed
      stay('P6', 'MKT', aug(5, '15:57'), aug(5, '16:30')), // 3 min: nothing
    ],
    contacts: [
      { personA: 'C1', personB: 'P7', start: aug(5, '19:00'), end: aug(5, '21:00'), setting: 'social' },
      { personA: 'P9', personB: 'P7', start: aug(6, '18:00'), end: aug(6, '19:00'), setting: 'social' },
      { personA: 'P7', personB: 'P10', start: aug(4, '10:00'), end: aug(4, '11:00'), setting: 'work' },
    ],
  });
  return { data, exposures: computeExposures(data, p) };
}

describe('assignTiers', () => {
  test('throws on invalid input', () => {
    const { data, exposures } = district();
    expect(() => assignTiers({ ...data, asOf: Number.NaN }, exposures, params)).toThrow(/field "asOf"/);
    const bad: Exposure = { ...exposures[0]!, minutes: -1 };
    expect(() => assignTiers(data, [bad], params)).toThrow(
      /exposures\[0\] \(.+\): field "minutes" is negative/,
    );
  });

  test('no exposures: nobody is listed', () => {
    const { data } = district();
    expect(assignTiers(data, [], params)).toEqual([]);
  });

  test('close contacts, contacts of close contacts and venue-exposed, highest tier kept', () => {
    const { data, exposures } = district();
    const tiers = assignTiers(data, exposures, params);
    expect(tiers.map((e) => [e.personId, e.tier, e.sourceIds])).toEqual([
      ['P2', 'close_contact', ['C1']],
      ['P3', 'close_contact', ['C1']],
      ['P7', 'close_contact', ['C1']],
      ['P4', 'contact_of_close_contact', ['P3']],
      ['P8', 'contact_of_close_contact', ['P3']],
      ['P9', 'contact_of_close_contact', ['P7']],
      ['P5', 'venue_exposed', ['C1']],
    ]);
    const byId = new Map(tiers.map((e) => [e.personId, e]));

    // P2 lives with C1: nights Aug 2-3 (cut at 00:00, 7 h), 3-4, 4-5, 5-6 (9 h each).
    expect(byId.get('P2')!.evidence).toEqual([
      expect.objectContaining({
        tier: 'close_contact',
        setting: 'household',
        hostId: 'H1',
        nights: 4,
        minutes: 34 * 60,
      }),
    ]);
    expect(byId.get('P3')!.evidence[0]!.reason).toBe(
      'with case C1 at workplace W1 for 20 min (at least 15 min in an enclosed workplace), ' +
        '2022-08-04 09:00 to 2022-08-04 09:20',
    );
    expect(byId.get('P3')).toMatchObject({ firstExposure: aug(4, '09:00'), lastExposure: aug(4, '09:20') });

    // P4 lives with close contact P3 from P3's exposure (Aug 4 09:00) to asOf: nights Aug 4-5, 5-6,
    // 6-7; P4's own 10 minutes at W1 stay as lower-tier evidence.
    const p4 = byId.get('P4')!;
    expect(p4.evidence.map((e) => [e.tier, e.sourceId, e.setting, e.minutes, e.nights])).toEqual([
      ['contact_of_close_contact', 'P3', 'household', 27 * 60, 3],
      ['venue_exposed', 'C1', 'place', 10, undefined],
    ]);
    expect(p4).toMatchObject({ firstExposure: aug(4, '22:00'), lastExposure: aug(7, '07:00') });
    expect(byId.get('P9')!.evidence[0]).toMatchObject({
      setting: 'contact',
      contactSetting: 'social',
      minutes: 60,
      start: aug(6, '18:00'),
    });
    expect(byId.get('P9')!.evidence[0]!.reason).toMatch(
      /^reported social contact with close contact P7 for 1 h,/,
    );
    expect(byId.get('P5')!.evidence[0]).toMatchObject({ minutes: 60, placeKind: 'market' });
    // P10 met P7 before P7 was exposed; P6 was at the market 3 minutes; C2 is a case.
    expect(byId.has('P10') || byId.has('P6') || byId.has('C2')).toBe(false);
  });

  test("a close contact's span for their contacts ends at their isolation, or their release", () => {
    // P3, a close contact since Aug 4 09:00 (last exposure 09:20), is taken to quarantine site Q1
    // on Aug 6 at 12:00. P11 met P3 before, P12 after; P4, who lives with P3, shares no night since.
    const { data } = district();
    data.asOf = aug(20);
    data.places.set('Q1', place('Q1', 'quarantine_site'));
    data.stays.push(stay('P3', 'Q1', aug(6, '12:00'), aug(11, '09:20')));
    data.contacts.push(
      { personA: 'P3', personB: 'P11', start: aug(6, '08:00'), end: aug(6, '09:00'), setting: 'work' },
      { personA: 'P3', personB: 'P12', start: aug(6, '15:00'), end: aug(6, '16:00'), setting: 'care' },
    );
    for (const id of ['P11', 'P12']) data.persons.set(id, person(id));
    const byId = new Map(
      assignTiers(data, computeExposures(data, params), params).map((e) => [e.personId, e]),
    );
    expect(byId.get('P11')?.tier).toBe('contact_of_close_contact');
    expect(byId.has('P12')).toBe(false);
    // Nights Aug 4-5, 5-6 (P3 left for Q1 on the 6th at 12:00), not those after.
    expect(byId.get('P4')!.evidence[0]).toMatchObject({
      setting: 'household',
      nights: 2,
      end: aug(6, '07:00'),
    });

    // Never isolated on record: P3 is released 7 days after the last exposure (Aug 11 09:20), and
    // the nights at home with P4 end there, not at asOf (Aug 20).
    const { data: free } = district();
    free.asOf = aug(20);
    const p4 = assignTiers(free, computeExposures(free, params), params).find((e) => e.personId === 'P4')!;
    expect(p4.evidence[0]).toMatchObject({ setting: 'household', nights: 7, end: aug(11, '07:00') });
    expect(p4.lastExposure).toBe(aug(11, '07:00'));
  });

  test('a reported contact with a close contact counts from contactOfCloseContactMinutes, or as an instant', () => {
    const { data } = district();
    data.contacts.push(
      { personA: 'P7', personB: 'P11', start: aug(6, '20:00'), end: aug(6, '20:01'), setting: 'other' },
      { personA: 'P7', personB: 'P12', start: aug(6, '20:00'), end: aug(6, '20:15'), setting: 'social' },
      { personA: 'P13', personB: 'P7', start: aug(6, '21:00'), end: aug(6, '21:00'), setting: 'social' },
    );
    for (const id of ['P11', 'P12', 'P13']) data.persons.set(id, person(id));
    const tierOf = (p: typeof params) =>
      new Map(assignTiers(data, computeExposures(data, p), p).map((e) => [e.personId, e.tier]));
    const tiers = tierOf(params);
    expect([tiers.get('P11'), tiers.get('P12'), tiers.get('P13')]).toEqual([
      undefined,
      'contact_of_close_contact',
      'contact_of_close_contact',
    ]);
    const anyTime = tierOf(resolveParameters({ overrides: ['protocol.contactOfCloseContactMinutes=0'] }));
    expect(anyTime.get('P11')).toBe('contact_of_close_contact');
  });

  test('a reason is an own, enumerable field, last, as a copy or JSON sees it', () => {
    const { data, exposures } = district();
    const byId = new Map(assignTiers(data, exposures, params).map((e) => [e.personId, e]));
    const p3 = byId.get('P3')!.evidence[0]!;
    expect(Object.keys(p3).at(-1)).toBe('reason');
    expect({ ...p3 }.reason).toBe(p3.reason);
    expect(JSON.parse(JSON.stringify(p3)).reason).toMatch(/^with case C1 at workplace W1 for 20 min/);
    // Household evidence counts nights; other evidence has no such field.
    expect(Object.keys(byId.get('P2')!.evidence[0]!)).toContain('nights');
    expect(Object.keys(p3)).not.toContain('nights');
    const [household] = byId.get('P4')!.evidence;
    expect({ ...household }).toMatchObject({
      nights: 3,
      reason:
        'lives with close contact P3 at H3: 3 night(s) together since their exposure, ' +
        '2022-08-04 22:00 to 2022-08-07 07:00',
    });
  });

  test('evidence reads its instants and minutes from the exposure, and copies as plain data in field order', () => {
    const { data, exposures } = district();
    const byId = new Map(assignTiers(data, exposures, params).map((e) => [e.personId, e]));
    const p3 = byId.get('P3')!.evidence[0]!;
    const exposure = exposures.find((e) => e.personId === 'P3' && e.sourceId === 'C1')!;
    expect([p3.start, p3.end, p3.minutes]).toEqual([exposure.start, exposure.end, exposure.minutes]);
    expect(Object.keys(p3)).toEqual([
      'tier',
      'sourceId',
      'sourceKind',
      'setting',
      'hostId',
      'placeKind',
      'contactSetting',
      'start',
      'end',
      'minutes',
      'reason',
    ]);
    const copy = { ...p3 };
    expect(Object.getOwnPropertyDescriptor(copy, 'start')).toMatchObject({
      value: exposure.start,
      writable: true,
    });
    expect(JSON.parse(JSON.stringify(p3))).toMatchObject({
      start: exposure.start,
      end: exposure.end,
      minutes: 20,
    });
    const [household] = byId.get('P4')!.evidence;
    expect(Object.keys(household!).slice(7)).toEqual(['start', 'end', 'minutes', 'nights', 'reason']);
    expect({ ...household }).toMatchObject({
      start: aug(4, '22:00'),
      end: aug(7, '07:00'),
      minutes: 27 * 60,
    });
  });

  test('evidence is built when read, from the exposures themselves, in the order of a stable sort by tier, start and source', () => {
    // Few persons, sources and instants, so that ties (same start, same source) are common.
    const twenty = resolveParameters({ protocol: 'cn-20-measures-2022' });
    const exposureArb = fc.record({
      personId: fc.constantFrom('P1', 'P2', 'P3'),
      sourceId: fc.constantFrom('C1', 'C2', 'MKT'),
      setting: fc.constantFrom('household', 'place', 'contact'),
      hostId: fc.constantFrom('H1', 'W1', 'MKT'),
      placeKind: fc.constantFrom('workplace', 'market'),
      start: fc.integer({ min: 0, max: 3 }),
      minutes: fc.integer({ min: 0, max: 90 }),
    });
    fc.assert(
      fc.property(fc.array(exposureArb, { maxLength: 40 }), (drawn) => {
        const exposures: Exposure[] = drawn.map((d) => ({
          ...d,
          sourceKind: d.sourceId === 'MKT' ? 'place' : 'case',
          setting: d.setting as Exposure['setting'],
          contactSetting: d.setting === 'contact' ? 'social' : null,
          start: aug(4) + d.start * 3_600_000,
          end: aug(4) + d.start * 3_600_000 + d.minutes * 60_000,
        }));
        const { data } = district(twenty);
        const entries = assignTiers({ ...data, cases: [] }, exposures, twenty);
        for (const entry of entries) {
          const expected = exposures
            .filter((e) => e.personId === entry.personId && tierOfExposure(e, twenty.protocol) !== null)
            .map((e) => ({ e, tier: tierOfExposure(e, twenty.protocol)! }))
            .sort(
              (a, b) =>
                TIER_RANK[b.tier] - TIER_RANK[a.tier] ||
                a.e.start - b.e.start ||
                a.e.sourceId.localeCompare(b.e.sourceId),
            );
          const sources = evidenceSourcesOf(entry);
          expect(sources).toHaveLength(expected.length);
          expected.forEach(({ e }, i) => expect(sources[i]).toBe(e));
          const fields = (ev: TierEvidence) => [
            ev.tier,
            ev.sourceId,
            ev.hostId,
            ev.start,
            ev.end,
            ev.minutes,
          ];
          expect(entry.evidence.map(fields)).toEqual(
            expected.map(({ e, tier }) => [tier, e.sourceId, e.hostId, e.start, e.end, e.minutes]),
          );
          // The kept tier is the highest, and the entry's sources and times are its evidence's.
          const kept = expected.filter(({ tier }) => tier === expected[0]!.tier).map(({ e }) => e);
          expect(entry.tier).toBe(expected[0]!.tier);
          expect(entry.sourceIds).toEqual([...new Set(kept.map((e) => e.sourceId))].sort());
          expect(entry.firstExposure).toBe(Math.min(...kept.map((e) => e.start)));
          expect(entry.lastExposure).toBe(Math.max(...kept.map((e) => e.end)));
        }
        // Everybody with a qualifying exposure, once, whether their exposures come in one run or
        // several.
        const listed = new Set(
          exposures.filter((e) => tierOfExposure(e, twenty.protocol) !== null).map((e) => e.personId),
        );
        expect(entries.map((entry) => entry.personId)).toEqual(
          [...listed].sort((a, b) => {
            const rank = (id: string) => TIER_RANK[entries.find((x) => x.personId === id)!.tier];
            return rank(b) - rank(a) || a.localeCompare(b);
          }),
        );
      }),
    );
  });

  test("a person exposed to many sources lists each of the kept tier's once, in code-unit order", () => {
    // Past a few sources the entry keeps a set beside the list: both ways must agree.
    const sourceIds = Array.from({ length: 20 }, (_, i) => `C${i + 1}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sourceId: fc.constantFrom(...sourceIds),
            start: fc.integer({ min: 0, max: 47 }),
            minutes: fc.integer({ min: 0, max: 60 }),
          }),
          { minLength: 30, maxLength: 80 },
        ),
        (drawn) => {
          const exposures: Exposure[] = drawn.map((d) => ({
            personId: 'P1',
            sourceId: d.sourceId,
            sourceKind: 'case',
            setting: 'place',
            hostId: 'W1',
            placeKind: 'workplace',
            contactSetting: null,
            start: aug(4) + d.start * 3_600_000,
            end: aug(4) + d.start * 3_600_000 + d.minutes * 60_000,
            minutes: d.minutes,
          }));
          const { data } = district();
          const [entry] = assignTiers({ ...data, cases: [] }, exposures, params);
          const tiered = exposures.filter((e) => tierOfExposure(e, params.protocol) !== null);
          if (tiered.length === 0) return expect(entry).toBeUndefined();
          const kept = tiered.filter((e) => tierOfExposure(e, params.protocol) === entry!.tier);
          const distinct = [...new Set(kept.map((e) => e.sourceId))].sort((a, b) =>
            a < b ? -1 : a > b ? 1 : 0,
          );
          expect(entry!.sourceIds).toEqual(distinct);
        },
      ),
    );
  });

  test('evidence is not kept: each read builds it anew; a copy of an entry keeps it as data', () => {
    const { data, exposures } = district();
    const p3 = assignTiers(data, exposures, params).find((e) => e.personId === 'P3')!;
    expect(p3.evidence).not.toBe(p3.evidence);
    expect(p3.evidence[0]).not.toBe(p3.evidence[0]);
    expect(p3.evidence).toEqual(p3.evidence);
    // What a worker sends back: plain data, whose evidence is what its sources are.
    const copy = structuredClone(p3);
    expect(Object.getOwnPropertyDescriptor(copy, 'evidence')).toHaveProperty('value');
    expect(copy).toEqual(p3);
    expect(evidenceSourcesOf(copy)).toBe(copy.evidence);
    expect(Object.keys(p3)).toEqual([
      'personId',
      'tier',
      'evidence',
      'sourceIds',
      'firstExposure',
      'lastExposure',
    ]);
  });

  test("the same tiers whether a person's exposures come in one run or scattered among others'", () => {
    const rng = seedrandom('tiers in runs');
    for (let round = 0; round < 10; round++) {
      const { data, scattered, byPerson } = scatteredAndByPerson(rng);
      const tiers = assignTiers(data, scattered, params);
      expect(tiers.length).toBeGreaterThan(5);
      expect(tiers).toEqual(assignTiers(data, byPerson, params));
      // Each person's qualifying exposures, all of them: nothing lost where a run was broken.
      const listed = new Set(tiers.map((t) => t.personId));
      for (const t of tiers) {
        const own = scattered.filter((e) => e.personId === t.personId && tierOfExposure(e, params.protocol));
        expect(evidenceSourcesOf(t).filter((e) => own.includes(e as Exposure))).toHaveLength(own.length);
      }
      for (const c of data.cases) expect(listed.has(c.personId)).toBe(false);
    }
  });

  test('the 20 measures trace no contacts of close contacts', () => {
    const twenty = resolveParameters({ protocol: 'cn-20-measures-2022' });
    const { data, exposures } = district(twenty);
    const tiers = assignTiers(data, exposures, twenty);
    expect(tiers.map((e) => [e.personId, e.tier])).toEqual([
      ['P2', 'close_contact'],
      ['P3', 'close_contact'],
      ['P7', 'close_contact'],
      ['P4', 'venue_exposed'],
      ['P5', 'venue_exposed'],
    ]);
  });

  test('a household member away every night since the exposure is not a contact of a close contact', () => {
    const { data } = district();
    data.stays.push(stay('P8', 'W1', aug(4, '20:00'), aug(7, '12:00')));
    const tiers = assignTiers(data, computeExposures(data, params), params);
    expect(tiers.find((e) => e.personId === 'P8')).toBeUndefined();
  });

  test('a contact with a close contact that ends at their first exposure makes no contact of a close contact (audit D2)', () => {
    // P7 became a close contact at their social contact with C1, from Aug 5 19:00. P11's contact
    // with P7 ends exactly then (no time after the exposure); P12's is an instant after it.
    const { data } = district();
    data.contacts.push(
      { personA: 'P11', personB: 'P7', start: aug(5, '18:00'), end: aug(5, '19:00'), setting: 'social' },
      { personA: 'P12', personB: 'P7', start: aug(5, '22:00'), end: aug(5, '22:00'), setting: 'social' },
    );
    const tiers = assignTiers(data, computeExposures(data, params), params);
    expect(tiers.find((e) => e.personId === 'P11')).toBeUndefined();
    const p12 = tiers.find((e) => e.personId === 'P12')!;
    expect(p12.tier).toBe('contact_of_close_contact');
    expect(p12.evidence[0]!.reason).toBe(
      'reported social contact with close contact P7 at 2022-08-05 22:00 (no duration recorded)',
    );
  });

  test('tierOfExposure: settings that always qualify, and the minute thresholds at places', () => {
    const base: Exposure = {
      personId: 'P',
      sourceId: 'S',
      sourceKind: 'case',
      setting: 'place',
      hostId: 'X',
      placeKind: 'restaurant',
      contactSetting: null,
      start: 0,
      end: 0,
      minutes: 15,
    };
    const p = params.protocol;
    expect(tierOfExposure({ ...base, setting: 'boat', placeKind: null, minutes: 1 }, p)).toBe(
      'close_contact',
    );
    expect(tierOfExposure({ ...base, setting: 'cold_chain', sourceKind: 'item', minutes: 0 }, p)).toBe(
      'close_contact',
    );
    expect(tierOfExposure({ ...base, setting: 'contact', minutes: 0 }, p)).toBe('close_contact');
    expect(tierOfExposure(base, p)).toBe('close_contact');
    expect(tierOfExposure({ ...base, minutes: 14.9 }, p)).toBe('venue_exposed');
    expect(tierOfExposure({ ...base, placeKind: 'checkpoint', minutes: 120 }, p)).toBe('venue_exposed');
    expect(tierOfExposure({ ...base, minutes: 4.9 }, p)).toBeNull();
    expect(tierOfExposure({ ...base, placeKind: null, minutes: 5 }, p)).toBe('venue_exposed');
  });
});
