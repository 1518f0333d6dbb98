/**
 * A bundle write killed while it renames its files into place (SIGKILL, as a power loss stops it):
 * `import` refuses the folder, naming it; the next write into the folder first puts back the bundle
 * it held before, then writes its own; a write that then fails leaves that earlier bundle. The
 * write stops itself at the chosen point of its commit (TRACEGRAPH_TEST_STOP_AT, test only, read by
 * src/fs/stop-in-tests.ts) and is killed there. Also: a rename that fails in the writing process,
 * which puts the folder back itself; leftovers of writes whose process is gone.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WRITE_LOCK } from '../../src/fs/bundle-write-lock';
import { recoverInterruptedWrite, SWAP_JOURNAL } from '../../src/fs/staged-bundle';
import { BUNDLE_FILE_NAMES, suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';
import { copyFolder, seedEarlierAndLaterBundles } from './seeded-bundles';
import { contents, stoppedAt as stoppedWriteAt, type StoppedWrite } from './stopped-write';

const temp = suiteTemps('tracegraph-interrupted-write-');

/** `seed --seed 1` and `seed --seed 2` written into fresh folders: the earlier and the new bundle. */
let earlier: string;
let earlierContents: Record<string, string>;
let laterContents: Record<string, string>;

beforeAll(async () => {
  ({ earlier, earlierContents, laterContents } = await seedEarlierAndLaterBundles(temp));
  expect(Object.keys(earlierContents)).toEqual(BUNDLE_FILE_NAMES);
  // Every file differs, so that a file of either bundle is told apart.
  for (const file of BUNDLE_FILE_NAMES)
    expect([file, earlierContents[file]]).not.toEqual([file, laterContents[file]]);
}, 300_000);

/** A copy of folder `from` in a new temporary folder. */
const copyOf = (from: string): string => copyFolder(temp, from);

/** Runs `seed --seed 2 --out dir`, which stops itself (SIGSTOP) at `point` of its commit. */
const stoppedAt = (point: string, dir: string): Promise<StoppedWrite> =>
  stoppedWriteAt(point, ['seed', '--seed', '2', '--out', dir]);

/** Stops the write at `point` of its commit and kills it there with SIGKILL. */
async function killedAt(point: string, dir: string): Promise<void> {
  const { pid, ended } = await stoppedAt(point, dir);
  process.kill(pid, 'SIGKILL');
  // Once the command has ended, the killed process is gone (waited for), its pid free.
  await ended;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const interrupted = (dir: string): string =>
  `1 problem found; nothing was written:\n  ${dir}: a bundle write into this folder was interrupted ` +
  `(it holds ${SWAP_JOURNAL}), so its files may be part the earlier bundle, part the new one; put back the ` +
  `bundle it held before (tracegraph restore-bundle ${dir}), or write the bundle into it again (tracegraph ` +
  `export or seed --out), which first puts that one back, then import it\n`;

// 18 renames over a full bundle: each file moved aside, then the new one put in its place.
describe.each([
  ['journal', 'the journal written, nothing renamed'],
  ['rename-1', 'places.csv moved aside, its name empty'],
  ['rename-2', 'the new places.csv in place'],
  ['rename-16', 'every file but cases.csv the new one'],
  ['rename-18', 'every file renamed, the journal not yet removed'],
])('a write killed at %s (%s)', (point) => {
  let killed: string;
  beforeAll(async () => {
    killed = copyOf(earlier);
    await killedAt(point, killed);
  }, 120_000);

  test('import refuses the folder, naming it, and makes no store', async () => {
    const data = temp();
    expect(await runCli(['--data', data, 'import', killed])).toEqual({
      code: 1,
      stdout: '',
      stderr: interrupted(killed),
    });
    expect(readdirSync(data)).toEqual([]);
    expect(existsSync(path.join(killed, SWAP_JOURNAL))).toBe(true);
  });

  test('putting it back leaves the earlier bundle, byte for byte, and nothing else', () => {
    const dir = copyOf(killed);
    expect(recoverInterruptedWrite(dir)).toBe(true);
    // The killed write's lock is left as it was: the next write takes it over.
    expect(contents(dir)).toEqual({ ...earlierContents, [WRITE_LOCK]: contents(killed)[WRITE_LOCK] });
  });

  test('a write into it that fails leaves the earlier bundle, put back', async () => {
    const dir = copyOf(killed);
    const failed = await runCli(['seed', '--seed', '2', '--out', dir], { fileSizeLimitBlocks: 64 });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/EFBIG: file too large\n$/);
    expect(contents(dir)).toEqual(earlierContents);
  }, 60_000);

  test('the next write into it succeeds and leaves exactly the new bundle', async () => {
    const dir = copyOf(killed);
    expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
  }, 60_000);
});

describe('a write killed once every file is in place and the journal removed', () => {
  let killed: string;
  beforeAll(async () => {
    killed = copyOf(earlier);
    await killedAt('journal-removed', killed);
  }, 120_000);

  test('the folder holds the new bundle whole, which imports; the files moved aside are left', async () => {
    const state = contents(killed);
    expect(state[WRITE_LOCK]).toBeDefined();
    const leftovers = Object.keys(state).filter(
      (name) => !BUNDLE_FILE_NAMES.includes(name) && name !== WRITE_LOCK,
    );
    expect(leftovers).toHaveLength(9);
    for (const name of leftovers) expect(name).toMatch(/^[a-z]+\.csv\.\d+\.previous$/);
    for (const file of BUNDLE_FILE_NAMES) expect([file, state[file]]).toEqual([file, laterContents[file]]);
    expect((await runCli(['--data', temp(), 'import', killed])).code).toBe(0);
  });

  test('the next write into it removes them', async () => {
    const dir = copyOf(killed);
    expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
  }, 60_000);
});

test('a write removes the temporary files of writes whose process is gone, and no other file', async () => {
  const dir = copyOf(earlier);
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const running = process.pid;
  const removed = [`stays.csv.${gone}.partial`, `cases.csv.${gone}.previous`, `${SWAP_JOURNAL}.${gone}.tmp`];
  const kept = [
    `stays.csv.${running}.partial`,
    `notes.txt.${gone}.partial`,
    `stays.csv.x.partial`,
    `stays.csv.${gone}.partial.bak`,
    `Stays.CSV.${gone}.previous`,
  ];
  for (const name of [...removed, ...kept]) writeFileSync(path.join(dir, name), 'left\n');
  expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(0);
  const expected = { ...laterContents };
  for (const name of kept) expected[name] = createHash('sha256').update('left\n').digest('hex');
  expect(contents(dir)).toEqual(expected);
}, 60_000);

test('a journal that is not one a write makes is refused, naming it, and the folder is left as it was', async () => {
  const dir = copyOf(earlier);
  writeFileSync(path.join(dir, SWAP_JOURNAL), '{"pid": 1, "files": [{"file": "../x", "replaces": true}]}\n');
  const before = contents(dir);
  expect(await runCli(['seed', '--seed', '2', '--out', dir])).toEqual({
    code: 1,
    stdout: '',
    stderr:
      `--out: cannot write the bundle into ${dir}: a bundle write into it was interrupted, and the bundle it ` +
      `held before cannot be put back: ${path.join(dir, SWAP_JOURNAL)} is not a bundle swap journal\n`,
  });
  expect(contents(dir)).toEqual(before);
});

/**
 * A rename that fails inside the writing process (not a kill): the write puts back the files it
 * renamed already and removes the journal itself. The write is stopped once its journal is written
 * and, before it goes on, the new file of one bundle file is taken from under it (as a clean-up
 * job might), so that its rename into place fails (ENOENT), after those of the files before it.
 */
describe('a write whose rename fails midway puts the folder back itself', () => {
  /** Stops the write into `dir` after its journal, removes the new `file`, lets it go on; how it ended. */
  async function renameFailingAt(
    file: string,
    dir: string,
  ): Promise<{ code: number | null; stderr: string }> {
    const { pid, ended } = await stoppedAt('journal', dir);
    rmSync(path.join(dir, `${file}.${pid}.partial`));
    process.kill(pid, 'SIGCONT');
    const { code, stderr } = await ended;
    // What it said before it stopped is the test's; what it says after, the user's.
    return { code, stderr: stderr.replace(/^stopped at journal \(pid \d+\)\n/, '') };
  }

  const putBack = (dir: string, file: string): string =>
    `--out: cannot write ${path.join(dir, file)}: ENOENT: no such file or directory; ${dir} was put back ` +
    'as it was before this write\n';

  // Files are renamed in the format's order: places.csv first, stays.csv fifth, cases.csv last.
  test.each([
    ['places.csv', 'the first file: only its earlier file moved aside'],
    ['stays.csv', 'a middle file: four new files in place, its earlier one moved aside'],
    ['cases.csv', 'the last file: eight new files in place, its earlier one moved aside'],
  ])(
    'at %s (%s): exit 1 naming the file and the folder, which holds the earlier bundle byte for byte and nothing else',
    async (file) => {
      const dir = copyOf(earlier);
      expect(await renameFailingAt(file, dir)).toEqual({ code: 1, stderr: putBack(dir, file) });
      // No journal, no .partial or .previous file: the earlier bundle alone.
      expect(contents(dir)).toEqual(earlierContents);
      expect((await runCli(['--data', temp(), 'import', dir])).code).toBe(0);
    },
    120_000,
  );

  test('files that were not there before are removed again, and other files are left alone', async () => {
    const dir = path.join(temp(), 'bundle');
    mkdirSync(dir);
    for (const file of ['persons.csv', 'places.csv']) cpSync(path.join(earlier, file), path.join(dir, file));
    writeFileSync(path.join(dir, 'notes.txt'), 'kept\n');
    const before = contents(dir);
    expect(await renameFailingAt('cases.csv', dir)).toEqual({ code: 1, stderr: putBack(dir, 'cases.csv') });
    expect(contents(dir)).toEqual(before);
  }, 120_000);

  test('one that cannot put the folder back says so and leaves the journal, for the next write to put it back', async () => {
    const dir = copyOf(earlier);
    const { pid, ended } = await stoppedAt('journal', dir);
    // A folder where places.csv is to be moved aside: that rename fails, and so does putting it back.
    const inTheWay = path.join(dir, `places.csv.${pid}.previous`);
    mkdirSync(inTheWay);
    writeFileSync(path.join(inTheWay, 'notes.txt'), 'kept\n');
    process.kill(pid, 'SIGCONT');
    const { code, stderr } = await ended;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^stopped at journal \\(pid ${pid}\\)\\n--out: cannot write ${escaped(path.join(dir, 'places.csv'))}: ` +
          `EISDIR: [^;\\n]+; ${escaped(dir)} could not be put back as it was \\(ENOTDIR: [^)\\n]+\\): it holds ` +
          `${escaped(SWAP_JOURNAL)}, so import refuses it until the next export or seed into it puts it back\\n$`,
      ),
    );
    expect(await runCli(['--data', temp(), 'import', dir])).toMatchObject({
      code: 1,
      stderr: interrupted(dir),
    });
    rmSync(inTheWay, { recursive: true });
    expect((await runCli(['seed', '--seed', '2', '--out', dir])).code).toBe(0);
    expect(contents(dir)).toEqual(laterContents);
  }, 120_000);

  test('a write into a folder it made removes the folder again', async () => {
    const parent = temp();
    const dir = path.join(parent, 'new', 'bundle');
    expect(await renameFailingAt('stays.csv', dir)).toEqual({ code: 1, stderr: putBack(dir, 'stays.csv') });
    expect(readdirSync(parent)).toEqual([]);
  }, 120_000);
});
