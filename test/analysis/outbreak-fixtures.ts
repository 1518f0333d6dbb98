/** Hand-made outbreak neighbourhoods for the analysis suites. */
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  Handling,
  Person,
  Place,
  Sample,
  Stay,
} from '../../src/domain/types';
import { parseInstant } from '../../src/domain/time';
import { barePerson, barePlace } from '../bare-records';

/** An instant from ISO 8601 text (a date alone is midnight +08:00). */
export const t = (text: string): number => {
  const at = parseInstant(text, true);
  if (at === null) throw new Error(`bad test instant ${text}`);
  return at;
};

/** An instant on 2022-08-DD at HH:MM +08:00. */
export const aug = (day: number, hhmm = '00:00'): number =>
  t(`2022-08-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);

export const person = (id: string, homeId: string | null = null, age: number | null = 40): Person =>
  barePerson(id, { homeId, age });

export const place = (id: string, kind: string, extra: Partial<Place> = {}): Place =>
  barePlace(id, kind, extra);

export const boat = (id: string): Boat => ({ id, name: null, registration: null, homePortId: null });
export const item = (id: string): ColdChainItem => ({
  id,
  product: null,
  lot: null,
  origin: null,
  arrivedAt: null,
});
export const stay = (subjectId: string, hostId: string, start: number, end: number): Stay => ({
  subjectId,
  hostId,
  start,
  end,
});
/** An hour at market MKT on 4 August, exposed to case `sourceId` unless `extra` says otherwise. */
export const exposure = (personId: string, sourceId: string, extra: Partial<Exposure> = {}): Exposure => ({
  personId,
  sourceId,
  sourceKind: 'case',
  setting: 'place',
  hostId: 'MKT',
  placeKind: 'market',
  contactSetting: null,
  start: aug(4),
  end: aug(4, '01:00'),
  minutes: 60,
  ...extra,
});

export const positive = (subjectId: string, sampledAt: number): Sample => ({
  subjectId,
  sampledAt,
  result: 'positive',
  method: 'pcr',
  ct: 25,
});
export const negative = (subjectId: string, sampledAt: number): Sample => ({
  subjectId,
  sampledAt,
  result: 'negative',
  method: 'pcr',
  ct: null,
});
/** A symptomatic case (classification `confirmed`). */
export const confirmedCase = (personId: string, onset: number, confirmedAt: number | null): Case => ({
  personId,
  classification: 'confirmed',
  onset,
  confirmedAt,
});
export const asymptomaticCase = (personId: string, confirmedAt: number | null): Case => ({
  personId,
  classification: 'asymptomatic',
  onset: null,
  confirmedAt,
});

export interface OutbreakInput {
  asOf: number;
  cases?: Case[];
  samples?: Sample[];
  stays?: Stay[];
  contacts?: Contact[];
  handlings?: Handling[];
  persons?: Person[];
  places?: Place[];
  boats?: Boat[];
  items?: ColdChainItem[];
}

export function outbreak(input: OutbreakInput): OutbreakData {
  const places = input.places ?? [];
  return {
    asOf: input.asOf,
    cases: input.cases ?? [],
    samples: input.samples ?? [],
    stays: input.stays ?? [],
    contacts: input.contacts ?? [],
    handlings: input.handlings ?? [],
    persons: new Map((input.persons ?? []).map((p) => [p.id, p])),
    places: new Map(places.map((p) => [p.id, p])),
    boats: new Map((input.boats ?? []).map((b) => [b.id, b])),
    items: new Map((input.items ?? []).map((i) => [i.id, i])),
    quarantineSites: places.filter((p) => p.kind === 'quarantine_site'),
  };
}

/**
 * The two-case outbreak the report suites share (test/analysis/report.test.ts,
 * test/report/named-outbreak.ts), as of 7 August 12:00: C1 (onset 5 August, confirmed 6 August
 * 10:00) at home H1 with P2, at workplace W1 with P3 and at market MKT with P5; C2 (asymptomatic,
 * confirmed 7 August 10:00) at MKT with P6. Each suite adds its persons, places and the rest.
 */
export function twoCaseOutbreak(): Required<Pick<OutbreakInput, 'asOf' | 'cases' | 'samples' | 'stays'>> {
  return {
    asOf: aug(7, '12:00'),
    cases: [confirmedCase('C1', aug(5), aug(6, '10:00')), asymptomaticCase('C2', aug(7, '10:00'))],
    samples: [positive('C1', aug(6, '08:00')), positive('C2', aug(7, '08:00'))],
    stays: [
      stay('C1', 'H1', aug(3, '20:00'), aug(4, '07:00')),
      stay('P2', 'H1', aug(3, '20:00'), aug(4, '07:00')),
      stay('C1', 'W1', aug(4, '09:00'), aug(4, '12:00')),
      stay('P3', 'W1', aug(4, '09:00'), aug(4, '11:20')),
      stay('C1', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('P5', 'MKT', aug(5, '15:00'), aug(5, '16:00')),
      stay('C2', 'MKT', aug(6, '15:00'), aug(6, '15:30')),
      stay('P6', 'MKT', aug(6, '15:10'), aug(6, '15:30')),
    ],
  };
}
