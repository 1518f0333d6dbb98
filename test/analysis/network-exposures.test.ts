import { networkExposures } from '../../src/analysis/network-exposures';
import { resolveParameters } from '../../src/domain/parameters';
import { exposure } from './outbreak-fixtures';

const { protocol } = resolveParameters();

describe('networkExposures', () => {
  const cases = new Set(['C1', 'C2']);

  test('keeps what makes a close contact, drops venue co-presence of persons who are not cases', () => {
    const kept = [
      exposure('P1', 'C1', { setting: 'household', hostId: 'H1', placeKind: 'home', minutes: 540 }),
      exposure('P2', 'C1', { setting: 'boat', hostId: 'B1', placeKind: null }),
      exposure('P3', 'LOT1', {
        sourceKind: 'item',
        setting: 'cold_chain',
        hostId: null,
        placeKind: null,
        minutes: 0,
      }),
      exposure('P4', 'C1', { setting: 'contact', hostId: null, placeKind: null, contactSetting: 'work' }),
      exposure('P5', 'C1', { hostId: 'R1', placeKind: 'restaurant', minutes: protocol.closeContactMinutes }),
    ];
    const dropped = [
      exposure('P6', 'C1'), // an hour at a market: venue-exposed
      exposure('P7', 'C1', {
        hostId: 'R1',
        placeKind: 'restaurant',
        minutes: protocol.closeContactMinutes - 1,
      }),
      exposure('P8', 'MKT', { sourceKind: 'place', minutes: 30 }), // a contaminated market
      exposure('P9', 'C2', { minutes: 1 }), // below any tier
    ];
    const all = [dropped[0]!, ...kept.slice(0, 3), ...dropped.slice(1), ...kept.slice(3)];
    expect(networkExposures(all, cases, protocol)).toEqual([kept[0], kept[1], kept[2], kept[3], kept[4]]);
  });

  test('keeps every exposure of a case, venue or not', () => {
    const ofCases = [exposure('C2', 'C1'), exposure('C1', 'MKT', { sourceKind: 'place', minutes: 1 })];
    expect(networkExposures([exposure('P6', 'C1'), ...ofCases], cases, protocol)).toEqual(ofCases);
    // A case's exposures apart, a person's who is not a case between them.
    const apart = [
      ofCases[0]!,
      exposure('P6', 'C1'),
      exposure('C2', 'MKT', { sourceKind: 'place', minutes: 1 }),
    ];
    expect(networkExposures(apart, cases, protocol)).toEqual([apart[0], apart[2]]);
    const personBetween = [exposure('P6', 'C1'), ofCases[0]!, exposure('P6', 'C2')];
    expect(networkExposures(personBetween, cases, protocol)).toEqual([ofCases[0]]);
  });

  test('follows the protocol: a place kind made enclosed brings its exposures in', () => {
    const market = exposure('P6', 'C1');
    expect(networkExposures([market], cases, protocol)).toEqual([]);
    const withMarkets = {
      ...protocol,
      closeContactPlaceKinds: [...protocol.closeContactPlaceKinds, 'market'],
    };
    expect(networkExposures([market], cases, withMarkets)).toEqual([market]);
  });
});
