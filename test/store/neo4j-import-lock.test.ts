/**
 * The import lock on a real Neo4j (src/store/neo4j/import-lock.ts): imports take it one at a time
 * and the one waiting is told who holds it; a store that closes or a process that dies lets it go;
 * a write adding entities waits for it until a few seconds after it was asked for (its `waitFrom`),
 * then is refused, while writes of records already stored go on.
 */
import { fork } from 'node:child_process';
import neo4j, { type Driver } from 'neo4j-driver';
import { hostname } from 'node:os';
import path from 'node:path';
import { StoreBusyError } from '../../src/domain/errors';
import { openNeo4jStore } from '../../src/store/neo4j';
import { createNeo4jExecutor } from '../../src/store/neo4j/executor';
import { LOCK_WAIT_MS, takeImportLock } from '../../src/store/neo4j/import-lock';
import { INDEX_BACKFILLS } from '../../src/store/neo4j/cypher';
import type { ImportLock, TraceStore } from '../../src/store/port';
import { barePerson } from '../bare-records';
import { neo4jTestConfig } from '../setup/neo4j';
import { DISTRICT_COUNTS, smallDistrict, t } from './fixtures';
import { stateAfter, stateWhen } from '../setup/promise-state';

jest.setTimeout(120_000);

const open = (): Promise<TraceStore> => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });

/** `text` as a regular expression matching it alone. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const SINCE = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';

/** How the waiting one is told of the holder in this process, or in the process `pid`. */
const holderNotice = (location: string, pid = process.pid): RegExp =>
  new RegExp(
    `^another import has been running on ${literal(location)} since ${SINCE} \\(pid ${pid} on ${hostname()}\\)$`,
  );

describe('the Neo4j import lock', () => {
  let store: TraceStore;
  let other: TraceStore;
  const held: ImportLock[] = [];
  const lock = async (on: TraceStore, onWait?: (holder: string) => void): Promise<ImportLock> => {
    const taken = await on.lockImports(onWait);
    held.push(taken);
    return taken;
  };

  beforeAll(async () => {
    store = await open();
    await store.migrate();
    // Another store object has a driver and connections of its own, as another process would.
    other = await open();
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((l) => l.release()));
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
  });

  test('a second import waits until the first releases the lock, told who holds it', async () => {
    const first = await lock(store);
    const notices: string[] = [];
    const second = lock(other, (holder) => notices.push(holder));
    // Told of the holder, and still waiting a while after (however slow the machine is to get there).
    expect(await stateWhen(second, () => notices.length > 0, 60_000)).toBe('waiting');
    expect(await stateAfter(second, 1_500)).toBe('waiting');
    expect(notices).toEqual([expect.stringMatching(holderNotice(store.location))]);

    await first.release();
    expect(await stateAfter(second, 5_000)).toBe('settled');
    // Released twice: nothing more happens.
    await first.release();
    await (await second).release();
    expect(await stateAfter(lock(store), 5_000)).toBe('settled');
  });

  test('closing the store that holds the lock lets the next import in', async () => {
    const closing = await open();
    await closing.lockImports();
    const next = lock(other);
    expect(await stateAfter(next, 1_500)).toBe('waiting');
    await closing.close();
    expect(await stateAfter(next, 10_000)).toBe('settled');
  });

  test('a process that dies holding the lock leaves none behind', async () => {
    const child = fork(path.join(__dirname, 'neo4j-import-lock-child.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, DEBUG: '' },
    });
    try {
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      const locked = await Promise.race([
        new Promise<boolean>((resolve) => child.on('message', (m) => resolve(m === 'locked'))),
        exit.then(() => false),
      ]);
      expect({ locked, stderr }).toEqual({ locked: true, stderr: '' });

      const notices: string[] = [];
      const next = lock(store, (holder) => notices.push(holder));
      expect(await stateWhen(next, () => notices.length > 0, 60_000)).toBe('waiting');
      expect(notices).toEqual([expect.stringMatching(holderNotice(store.location, child.pid))]);
      child.kill('SIGKILL');
      expect(await exit).toBe('SIGKILL');
      expect(await stateAfter(next, 10_000)).toBe('settled');
      const outcome = await next.then(
        () => 'taken',
        (err: unknown) => String(err),
      );
      expect(outcome).toBe('taken');
    } finally {
      child.kill('SIGKILL');
    }
  });

  describe('clearing and migrating while an import holds the lock', () => {
    const district = smallDistrict();
    let driver: Driver;
    beforeAll(() => {
      const { uri, user, password } = neo4jTestConfig();
      driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
    });
    afterAll(async () => {
      // Whatever a test left undone, the store is migrated again for the suites after.
      await store.migrate();
      await driver?.close();
    });
    beforeEach(async () => {
      await store.clear();
      await store.write(district);
    });

    test('clear() waits for the import, then removes everything', async () => {
      const importing = await lock(store);
      const clearing = other.clear();
      expect(await stateAfter(clearing, 2_500)).toBe('waiting');
      expect(await other.counts()).toEqual(DISTRICT_COUNTS);
      await importing.release();
      await clearing;
      expect(Object.values(await other.counts()).every((n) => n === 0)).toBe(true);
    });

    test("an import waiting for a clear, a migration or the removal of an unfinished import's record is told which holds the lock", async () => {
      const executor = createNeo4jExecutor({ ...neo4jTestConfig(), database: 'neo4j' });
      try {
        const doings = {
          clear: 'has been clearing',
          migration: 'has been migrating',
          forget: 'has been removing the record of an unfinished import from',
        } as const;
        for (const work of ['clear', 'migration', 'forget'] as const) {
          const holding = await takeImportLock(executor, store.location, undefined, work);
          const notices: string[] = [];
          const next = other.lockImports((holder) => notices.push(holder));
          const whileHeld = await stateWhen(next, () => notices.length > 0, 60_000);
          await holding.release();
          await (await next).release();

          expect(whileHeld).toBe('waiting');
          expect(notices).toEqual([
            expect.stringMatching(
              new RegExp(
                `^pid ${process.pid} on ${literal(hostname())} ${doings[work]} ${literal(store.location)} since ${SINCE}$`,
              ),
            ),
          ]);
        }
      } finally {
        await executor.close();
      }
    });

    test('a migration with nothing to rewrite does not wait for the import', async () => {
      await lock(store);
      const steps: string[] = [];
      expect(
        await stateAfter(
          other.migrate((step) => steps.push(step)),
          10_000,
        ),
      ).toBe('settled');
      expect(steps).toEqual([]);
    });

    test('a migration that rewrites stored records waits for the import, saying so, then rewrites them', async () => {
      // What a version before contacts kept their persons' ids wrote.
      const [contactsBackfill] = INDEX_BACKFILLS.filter((b) => /reported contact/.test(b.step));
      for (const { name } of contactsBackfill!.schema)
        await driver.executeQuery(`DROP INDEX ${name} IF EXISTS`, {}, { database: 'neo4j' });
      await driver.executeQuery(
        'MATCH ()-[c:CONTACTED]->() REMOVE c.personA, c.personB',
        {},
        { database: 'neo4j' },
      );

      const importing = await lock(store);
      const steps: string[] = [];
      const migrating = other.migrate((step) => steps.push(step));
      expect(await stateWhen(migrating, () => steps.length > 0, 60_000)).toBe('waiting');
      expect(await stateAfter(migrating, 1_500)).toBe('waiting');
      expect(steps).toHaveLength(1);
      const [holder, waiting] = steps[0]!.split(': ');
      expect(holder).toMatch(holderNotice(store.location));
      expect(waiting).toBe('waiting for it to end before rewriting stored records');
      await importing.release();
      await migrating;
      expect(steps.slice(1)).toEqual([contactsBackfill!.step]);
      expect(await other.contactsOf([{ id: 'P1', from: -Infinity, to: Infinity }])).toEqual(
        district.contacts,
      );
    });
  });

  describe('writes while an import holds the lock', () => {
    const district = smallDistrict();
    beforeEach(async () => {
      await store.clear();
      await store.write(district);
    });

    test('a write adding a person waits a few seconds, then is refused naming the import; nothing written', async () => {
      await lock(store);
      const started = Date.now();
      const error = await other.write({ persons: [barePerson('P9')] }).catch((err: unknown) => err);
      const waited = Date.now() - started;
      expect(error).toBeInstanceOf(StoreBusyError);
      const message = (error as StoreBusyError).message;
      const [holder] = message.split(';');
      expect(holder).toMatch(holderNotice(store.location));
      expect(message.slice(holder!.length)).toBe(
        '; persons, places, boats and lots new to the store can be written when it ends (nothing was written)',
      );
      expect((error as StoreBusyError).since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(waited).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 500);
      expect(await other.persons(['P9'])).toEqual([null]);
    });

    test('writes of persons already stored, and of stays, are not held back', async () => {
      await lock(store);
      const renamed = { ...district.persons[0]!, name: 'renamed while importing' };
      const stay = {
        subjectId: 'P2',
        hostId: 'MKT',
        start: t('2022-08-09T09:00:00+08:00'),
        end: t('2022-08-09T10:00:00+08:00'),
      };
      expect(await stateAfter(other.write({ persons: [renamed], stays: [stay] }), 3_000)).toBe('settled');
      expect(await other.persons(['P1'])).toEqual([renamed]);
      expect((await other.counts()).stays).toBe(district.stays.length + 1);
    });

    /** Records, in order, which of the writes given settled; an error is returned, not thrown. */
    const settling = (settled: string[], name: string, writing: Promise<void>): Promise<unknown> =>
      writing.then(
        () => void settled.push(name),
        (err: unknown) => {
          settled.push(name);
          return err;
        },
      );

    test('a write asked for a whole wait ago is refused at once, before an earlier write waiting its whole wait; nothing written', async () => {
      await lock(store);
      const settled: string[] = [];
      const whole = settling(settled, 'whole wait', other.write({ persons: [barePerson('P9')] }));
      expect(await stateAfter(whole, 1_000)).toBe('waiting');
      // The later write of a mutation whose earlier writes used up its wait (src/store/port.ts).
      const late = settling(
        settled,
        'wait used up',
        other.write({ persons: [barePerson('P8')] }, { waitFrom: Date.now() - LOCK_WAIT_MS - 1 }),
      );
      const [lateError, wholeError] = await Promise.all([late, whole]);
      // Waiting a whole wait of its own, it would settle a second after the write started before it.
      expect(settled).toEqual(['wait used up', 'whole wait']);
      for (const error of [lateError, wholeError]) {
        expect(error).toBeInstanceOf(StoreBusyError);
        expect((error as StoreBusyError).message).toMatch(
          /; persons, places, boats and lots new to the store can be written when it ends \(nothing was written\)$/,
        );
      }
      expect((lateError as StoreBusyError).message.split(';')[0]).toMatch(holderNotice(store.location));
      expect(await other.persons(['P8', 'P9'])).toEqual([null, null]);
    });

    test('a write waits only what is left of its wait: refused before an earlier write with a whole wait, it too refused', async () => {
      await lock(store);
      const settled: string[] = [];
      const whole = settling(settled, 'whole wait', other.write({ persons: [barePerson('P9')] }));
      expect(await stateAfter(whole, 1_000)).toBe('waiting');
      // Asked for 3 s ago: 2 s of its wait are left, ending 2 s before the wait of the write above
      // (with a whole wait of its own, it would end a second after it).
      const partly = settling(
        settled,
        'wait partly used',
        other.write({ persons: [barePerson('P8')] }, { waitFrom: Date.now() - 3_000 }),
      );
      expect(await stateAfter(partly, 1_000)).toBe('waiting');
      const [partlyError, wholeError] = await Promise.all([partly, whole]);
      expect(settled).toEqual(['wait partly used', 'whole wait']);
      expect(partlyError).toBeInstanceOf(StoreBusyError);
      expect(wholeError).toBeInstanceOf(StoreBusyError);
      expect(await other.persons(['P8', 'P9'])).toEqual([null, null]);
    });

    test('a write with part of its wait left goes through once the import releases the lock within it', async () => {
      const importing = await lock(store);
      const adding = other.write(
        { persons: [barePerson('P9')] },
        { waitFrom: Date.now() - LOCK_WAIT_MS + 3_000 },
      );
      expect(await stateAfter(adding, 1_000)).toBe('waiting');
      await importing.release();
      await adding;
      expect(await other.persons(['P9'])).toEqual([barePerson('P9')]);
    });

    test('a write whose wait is used up still goes through when nothing holds the lock', async () => {
      const ids = ['P91', 'P92', 'P93', 'P94', 'P95'];
      // One after another: each is the first to try the lock, and must not be stopped as a waiter.
      for (const id of ids)
        await other.write({ persons: [barePerson(id)] }, { waitFrom: Date.now() - LOCK_WAIT_MS - 1 });
      expect(await other.persons(ids)).toEqual(ids.map((id) => barePerson(id)));
    });

    test('once the import releases the lock, the write adding a person goes through', async () => {
      const importing = await lock(store);
      const adding = other.write({ persons: [barePerson('P9')] });
      expect(await stateAfter(adding, 1_500)).toBe('waiting');
      await importing.release();
      await adding;
      expect(await other.persons(['P9'])).toEqual([barePerson('P9')]);
    });
  });
});
