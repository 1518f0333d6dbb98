/**
 * An import into Neo4j that commits some of its batches and does not finish leaves a record of
 * itself in the store (src/store/neo4j/index.ts): the commands that read the store warn of it, the
 * API's `stats` gives it, until an import completes or the store is cleared. A running import is
 * not reported: its store is partial as a matter of course.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import neo4j from 'neo4j-driver';
import pino from 'pino';
import { buildApiSchema } from '../../src/api/schema';
import { startApiServer } from '../../src/api/server';
import { ValidationError } from '../../src/domain/errors';
import { importBundle } from '../../src/import/import';
import type { TraceStore, UnfinishedImport } from '../../src/store/port';
import { contextFor, run } from '../api/helpers';
import { runCli } from '../cli/run-cli';
import { neo4jCliEnv, neo4jTestConfig } from '../setup/neo4j';
import { stateAfter, stateWhen } from '../setup/promise-state';
import { holdingChild } from '../store/child-process-holder';
import { untilWaitingForImportLock } from '../store/import-lock-waiter';
import { DISTRICT_COUNTS } from '../store/fixtures';
import { openMigrated, openTestNeo4j, suiteBundles } from './import-setup';
import { suiteTemps } from './temp-bundle';
import { withImportWrites } from './watched-writes';

jest.setTimeout(240_000);

/** `text` as a regular expression matching it alone. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The warning a command prints for an import of `dir` by `pid` that did not finish. */
const warning = (location: string, dir: string, pid: number): RegExp =>
  new RegExp(
    `^warning: ${literal(location)} holds part of an import of ${literal(dir)} \\(started ` +
      `\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ by pid ${pid} on ${literal(hostname())}\\) that did not ` +
      `finish; its data are incomplete until \`tracegraph import ${literal(dir)}\` is run again ` +
      `\\(should that folder be gone, \`tracegraph import --forget-unfinished ${literal(dir)}\` ends this ` +
      'warning; the rest of its bundle stays missing\\)$',
    'm',
  );

/** A stays.csv whose one row no longer parses: what a file changed while it is imported reads as. */
const BROKEN_STAYS = 'subject_id,host_id,start,end\nP1,MKT,not a time,2022-08-03T10:30:00+08:00\n';

/**
 * The store with its import session watched: `onWritten` runs once the first batch has been
 * written, and the next write waits until `release()` (when `hold` is set).
 */
function watchedImport(store: TraceStore, onWritten: () => void, hold?: Promise<void>): TraceStore {
  let writes = 0;
  return withImportWrites(store, async (batch, write) => {
    if (++writes === 2 && hold) await hold;
    await write(batch);
    if (writes === 1) onWritten();
  });
}

/** Imports `dir` until a stays.csv changed after its first batch is refused; returns the error. */
async function importRefusedHalfWay(store: TraceStore, dir: string): Promise<unknown> {
  const changing = watchedImport(store, () => writeFileSync(path.join(dir, 'stays.csv'), BROKEN_STAYS));
  return importBundle(changing, dir).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('an import into Neo4j that did not finish', () => {
  let store: TraceStore;
  /** Another connection to the same server, as another process would have. */
  let other: TraceStore;
  const makeBundle = suiteBundles();
  const bundle = (files: Record<string, string> = {}): string => makeBundle('district', files);
  const exportFolder = suiteTemps('tracegraph-export-');

  beforeAll(async () => {
    store = await openMigrated(openTestNeo4j);
    other = await openTestNeo4j();
  });
  beforeEach(async () => {
    await store.clear();
  });
  afterAll(async () => {
    await store?.clear();
    await store?.close();
    await other?.close();
  });

  test('refused half-way because a bundle file changed, it leaves the record naming the bundle, this process and host', async () => {
    const dir = bundle();
    const before = Date.now();
    const error = await importRefusedHalfWay(store, dir);
    const after = Date.now();

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      expect.objectContaining({ file: 'stays.csv', line: 2, column: 'start' }),
    ]);
    // Not "nothing was written": the batches before the refusal have committed.
    expect((error as ValidationError).message).toMatch(
      new RegExp(
        `^1 problem found; part of the bundle was written into ${literal(store.location)} before it was ` +
          `refused, and the store records the import as unfinished: correct the bundle, then import it again:\n  stays\.csv:2: `,
      ),
    );
    // What the import had written before it was refused is there, the rest not.
    expect((await other.counts()).places).toBe(DISTRICT_COUNTS.places);
    expect((await other.counts()).stays).toBe(0);
    const [unfinished, ...others] = await other.unfinishedImports();
    expect(others).toEqual([]);
    expect(unfinished).toEqual({
      bundle: dir,
      startedAt: expect.any(Number),
      pid: process.pid,
      host: hostname(),
    });
    expect(unfinished!.startedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(unfinished!.startedAt).toBeLessThanOrEqual(after);
  });

  test('an import of the same folder that completes removes its record; one of another folder leaves it', async () => {
    const first = bundle();
    const stays = readFileSync(path.join(first, 'stays.csv'), 'utf8');
    await importRefusedHalfWay(store, first);
    const second = bundle();
    await importRefusedHalfWay(store, second);
    expect((await other.unfinishedImports()).map((u) => u.bundle)).toEqual([first, second]);

    // Another folder completing does not complete the first folder's bundle.
    await importBundle(store, bundle());
    expect((await other.unfinishedImports()).map((u) => u.bundle)).toEqual([first, second]);

    // Named relative to the working folder, as a user may give it: the same folder, its file mended.
    writeFileSync(path.join(first, 'stays.csv'), stays);
    await importBundle(store, path.relative(process.cwd(), first));
    expect((await other.unfinishedImports()).map((u) => u.bundle)).toEqual([second]);
    expect(await other.counts()).toEqual(DISTRICT_COUNTS);
  });

  test('clear() removes the record', async () => {
    await importRefusedHalfWay(store, bundle());
    await importRefusedHalfWay(store, bundle());
    expect(await other.unfinishedImports()).toHaveLength(2);
    await store.clear();
    expect(await other.unfinishedImports()).toEqual([]);
  });

  test('while the process that left a record holds the lock (importing again), the record is not reported; once it lets go, it is', async () => {
    const dir = bundle();
    await importRefusedHalfWay(store, dir);
    const lock = await store.lockImports();
    try {
      expect(await other.unfinishedImports()).toEqual([]);
    } finally {
      await lock.release();
    }
    expect(await other.unfinishedImports()).toEqual([expect.objectContaining({ bundle: dir })]);
  });

  test("while an import holds the lock, other processes' records are still reported", async () => {
    const dir = bundle();
    await importRefusedHalfWay(store, dir);
    // As a process on another host, cut off before, would have left it.
    const elsewhere = {
      bundle: '/data/bundles/earlier',
      startedAt: 1_659_661_323_000,
      pid: 4711,
      host: 'elsewhere',
    };
    const { uri, user, password } = neo4jTestConfig();
    const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
    try {
      await driver.executeQuery(
        'CREATE (u:UnfinishedImport {id: $bundle, bundle: $bundle, startedAt: $startedAt, pid: $pid, host: $host})',
        { ...elsewhere, startedAt: neo4j.int(elsewhere.startedAt), pid: neo4j.int(elsewhere.pid) },
        { database: 'neo4j' },
      );
    } finally {
      await driver.close();
    }
    const lock = await store.lockImports();
    try {
      expect(await other.unfinishedImports()).toEqual([elsewhere]);
    } finally {
      await lock.release();
    }
    expect((await other.unfinishedImports()).map((u) => u.bundle)).toEqual([elsewhere.bundle, dir]);
  });

  test('forgetting a record waits for a running import (whose record it would be), then removes it', async () => {
    const dir = bundle();
    await importRefusedHalfWay(store, dir);
    const lock = await store.lockImports();
    const notices: string[] = [];
    let forgetting: Promise<boolean>;
    let whileLocked: unknown;
    try {
      forgetting = other.forgetUnfinishedImport(dir, (holder) => notices.push(holder));
      whileLocked = await stateWhen(forgetting, () => notices.length > 0, 60_000);
    } finally {
      await lock.release();
    }
    expect(whileLocked).toBe('waiting');
    expect(notices).toEqual([
      expect.stringMatching(
        new RegExp(
          `^another import has been running on ${literal(store.location)} since \\S+Z ` +
            `\\(pid ${process.pid} on ${literal(hostname())}\\)$`,
        ),
      ),
    ]);
    expect(await forgetting!).toBe(true);
    expect(await other.unfinishedImports()).toEqual([]);
    // What the import wrote before it was refused is still there.
    expect((await other.counts()).places).toBe(DISTRICT_COUNTS.places);
  });

  test('a running import is not reported as unfinished, after its first batch or once done', async () => {
    let written!: () => void;
    const firstWritten = new Promise<void>((resolve) => (written = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const importing = importBundle(watchedImport(store, written, released), bundle());
    let whileWriting: unknown;
    let countsWhileWriting: unknown;
    let stateWhileWriting: unknown;
    try {
      await firstWritten;
      whileWriting = await other.unfinishedImports().catch((err: unknown) => err);
      countsWhileWriting = await other.counts();
      stateWhileWriting = await stateAfter(importing, 500);
    } finally {
      // Whatever failed above, the import ends and lets go of its lock.
      release();
      await importing;
    }

    expect(stateWhileWriting).toBe('waiting');
    expect(countsWhileWriting).toMatchObject({ places: DISTRICT_COUNTS.places, persons: 0 });
    expect(whileWriting).toEqual([]);
    expect(await other.unfinishedImports()).toEqual([]);
  });

  test('the API gives it in stats.unfinishedImports, and the server logs a warning as it starts', async () => {
    const schema = buildApiSchema();
    const query = '{ stats { persons unfinishedImports { bundle startedAt pid host } } }';
    const none = await run(schema, contextFor(other, 'cdc'), query);
    expect(none).toEqual({ data: { stats: { persons: 0, unfinishedImports: [] } } });

    const dir = bundle();
    await importRefusedHalfWay(store, dir);
    const [unfinished] = await other.unfinishedImports();
    const result = await run(schema, contextFor(other, 'cdc'), query);
    expect(result).toEqual({
      data: {
        stats: {
          persons: 4,
          unfinishedImports: [
            {
              bundle: dir,
              startedAt: new Date(unfinished!.startedAt).toISOString(),
              pid: process.pid,
              host: hostname(),
            },
          ],
        },
      },
    });

    const lines: string[] = [];
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    const running = await startApiServer(
      { store: other, apiKeys: [], logger: pino({ level: 'warn' }, log), closeStore: false },
      { port: 0 },
    );
    await running.stop();
    const warnings = lines.map(
      (line) => JSON.parse(line) as { level: number; msg: string; unfinishedImport?: UnfinishedImport },
    );
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        unfinishedImport: unfinished,
        msg: expect.stringMatching(/that did not finish/),
      }),
    );
    const [logged] = warnings.filter((w) => w.unfinishedImport);
    expect(`warning: ${logged!.msg}`).toMatch(warning(other.location, dir, process.pid));
  });

  describe('on the command line', () => {
    const env = neo4jCliEnv();

    /** Starts an import of `dir` in another process and kills it (SIGKILL) once its first batch has committed. */
    async function killedAfterFirstBatch(dir: string): Promise<number> {
      const child = await holdingChild('../import/cut-off-import-child.ts', [dir], {
        ready: 'written',
        finish: 'finish',
        finished: 'finished',
        name: 'the importing process',
        readyVerb: 'wrote its first batch',
        finishVerb: 'end',
      });
      await child.kill();
      return child.pid;
    }

    test('an import killed after its first batch: report, stats and export warn and go on; importing it again completes it', async () => {
      const dir = bundle();
      const pid = await killedAfterFirstBatch(dir);
      // The server lets go of the killed process's lock once it sees its connection closed.
      await (await store.lockImports()).release();
      expect(await other.unfinishedImports()).toEqual([expect.objectContaining({ bundle: dir, pid })]);
      expect(await store.counts()).toMatchObject({ places: DISTRICT_COUNTS.places, persons: 0 });

      const report = await runCli(['report', '--format', 'json'], { env });
      expect(report.code).toBe(0);
      expect(report.stderr).toMatch(warning(store.location, dir, pid));
      expect(report.stderr.split('\n').filter((line) => line.startsWith('warning:'))).toHaveLength(1);
      expect(JSON.parse(report.stdout)).toMatchObject({ cases: [] });

      const stats = await runCli(['stats', '--json'], { env });
      expect(stats.code).toBe(0);
      expect(stats.stderr).toMatch(warning(store.location, dir, pid));
      expect(JSON.parse(stats.stdout)).toMatchObject({ places: DISTRICT_COUNTS.places, persons: 0 });

      const out = exportFolder();
      const exported = await runCli(['export', out], { env });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toMatch(warning(store.location, dir, pid));

      const imported = await runCli(['import', dir], { env });
      expect(imported).toMatchObject({ code: 0, stderr: '' });
      expect(await store.unfinishedImports()).toEqual([]);
      expect(await store.counts()).toEqual(DISTRICT_COUNTS);
      const again = await runCli(['report', '--format', 'json'], { env });
      expect(again.code).toBe(0);
      expect(again.stderr).not.toMatch(/warning:/);
      expect(JSON.parse(again.stdout).cases).not.toEqual([]);
    });

    test('import --forget-unfinished ends the warning for a folder that is gone, and says so; a folder with no record is refused', async () => {
      const dir = bundle();
      const kept = bundle();
      await importRefusedHalfWay(store, dir);
      await importRefusedHalfWay(store, kept);
      const countsBefore = await store.counts();
      rmSync(dir, { recursive: true, force: true });

      const forgot = await runCli(['import', '--forget-unfinished', dir], { env });
      expect(forgot).toMatchObject({ code: 0, stderr: '' });
      expect(forgot.stdout).toBe(
        `forgot the unfinished import of ${dir} in ${store.location}: no command warns of it any more; ` +
          'what it wrote stays, and the rest of its bundle is missing\n',
      );
      expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual([kept]);
      expect(await store.counts()).toEqual(countsBefore);
      const stats = await runCli(['stats', '--json'], { env });
      expect(stats.stderr).not.toMatch(warning(store.location, dir, process.pid));
      expect(stats.stderr).toMatch(warning(store.location, kept, process.pid));

      const again = await runCli(['import', '--forget-unfinished', dir], { env });
      expect(again.code).toBe(1);
      expect(again.stdout).toBe('');
      expect(again.stderr).toBe(
        `--forget-unfinished: ${store.location} records no unfinished import of ${dir}; it records those of ${kept}\n`,
      );
    });

    test('import --forget-unfinished waits for an import running, saying so, then forgets', async () => {
      const dir = bundle();
      await importRefusedHalfWay(store, dir);
      const holding = await store.lockImports();
      let released: Promise<void> | undefined;
      const release = (): Promise<void> => (released ??= holding.release());
      const { uri, user, password } = neo4jTestConfig();
      const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
      let forgot;
      try {
        const forgetting = runCli(['import', '--forget-unfinished', dir], { env, timeoutMs: 120_000 });
        await untilWaitingForImportLock(driver, 'the command', 'forget');
        // Not removed while it waits (read directly: this process's record is hidden while it holds the lock).
        const { records } = await driver.executeQuery(
          'MATCH (u:UnfinishedImport) RETURN collect(u.bundle) AS bundles',
          {},
          { database: 'neo4j' },
        );
        expect(records[0]!.get('bundles')).toEqual([dir]);
        await release();
        forgot = await forgetting;
      } finally {
        await release();
        await driver.close();
      }
      expect(forgot.code).toBe(0);
      expect(forgot.stderr).toMatch(
        new RegExp(
          `^another import has been running on ${literal(store.location)} since \\S+Z \\(pid ${process.pid} ` +
            `on ${literal(hostname())}\\): waiting for it to end before forgetting the unfinished import of ` +
            `${literal(dir)} \\(Ctrl-C stops this; nothing is removed until then\\)\n$`,
        ),
      );
      expect(forgot.stdout).toMatch(/^forgot the unfinished import of /);
      expect(await other.unfinishedImports()).toEqual([]);
    });

    test('start and serve warn before their output', async () => {
      const dir = bundle();
      await importRefusedHalfWay(store, dir);
      // The store holds persons: start leaves it as it is, and prints its summary after the warning.
      const summary = await runCli(['start', '--no-serve'], { env });
      expect(summary.code).toBe(0);
      expect(summary.stderr).toMatch(warning(store.location, dir, process.pid));
      expect(summary.stdout).toMatch(/^bolt:\/\/.*: persons 4, /);

      const served = await runCli(['serve', '--port', '0'], {
        env: { ...env, TRACEGRAPH_API_KEYS: 'k1:admin', LOG_LEVEL: 'error' },
        timeoutMs: 10_000,
      });
      expect(served.stderr).toMatch(warning(store.location, dir, process.pid));
      const listening = served.stderr.indexOf('tracegraph API on');
      expect(listening).toBeGreaterThan(served.stderr.indexOf('warning:'));
    });
  });
});
