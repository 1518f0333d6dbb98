import fc from 'fast-check';
import { infectiousWindow, samplesOfCases, windowsOfCases } from '../../src/analysis/infectious-window';
import { resolveParameters } from '../../src/domain/parameters';
import { DAY, HOUR } from '../../src/domain/time';
import type { Case } from '../../src/domain/types';
import { aug, negative, positive, t } from './outbreak-fixtures';

const params = resolveParameters();
const asOf = aug(20);
const symptomatic = (onset: number | null, confirmedAt: number | null): Case => ({
  personId: 'P1',
  classification: 'confirmed',
  onset,
  confirmedAt,
});
const asymptomatic = (confirmedAt: number | null): Case => ({
  personId: 'P1',
  classification: 'asymptomatic',
  onset: null,
  confirmedAt,
});

describe('infectiousWindow', () => {
  test('throws on invalid input', () => {
    expect(() => infectiousWindow(symptomatic(aug(5), null), [], params, Number.NaN)).toThrow(
      /case P1: field "asOf"/,
    );
    expect(() => infectiousWindow({ ...symptomatic(aug(5), null), personId: '' }, [], params, asOf)).toThrow(
      /personId/,
    );
    expect(() => infectiousWindow(symptomatic(Number.POSITIVE_INFINITY, null), [], params, asOf)).toThrow(
      /field "onset"/,
    );
    expect(() =>
      infectiousWindow(
        symptomatic(aug(5), null),
        [{ ...positive('P1', 0), sampledAt: Number.NaN }],
        params,
        asOf,
      ),
    ).toThrow(/samples\[0\]\.sampledAt/);
  });

  test('symptomatic case: 2 days before onset until confirmation', () => {
    const w = infectiousWindow(
      symptomatic(t('2022-08-05'), aug(6, '10:00')),
      [positive('P1', aug(6, '08:00'))],
      params,
      asOf,
    );
    expect(w.from).toBe(aug(3));
    expect(w.to).toBe(aug(6, '10:00'));
    expect(w.basis).toBe(
      'from 2 days before the day of onset 2022-08-05; until isolated at confirmation 2022-08-06 10:00',
    );
  });

  test('the pre-onset days are a parameter (some cities used 4)', () => {
    const four = resolveParameters({ overrides: ['protocol.preOnsetDays=4'] });
    const w = infectiousWindow(symptomatic(aug(5), aug(6, '10:00')), [], four, asOf);
    expect(w.from).toBe(aug(1));
  });

  test('days are counted by date in district time: any hour of the anchor day opens the same window', () => {
    // "2 days before the sampling date": midnight (UTC+8) two dates earlier, whatever the hour.
    for (const hour of ['00:00', '00:30', '09:00', '23:59']) {
      const w = infectiousWindow(asymptomatic(aug(6)), [positive('P1', aug(4, hour))], params, asOf);
      expect([hour, w.from]).toEqual([hour, aug(2)]);
    }
    // 07:00 in the district is still the day before in UTC: the district's date counts.
    expect(t('2022-08-04T07:00:00+08:00')).toBeLessThan(Date.UTC(2022, 7, 4));
    const early = infectiousWindow(asymptomatic(aug(6)), [positive('P1', aug(4, '07:00'))], params, asOf);
    expect(early.from).toBe(t('2022-08-02T00:00:00+08:00'));
    // An onset with an hour too.
    expect(infectiousWindow(symptomatic(aug(5, '18:00'), aug(6)), [], params, asOf).from).toBe(aug(3));
  });

  test('asymptomatic case: 2 days before the day of the first positive sample', () => {
    const samples = [positive('P1', aug(4, '09:00')), positive('P1', aug(5, '09:00'))];
    const w = infectiousWindow(asymptomatic(aug(5, '12:00')), samples, params, asOf);
    expect(w.from).toBe(aug(2));
    expect(w.to).toBe(aug(5, '12:00'));
    expect(w.basis).toMatch(/^from 2 days before the day of first positive sample 2022-08-04 09:00;/);
  });

  test('found by screening: opens at the last negative sample when that is earlier', () => {
    const samples = [
      negative('P1', aug(1, '09:00')),
      positive('P1', aug(4, '09:00')),
      negative('P1', t('2022-07-29T09:00:00+08:00')),
    ];
    const w = infectiousWindow(asymptomatic(aug(5, '12:00')), samples, params, asOf);
    expect(w.from).toBe(aug(1, '09:00'));
    expect(w.basis).toMatch(/^from last negative sample 2022-08-01 09:00 before the first positive/);
  });

  test('found by screening: a negative later than the default start does not shorten the window', () => {
    const samples = [negative('P1', aug(3, '09:00')), positive('P1', aug(4, '09:00'))];
    expect(infectiousWindow(asymptomatic(aug(5, '12:00')), samples, params, asOf).from).toBe(aug(2));
  });

  test('found by screening: the look-back is capped at screeningLookbackMaxDays before the first positive', () => {
    const samples = [negative('P1', t('2022-07-20T09:00:00+08:00')), positive('P1', aug(4, '09:00'))];
    const w = infectiousWindow(asymptomatic(aug(5, '12:00')), samples, params, asOf);
    expect(w.from).toBe(aug(4) - 7 * DAY);
    expect(w.basis).toMatch(/^from 7 days before the day of the first positive sample: the last negative/);
  });

  test('the last-negative rule can be switched off', () => {
    const off = resolveParameters({ overrides: ['protocol.windowFromLastNegative=false'] });
    const samples = [negative('P1', aug(1, '09:00')), positive('P1', aug(4, '09:00'))];
    expect(infectiousWindow(asymptomatic(aug(5, '12:00')), samples, off, asOf).from).toBe(aug(2));
  });

  test('positive before onset: screening anchors on the sample and may reach back to the negative', () => {
    const samples = [negative('P1', t('2022-07-31T09:00:00+08:00')), positive('P1', aug(3, '09:00'))];
    const w = infectiousWindow(symptomatic(aug(5), aug(4, '09:00')), samples, params, asOf);
    expect(w.from).toBe(t('2022-07-31T09:00:00+08:00'));
    expect(w.to).toBe(aug(4, '09:00'));
    // Without the negative: 2 days before the positive sample's day, not before onset.
    expect(infectiousWindow(symptomatic(aug(5), aug(4, '09:00')), samples.slice(1), params, asOf).from).toBe(
      aug(1),
    );
  });

  test('confirmed before onset with no positive sample on record: opens 2 days before the confirmation', () => {
    // Regression (audit D1): the window opened 2 days before the later onset, was cut to the
    // confirmation and so was empty. The confirmation implies a positive test by then.
    const w = infectiousWindow(symptomatic(aug(8), aug(5, '10:00')), [], params, asOf);
    expect(w).toMatchObject({ from: aug(3), to: aug(5, '10:00') });
    expect(w.basis).toBe(
      'from 2 days before the day of confirmation 2022-08-05 10:00 (no positive sample on record); ' +
        'until isolated at confirmation 2022-08-05 10:00',
    );
    // The same as with the sample on record at the confirmation.
    expect(
      infectiousWindow(symptomatic(aug(8), aug(5, '10:00')), [positive('P1', aug(5, '10:00'))], params, asOf),
    ).toMatchObject({ from: aug(3), to: aug(5, '10:00') });
    // A positive sample recorded only after the confirmation: the confirmation is the first test.
    expect(
      infectiousWindow(symptomatic(aug(8), aug(5, '10:00')), [positive('P1', aug(6))], params, asOf).from,
    ).toBe(aug(3));
    // Found by screening: the last negative before the confirmation may open it earlier.
    const screened = infectiousWindow(
      symptomatic(aug(8), aug(5, '10:00')),
      [negative('P1', aug(1, '09:00'))],
      params,
      asOf,
    );
    expect(screened.from).toBe(aug(1, '09:00'));
    expect(screened.basis).toMatch(/^from last negative sample 2022-08-01 09:00 before the confirmation/);
    // Confirmed after onset: onset anchors as before.
    expect(infectiousWindow(symptomatic(aug(5), aug(6, '10:00')), [], params, asOf).from).toBe(aug(3));
  });

  test('not confirmed yet: closes at the first positive sample, else at asOf', () => {
    expect(
      infectiousWindow(asymptomatic(null), [positive('P1', aug(4, '09:00'))], params, asOf),
    ).toMatchObject({
      from: aug(2),
      to: aug(4, '09:00'),
    });
    const w = infectiousWindow(symptomatic(aug(5), null), [], params, aug(7, '12:00'));
    expect(w).toMatchObject({ from: aug(3), to: aug(7, '12:00') });
    expect(w.basis).toMatch(/until not isolated by 2022-08-07 12:00$/);
  });

  test('never isolated: ends infectiousDaysAfterOnset after onset, not at a later asOf', () => {
    // Onset 5 Aug, 10 days infectious by default: the window ends on 15 Aug, before asOf (20 Aug).
    const w = infectiousWindow(symptomatic(aug(5), null), [], params, asOf);
    expect(params.pathogen.infectiousDaysAfterOnset).toBe(10);
    expect(w).toMatchObject({ from: aug(3), to: aug(15) });
    expect(w.basis).toMatch(/until not isolated; infectious until 10 days after onset$/);
    const shorter = resolveParameters({ overrides: ['pathogen.infectiousDaysAfterOnset=4'] });
    expect(infectiousWindow(symptomatic(aug(5), null), [], shorter, asOf).to).toBe(aug(9));
    // Until then the case counts as infectious up to asOf.
    expect(infectiousWindow(symptomatic(aug(5), null), [], params, aug(14)).to).toBe(aug(14));
  });

  test('ignores samples taken after asOf, samples of others and a confirmation after asOf', () => {
    const samples = [positive('P1', aug(8, '09:00')), positive('P2', aug(4, '09:00'))];
    const w = infectiousWindow(symptomatic(aug(5), aug(9)), samples, params, aug(7));
    expect(w).toMatchObject({ from: aug(3), to: aug(7) });
  });

  test('a stay at a quarantine site closes the window at its start, or opens it at its end', () => {
    // Onset Aug 5, confirmed Aug 6 10:00: the window is [Aug 3 00:00, Aug 6 10:00] without isolation.
    const c = symptomatic(aug(5), aug(6, '10:00'));
    const at = (start: number, end: number, hostId = 'Q1') => ({ subjectId: 'P1', hostId, start, end });
    const windowWith = (...stays: ReturnType<typeof at>[]) => infectiousWindow(c, [], params, asOf, stays);
    // Taken to quarantine on Aug 4 at 12:00: isolated from then.
    const taken = windowWith(at(aug(4, '12:00'), aug(11)));
    expect([taken.from, taken.to]).toEqual([aug(3), aug(4, '12:00')]);
    expect(taken.basis).toBe(
      'from 2 days before the day of onset 2022-08-05; until isolated at quarantine site Q1 2022-08-04 12:00',
    );
    // Released on Aug 4 at 09:00 after a stay since Aug 1: infectious among others from then.
    const released = windowWith(at(aug(1), aug(4, '09:00')));
    expect([released.from, released.to]).toEqual([aug(4, '09:00'), aug(6, '10:00')]);
    expect(released.basis).toContain('from the end of a stay at quarantine site Q1 (2022-08-04 09:00)');
    // Released, back home, then taken again: the window is the time between.
    const between = windowWith(at(aug(5, '08:00'), aug(12)), at(aug(1), aug(4, '09:00')));
    expect([between.from, between.to]).toEqual([aug(4, '09:00'), aug(5, '08:00')]);
    // Taken in on Aug 4 and released on Aug 5, before the confirmation: the window stays whole.
    const outAgain = windowWith(at(aug(4, '12:00'), aug(5, '09:00')));
    expect([outAgain.from, outAgain.to]).toEqual([aug(3), aug(6, '10:00')]);
    // In quarantine throughout: an empty window.
    const throughout = windowWith(at(aug(1), aug(12)));
    expect(throughout.to - throughout.from).toBe(0);
    // Stays that end by the opening, or start at or after isolation (or after asOf), change nothing.
    const untouched = infectiousWindow(c, [], params, asOf, [
      at(aug(1), aug(3)),
      at(aug(6, '10:00'), aug(13)),
    ]);
    expect([untouched.from, untouched.to]).toEqual([aug(3), aug(6, '10:00')]);
    expect(infectiousWindow(c, [], params, aug(4), [at(aug(4, '12:00'), aug(11))]).to).toBe(aug(4));
  });

  test('windowsOfCases: one window per case from its own samples', () => {
    const cases: Case[] = [
      { personId: 'A', classification: 'asymptomatic', onset: null, confirmedAt: aug(6) },
      { personId: 'B', classification: 'confirmed', onset: aug(4), confirmedAt: aug(5) },
    ];
    const windows = windowsOfCases(cases, [positive('A', aug(5)), positive('B', aug(1))], params, asOf);
    expect(windows.get('A')).toMatchObject({ from: aug(3), to: aug(6) });
    expect(windows.get('B')).toMatchObject({ from: t('2022-07-30'), to: aug(5) });
    // The same from the samples grouped by case (as the load gives them, grouped once).
    const samples = [positive('A', aug(5)), positive('B', aug(1))];
    expect(windowsOfCases(cases, samplesOfCases(cases, samples), params, asOf)).toEqual(
      windowsOfCases(cases, samples, params, asOf),
    );
  });

  test('property: from <= to <= asOf, with a basis in words', () => {
    const hours = fc.integer({ min: 0, max: 30 * 24 });
    fc.assert(
      fc.property(
        fc.option(hours),
        fc.option(hours),
        fc.array(fc.record({ at: hours, positive: fc.boolean() }), { maxLength: 5 }),
        hours,
        (onset, confirmed, samples, asOfHour) => {
          const base = t('2022-07-01');
          const c = symptomatic(
            onset === null ? null : base + onset * HOUR,
            confirmed === null ? null : base + confirmed * HOUR,
          );
          const s = samples.map((x) => (x.positive ? positive : negative)('P1', base + x.at * HOUR));
          const w = infectiousWindow(c, s, params, base + asOfHour * HOUR);
          return w.from <= w.to && w.to <= base + asOfHour * HOUR && w.basis.length > 0;
        },
      ),
    );
  });
});
