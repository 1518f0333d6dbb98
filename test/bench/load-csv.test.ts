import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { fileUrl, loadCsvBundle, LOAD_CSV_STATEMENTS } from '../../bench/load-csv';
import { isTimedOut, millisecondsLeft, stoppedByLimit } from '../../bench/time-limit';
import { COUNT_KEYS } from '../../src/domain/types';
import { importBundle } from '../../src/import/import';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { HAND_BUNDLE_ROWS, writeHandBundle } from './hand-bundle';

jest.setTimeout(240_000);

/** Every record of every kind, through the store's own reads. */
async function everything(store: TraceStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const kind of COUNT_KEYS) {
    out[kind] = [];
    for await (const page of store.scan(kind, 100)) out[kind]!.push(...page);
  }
  return out;
}

async function relationshipCount(driver: Driver, type: string): Promise<number> {
  const { records } = await driver.executeQuery(`MATCH ()-[r:${type}]->() RETURN count(r) AS n`);
  return (records[0]!.get('n') as { toNumber(): number }).toNumber();
}

/** A property value as text: Neo4j integers and floats apart, as an index tells them apart. */
function valueText(value: unknown): string {
  if (neo4j.isInt(value)) return `int ${value.toString()}`;
  if (typeof value === 'number') return `float ${value}`;
  return JSON.stringify(value);
}

/** A node's or relationship's properties as text, sorted by name. */
function propertiesText(properties: Record<string, unknown>): string {
  return Object.keys(properties)
    .sort()
    .map((name) => `${name}=${valueText(properties[name])}`)
    .join(', ');
}

/**
 * The graph itself, one sorted line per node and relationship with every property, beyond what the
 * store's reads return: the keys stays and samples are merged on, each stay's host id, each host's
 * longest stay and each contact's persons are read by the store's queries, never returned by them.
 * The import's own bookkeeping (its lock) is left out.
 */
async function graph(driver: Driver): Promise<string[]> {
  const { records } = await driver.executeQuery(
    `MATCH (n) WHERE NOT n:ImportLock
     RETURN 'node' AS kind, labels(n) AS names, null AS ends, properties(n) AS properties
     UNION ALL
     MATCH (a)-[r]->(b)
     RETURN 'relationship' AS kind, [type(r)] AS names,
            [coalesce(a.id, a.key, a.personId), coalesce(b.id, b.key, b.personId)] AS ends,
            properties(r) AS properties`,
  );
  return records
    .map((r) => {
      const names = [...(r.get('names') as string[])].sort().join(':');
      const ends = r.get('ends') as string[] | null;
      const properties = propertiesText(r.get('properties') as Record<string, unknown>);
      return `${r.get('kind') as string} ${names}${ends ? ` ${ends.join(' -> ')}` : ''} {${properties}}`;
    })
    .sort();
}

describe('LOAD CSV peer', () => {
  let store: TraceStore;
  let driver: Driver;
  let dir: string;

  beforeAll(async () => {
    const config = neo4jTestConfig();
    store = await openNeo4jStore({ ...config, database: 'neo4j' });
    await store.migrate();
    driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password));
    dir = writeHandBundle();
  });

  afterAll(async () => {
    await store.clear();
    await store.close();
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes file URLs of absolute paths, escaping what a URL cannot hold', () => {
    expect(fileUrl('/data/my bundle/stays.csv')).toBe('file:///data/my%20bundle/stays.csv');
  });

  it('has one statement per file, batched in transactions of 10000 rows', () => {
    expect(LOAD_CSV_STATEMENTS.map((s) => s.file)).toEqual([
      'places.csv',
      'persons.csv',
      'boats.csv',
      'items.csv',
      'stays.csv',
      'contacts.csv',
      'handlings.csv',
      'samples.csv',
      'cases.csv',
    ]);
    for (const { cypher } of LOAD_CSV_STATEMENTS) expect(cypher).toContain('IN TRANSACTIONS OF 10000 ROWS');
  });

  it("builds the same graph as tracegraph's import, and a second load changes nothing", async () => {
    await store.clear();
    const summary = await importBundle(store, dir);
    expect(summary.total).toBe(HAND_BUNDLE_ROWS);
    const imported = await everything(store);
    const importedGraph = await graph(driver);
    // 10 entities, 4 samples and 2 cases; 6 stays, a contact, a handling, 4 samples' and 2 cases'
    // links, 2 homes and a home port.
    expect(importedGraph.filter((line) => line.startsWith('node '))).toHaveLength(16);
    expect(importedGraph.filter((line) => line.startsWith('relationship '))).toHaveLength(17);

    await store.clear();
    const { timings, stopped } = await loadCsvBundle(driver, dir);
    expect(timings.map((t) => t.file)).toHaveLength(9);
    expect(stopped).toBe(false);
    const loaded = await everything(store);
    expect(loaded).toEqual(imported);
    expect(await graph(driver)).toEqual(importedGraph);
    expect(await store.counts()).toEqual({
      persons: 3,
      places: 4,
      boats: 1,
      items: 2,
      stays: 6,
      contacts: 1,
      handlings: 1,
      samples: 4,
      cases: 2,
    });
    // The references made into relationships, as the store's writes make them.
    expect(await relationshipCount(driver, 'LIVES_IN')).toBe(2);
    expect(await relationshipCount(driver, 'HOME_PORT')).toBe(1);
    for (const type of ['STAYED_AT', 'ABOARD', 'STORED_AT', 'CARRIED_BY', 'DOCKED_AT']) {
      expect([type, await relationshipCount(driver, type)]).toEqual([type, type === 'STAYED_AT' ? 2 : 1]);
    }

    await loadCsvBundle(driver, dir);
    expect(await everything(store)).toEqual(loaded);
  });

  it('reads a date alone as midnight at +08:00 and keeps instants as epoch milliseconds', async () => {
    const [lot] = await store.items(['L1']);
    expect(lot!.arrivedAt).toBe(Date.UTC(2022, 6, 24, 16, 0));
    const [c] = await store.casesOf(['P1']);
    expect(c).toEqual({
      personId: 'P1',
      classification: 'confirmed',
      onset: Date.UTC(2022, 6, 31, 16, 0),
      confirmedAt: Date.UTC(2022, 7, 3, 12, 0),
    });
    const [market] = await store.places(['MK']);
    expect(market!.kind).toBe('market');
  });

  it('with a time limit, Neo4j stops the load: what committed stays, nothing keeps running', async () => {
    // A persons file large enough to outlast a one-second limit (and Neo4j's 2 s check interval).
    const big = mkdtempSync(path.join(os.tmpdir(), 'tracegraph-loadcsv-limit-'));
    try {
      const rows = ['id,name,sex,age,phone,id_number,home_id,occupation'];
      for (let i = 0; i < 400_000; i++) rows.push(`Q${i},Person ${i},F,30,,,,fisher`);
      writeFileSync(path.join(big, 'persons.csv'), `${rows.join('\n')}\n`);
      await store.clear();
      const started = Date.now();
      const { timings, stopped } = await loadCsvBundle(driver, big, 'neo4j', 1);
      expect(stopped).toBe(true);
      expect(timings).toEqual([{ file: 'persons.csv', seconds: expect.any(Number), stopped: true }]);
      expect(Date.now() - started).toBeLessThan(30_000);
      const { persons } = await store.counts();
      expect(persons).toBeLessThan(400_000);
      const { records } = await driver.executeQuery(
        // Not this query itself, whose text names LOAD CSV too.
        "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'LOAD CSV' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n",
      );
      expect((records[0]!.get('n') as { toNumber(): number }).toNumber()).toBe(0);
    } finally {
      rmSync(big, { recursive: true, force: true });
      await store.clear();
    }
  });

  it("knows Neo4j's error for a transaction stopped at its client's timeout, and no other", async () => {
    const error = await driver
      .executeQuery(
        'UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(*) AS n',
        {},
        {
          transactionConfig: { timeout: 500 },
        },
      )
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(isTimedOut(error)).toBe(true);
    const syntax = await driver.executeQuery('RETURN nothing(').then(
      () => null,
      (err: unknown) => err,
    );
    expect(syntax).not.toBeNull();
    expect(isTimedOut(syntax)).toBe(false);
    expect(isTimedOut(null)).toBe(false);
  });

  it('counts down the milliseconds left of a limit, never below zero', () => {
    expect(millisecondsLeft(null, 0, 5000)).toBeNull();
    expect(millisecondsLeft(10, 1000, 4000)).toBe(7000);
    expect(millisecondsLeft(1, 1000, 4000)).toBe(0);
  });

  it('takes a termination for the limit only once the limit has passed', () => {
    // What Neo4j sent when the limit struck an inner transaction waiting for a lock.
    const lockStopped = { code: 'Neo.TransientError.Transaction.LockClientStopped' };
    const terminated = { code: 'Neo.ClientError.Transaction.Terminated' };
    const timedOut = { code: 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration' };
    expect(stoppedByLimit(lockStopped, 1000, 2500)).toBe(true);
    expect(stoppedByLimit(terminated, 1000, 1000)).toBe(true);
    expect(stoppedByLimit(timedOut, 1000, 10)).toBe(true);
    // Before the limit, or with none, a termination is somebody else's: not the limit's.
    expect(stoppedByLimit(lockStopped, 1000, 999)).toBe(false);
    expect(stoppedByLimit(terminated, null, 60_000)).toBe(false);
    expect(stoppedByLimit({ code: 'Neo.ClientError.Statement.SyntaxError' }, 1000, 5000)).toBe(false);
    expect(stoppedByLimit(null, 1000, 5000)).toBe(false);
  });
});
