/**
 * The embedded store's wait for another process's lock on a timer (src/store/embedded/busy-wait.ts),
 * on a plain connection, while another process holds the write lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, DATABASE_FILE, openConnection } from '../../src/store/embedded/connection';
import { beginWriteWhenFree } from '../../src/store/embedded/transaction';
import { stateAfter } from '../setup/promise-state';
import { lockingProcess, type LockingProcess } from './locking-process';

let dir: string;
let file: string;
let db: Database.Database;
let holder: LockingProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-busy-wait-'));
  file = path.join(dir, DATABASE_FILE);
  db = openConnection(file);
  db.exec('CREATE TABLE t (x INTEGER)');
});
afterEach(async () => {
  await holder?.kill();
  holder = undefined;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("two writes waiting at once on one connection leave the connection's busy timeout as it was", async () => {
  holder = await lockingProcess(file, 'write');
  const writeOnce = (x: number): Promise<void> =>
    beginWriteWhenFree(db, file, Date.now()).then(() => {
      db.prepare('INSERT INTO t (x) VALUES (?)').run(x);
      db.exec('COMMIT');
    });
  const first = writeOnce(1);
  const second = writeOnce(2);
  // Both have tried, been refused and are waiting for their next try.
  expect(await stateAfter(Promise.race([first, second]), 100)).toBe('waiting');
  await holder.release();
  await Promise.all([first, second]);
  expect(db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 2]);
  // Each try sets it to 0 and back: a try that took another's 0 for the connection's own kept it.
  expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
}, 30_000);
