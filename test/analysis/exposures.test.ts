import fc from 'fast-check';
import { simulate, snapshot } from '../../bench/validation/simulate';
import {
  DEFAULTS,
  compareLocale,
  localeRanks,
  computeExposures,
  NightPieces,
  nightsTogether,
  nightsOverlapping,
  protocolAndInferenceExposures,
  sameExposureParameters,
  unionSpans,
  type Span,
} from '../../src/analysis/exposures';
import { windowsOfCases } from '../../src/analysis/infectious-window';
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import { resolveParameters } from '../../src/domain/parameters';
import { DAY, HOUR, MINUTE } from '../../src/domain/time';
import type { Case, Stay } from '../../src/domain/types';
import { aug, boat, item, negative, outbreak, person, place, positive, stay, t } from './outbreak-fixtures';

const params = resolveParameters();

/** C1: onset Aug 5, confirmed Aug 6 10:00, so infectious over [Aug 3 00:00, Aug 6 10:00]. */
const C1: Case = { personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') };
/** C2: asymptomatic, first positive Aug 7 09:00, confirmed Aug 8 09:00: [Aug 5 09:00, Aug 8 09:00]. */
const C2: Case = {
  personId: 'C2',
  classification: 'asymptomatic',
  onset: null,
  confirmedAt: aug(8, '09:00'),
};
const C2_SAMPLES = [positive('C2', aug(7, '09:00'))];

const brief = (e: Exposure) => ({
  personId: e.personId,
  sourceId: e.sourceId,
  setting: e.setting,
  hostId: e.hostId,
  minutes: e.minutes,
});

describe('computeExposures', () => {
  test('throws on invalid input', () => {
    expect(() => computeExposures(outbreak({ asOf: Number.NaN }), params)).toThrow(/field "asOf"/);
    const backwards = outbreak({ asOf: aug(10), stays: [stay('P1', 'MKT', aug(2), aug(1))] });
    expect(() => computeExposures(backwards, params)).toThrow(
      /stays\[0\] \(P1 at MKT\): field "end" is before "start"/,
    );
  });

  test('no cases and no contaminated sources: no exposures', () => {
    const data = outbreak({
      asOf: aug(10),
      persons: [person('P1')],
      stays: [stay('P1', 'MKT', aug(4), aug(5))],
    });
    expect(computeExposures(data, params)).toEqual([]);
  });

  test('people held apart at a quarantine site do not expose each other there', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: ['C1', 'P2', 'P3'].map((id) => person(id)),
      places: [place('QS', 'quarantine_site'), place('WK', 'workplace')],
      stays: [
        stay('C1', 'QS', aug(4), aug(6)),
        stay('P2', 'QS', aug(4), aug(6)),
        stay('C1', 'WK', aug(3, '08:00'), aug(3, '09:00')),
        stay('P3', 'WK', aug(3, '08:30'), aug(3, '10:00')),
      ],
    });
    expect(computeExposures(data, params).map(brief)).toEqual([
      { personId: 'P3', sourceId: 'C1', setting: 'place', hostId: 'WK', minutes: 30 },
    ]);
    const counted = resolveParameters({ overrides: ['protocol.isolationPlaceKinds=[]'] });
    expect(computeExposures(data, counted).map(brief)).toContainEqual({
      personId: 'P2',
      sourceId: 'C1',
      setting: 'place',
      hostId: 'QS',
      minutes: 2 * 24 * 60,
    });
  });

  test('co-presence at a place: overlap minutes, merged stays, touching and out-of-window stays', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: ['C1', 'P2', 'P3', 'P4', 'P5'].map((id) => person(id)),
      places: [place('MKT', 'market')],
      stays: [
        stay('C1', 'MKT', aug(4, '09:30'), aug(4, '11:00')),
        stay('P2', 'MKT', aug(4, '09:00'), aug(4, '10:00')), // 30 min
        stay('P3', 'MKT', aug(4, '09:00'), aug(4, '09:40')), // 10 min ...
        stay('P3', 'MKT', aug(4, '10:30'), aug(4, '12:00')), // ... + 30 min
        stay('P5', 'MKT', aug(4, '11:00'), aug(4, '12:00')), // touches only
        stay('C1', 'MKT', aug(2, '09:00'), aug(2, '10:00')), // before the window
        stay('P4', 'MKT', aug(2, '09:00'), aug(2, '10:00')),
      ],
    });
    expect(computeExposures(data, params)).toEqual([
      {
        personId: 'P2',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'place',
        hostId: 'MKT',
        placeKind: 'market',
        contactSetting: null,
        start: aug(4, '09:30'),
        end: aug(4, '10:00'),
        minutes: 30,
      },
      {
        personId: 'P3',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'place',
        hostId: 'MKT',
        placeKind: 'market',
        contactSetting: null,
        start: aug(4, '09:30'),
        end: aug(4, '11:00'),
        minutes: 40,
      },
    ]);
  });

  test('duplicate and overlapping stays of the same person count once', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      stays: [
        stay('C1', 'MKT', aug(4, '09:00'), aug(4, '11:00')),
        stay('C1', 'MKT', aug(4, '09:00'), aug(4, '11:00')),
        stay('P2', 'MKT', aug(4, '08:00'), aug(4, '10:00')),
        stay('P2', 'MKT', aug(4, '09:30'), aug(4, '10:30')),
      ],
    });
    expect(computeExposures(data, params).map(brief)).toEqual([
      { personId: 'P2', sourceId: 'C1', setting: 'place', hostId: 'MKT', minutes: 90 },
    ]);
  });

  test('aboard a boat with a case: setting boat, no place kind', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      boats: [boat('B1')],
      stays: [
        stay('C1', 'B1', aug(5, '04:00'), aug(5, '18:00')),
        stay('P6', 'B1', aug(5, '04:00'), aug(5, '12:00')),
      ],
    });
    expect(computeExposures(data, params)).toEqual([
      {
        personId: 'P6',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'boat',
        hostId: 'B1',
        placeKind: null,
        contactSetting: null,
        start: aug(5, '04:00'),
        end: aug(5, '12:00'),
        minutes: 480,
      },
    ]);
  });

  test('household: together each night of the window, minus the time someone spent elsewhere', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: [person('C1', 'H1'), person('P7', 'H1'), person('P8', 'H1'), person('P9', 'H2')],
      places: [place('H1', 'home'), place('R1', 'restaurant')],
      boats: [boat('B1')],
      stays: [
        // C1 at sea from 04:00 on Aug 5: the night of Aug 4-5 counts 22:00-04:00 (6 h).
        stay('C1', 'B1', aug(5, '04:00'), aug(5, '18:00')),
        // P8 out until 23:00 on Aug 3: the night of Aug 3-4 counts 23:00-07:00 (8 h).
        stay('P8', 'R1', aug(3, '21:00'), aug(3, '23:00')),
      ],
    });
    const household = computeExposures(data, params).filter((e) => e.setting === 'household');
    // Window [Aug 3 00:00, Aug 6 10:00]. Nights: Aug 2-3 cut to 00:00-07:00 (7 h), Aug 3-4 (9 h),
    // Aug 4-5 until C1 left at 04:00 (6 h), Aug 5-6 (9 h). P7: 7 + 9 + 6 + 9 = 31 h over 4 nights
    // (the whole night of Aug 4-5 used to be dropped: 25 h, 3 nights). P8: 7 + 8 + 6 + 9 = 30 h over
    // 4 nights (used to be 16 h, 2 nights).
    expect(household).toEqual([
      {
        personId: 'P7',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'household',
        hostId: 'H1',
        placeKind: 'home',
        contactSetting: null,
        start: aug(3),
        end: aug(6, '07:00'),
        minutes: 31 * 60,
        nights: 4,
      },
      {
        personId: 'P8',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'household',
        hostId: 'H1',
        placeKind: 'home',
        contactSetting: null,
        start: aug(3),
        end: aug(6, '07:00'),
        minutes: 30 * 60,
        nights: 4,
      },
    ]);
  });

  test("household: the nights are the protocol's, from householdNightStartHour to householdNightEndHour", () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: [person('C1', 'H1'), person('P7', 'H1')],
      places: [place('H1', 'home')],
    });
    const nights = (p: typeof params) => {
      const [e] = computeExposures(data, p).filter((x) => x.setting === 'household');
      return [e!.start, e!.end, e!.minutes / 60, e!.nights];
    };
    // Window [Aug 3 00:00, Aug 6 10:00]. 22:00-07:00: 7 + 9 + 9 + 9 h.
    expect(nights(params)).toEqual([aug(3), aug(6, '07:00'), 34, 4]);
    // 20:00-06:00: 6 + 10 + 10 + 10 h.
    const early = resolveParameters({
      overrides: ['protocol.householdNightStartHour=20', 'protocol.householdNightEndHour=6'],
    });
    expect(nights(early)).toEqual([aug(3), aug(6, '06:00'), 36, 4]);
    expect(() => resolveParameters({ overrides: ['protocol.householdNightStartHour=6'] })).toThrow(
      'invalid parameters: protocol.householdNightStartHour: a night runs from an evening hour to a morning hour',
    );
  });

  test('household: a night broken by an outing counts its two pieces, once as a night', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: [person('C1', 'H1'), person('P7', 'H1')],
      places: [place('H1', 'home'), place('K1', 'clinic')],
      stays: [
        // P7 at the clinic 01:00-02:30 on Aug 4, and C1 out 02:00-03:00 the same night: apart from
        // 01:00 to 03:00 (the union of both absences), together 22:00-01:00 and 03:00-07:00 (7 h).
        stay('P7', 'K1', aug(4, '01:00'), aug(4, '02:30')),
        stay('C1', 'K1', aug(4, '02:00'), aug(4, '03:00')),
        // A stay at home itself takes nothing away.
        stay('C1', 'H1', aug(5, '20:00'), aug(6, '08:00')),
      ],
    });
    const [household, ...rest] = computeExposures(data, params).filter((e) => e.setting === 'household');
    expect(rest).toEqual([]);
    // Aug 2-3 cut to 00:00-07:00 (7 h), Aug 3-4 7 h, Aug 4-5 9 h, Aug 5-6 9 h: 32 h over 4 nights.
    expect(household).toMatchObject({
      personId: 'P7',
      sourceId: 'C1',
      start: aug(3),
      end: aug(6, '07:00'),
      minutes: 32 * 60,
      nights: 4,
    });
  });

  test('a case taken to a quarantine site before its confirmation exposes no one from then', () => {
    // C1 (window from Aug 3) is taken to Q1 on Aug 5 at 12:00, confirmed on Aug 6 at 10:00.
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      persons: [person('C1'), person('P7'), person('P8')],
      places: [place('Q1', 'quarantine_site')],
      stays: [stay('C1', 'Q1', aug(5, '12:00'), aug(12))],
      contacts: [
        { personA: 'C1', personB: 'P7', start: aug(5, '09:00'), end: aug(5, '10:00'), setting: 'social' },
        { personA: 'C1', personB: 'P8', start: aug(5, '15:00'), end: aug(5, '16:00'), setting: 'care' },
      ],
    });
    expect(computeExposures(data, params).map((e) => [e.personId, e.setting])).toEqual([['P7', 'contact']]);
    // Without quarantine sites among the isolation places, the stay isolates no one.
    const noSites = resolveParameters({ overrides: ['protocol.isolationPlaceKinds=[]'] });
    expect(computeExposures(data, noSites).map((e) => e.personId)).toEqual(['P7', 'P8']);
  });

  test('reported contacts: clipped to the window, with their setting', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      contacts: [
        { personA: 'C1', personB: 'P9', start: aug(5, '19:00'), end: aug(5, '21:00'), setting: 'social' },
        { personA: 'P10', personB: 'C1', start: aug(1, '10:00'), end: aug(3, '01:00'), setting: 'work' },
        { personA: 'P11', personB: 'C1', start: aug(7, '10:00'), end: aug(7, '11:00'), setting: 'work' },
      ],
    });
    expect(computeExposures(data, params)).toEqual([
      {
        personId: 'P10',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'contact',
        hostId: null,
        placeKind: null,
        contactSetting: 'work',
        start: aug(3),
        end: aug(3, '01:00'),
        minutes: 60,
      },
      {
        personId: 'P9',
        sourceId: 'C1',
        sourceKind: 'case',
        setting: 'contact',
        hostId: null,
        placeKind: null,
        contactSetting: 'social',
        start: aug(5, '19:00'),
        end: aug(5, '21:00'),
        minutes: 120,
      },
    ]);
  });

  test('reported contacts with no time in the window are no exposure; one recorded as an instant is', () => {
    // Regression (audit D2): a contact ending exactly as the window opened, or starting exactly at
    // the isolation, was kept as an exposure of 0 minutes and then weighed as a whole episode.
    const data = outbreak({
      asOf: aug(10),
      cases: [C1],
      contacts: [
        // C1's window is [Aug 3 00:00, Aug 6 10:00].
        { personA: 'C1', personB: 'P1', start: aug(2, '21:00'), end: aug(3), setting: 'social' },
        { personA: 'C1', personB: 'P2', start: aug(6, '10:00'), end: aug(6, '11:00'), setting: 'social' },
        { personA: 'C1', personB: 'P3', start: aug(2, '21:00'), end: aug(3, '00:01'), setting: 'social' },
        // Instants: one in the window, one as it opens, one at the isolation.
        { personA: 'P4', personB: 'C1', start: aug(4, '12:00'), end: aug(4, '12:00'), setting: 'work' },
        { personA: 'P5', personB: 'C1', start: aug(3), end: aug(3), setting: 'work' },
        { personA: 'P6', personB: 'C1', start: aug(6, '10:00'), end: aug(6, '10:00'), setting: 'work' },
      ],
    });
    expect(computeExposures(data, params).map(brief)).toEqual([
      { personId: 'P3', sourceId: 'C1', setting: 'contact', hostId: null, minutes: 1 },
      { personId: 'P4', sourceId: 'C1', setting: 'contact', hostId: null, minutes: 0 },
      { personId: 'P5', sourceId: 'C1', setting: 'contact', hostId: null, minutes: 0 },
    ]);
  });

  test('cases are exposed to cases, both ways, but only until their own isolation', () => {
    const data = outbreak({
      asOf: aug(10),
      cases: [C1, C2],
      samples: C2_SAMPLES,
      places: [place('R1', 'restaurant'), place('MKT', 'market')],
      stays: [
        stay('C2', 'R1', aug(6, '08:00'), aug(6, '09:00')),
        stay('C1', 'R1', aug(6, '08:30'), aug(6, '09:30')),
        // After C1's isolation (Aug 6 10:00): C1 can neither infect nor be infected here.
        stay('C1', 'MKT', aug(7, '10:00'), aug(7, '11:00')),
        stay('C2', 'MKT', aug(7, '10:00'), aug(7, '11:00')),
      ],
    });
    expect(computeExposures(data, params).map(brief)).toEqual([
      { personId: 'C1', sourceId: 'C2', setting: 'place', hostId: 'R1', minutes: 30 },
      { personId: 'C2', sourceId: 'C1', setting: 'place', hostId: 'R1', minutes: 30 },
    ]);
  });

  test('contaminated lot, boat and place: handlers, crews and visitors around the positive sample', () => {
    const data = outbreak({
      asOf: aug(10),
      items: [item('L1')],
      boats: [boat('B2')],
      places: [place('COLD', 'cold_storage')],
      samples: [
        positive('L1', aug(4, '12:00')),
        positive('B2', aug(6, '12:00')),
        positive('COLD', aug(3, '12:00')),
        negative('MKT', aug(3, '12:00')),
      ],
      handlings: [
        { personId: 'P12', itemId: 'L1', at: aug(1, '08:00') },
        { personId: 'P13', itemId: 'L1', at: t('2022-07-15T08:00:00+08:00') }, // more than 14 days before
      ],
      stays: [
        stay('P14', 'B2', aug(6, '06:00'), aug(6, '10:00')),
        stay('P15', 'COLD', aug(3, '08:00'), aug(3, '09:00')),
        stay('P16', 'MKT', aug(3, '08:00'), aug(3, '09:00')),
        stay('L1', 'COLD', aug(1), aug(9)), // a lot is not a person
      ],
    });
    expect(computeExposures(data, params)).toEqual([
      {
        personId: 'P12',
        sourceId: 'L1',
        sourceKind: 'item',
        setting: 'cold_chain',
        hostId: null,
        placeKind: null,
        contactSetting: null,
        start: aug(1, '08:00'),
        end: aug(1, '08:00'),
        minutes: 0,
      },
      {
        personId: 'P14',
        sourceId: 'B2',
        sourceKind: 'boat',
        setting: 'boat',
        hostId: 'B2',
        placeKind: null,
        contactSetting: null,
        start: aug(6, '06:00'),
        end: aug(6, '10:00'),
        minutes: 240,
      },
      {
        personId: 'P15',
        sourceId: 'COLD',
        sourceKind: 'place',
        setting: 'place',
        hostId: 'COLD',
        placeKind: 'cold_storage',
        contactSetting: null,
        start: aug(3, '08:00'),
        end: aug(3, '09:00'),
        minutes: 60,
      },
    ]);
  });

  test('nightsOverlapping: the night running at the start is included', () => {
    expect(nightsOverlapping(aug(3, '03:00'), aug(4, '12:00'))).toEqual([
      { start: aug(2, '22:00'), end: aug(3, '07:00') },
      { start: aug(3, '22:00'), end: aug(4, '07:00') },
    ]);
    expect(nightsOverlapping(aug(3, '08:00'), aug(3, '21:00'))).toEqual([]);
  });

  test('unionSpans joins overlapping and touching spans', () => {
    expect(
      unionSpans([
        { start: 5, end: 7 },
        { start: 0, end: 2 },
        { start: 2, end: 3 },
        { start: 6, end: 9 },
      ]),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 9 },
    ]);
  });
});

// ---- properties on random small neighbourhoods --------------------------------------------------

const PERSONS = ['A', 'B', 'C', 'D', 'E'];
const HOSTS = ['X', 'Y'];
const BASE = aug(1);

const arbStay = fc
  .record({
    subjectId: fc.constantFrom(...PERSONS),
    hostId: fc.constantFrom(...HOSTS),
    startHour: fc.integer({ min: 0, max: 8 * 24 }),
    hours: fc.integer({ min: 0, max: 30 }),
  })
  .map((s): Stay => ({
    subjectId: s.subjectId,
    hostId: s.hostId,
    start: BASE + s.startHour * HOUR,
    end: BASE + (s.startHour + s.hours) * HOUR,
  }));

const arbCase = fc
  .record({
    personId: fc.constantFrom(...PERSONS),
    onsetDay: fc.integer({ min: 1, max: 8 }),
    isolatedAfterHours: fc.option(fc.integer({ min: 0, max: 96 })),
  })
  .map((c): Case => ({
    personId: c.personId,
    classification: 'confirmed',
    onset: BASE + c.onsetDay * DAY,
    confirmedAt: c.isolatedAfterHours === null ? null : BASE + c.onsetDay * DAY + c.isolatedAfterHours * HOUR,
  }));

const arbOutbreak = fc
  .record({
    stays: fc.array(arbStay, { maxLength: 14 }),
    cases: fc.uniqueArray(arbCase, { selector: (c) => c.personId, maxLength: 3 }),
    asOfDay: fc.integer({ min: 3, max: 10 }),
  })
  .map(({ stays, cases, asOfDay }) =>
    outbreak({ asOf: BASE + asOfDay * DAY, stays, cases, places: HOSTS.map((h) => place(h, 'market')) }),
  );

/** Pairwise reference: the shared time of every (case, other person, host), by brute force. */
function bruteForceMinutes(data: ReturnType<typeof outbreak>): Map<string, number> {
  const windows = windowsOfCases(data.cases, data.samples, params, data.asOf);
  const result = new Map<string, number>();
  for (const [caseId, window] of windows) {
    for (const personId of PERSONS) {
      if (personId === caseId) continue;
      const limit = Math.min(windows.get(personId)?.to ?? data.asOf, data.asOf);
      for (const hostId of HOSTS) {
        // Minute by minute on the hour grid: every stay starts and ends on a whole hour.
        let minutes = 0;
        for (let at = BASE; at < BASE + 12 * DAY; at += HOUR) {
          const mid = at + HOUR / 2;
          const present = (id: string) =>
            data.stays.some(
              (s) => s.subjectId === id && s.hostId === hostId && s.start <= at && at + HOUR <= s.end,
            );
          if (mid > window.from && mid < window.to && mid < limit && present(caseId) && present(personId))
            minutes += 60;
        }
        if (minutes > 0) result.set(`${personId}|${caseId}|${hostId}`, minutes);
      }
    }
  }
  return result;
}

describe('computeExposures properties', () => {
  test('the sweep finds exactly the pairwise shared time', () => {
    fc.assert(
      fc.property(arbOutbreak, (data) => {
        // Stays, onsets and isolations all fall on whole hours, so the hour grid is exact.
        const got = new Map(
          computeExposures(data, params).map((e) => [`${e.personId}|${e.sourceId}|${e.hostId}`, e.minutes]),
        );
        expect(got).toEqual(bruteForceMinutes(data));
      }),
      { numRuns: 150 },
    );
  });

  test('exposure minutes never exceed the source case window, and nobody is exposed to themselves', () => {
    fc.assert(
      fc.property(arbOutbreak, (data) => {
        const windows = windowsOfCases(data.cases, data.samples, params, data.asOf);
        for (const e of computeExposures(data, params)) {
          const w = windows.get(e.sourceId)!;
          expect(e.personId).not.toBe(e.sourceId);
          expect(e.minutes).toBeLessThanOrEqual((w.to - w.from) / MINUTE);
          expect(e.start).toBeGreaterThanOrEqual(w.from);
          expect(e.end).toBeLessThanOrEqual(w.to);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a case isolated before an exposure is not exposed in it', () => {
    fc.assert(
      fc.property(arbOutbreak, (data) => {
        const windows = windowsOfCases(data.cases, data.samples, params, data.asOf);
        for (const e of computeExposures(data, params)) {
          const own = windows.get(e.personId);
          if (own) expect(e.end).toBeLessThanOrEqual(own.to);
          expect(e.end).toBeLessThanOrEqual(data.asOf);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('exposures come sorted by person, source, setting and host', () => {
    fc.assert(
      fc.property(arbOutbreak, (data) => {
        const keys = computeExposures(data, params).map((e) => [
          e.personId,
          e.sourceId,
          e.setting,
          e.hostId ?? '',
        ]);
        const sorted = [...keys].sort(
          (a, b) =>
            a[0]!.localeCompare(b[0]!) ||
            a[1]!.localeCompare(b[1]!) ||
            a[2]!.localeCompare(b[2]!) ||
            a[3]!.localeCompare(b[3]!),
        );
        expect(keys).toEqual(sorted);
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * Reference for forEachNightTogether: each night cut to [from, to], minus the union of both
 * persons' absences, span by span.
 */
function nightPiecesByUnion(from: number, to: number, awayA: Span[], awayB: Span[]): number[][] {
  const holes = unionSpans([...awayA, ...awayB]);
  const pieces: number[][] = [];
  for (const night of nightsOverlapping(from, to)) {
    const start = Math.max(night.start, from);
    const end = Math.min(night.end, to);
    if (!(end > start)) continue;
    let cursor = start;
    for (const hole of holes) {
      if (hole.end <= cursor) continue;
      if (hole.start >= end) break;
      if (hole.start > cursor) pieces.push([cursor, hole.start, night.start]);
      cursor = Math.max(cursor, hole.end);
    }
    if (cursor < end) pieces.push([cursor, end, night.start]);
  }
  return pieces;
}

describe('compareLocale', () => {
  test('the sign of localeCompare, for ids of digits and capitals and for any other text', () => {
    const id = fc.stringMatching(/^[0-9A-Z]{0,6}$/);
    const text = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(fc.oneof(id, text), fc.oneof(id, text), (a, b) => {
        expect(Math.sign(compareLocale(a, b))).toBe(Math.sign(a.localeCompare(b)));
      }),
      { numRuns: 2000 },
    );
    expect(compareLocale('P10', 'P9')).toBeLessThan(0);
    expect(compareLocale('B0001', 'FP001')).toBeLessThan(0);
    expect(compareLocale('cold_chain', 'contact')).toBeLessThan(0);
  });
});

describe('localeRanks', () => {
  test('ranks in the order of localeCompare, for ids of digits and capitals mixed with any other text', () => {
    const id = fc.stringMatching(/^[0-9A-Z]{0,6}$/);
    const text = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(id, id, text), { maxLength: 40 }), (texts) => {
        const ranks = localeRanks(texts);
        for (let a = 0; a < texts.length; a++) {
          for (let b = 0; b < texts.length; b++) {
            expect(Math.sign(ranks[a]! - ranks[b]!)).toBe(Math.sign(texts[a]!.localeCompare(texts[b]!)));
          }
        }
        // Dense: from 0, no rank skipped.
        const distinct = new Set(ranks);
        expect([...distinct].sort((x, y) => x - y)).toEqual([...Array(distinct.size).keys()]);
      }),
      { numRuns: 500 },
    );
    expect([...localeRanks(['P10', 'household', '', 'P9', 'B0001', 'contact'])]).toEqual([4, 3, 0, 5, 1, 2]);
  });
});

describe('nightsTogether', () => {
  const arbAbsences = fc.array(
    fc
      .record({ startHour: fc.integer({ min: 0, max: 6 * 24 }), hours: fc.integer({ min: 1, max: 40 }) })
      .map(({ startHour, hours }) => ({
        start: BASE + startHour * HOUR,
        end: BASE + (startHour + hours) * HOUR,
      })),
    { maxLength: 8 },
  );
  const flat = (spans: Span[]): Float64Array =>
    Float64Array.from(unionSpans(spans).flatMap((s) => [s.start, s.end]));
  /** The pieces as [start, end, night] triples; `out` starts with a stale piece, to be dropped. */
  const together = (from: number, to: number, awayA: Span[], awayB: Span[]): number[][] => {
    const out = new NightPieces();
    out.push(1, 2, 3);
    nightsTogether(from, to, flat(awayA), flat(awayB), DEFAULTS, out);
    return Array.from({ length: out.length }, (_, k) => [out.starts[k]!, out.ends[k]!, out.nights[k]!]);
  };

  test('the nights, minus the union of both persons absences, piece by piece', () => {
    fc.assert(
      fc.property(
        arbAbsences,
        arbAbsences,
        fc.integer({ min: 0, max: 5 * 24 }),
        fc.integer({ min: 0, max: 5 * 24 }),
        (awayA, awayB, fromHour, hours) => {
          const from = BASE + fromHour * HOUR;
          const to = from + hours * HOUR;
          expect(together(from, to, awayA, awayB)).toEqual(nightPiecesByUnion(from, to, awayA, awayB));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an absence over the whole span leaves nothing; one across midnight splits the night', () => {
    const pieces = (awayA: Span[]): number[][] => together(aug(3), aug(4, '12:00'), awayA, []);
    expect(pieces([{ start: aug(2), end: aug(5) }])).toEqual([]);
    expect(pieces([{ start: aug(3, '23:00'), end: aug(4, '01:00') }])).toEqual([
      [aug(3), aug(3, '07:00'), aug(2, '22:00')],
      [aug(3, '22:00'), aug(3, '23:00'), aug(3, '22:00')],
      [aug(4, '01:00'), aug(4, '07:00'), aug(3, '22:00')],
    ]);
  });
});

describe('protocolAndInferenceExposures', () => {
  const sameWindows = structuredClone(params);
  const wider = resolveParameters({ overrides: ['protocol.preOnsetDays=4'] });
  const district = snapshot(simulate({ seed: 's1', source: 'item', households: 250 }, params), aug(20));

  test('computed once when the windows are the same, and equal to computing both', () => {
    const check = (data: OutbreakData): void => {
      const both = protocolAndInferenceExposures(data, params, sameWindows);
      expect(both.inference).toBe(both.protocol);
      expect(both.protocol).toEqual(computeExposures(data, params));
      expect(both.inference).toEqual(computeExposures(data, sameWindows));
    };
    fc.assert(fc.property(arbOutbreak, check), { numRuns: 100 });
    check(district);
    expect(district.cases.length).toBeGreaterThan(5);
  });

  test('computed apart when the inference windows are wider: then only the exposures of cases', () => {
    expect(sameExposureParameters(district, params, wider)).toBe(false);
    const both = protocolAndInferenceExposures(district, params, wider);
    expect(both.protocol).toEqual(computeExposures(district, params));
    const caseIds = new Set(district.cases.map((c) => c.personId));
    const ofCases = (exposures: Exposure[]): Exposure[] => exposures.filter((e) => caseIds.has(e.personId));
    expect(both.inference).toEqual(ofCases(computeExposures(district, wider)));
    expect(both.inference.length).toBeGreaterThan(ofCases(both.protocol).length);
    fc.assert(
      fc.property(arbOutbreak, (data) => {
        const cases = new Set(data.cases.map((c) => c.personId));
        expect(protocolAndInferenceExposures(data, params, wider).inference).toEqual(
          computeExposures(data, wider).filter((e) => cases.has(e.personId)),
        );
      }),
      { numRuns: 100 },
    );
  });

  test('"the same" only when the exposures are bound to be equal', () => {
    const variants = [
      'pathogen.environmentalPersistenceDays=9',
      'protocol.isolationPlaceKinds=["quarantine_site","hospital"]',
      'protocol.preOnsetDays=3',
      'protocol.windowFromLastNegative=false',
      'protocol.screeningLookbackMaxDays=2',
      'protocol.closeContactMinutes=30',
    ].map((o) => resolveParameters({ overrides: [o] }));
    fc.assert(
      fc.property(arbOutbreak, fc.constantFrom(...variants), (data, other) => {
        if (sameExposureParameters(data, params, other))
          expect(computeExposures(data, other)).toEqual(computeExposures(data, params));
      }),
      { numRuns: 200 },
    );
    for (const other of variants.slice(0, 3))
      expect(sameExposureParameters(district, params, other)).toBe(false);
    expect(sameExposureParameters(district, params, variants.at(-1)!)).toBe(true);
  });
});
