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
import type { UnfinishedImport, WindowedId } from '../port';

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
const wholeFrom = (from: number): number => Math.ceil(clampBound(from));
const wholeTo = (to: number): number => Math.floor(clampBound(to));
export const lowerBound = (from: number): Integer => integer(wholeFrom(from));
export const upperBound = (to: number): Integer => integer(wholeTo(to));

/**
 * Windows as statement rows, one per id with all its windows, ids in the order they first appear:
 * the windowed reads expand each node once, however many windows it has. The bounds are whole
 * numbers (as `lowerBound` and `upperBound` round them) sent as plain numbers, which Bolt carries
 * as floats: exact, since every bound is within ±8.64e15 (under 2^53), and Cypher compares them
 * with the integer instants stored as numbers. Packing a driver Integer cost about twice as much
 * per window (18 against 12 ms of this thread for 2,000 windows), and a load at a million
 * persons sends some 800,000.
 */
export function windowGroups(
  windows: readonly WindowedId[],
): { id: string; windows: { from: number; to: number }[] }[] {
  const byId = new Map<string, { from: number; to: number }[]>();
  for (const w of windows) {
    const bounds = { from: wholeFrom(w.from), to: wholeTo(w.to) };
    const list = byId.get(w.id);
    if (list) list.push(bounds);
    else byId.set(w.id, [bounds]);
  }
  return Array.from(byId, ([id, bounds]) => ({ id, windows: bounds }));
}

// ---- out --------------------------------------------------------------------------------------

/** A result row: a driver Record, read by column name (the columns are named as the fields). */
export interface Row {
  get(column: string): unknown;
}

function numberOrNull(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (isInt(value)) {
    // toNumber() is exact whenever the result is a safe integer, and no rounded result of an
    // unsafe one is safe: one check on the number, where inSafeRange() did Integer arithmetic.
    const n = value.toNumber();
    if (!Number.isSafeInteger(n))
      throw new RangeError(`Neo4j returned ${field} = ${value.toString()}, too large for a number`);
    return n;
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

export const toPerson = (f: Row): Person => ({
  id: text(f.get('id'), 'Person.id'),
  name: textOrNull(f.get('name')),
  sex: textOrNull(f.get('sex')) as Sex | null,
  age: numberOrNull(f.get('age'), 'Person.age'),
  phone: textOrNull(f.get('phone')),
  idNumber: textOrNull(f.get('idNumber')),
  homeId: textOrNull(f.get('homeId')),
  occupation: textOrNull(f.get('occupation')),
});

export const toPlace = (f: Row): Place => ({
  id: text(f.get('id'), 'Place.id'),
  name: textOrNull(f.get('name')),
  kind: text(f.get('kind'), 'Place.kind'),
  lat: numberOrNull(f.get('lat'), 'Place.lat'),
  lon: numberOrNull(f.get('lon'), 'Place.lon'),
  capacity: numberOrNull(f.get('capacity'), 'Place.capacity'),
});

export const toBoat = (f: Row): Boat => ({
  id: text(f.get('id'), 'Boat.id'),
  name: textOrNull(f.get('name')),
  registration: textOrNull(f.get('registration')),
  homePortId: textOrNull(f.get('homePortId')),
});

export const toItem = (f: Row): ColdChainItem => ({
  id: text(f.get('id'), 'ColdChainItem.id'),
  product: textOrNull(f.get('product')),
  lot: textOrNull(f.get('lot')),
  origin: textOrNull(f.get('origin')),
  arrivedAt: numberOrNull(f.get('arrivedAt'), 'ColdChainItem.arrivedAt'),
});

export const toStay = (f: Row): Stay => ({
  subjectId: text(f.get('subjectId'), 'stay subject'),
  hostId: text(f.get('hostId'), 'stay host'),
  start: numberOf(f.get('start'), 'stay start'),
  end: numberOf(f.get('end'), 'stay end'),
});

export const toContact = (f: Row): Contact => ({
  personA: text(f.get('personA'), 'CONTACTED start node'),
  personB: text(f.get('personB'), 'CONTACTED end node'),
  start: numberOf(f.get('start'), 'CONTACTED.start'),
  end: numberOf(f.get('end'), 'CONTACTED.end'),
  setting: text(f.get('setting'), 'CONTACTED.setting') as ContactSetting,
});

export const toHandling = (f: Row): Handling => ({
  personId: text(f.get('personId'), 'HANDLED start node'),
  itemId: text(f.get('itemId'), 'HANDLED end node'),
  at: numberOf(f.get('at'), 'HANDLED.at'),
});

export const toSample = (f: Row): Sample => ({
  subjectId: text(f.get('subjectId'), 'sample subject'),
  sampledAt: numberOf(f.get('sampledAt'), 'Sample.sampledAt'),
  result: text(f.get('result'), 'Sample.result') as SampleResult,
  method: text(f.get('method'), 'Sample.method') as SampleMethod,
  ct: numberOrNull(f.get('ct'), 'Sample.ct'),
});

export const toCase = (f: Row): Case => ({
  personId: text(f.get('personId'), 'Case.personId'),
  classification: text(f.get('classification'), 'Case.classification') as CaseClassification,
  onset: numberOrNull(f.get('onset'), 'Case.onset'),
  confirmedAt: numberOrNull(f.get('confirmedAt'), 'Case.confirmedAt'),
});

export const toUnfinishedImport = (f: Row): UnfinishedImport => ({
  bundle: text(f.get('bundle'), 'UnfinishedImport.bundle'),
  startedAt: numberOf(f.get('startedAt'), 'UnfinishedImport.startedAt'),
  pid: numberOf(f.get('pid'), 'UnfinishedImport.pid'),
  host: text(f.get('host'), 'UnfinishedImport.host'),
});
