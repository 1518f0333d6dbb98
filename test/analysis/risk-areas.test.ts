import { haversineKm, residentialAreaOf, riskAreas } from '../../src/analysis/risk-areas';
import { resolveParameters } from '../../src/domain/parameters';
import type { Case } from '../../src/domain/types';
import { aug, outbreak, person, place, positive, stay } from './outbreak-fixtures';

const params = resolveParameters();
/** Infectious over [Aug 3 00:00, Aug 6 10:00]. */
const C1: Case = { personId: 'C1', classification: 'confirmed', onset: aug(5), confirmedAt: aug(6, '10:00') };
/** Infectious over [Aug 7 09:00, Aug 9 20:00]. */
const C2: Case = {
  personId: 'C2',
  classification: 'asymptomatic',
  onset: null,
  confirmedAt: aug(9, '20:00'),
};

function district(asOf: number) {
  return outbreak({
    asOf,
    cases: [C1, C2],
    samples: [positive('C2', aug(9, '09:00'))],
    persons: [person('C1', 'H1'), person('C2', 'H2'), person('P3', 'H1')],
    places: [
      place('V1', 'village', { lat: 18.3, lon: 109.1 }),
      place('V2', 'village', { lat: 18.4, lon: 109.1 }),
      place('H1', 'home', { lat: 18.305, lon: 109.1 }), // 0.56 km from V1
      place('H2', 'home', { lat: 18.35, lon: 109.1 }), // 5.6 km from both villages
      place('MKT', 'market'),
      place('R1', 'restaurant'),
      place('W1', 'workplace'),
    ],
    stays: [
      stay('C1', 'MKT', aug(4, '09:00'), aug(4, '10:00')),
      stay('C1', 'R1', aug(4, '12:00'), aug(4, '13:00')),
      stay('C1', 'W1', aug(1, '09:00'), aug(1, '17:00')), // before the window
      stay('C1', 'R1', aug(8, '12:00'), aug(8, '13:00')), // after isolation
      stay('C2', 'R1', aug(8, '19:00'), aug(8, '19:00')), // a health-code scan: an instant counts
      stay('P3', 'W1', aug(4, '09:00'), aug(4, '10:00')), // not a case
    ],
  });
}

const summary = (asOf: number) =>
  riskAreas(district(asOf), params).map((a) => [a.placeId, a.level, a.liftOn, a.caseIds.join(',')]);

describe('riskAreas', () => {
  test('throws on invalid input', () => {
    expect(() => riskAreas(district(aug(10)), params, { asOf: Number.NaN })).toThrow(/option "asOf"/);
  });

  test('no cases: no risk areas', () => {
    expect(riskAreas(outbreak({ asOf: aug(10), places: [place('V1', 'village')] }), params)).toEqual([]);
  });

  test('residences (mapped to villages), high-risk venues and other places, with their lift days', () => {
    // Last infection: C1 isolated Aug 6, C2 Aug 9. High lifts after 7 whole days: Aug 14 / Aug 17.
    expect(summary(aug(10))).toEqual([
      ['H2', 'high', aug(17), 'C2'],
      ['MKT', 'high', aug(14), 'C1'],
      ['V1', 'high', aug(14), 'C1'],
      ['R1', 'medium', aug(17), 'C1,C2'],
    ]);
    const v1 = riskAreas(district(aug(10)), params).find((a) => a.placeId === 'V1')!;
    expect(v1).toMatchObject({
      designatedLevel: 'high',
      lastInfection: aug(6, '10:00'),
      placeKind: 'village',
    });
    expect(v1.reason).toBe(
      'residence of case C1 (home H1 is 0.56 km from village V1); last infection 2022-08-06; may be lowered on 2022-08-14',
    );
  });

  test('a stay that only touches the window, or at an isolation place, designates nothing', () => {
    const data = district(aug(10));
    data.places.set('R2', place('R2', 'restaurant'));
    data.places.set('HOSP', place('HOSP', 'hospital'));
    data.places.set('Q1', place('Q1', 'quarantine_site'));
    data.stays.push(
      stay('C1', 'R2', aug(2, '18:00'), aug(3)), // ends as C1's window opens
      stay('C1', 'HOSP', aug(6, '10:00'), aug(8)), // admitted at confirmation
      // C2 taken to quarantine on Aug 8 at 12:00: isolated from then, before its confirmation.
      stay('C2', 'Q1', aug(8, '12:00'), aug(9, '20:00')),
      stay('C2', 'HOSP', aug(8, '11:00'), aug(8, '11:00')), // a scan an hour before isolation counts
    );
    const areas = riskAreas(data, params).map((a) => [a.placeId, a.level, a.caseIds.join(',')]);
    // C2's scan at R1 (Aug 8 19:00) came after its isolation: R1 is C1's alone.
    expect(areas).toEqual([
      ['H2', 'high', 'C2'],
      ['MKT', 'high', 'C1'],
      ['V1', 'high', 'C1'],
      ['HOSP', 'medium', 'C2'],
      ['R1', 'medium', 'C1'],
    ]);
    // The last infection of C2's residence is its isolation, not its confirmation.
    expect(riskAreas(data, params).find((a) => a.placeId === 'H2')!.lastInfection).toBe(aug(8, '12:00'));
  });

  test('areas whose lift day has come are reported lowered', () => {
    expect(summary(aug(15))).toEqual([
      ['H2', 'high', aug(17), 'C2'],
      ['MKT', 'medium', aug(21), 'C1'],
      ['R1', 'medium', aug(17), 'C1,C2'],
      ['V1', 'medium', aug(21), 'C1'],
    ]);
    expect(summary(aug(22))).toEqual([
      ['H2', 'medium', aug(24), 'C2'],
      ['MKT', 'low', null, 'C1'],
      ['R1', 'low', null, 'C1,C2'],
      ['V1', 'low', null, 'C1'],
    ]);
    const mkt = riskAreas(district(aug(15)), params).find((a) => a.placeId === 'MKT')!;
    expect(mkt.designatedLevel).toBe('high');
    expect(mkt.reason).toMatch(
      /; last infection 2022-08-06; lowered from high to medium on 2022-08-14; may be lowered on 2022-08-21$/,
    );
  });

  test("a lowered area's reason says the day of each lowering", () => {
    const reasons = (asOf: number) =>
      Object.fromEntries(
        riskAreas(district(asOf), params).map((a) => [
          a.placeId,
          a.reason.replace(/^.*; last infection /, ''),
        ]),
      );
    // MKT: high until Aug 14, medium until Aug 21; R1 (medium) low from Aug 17; H2: high until
    // Aug 17, medium until Aug 24.
    expect(reasons(aug(21))).toEqual({
      H2: '2022-08-09; lowered from high to medium on 2022-08-17; may be lowered on 2022-08-24',
      MKT: '2022-08-06; lowered from high to medium on 2022-08-14 and to low on 2022-08-21',
      R1: '2022-08-09; lowered from medium to low on 2022-08-17',
      V1: '2022-08-06; lowered from high to medium on 2022-08-14 and to low on 2022-08-21',
    });
    // Not yet lowered: no day of lowering, only the day it may be.
    expect(reasons(aug(13, '23:59'))).toEqual({
      H2: '2022-08-09; may be lowered on 2022-08-17',
      MKT: '2022-08-06; may be lowered on 2022-08-14',
      R1: '2022-08-09; may be lowered on 2022-08-17',
      V1: '2022-08-06; may be lowered on 2022-08-14',
    });
  });

  test('an area lowered to low says the day it was lifted: high, then medium, then low', () => {
    const lifted = (asOf: number) =>
      riskAreas(district(asOf), params).map((a) => [a.placeId, a.level, a.liftOn, a.liftedOn]);
    // MKT: high until Aug 14, medium until Aug 21, low from then; R1 (medium) low from Aug 17;
    // H2: high until Aug 17, medium until Aug 24.
    expect(lifted(aug(20, '23:59'))).toEqual([
      ['H2', 'medium', aug(24), null],
      ['MKT', 'medium', aug(21), null],
      ['V1', 'medium', aug(21), null],
      ['R1', 'low', null, aug(17)],
    ]);
    expect(lifted(aug(21))).toEqual([
      ['H2', 'medium', aug(24), null],
      ['MKT', 'low', null, aug(21)],
      ['R1', 'low', null, aug(17)],
      ['V1', 'low', null, aug(21)],
    ]);
    // Weeks later the day stays the one it was lifted on.
    expect(lifted(aug(31)).map(([id, , , on]) => [id, on])).toEqual([
      ['H2', aug(24)],
      ['MKT', aug(21)],
      ['R1', aug(17)],
      ['V1', aug(21)],
    ]);
  });

  test('lift days are parameters', () => {
    const p = resolveParameters({
      overrides: ['protocol.highRiskLiftDays=3', 'protocol.mediumRiskLiftDays=2'],
    });
    const areas = riskAreas(district(aug(10)), p).map((a) => [a.placeId, a.level, a.liftOn]);
    expect(areas).toEqual([
      ['H2', 'high', aug(13)],
      ['MKT', 'medium', aug(12)],
      ['R1', 'medium', aug(12)],
      ['V1', 'medium', aug(12)],
    ]);
  });

  test('outside the radius the home itself is the residential area', () => {
    const p = resolveParameters({ overrides: ['protocol.riskAreaRadiusKm=0.5'] });
    const ids = riskAreas(district(aug(10)), p).map((a) => a.placeId);
    expect(ids).toEqual(['H1', 'H2', 'MKT', 'R1']);
  });

  test('residentialAreaOf picks the nearest village or community within the radius', () => {
    const home = place('H', 'home', { lat: 18.305, lon: 109.1 });
    const v1 = place('V1', 'village', { lat: 18.3, lon: 109.1 });
    const c1 = place('C', 'community', { lat: 18.306, lon: 109.1 });
    const far = place('V9', 'village', { lat: 19, lon: 110 });
    expect(residentialAreaOf(home, [v1, c1, far], 2).area.id).toBe('C');
    expect(residentialAreaOf(home, [far], 2)).toEqual({ area: home, distanceKm: null });
    expect(residentialAreaOf(place('H0', 'home'), [v1], 2).area.id).toBe('H0');
  });

  test('haversineKm: 0.005 degrees of latitude is 0.556 km; a degree of longitude at the equator 111.2 km', () => {
    expect(haversineKm(18.3, 109.1, 18.305, 109.1)).toBeCloseTo((0.005 * Math.PI * 6371.0088) / 180, 9);
    expect(haversineKm(0, 0, 0, 1)).toBeCloseTo(111.195, 3);
    expect(haversineKm(18.3, 109.1, 18.3, 109.1)).toBe(0);
  });
});
