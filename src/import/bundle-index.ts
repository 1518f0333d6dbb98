/**
 * What validation remembers about a bundle while reading it: the entities it defines (and the kind
 * of each place), the keys of keyed rows with a fingerprint of their fields, the kinds the store
 * answered for ids outside the bundle (and of the places a home_id names), and the rows whose
 * references wait for those answers. All of it lives in an anonymous
 * temporary SQLite database (on disk in the system temp folder, never named: SQLite unlinks it
 * as soon as it is opened, so it disappears on close and even if the process dies), so that
 * validation's memory does not grow with the bundle: a 1M-person district has about 20 million
 * rows.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { FileName, Reference } from '../domain/records';
import { HOME_KIND, type EntityKind, type Id, type PlaceKind } from '../domain/types';

/** SQLite page cache of the index, in KiB: the hot end of its B-trees; the rest spills to disk. */
const CACHE_KIB = 32 * 1024;

/** An entity defined by the bundle. */
export interface Definition {
  kind: EntityKind;
  file: FileName;
  line: number;
  /** Null when the row had other problems (its id still counts as defined). */
  fingerprint: Buffer | null;
  /** The kind of a place; null for other entities and for a row with problems. */
  placeKind: PlaceKind | null;
}

/** A place of the bundle whose kind is not `home`. */
export interface PlaceNotAHome {
  id: Id;
  line: number;
  placeKind: PlaceKind;
}

/** A keyed row seen earlier. */
export interface KeyedRow {
  line: number;
  fingerprint: Buffer;
}

/** A row whose references wait for the kinds of their ids. */
export interface PendingRow {
  file: FileName;
  line: number;
  references: Reference[];
}

/** 20 bytes that differ whenever two records' fields differ. */
export function fingerprint(record: unknown): Buffer {
  return createHash('sha1').update(JSON.stringify(record)).digest();
}

const SCHEMA = `
CREATE TABLE definition (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  fingerprint BLOB,
  place_kind TEXT
) WITHOUT ROWID;
-- The places that are not homes, to ask the store whether anyone lives there.
CREATE INDEX place_not_a_home ON definition (id) WHERE place_kind <> '${HOME_KIND}';
CREATE TABLE keyed (
  file TEXT NOT NULL,
  key TEXT NOT NULL,
  line INTEGER NOT NULL,
  fingerprint BLOB NOT NULL,
  PRIMARY KEY (file, key)
) WITHOUT ROWID;
-- kind is NULL where the store does not have the id; place_kind is NULL until asked for.
CREATE TABLE stored (
  id TEXT PRIMARY KEY,
  kind TEXT,
  place_kind TEXT
) WITHOUT ROWID;
CREATE TABLE pending (
  seq INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  refs TEXT NOT NULL
);`;

export class BundleIndex {
  private readonly db: Database.Database;
  private readonly statements;

  constructor() {
    // An empty file name opens a private temporary database on disk that SQLite deletes itself.
    this.db = new Database('');
    // Nothing here must survive a crash: no journal, no fsync.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    this.db.exec(SCHEMA);
    const db = this.db;
    this.statements = {
      define: db.prepare(
        'INSERT INTO definition (id, kind, file, line, fingerprint, place_kind) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      definition: db.prepare(
        'SELECT kind, file, line, fingerprint, place_kind AS placeKind FROM definition WHERE id = ?',
      ),
      placesNotHomes: db.prepare(
        `SELECT id, line, place_kind AS placeKind FROM definition INDEXED BY place_not_a_home
         WHERE place_kind <> '${HOME_KIND}' AND id > ? ORDER BY id LIMIT ?`,
      ),
      claimKey: db.prepare(
        'INSERT INTO keyed (file, key, line, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      keyed: db.prepare('SELECT line, fingerprint FROM keyed WHERE file = ? AND key = ?'),
      stored: db.prepare('SELECT kind, place_kind AS placeKind FROM stored WHERE id = ?'),
      remember: db.prepare('INSERT OR REPLACE INTO stored (id, kind) VALUES (?, ?)'),
      rememberPlaceKind: db.prepare('UPDATE stored SET place_kind = ? WHERE id = ?'),
      addPending: db.prepare('INSERT INTO pending (file, line, refs) VALUES (?, ?, ?)'),
      firstPending: db.prepare('SELECT seq, file, line, refs FROM pending ORDER BY seq LIMIT ?'),
      dropPending: db.prepare('DELETE FROM pending WHERE seq <= ?'),
    };
    // One transaction for the whole validation: each statement would otherwise commit on its own.
    // It is never committed; closing the connection throws it away with the file.
    this.db.exec('BEGIN');
  }

  /** Records the definition, unless the id is defined already: then returns the earlier one. */
  define(id: Id, definition: Definition): Definition | undefined {
    const { kind, file, line, fingerprint: print, placeKind } = definition;
    if (this.statements.define.run(id, kind, file, line, print, placeKind).changes === 1) return undefined;
    return this.definition(id);
  }

  definition(id: Id): Definition | undefined {
    return this.statements.definition.get(id) as Definition | undefined;
  }

  /** Up to `limit` places of the bundle that are not homes, in id order after `after`. */
  placesNotHomes(after: Id, limit: number): PlaceNotAHome[] {
    return this.statements.placesNotHomes.all(after, limit) as PlaceNotAHome[];
  }

  /** Records a keyed row, unless its file had the key already: then returns the earlier row. */
  claimKey(file: FileName, key: string, line: number, print: Buffer): KeyedRow | undefined {
    if (this.statements.claimKey.run(file, key, line, print).changes === 1) return undefined;
    return this.statements.keyed.get(file, key) as KeyedRow;
  }

  /** The kind the store answered for an id: null if it has none, undefined if never asked. */
  storedKind(id: Id): EntityKind | null | undefined {
    const row = this.statements.stored.get(id) as { kind: EntityKind | null } | undefined;
    return row?.kind;
  }

  rememberStoredKind(id: Id, kind: EntityKind | null): void {
    this.statements.remember.run(id, kind);
  }

  /** The kind of a place in the store, once asked for (`rememberStoredPlaceKind`); else undefined. */
  storedPlaceKind(id: Id): PlaceKind | undefined {
    const row = this.statements.stored.get(id) as { placeKind: PlaceKind | null } | undefined;
    return row?.placeKind ?? undefined;
  }

  /** Records the kind the store has for a place whose kind it answered (`rememberStoredKind`). */
  rememberStoredPlaceKind(id: Id, placeKind: PlaceKind): void {
    this.statements.rememberPlaceKind.run(placeKind, id);
  }

  addPending(row: PendingRow): void {
    this.statements.addPending.run(row.file, row.line, JSON.stringify(row.references));
  }

  /** Removes and returns up to `limit` pending rows, oldest first. */
  takePending(limit: number): PendingRow[] {
    const rows = this.statements.firstPending.all(limit) as {
      seq: number;
      file: FileName;
      line: number;
      refs: string;
    }[];
    if (rows.length > 0) this.statements.dropPending.run(rows[rows.length - 1]!.seq);
    return rows.map((r) => ({ file: r.file, line: r.line, references: JSON.parse(r.refs) as Reference[] }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
