/**
 * An import's read marker on a bundle folder, in one process: made with this process's pid, host
 * and start, one per read, removed by its maker; and, for a write, the markers of imports that may
 * still be running told from those of imports known to be gone, which it removes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  BundleFolderReadError,
  BundleReadMarker,
  isBundleReadMarker,
  removeGoneReadMarkers,
  runningReadOf,
} from '../../src/fs/bundle-read-marker';
import { processStartOf } from '../../src/fs/lock-holder';
import { suiteTemps } from '../import/temp-bundle';

const temp = suiteTemps('tracegraph-read-marker-');

const MARKER = /^\.tracegraph-bundle-read\.(\d+)\.[0-9a-f]+\.lock$/;
const onLinux = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
const linuxOnly = onLinux ? test : test.skip;

/** A pid no process has now: that of a process that has ended. */
const gonePid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** Writes a marker as an import of process `pid` would, under a name of that pid. */
function writeMarker(dir: string, pid: number, fields: object = {}): string {
  const name = `.tracegraph-bundle-read.${pid}.0badcafe.lock`;
  const holder = { pid, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null, ...fields };
  writeFileSync(path.join(dir, name), `${JSON.stringify(holder)}\n`);
  return name;
}

let sleeper: ChildProcess;
beforeAll(() => {
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill('SIGKILL');
});

test('made, it names this process; a write sees it until it is removed', () => {
  const dir = temp();
  const marker = BundleReadMarker.make(dir);
  const [name] = readdirSync(dir);
  expect(name).toMatch(MARKER);
  expect(MARKER.exec(name!)![1]).toBe(String(process.pid));
  const holder = JSON.parse(readFileSync(path.join(dir, name!), 'utf8')) as Record<string, unknown>;
  expect(holder).toMatchObject({
    pid: process.pid,
    host: hostname(),
    processStart: processStartOf(process.pid),
  });
  expect(holder.started).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const reading = runningReadOf(dir);
  expect(reading).toBeInstanceOf(BundleFolderReadError);
  expect(reading?.message).toBe(
    `${dir} is being read by an import (pid ${process.pid} on ${hostname()} since ${holder.started as string})`,
  );
  marker.remove();
  marker.remove();
  expect(readdirSync(dir)).toEqual([]);
  expect(runningReadOf(dir)).toBeNull();
});

test("a marker's name is told from the bundle's own files and from other hidden files", () => {
  const dir = temp();
  const marker = BundleReadMarker.make(dir);
  expect(isBundleReadMarker(path.basename(marker.file))).toBe(true);
  marker.remove();
  for (const name of [
    'cases.csv',
    '.tracegraph-bundle-write.lock',
    '.tracegraph-bundle-read.12.lock',
    'x.tracegraph-bundle-read.12.ab.lock',
  ]) {
    expect({ name, marker: isBundleReadMarker(name) }).toEqual({ name, marker: false });
  }
});

test('two reads at once make two markers; each removes its own', () => {
  const dir = temp();
  const first = BundleReadMarker.make(dir);
  const second = BundleReadMarker.make(dir);
  expect(readdirSync(dir)).toHaveLength(2);
  first.remove();
  expect(readdirSync(dir)).toEqual([path.basename(second.file)]);
  expect(runningReadOf(dir)).not.toBeNull();
  second.remove();
  expect(readdirSync(dir)).toEqual([]);
});

test('a missing folder cannot be marked: the system’s error is thrown', () => {
  expect(() => BundleReadMarker.make(path.join(temp(), 'missing'))).toThrow(/ENOENT/);
});

test('the marker of an import that has ended is ignored, and removed for a write; a running one is kept', () => {
  const dir = temp();
  const gone = writeMarker(dir, gonePid());
  // Not this process's own, though it names its pid: an earlier process's.
  const earlierOfThisPid = writeMarker(dir, process.pid);
  expect(runningReadOf(dir)).toBeNull();
  const running = writeMarker(dir, process.ppid);
  expect(runningReadOf(dir)?.message).toBe(
    `${dir} is being read by an import (pid ${process.ppid} on ${hostname()} since 2022-08-05T01:02:03Z)`,
  );
  expect(removeGoneReadMarkers(dir).sort()).toEqual([gone, earlierOfThisPid].sort());
  expect(readdirSync(dir)).toEqual([running]);
});

linuxOnly(
  'one naming a running pid whose process started at another time is known gone; at the same time, running',
  () => {
    const dir = temp();
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const start = processStartOf(sleeper.pid!)!;
    const reused = writeMarker(dir, sleeper.pid!, { boot, processStart: start + 1 });
    expect(runningReadOf(dir)).toBeNull();
    expect(removeGoneReadMarkers(dir)).toEqual([reused]);
    writeMarker(dir, sleeper.pid!, { boot, processStart: start });
    expect(runningReadOf(dir)?.reader?.pid).toBe(sleeper.pid);
    expect(removeGoneReadMarkers(dir)).toEqual([]);
  },
);

test('one of another host, or one that does not say whose it is, is never judged gone: the message names it', () => {
  const dir = temp();
  const elsewhere = writeMarker(dir, 4711, { host: 'elsewhere.example' });
  expect(runningReadOf(dir)?.message).toBe(
    `${dir} is being read by an import (pid 4711 on elsewhere.example since 2022-08-05T01:02:03Z; a process of ` +
      `another host cannot be checked: should that import have ended, remove ${path.join(dir, elsewhere)})`,
  );
  expect(removeGoneReadMarkers(dir)).toEqual([]);

  const other = temp();
  const empty = '.tracegraph-bundle-read.4711.0badcafe.lock';
  writeFileSync(path.join(other, empty), '');
  expect(runningReadOf(other)?.message).toBe(
    `${other} is being read by an import, or was: it holds ${empty}, which does not say by which process (it is ` +
      `empty or was edited; should no import or start be reading it, remove ${path.join(other, empty)})`,
  );
  expect(removeGoneReadMarkers(other)).toEqual([]);
});

test('files of other names are not markers', () => {
  const dir = temp();
  for (const name of ['.tracegraph-bundle-read.lock', '.tracegraph-bundle-read.12.lock', 'read.12.ab.lock'])
    writeFileSync(path.join(dir, name), '');
  expect(runningReadOf(dir)).toBeNull();
  expect(removeGoneReadMarkers(dir)).toEqual([]);
});
