/**
 * The first import into a folder with no store, by `import` and by `start`: when the store or the
 * write fails after the bundle has passed validation (here a file size limit, as on a full disk),
 * what the command made for the store is removed again and the folder is as it was; a store that
 * was there before is never removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded';
import { DISTRICT_COUNTS } from '../store/fixtures';
import { importingProcess, type ImportingProcess } from '../store/importing-process';
import { FIXTURE_BUNDLES, folderState, suiteTemps } from '../import/temp-bundle';
import { BIN, cliEnv, ROOT, runCli, type CliResult } from './run-cli';

/** 1,000 persons: it validates, and its store is some MB, past the file size limit below. */
const DEMO = path.join(ROOT, 'seeds', 'demo');
const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');

/** Room for the empty store's schema (about 140 kB), not for the demo district's records. */
const ROOM_FOR_SCHEMA_ONLY = 1024;
/** Too little even for the empty store's schema: opening the store fails. */
const NO_ROOM = 64;

const temp = suiteTemps('tracegraph-first-import-');

function runWithFileLimit(blocks: number, args: readonly string[]): Promise<CliResult> {
  return runCli(args, { fileSizeLimitBlocks: blocks, timeoutMs: 120_000 });
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the command says once it has removed the store it made in `data`. */
const removedNote = (data: string): string =>
  `the store made for this import (${path.join(data, 'tracegraph.db')}) was removed again: ${data} is as it was before\n`;

describe('a first import whose write fails removes the store it made', () => {
  test('import: exit 1, the error, then what was removed; the folders made for the store are gone too', async () => {
    const parent = temp();
    const data = path.join(parent, 'a', 'data');
    const failed = await runWithFileLimit(ROOM_FOR_SCHEMA_ONLY, ['--data', data, 'import', DEMO]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(new RegExp(`^error: [^\\n]+\\n${escaped(removedNote(data))}$`));
    expect(readdirSync(parent)).toEqual([]);
    expect((await runCli(['stats', '--data', data])).stderr).toMatch(/^no store in /);
  }, 180_000);

  test('import into a folder that held other files: they are kept, and nothing else is left', async () => {
    const data = temp();
    writeFileSync(path.join(data, 'notes.txt'), 'kept\n');
    mkdirSync(path.join(data, 'old'));
    const before = folderState(data);
    const failed = await runWithFileLimit(ROOM_FOR_SCHEMA_ONLY, ['--data', data, 'import', DEMO]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.endsWith(removedNote(data))).toBe(true);
    expect(folderState(data)).toEqual(before);
  }, 180_000);

  test('a store that cannot even be made (opening it fails): exit 2, and the folder is as it was', async () => {
    const parent = temp();
    const data = path.join(parent, 'data');
    const failed = await runWithFileLimit(NO_ROOM, ['--data', data, 'import', DEMO]);
    expect(failed).toMatchObject({ code: 2, stdout: '' });
    expect(failed.stderr).toMatch(
      new RegExp(
        `^cannot reach the embedded store in ${escaped(data)}\\n  [^\\n]+\\n${escaped(removedNote(data))}$`,
      ),
    );
    expect(readdirSync(parent)).toEqual([]);
  }, 180_000);

  test('start: exit 1 before any summary, and the folder is as it was', async () => {
    const data = temp();
    writeFileSync(path.join(data, 'notes.txt'), 'kept\n');
    const before = folderState(data);
    const failed = await runWithFileLimit(ROOM_FOR_SCHEMA_ONLY, [
      '--data',
      data,
      'start',
      '--bundle',
      DEMO,
      '--no-serve',
    ]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(
      new RegExp(
        `^the store is empty: loading ${escaped(DEMO)}\\nerror: [^\\n]+\\n${escaped(removedNote(data))}$`,
      ),
    );
    expect(folderState(data)).toEqual(before);
  }, 180_000);

  test('a store that was there before the import is kept, with what it held', async () => {
    const data = path.join(temp(), 'data');
    expect((await runCli(['--data', data, 'import', DISTRICT])).code).toBe(0);
    const failed = await runWithFileLimit(ROOM_FOR_SCHEMA_ONLY, ['--data', data, 'import', DEMO]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(/^error: [^\n]+\n$/);
    const stats = await runCli(['stats', '--json', '--data', data]);
    expect(JSON.parse(stats.stdout)).toEqual(DISTRICT_COUNTS);
  }, 180_000);
});

/**
 * The first import takes its path only into a folder with no store, hence only on the embedded
 * store (Neo4j is always there), whose imports hold no lock of their own (lockImports holds
 * nothing). SQLite's write lock, which another process's import holds, it waits for as every write
 * does, on a timer up to the busy timeout, having said so first, for it would otherwise sit silent.
 */
describe('a first import into a store another process makes and holds meanwhile', () => {
  test('says it waits, for what and how long, then waits; after the busy timeout it is refused, writing nothing, and leaves the store to the other', async () => {
    const data = path.join(temp(), 'data');
    const database = path.join(data, 'tracegraph.db');
    const waiting =
      `${database} is locked by another writer (an import in another process?): waiting up to 5 s for it ` +
      `to end before importing ${DEMO} (Ctrl-C stops this import; nothing is written until then)\n`;
    // Its own process group, so that the command and the process it restarts as stop together.
    const child = spawn(process.execPath, [BIN, '--data', data, 'start', '--bundle', DEMO, '--no-serve'], {
      cwd: ROOT,
      env: cliEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const awaited: { text: string; resolve(): void }[] = [];
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      for (const { text: awaitedText, resolve } of awaited) if (stderr.includes(awaitedText)) resolve();
    });
    /** Resolves once the command has said `text` on stderr. */
    const said = (text: string): Promise<void> =>
      new Promise<void>((resolve) => {
        if (stderr.includes(text)) resolve();
        else awaited.push({ text, resolve });
      });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let importer: ImportingProcess | undefined;
    try {
      await Promise.race([said('the store is empty: loading'), exited]);
      process.kill(-child.pid!, 'SIGSTOP');
      // Stopped while it validates the bundle against no store: it has made none.
      expect(existsSync(database)).toBe(false);
      try {
        importer = await importingProcess(data);
      } finally {
        process.kill(-child.pid!, 'SIGCONT');
      }
      await Promise.race([said(waiting), exited]);
      const noticed = Date.now();
      // Said while the other process holds the store, before the wait: the command is still on.
      expect(stderr).toContain(waiting);
      expect(child.exitCode).toBeNull();
      const code = await exited;
      expect(Date.now() - noticed).toBeGreaterThanOrEqual(4_000);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `the store is empty: loading ${DEMO}\n` +
          waiting +
          `error: ${database} is locked by another writer (an import in another process?); nothing was ` +
          'written: try again when it ends\n',
      });
      // The other import's store is there still (this import did not make it, so removes nothing).
      expect(existsSync(database)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await importer?.kill();
    }
    // The other import, killed, is rolled back; of the refused one nothing was written.
    const store = await openEmbeddedStore(data);
    try {
      expect(Object.values(await store.counts()).every((n) => n === 0)).toBe(true);
    } finally {
      await store.close();
    }
  }, 180_000);
});
