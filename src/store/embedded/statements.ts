/**
 * Embedded store statements: every SQL statement the store runs, prepared once per connection
 * and reused. Id lists and per-id windows are bound as one JSON array and expanded with
 * `json_each`, so a lookup of any length is one statement and never meets SQLite's limit on
 * bound parameters.
 */
import type Database from 'better-sqlite3';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  EntityKind,
  Handling,
  Id,
  Person,
  Place,
  RecordBatch,
  Sample,
  Stay,
} from '../../domain/types';
import type { ResidentCount } from '../port';
import { ValidationError } from '../../domain/errors';
import { DAY } from '../../domain/time';
import { MAX_CONTACT_MS, MAX_STAY_MS } from './schema';

const DAY_MS = String(DAY);

// ---- projections: columns renamed to the domain's field names, written once --------------------

const PERSON_COLUMNS = 'id, name, sex, age, phone, id_number AS idNumber, home_id AS homeId, occupation';
const PLACE_COLUMNS = 'id, name, kind, lat, lon, capacity';
const BOAT_COLUMNS = 'id, name, registration, home_port_id AS homePortId';
const ITEM_COLUMNS = 'id, product, lot, origin, arrived_at AS arrivedAt';
const STAY_COLUMNS = 'subject_id AS subjectId, host_id AS hostId, start_at AS "start", end_at AS "end"';
const CONTACT_COLUMNS =
  'person_a AS personA, person_b AS personB, start_at AS "start", end_at AS "end", setting';
const HANDLING_COLUMNS = 'person_id AS personId, item_id AS itemId, at';
const SAMPLE_COLUMNS = 'subject_id AS subjectId, sampled_at AS sampledAt, result, method, ct';
const CASE_COLUMNS = 'person_id AS personId, classification, onset, confirmed_at AS confirmedAt';

/** Each kind of record: its table and its projection. */
export const RECORD_TABLES: { [K in keyof RecordBatch]-?: { table: string; columns: string } } = {
  persons: { table: 'persons', columns: PERSON_COLUMNS },
  places: { table: 'places', columns: PLACE_COLUMNS },
  boats: { table: 'boats', columns: BOAT_COLUMNS },
  items: { table: 'items', columns: ITEM_COLUMNS },
  stays: { table: 'stays', columns: STAY_COLUMNS },
  contacts: { table: 'contacts', columns: CONTACT_COLUMNS },
  handlings: { table: 'handlings', columns: HANDLING_COLUMNS },
  samples: { table: 'samples', columns: SAMPLE_COLUMNS },
  cases: { table: 'cases', columns: CASE_COLUMNS },
};

// ---- writes -------------------------------------------------------------------------------------

const CLAIM_ID = 'INSERT INTO entities (id, kind) VALUES (?, ?) ON CONFLICT (id) DO NOTHING';
const KIND_OF = 'SELECT kind FROM entities WHERE id = ?';

const UPSERT_PERSON = `
  INSERT INTO persons (id, name, sex, age, phone, id_number, home_id, occupation)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, sex = excluded.sex, age = excluded.age, phone = excluded.phone,
    id_number = excluded.id_number, home_id = excluded.home_id, occupation = excluded.occupation`;
const UPSERT_PLACE = `
  INSERT INTO places (id, name, kind, lat, lon, capacity) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, kind = excluded.kind, lat = excluded.lat, lon = excluded.lon,
    capacity = excluded.capacity`;
const UPSERT_BOAT = `
  INSERT INTO boats (id, name, registration, home_port_id) VALUES (?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, registration = excluded.registration, home_port_id = excluded.home_port_id`;
const UPSERT_ITEM = `
  INSERT INTO items (id, product, lot, origin, arrived_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    product = excluded.product, lot = excluded.lot, origin = excluded.origin,
    arrived_at = excluded.arrived_at`;
// DO NOTHING (not INSERT OR IGNORE): only an exact duplicate is skipped; a NOT NULL or CHECK
// violation still fails the write.
const INSERT_STAY = `
  INSERT INTO stays (subject_id, host_id, start_at, end_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const INSERT_CONTACT = `
  INSERT INTO contacts (person_a, person_b, start_at, end_at, setting) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;
const INSERT_HANDLING = `
  INSERT INTO handlings (person_id, item_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`;
const UPSERT_SAMPLE = `
  INSERT INTO samples (subject_id, sampled_at, method, result, ct) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (subject_id, sampled_at, method) DO UPDATE SET result = excluded.result, ct = excluded.ct`;
const UPSERT_CASE = `
  INSERT INTO cases (person_id, classification, onset, confirmed_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (person_id) DO UPDATE SET
    classification = excluded.classification, onset = excluded.onset, confirmed_at = excluded.confirmed_at`;
const RAISE_MAX = 'UPDATE meta SET value = max(value, ?) WHERE key = ?';
const RAISE_LONGEST_AT_HOST = `
  INSERT INTO longest_stay_at_host (host_id, ms) VALUES (?, ?)
  ON CONFLICT (host_id) DO UPDATE SET ms = max(ms, excluded.ms)`;
const RAISE_LONGEST_OF_SUBJECT = `
  INSERT INTO longest_stay_of_subject (subject_id, ms) VALUES (?, ?)
  ON CONFLICT (subject_id) DO UPDATE SET ms = max(ms, excluded.ms)`;
const RESET_META = 'UPDATE meta SET value = 0';

// ---- reads --------------------------------------------------------------------------------------

const byIds = (table: string, columns: string, key = 'id'): string =>
  `SELECT ${columns} FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`;

/**
 * The per-id windows, bound as one JSON array, read into a table `w (id, "from", "to")` once.
 * MATERIALIZED keeps SQLite from folding it into the join, where each window's JSON was parsed
 * again for every row of its range scan (a quarter of a large stay read).
 */
const WITH_WINDOWS = `
  WITH w AS MATERIALIZED (
    SELECT value ->> 'id' AS id, value ->> 'from' AS "from", value ->> 'to' AS "to" FROM json_each(?)
  )`;

/**
 * Intervals of `table` overlapping a window of `w` (see WITH_WINDOWS), found by a range scan on
 * `index` (id, start_at, ...): an interval overlaps [from, to] when start <= to and end >= from,
 * and since no interval is longer than `longest` (an SQL expression over the window `w`), its
 * start is also >= from - longest. The projection's columns are unqualified: none of them is also
 * a column of `w`.
 */
const windowed = (
  table: string,
  columns: string,
  index: string,
  idColumn: string,
  longest: string,
): string => `
  SELECT ${columns}
  FROM w CROSS JOIN ${table} AS t INDEXED BY ${index}
  WHERE t.${idColumn} = w.id
    AND t.start_at BETWEEN w."from" - ${longest} AND w."to"
    AND t.end_at >= w."from"`;

/** The longest interval of any id, from `meta`. */
const longestOfAll = (key: string): string => `(SELECT value FROM meta WHERE key = '${key}')`;
/** The longest stay of the window's own id, from a per-id table; null (no rows) when it has none. */
const longestOfId = (table: string, idColumn: string): string =>
  `(SELECT ms FROM ${table} WHERE ${idColumn} = w.id)`;

/**
 * The windows of a stay read (see `stayWindows` in ./store.ts): per id disjoint, in order of
 * start, each with the end of the one before (`after`, null for the first). A stay is taken at
 * the first window it overlaps: any later one it overlaps too comes after a window ending at or
 * after the stay's start. So each stay comes once with no GROUP BY or DISTINCT, whose sort of
 * every row cost as much as reading them; the rows come in index order, window by window.
 */
const withStayWindows = (...extra: string[]): string => `
  WITH w AS MATERIALIZED (
    SELECT value ->> 'id' AS id, value ->> 'from' AS "from", value ->> 'to' AS "to",
      ${['after', ...extra].map((field) => `value ->> '${field}' AS ${field}`).join(', ')}
    FROM json_each(@windows)
  )`;
const FIRST_WINDOW_OF_STAY = 'AND (w.after IS NULL OR t.start_at > w.after)';
const STAYS_OF_SUBJECTS = `${withStayWindows()}
  ${windowed('stays', STAY_COLUMNS, 'stays_by_subject', 'subject_id', longestOfId('longest_stay_of_subject', 'subject_id'))}
    ${FIRST_WINDOW_OF_STAY}`;
/**
 * As STAYS_OF_SUBJECTS, only stays elsewhere than the window's home that reach out of the daytime
 * between two nights (`sharesANight` in src/store/port.ts): the time of day of the start, after
 * local midnight, is taken in [0, DAY) also for instants before 1970.
 */
const STAYS_AWAY_AT_NIGHT = `${withStayWindows('homeId')}
  ${windowed('stays', STAY_COLUMNS, 'stays_by_subject', 'subject_id', longestOfId('longest_stay_of_subject', 'subject_id'))}
    ${FIRST_WINDOW_OF_STAY}
    AND t.host_id IS NOT w.homeId
    AND t.end_at > t.start_at
    AND NOT (((t.start_at + @offset) % ${DAY_MS} + ${DAY_MS}) % ${DAY_MS}
      BETWEEN @daytimeFrom AND @daytimeTo - (t.end_at - t.start_at))`;
const STAYS_AT_HOSTS = `${withStayWindows()}
  ${windowed('stays', STAY_COLUMNS, 'stays_by_host', 'host_id', longestOfId('longest_stay_at_host', 'host_id'))}
    ${FIRST_WINDOW_OF_STAY}`;
const CONTACTS_OF = `${WITH_WINDOWS}
  ${windowed('contacts', CONTACT_COLUMNS, 'contacts_by_a', 'person_a', longestOfAll(MAX_CONTACT_MS))}
  UNION
  ${windowed('contacts', CONTACT_COLUMNS, 'contacts_by_b', 'person_b', longestOfAll(MAX_CONTACT_MS))}
  ORDER BY "start", personA, personB, "end", setting`;

/** Handlings at an instant within a window of `w`, by a range scan on `index` (id, at, ...). */
const handlingsWithin = (index: string, idColumn: string): string => `${WITH_WINDOWS}
  SELECT DISTINCT h.person_id AS personId, h.item_id AS itemId, h.at AS at
  FROM w CROSS JOIN handlings AS h INDEXED BY ${index}
  WHERE h.${idColumn} = w.id AND h.at BETWEEN w."from" AND w."to"
  ORDER BY h.at, h.person_id, h.item_id`;

const SAMPLES_OF = `
  SELECT s.subject_id AS subjectId, s.sampled_at AS sampledAt, s.result, s.method, s.ct
  FROM json_each(?) AS ids CROSS JOIN samples AS s INDEXED BY samples_identity
  WHERE s.subject_id = ids.value AND s.sampled_at <= ?
  ORDER BY s.subject_id, s.sampled_at, s.method`;
const SAMPLES_BY_KEY = `
  SELECT s.subject_id AS subjectId, s.sampled_at AS sampledAt, s.result, s.method, s.ct
  FROM json_each(?) AS k CROSS JOIN samples AS s INDEXED BY samples_identity
  WHERE s.subject_id = k.value ->> 'subjectId' AND s.sampled_at = k.value ->> 'sampledAt'
    AND s.method = k.value ->> 'method'`;
const POSITIVE_ENVIRONMENTAL_SAMPLES = `
  SELECT s.subject_id AS subjectId, s.sampled_at AS sampledAt, s.result, s.method, s.ct
  FROM samples AS s INDEXED BY samples_positive JOIN entities AS e ON e.id = s.subject_id
  WHERE s.result = 'positive' AND s.sampled_at <= ? AND e.kind IN ('item', 'place', 'boat')
  ORDER BY s.sampled_at, s.subject_id, s.method`;
// A case is known once confirmed or, with no confirmation date, once its onset is.
const LIST_CASES = `
  SELECT ${CASE_COLUMNS} FROM cases
  WHERE @asOf IS NULL OR coalesce(confirmed_at, onset) <= @asOf
  ORDER BY person_id`;
const RESIDENTS_OF = `${byIds('persons', PERSON_COLUMNS, 'home_id')} ORDER BY home_id, id`;
// Counted in the index on home_id: no person row is read.
const RESIDENT_COUNTS = `
  SELECT home_id AS homeId, count(*) AS residents FROM persons
  WHERE home_id IN (SELECT value FROM json_each(?))
  GROUP BY home_id ORDER BY home_id`;
const PLACES_OF_KIND = `${byIds('places', PLACE_COLUMNS, 'kind')} ORDER BY kind, id`;
// lower() on both sides folds ASCII letters only, the same way; other scripts match as written.
const SEARCH_PERSONS = `
  SELECT ${PERSON_COLUMNS} FROM persons
  WHERE instr(lower(name), lower(@text)) > 0
     OR instr(lower(phone), lower(@text)) > 0
     OR instr(lower(id_number), lower(@text)) > 0
  ORDER BY rowid LIMIT @limit`;
const COUNTS = `SELECT ${Object.entries(RECORD_TABLES)
  .map(([key, { table }]) => `(SELECT count(*) FROM ${table}) AS ${key}`)
  .join(', ')}`;

/** An id list or window list, bound as one JSON parameter. */
export const asJson = (values: unknown): string => JSON.stringify(values);

/** The windows (JSON, with their homes) and the daytime of STAYS_AWAY_AT_NIGHT. */
export interface NightsParameters {
  windows: string;
  offset: number;
  daytimeFrom: number;
  daytimeTo: number;
}

export type EntityKindRow = { id: Id; kind: EntityKind };
type Row<T> = T & { rowid_: number };

/** The statements of one connection. */
export class Statements {
  private readonly claimId;
  private readonly kindOf;
  private readonly upsertPerson;
  private readonly upsertPlace;
  private readonly upsertBoat;
  private readonly upsertItem;
  private readonly insertStay;
  private readonly insertContact;
  private readonly insertHandling;
  private readonly upsertSample;
  private readonly upsertCase;
  private readonly raiseMax;
  private readonly raiseLongestAtHost;
  private readonly raiseLongestOfSubject;
  readonly resetMeta;

  readonly entityKinds;
  readonly persons;
  readonly places;
  readonly boats;
  readonly items;
  readonly casesOf;
  readonly listCases;
  readonly samplesOf;
  readonly samplesByKey;
  readonly positiveEnvironmentalSamples;
  readonly staysOfSubjects;
  readonly staysAwayAtNight;
  readonly staysAtHosts;
  readonly residentsOf;
  readonly residentCounts;
  readonly contactsOf;
  readonly handlingsBy;
  readonly handlingsOf;
  readonly placesOfKind;
  readonly searchPersons;
  readonly counts;
  readonly scanPage: { [K in keyof RecordBatch]-?: Database.Statement<[number, number], Row<unknown>> };

  constructor(readonly db: Database.Database) {
    this.claimId = db.prepare<[Id, EntityKind]>(CLAIM_ID);
    this.kindOf = db.prepare<[Id], EntityKind>(KIND_OF).pluck();
    this.upsertPerson = db.prepare(UPSERT_PERSON);
    this.upsertPlace = db.prepare(UPSERT_PLACE);
    this.upsertBoat = db.prepare(UPSERT_BOAT);
    this.upsertItem = db.prepare(UPSERT_ITEM);
    this.insertStay = db.prepare(INSERT_STAY);
    this.insertContact = db.prepare(INSERT_CONTACT);
    this.insertHandling = db.prepare(INSERT_HANDLING);
    this.upsertSample = db.prepare(UPSERT_SAMPLE);
    this.upsertCase = db.prepare(UPSERT_CASE);
    this.raiseMax = db.prepare<[number, string]>(RAISE_MAX);
    this.raiseLongestAtHost = db.prepare<[Id, number]>(RAISE_LONGEST_AT_HOST);
    this.raiseLongestOfSubject = db.prepare<[Id, number]>(RAISE_LONGEST_OF_SUBJECT);
    this.resetMeta = db.prepare(RESET_META);

    this.entityKinds = db.prepare<[string], EntityKindRow>(byIds('entities', 'id, kind'));
    this.persons = db.prepare<[string], Person>(byIds('persons', PERSON_COLUMNS));
    this.places = db.prepare<[string], Place>(byIds('places', PLACE_COLUMNS));
    this.boats = db.prepare<[string], Boat>(byIds('boats', BOAT_COLUMNS));
    this.items = db.prepare<[string], ColdChainItem>(byIds('items', ITEM_COLUMNS));
    this.casesOf = db.prepare<[string], Case>(byIds('cases', CASE_COLUMNS, 'person_id'));
    this.listCases = db.prepare<[{ asOf: number | null }], Case>(LIST_CASES);
    this.samplesOf = db.prepare<[string, number], Sample>(SAMPLES_OF);
    this.samplesByKey = db.prepare<[string], Sample>(SAMPLES_BY_KEY);
    this.positiveEnvironmentalSamples = db.prepare<[number], Sample>(POSITIVE_ENVIRONMENTAL_SAMPLES);
    this.staysOfSubjects = db.prepare<[{ windows: string }], Stay>(STAYS_OF_SUBJECTS);
    this.staysAwayAtNight = db.prepare<[NightsParameters], Stay>(STAYS_AWAY_AT_NIGHT);
    this.staysAtHosts = db.prepare<[{ windows: string }], Stay>(STAYS_AT_HOSTS);
    this.residentsOf = db.prepare<[string], Person>(RESIDENTS_OF);
    this.residentCounts = db.prepare<[string], ResidentCount>(RESIDENT_COUNTS);
    this.contactsOf = db.prepare<[string], Contact>(CONTACTS_OF);
    this.handlingsBy = db.prepare<[string], Handling>(handlingsWithin('handlings_by_person', 'person_id'));
    this.handlingsOf = db.prepare<[string], Handling>(handlingsWithin('handlings_by_item', 'item_id'));
    this.placesOfKind = db.prepare<[string], Place>(PLACES_OF_KIND);
    this.searchPersons = db.prepare<[{ text: string; limit: number }], Person>(SEARCH_PERSONS);
    this.counts = db.prepare<[], Record<keyof RecordBatch, number>>(COUNTS);

    const scanPage = (kind: keyof RecordBatch): Database.Statement<[number, number], Row<unknown>> => {
      const { table, columns } = RECORD_TABLES[kind];
      return db.prepare(
        `SELECT rowid AS rowid_, ${columns} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      );
    };
    this.scanPage = {
      persons: scanPage('persons'),
      places: scanPage('places'),
      boats: scanPage('boats'),
      items: scanPage('items'),
      stays: scanPage('stays'),
      contacts: scanPage('contacts'),
      handlings: scanPage('handlings'),
      samples: scanPage('samples'),
      cases: scanPage('cases'),
    };
  }

  /** Records that an id names an entity of this kind; an id cannot name two kinds. */
  private claim(id: Id, kind: EntityKind, list: keyof RecordBatch, index: number): void {
    if (this.claimId.run(id, kind).changes > 0) return;
    const existing = this.kindOf.get(id);
    if (existing !== undefined && existing !== kind) {
      const word = existing === 'item' ? 'lot' : existing;
      throw new ValidationError([
        { file: `${list}[${index}]`, line: 0, column: 'id', reason: `"${id}" is already a ${word}` },
      ]);
    }
  }

  /** Writes a batch on this connection; the caller holds the transaction. */
  apply(batch: RecordBatch): void {
    for (const [index, p] of (batch.places ?? []).entries()) {
      this.claim(p.id, 'place', 'places', index);
      this.upsertPlace.run(p.id, p.name ?? null, p.kind, p.lat ?? null, p.lon ?? null, p.capacity ?? null);
    }
    for (const [index, p] of (batch.persons ?? []).entries()) {
      this.claim(p.id, 'person', 'persons', index);
      this.upsertPerson.run(
        p.id,
        p.name ?? null,
        p.sex ?? null,
        p.age ?? null,
        p.phone ?? null,
        p.idNumber ?? null,
        p.homeId ?? null,
        p.occupation ?? null,
      );
    }
    for (const [index, b] of (batch.boats ?? []).entries()) {
      this.claim(b.id, 'boat', 'boats', index);
      this.upsertBoat.run(b.id, b.name ?? null, b.registration ?? null, b.homePortId ?? null);
    }
    for (const [index, i] of (batch.items ?? []).entries()) {
      this.claim(i.id, 'item', 'items', index);
      this.upsertItem.run(i.id, i.product ?? null, i.lot ?? null, i.origin ?? null, i.arrivedAt ?? null);
    }
    let longestStay = 0;
    // Per host and subject, raised once per batch rather than once per stay.
    const longestAtHost = new Map<Id, number>();
    const longestOfSubject = new Map<Id, number>();
    for (const s of batch.stays ?? []) {
      this.insertStay.run(s.subjectId, s.hostId, s.start, s.end);
      const length = s.end - s.start;
      if (length > longestStay) longestStay = length;
      if (length > (longestAtHost.get(s.hostId) ?? -1)) longestAtHost.set(s.hostId, length);
      if (length > (longestOfSubject.get(s.subjectId) ?? -1)) longestOfSubject.set(s.subjectId, length);
    }
    if (longestStay > 0) this.raiseMax.run(longestStay, MAX_STAY_MS);
    for (const [hostId, length] of longestAtHost) this.raiseLongestAtHost.run(hostId, length);
    for (const [subjectId, length] of longestOfSubject) this.raiseLongestOfSubject.run(subjectId, length);
    let longestContact = 0;
    for (const c of batch.contacts ?? []) {
      this.insertContact.run(c.personA, c.personB, c.start, c.end, c.setting);
      if (c.end - c.start > longestContact) longestContact = c.end - c.start;
    }
    if (longestContact > 0) this.raiseMax.run(longestContact, MAX_CONTACT_MS);
    for (const h of batch.handlings ?? []) this.insertHandling.run(h.personId, h.itemId, h.at);
    for (const s of batch.samples ?? []) {
      this.upsertSample.run(s.subjectId, s.sampledAt, s.method, s.result, s.ct ?? null);
    }
    for (const c of batch.cases ?? []) {
      this.upsertCase.run(c.personId, c.classification, c.onset ?? null, c.confirmedAt ?? null);
    }
  }
}
