/** A tiny hand-made district used by the store contract suite. */
import type { RecordBatch } from '../../src/domain/types';
import { barePerson } from '../bare-records';
import { parseInstant } from '../../src/domain/time';

export const t = (text: string): number => {
  const at = parseInstant(text, true);
  if (at === null) throw new Error(`bad test instant ${text}`);
  return at;
};

/**
 * How many records of each kind the small district holds, as `counts()` and `stats` give them: the
 * same for `smallDistrict()` and for the bundle test/fixtures/bundles/district made from it.
 */
export const DISTRICT_COUNTS = {
  persons: 4,
  places: 6,
  boats: 1,
  items: 1,
  stays: 7,
  contacts: 1,
  handlings: 1,
  samples: 4,
  cases: 2,
};

export function smallDistrict(): Required<RecordBatch> {
  return {
    places: [
      { id: 'H1', name: 'Home 1', kind: 'home', lat: 18.4, lon: 109.1, capacity: null },
      { id: 'H2', name: 'Home 2', kind: 'home', lat: null, lon: null, capacity: null },
      {
        id: 'PORT',
        name: 'Yazhou Central Fishing Port',
        kind: 'fishing_port',
        lat: 18.35,
        lon: 109.17,
        capacity: null,
      },
      { id: 'MKT', name: 'Baogang market', kind: 'market', lat: null, lon: null, capacity: null },
      { id: 'COLD', name: 'Cold storage 1', kind: 'cold_storage', lat: null, lon: null, capacity: null },
      { id: 'QH1', name: 'Quarantine hotel 1', kind: 'quarantine_site', lat: null, lon: null, capacity: 50 },
    ],
    persons: [
      {
        id: 'P1',
        name: '陈大明',
        sex: 'M',
        age: 45,
        phone: '13800001111',
        idNumber: '460200197701011234',
        homeId: 'H1',
        occupation: 'fisher',
      },
      {
        id: 'P2',
        name: '陈小红',
        sex: 'F',
        age: 42,
        phone: '13800002222',
        idNumber: null,
        homeId: 'H1',
        occupation: null,
      },
      {
        id: 'P3',
        name: 'Li Wei',
        sex: 'M',
        age: 30,
        phone: '13900003333',
        idNumber: null,
        homeId: 'H2',
        occupation: 'porter',
      },
      barePerson('P4'),
    ],
    boats: [{ id: 'B1', name: 'Qiong Ya Yu 01', registration: 'QYY-01', homePortId: 'PORT' }],
    items: [
      { id: 'L1', product: 'frozen shrimp', lot: 'LOT-77', origin: 'import', arrivedAt: t('2022-07-28') },
    ],
    stays: [
      {
        subjectId: 'P1',
        hostId: 'B1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-07-31T18:00:00+08:00'),
      },
      {
        subjectId: 'P3',
        hostId: 'B1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-07-30T12:00:00+08:00'),
      },
      {
        subjectId: 'P1',
        hostId: 'MKT',
        start: t('2022-08-01T09:00:00+08:00'),
        end: t('2022-08-01T10:00:00+08:00'),
      },
      {
        subjectId: 'P3',
        hostId: 'MKT',
        start: t('2022-08-01T09:30:00+08:00'),
        end: t('2022-08-01T11:00:00+08:00'),
      },
      {
        subjectId: 'P4',
        hostId: 'MKT',
        start: t('2022-08-03T09:30:00+08:00'),
        end: t('2022-08-03T11:00:00+08:00'),
      },
      {
        subjectId: 'L1',
        hostId: 'COLD',
        start: t('2022-07-28T10:00:00+08:00'),
        end: t('2022-08-05T10:00:00+08:00'),
      },
      {
        subjectId: 'B1',
        hostId: 'PORT',
        start: t('2022-07-31T18:00:00+08:00'),
        end: t('2022-08-02T04:00:00+08:00'),
      },
    ],
    contacts: [
      {
        personA: 'P1',
        personB: 'P4',
        start: t('2022-08-02T19:00:00+08:00'),
        end: t('2022-08-02T21:00:00+08:00'),
        setting: 'social',
      },
    ],
    handlings: [{ personId: 'P3', itemId: 'L1', at: t('2022-07-29T08:00:00+08:00') }],
    samples: [
      {
        subjectId: 'P1',
        sampledAt: t('2022-07-29T10:00:00+08:00'),
        result: 'negative',
        method: 'pcr',
        ct: null,
      },
      {
        subjectId: 'P1',
        sampledAt: t('2022-08-02T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 24.5,
      },
      {
        subjectId: 'L1',
        sampledAt: t('2022-08-01T15:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 33,
      },
      {
        subjectId: 'MKT',
        sampledAt: t('2022-08-04T15:00:00+08:00'),
        result: 'negative',
        method: 'pcr',
        ct: null,
      },
    ],
    cases: [
      {
        personId: 'P1',
        classification: 'confirmed',
        onset: t('2022-08-01'),
        confirmedAt: t('2022-08-02T20:00:00+08:00'),
      },
      {
        personId: 'P3',
        classification: 'asymptomatic',
        onset: null,
        confirmedAt: t('2022-08-05T12:00:00+08:00'),
      },
    ],
  };
}
