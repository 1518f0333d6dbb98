/**
 * The write lock of a bundle folder, in one process: taken once, refused while held, removed by
 * its holder only, and a lock whose holder is known to be gone taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  BundleFolderBusyError,
  BundleWriteLock,
  runningWriteOf,
  WRITE_LOCK,
} from '../../src/fs/bundle-write-lock';
import { suiteTemps } from '../import/temp-bundle';

const temp = suiteTemps('tracegraph-lock-');

/** A pid no process has now: that of a process that has ended. */
const gonePid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

const writeLock = (dir: string, lock: object): void =>
  writeFileSync(path.join(dir, WRITE_LOCK), `${JSON.stringify(lock)}\n`);

test('taken, it names this process and host; a second take is refused while it is held; released, it is gone', () => {
  const dir = temp();
  const lock = BundleWriteLock.take(dir);
  const held = JSON.parse(readFileSync(path.join(dir, WRITE_LOCK), 'utf8')) as Record<string, unknown>;
  expect(held).toMatchObject({ pid: process.pid, host: hostname() });
  expect(held.started).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(() => BundleWriteLock.take(dir)).toThrow(new BundleFolderBusyError(dir, held as never));
  expect(runningWriteOf(dir)?.message).toBe(
    `${dir} is being written by pid ${process.pid} on ${hostname()} since ${held.started as string}`,
  );
  lock.release();
  expect(readdirSync(dir)).toEqual([]);
  expect(runningWriteOf(dir)).toBeNull();
  BundleWriteLock.take(dir).release();
  expect(readdirSync(dir)).toEqual([]);
});

test('a lock naming this pid that this process does not hold is an earlier process’s: taken over, and said', () => {
  const dir = temp();
  writeLock(dir, { pid: process.pid, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null });
  expect(runningWriteOf(dir)).toBeNull();
  const told: string[] = [];
  const lock = BundleWriteLock.take(dir, { onTakeOver: (message) => told.push(message) });
  expect(told).toEqual([
    `${dir}: taking over the write lock left by pid ${process.pid} on ${hostname()} since 2022-08-05T01:02:03Z, which is no longer running`,
  ]);
  lock.release();
  expect(readdirSync(dir)).toEqual([]);
});

test('a lock of a process that has ended is taken over; a running one is not', () => {
  const dir = temp();
  const gone = gonePid();
  writeLock(dir, { pid: gone, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null });
  BundleWriteLock.take(dir).release();
  expect(readdirSync(dir)).toEqual([]);

  const running = process.ppid;
  writeLock(dir, { pid: running, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null });
  expect(() => BundleWriteLock.take(dir)).toThrow(
    `${dir} is being written by pid ${running} on ${hostname()} since 2022-08-05T01:02:03Z`,
  );
  expect(runningWriteOf(dir)).toBeInstanceOf(BundleFolderBusyError);
  expect(readdirSync(dir)).toEqual([WRITE_LOCK]);
});

test('release never removes a lock that is no longer its own', () => {
  const dir = temp();
  const lock = BundleWriteLock.take(dir);
  const other = { pid: process.ppid, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null };
  writeLock(dir, other);
  lock.release();
  expect(JSON.parse(readFileSync(path.join(dir, WRITE_LOCK), 'utf8'))).toEqual(other);
});

test('a stale lock left aside by a process killed while taking it over is removed; one of a running process is kept', () => {
  const dir = temp();
  const goneAside = `${WRITE_LOCK}.${gonePid()}.stale`;
  const runningAside = `${WRITE_LOCK}.${process.ppid}.stale`;
  writeFileSync(path.join(dir, goneAside), '{}\n');
  writeFileSync(path.join(dir, runningAside), '{}\n');
  const lock = BundleWriteLock.take(dir);
  expect(existsSync(path.join(dir, goneAside))).toBe(false);
  expect(readdirSync(dir).sort()).toEqual([WRITE_LOCK, runningAside].sort());
  lock.release();
});
