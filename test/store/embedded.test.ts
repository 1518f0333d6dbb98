import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreBusyError, StoreUnavailableError, ValidationError } from '../../src/domain/errors';
import type { RecordBatch } from '../../src/domain/types';
import { openEmbeddedStore } from '../../src/store/embedded';
import { BUSY_TIMEOUT_MS, isBusy } from '../../src/store/embedded/connection';
import { stayWindows } from '../../src/store/embedded/store';
import { MIGRATIONS } from '../../src/store/embedded/schema';
import { Statements } from '../../src/store/embedded/statements';
import type { ImportSession, TraceStore } from '../../src/store/port';
import { describeStoreContract } from './contract';
import { DISTRICT_COUNTS, smallDistrict, t } from './fixtures';
import { stateAfter } from '../setup/promise-state';
import { holdableStoreWith } from './holdable-store';
import { importingProcess } from './importing-process';
import { lockingProcess } from './locking-process';

const tmpDirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-embedded-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('embedded', () => openEmbeddedStore(freshDir()));

const KINDS = [
  'persons',
  'places',
  'boats',
  'items',
  'stays',
  'contacts',
  'handlings',
  'samples',
  'cases',
] as const;

/** Every record of every kind, in scan order. */
async function snapshot(store: TraceStore): Promise<Required<RecordBatch>> {
  const all = {} as Record<(typeof KINDS)[number], unknown[]>;
  for (const kind of KINDS) {
    all[kind] = [];
    for await (const page of store.scan(kind, 4)) all[kind].push(...page);
  }
  return all as Required<RecordBatch>;
}

describe('embedded store', () => {
  const district = smallDistrict();

  describe('files and durability', () => {
    test('keeps its database in <dataDir>/tracegraph.db, creating the folder, in WAL mode', async () => {
      const dataDir = path.join(freshDir(), 'nested', 'data');
      const steps: string[] = [];
      const store = await openEmbeddedStore(dataDir, (step) => steps.push(step));
      try {
        // A new file has nothing to rewrite.
        expect(steps).toEqual([]);
        expect(store.kind).toBe('embedded');
        expect(store.readsInThisThread).toBe(true);
        expect(store.location).toBe(path.join(dataDir, 'tracegraph.db'));
        expect(existsSync(store.location)).toBe(true);
        const raw = new Database(store.location, { readonly: true });
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        raw.close();
      } finally {
        await store.close();
      }
    });

    test('data survives close and reopen', async () => {
      const dataDir = freshDir();
      const first = await openEmbeddedStore(dataDir);
      await first.write(district);
      const before = await snapshot(first);
      await first.close();

      const second = await openEmbeddedStore(dataDir);
      try {
        await second.migrate();
        expect(await snapshot(second)).toEqual(before);
        expect(await second.counts()).toEqual(DISTRICT_COUNTS);
        expect((await second.persons(['P1']))[0]).toEqual(district.persons[0]);
        // The window bound (longest stay) is kept too: the 8-day cold-storage stay is still found
        // from a window at its very end.
        const late = await second.staysAtHosts([
          { id: 'COLD', from: t('2022-08-05T10:00:00+08:00'), to: t('2022-08-06T00:00:00+08:00') },
        ]);
        expect(late).toEqual([district.stays[5]]);
      } finally {
        await second.close();
      }
    });

    test('an import killed before commit leaves the store exactly as it was', async () => {
      const dataDir = freshDir();
      const store = await openEmbeddedStore(dataDir);
      await store.write(district);
      const before = await snapshot(store);
      await store.close();

      const child = fork(path.join(__dirname, 'embedded-import-child.ts'), [dataDir], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      const written = await Promise.race([
        new Promise<boolean>((resolve) => child.on('message', (m) => resolve(m === 'written'))),
        exit.then(() => false),
      ]);
      expect({ written, stderr }).toEqual({ written: true, stderr: '' });
      child.kill('SIGKILL');
      expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });

      const reopened = await openEmbeddedStore(dataDir);
      try {
        expect(await snapshot(reopened)).toEqual(before);
        expect(await reopened.persons(['P9'])).toEqual([null]);
        // The killed writer left no lock behind: a new import commits.
        const session = await reopened.beginImport('bundle');
        await session.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
        await session.commit();
        expect((await reopened.counts()).persons).toBe(5);
      } finally {
        await reopened.close();
      }
    }, 30_000);
  });

  describe('a data directory that cannot be used', () => {
    test('is a file: the error names the path', async () => {
      const file = path.join(freshDir(), 'not-a-dir');
      writeFileSync(file, 'x');
      const opening = openEmbeddedStore(file);
      await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(opening).rejects.toThrow(
        `cannot use data directory "${file}": it (or a folder above it) is a file, not a directory`,
      );
    });

    test('lies under a file: the error names the path', async () => {
      const file = path.join(freshDir(), 'plain-file');
      writeFileSync(file, 'x');
      const dataDir = path.join(file, 'data');
      await expect(openEmbeddedStore(dataDir)).rejects.toThrow(`cannot use data directory "${dataDir}"`);
    });

    test('holds a tracegraph.db that is not a database: the error names the file', async () => {
      const dataDir = freshDir();
      const dbFile = path.join(dataDir, 'tracegraph.db');
      writeFileSync(
        dbFile,
        'this is not SQLite, just some text that is long enough to have a header'.repeat(20),
      );
      await expect(openEmbeddedStore(dataDir)).rejects.toThrow(
        `cannot open database "${dbFile}": file is not a database`,
      );
    });

    test('holds a tracegraph.db that is a folder: the error names the file', async () => {
      const dataDir = freshDir();
      const dbFile = path.join(dataDir, 'tracegraph.db');
      mkdirSync(dbFile);
      await expect(openEmbeddedStore(dataDir)).rejects.toThrow(`cannot open database "${dbFile}"`);
    });

    test('holds a database from a newer tracegraph: the error names the file and the versions', async () => {
      const dataDir = freshDir();
      const dbFile = path.join(dataDir, 'tracegraph.db');
      const raw = new Database(dbFile);
      raw.pragma('user_version = 99');
      raw.close();
      await expect(openEmbeddedStore(dataDir)).rejects.toThrow(
        `${dbFile} has schema version 99, newer than this tracegraph knows (${MIGRATIONS.length})`,
      );
    });

    test('a database of schema version 1 gets the longest stay of each host and subject, and the migration says so', async () => {
      const dataDir = freshDir();
      const raw = new Database(path.join(dataDir, 'tracegraph.db'));
      raw.exec(MIGRATIONS[0]!);
      raw.pragma('user_version = 1');
      const entity = raw.prepare('INSERT INTO entities (id, kind) VALUES (?, ?)');
      for (const [id, kind] of [
        ['B1', 'boat'],
        ['P1', 'person'],
        ['PORT', 'place'],
        ['MKT', 'place'],
      ])
        entity.run(id, kind);
      const day = 86_400_000;
      const hour = 3_600_000;
      const june = t('2022-06-01T00:00:00+08:00');
      const long = { subjectId: 'B1', hostId: 'PORT', start: june, end: june + 60 * day };
      const insert = raw.prepare(
        'INSERT INTO stays (subject_id, host_id, start_at, end_at) VALUES (?, ?, ?, ?)',
      );
      insert.run(long.subjectId, long.hostId, long.start, long.end);
      insert.run('P1', 'PORT', june + 59 * day, june + 59 * day + hour);
      insert.run('P1', 'MKT', june + 59 * day + 2 * hour, june + 59 * day + 4 * hour);
      raw.close();

      const steps: string[] = [];
      const store = await openEmbeddedStore(dataDir, (step) => steps.push(step));
      const check = new Database(store.location, { readonly: true });
      try {
        expect(steps).toEqual(['schema version 1 to 2 (once)']);
        await store.migrate((step) => steps.push(step));
        expect(steps).toHaveLength(1);
        expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(check.prepare('SELECT host_id AS id, ms FROM longest_stay_at_host ORDER BY 1').all()).toEqual([
          { id: 'MKT', ms: 2 * hour },
          { id: 'PORT', ms: 60 * day },
        ]);
        expect(
          check.prepare('SELECT subject_id AS id, ms FROM longest_stay_of_subject ORDER BY 1').all(),
        ).toEqual([
          { id: 'B1', ms: 60 * day },
          { id: 'P1', ms: 2 * hour },
        ]);
        // The port's 60-day stay is still found from a window near its end.
        const window = { from: june + 59 * day + 12 * hour, to: june + 59 * day + 13 * hour };
        expect(await store.staysAtHosts([{ id: 'PORT', ...window }])).toEqual([long]);
        expect(await store.staysOfSubjects([{ id: 'B1', ...window }])).toEqual([long]);
        expect(await store.staysAtHosts([{ id: 'MKT', ...window }])).toEqual([]);
      } finally {
        check.close();
        await store.close();
      }
    });

    test('a database of schema version 1 that another process is writing to is not upgraded: told of the wait, waited on a timer, then StoreBusyError, saying to try again; the file is left as it was', async () => {
      const dataDir = freshDir();
      const dbFile = path.join(dataDir, 'tracegraph.db');
      const raw = new Database(dbFile);
      raw.pragma('journal_mode = WAL');
      raw.exec(MIGRATIONS[0]!);
      raw.pragma('user_version = 1');
      raw.close();
      const writer = await lockingProcess(dbFile, 'write');
      const told: string[] = [];
      try {
        const opening = openEmbeddedStore(dataDir, (step) => told.push(step));
        // The wait is on a timer: the thread runs other work meanwhile.
        let ticks = 0;
        const ticking = setInterval(() => ticks++, 10);
        await expect(opening).rejects.toBeInstanceOf(StoreBusyError);
        clearInterval(ticking);
        expect(ticks).toBeGreaterThan(10);
        expect(told).toEqual([
          'another process is writing to it (an import?): waiting up to 5 s for it to end before upgrading the ' +
            `schema from version 1 to ${MIGRATIONS.length}`,
        ]);
        await expect(opening).rejects.toMatchObject({
          message:
            `${dbFile} is locked by another writer (an import in another process?), so its schema cannot be ` +
            `upgraded from version 1 to ${MIGRATIONS.length} now; nothing was changed: try again when it ends`,
          cause: expect.objectContaining({ code: 'SQLITE_BUSY' }),
        });
      } finally {
        await writer.release();
      }
      const check = new Database(dbFile, { readonly: true });
      try {
        expect(check.pragma('user_version', { simple: true })).toBe(1);
      } finally {
        check.close();
      }
      // Once the other process has ended, the same open upgrades it.
      const store = await openEmbeddedStore(dataDir);
      expect((await store.counts()).stays).toBe(0);
      await store.close();
    }, 30_000);

    test('is held whole by another process (exclusive locking mode): the read is refused with StoreBusyError, saying to try again', async () => {
      const dataDir = freshDir();
      const first = await openEmbeddedStore(dataDir);
      await first.write(district);
      await first.close();
      const dbFile = path.join(dataDir, 'tracegraph.db');
      const holder = await lockingProcess(dbFile, 'exclusive');
      try {
        const opening = openEmbeddedStore(dataDir);
        await expect(opening).rejects.toBeInstanceOf(StoreBusyError);
        await expect(opening).rejects.toMatchObject({
          message: `${dbFile} is locked by another process; nothing was read: try again when it ends`,
          refused: 'read',
          cause: expect.objectContaining({ code: 'SQLITE_BUSY' }),
        });
      } finally {
        await holder.release();
      }
      const store = await openEmbeddedStore(dataDir);
      expect(await store.counts()).toEqual(DISTRICT_COUNTS);
      await store.close();
    }, 30_000);
  });

  describe('writes', () => {
    let store: TraceStore;
    beforeAll(async () => {
      store = await openEmbeddedStore(freshDir());
    });
    afterAll(async () => {
      await store.close();
    });
    beforeEach(async () => {
      await store.clear();
      await store.write(district);
    });

    test('a batch naming an unknown id is refused whole, and the error names the column and id', async () => {
      const before = await snapshot(store);
      const writing = store.write({
        persons: [{ ...district.persons[3]!, id: 'P5', homeId: 'H9' }],
        stays: [
          {
            subjectId: 'P1',
            hostId: 'NOWHERE',
            start: t('2022-08-09T09:00:00+08:00'),
            end: t('2022-08-09T10:00:00+08:00'),
          },
        ],
      });
      await expect(writing).rejects.toBeInstanceOf(ValidationError);
      await expect(writing).rejects.toMatchObject({
        total: 2,
        problems: expect.arrayContaining([
          { file: 'persons', line: 0, column: 'homeId', reason: '"H9" is not a known place' },
          {
            file: 'stays',
            line: 0,
            column: 'hostId',
            reason: '"NOWHERE" is not a known person, place, boat or lot',
          },
        ]),
      });
      await expect(writing).rejects.toThrow(/^2 problems found; nothing was written:\n/);
      expect(await snapshot(store)).toEqual(before);
    });

    test('an id cannot name two kinds of record', async () => {
      const writing = store.write({
        places: [
          { id: 'MKT2', name: 'fine', kind: 'market', lat: null, lon: null, capacity: null },
          { id: 'P1', name: 'clash', kind: 'market', lat: null, lon: null, capacity: null },
        ],
      });
      await expect(writing).rejects.toBeInstanceOf(ValidationError);
      await expect(writing).rejects.toThrow('places[1]: column "id": "P1" is already a person');
      expect(await store.places(['MKT2'])).toEqual([null]);
      expect(await store.places(['P1'])).toEqual([null]);
      expect(await store.entityKinds(['P1'])).toEqual(['person']);
    });

    test('a contact is the same whichever person is written first; it keeps its first order', async () => {
      const contact = district.contacts[0]!;
      await store.write({ contacts: [{ ...contact, personA: contact.personB, personB: contact.personA }] });
      expect((await store.counts()).contacts).toBe(1);
      expect(await store.contactsOf([{ id: 'P4', from: contact.start, to: contact.end }])).toEqual([contact]);
      // Another setting is another contact.
      await store.write({ contacts: [{ ...contact, setting: 'household' }] });
      expect((await store.counts()).contacts).toBe(2);
    });

    test('a sample is corrected by a later one of the same subject, instant and method', async () => {
      const [negative] = district.samples;
      await store.write({
        samples: [
          { ...negative!, result: 'positive', ct: 31 },
          { ...negative!, method: 'antigen' },
        ],
      });
      expect(await store.samplesOf(['P1'], negative!.sampledAt)).toEqual([
        { ...negative!, method: 'antigen' },
        { ...negative!, result: 'positive', ct: 31 },
      ]);
    });

    test('an interval ending before it starts is refused', async () => {
      await expect(
        store.write({
          stays: [
            {
              subjectId: 'P1',
              hostId: 'MKT',
              start: t('2022-08-09T10:00:00+08:00'),
              end: t('2022-08-09T09:00:00+08:00'),
            },
          ],
        }),
        // Matched on the message: better-sqlite3's error class may belong to another test file's realm.
      ).rejects.toMatchObject({ message: expect.stringMatching(/CHECK constraint failed/) });
      expect((await store.counts()).stays).toBe(7);
    });

    test('writes keep the longest stay of each host and subject, across batches', async () => {
      const raw = new Database(store.location, { readonly: true });
      const atHost = raw.prepare<[string], { ms: number }>(
        'SELECT ms FROM longest_stay_at_host WHERE host_id = ?',
      );
      const ofSubject = raw.prepare<[string], { ms: number }>(
        'SELECT ms FROM longest_stay_of_subject WHERE subject_id = ?',
      );
      try {
        const stays = district.stays;
        const longestOf = (pick: (s: (typeof stays)[number]) => string, id: string): number =>
          Math.max(...stays.filter((s) => pick(s) === id).map((s) => s.end - s.start));
        for (const s of stays) {
          expect(atHost.get(s.hostId)).toEqual({ ms: longestOf((x) => x.hostId, s.hostId) });
          expect(ofSubject.get(s.subjectId)).toEqual({ ms: longestOf((x) => x.subjectId, s.subjectId) });
        }
        // A shorter stay in a later batch leaves the longest; a longer one raises it.
        const first = stays[0]!;
        const before = atHost.get(first.hostId)!.ms;
        await store.write({ stays: [{ ...first, start: first.start - 1, end: first.start }] });
        expect(atHost.get(first.hostId)).toEqual({ ms: before });
        await store.write({ stays: [{ ...first, end: first.start + before + 1 }] });
        expect(atHost.get(first.hostId)).toEqual({ ms: before + 1 });
        expect(ofSubject.get(first.subjectId)!.ms).toBeGreaterThanOrEqual(before + 1);
      } finally {
        raw.close();
      }
    });

    test('clear empties every table and forgets the longest stay and contact', async () => {
      const raw = new Database(store.location, { readonly: true });
      const longest = raw.prepare('SELECT key, value FROM meta ORDER BY key');
      try {
        // The 8-day cold-storage stay and the 2-hour contact.
        expect(longest.all()).toEqual([
          { key: 'max_contact_ms', value: 2 * 3_600_000 },
          { key: 'max_stay_ms', value: 8 * 86_400_000 },
        ]);
        await store.clear();
        expect(await snapshot(store)).toEqual({
          persons: [],
          places: [],
          boats: [],
          items: [],
          stays: [],
          contacts: [],
          handlings: [],
          samples: [],
          cases: [],
        });
        expect(longest.all()).toEqual([
          { key: 'max_contact_ms', value: 0 },
          { key: 'max_stay_ms', value: 0 },
        ]);
        expect(raw.prepare('SELECT count(*) AS n FROM longest_stay_at_host').get()).toEqual({ n: 0 });
        expect(raw.prepare('SELECT count(*) AS n FROM longest_stay_of_subject').get()).toEqual({ n: 0 });
      } finally {
        raw.close();
      }
      await store.write(district);
      expect((await store.counts()).stays).toBe(7);
    });
  });

  describe('imports', () => {
    let store: TraceStore;
    beforeAll(async () => {
      store = await openEmbeddedStore(freshDir());
    });
    afterAll(async () => {
      await store.close();
    });
    beforeEach(async () => {
      await store.clear();
      await store.write(district);
    });

    test('readers see the last committed state until the import commits; other writes are refused until it ends', async () => {
      const session = await store.beginImport('bundle');
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P9', name: 'Zhou Jie' }] });
      expect(await store.persons(['P9'])).toEqual([null]);
      expect((await store.counts()).persons).toBe(4);
      const writing = store.write({ persons: [{ ...district.persons[3]!, id: 'P8' }] });
      await expect(writing).rejects.toThrow(`an import into ${store.location} is in progress`);
      await expect(writing).rejects.toMatchObject({ name: 'StoreBusyError', heldBack: 'every-write' });
      await expect(store.beginImport('bundle')).rejects.toThrow('is in progress');
      await session.commit();
      expect((await store.persons(['P9']))[0]?.name).toBe('Zhou Jie');
      await store.write({ persons: [{ ...district.persons[3]!, id: 'P8' }] });
      expect((await store.counts()).persons).toBe(6);
    });

    test('a batch that fails inside an import leaves the batches before it, for commit or abort', async () => {
      const session = await store.beginImport('bundle');
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
      await expect(
        session.write({
          persons: [{ ...district.persons[3]!, id: 'P10' }],
          places: [{ id: 'P2', name: null, kind: 'home', lat: null, lon: null, capacity: null }],
        }),
      ).rejects.toThrow('places[0]: column "id": "P2" is already a person');
      await session.commit();
      expect((await store.persons(['P9', 'P10'])).map((p) => p?.id ?? null)).toEqual(['P9', null]);
      await expect(session.write({ persons: [] })).rejects.toThrow('has already ended');
      await expect(session.commit()).rejects.toThrow('has already ended');
    });

    test('references are checked at commit, across batches; a failed commit writes nothing', async () => {
      const before = await snapshot(store);
      const session = await store.beginImport('bundle');
      // A stay may come before the person it names, within one import.
      await session.write({
        stays: [
          {
            subjectId: 'P9',
            hostId: 'MKT',
            start: t('2022-08-09T09:00:00+08:00'),
            end: t('2022-08-09T10:00:00+08:00'),
          },
        ],
      });
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
      await session.write({
        handlings: [{ personId: 'P9', itemId: 'L404', at: t('2022-08-09T09:30:00+08:00') }],
      });
      const committing = session.commit();
      await expect(committing).rejects.toBeInstanceOf(ValidationError);
      await expect(committing).rejects.toThrow(
        '1 problem found; nothing was written:\n  handlings: column "itemId": "L404" is not a known lot',
      );
      await expect(session.abort()).resolves.toBeUndefined();
      expect(await snapshot(store)).toEqual(before);
      // The store takes writes again.
      await store.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
      expect((await store.counts()).persons).toBe(5);
    });

    test("another process's import holds back every write: each waits the busy timeout, then is refused with StoreBusyError; nothing is written", async () => {
      const dataDir = freshDir();
      const own = await openEmbeddedStore(dataDir);
      await own.write(district);
      const before = await snapshot(own);
      const importer = await importingProcess(dataDir);
      try {
        const started = Date.now();
        const writing = own.write({ persons: [{ ...district.persons[3]!, id: 'P8' }] });
        await expect(writing).rejects.toBeInstanceOf(StoreBusyError);
        await expect(writing).rejects.toMatchObject({
          message: `${own.location} is locked by another writer (an import in another process?); nothing was written: try again when it ends`,
          heldBack: 'every-write',
          cause: expect.objectContaining({ code: 'SQLITE_BUSY' }),
        });
        expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
        await expect(own.beginImport('bundle')).rejects.toBeInstanceOf(StoreBusyError);
      } finally {
        await importer.kill();
      }
      expect(await snapshot(own)).toEqual(before);
      // The lock is free again: the same write goes through.
      await own.write({ persons: [{ ...district.persons[3]!, id: 'P8' }] });
      expect((await own.counts()).persons).toBe(5);
      await own.close();
    }, 30_000);

    test("a write waiting for another process's write lock leaves the thread free: reads are answered meanwhile; once the lock is released it is written", async () => {
      const dataDir = freshDir();
      const own = await openEmbeddedStore(dataDir);
      await own.write(district);
      const importer = await importingProcess(dataDir);
      let writing: Promise<void> | undefined;
      try {
        writing = own.write({ persons: [{ ...district.persons[3]!, id: 'P8', name: 'Qian' }] });
        // SQLite's own busy wait would hold this thread (and so this test) until the write gave up.
        expect(await stateAfter(writing, 200)).toBe('waiting');
        expect(await own.counts()).toEqual(DISTRICT_COUNTS);
        expect(await stateAfter(writing, 0)).toBe('waiting');
        await importer.commit();
      } finally {
        await importer.kill();
      }
      await writing;
      expect(await own.persons(['P8', 'P9'])).toEqual([
        expect.objectContaining({ id: 'P8', name: 'Qian' }),
        expect.objectContaining({ id: 'P9', name: 'Zhou Jie' }),
      ]);
      await own.close();
    }, 30_000);

    test("an import waits for another process's write lock as a write does: told before it waits, the thread free meanwhile; it begins once the lock is released", async () => {
      const dataDir = freshDir();
      const own = await openEmbeddedStore(dataDir);
      await own.write(district);
      const importer = await importingProcess(dataDir);
      const told: [string, number | undefined][] = [];
      let beginning: Promise<ImportSession> | undefined;
      try {
        beginning = own.beginImport('bundle', {
          onWait: (holder, giveUpAfterMs) => told.push([holder, giveUpAfterMs]),
        });
        // SQLite's own busy wait would hold this thread until the import gave up.
        expect(await stateAfter(beginning, 200)).toBe('waiting');
        expect(told).toEqual([
          [`${own.location} is locked by another writer (an import in another process?)`, 5_000],
        ]);
        expect(await own.counts()).toEqual(DISTRICT_COUNTS);
        await importer.commit();
      } finally {
        await importer.kill();
      }
      const session = await beginning;
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P8', name: 'Qian' }] });
      await session.commit();
      expect(told).toHaveLength(1);
      expect((await own.persons(['P8', 'P9'])).map((p) => p?.name)).toEqual(['Qian', 'Zhou Jie']);
      await own.close();
    }, 30_000);

    test('an import that finds the write lock free begins without a word', async () => {
      const own = await openEmbeddedStore(freshDir());
      const onWait = jest.fn();
      const session = await own.beginImport('bundle', { onWait });
      await session.abort();
      expect(onWait).not.toHaveBeenCalled();
      await own.close();
    });

    test('a write asked for a busy timeout ago (waitFrom) tries the lock once: refused at once while another process holds it', async () => {
      const dataDir = freshDir();
      const own = await openEmbeddedStore(dataDir);
      await own.write(district);
      const importer = await importingProcess(dataDir);
      try {
        const writing = own.write(
          { persons: [{ ...district.persons[3]!, id: 'P8' }] },
          { waitFrom: Date.now() - 5_000 },
        );
        // Not waiting: refused before a write with its own wait ahead of it could be.
        const waiting = own.write({ persons: [{ ...district.persons[3]!, id: 'P7' }] });
        await expect(writing).rejects.toBeInstanceOf(StoreBusyError);
        expect(await stateAfter(waiting, 0)).toBe('waiting');
        await expect(waiting).rejects.toBeInstanceOf(StoreBusyError);
      } finally {
        await importer.kill();
      }
      expect((await own.counts()).persons).toBe(DISTRICT_COUNTS.persons);
      await own.close();
    }, 30_000);

    test('closing the store aborts an import in progress', async () => {
      const dataDir = freshDir();
      const own = await openEmbeddedStore(dataDir);
      await own.write(district);
      const session = await own.beginImport('bundle');
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
      await own.close();
      const reopened = await openEmbeddedStore(dataDir);
      try {
        expect((await reopened.counts()).persons).toBe(4);
      } finally {
        await reopened.close();
      }
    });
  });

  describe('reads while another process holds the file whole', () => {
    const held = () => holdableStoreWith(district, 'tracegraph-embedded-held-');

    test('a read waits on a timer, the thread free meanwhile, and is answered once the other process lets go within the wait', async () => {
      const { store, file, dispose } = await held();
      const before = await snapshot(store);
      const holder = await lockingProcess(file, 'exclusive');
      try {
        const counting = store.counts();
        const looking = store.persons(['P1', 'P9']);
        const scanning = snapshot(store);
        // SQLite's own busy wait would hold this thread (and so this test) until each read gave up.
        expect(await stateAfter(Promise.race([counting, looking, scanning]), 200)).toBe('waiting');
        await holder.release();
        expect(await counting).toEqual(DISTRICT_COUNTS);
        expect(await looking).toEqual([expect.objectContaining({ id: 'P1' }), null]);
        expect(await scanning).toEqual(before);
      } finally {
        await holder.kill();
        await dispose();
      }
    }, 30_000);

    test('a read still refused a busy timeout after it was asked for is refused with StoreBusyError, nothing read, saying to try again', async () => {
      const { store, file, dispose } = await held();
      const holder = await lockingProcess(file, 'exclusive');
      try {
        const asked = Date.now();
        const reading = store.persons(['P1']);
        expect(await stateAfter(reading, 200)).toBe('waiting');
        await expect(reading).rejects.toBeInstanceOf(StoreBusyError);
        await expect(reading).rejects.toMatchObject({
          message: `${file} is locked by another process; nothing was read: try again when it ends`,
          refused: 'read',
          cause: expect.objectContaining({ code: 'SQLITE_BUSY' }),
        });
        // Refused no sooner than the busy timeout, counted from when it was asked for.
        expect(Date.now() - asked).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS);
        await holder.release();
        expect(await store.persons(['P1'])).toEqual([expect.objectContaining({ id: 'P1' })]);
      } finally {
        await holder.kill();
        await dispose();
      }
    }, 30_000);
  });

  describe('reads', () => {
    let store: TraceStore;
    beforeAll(async () => {
      store = await openEmbeddedStore(freshDir());
      await store.write(district);
    });
    afterAll(async () => {
      await store.close();
    });

    test('a stay that began long before the window is found through the longest-stay bound', async () => {
      // 60 days at the port, beginning 59 days before the window, among short stays.
      const long = {
        subjectId: 'B1',
        hostId: 'PORT',
        start: t('2022-06-01T00:00:00+08:00'),
        end: t('2022-07-31T00:00:00+08:00'),
      };
      await store.write({ stays: [long] });
      const window = { from: t('2022-07-30T00:00:00+08:00'), to: t('2022-07-30T06:00:00+08:00') };
      expect(await store.staysAtHosts([{ id: 'PORT', ...window }])).toEqual([long]);
      expect(await store.staysOfSubjects([{ id: 'B1', ...window }])).toEqual([long]);
      // Just after it ended, it is not.
      expect(await store.staysAtHosts([{ id: 'PORT', from: long.end + 1, to: long.end + 1 }])).toEqual([]);
    });

    test('overlapping windows of one id give each stay once, ordered by start', async () => {
      const stays = await store.staysAtHosts([
        { id: 'MKT', from: t('2022-08-01T00:00:00+08:00'), to: t('2022-08-04T00:00:00+08:00') },
        { id: 'MKT', from: t('2022-08-01T09:40:00+08:00'), to: t('2022-08-01T09:50:00+08:00') },
      ]);
      expect(stays).toEqual([district.stays[2], district.stays[3], district.stays[4]]);
    });

    test('unbounded windows and asOf reach everything', async () => {
      expect(await store.handlingsOf([{ id: 'L1', from: -Infinity, to: Infinity }])).toEqual(
        district.handlings,
      );
      expect(await store.samplesOf(['MKT'], Infinity)).toEqual([district.samples[3]]);
    });

    test('a case with an onset and no confirmation is known from its onset', async () => {
      const onsetOnly = {
        personId: 'P2',
        classification: 'confirmed' as const,
        onset: t('2022-08-03'),
        confirmedAt: null,
      };
      await store.write({ cases: [onsetOnly] });
      expect((await store.listCases(t('2022-08-03T00:00:00+08:00'))).map((c) => c.personId)).toEqual([
        'P1',
        'P2',
      ]);
      expect((await store.listCases(t('2022-08-02T23:59:59+08:00'))).map((c) => c.personId)).toEqual(['P1']);
    });

    test('lookups take more ids than SQLite allows bound parameters', async () => {
      const ids = Array.from({ length: 40_000 }, (_, i) => `X${i}`);
      ids[25_000] = 'P2';
      const persons = await store.persons(ids);
      expect(persons).toHaveLength(40_000);
      expect(persons.filter((p) => p !== null)).toEqual([district.persons[1]]);
      expect(persons[25_000]).toEqual(district.persons[1]);
    });

    test('person search folds ASCII case, matches any of the three fields, and honours the limit', async () => {
      expect((await store.searchPersons('LI WEI', 10)).map((p) => p.id)).toEqual(['P3']);
      expect((await store.searchPersons('1380000', 10)).map((p) => p.id)).toEqual(['P1', 'P2']);
      expect((await store.searchPersons('1380000', 1)).map((p) => p.id)).toEqual(['P1']);
      expect(await store.searchPersons('1380000', 0)).toEqual([]);
      expect(await store.searchPersons('%', 10)).toEqual([]);
    });

    test('scan gives no pages for an empty kind and refuses a page size below 1', async () => {
      const empty = await openEmbeddedStore(freshDir());
      try {
        const pages: unknown[] = [];
        for await (const page of empty.scan('contacts', 10)) pages.push(page);
        expect(pages).toEqual([]);
        expect(() => empty.scan('persons', 0)).toThrow(
          'page size must be a whole number of at least 1, not 0',
        );
      } finally {
        await empty.close();
      }
    });

    test('window reads are index range scans, never table scans', () => {
      const raw = new Database(store.location, { readonly: true });
      try {
        const statements = new Statements(raw);
        const plan = (sql: string, ...params: unknown[]): string =>
          raw
            .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((row) => row.detail)
            .join('\n');
        const plans = {
          staysAtHosts: plan(statements.staysAtHosts.source, { windows: '[]' }),
          staysOfSubjects: plan(statements.staysOfSubjects.source, { windows: '[]' }),
          staysAwayAtNight: plan(statements.staysAwayAtNight.source, {
            windows: '[]',
            offset: 0,
            daytimeFrom: 0,
            daytimeTo: 0,
          }),
          contactsOf: plan(statements.contactsOf.source, '[]'),
          handlingsBy: plan(statements.handlingsBy.source, '[]'),
          handlingsOf: plan(statements.handlingsOf.source, '[]'),
          samplesOf: plan(statements.samplesOf.source, '[]', 0),
        };
        expect(plans.staysAtHosts).toContain(
          'SEARCH t USING COVERING INDEX stays_by_host (host_id=? AND start_at>? AND start_at<?)',
        );
        expect(plans.staysOfSubjects).toContain(
          'SEARCH t USING COVERING INDEX stays_by_subject (subject_id=? AND start_at>? AND start_at<?)',
        );
        expect(plans.staysAwayAtNight).toContain(
          'SEARCH t USING COVERING INDEX stays_by_subject (subject_id=? AND start_at>? AND start_at<?)',
        );
        expect(plans.contactsOf).toContain(
          'SEARCH t USING COVERING INDEX contacts_by_a (person_a=? AND start_at>? AND start_at<?)',
        );
        expect(plans.contactsOf).toContain(
          'SEARCH t USING COVERING INDEX contacts_by_b (person_b=? AND start_at>? AND start_at<?)',
        );
        expect(plans.handlingsBy).toContain(
          'SEARCH h USING COVERING INDEX handlings_by_person (person_id=? AND at>? AND at<?)',
        );
        expect(plans.handlingsOf).toContain(
          'SEARCH h USING COVERING INDEX handlings_by_item (item_id=? AND at>? AND at<?)',
        );
        expect(plans.samplesOf).toContain(
          'SEARCH s USING INDEX samples_identity (subject_id=? AND sampled_at<?)',
        );
        // The only scans are of the bound JSON list and of the windows read from it (w).
        for (const detail of Object.values(plans)) {
          expect(detail).not.toMatch(/SCAN (?!\w+ VIRTUAL TABLE)(?!w$)/m);
        }
      } finally {
        raw.close();
      }
    });

    test('ping fails with StoreUnavailableError once the store is closed', async () => {
      const own = await openEmbeddedStore(freshDir());
      await own.close();
      await own.close();
      await expect(own.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(own.ping()).rejects.toThrow(`the database ${own.location} does not answer`);
    });
  });
});

describe('stayWindows', () => {
  test('joins the windows of an id that overlap or touch, in order of start, each after the one before', () => {
    expect(
      stayWindows([
        { id: 'A', from: 50, to: 60 },
        { id: 'B', from: 0, to: 5 },
        { id: 'A', from: 10, to: 20 },
        { id: 'A', from: 20, to: 30 },
        { id: 'A', from: 15, to: 25 },
        { id: 'A', from: 31, to: 40 },
      ]),
    ).toEqual([
      { id: 'A', from: 10, to: 30, after: null },
      { id: 'A', from: 31, to: 40, after: 30 },
      { id: 'A', from: 50, to: 60, after: 40 },
      { id: 'B', from: 0, to: 5, after: null },
    ]);
  });

  test('keeps the other fields of a window (the first of those joined) and cuts instants to what JSON holds', () => {
    expect(
      stayWindows([
        { id: 'A', from: -Infinity, to: 5, homeId: 'H1' },
        { id: 'A', from: 5, to: Infinity, homeId: 'H1' },
      ]),
    ).toEqual([{ id: 'A', from: -8.64e15, to: 8.64e15, homeId: 'H1', after: null }]);
  });
});

describe('isBusy', () => {
  test("is SQLite's lock codes, extended ones included, and no other", () => {
    const codes = [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_BUSY_TIMEOUT',
      'SQLITE_LOCKED',
      'SQLITE_LOCKED_SHAREDCACHE',
    ];
    expect(codes.filter((code) => isBusy({ code }))).toEqual(codes);
    const others = ['SQLITE_BUSYNESS', 'SQLITE_CONSTRAINT', 'SQLITE_IOERR_LOCK', 'EBUSY', 42];
    expect(others.filter((code) => isBusy({ code }))).toEqual([]);
    expect([undefined, null, 'SQLITE_BUSY'].filter(isBusy)).toEqual([]);
  });
});
