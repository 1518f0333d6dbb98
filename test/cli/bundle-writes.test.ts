/**
 * `seed` and `export` write bundle folders: a write that fails exits 1 naming the file and leaves
 * the folder as it was; a folder that cannot hold the bundle is refused before anything is written;
 * a folder that cannot be made (/proc/nope) fails at once, for these and for --data.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/store/neo4j/launcher';
import { BUNDLE_FILE_NAMES, FIXTURE_BUNDLES, folderState, suiteTemps } from '../import/temp-bundle';
import { ROOT, runCli, type CliResult } from './run-cli';

const DEMO = path.join(ROOT, 'seeds', 'demo');

const temp = suiteTemps('tracegraph-bundle-writes-');

/** `tracegraph ...args` with the size of any file it writes limited: a write past it fails (EFBIG). */
function runWithFileLimit(blocks: number, args: readonly string[]): Promise<CliResult> {
  return runCli(args, { fileSizeLimitBlocks: blocks, timeoutMs: 60_000 });
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('tracegraph seed', () => {
  test('a write that fails exits 1 naming the file; a new folder is not left, an earlier bundle is kept', async () => {
    const parent = temp();
    const fresh = path.join(parent, 'fresh');
    const failed = await runWithFileLimit(64, ['seed', '--out', fresh]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(
      new RegExp(`^--out: cannot write ${escaped(fresh)}/[a-z]+\\.csv: EFBIG: file too large\\n$`),
    );
    expect(readdirSync(parent)).toEqual([]);

    const earlier = path.join(parent, 'earlier');
    expect((await runCli(['seed', '--out', earlier, '--seed', '7'])).code).toBe(0);
    writeFileSync(path.join(earlier, 'README.txt'), 'kept\n');
    const before = folderState(earlier);
    expect(Object.keys(before)).toEqual(['README.txt', ...BUNDLE_FILE_NAMES]);
    const overwriting = await runWithFileLimit(64, ['seed', '--out', earlier]);
    expect(overwriting.code).toBe(1);
    expect(overwriting.stderr).toMatch(
      new RegExp(`^--out: cannot write ${escaped(earlier)}/[a-z]+\\.csv: EFBIG: file too large\\n$`),
    );
    expect(folderState(earlier)).toEqual(before);
  }, 120_000);

  test('a folder where a bundle file goes, or a .csv file import would refuse, is refused before anything is written', async () => {
    const out = temp();
    mkdirSync(path.join(out, 'stays.csv'));
    expect(await runCli(['seed', '--out', out])).toEqual({
      code: 1,
      stdout: '',
      stderr: `--out: cannot write the bundle into ${out}: stays.csv there is a folder; move it out of ${out} or choose another folder\n`,
    });
    expect(folderState(out)).toEqual({ 'stays.csv': 'folder' });

    const notes = temp();
    writeFileSync(path.join(notes, 'notes.csv'), 'a,b\n');
    expect(await runCli(['seed', '--out', notes])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `--out: cannot write the bundle into ${notes}: notes.csv there is not a bundle file, and import would ` +
        `refuse the bundle for it; move it out of ${notes} or choose another folder\n`,
    });
    expect(readdirSync(notes)).toEqual(['notes.csv']);
  });
});

describe('tracegraph export', () => {
  let data: string;
  beforeAll(async () => {
    data = temp();
    expect((await runCli(['--data', data, 'import', DEMO])).code).toBe(0);
  }, 120_000);

  test('a write that fails exits 1 naming the file; a new folder is not left, an earlier export is kept', async () => {
    const parent = temp();
    const fresh = path.join(parent, 'fresh');
    // Files are written cases.csv first (about 1 KB), then samples.csv (more than the limit).
    expect(await runWithFileLimit(64, ['--data', data, 'export', fresh])).toEqual({
      code: 1,
      stdout: '',
      stderr: `cannot write ${fresh}/samples.csv: EFBIG: file too large\n`,
    });
    expect(readdirSync(parent)).toEqual([]);

    const earlier = path.join(parent, 'earlier');
    expect((await runCli(['--data', data, 'export', earlier])).code).toBe(0);
    writeFileSync(path.join(earlier, 'README.txt'), 'kept\n');
    const before = folderState(earlier);
    expect(Object.keys(before)).toEqual(['README.txt', ...BUNDLE_FILE_NAMES]);
    expect(await runWithFileLimit(64, ['--data', data, 'export', earlier])).toEqual({
      code: 1,
      stdout: '',
      stderr: `cannot write ${earlier}/samples.csv: EFBIG: file too large\n`,
    });
    expect(folderState(earlier)).toEqual(before);
  }, 120_000);

  test('a folder where a bundle file goes is refused, naming it, and the export there is kept', async () => {
    const out = temp();
    expect((await runCli(['--data', data, 'export', out])).code).toBe(0);
    const places = path.join(out, 'places.csv');
    // The export's files, one of them replaced by a folder.
    rmSync(places);
    mkdirSync(places);
    const before = folderState(out);
    expect(await runCli(['--data', data, 'export', out])).toEqual({
      code: 1,
      stdout: '',
      stderr: `cannot write the bundle into ${out}: places.csv there is a folder; move it out of ${out} or choose another folder\n`,
    });
    expect(folderState(out)).toEqual(before);
  });

  test('a folder holding a .csv file import would refuse is refused, naming it: the export would not import', async () => {
    const out = temp();
    writeFileSync(path.join(out, 'notes.csv'), 'a,b\n');
    expect(await runCli(['--data', data, 'export', out])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `cannot write the bundle into ${out}: notes.csv there is not a bundle file, and import would ` +
        `refuse the bundle for it; move it out of ${out} or choose another folder\n`,
    });
    expect(readdirSync(out)).toEqual(['notes.csv']);
  });
});

// procfs makes no folders: mkdir says ENOENT though the parent exists, on which Node's recursive
// mkdir retried for ever at full CPU. Linux alone has it. A run that hangs is ended after 15 s.
(existsSync('/proc/self/status') ? test : test.skip)(
  'a folder that cannot be made (/proc/nope) fails at once, naming it: export, seed, and --data for import and serve',
  async () => {
    const data = temp();
    expect((await runCli(['--data', data, 'import', path.join(FIXTURE_BUNDLES, 'district')])).code).toBe(0);
    const cannotMake = 'cannot make the folder /proc/nope: ENOENT: no such file or directory';
    const cases: [string[], CliResult][] = [
      [
        ['--data', data, 'export', '/proc/nope'],
        { code: 1, stdout: '', stderr: `cannot write the bundle into /proc/nope: ${cannotMake}\n` },
      ],
      [
        ['seed', '--out', '/proc/nope/deeper'],
        {
          code: 1,
          stdout: '',
          stderr: `--out: cannot write the bundle into /proc/nope/deeper: ${cannotMake}\n`,
        },
      ],
      [
        ['--data', '/proc/nope', 'import', path.join(FIXTURE_BUNDLES, 'district')],
        {
          code: 2,
          stdout: '',
          stderr: `cannot reach the embedded store in /proc/nope\n  cannot use data directory "/proc/nope": ${cannotMake}\n`,
        },
      ],
      [
        ['--data', '/proc/nope', 'serve', '--port', String(await freePort())],
        {
          code: 2,
          stdout: '',
          stderr: `cannot reach the embedded store in /proc/nope\n  cannot use data directory "/proc/nope": ${cannotMake}\n`,
        },
      ],
    ];
    for (const [args, expected] of cases) {
      expect([args, await runCli(args, { timeoutMs: 15_000 })]).toEqual([args, expected]);
    }
  },
  90_000,
);
