/**
 * An import lock lost while its holder writes, on a real Neo4j (src/store/neo4j/import-lock.ts):
 * its transaction terminated from another session, the import stops before its next batch writes
 * anything and says so (how the lock was lost, what was committed, that importing again completes
 * it), the store still records the import as unfinished, and importing the bundle again completes it.
 */
import path from 'node:path';
import neo4j, { type Driver, type Session, type Transaction } from 'neo4j-driver';
import { IMPORT_BATCH_ROWS, importBundle } from '../../src/import/import';
import { INDEX_BACKFILLS } from '../../src/store/neo4j/cypher';
import type { ImportLock, TraceStore } from '../../src/store/port';
import { withImportWrites } from '../import/watched-writes';
import { barePerson } from '../bare-records';
import { openMigrated, openTestNeo4j, suiteBundles } from '../import/import-setup';
import { neo4jTestConfig } from '../setup/neo4j';
import { stateAfter } from '../setup/promise-state';
import { DISTRICT_COUNTS, smallDistrict } from './fixtures';

jest.setTimeout(180_000);

const TERMINATED = 'the server terminated its transaction: Neo.ClientError.Transaction.Terminated';

/** The error of an import of `dir` into `location` that lost its lock after `committed`. */
const lostAfter = (location: string, loss: string, dir: string, committed: string): string =>
  `the import lock on ${location} was lost (${loss}) after ${committed} of ${dir} had committed; the ` +
  `import stopped there, so the store holds part of the bundle and records the import as ` +
  `unfinished: import ${dir} again to complete it (every write is a merge)`;

/** What a write or an import came to: 'done', or the name and message of the error it threw. */
const outcomeOf = (work: Promise<unknown>): Promise<'done' | { name: string; message: string }> =>
  work.then(
    () => 'done' as const,
    (err: unknown) => ({ name: (err as Error).name, message: (err as Error).message }),
  );

/** A persons.csv of `count` persons P1, P2, …, each known by id only. */
const personsCsv = (count: number): string =>
  'id,name,sex,age,phone,id_number,home_id,occupation\n' +
  Array.from({ length: count }, (_, i) => `P${i + 1},,,,,,,\n`).join('');

describe('an import whose lock is lost while it writes (Neo4j)', () => {
  let store: TraceStore;
  /** Another store object, with connections of its own, as another process would have. */
  let other: TraceStore;
  let admin: Driver;
  const bundle = suiteBundles();
  const held: ImportLock[] = [];

  /** Ends, from another session, the transaction holding the import lock, as an administrator would. */
  const terminateLockHolder = async (): Promise<void> => {
    const { records } = await admin.executeQuery(
      `SHOW TRANSACTIONS YIELD transactionId, metaData, status
       WHERE metaData.importLock = true AND NOT status STARTS WITH 'Blocked'
       RETURN collect(transactionId) AS ids`,
      {},
      { database: 'neo4j' },
    );
    const ids = records[0]!.get('ids') as string[];
    expect(ids).toHaveLength(1);
    await admin.executeQuery('TERMINATE TRANSACTIONS $ids', { ids }, { database: 'neo4j' });
  };

  /** Waits until a transaction of tracegraph's waits for a lock the transaction marked `blocker` holds. */
  const blockedBy = async (blocker: string): Promise<void> => {
    const { records: ids } = await admin.executeQuery(
      'SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.blocker = $blocker RETURN transactionId',
      { blocker },
      { database: 'neo4j' },
    );
    const blocking = ids[0]!.get('transactionId') as string;
    for (;;) {
      const { records } = await admin.executeQuery(
        `SHOW TRANSACTIONS YIELD status, metaData
         WHERE metaData.app = 'tracegraph' AND status STARTS WITH 'Blocked' AND status CONTAINS $blocking
         RETURN count(*) AS blocked`,
        { blocking },
        { database: 'neo4j' },
      );
      if (Number(records[0]!.get('blocked')) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    store = await openMigrated(openTestNeo4j);
    other = await openTestNeo4j();
    const { uri, user, password } = neo4jTestConfig();
    admin = neo4j.driver(uri, neo4j.auth.basic(user, password));
  });
  beforeEach(async () => {
    await store.clear();
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((l) => l.release()));
  });
  afterAll(async () => {
    await store?.clear();
    await store?.close();
    await other?.close();
    await admin?.close();
  });

  test('no batch commits once the lock is lost: the next one fails saying how, and so does each after', async () => {
    const dir = bundle(null, { 'persons.csv': personsCsv(3) });
    const lock = await store.lockImports();
    held.push(lock);
    const session = await store.beginImport(dir);
    await session.write({ persons: [barePerson('P1'), barePerson('P2')] });
    await terminateLockHolder();

    for (const id of ['P3', 'P4']) {
      expect(await outcomeOf(session.write({ persons: [barePerson(id)] }))).toEqual({
        name: 'ImportLockLostError',
        message: lostAfter(store.location, TERMINATED, path.resolve(dir), '1 batch (2 rows)'),
      });
    }
    expect(await store.persons(['P1', 'P2', 'P3', 'P4'])).toEqual([
      barePerson('P1'),
      barePerson('P2'),
      null,
      null,
    ]);
    await session.abort();
    await lock.release();
    expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual([path.resolve(dir)]);
  });

  test('a lock whose connection the server closed (dbms.killConnection) is lost the same way, the error saying so', async () => {
    const dir = bundle(null, { 'persons.csv': personsCsv(2) });
    held.push(await store.lockImports());
    const session = await store.beginImport(dir);
    await session.write({ persons: [barePerson('P1')] });
    const { records } = await admin.executeQuery(
      `SHOW TRANSACTIONS YIELD connectionId, metaData, status
       WHERE metaData.importLock = true AND NOT status STARTS WITH 'Blocked' RETURN connectionId`,
      {},
      { database: 'neo4j' },
    );
    await admin.executeQuery(
      'CALL dbms.killConnection($id)',
      { id: records[0]!.get('connectionId') as string },
      { database: 'neo4j' },
    );

    expect(await outcomeOf(session.write({ persons: [barePerson('P2')] }))).toEqual({
      name: 'ImportLockLostError',
      message: lostAfter(
        store.location,
        'its connection closed: Connection was closed by server',
        path.resolve(dir),
        '1 batch (1 row)',
      ),
    });
    expect(await store.persons(['P1', 'P2'])).toEqual([barePerson('P1'), null]);
  });

  test('a batch finding another holder’s token writes nothing, even while its own lock’s transaction lives', async () => {
    const dir = bundle(null, { 'persons.csv': personsCsv(1) });
    held.push(await store.lockImports());
    const session = await store.beginImport(dir);
    await session.write({ persons: [barePerson('P1')] });
    // What a holder that took the lock after this one's transaction ended writes first.
    await admin.executeQuery(
      "MATCH (holder:ImportLock {id: 'holder'}) SET holder.token = 'another holder'",
      {},
      { database: 'neo4j' },
    );
    expect(await outcomeOf(session.write({ persons: [barePerson('P2')] }))).toEqual({
      name: 'ImportLockLostError',
      message: lostAfter(
        store.location,
        'another import, clear, migration or write has taken it since',
        path.resolve(dir),
        '1 batch (1 row)',
      ),
    });
    expect(await store.persons(['P1', 'P2'])).toEqual([barePerson('P1'), null]);
  });

  test('others take the lock, time and again, while the terminated holder has not yet found out', async () => {
    held.push(await store.lockImports());
    await terminateLockHolder();
    // The terminated transaction stays open on the server until its holder next asks (it does
    // not here): taking the lock must not depend on it being gone.
    for (let round = 0; round < 50; round++) {
      const taken = await outcomeOf(other.lockImports().then((lock) => lock.release()));
      expect({ round, taken }).toEqual({ round, taken: 'done' });
    }
  });

  test('a batch past its check when the lock is lost commits before the next holder can do anything', async () => {
    await store.write({ persons: [barePerson('P1')] });
    const dir = bundle(null, { 'persons.csv': personsCsv(1) });
    held.push(await store.lockImports());
    const session = await store.beginImport(dir);
    // An administrator's write lock on P1 holds the batch renaming P1 after its check.
    const blocker = admin.session({ database: 'neo4j' });
    const blocking = blocker.beginTransaction({ metadata: { blocker: 'P1' } });
    try {
      await blocking.run("MATCH (p:Person {id: 'P1'}) SET p.blocked = true");
      const renamed = barePerson('P1', { name: 'renamed' });
      const batch = outcomeOf(session.write({ persons: [renamed] }));
      // Blocked on P1, so past its check of the token, which it now holds.
      await blockedBy('P1');
      expect(await stateAfter(batch, 0)).toBe('waiting');

      await terminateLockHolder();
      const next = other.lockImports();
      next.then(
        (taken) => held.push(taken),
        () => undefined,
      );
      // The lock is free, but the next holder's token waits for the batch holding the old one.
      expect(await stateAfter(next, 2_000)).toBe('waiting');
      await blocking.rollback();
      expect(await batch).toBe('done');
      expect(await stateAfter(next, 5_000)).toBe('settled');
      expect(await store.persons(['P1'])).toEqual([renamed]);
      expect(await outcomeOf(session.write({ persons: [barePerson('P2')] }))).toEqual({
        name: 'ImportLockLostError',
        message: lostAfter(store.location, TERMINATED, path.resolve(dir), '1 batch (1 row)'),
      });
    } finally {
      if (blocking.isOpen()) await blocking.rollback();
      await blocker.close();
    }
  });

  test('an import of several batches stops at the batch after the loss; importing it again completes it', async () => {
    const rows = 3 * IMPORT_BATCH_ROWS - 1;
    const dir = bundle(null, { 'persons.csv': personsCsv(rows) });
    let written = 0;
    // The lock's transaction is terminated as soon as the first batch has committed.
    const losing = withImportWrites(store, async (batch, write) => {
      await write(batch);
      if (++written === 1) await terminateLockHolder();
    });

    expect(await outcomeOf(importBundle(losing, dir))).toEqual({
      name: 'ImportLockLostError',
      message: lostAfter(
        store.location,
        TERMINATED,
        path.resolve(dir),
        `1 batch (${IMPORT_BATCH_ROWS} rows)`,
      ),
    });
    expect((await store.counts()).persons).toBe(IMPORT_BATCH_ROWS);
    expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual([path.resolve(dir)]);

    // A normal import: unaffected by the checks, it completes the bundle and removes the record.
    const summary = await importBundle(store, dir);
    expect(summary.total).toBe(rows);
    expect((await store.counts()).persons).toBe(rows);
    expect(await store.unfinishedImports()).toEqual([]);
  });

  describe('a clear or a migration that loses the lock', () => {
    const district = smallDistrict();
    /** An administrator's transaction holding a write lock on one reported contact. */
    let blocking: { session: Session; tx: Transaction } | null = null;
    const blockOneContact = async (): Promise<void> => {
      const session = admin.session({ database: 'neo4j' });
      const tx = session.beginTransaction();
      blocking = { session, tx };
      await tx.run('MATCH ()-[c:CONTACTED]->() WITH c LIMIT 1 SET c.blocked = true');
    };
    const unblock = async (): Promise<void> => {
      await blocking?.tx.rollback();
      await blocking?.session.close();
      blocking = null;
    };
    /**
     * Waits until a statement of the clear or the migration has begun (each runs its batches in
     * transactions of their own, `IN TRANSACTIONS`): it then waits for the administrator's lock.
     */
    const blockedStatement = async (): Promise<void> => {
      for (;;) {
        const { records } = await admin.executeQuery(
          // A parameter, not in the text: the statement must not find itself.
          'SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $batched RETURN count(*) AS blocked',
          { batched: 'IN TRANSACTIONS' },
          { database: 'neo4j' },
        );
        if (Number(records[0]!.get('blocked')) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    beforeEach(async () => {
      await store.write(district);
    });
    afterEach(async () => {
      await unblock();
    });
    afterAll(async () => {
      // The migration cut off below is completed for the suites after.
      await store.migrate();
    });

    test('a clear stops before its next statement, saying the store may be cleared in part', async () => {
      await blockOneContact();
      const clearing = outcomeOf(store.clear());
      await blockedStatement();
      await terminateLockHolder();
      await unblock();
      expect(await clearing).toEqual({
        name: 'ImportLockLostError',
        message:
          `the import lock on ${store.location} was lost (${TERMINATED}) while clearing it; the store ` +
          `may be cleared in part: clear it again`,
      });
      // Its relationships went, in the statement running when the lock was lost; its nodes stay.
      expect(await store.counts()).toEqual({ ...DISTRICT_COUNTS, stays: 0, contacts: 0, handlings: 0 });
    });

    test('a migration stops before its next statement, and the next one completes it', async () => {
      // What a version before contacts kept their persons' ids wrote.
      const [contactsBackfill] = INDEX_BACKFILLS.filter((b) => /reported contact/.test(b.step));
      for (const { name } of contactsBackfill!.schema)
        await admin.executeQuery(`DROP INDEX ${name} IF EXISTS`, {}, { database: 'neo4j' });
      await admin.executeQuery(
        'MATCH ()-[c:CONTACTED]->() REMOVE c.personA, c.personB',
        {},
        { database: 'neo4j' },
      );

      await blockOneContact();
      const migrating = outcomeOf(store.migrate());
      await blockedStatement();
      await terminateLockHolder();
      await unblock();
      expect(await migrating).toEqual({
        name: 'ImportLockLostError',
        message:
          `the import lock on ${store.location} was lost (${TERMINATED}) while rewriting stored ` +
          `records; the migration stopped there, and the next command to open the store completes it`,
      });
      const indexes = async (): Promise<string[]> =>
        (
          await admin.executeQuery(
            'SHOW INDEXES YIELD name RETURN collect(name) AS names',
            {},
            { database: 'neo4j' },
          )
        ).records[0]!.get('names') as string[];
      const names = contactsBackfill!.schema.map((item) => item.name);
      expect((await indexes()).filter((name) => names.includes(name))).toEqual([]);

      const steps: string[] = [];
      await store.migrate((step) => steps.push(step));
      expect(steps).toEqual([contactsBackfill!.step]);
      expect((await indexes()).filter((name) => names.includes(name)).sort()).toEqual([...names].sort());
      expect(await store.contactsOf([{ id: 'P1', from: -Infinity, to: Infinity }])).toEqual(
        district.contacts,
      );
    });
  });
});
