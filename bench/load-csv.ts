/**
 * The peer of tracegraph's import into Neo4j: Neo4j's own `LOAD CSV` over the same bundle files,
 * batched with `CALL { ... } IN TRANSACTIONS OF 10000 ROWS` (Neo4j Cypher Manual, "LOAD CSV"), into
 * the same graph model as src/store/neo4j/cypher.ts: the same labels, relationship types and
 * property names, instants as INTEGER epoch milliseconds, and MERGE everywhere so a re-run changes
 * nothing, as tracegraph's import guarantees. Stays and samples carry tracegraph's keys and are
 * merged on them, as the import merges them: merged on their properties instead, a sample's MERGE
 * is planned as a seek on the Sample(sampledAt) index, which then walks every sample of the same
 * PCR round (a PROFILE at 1M: 2.55M index rows for the first 20,000 samples). Stays keep their
 * host's id, hosts their longest stay and contacts their two persons' ids, as the import writes
 * them for the store's reads: left out, the peer would skip the upkeep of the indexes on them.
 *
 * What it leaves out, and tracegraph's import does not: validation (a bad row is skipped or
 * breaks the statement, with no file/line/column), the check that references exist (a stay whose
 * host is missing vanishes in its MATCH), and all-or-nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import type { FileName } from '../src/domain/records';
import { sampleKey, STAY_ENDS, STAY_TYPES, stayKey } from '../src/store/neo4j/cypher';
import { millisecondsLeft, stoppedByLimit } from './time-limit';

/** Rows per transaction: Neo4j's documented batch for LOAD CSV, and tracegraph's statement size. */
export const ROWS_PER_TRANSACTION = 10_000;

/** An ISO 8601 timestamp, or a date alone read as midnight at +08:00 (as src/domain/time.ts does). */
const instant = (column: string): string =>
  `CASE WHEN row.${column} IS NULL THEN null
        WHEN size(row.${column}) = 10 THEN datetime({date: date(row.${column}), timezone: '+08:00'}).epochMillis
        ELSE datetime(row.${column}).epochMillis END`;

/** One branch per stay type: the type follows from the labels of the two ends, as in stayTypeOf(). */
const stayMerges = STAY_TYPES.map(
  (type) =>
    `  CALL (s, h, start, end, key) { WITH * WHERE s:${STAY_ENDS[type].subject} AND h:${STAY_ENDS[type].host} MERGE (s)-[r:${type} {key: key}]->(h) ON CREATE SET r.start = start, r.end = end, r.hostId = h.id }`,
).join('\n');

const inTransactions = (body: string): string =>
  `LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
${body}
} IN TRANSACTIONS OF ${ROWS_PER_TRANSACTION} ROWS`;

/** One statement per file, in the order tracegraph imports them (entities first). */
export const LOAD_CSV_STATEMENTS: readonly { file: FileName; cypher: string }[] = [
  {
    file: 'places.csv',
    cypher: inTransactions(`
  MERGE (p:Place:Entity {id: row.id})
  SET p.name = row.name, p.kind = toLower(row.kind), p.lat = toFloat(row.lat), p.lon = toFloat(row.lon),
      p.capacity = toInteger(row.capacity)`),
  },
  {
    file: 'persons.csv',
    cypher: inTransactions(`
  MERGE (p:Person:Entity {id: row.id})
  SET p.name = row.name, p.sex = toUpper(row.sex), p.age = toInteger(row.age), p.phone = row.phone,
      p.idNumber = row.id_number, p.homeId = row.home_id, p.occupation = row.occupation
  WITH p
  CALL (p) {
    MATCH (home:Place {id: p.homeId})
    MERGE (p)-[:LIVES_IN]->(home)
  }`),
  },
  {
    file: 'boats.csv',
    cypher: inTransactions(`
  MERGE (b:Boat:Entity {id: row.id})
  SET b.name = row.name, b.registration = row.registration, b.homePortId = row.home_port_id
  WITH b
  CALL (b) {
    MATCH (port:Place {id: b.homePortId})
    MERGE (b)-[:HOME_PORT]->(port)
  }`),
  },
  {
    file: 'items.csv',
    cypher: inTransactions(`
  MERGE (i:ColdChainItem:Entity {id: row.id})
  SET i.product = row.product, i.lot = row.lot, i.origin = row.origin, i.arrivedAt = ${instant('arrived_at')}`),
  },
  {
    file: 'stays.csv',
    cypher: inTransactions(`
  MATCH (s:Entity {id: row.subject_id})
  MATCH (h:Entity {id: row.host_id})
  WITH s, h, datetime(row.start).epochMillis AS start, datetime(row.end).epochMillis AS end
  WITH s, h, start, end, ${stayKey('s.id', 'h.id', 'start', 'end')} AS key
${stayMerges}
  // The host's longest stay, written only where this one is longer (the import raises it once a batch).
  FOREACH (_ IN CASE WHEN h.longestStay IS NULL OR h.longestStay < end - start THEN [1] ELSE [] END |
    SET h.longestStay = end - start)`),
  },
  {
    file: 'contacts.csv',
    cypher: inTransactions(`
  MATCH (a:Person {id: row.person_a})
  MATCH (b:Person {id: row.person_b})
  MERGE (a)-[c:CONTACTED {start: ${instant('start')}, end: ${instant('end')}, setting: toLower(row.setting)}]->(b)
  ON CREATE SET c.personA = a.id, c.personB = b.id`),
  },
  {
    file: 'handlings.csv',
    cypher: inTransactions(`
  MATCH (p:Person {id: row.person_id})
  MATCH (i:ColdChainItem {id: row.item_id})
  MERGE (p)-[:HANDLED {at: ${instant('at')}}]->(i)`),
  },
  {
    file: 'samples.csv',
    cypher: inTransactions(`
  MATCH (subject:Entity {id: row.subject_id})
  WITH row, subject, ${instant('sampled_at')} AS sampledAt, toLower(row.method) AS method
  MERGE (s:Sample {key: ${sampleKey('subject.id', 'sampledAt', 'method')}})
  ON CREATE SET s.sampledAt = sampledAt, s.method = method
  SET s.result = toLower(row.result), s.ct = toFloat(row.ct)
  MERGE (subject)-[:SAMPLED]->(s)`),
  },
  {
    file: 'cases.csv',
    cypher: inTransactions(`
  MATCH (p:Person {id: row.person_id})
  MERGE (c:Case {personId: row.person_id})
  SET c.classification = toLower(row.classification), c.onset = ${instant('onset')},
      c.confirmedAt = ${instant('confirmed_at')}
  MERGE (p)-[:DIAGNOSED]->(c)`),
  },
];

/** A file: URL Neo4j can read (absolute; the embedded server restricts no import folder). */
export function fileUrl(file: string): string {
  return `file://${path.resolve(file).split(path.sep).map(encodeURIComponent).join('/')}`;
}

export interface LoadCsvTiming {
  file: FileName;
  seconds: number;
  /** Set on the file whose load the time limit stopped (the files after it were not started). */
  stopped?: true;
}

export interface LoadCsvOutcome {
  timings: LoadCsvTiming[];
  /** Whether the time limit stopped the load before every file was in. */
  stopped: boolean;
}

/**
 * Loads every file of the bundle that exists, one auto-commit statement each; returns per-file
 * times. With a limit (seconds, over the whole bundle), Neo4j stops the statement running when it
 * is reached: the batches committed until then stay, as they would for a user who gives up.
 */
export async function loadCsvBundle(
  driver: Driver,
  dir: string,
  database = 'neo4j',
  limitSeconds: number | null = null,
): Promise<LoadCsvOutcome> {
  const timings: LoadCsvTiming[] = [];
  const startedMs = Date.now();
  for (const { file, cypher } of LOAD_CSV_STATEMENTS) {
    const location = path.join(dir, file);
    if (!existsSync(location)) continue;
    const left = millisecondsLeft(limitSeconds, startedMs);
    if (left === 0) return { timings, stopped: true };
    const session = driver.session({ database });
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      // CALL { } IN TRANSACTIONS runs only in an implicit (auto-commit) transaction: session.run.
      await session.run(cypher, { url: fileUrl(location) }, left === null ? undefined : { timeout: left });
    } catch (err) {
      if (!stoppedByLimit(err, left, seconds() * 1000)) throw err;
      timings.push({ file, seconds: seconds(), stopped: true });
      return { timings, stopped: true };
    } finally {
      await session.close();
    }
    timings.push({ file, seconds: seconds() });
  }
  return { timings, stopped: false };
}
