import { exposureShape, formatExposureShape } from '../../bench/exposure-shape';
import { resolveParameters } from '../../src/domain/parameters';
import { aug, exposure } from '../analysis/outbreak-fixtures';

const { protocol } = resolveParameters();

describe('exposureShape', () => {
  // At the port, P1 meets C1 and C2 on 4 August and C1 again on 5 August (each long enough for a
  // close contact); case C2 meets C1 there. At the market, P1 and P2 pass C1 for 10 and 2 minutes.
  const port = { hostId: 'FP', placeKind: 'fishing_port', minutes: 60 };
  const exposures = [
    exposure('P1', 'C1', port),
    exposure('P1', 'C2', port),
    exposure('P1', 'C1', { ...port, start: aug(5, '08:00'), end: aug(5, '09:00') }),
    exposure('C2', 'C1', port),
    exposure('P1', 'C1', { minutes: 10 }),
    exposure('P2', 'C1', { minutes: 2 }),
    exposure('P2', 'C1', { setting: 'contact', hostId: null, placeKind: null, contactSetting: 'meal' }),
  ];
  const shape = exposureShape(exposures, new Set(['C1', 'C2']), protocol);

  it('counts exposures and exposed persons, by setting and by the tier each gives alone', () => {
    expect(shape.exposures).toBe(7);
    expect(shape.persons).toBe(3);
    expect(shape.bySetting).toEqual({ place: 6, contact: 1 });
    expect(shape.byTier).toEqual({ close_contact: 5, venue_exposed: 1, none: 1 });
  });

  it('ranks hosts by exposures, with their sources, persons, person-days and exposures of cases', () => {
    expect(shape.hosts).toEqual([
      {
        hostId: 'FP',
        placeKind: 'fishing_port',
        exposures: 4,
        ofCases: 1,
        sources: 2,
        persons: 2,
        personDays: 3,
      },
      { hostId: 'MKT', placeKind: 'market', exposures: 2, ofCases: 0, sources: 1, persons: 2, personDays: 2 },
    ]);
  });

  it('keeps the top hosts asked for, ties by id', () => {
    const tied = [exposure('P1', 'C1', { hostId: 'B' }), exposure('P1', 'C1', { hostId: 'A' })];
    expect(exposureShape(tied, new Set(), protocol, 1).hosts.map((h) => h.hostId)).toEqual(['A']);
  });

  it('is written with shares and thousands separators', () => {
    const text = formatExposureShape(shape);
    expect(text).toContain('7 exposures of 3 persons\n');
    expect(text).toContain('by tier: close_contact 5 (71.4%), venue_exposed 1 (14.3%), none 1 (14.3%)\n');
    expect(text).toContain(
      '  FP (fishing_port): 4 exposures (57.1%; 1 of cases) from 2 sources to 2 persons over 3 person-days\n',
    );
  });
});
