/**
 * Neo4j Cypher: every statement the Neo4j store runs, as named constants, and the graph model
 * they read and write.
 *
 * Graph model:
 *   (:Person:Entity {id, name, sex, age, phone, idNumber, homeId, occupation})
 *   (:Place:Entity {id, name, kind, lat, lon, capacity, longestStay})
 *   (:Boat:Entity {id, name, registration, homePortId, longestStay})
 *   (:ColdChainItem:Entity {id, product, lot, origin, arrivedAt})
 *   (:Person)-[:LIVES_IN]->(:Place)          from Person.homeId
 *   (:Boat)-[:HOME_PORT]->(:Place)           from Boat.homePortId
 *   (:Person)-[:STAYED_AT {start, end, key, hostId}]->(:Place)
 *   (:Person)-[:ABOARD {start, end, key, hostId}]->(:Boat)
 *   (:ColdChainItem)-[:STORED_AT {start, end, key, hostId}]->(:Place)
 *   (:ColdChainItem)-[:CARRIED_BY {start, end, key, hostId}]->(:Boat)
 *   (:Boat)-[:DOCKED_AT {start, end, key, hostId}]->(:Place)
 *   (:Person)-[:CONTACTED {start, end, setting, personA, personB}]->(:Person)
 *   (:Person)-[:HANDLED {at}]->(:ColdChainItem)
 *   (subject:Entity)-[:SAMPLED]->(:Sample {sampledAt, result, method, ct, key})
 *   (:Person)-[:DIAGNOSED]->(:Case {personId, classification, onset, confirmedAt})
 *   (:ImportLock {id: 'import'})             what imports lock (./import-lock.ts); no data
 *   (:ImportLock {id: 'holder', token})      the token of the lock's latest holder, which each
 *                                            of an import's batches checks (./import-lock.ts)
 *   (:UnfinishedImport {id: bundle, bundle, startedAt, pid, host})
 *                                            an import writing, or cut off after some batches;
 *                                            one per bundle folder (its absolute path)
 *
 * Every instant (start, end, at, sampledAt, onset, confirmedAt, arrivedAt) is an INTEGER of epoch
 * milliseconds, UTC; read one as a date in Cypher with `datetime({epochMillis: r.start})`.
 * A field that is null is not stored, so it is absent from the node or relationship.
 * The shared :Entity label keeps ids unique across kinds and answers "what is this id" in one
 * index lookup. A stay's `key` ("subject|host|start|end") and a sample's ("subject|sampledAt|method",
 * with `%` and `|` percent-encoded in the ids) are unique (constraints below): a write finds what is
 * already recorded by one index seek, where merging on the pattern walked every stay between the
 * same two nodes (a commuter has one a day). homeId and homePortId are also kept as properties so that a reference written
 * before its place survives; the relationship is made whenever both ends exist.
 * A stay also keeps its host's id (`hostId`), and a host the duration of the longest stay it has
 * had (`longestStay`, in milliseconds): a host's stays in a window are then found by one seek of
 * the (hostId, start) index from the window's start less that duration (HOST_START_INDEXES), not
 * by walking every stay the host ever had.
 * A reported contact keeps the ids of its two persons (`personA`, `personB`), each indexed, for
 * the same reason: walking a person's relationships to find the few contacts among them read all
 * of their stays and samples too (at a million persons, 35 a person to find 12,623 contacts).
 *
 * Every value is a parameter; the only text built here comes from the fixed labels and
 * relationship types below (labels and types cannot be parameters).
 */
import type { EntityKind, StayType } from '../../domain/types';

export const LABEL_OF_KIND: Record<EntityKind, string> = {
  person: 'Person',
  place: 'Place',
  boat: 'Boat',
  item: 'ColdChainItem',
};

export const STAY_TYPES: readonly StayType[] = [
  'STAYED_AT',
  'ABOARD',
  'STORED_AT',
  'CARRIED_BY',
  'DOCKED_AT',
];

/** The labels of subject and host that each stay type joins. */
export const STAY_ENDS: Record<StayType, { subject: string; host: string }> = {
  STAYED_AT: { subject: 'Person', host: 'Place' },
  ABOARD: { subject: 'Person', host: 'Boat' },
  STORED_AT: { subject: 'ColdChainItem', host: 'Place' },
  CARRIED_BY: { subject: 'ColdChainItem', host: 'Boat' },
  DOCKED_AT: { subject: 'Boat', host: 'Place' },
};

const ANY_STAY = STAY_TYPES.join('|');

// ---- migration ------------------------------------------------------------------------------

export const CONSTRAINTS: readonly string[] = [
  'CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT boat_id IF NOT EXISTS FOR (n:Boat) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT cold_chain_item_id IF NOT EXISTS FOR (n:ColdChainItem) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT case_person_id IF NOT EXISTS FOR (c:Case) REQUIRE c.personId IS UNIQUE',
  // Two transactions merging the lock node while none is stored make one node, not two.
  'CREATE CONSTRAINT import_lock_id IF NOT EXISTS FOR (l:ImportLock) REQUIRE l.id IS UNIQUE',
];

/** `%` and `|` percent-encoded in an id, so that keys joined with `|` never collide. */
const escaped = (id: string): string => `replace(replace(${id}, '%', '%25'), '|', '%7C')`;

/** The key of a stay, from Cypher expressions of its subject id, host id, start and end. */
export function stayKey(subjectId: string, hostId: string, start: string, end: string): string {
  return `${escaped(subjectId)} + '|' + ${escaped(hostId)} + '|' + toString(${start}) + '|' + toString(${end})`;
}

/** The key of a sample, from Cypher expressions of its subject id, instant and method. */
export function sampleKey(subjectId: string, sampledAt: string, method: string): string {
  return `${escaped(subjectId)} + '|' + toString(${sampledAt}) + '|' + ${method}`;
}

/** A constraint or index, by the name Neo4j lists it under, and the statement creating it. */
export interface SchemaItem {
  name: string;
  statement: string;
}

/**
 * Constraints on the keys of stays and samples. A database written before keys existed has
 * none: migrate() backfills the keys (BACKFILL_KEYS) while any of these is missing, then
 * creates them.
 */
export const KEY_CONSTRAINTS: readonly SchemaItem[] = [
  ...STAY_TYPES.map((type) => {
    const name = `${type.toLowerCase()}_key`;
    return {
      name,
      statement: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.key IS UNIQUE`,
    };
  }),
  {
    name: 'sample_key',
    statement: 'CREATE CONSTRAINT sample_key IF NOT EXISTS FOR (s:Sample) REQUIRE s.key IS UNIQUE',
  },
];

export const EXISTING_CONSTRAINTS = 'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names';

/**
 * The batched statements below read only nodes outside their batches and the relationships inside,
 * from each batch's nodes (subjects, not hosts: a host can have millions of stays). Matched outside
 * and written inside, relationships are a read/write conflict the planner may resolve, as the
 * store's statistics lead it, with an Eager operator that gathers them all first in the
 * statement's own transaction: at a million persons (20.7M stays, 35M relationships) more than
 * the transaction memory of a server with a 2 GB heap.
 */

/** Sets the key of every stay and sample that has none, in batches; auto-commit only. */
export const BACKFILL_KEYS: readonly string[] = [
  ...STAY_TYPES.map(
    (type) => `
MATCH (x:Entity)
CALL (x) {
  MATCH (x)-[s:${type}]->(h:Entity)
  WHERE s.key IS NULL
  SET s.key = ${stayKey('x.id', 'h.id', 's.start', 's.end')}
} IN TRANSACTIONS OF 1000 ROWS`,
  ),
  `
MATCH (x:Entity)
CALL (x) {
  MATCH (x)-[:SAMPLED]->(s:Sample)
  WHERE s.key IS NULL
  SET s.key = ${sampleKey('x.id', 's.sampledAt', 's.method')}
} IN TRANSACTIONS OF 1000 ROWS`,
];

/**
 * Each stay type's index on (hostId, start), which STAYS_AT_HOSTS seeks. A database written
 * before stays kept their host's id has none: migrate() backfills the ids and the hosts' longest
 * stays (BACKFILL_HOSTS) while any of these is missing, then creates them.
 */
export const HOST_START_INDEXES: readonly SchemaItem[] = STAY_TYPES.map((type) => {
  const name = `${type.toLowerCase()}_host_start`;
  return {
    name,
    statement: `CREATE INDEX ${name} IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.hostId, r.start)`,
  };
});

/** Indexes of the persons' ids on reported contacts, which CONTACTS_OF seeks. */
export const CONTACT_PERSON_INDEXES: readonly SchemaItem[] = (
  [
    ['contacted_person_a', 'personA'],
    ['contacted_person_b', 'personB'],
  ] as const
).map(([name, field]) => ({
  name,
  statement: `CREATE INDEX ${name} IF NOT EXISTS FOR ()-[r:CONTACTED]-() ON (r.${field})`,
}));

export const EXISTING_INDEXES = 'SHOW INDEXES YIELD name RETURN collect(name) AS names';

/**
 * Sets the host's id on every stay that has none, then every host's longest stay, in batches;
 * auto-commit only. On the benchmark's 100k store (2.07M stays) this took 28 s.
 */
export const BACKFILL_HOSTS: readonly string[] = [
  ...STAY_TYPES.map(
    (type) => `
MATCH (x:Entity)
CALL (x) {
  MATCH (x)-[s:${type}]->(h:Entity)
  WHERE s.hostId IS NULL
  SET s.hostId = h.id
} IN TRANSACTIONS OF 1000 ROWS`,
  ),
  `
MATCH (h:Entity)
WHERE h:Place OR h:Boat
CALL (h) {
  OPTIONAL MATCH (h)<-[s:${ANY_STAY}]-()
  WITH h, max(s.end - s.start) AS longest
  SET h.longestStay = longest
} IN TRANSACTIONS OF 1000 ROWS`,
];

/** Sets the persons' ids on every reported contact that has none, in batches; auto-commit only. */
export const BACKFILL_CONTACT_PERSONS: readonly string[] = [
  `
MATCH (a:Person)
CALL (a) {
  MATCH (a)-[c:CONTACTED]->(b:Person)
  WHERE c.personA IS NULL OR c.personB IS NULL
  SET c.personA = a.id, c.personB = b.id
} IN TRANSACTIONS OF 1000 ROWS`,
];

/**
 * Properties a database written before they were kept lacks, each with the constraints or indexes
 * that rest on them: while any of those is missing, migrate() runs the backfill, then creates
 * them. Every write keeps the properties, so once they all exist nothing is left to backfill.
 */
export interface Backfill {
  /** What the backfill does, as migrate() reports it. */
  step: string;
  schema: readonly SchemaItem[];
  backfill: readonly string[];
}

/** The stays' and samples' keys, which the key constraints rest on. */
export const KEY_BACKFILL: Backfill = {
  step: 'keying each stay and sample, then constraining the keys to be unique (once; about a minute per 100,000 persons)',
  schema: KEY_CONSTRAINTS,
  backfill: BACKFILL_KEYS,
};

/** The ids the seeks of STAYS_AT_HOSTS and CONTACTS_OF rest on. */
export const INDEX_BACKFILLS: readonly Backfill[] = [
  {
    step: "setting each stay's host id and each host's longest stay, then indexing them (once; about half a minute per 100,000 persons)",
    schema: HOST_START_INDEXES,
    backfill: BACKFILL_HOSTS,
  },
  {
    step: "setting each reported contact's persons' ids, then indexing them (once)",
    schema: CONTACT_PERSON_INDEXES,
    backfill: BACKFILL_CONTACT_PERSONS,
  },
];

/** Every backfill, in the order migrate() runs them. */
export const BACKFILLS: readonly Backfill[] = [KEY_BACKFILL, ...INDEX_BACKFILLS];

/** Range indexes for the lookups and time-window reads. */
export const INDEXES: readonly string[] = [
  'CREATE INDEX person_home_id IF NOT EXISTS FOR (p:Person) ON (p.homeId)',
  'CREATE INDEX boat_home_port_id IF NOT EXISTS FOR (b:Boat) ON (b.homePortId)',
  'CREATE INDEX place_kind IF NOT EXISTS FOR (p:Place) ON (p.kind)',
  'CREATE INDEX sample_sampled_at IF NOT EXISTS FOR (s:Sample) ON (s.sampledAt)',
  'CREATE INDEX sample_result IF NOT EXISTS FOR (s:Sample) ON (s.result)',
  'CREATE INDEX case_confirmed_at IF NOT EXISTS FOR (c:Case) ON (c.confirmedAt)',
  'CREATE INDEX case_onset IF NOT EXISTS FOR (c:Case) ON (c.onset)',
  ...STAY_TYPES.flatMap((type) => [
    `CREATE INDEX ${type.toLowerCase()}_start IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.start)`,
    `CREATE INDEX ${type.toLowerCase()}_end IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.end)`,
  ]),
  'CREATE INDEX contacted_start IF NOT EXISTS FOR ()-[r:CONTACTED]-() ON (r.start)',
  'CREATE INDEX contacted_end IF NOT EXISTS FOR ()-[r:CONTACTED]-() ON (r.end)',
  'CREATE INDEX handled_at IF NOT EXISTS FOR ()-[r:HANDLED]-() ON (r.at)',
];

/** Waits (up to the given seconds) until every index is online. */
export const AWAIT_INDEXES = 'CALL db.awaitIndexes($seconds)';

export const PING = 'RETURN 1 AS ok';

// ---- writes: entities -----------------------------------------------------------------------

export const MERGE_PLACES = `
UNWIND $rows AS row
MERGE (p:Place:Entity {id: row.id})
SET p.name = row.name, p.kind = row.kind, p.lat = row.lat, p.lon = row.lon, p.capacity = row.capacity
WITH p
CALL (p) {
  MATCH (resident:Person {homeId: p.id})
  MERGE (resident)-[:LIVES_IN]->(p)
}
CALL (p) {
  MATCH (boat:Boat {homePortId: p.id})
  MERGE (boat)-[:HOME_PORT]->(p)
}`;

export const MERGE_PERSONS = `
UNWIND $rows AS row
MERGE (p:Person:Entity {id: row.id})
SET p.name = row.name, p.sex = row.sex, p.age = row.age, p.phone = row.phone,
    p.idNumber = row.idNumber, p.homeId = row.homeId, p.occupation = row.occupation
WITH p
CALL (p) {
  MATCH (p)-[moved:LIVES_IN]->(old:Place)
  WHERE p.homeId IS NULL OR old.id <> p.homeId
  DELETE moved
}
CALL (p) {
  MATCH (home:Place {id: p.homeId})
  MERGE (p)-[:LIVES_IN]->(home)
}`;

export const MERGE_BOATS = `
UNWIND $rows AS row
MERGE (b:Boat:Entity {id: row.id})
SET b.name = row.name, b.registration = row.registration, b.homePortId = row.homePortId
WITH b
CALL (b) {
  MATCH (b)-[moved:HOME_PORT]->(old:Place)
  WHERE b.homePortId IS NULL OR old.id <> b.homePortId
  DELETE moved
}
CALL (b) {
  MATCH (port:Place {id: b.homePortId})
  MERGE (b)-[:HOME_PORT]->(port)
}`;

export const MERGE_ITEMS = `
UNWIND $rows AS row
MERGE (i:ColdChainItem:Entity {id: row.id})
SET i.product = row.product, i.lot = row.lot, i.origin = row.origin, i.arrivedAt = row.arrivedAt`;

// ---- writes: what happened between entities -------------------------------------------------

/**
 * One statement per stay type: a stay is merged on its key (subject, host, start and end), and its
 * host's longest stay raised to it where it is longer.
 */
export const MERGE_STAYS: Record<StayType, string> = Object.fromEntries(
  STAY_TYPES.map((type) => [
    type,
    `
UNWIND $rows AS row
MATCH (subject:${STAY_ENDS[type].subject} {id: row.subjectId})
MATCH (host:${STAY_ENDS[type].host} {id: row.hostId})
MERGE (subject)-[s:${type} {key: ${stayKey('row.subjectId', 'row.hostId', 'row.start', 'row.end')}}]->(host)
ON CREATE SET s.start = row.start, s.end = row.end, s.hostId = row.hostId
WITH host, max(row.end - row.start) AS longest
SET host.longestStay = CASE WHEN host.longestStay >= longest THEN host.longestStay ELSE longest END`,
  ]),
) as Record<StayType, string>;

export const MERGE_CONTACTS = `
UNWIND $rows AS row
MATCH (a:Person {id: row.personA})
MATCH (b:Person {id: row.personB})
MERGE (a)-[c:CONTACTED {start: row.start, end: row.end, setting: row.setting}]->(b)
ON CREATE SET c.personA = row.personA, c.personB = row.personB`;

export const MERGE_HANDLINGS = `
UNWIND $rows AS row
MATCH (p:Person {id: row.personId})
MATCH (i:ColdChainItem {id: row.itemId})
MERGE (p)-[:HANDLED {at: row.at}]->(i)`;

/** A sample is keyed on (subject, sampledAt, method); a later one corrects result and ct. */
export const MERGE_SAMPLES = `
UNWIND $rows AS row
MATCH (subject:Entity {id: row.subjectId})
MERGE (s:Sample {key: ${sampleKey('row.subjectId', 'row.sampledAt', 'row.method')}})
ON CREATE SET s.sampledAt = row.sampledAt, s.method = row.method
SET s.result = row.result, s.ct = row.ct
MERGE (subject)-[:SAMPLED]->(s)`;

/** One case per person; a later one updates its fields. */
export const MERGE_CASES = `
UNWIND $rows AS row
MATCH (p:Person {id: row.personId})
MERGE (c:Case {personId: row.personId})
SET c.classification = row.classification, c.onset = row.onset, c.confirmedAt = row.confirmedAt
MERGE (p)-[:DIAGNOSED]->(c)`;

// ---- the import lock (./import-lock.ts) ------------------------------------------------------

/**
 * Takes the write lock on the one lock node, making it if need be, and changes nothing: the lock
 * is held until the transaction ends, and a second transaction running this waits until then.
 */
export const TAKE_IMPORT_LOCK = `
MERGE (lock:ImportLock {id: 'import'})
SET lock.taken = true
REMOVE lock.taken`;

/**
 * Run by whoever has just taken the import lock, before anything else: a batch of an import that
 * has lost the lock, checking the token (CHECK_IMPORT_LOCK_TOKEN), either commits before this or
 * finds the new token and writes nothing.
 */
export const SET_IMPORT_LOCK_TOKEN = `
MERGE (holder:ImportLock {id: 'holder'})
SET holder.token = $token`;

/**
 * The token of the lock's latest holder, write-locked until the batch that reads it commits, so
 * that no new holder can set its own meanwhile. No row: none was ever set (or it was removed).
 */
export const CHECK_IMPORT_LOCK_TOKEN = `
MATCH (holder:ImportLock {id: 'holder'})
SET holder.checked = true
REMOVE holder.checked
RETURN holder.token AS token`;

/** Run in the lock's own transaction: it fails once the server has ended that transaction. */
export const IMPORT_LOCK_ALIVE = 'RETURN 1';

/**
 * The transaction holding the import lock: of those marked `importLock: true` as they began (each
 * holds the lock or waits for it), the one not blocked. A lock transaction whose first statement
 * has not reached its wait yet is not blocked either, for a moment; it began after the holder, so
 * the earliest comes first. The mark is set as the transaction begins, never by `tx.setMetaData`:
 * while a terminated transaction is still open (its client not told yet), that procedure fails
 * in other transactions, at times, as if they too had been terminated (Neo4j 5.26).
 */
export const IMPORT_LOCK_HOLDER = `
SHOW TRANSACTIONS YIELD metaData, status, startTime
WHERE metaData.importLock = true AND NOT status STARTS WITH 'Blocked'
RETURN metaData.since AS since, metaData.heldBy AS heldBy, metaData.heldFor AS heldFor
ORDER BY startTime
LIMIT 1`;

/**
 * The transactions marked `importLockWait: $wait` that wait for a lock (`Blocked by: [...]`): a
 * write waiting for the import lock. One that has not reached the lock yet, or has taken it, is
 * not listed.
 */
export const LOCK_WAITERS = `
SHOW TRANSACTIONS YIELD transactionId, status, metaData
WHERE metaData.importLockWait = $wait AND status STARTS WITH 'Blocked'
RETURN collect(transactionId) AS ids`;

export const TERMINATE_TRANSACTIONS = 'TERMINATE TRANSACTIONS $ids';

// ---- the record of an import that has not finished --------------------------------------------

/**
 * Records the import of the bundle folder $bundle about to write its first batch, one record per
 * folder: an import of the same folder cut off before it is replaced, those of other folders are
 * kept (their bundles are still missing in part, whatever else completes).
 */
export const RECORD_UNFINISHED_IMPORT = `
MERGE (u:UnfinishedImport {id: $bundle})
SET u.bundle = $bundle, u.startedAt = $startedAt, u.pid = $pid, u.host = $host`;

/**
 * A folder's record goes, saying whether there was one: run once an import's last batch has
 * committed, and by forgetUnfinishedImport().
 */
export const REMOVE_UNFINISHED_IMPORT = `
MATCH (u:UnfinishedImport {id: $bundle})
DELETE u
RETURN count(*) AS removed`;

/** Run by clear(). */
export const REMOVE_UNFINISHED_IMPORTS = `MATCH (u:UnfinishedImport) DELETE u`;

export const UNFINISHED_IMPORTS = `
MATCH (u:UnfinishedImport)
RETURN u.bundle AS bundle, u.startedAt AS startedAt, u.pid AS pid, u.host AS host
ORDER BY startedAt, bundle`;

/**
 * Deletes every tracegraph relationship, then every tracegraph node, in batches; auto-commit only.
 * Relationships go first: a node's DETACH DELETE takes all its relationships in one transaction,
 * and a market or test site of a 100,000-person district holds hundreds of thousands of stays,
 * more than the transaction memory of a server with a 2 GB heap. Every tracegraph relationship
 * starts at a tracegraph node, and is matched inside a batch, from its nodes, as the backfills'
 * relationships are (see above BACKFILL_KEYS).
 */
export const CLEAR_RELATIONSHIPS = `
MATCH (n) WHERE n:Entity OR n:Sample OR n:Case
CALL (n) { MATCH (n)-[r]->() DELETE r } IN TRANSACTIONS OF 1000 ROWS`;

export const CLEAR_NODES = `
MATCH (n) WHERE n:Entity OR n:Sample OR n:Case
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`;

// ---- shared projections ---------------------------------------------------------------------

/*
 * Reads return one column per field, named as the domain record's field, not one map per row:
 * the driver decodes a map key by key (each key a string decoded per row, each set with
 * Object.defineProperty), which at a million stays cost more client time than the query did.
 */
const PERSON_COLUMNS =
  'p.id AS id, p.name AS name, p.sex AS sex, p.age AS age, p.phone AS phone, p.idNumber AS idNumber, p.homeId AS homeId, p.occupation AS occupation';
const PLACE_COLUMNS =
  'p.id AS id, p.name AS name, p.kind AS kind, p.lat AS lat, p.lon AS lon, p.capacity AS capacity';
const BOAT_COLUMNS = 'b.id AS id, b.name AS name, b.registration AS registration, b.homePortId AS homePortId';
const ITEM_COLUMNS =
  'i.id AS id, i.product AS product, i.lot AS lot, i.origin AS origin, i.arrivedAt AS arrivedAt';
const CASE_COLUMNS =
  'c.personId AS personId, c.classification AS classification, c.onset AS onset, c.confirmedAt AS confirmedAt';
const SAMPLE_COLUMNS =
  'x.id AS subjectId, s.sampledAt AS sampledAt, s.result AS result, s.method AS method, s.ct AS ct';
const STAY_COLUMNS = 'x.id AS subjectId, h.id AS hostId, s.start AS start, s.end AS end';
/**
 * A subject's stays, with the host's id read from the stay: the host node is not visited (at a
 * million persons, the stays away at night of 258,199 persons took 12.6–13.8 s instead of
 * 14.7–15.1 s, alternating, the same rows).
 */
const SUBJECT_STAY_COLUMNS = 'x.id AS subjectId, s.hostId AS hostId, s.start AS start, s.end AS end';
const CONTACT_COLUMNS =
  'startNode(c).id AS personA, endNode(c).id AS personB, c.start AS start, c.end AS end, c.setting AS setting';
const HANDLING_COLUMNS = 'p.id AS personId, i.id AS itemId, h.at AS at';

// ---- lookups by id ----------------------------------------------------------------------------

export const ENTITY_LABELS = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels`;

export const PERSONS_BY_ID = `
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN ${PERSON_COLUMNS}`;

export const PLACES_BY_ID = `
UNWIND $ids AS id
MATCH (p:Place {id: id})
RETURN ${PLACE_COLUMNS}`;

export const BOATS_BY_ID = `
UNWIND $ids AS id
MATCH (b:Boat {id: id})
RETURN ${BOAT_COLUMNS}`;

export const ITEMS_BY_ID = `
UNWIND $ids AS id
MATCH (i:ColdChainItem {id: id})
RETURN ${ITEM_COLUMNS}`;

export const CASES_OF_PERSONS = `
UNWIND $ids AS id
MATCH (c:Case {personId: id})
RETURN ${CASE_COLUMNS}`;

// ---- neighbourhood reads for analysis ---------------------------------------------------------

/** A case is known by $asOf when it was confirmed by then or, with no confirmation date, had onset by then. */
export const LIST_CASES = `
MATCH (c:Case)
WHERE $asOf IS NULL OR coalesce(c.confirmedAt, c.onset) <= $asOf
RETURN ${CASE_COLUMNS}
ORDER BY c.personId`;

export const SAMPLES_OF_SUBJECTS = `
UNWIND $ids AS id
MATCH (x:Entity {id: id})-[:SAMPLED]->(s:Sample)
WHERE $asOf IS NULL OR s.sampledAt <= $asOf
RETURN ${SAMPLE_COLUMNS}
ORDER BY x.id, s.sampledAt, s.method`;

/** The stored sample of each key, by the key's unique index; a key not stored gives no row. */
export const SAMPLES_BY_KEY = `
UNWIND $keys AS k
MATCH (s:Sample {key: ${sampleKey('k.subjectId', 'k.sampledAt', 'k.method')}})<-[:SAMPLED]-(x:Entity)
RETURN ${SAMPLE_COLUMNS}`;

export const POSITIVE_ENVIRONMENTAL_SAMPLES = `
MATCH (x:Entity)-[:SAMPLED]->(s:Sample {result: 'positive'})
WHERE NOT x:Person AND ($asOf IS NULL OR s.sampledAt <= $asOf)
RETURN ${SAMPLE_COLUMNS}
ORDER BY x.id, s.sampledAt, s.method`;

/**
 * Closed intervals: a stay overlaps [from, to] when start <= to and end >= from. The reads
 * anchored on an id say so (USING INDEX): expanding a few hundred stays of one node beats
 * scanning every stay of the period in the start/end index. Each $groups row is one id with all
 * its windows (see windowGroups in ./convert.ts), so a node is expanded once however many windows
 * it has: a market or test site with twenty windows holds hundreds of thousands of stays, and
 * expanding them per window made 6.7 million rows out of 1.4 million at 100,000 persons. One row
 * per id also means a stay is found once, with no DISTINCT.
 */
export const STAYS_OF_SUBJECTS = `
UNWIND $groups AS g
MATCH (x:Entity {id: g.id})-[s:${ANY_STAY}]->()
USING INDEX x:Entity(id)
WHERE any(w IN g.windows WHERE s.start <= w.to AND s.end >= w.from)
RETURN ${SUBJECT_STAY_COLUMNS}
ORDER BY subjectId, start, hostId, end`;

/**
 * As STAYS_OF_SUBJECTS, only stays elsewhere than the group's home that reach out of the daytime
 * between two nights (`sharesANight` in src/store/port.ts): the time of day of the start, after
 * local midnight, is taken in [0, DAY) also for instants before 1970.
 */
export const STAYS_AWAY_AT_NIGHT = `
UNWIND $groups AS g
MATCH (x:Entity {id: g.id})-[s:${ANY_STAY}]->()
USING INDEX x:Entity(id)
WHERE any(w IN g.windows WHERE s.start <= w.to AND s.end >= w.from)
  AND (g.homeId IS NULL OR s.hostId <> g.homeId)
  AND s.end > s.start
WITH x, s, ((s.start + $offset) % $day + $day) % $day AS timeOfDay
WHERE NOT (timeOfDay >= $daytimeFrom AND timeOfDay + (s.end - s.start) <= $daytimeTo)
RETURN ${SUBJECT_STAY_COLUMNS}
ORDER BY subjectId, start, hostId, end`;

/**
 * Per window, each stay type's (hostId, start) index is sought from the window's start less the
 * host's longest stay: no stay starting earlier can reach into the window. `USING INDEX SEEK`, as
 * a plain index hint let the planner scan the whole index instead where it held few entries. (A host without
 * `longestStay` has had no stay written since it was kept: the seek then starts at the earliest
 * instant.) A stay reaching into two windows of its host is found twice, and kept once.
 */
export const STAYS_AT_HOSTS = `
UNWIND $groups AS g
MATCH (h:Entity {id: g.id})
UNWIND g.windows AS w
WITH h, w, CASE WHEN h.longestStay IS NULL THEN $earliest ELSE w.from - h.longestStay END AS earliestStart
CALL (h, w, earliestStart) {
${STAY_TYPES.map(
  (type) => `  MATCH (x:Entity)-[s:${type}]->(h)
  USING INDEX SEEK s:${type}(hostId, start)
  WHERE s.hostId = h.id AND s.start >= earliestStart AND s.start <= w.to AND s.end >= w.from
  RETURN x, s`,
).join('\n  UNION ALL\n')}
}
WITH DISTINCT h, x, s
RETURN ${STAY_COLUMNS}
ORDER BY hostId, start, subjectId, end`;

export const RESIDENTS_OF = `
MATCH (p:Person)
WHERE p.homeId IN $ids
RETURN ${PERSON_COLUMNS}
ORDER BY p.id`;

/** Counted in the index on homeId (person_home_id). */
export const RESIDENT_COUNTS = `
MATCH (p:Person)
WHERE p.homeId IN $ids
RETURN p.homeId AS homeId, count(*) AS residents
ORDER BY homeId`;

/**
 * Each id is sought in the index of either person of a contact. A contact between two of the ids
 * is found from both: DISTINCT keeps it once.
 */
export const CONTACTS_OF = `
UNWIND $groups AS g
CALL (g) {
${['personA', 'personB']
  .map(
    (field) => `  MATCH (:Person)-[c:CONTACTED]->(:Person)
  USING INDEX SEEK c:CONTACTED(${field})
  WHERE c.${field} = g.id
  RETURN c`,
  )
  .join('\n  UNION ALL\n')}
}
WITH g, c
WHERE any(w IN g.windows WHERE c.start <= w.to AND c.end >= w.from)
WITH DISTINCT c
RETURN ${CONTACT_COLUMNS}
ORDER BY start, personA, personB, end, setting`;

export const HANDLINGS_BY = `
UNWIND $groups AS g
MATCH (p:Person {id: g.id})-[h:HANDLED]->(i:ColdChainItem)
USING INDEX p:Person(id)
WHERE any(w IN g.windows WHERE h.at >= w.from AND h.at <= w.to)
RETURN ${HANDLING_COLUMNS}
ORDER BY personId, at, itemId`;

export const HANDLINGS_OF = `
UNWIND $groups AS g
MATCH (i:ColdChainItem {id: g.id})<-[h:HANDLED]-(p:Person)
USING INDEX i:ColdChainItem(id)
WHERE any(w IN g.windows WHERE h.at >= w.from AND h.at <= w.to)
RETURN ${HANDLING_COLUMNS}
ORDER BY itemId, at, personId`;

export const PLACES_OF_KIND = `
MATCH (p:Place)
WHERE p.kind IN $kinds
RETURN ${PLACE_COLUMNS}
ORDER BY p.id`;

/** $text is lower-case already. */
export const SEARCH_PERSONS = `
MATCH (p:Person)
WHERE toLower(p.name) CONTAINS $text OR toLower(p.phone) CONTAINS $text OR toLower(p.idNumber) CONTAINS $text
RETURN ${PERSON_COLUMNS}
ORDER BY p.id
LIMIT $limit`;

export const COUNTS = `
RETURN
  COUNT { (:Person) } AS persons,
  COUNT { (:Place) } AS places,
  COUNT { (:Boat) } AS boats,
  COUNT { (:ColdChainItem) } AS items,
  COUNT { ()-[:${ANY_STAY}]->() } AS stays,
  COUNT { ()-[:CONTACTED]->() } AS contacts,
  COUNT { ()-[:HANDLED]->() } AS handlings,
  COUNT { (:Sample) } AS samples,
  COUNT { (:Case) } AS cases`;

// ---- scans: keyset pagination ------------------------------------------------------------------

/**
 * `(k1, k2, ...) > $after` written out for Cypher, over the key columns of a scan: each page
 * starts strictly after the last key of the one before, so no page ever needs SKIP.
 */
function afterKey(columns: readonly string[], index = 0): string {
  const column = columns[index]!;
  if (index === columns.length - 1) return `${column} > $after[${index}]`;
  return `(${column} > $after[${index}] OR (${column} = $after[${index}] AND ${afterKey(columns, index + 1)}))`;
}

/** A scan query: `$from` seeks the first key column in its index, `$after` is the last key or null. */
export interface ScanQuery {
  cypher: string;
  /** Names of the key columns, in sort order. */
  key: readonly string[];
}

function entityScan(label: string, alias: string, fields: string): ScanQuery {
  return {
    key: ['id'],
    cypher: `
MATCH (${alias}:${label})
WHERE ${alias}.id >= $from
WITH ${alias}, ${alias}.id AS id
WHERE $after IS NULL OR ${afterKey(['id'])}
RETURN ${fields}, [id] AS key
ORDER BY id
LIMIT $limit`,
  };
}

function relationshipScan(match: string, keys: Record<string, string>, fields: string): ScanQuery {
  const names = Object.keys(keys);
  return {
    key: names,
    cypher: `
${match}
WITH *, ${names.map((n) => `${keys[n]} AS ${n}`).join(', ')}
WHERE $after IS NULL OR ${afterKey(names)}
RETURN ${fields}, [${names.join(', ')}] AS key
ORDER BY ${names.join(', ')}
LIMIT $limit`,
  };
}

export const SCANS = {
  persons: entityScan('Person', 'p', PERSON_COLUMNS),
  places: entityScan('Place', 'p', PLACE_COLUMNS),
  boats: entityScan('Boat', 'b', BOAT_COLUMNS),
  items: entityScan('ColdChainItem', 'i', ITEM_COLUMNS),
  stays: relationshipScan(
    `MATCH (x:Entity)-[s:${ANY_STAY}]->(h:Entity) WHERE x.id >= $from`,
    { subjectId: 'x.id', hostId: 'h.id', start: 's.start', end: 's.end' },
    STAY_COLUMNS,
  ),
  contacts: relationshipScan(
    'MATCH (a:Person)-[c:CONTACTED]->(b:Person) WHERE a.id >= $from',
    { personA: 'a.id', personB: 'b.id', start: 'c.start', end: 'c.end', setting: 'c.setting' },
    CONTACT_COLUMNS,
  ),
  handlings: relationshipScan(
    'MATCH (p:Person)-[h:HANDLED]->(i:ColdChainItem) WHERE p.id >= $from',
    { personId: 'p.id', itemId: 'i.id', at: 'h.at' },
    HANDLING_COLUMNS,
  ),
  samples: relationshipScan(
    'MATCH (x:Entity)-[:SAMPLED]->(s:Sample) WHERE x.id >= $from',
    { subjectId: 'x.id', sampledAt: 's.sampledAt', method: 's.method' },
    SAMPLE_COLUMNS,
  ),
  cases: {
    key: ['personId'],
    cypher: `
MATCH (c:Case)
WHERE c.personId >= $from
WITH c, c.personId AS personId
WHERE $after IS NULL OR ${afterKey(['personId'])}
RETURN ${CASE_COLUMNS}, [personId] AS key
ORDER BY personId
LIMIT $limit`,
  },
} satisfies Record<string, ScanQuery>;
