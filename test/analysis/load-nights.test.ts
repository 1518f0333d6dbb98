import { nightsOverlapping } from '../../src/analysis/exposures';
import { sharesANight } from '../../src/store/port';
import { DAY, HOUR, MINUTE } from '../../src/domain/time';
import { aug } from './outbreak-fixtures';

const NIGHTS = { nightStartHour: 22, nightEndHour: 7, utcOffsetMinutes: 8 * 60 };

describe('sharesANight', () => {
  test('a stay by day does not; one reaching past the start or end of a night does', () => {
    expect(sharesANight(aug(8, '07:00'), aug(8, '22:00'), NIGHTS)).toBe(false);
    expect(sharesANight(aug(8, '12:00'), aug(8, '13:00'), NIGHTS)).toBe(false);
    expect(sharesANight(aug(8, '21:00'), aug(8, '22:01'), NIGHTS)).toBe(true);
    expect(sharesANight(aug(8, '06:59'), aug(8, '12:00'), NIGHTS)).toBe(true);
    expect(sharesANight(aug(8, '23:00'), aug(9, '01:00'), NIGHTS)).toBe(true);
    // Across a whole day, from one morning to the next.
    expect(sharesANight(aug(8, '08:00'), aug(9, '08:00'), NIGHTS)).toBe(true);
    // An instant shares no time with anything.
    expect(sharesANight(aug(8, '23:00'), aug(8, '23:00'), NIGHTS)).toBe(false);
  });

  test('agrees with nightsOverlapping, whatever the hours and offset', () => {
    let state = 7;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const settings = [
      NIGHTS,
      { nightStartHour: 20, nightEndHour: 6, utcOffsetMinutes: -5 * 60 },
      { nightStartHour: 23.5, nightEndHour: 0.5, utcOffsetMinutes: 0 },
      { nightStartHour: 24, nightEndHour: 0, utcOffsetMinutes: 330 },
      // No daytime at all: every night runs into the next.
      { nightStartHour: 6, nightEndHour: 8, utcOffsetMinutes: 0 },
    ];
    for (const nights of settings) {
      for (let k = 0; k < 3000; k++) {
        // Before and after 1970 too: the time of day of a negative instant.
        const start = (next(400) - 200) * DAY + next(DAY / MINUTE) * MINUTE;
        const end = start + [0, next(60) * MINUTE, next(30) * HOUR, next(3) * DAY][next(4)]!;
        const expected = end > start && nightsOverlapping(start, end, nights).length > 0;
        expect([nights, start, end, sharesANight(start, end, nights)]).toEqual([
          nights,
          start,
          end,
          expected,
        ]);
      }
    }
  });
});
