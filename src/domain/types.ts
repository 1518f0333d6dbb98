/**
 * Domain records: what tracegraph knows about persons, places, boats, cold-chain lots and how
 * they met. Every instant is epoch milliseconds (UTC); the import format's ISO 8601 strings are
 * converted at the boundary (src/domain/time.ts).
 */

export type Id = string;
/** Epoch milliseconds, UTC. */
export type Instant = number;

export const PLACE_KINDS = [
  'home',
  'village',
  'community',
  'fishing_port',
  'cold_storage',
  'market',
  'restaurant',
  'school',
  'workplace',
  'test_site',
  'checkpoint',
  'station',
  'hospital',
  'quarantine_site',
] as const;
/** Places with beds for centralized quarantine: the plan allocates them, assignments go there. */
export const QUARANTINE_SITE_KIND = 'quarantine_site' satisfies (typeof PLACE_KINDS)[number];
/** A household's home: its name is an address, personal data of the household. */
export const HOME_KIND = 'home' satisfies (typeof PLACE_KINDS)[number];

/** A known kind, or any other word (treated as a generic venue). */
export type PlaceKind = (typeof PLACE_KINDS)[number] | (string & {});

export type Sex = 'M' | 'F';

export interface Person {
  id: Id;
  name: string | null;
  sex: Sex | null;
  age: number | null;
  phone: string | null;
  idNumber: string | null;
  /** A place of kind `home`: people sharing it are one household. */
  homeId: Id | null;
  occupation: string | null;
}

export interface Place {
  id: Id;
  name: string | null;
  kind: PlaceKind;
  lat: number | null;
  lon: number | null;
  /** Beds, for a quarantine site. */
  capacity: number | null;
}

export interface Boat {
  id: Id;
  name: string | null;
  registration: string | null;
  homePortId: Id | null;
}

export interface ColdChainItem {
  id: Id;
  product: string | null;
  lot: string | null;
  origin: string | null;
  arrivedAt: Instant | null;
}

/** What kind of thing an id names. */
export type EntityKind = 'person' | 'place' | 'boat' | 'item';

/**
 * A subject at/in a host over [start, end]: a person at a place or aboard a boat, a lot stored
 * at a place or carried by a boat, a boat docked at a place.
 */
export interface Stay {
  subjectId: Id;
  hostId: Id;
  start: Instant;
  end: Instant;
}

/** The relationship a stay becomes, from the kinds of its subject and host. */
export type StayType = 'STAYED_AT' | 'ABOARD' | 'STORED_AT' | 'CARRIED_BY' | 'DOCKED_AT';

export function stayTypeOf(subject: EntityKind, host: EntityKind): StayType | null {
  if (subject === 'person' && host === 'place') return 'STAYED_AT';
  if (subject === 'person' && host === 'boat') return 'ABOARD';
  if (subject === 'item' && host === 'place') return 'STORED_AT';
  if (subject === 'item' && host === 'boat') return 'CARRIED_BY';
  if (subject === 'boat' && host === 'place') return 'DOCKED_AT';
  return null;
}

export const CONTACT_SETTINGS = ['household', 'work', 'social', 'transport', 'care', 'other'] as const;
export type ContactSetting = (typeof CONTACT_SETTINGS)[number];

/** A contact reported in an interview. */
export interface Contact {
  personA: Id;
  personB: Id;
  start: Instant;
  end: Instant;
  setting: ContactSetting;
}

/** A person handled a cold-chain lot. */
export interface Handling {
  personId: Id;
  itemId: Id;
  at: Instant;
}

export type SampleResult = 'positive' | 'negative';
export type SampleMethod = 'pcr' | 'antigen';

/** A test of a person, or an environmental sample of a lot, place or boat. */
export interface Sample {
  subjectId: Id;
  sampledAt: Instant;
  result: SampleResult;
  method: SampleMethod;
  ct: number | null;
}

export type CaseClassification = 'confirmed' | 'asymptomatic';

export interface Case {
  personId: Id;
  /** `confirmed` = symptomatic. */
  classification: CaseClassification;
  onset: Instant | null;
  confirmedAt: Instant | null;
}

/** Everything one bundle or one mutation can carry. */
export interface RecordBatch {
  persons?: Person[];
  places?: Place[];
  boats?: Boat[];
  items?: ColdChainItem[];
  stays?: Stay[];
  contacts?: Contact[];
  handlings?: Handling[];
  samples?: Sample[];
  cases?: Case[];
}

export const COUNT_KEYS = [
  'persons',
  'places',
  'boats',
  'items',
  'stays',
  'contacts',
  'handlings',
  'samples',
  'cases',
] as const;
export type Counts = Record<(typeof COUNT_KEYS)[number], number>;
