/**
 * A hand-made outbreak for whose contact each person is: cases A and B (onset 1 Aug, confirmed
 * 2 Aug), and lot L1, positive on 1 Aug.
 * - X lives with A (close contact of A) and sat half an hour at the market beside B (venue-exposed
 *   to B): a close contact of A only.
 * - Z had reported contacts with both: a close contact of A and B.
 * - W handled L1: a close contact of the lot.
 * - C had a reported contact with B: a close contact of B; Y met C for an hour that evening: a
 *   contact of a close contact, through C.
 * - V passed B at the market for 10 minutes: venue-exposed, nobody's close contact.
 */
import type { Person, RecordBatch } from '../../src/domain/types';
import { t } from '../store/fixtures';

const person = (id: string, homeId: string | null = null): Person => ({
  id,
  name: null,
  sex: null,
  age: 40,
  phone: null,
  idNumber: null,
  homeId,
  occupation: null,
});

const stay = (subjectId: string, hostId: string, start: string, end: string) => ({
  subjectId,
  hostId,
  start: t(`2022-08-01T${start}:00+08:00`),
  end: t(`2022-08-01T${end}:00+08:00`),
});

const contact = (personA: string, personB: string, start: string, end: string) => ({
  personA,
  personB,
  start: t(`2022-08-01T${start}:00+08:00`),
  end: t(`2022-08-01T${end}:00+08:00`),
  setting: 'social' as const,
});

export function whoseContactOutbreak(): Required<RecordBatch> {
  return {
    places: [
      { id: 'HA', name: null, kind: 'home', lat: null, lon: null, capacity: null },
      { id: 'MKT', name: null, kind: 'market', lat: null, lon: null, capacity: null },
    ],
    persons: ['A', 'X']
      .map((id) => person(id, 'HA'))
      .concat(['B', 'C', 'V', 'W', 'Y', 'Z'].map((id) => person(id))),
    boats: [],
    items: [
      { id: 'L1', product: 'frozen fish', lot: '1', origin: null, arrivedAt: t('2022-07-30T08:00:00+08:00') },
    ],
    stays: [
      stay('B', 'MKT', '09:00', '09:30'),
      stay('X', 'MKT', '09:00', '09:30'),
      stay('V', 'MKT', '09:20', '09:30'),
    ],
    contacts: [
      contact('B', 'C', '10:00', '12:00'),
      contact('Z', 'A', '13:00', '14:00'),
      contact('Z', 'B', '14:00', '15:00'),
      contact('C', 'Y', '18:00', '19:00'),
    ],
    handlings: [{ personId: 'W', itemId: 'L1', at: t('2022-07-31T10:00:00+08:00') }],
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
        sampledAt: t('2022-08-02T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 24,
      },
      {
        subjectId: 'L1',
        sampledAt: t('2022-08-01T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 30,
      },
    ],
    cases: ['A', 'B'].map((personId) => ({
      personId,
      classification: 'confirmed' as const,
      onset: t('2022-08-01'),
      confirmedAt: t('2022-08-02T20:00:00+08:00'),
    })),
  };
}
