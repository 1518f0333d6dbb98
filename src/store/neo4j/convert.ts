/**
 * Neo4j values at the edge: domain records to statement parameters (instants and whole numbers
 * as driver integers, so Neo4j stores INTEGER, not FLOAT) and query results back to domain
 * records (driver integers to plain numbers). Nothing past this file sees a driver Integer.
 */
import neo4j, { isInt, type Integer } from 'neo4j-driver';
import type {
  Boat,
  Case,
  CaseClassification,
  ColdChainItem,
  Contact,
  ContactSetting,
  Handling,
  Person,
  Place,
  Sample,
  SampleMethod,
  SampleResult,
  Sex,
  Stay,
} from '../../domain/types';
import type { WindowedId } from '../port';

// ---- in ---------------------------------------------------------------------------------------

/** A whole number (an instant, an age, a capacity) as a Cypher INTEGER. */
export function integer(n: number): Integer;
export function integer(n: number | null): Integer | null;
export function integer(n: number | null): Integer | null {
  if (n === null) return null;
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a whole number Neo4j can store exactly`);
  return neo4j.int(n);
}

export const personRow = (p: Person) => ({
  id: p.id,
  name: p.name,
  sex: p.sex,
  age: integer(p.age),
  phone: p.phone,
  idNumber: p.idNumber,
  homeId: p.homeId,
  occupation: p.occupation,
});

export const placeRow = (p: Place) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  lat: p.lat,
  lon: p.lon,
  capacity: integer(p.capacity),
});

export const boatRow = (b: Boat) => ({
  id: b.id,
  name: b.name,
  registration: b.registration,
  homePortId: b.homePortId,
});

export const itemRow = (i: ColdChainItem) => ({
  id: i.id,
  product: i.product,
  lot: i.lot,
  origin: i.origin,
  arrivedAt: integer(i.arrivedAt),
});

export const stayRow = (s: Stay) => ({
  subjectId: s.subjectId,
  hostId: s.hostId,
  start: integer(s.start),
  end: integer(s.end),
});

export const contactRow = (c: Contact) => ({
  personA: c.personA,
  personB: c.personB,
  start: integer(c.start),
  end: integer(c.end),
  setting: c.setting,
});

export const handlingRow = (h: Handling) => ({ personId: h.personId, itemId: h.itemId, at: integer(h.at) });

export const sampleRow = (s: Sample) => ({
  subjectId: s.subjectId,
  sampledAt: integer(s.sampledAt),
  result: s.result,
  method: s.method,
  ct: s.ct,
});

export const caseRow = (c: Case) => ({
  personId: c.personId,
  classification: c.classification,
  onset: integer(c.onset),
  confirmedAt: integer(c.confirmedAt),
});

/** The latest instant a Date can hold; query bounds beyond it (e.g. Infinity) are cut to it. */
const END_OF_TIME = 8.64e15;

function clampBound(at: number): number {
  if (Number.isNaN(at)) throw new RangeError('an instant bound is NaN');
  return Math.max(-END_OF_TIME, Math.min(END_OF_TIME, at));
}

/**
 * Query bounds as integers that select exactly the stored (whole-millisecond) instants the
 * number would: `x >= from` is `x >= ceil(from)`, `x <= to` is `x <= floor(to)`.
 */
export const lowerBound = (from: number): Integer => integer(Math.ceil(clampBound(from)));
export const upperBound = (to: number): Integer => integer(Math.floor(clampBound(to)));

export const windowRow = (w: WindowedId) => ({ id: w.id, from: lowerBound(w.from), to: upperBound(w.to) });

// ---- out --------------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

function numberOrNull(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (isInt(value)) {
    if (!value.inSafeRange())
      throw new RangeError(`Neo4j returned ${field} = ${value.toString()}, too large for a number`);
    return value.toNumber();
  }
  if (typeof value === 'number') return value;
  throw new TypeError(`Neo4j returned ${field} = ${String(value)}, not a number`);
}

function numberOf(value: unknown, field: string): number {
  const n = numberOrNull(value, field);
  if (n === null) throw new TypeError(`Neo4j returned no ${field}`);
  return n;
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function text(value: unknown, field: string): string {
  if (value === null || value === undefined) throw new TypeError(`Neo4j returned no ${field}`);
  return String(value);
}

/** A count (a driver Integer) as a number. */
export const toCount = (value: unknown, what: string): number => numberOf(value, what);

export const toPerson = (f: Fields): Person => ({
  id: text(f.id, 'Person.id'),
  name: textOrNull(f.name),
  sex: textOrNull(f.sex) as Sex | null,
  age: numberOrNull(f.age, 'Person.age'),
  phone: textOrNull(f.phone),
  idNumber: textOrNull(f.idNumber),
  homeId: textOrNull(f.homeId),
  occupation: textOrNull(f.occupation),
});

export const toPlace = (f: Fields): Place => ({
  id: text(f.id, 'Place.id'),
  name: textOrNull(f.name),
  kind: text(f.kind, 'Place.kind'),
  lat: numberOrNull(f.lat, 'Place.lat'),
  lon: numberOrNull(f.lon, 'Place.lon'),
  capacity: numberOrNull(f.capacity, 'Place.capacity'),
});

export const toBoat = (f: Fields): Boat => ({
  id: text(f.id, 'Boat.id'),
  name: textOrNull(f.name),
  registration: textOrNull(f.registration),
  homePortId: textOrNull(f.homePortId),
});

export const toItem = (f: Fields): ColdChainItem => ({
  id: text(f.id, 'ColdChainItem.id'),
  product: textOrNull(f.product),
  lot: textOrNull(f.lot),
  origin: textOrNull(f.origin),
  arrivedAt: numberOrNull(f.arrivedAt, 'ColdChainItem.arrivedAt'),
});

export const toStay = (f: Fields): Stay => ({
  subjectId: text(f.subjectId, 'stay subject'),
  hostId: text(f.hostId, 'stay host'),
  start: numberOf(f.start, 'stay start'),
  end: numberOf(f.end, 'stay end'),
});

export const toContact = (f: Fields): Contact => ({
  personA: text(f.personA, 'CONTACTED start node'),
  personB: text(f.personB, 'CONTACTED end node'),
  start: numberOf(f.start, 'CONTACTED.start'),
  end: numberOf(f.end, 'CONTACTED.end'),
  setting: text(f.setting, 'CONTACTED.setting') as ContactSetting,
});

export const toHandling = (f: Fields): Handling => ({
  personId: text(f.personId, 'HANDLED start node'),
  itemId: text(f.itemId, 'HANDLED end node'),
  at: numberOf(f.at, 'HANDLED.at'),
});

export const toSample = (f: Fields): Sample => ({
  subjectId: text(f.subjectId, 'sample subject'),
  sampledAt: numberOf(f.sampledAt, 'Sample.sampledAt'),
  result: text(f.result, 'Sample.result') as SampleResult,
  method: text(f.method, 'Sample.method') as SampleMethod,
  ct: numberOrNull(f.ct, 'Sample.ct'),
});

export const toCase = (f: Fields): Case => ({
  personId: text(f.personId, 'Case.personId'),
  classification: text(f.classification, 'Case.classification') as CaseClassification,
  onset: numberOrNull(f.onset, 'Case.onset'),
  confirmedAt: numberOrNull(f.confirmedAt, 'Case.confirmedAt'),
});
