/**
 * A hand-made outbreak of three cases with clear links, for the analysis part of the API:
 * A (fisher, onset 1 Aug) shares boat BT1 with B for two nights before B's onset (3 Aug); B lives
 * with C (onset 6 Aug) and D; E sat half an hour at the market beside B; F crewed BT1 with A.
 * Expected: one chain A -> B (boat) -> C (household), D a close contact of B and C, E venue-exposed
 * by B, F a close contact of A.
 */
import type { RecordBatch } from '../../src/domain/types';
import { t } from '../store/fixtures';

export function threeCaseOutbreak(): Required<RecordBatch> {
  return {
    places: [
      { id: 'HA', name: 'Home of A', kind: 'home', lat: 18.36, lon: 109.17, capacity: null },
      { id: 'HB', name: 'Home of B and C', kind: 'home', lat: 18.33, lon: 109.14, capacity: null },
      { id: 'HF', name: 'Home of F', kind: 'home', lat: null, lon: null, capacity: null },
      { id: 'VIL', name: 'Baogang village', kind: 'village', lat: 18.331, lon: 109.141, capacity: null },
      {
        id: 'PORT',
        name: 'Yazhou Central Fishing Port',
        kind: 'fishing_port',
        lat: 18.35,
        lon: 109.17,
        capacity: null,
      },
      { id: 'MKT', name: 'Seafood market', kind: 'market', lat: null, lon: null, capacity: null },
      { id: 'QH', name: 'Quarantine hotel', kind: 'quarantine_site', lat: null, lon: null, capacity: 2 },
    ],
    persons: [
      {
        id: 'A',
        name: '陈大海',
        sex: 'M',
        age: 45,
        phone: '13800000001',
        idNumber: null,
        homeId: 'HA',
        occupation: 'fisher',
      },
      {
        id: 'B',
        name: '黄志强',
        sex: 'M',
        age: 38,
        phone: '13800000002',
        idNumber: null,
        homeId: 'HB',
        occupation: 'fisher',
      },
      {
        id: 'C',
        name: '黄丽',
        sex: 'F',
        age: 36,
        phone: '13800000003',
        idNumber: null,
        homeId: 'HB',
        occupation: null,
      },
      {
        id: 'D',
        name: '黄小明',
        sex: 'M',
        age: 8,
        phone: null,
        idNumber: null,
        homeId: 'HB',
        occupation: 'student',
      },
      {
        id: 'E',
        name: 'Li Wei',
        sex: 'M',
        age: 50,
        phone: '13900000005',
        idNumber: null,
        homeId: null,
        occupation: 'trader',
      },
      {
        id: 'F',
        name: '王国平',
        sex: 'M',
        age: 29,
        phone: '13900000006',
        idNumber: null,
        homeId: 'HF',
        occupation: 'fisher',
      },
    ],
    boats: [{ id: 'BT1', name: 'Qiong Ya Yu 01', registration: 'QYY-01', homePortId: 'PORT' }],
    items: [],
    stays: [
      // A, B and F at sea together on BT1 from 30 Jul to 1 Aug (A is infectious from 30 Jul).
      {
        subjectId: 'A',
        hostId: 'BT1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-08-01T06:00:00+08:00'),
      },
      {
        subjectId: 'B',
        hostId: 'BT1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-08-01T06:00:00+08:00'),
      },
      {
        subjectId: 'F',
        hostId: 'BT1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-08-01T06:00:00+08:00'),
      },
      // B and E at the market on 2 Aug.
      {
        subjectId: 'B',
        hostId: 'MKT',
        start: t('2022-08-02T09:00:00+08:00'),
        end: t('2022-08-02T09:30:00+08:00'),
      },
      {
        subjectId: 'E',
        hostId: 'MKT',
        start: t('2022-08-02T09:00:00+08:00'),
        end: t('2022-08-02T09:30:00+08:00'),
      },
    ],
    contacts: [],
    handlings: [],
    samples: [
      {
        subjectId: 'A',
        sampledAt: t('2022-08-02T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 22,
      },
      {
        subjectId: 'B',
        sampledAt: t('2022-08-04T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 25,
      },
      {
        subjectId: 'C',
        sampledAt: t('2022-08-07T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 27,
      },
    ],
    cases: [
      {
        personId: 'A',
        classification: 'confirmed',
        onset: t('2022-08-01'),
        confirmedAt: t('2022-08-02T20:00:00+08:00'),
      },
      {
        personId: 'B',
        classification: 'confirmed',
        onset: t('2022-08-03'),
        confirmedAt: t('2022-08-04T20:00:00+08:00'),
      },
      {
        personId: 'C',
        classification: 'confirmed',
        onset: t('2022-08-06'),
        confirmedAt: t('2022-08-07T20:00:00+08:00'),
      },
    ],
  };
}
