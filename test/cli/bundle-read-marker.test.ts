/**
 * An import marks the bundle folder it reads for as long as it reads it: an export, seed or
 * restore-bundle into the folder meanwhile is refused, naming the import, and writes nothing;
 * other imports read it at the same time; the marker is gone once the import ends. A marker an
 * import killed while it read left is ignored, and removed by the next write. The import runs as a
 * user runs it, and stops itself between its two passes (./stopped-write.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { BUNDLE_FILE_NAMES, suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';
import { contents, stoppedAt, type StoppedWrite } from './stopped-write';

const temp = suiteTemps('tracegraph-read-marker-cli-');

/** `seed --seed 1` and `seed --seed 2` written into fresh folders: the earlier and the new bundle. */
let earlier: string;
let earlierContents: Record<string, string>;
let laterContents: Record<string, string>;

beforeAll(async () => {
  earlier = path.join(temp(), 'earlier');
  const later = path.join(temp(), 'later');
  expect((await runCli(['seed', '--seed', '1', '--out', earlier])).code).toBe(0);
  expect((await runCli(['seed', '--seed', '2', '--out', later])).code).toBe(0);
  earlierContents = contents(earlier);
  laterContents = contents(later);
}, 300_000);

/** A copy of the earlier bundle in a new temporary folder. */
function copyOfEarlier(): string {
  const dir = path.join(temp(), 'bundle');
  cpSync(earlier, dir, { recursive: true });
  return dir;
}

const MARKER = /^\.tracegraph-bundle-read\.(\d+)\.[0-9a-f]+\.lock$/;

/** The names of the read markers in `dir`. */
const markersIn = (dir: string): string[] => readdirSync(dir).filter((name) => MARKER.test(name));

interface Holder {
  pid: number;
  host: string;
  started: string;
  boot: string | null;
  processStart: number | null;
}

const holderIn = (dir: string, name: string): Holder =>
  JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Holder;

/** Runs `tracegraph --data <new folder> import dir` until it has validated the bundle (pass 1). */
const importHeld = (dir: string): Promise<StoppedWrite> =>
  stoppedAt('validated', ['--data', path.join(temp(), 'data'), 'import', dir]);

const IMPORTED = /^imported \d+ records \(/;

describe('an import held between its two passes', () => {
  let dir: string;
  let held: StoppedWrite;
  let whileHeld: Record<string, string>;
  let marker: string;
  beforeAll(async () => {
    dir = copyOfEarlier();
    held = await importHeld(dir);
    whileHeld = contents(dir);
    [marker] = markersIn(dir) as [string];
  }, 120_000);
  afterAll(async () => {
    // Should a test fail before it is let go.
    if (markersIn(dir).length > 0) await held.kill().catch(() => undefined);
  });

  test('marks the folder: one marker of its own, naming its pid, this host, when it started and its process start', () => {
    expect(Object.keys(whileHeld).sort()).toEqual([...BUNDLE_FILE_NAMES, marker].sort());
    expect(MARKER.exec(marker)![1]).toBe(String(held.pid));
    const holder = holderIn(dir, marker);
    expect(holder).toMatchObject({ pid: held.pid, host: hostname() });
    expect(holder.started).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    if (existsSync(`/proc/${held.pid}/stat`)) expect(Number.isSafeInteger(holder.processStart)).toBe(true);
  });

  test('a seed into the folder is refused at once, naming the import, and writes nothing', async () => {
    const { started } = holderIn(dir, marker);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `--out: ${dir} is being read by an import (pid ${held.pid} on ${hostname()} since ${started}); nothing was written\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  }, 60_000);

  test('an export is refused the same way, and writes nothing', async () => {
    const data = temp();
    expect((await runCli(['--data', data, 'import', earlier])).code).toBe(0);
    const { started } = holderIn(dir, marker);
    expect(await runCli(['--data', data, 'export', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${dir} is being read by an import (pid ${held.pid} on ${hostname()} since ${started}); nothing was written\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  }, 120_000);

  test('restore-bundle is refused the same way', async () => {
    const { started } = holderIn(dir, marker);
    expect(await runCli(['restore-bundle', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${dir} is being read by an import (pid ${held.pid} on ${hostname()} since ${started}); nothing was put back\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  });

  test('another import reads the folder meanwhile, and leaves the first one’s marker', async () => {
    const second = await runCli(['--data', temp(), 'import', dir]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(IMPORTED);
    expect(contents(dir)).toEqual(whileHeld);
  }, 120_000);

  test('let go, the import ends: the bundle imported, its marker gone, and a write goes ahead', async () => {
    held.resume();
    const ended = await held.ended;
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(IMPORTED);
    expect(contents(dir)).toEqual(earlierContents);
    expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
  }, 120_000);
});

test('start marks the bundle it loads the same way', async () => {
  const dir = copyOfEarlier();
  const held = await stoppedAt('validated', ['--data', temp(), 'start', '--no-serve', '--bundle', dir]);
  try {
    const [marker] = markersIn(dir) as [string];
    expect(holderIn(dir, marker).pid).toBe(held.pid);
    const whileHeld = contents(dir);
    const refused = await runCli(['seed', '--seed', '2', '--out', dir]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(
      /^--out: .* is being read by an import \(pid \d+ on .*\); nothing was written\n$/,
    );
    expect(contents(dir)).toEqual(whileHeld);
  } finally {
    held.resume();
  }
  expect((await held.ended).code).toBe(0);
  expect(contents(dir)).toEqual(earlierContents);
}, 180_000);

describe('the marker of an import that is gone', () => {
  test('killed while it read: ignored by the next import, and removed by the next write, which goes ahead', async () => {
    const dir = copyOfEarlier();
    const killed = await importHeld(dir);
    await killed.kill();
    const left = markersIn(dir);
    expect(left).toHaveLength(1);
    expect(holderIn(dir, left[0]!).pid).toBe(killed.pid);
    const imported = await runCli(['--data', temp(), 'import', dir]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(markersIn(dir)).toEqual(left);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toMatchObject({ code: 0, stderr: '' });
    expect(contents(dir)).toEqual(laterContents);
  }, 120_000);

  const onLinux = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
  (onLinux ? describe : describe.skip)('one naming a pid a running process has now', () => {
    let sleeper: ChildProcess;
    beforeAll(() => {
      sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
    });
    afterAll(() => {
      sleeper.kill('SIGKILL');
    });

    /** Writes into `dir` a marker as an import of the sleeping child would, but for `processStart`. */
    function markerOfSleeper(dir: string, processStart: (actual: number) => number): string {
      const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
      // Field 22 (starttime); the command, field 2, is in parentheses and may hold any character.
      const actual = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
      const holder: Holder = {
        pid: sleeper.pid!,
        host: hostname(),
        started: '2022-08-05T01:02:03Z',
        boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
        processStart: processStart(actual),
      };
      const name = `.tracegraph-bundle-read.${sleeper.pid}.0badcafe.lock`;
      writeFileSync(path.join(dir, name), `${JSON.stringify(holder)}\n`);
      return name;
    }

    test('whose process started at another time (the pid given to a later process): removed by the write', async () => {
      const dir = copyOfEarlier();
      markerOfSleeper(dir, (actual) => actual + 1);
      expect(await runCli(['seed', '--seed', '2', '--out', dir])).toMatchObject({ code: 0, stderr: '' });
      expect(contents(dir)).toEqual(laterContents);
    }, 60_000);

    test('whose process started then: the write is refused', async () => {
      const dir = copyOfEarlier();
      markerOfSleeper(dir, (actual) => actual);
      const before = contents(dir);
      expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
        code: 1,
        stdout: '',
        stderr: `--out: ${dir} is being read by an import (pid ${sleeper.pid} on ${hostname()} since 2022-08-05T01:02:03Z); nothing was written\n`,
      });
      expect(contents(dir)).toEqual(before);
    }, 60_000);
  });
});
