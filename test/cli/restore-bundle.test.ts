/**
 * `tracegraph restore-bundle DIR` after a bundle write was killed while it put its files in place:
 * it puts back the bundle the folder held before, byte for byte, with no journal and no leftovers
 * left, and import then accepts the folder. A folder with no interrupted write is left as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { SWAP_JOURNAL } from '../../src/fs/staged-bundle';
import { suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';
import { copyFolder, seedEarlierBundle } from './seeded-bundles';
import { contents, lockIn, stoppedAt } from './stopped-write';

const temp = suiteTemps('tracegraph-restore-bundle-');

/** `seed --seed 1` written into a fresh folder: the bundle an interrupted write replaces. */
let earlier: string;
let earlierContents: Record<string, string>;

beforeAll(async () => {
  ({ earlier, earlierContents } = await seedEarlierBundle(temp));
}, 300_000);

/** A copy of folder `from` in a new temporary folder. */
const copyOf = (from: string): string => copyFolder(temp, from);

/**
 * Runs `seed --seed 2 --out dir` and kills it at `point` of its commit. Returns what
 * restore-bundle says on stderr as it takes over the lock the write left.
 */
async function killedAt(point: string, dir: string): Promise<{ pid: number; takeOver: string }> {
  const write = await stoppedAt(point, ['seed', '--seed', '2', '--out', dir]);
  await write.kill();
  const { started } = lockIn(dir);
  return {
    pid: write.pid,
    takeOver: `${dir}: taking over the write lock left by pid ${write.pid} on ${hostname()} since ${started}, which is no longer running\n`,
  };
}

const ALL_FILES =
  'places.csv, persons.csv, boats.csv, items.csv, stays.csv, contacts.csv, handlings.csv, samples.csv, cases.csv';

// 18 renames over a full bundle: each file moved aside, then the new one put in its place.
test.each([
  ['journal', 'the journal written, nothing renamed'],
  ['rename-1', 'places.csv moved aside, its name empty'],
  ['rename-2', 'the new places.csv in place'],
  ['rename-16', 'every file but cases.csv the new one'],
  ['rename-18', 'every file renamed, the journal not yet removed'],
])(
  'a write killed at %s (%s): restore-bundle puts back the earlier bundle byte for byte, nothing else left, and import accepts it',
  async (point) => {
    const dir = copyOf(earlier);
    const { pid, takeOver } = await killedAt(point, dir);
    expect(readdirSync(dir)).toContain(SWAP_JOURNAL);
    expect(await runCli(['restore-bundle', dir])).toEqual({
      code: 0,
      stdout: `put back the bundle ${dir} held before the write of pid ${pid} into it was interrupted: ${ALL_FILES}\n`,
      stderr: takeOver,
    });
    expect(contents(dir)).toEqual(earlierContents);
    const data = temp();
    const imported = await runCli(['--data', data, 'import', dir]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/^imported \d+ records/);
  },
  120_000,
);

test('into a folder that held no bundle: the files the write placed are removed, and leftovers of gone writes', async () => {
  const dir = path.join(temp(), 'fresh');
  mkdirSync(dir);
  const { pid, takeOver } = await killedAt('rename-4', dir);
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(path.join(dir, `stays.csv.${gone}.previous`), 'left\n');
  writeFileSync(path.join(dir, 'notes.txt'), 'kept\n');
  expect(await runCli(['restore-bundle', dir])).toEqual({
    code: 0,
    stdout:
      `${dir} held no bundle file before the write of pid ${pid} into it was interrupted\n` +
      `removed what that write added where there was none: ${ALL_FILES}\n` +
      `removed the temporary files of writes no longer running: stays.csv.${gone}.previous\n`,
    stderr: takeOver,
  });
  expect(readdirSync(dir)).toEqual(['notes.txt']);
}, 120_000);

test('a folder with no interrupted write: nothing to put back, exit 0, nothing changed', async () => {
  const dir = copyOf(earlier);
  writeFileSync(path.join(dir, 'stays.csv.4711.partial'), 'left\n');
  const before = contents(dir);
  expect(await runCli(['restore-bundle', dir])).toEqual({
    code: 0,
    stdout: `nothing to put back: no write into ${dir} was interrupted (it holds no ${SWAP_JOURNAL}); nothing was changed\n`,
    stderr: '',
  });
  expect(contents(dir)).toEqual(before);
});

test('a journal that is not one a write makes is refused, naming it, and nothing is changed', async () => {
  const dir = copyOf(earlier);
  writeFileSync(path.join(dir, SWAP_JOURNAL), '{"pid": 1, "files": [{"file": "../x", "replaces": true}]}\n');
  const before = contents(dir);
  expect(await runCli(['restore-bundle', dir])).toEqual({
    code: 1,
    stdout: '',
    stderr: `cannot put back the bundle in ${dir}: ${path.join(dir, SWAP_JOURNAL)} is not a bundle swap journal\n`,
  });
  expect(contents(dir)).toEqual(before);
});

test('a folder that is not there, or not a folder, is refused naming it', async () => {
  const missing = path.join(temp(), 'missing');
  expect(await runCli(['restore-bundle', missing])).toEqual({
    code: 1,
    stdout: '',
    stderr: `cannot put back the bundle in ${missing}: ENOENT: no such file or directory\n`,
  });
  const file = path.join(earlier, 'persons.csv');
  expect(await runCli(['restore-bundle', file])).toEqual({
    code: 1,
    stdout: '',
    stderr: `cannot put back the bundle in ${file}: it is not a folder\n`,
  });
});
