/**
 * One write into a bundle folder at a time: an export or seed holds the folder's write lock from
 * before it looks at the folder until it ends. A second write, restore-bundle and import are
 * refused while a write that may still be running holds it, naming the folder and the holder, and
 * change nothing; a lock a killed write left is taken over by the next write, which says so; the
 * lock is gone once a write ends, whether it succeeded or failed. The writes run as a user runs
 * them, and stop themselves at a point of their commit (./stopped-write.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { WRITE_LOCK } from '../../src/fs/bundle-write-lock';
import { SWAP_JOURNAL } from '../../src/fs/staged-bundle';
import { suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';
import { copyFolder, seedEarlierAndLaterBundles } from './seeded-bundles';
import { contents, lockIn, stoppedAt } from './stopped-write';

const temp = suiteTemps('tracegraph-write-lock-');

/** `seed --seed 1` and `seed --seed 2` written into fresh folders: the earlier and the new bundle. */
let earlier: string;
let earlierContents: Record<string, string>;
let laterContents: Record<string, string>;

beforeAll(async () => {
  ({ earlier, earlierContents, laterContents } = await seedEarlierAndLaterBundles(temp));
}, 300_000);

/** A copy of the earlier bundle in a new temporary folder. */
const copyOfEarlier = (): string => copyFolder(temp, earlier);

const ISO_SECOND = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z';
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a write held while it puts its files in place (the journal written)', () => {
  let dir: string;
  let held: Awaited<ReturnType<typeof stoppedAt>>;
  let whileHeld: Record<string, string>;
  beforeAll(async () => {
    dir = copyOfEarlier();
    held = await stoppedAt('journal', ['seed', '--seed', '2', '--out', dir]);
    whileHeld = contents(dir);
  }, 120_000);
  afterAll(async () => {
    // Should a test fail before it is let go.
    if (existsSync(path.join(dir, WRITE_LOCK))) await held.kill().catch(() => undefined);
  });

  test('holds the lock, naming its pid, this host, when it started and its process start', () => {
    const lock = lockIn(dir);
    expect(lock).toMatchObject({ pid: held.pid, host: hostname() });
    if (existsSync(`/proc/${held.pid}/stat`)) expect(Number.isSafeInteger(lock.processStart)).toBe(true);
    expect(lock.started).toMatch(new RegExp(`^${ISO_SECOND}$`));
    expect(Object.keys(whileHeld)).toEqual(
      expect.arrayContaining([SWAP_JOURNAL, WRITE_LOCK, `stays.csv.${held.pid}.partial`]),
    );
  });

  test('a second seed is refused at once, naming the folder and the holder, and changes nothing', async () => {
    const { started } = lockIn(dir);
    expect(await runCli(['seed', '--seed', '3', '--out', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `--out: ${dir} is being written by pid ${held.pid} on ${hostname()} since ${started}; nothing was written\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  }, 60_000);

  test('an export is refused the same way, and changes nothing', async () => {
    const data = temp();
    expect((await runCli(['--data', data, 'import', earlier])).code).toBe(0);
    const { started } = lockIn(dir);
    expect(await runCli(['--data', data, 'export', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${dir} is being written by pid ${held.pid} on ${hostname()} since ${started}; nothing was written\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  }, 120_000);

  test('restore-bundle is refused the same way: it does not put back the files the write is placing', async () => {
    const { started } = lockIn(dir);
    expect(await runCli(['restore-bundle', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${dir} is being written by pid ${held.pid} on ${hostname()} since ${started}; nothing was put back\n`,
    });
    expect(contents(dir)).toEqual(whileHeld);
  });

  test('let go, the write ends: the new bundle in place, and the lock gone', async () => {
    held.resume();
    const ended = await held.ended;
    expect(ended.code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
  }, 60_000);
});

describe('a write held once its files are written, before the journal', () => {
  test('import refuses the folder, naming the write, and makes no store; once it has ended, import reads the new bundle', async () => {
    const dir = copyOfEarlier();
    const held = await stoppedAt('files-written', ['seed', '--seed', '2', '--out', dir]);
    const { started } = lockIn(dir);
    const whileHeld = contents(dir);
    const data = temp();
    expect(await runCli(['--data', data, 'import', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `1 problem found; nothing was written:\n  ${dir}: this folder is being written by pid ${held.pid} on ` +
        `${hostname()} since ${started}, so its files are about to be replaced (it holds ${WRITE_LOCK}); ` +
        `import it once that write has ended\n`,
    });
    expect(readdirSync(data)).toEqual([]);
    // The marker it made before it looked at the lock is gone.
    expect(contents(dir)).toEqual(whileHeld);
    held.resume();
    expect((await held.ended).code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
    expect((await runCli(['--data', data, 'import', dir])).code).toBe(0);
  }, 120_000);

  test('a write that then fails removes its lock, and leaves the earlier bundle', async () => {
    const dir = copyOfEarlier();
    const held = await stoppedAt('files-written', ['seed', '--seed', '2', '--out', dir]);
    expect(lockIn(dir).pid).toBe(held.pid);
    // Something put where a bundle file goes meanwhile: the commit refuses to replace it.
    rmSync(path.join(dir, 'places.csv'));
    mkdirSync(path.join(dir, 'places.csv'));
    held.resume();
    const ended = await held.ended;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(
      new RegExp(`\\n--out: cannot write ${escaped(path.join(dir, 'places.csv'))}: it is now a folder\\n$`),
    );
    expect(contents(dir)).toEqual({ ...earlierContents, 'places.csv': 'folder' });
  }, 120_000);
});

describe('a lock a killed write left', () => {
  test('is taken over by the next write, which says so and writes its bundle; the lock is then gone', async () => {
    const dir = copyOfEarlier();
    const killed = await stoppedAt('journal', ['seed', '--seed', '2', '--out', dir]);
    await killed.kill();
    const left = lockIn(dir);
    expect(left.pid).toBe(killed.pid);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^wrote a district of 1000 persons/),
      stderr:
        `${dir}: taking over the write lock left by pid ${killed.pid} on ${hostname()} since ${left.started}, ` +
        `which is no longer running\n`,
    });
    expect(contents(dir)).toEqual(laterContents);
  }, 120_000);

  test('of an earlier boot of this machine is taken over, whatever process has its pid now', async () => {
    const dir = copyOfEarlier();
    const lock = {
      pid: process.pid,
      host: hostname(),
      started: '2022-08-05T01:02:03Z',
      boot: 'an-earlier-boot',
    };
    writeFileSync(path.join(dir, WRITE_LOCK), `${JSON.stringify(lock)}\n`);
    const result = await runCli(['seed', '--seed', '2', '--out', dir]);
    if (!existsSync('/proc/sys/kernel/random/boot_id')) {
      // Where the system does not say which boot this is, a running pid keeps the lock.
      expect(result.code).toBe(1);
      return;
    }
    expect(result).toMatchObject({
      code: 0,
      stderr: `${dir}: taking over the write lock left by pid ${process.pid} on ${hostname()} since 2022-08-05T01:02:03Z, which is no longer running\n`,
    });
    expect(contents(dir)).toEqual(laterContents);
  }, 60_000);
});

const onLinux = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');

(onLinux ? describe : describe.skip)('a lock naming a pid a running process has now', () => {
  let sleeper: ChildProcess;
  beforeAll(() => {
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    sleeper.kill('SIGKILL');
  });

  /** Writes into `dir` a lock as a write of the sleeping child would, but for `processStart`. */
  function lockOfSleeper(dir: string, processStart: (actual: number) => number): void {
    const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    // Field 22 (starttime); the command, field 2, is in parentheses and may hold any character.
    const actual = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    const lock = {
      pid: sleeper.pid,
      host: hostname(),
      started: '2022-08-05T01:02:03Z',
      boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      processStart: processStart(actual),
    };
    writeFileSync(path.join(dir, WRITE_LOCK), `${JSON.stringify(lock)}\n`);
  }

  test('whose process started at another time (a killed write’s pid given to a later process): taken over, and said', async () => {
    const dir = copyOfEarlier();
    lockOfSleeper(dir, (actual) => actual + 1);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toMatchObject({
      code: 0,
      stderr: `${dir}: taking over the write lock left by pid ${sleeper.pid} on ${hostname()} since 2022-08-05T01:02:03Z, which is no longer running\n`,
    });
    expect(contents(dir)).toEqual(laterContents);
  }, 60_000);

  test('whose process started then: refused, and nothing written', async () => {
    const dir = copyOfEarlier();
    lockOfSleeper(dir, (actual) => actual);
    const before = contents(dir);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `--out: ${dir} is being written by pid ${sleeper.pid} on ${hostname()} since 2022-08-05T01:02:03Z; nothing was written\n`,
    });
    expect(contents(dir)).toEqual(before);
  }, 60_000);

  test('that does not say when its process started (written before that was recorded): refused, as a running pid is', async () => {
    const dir = copyOfEarlier();
    const lock = { pid: sleeper.pid, host: hostname(), started: '2022-08-05T01:02:03Z', boot: null };
    writeFileSync(path.join(dir, WRITE_LOCK), `${JSON.stringify(lock)}\n`);
    const before = contents(dir);
    expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(1);
    expect(contents(dir)).toEqual(before);
  }, 60_000);
});

describe('a lock that cannot be checked is never taken over', () => {
  test('one of another host: refused, saying how to remove it should that write have ended', async () => {
    const dir = copyOfEarlier();
    const lock = { pid: 4711, host: 'elsewhere.example', started: '2022-08-05T01:02:03Z', boot: null };
    writeFileSync(path.join(dir, WRITE_LOCK), `${JSON.stringify(lock)}\n`);
    const before = contents(dir);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `--out: ${dir} is being written by pid 4711 on elsewhere.example since 2022-08-05T01:02:03Z (a process ` +
        `of another host cannot be checked: should that write have ended, remove ${path.join(dir, WRITE_LOCK)}); ` +
        `nothing was written\n`,
    });
    expect(contents(dir)).toEqual(before);
  });

  test('one that does not say its holder (empty, or edited): refused, naming it', async () => {
    const dir = copyOfEarlier();
    writeFileSync(path.join(dir, WRITE_LOCK), '');
    const before = contents(dir);
    expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `--out: ${dir} is being written, or was: it holds ${WRITE_LOCK}, which does not say by which process ` +
        `(it is empty or was edited; should no export, seed or restore-bundle into it be running, remove ` +
        `${path.join(dir, WRITE_LOCK)}); nothing was written\n`,
    });
    expect(contents(dir)).toEqual(before);
  });
});

test('a write into a new folder takes the lock there; a failure removes it', async () => {
  const parent = temp();
  const fresh = path.join(parent, 'fresh');
  const held = await stoppedAt('files-written', ['seed', '--seed', '2', '--out', fresh]);
  expect(lockIn(fresh).pid).toBe(held.pid);
  mkdirSync(path.join(fresh, 'stays.csv'));
  held.resume();
  expect((await held.ended).code).toBe(1);
  // The folder put in its way is left, and so the folder made for the bundle.
  expect(readdirSync(fresh)).toEqual(['stays.csv']);
}, 60_000);
