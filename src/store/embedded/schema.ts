/**
 * Embedded store schema: the SQLite tables and indexes, applied as numbered migrations tracked in
 * `PRAGMA user_version` so that opening an older database brings it up to date.
 */
import type Database from 'better-sqlite3';
import { StoreBusyError } from '../../domain/errors';
import { retryWhileBusy } from './busy-wait';
import { BUSY_TIMEOUT_MS, isBusy } from './connection';

/**
 * Keys of the `meta` table: the longest stay and contact kept. The longest contact bounds contact
 * window scans; stay window scans are bounded per host or subject (`longest_stay_at_host`,
 * `longest_stay_of_subject`).
 */
export const MAX_STAY_MS = 'max_stay_ms';
export const MAX_CONTACT_MS = 'max_contact_ms';

/**
 * Each entry brings the schema from version i to i + 1. Never edit a released entry: append one.
 *
 * Instants are INTEGER epoch milliseconds. References are deferred foreign keys, checked at
 * commit, so that one transaction may write a stay before the person it names. Window indexes
 * lead with the id and the start instant and also carry the end (and the other id), so a window
 * read is answered from the index alone.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE entities (
    id   TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'place', 'boat', 'item'))
  );

  CREATE TABLE places (
    id       TEXT PRIMARY KEY,
    name     TEXT,
    kind     TEXT NOT NULL,
    lat      REAL,
    lon      REAL,
    capacity INTEGER
  );
  CREATE INDEX places_by_kind ON places (kind);

  CREATE TABLE persons (
    id         TEXT PRIMARY KEY,
    name       TEXT,
    sex        TEXT CHECK (sex IN ('M', 'F')),
    age        INTEGER,
    phone      TEXT,
    id_number  TEXT,
    home_id    TEXT REFERENCES places (id) DEFERRABLE INITIALLY DEFERRED,
    occupation TEXT
  );
  CREATE INDEX persons_by_home ON persons (home_id);

  CREATE TABLE boats (
    id           TEXT PRIMARY KEY,
    name         TEXT,
    registration TEXT,
    home_port_id TEXT REFERENCES places (id) DEFERRABLE INITIALLY DEFERRED
  );
  CREATE INDEX boats_by_home_port ON boats (home_port_id);

  CREATE TABLE items (
    id         TEXT PRIMARY KEY,
    product    TEXT,
    lot        TEXT,
    origin     TEXT,
    arrived_at INTEGER
  );

  CREATE TABLE stays (
    subject_id TEXT NOT NULL REFERENCES entities (id) DEFERRABLE INITIALLY DEFERRED,
    host_id    TEXT NOT NULL REFERENCES entities (id) DEFERRABLE INITIALLY DEFERRED,
    start_at   INTEGER NOT NULL,
    end_at     INTEGER NOT NULL CHECK (end_at >= start_at)
  );
  CREATE UNIQUE INDEX stays_by_subject ON stays (subject_id, start_at, end_at, host_id);
  CREATE INDEX stays_by_host ON stays (host_id, start_at, end_at, subject_id);

  CREATE TABLE contacts (
    person_a TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    person_b TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    start_at INTEGER NOT NULL,
    end_at   INTEGER NOT NULL CHECK (end_at >= start_at),
    setting  TEXT NOT NULL
  );
  -- The same contact whichever person is a or b: the pair as first written is kept.
  CREATE UNIQUE INDEX contacts_identity
    ON contacts (min(person_a, person_b), max(person_a, person_b), start_at, end_at, setting);
  CREATE INDEX contacts_by_a ON contacts (person_a, start_at, end_at, person_b, setting);
  CREATE INDEX contacts_by_b ON contacts (person_b, start_at, end_at, person_a, setting);

  CREATE TABLE handlings (
    person_id TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    item_id   TEXT NOT NULL REFERENCES items (id) DEFERRABLE INITIALLY DEFERRED,
    at        INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX handlings_by_person ON handlings (person_id, at, item_id);
  CREATE INDEX handlings_by_item ON handlings (item_id, at, person_id);

  CREATE TABLE samples (
    subject_id TEXT NOT NULL REFERENCES entities (id) DEFERRABLE INITIALLY DEFERRED,
    sampled_at INTEGER NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('pcr', 'antigen')),
    result     TEXT NOT NULL CHECK (result IN ('positive', 'negative')),
    ct         REAL
  );
  CREATE UNIQUE INDEX samples_identity ON samples (subject_id, sampled_at, method);
  CREATE INDEX samples_positive ON samples (sampled_at) WHERE result = 'positive';

  CREATE TABLE cases (
    person_id      TEXT PRIMARY KEY REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    classification TEXT NOT NULL CHECK (classification IN ('confirmed', 'asymptomatic')),
    onset          INTEGER,
    confirmed_at   INTEGER
  );

  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('${MAX_STAY_MS}', 0), ('${MAX_CONTACT_MS}', 0);
  `,
  // The longest stay at each host and of each subject. A window read reaches back by the longest
  // stay of that host or subject, not the longest anywhere: with one fortnight at the port in
  // \`meta\`, every window at a test site scanned two weeks of visits before it.
  `
  CREATE TABLE longest_stay_at_host (
    host_id TEXT PRIMARY KEY,
    ms      INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE longest_stay_of_subject (
    subject_id TEXT PRIMARY KEY,
    ms         INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO longest_stay_at_host (host_id, ms)
    SELECT host_id, max(end_at - start_at) FROM stays GROUP BY host_id;
  INSERT INTO longest_stay_of_subject (subject_id, ms)
    SELECT subject_id, max(end_at - start_at) FROM stays GROUP BY subject_id;
  `,
];

/** Tables in an order that deletes referring rows before the rows they refer to. */
export const TABLES_CHILDREN_FIRST = [
  'longest_stay_at_host',
  'longest_stay_of_subject',
  'cases',
  'samples',
  'handlings',
  'contacts',
  'stays',
  'persons',
  'boats',
  'items',
  'places',
  'entities',
] as const;

/**
 * Applies the migrations this database has not had yet, each in its own transaction. `report` is
 * told of each one applied to a database that already had a schema (a new file has no records to
 * rewrite). While another process holds the write lock (its import), waits on a timer
 * (`retryWhileBusy`), telling `report` first, since a command opening the store would otherwise sit
 * silent for the wait; past BUSY_TIMEOUT_MS throws StoreBusyError, the file left as it was.
 */
export async function migrateSchema(db: Database.Database, report?: (step: string) => void): Promise<void> {
  const known = MIGRATIONS.length;
  const versionOf = (): number => db.pragma('user_version', { simple: true }) as number;
  // Up to date: no need for the write lock (another process may be importing).
  const initial = versionOf();
  if (initial === known) return;
  // A file that had no schema when opened has no records to rewrite, whatever it reaches first.
  const tell = initial > 0 ? report : undefined;
  for (;;) {
    // Read the version inside the write lock, so two processes opening the same file at once
    // do not both apply a migration.
    const waiting = (): void =>
      tell?.(
        `another process is writing to it (an import?): waiting up to ${BUSY_TIMEOUT_MS / 1000} s for it to end ` +
          `before upgrading the schema from version ${initial} to ${known}`,
      );
    const applied = await upgrading(db, initial, known, waiting, () =>
      db
        .transaction((): boolean => {
          const version = versionOf();
          if (version > known) {
            throw new Error(
              `${db.name} has schema version ${version}, newer than this tracegraph knows (${known}); ` +
                'upgrade tracegraph to open it',
            );
          }
          if (version === known) return false;
          tell?.(`schema version ${version} to ${version + 1} (once)`);
          db.exec(MIGRATIONS[version]!);
          db.pragma(`user_version = ${version + 1}`);
          return true;
        })
        .immediate(),
    );
    if (!applied) return;
  }
}

/**
 * Runs one step of the upgrade, waiting on a timer while another process holds the write lock
 * (`onWait` told once, before the first pause); still held after the wait, it becomes
 * StoreBusyError. A refused step did nothing: its BEGIN IMMEDIATE was refused.
 */
async function upgrading<T>(
  db: Database.Database,
  from: number,
  to: number,
  onWait: () => void,
  step: () => T,
): Promise<T> {
  try {
    return await retryWhileBusy(db, Date.now(), step, undefined, onWait);
  } catch (err) {
    if (!isBusy(err)) throw err;
    throw new StoreBusyError(
      `${db.name} is locked by another writer (an import in another process?), so its schema cannot be ` +
        `upgraded from version ${from} to ${to} now; nothing was changed: try again when it ends`,
      null,
      err,
      'every-write',
    );
  }
}
