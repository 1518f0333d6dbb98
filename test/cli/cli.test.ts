import { caseIdsFrom } from '../../src/cli/commands/report';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import Database from 'better-sqlite3';
import { QUARANTINE_COLUMNS } from '../../src/report/csv';
import { MIGRATIONS } from '../../src/store/embedded/schema';
import { freePort } from '../../src/store/neo4j/launcher';
import neo4j from 'neo4j-driver';
import { openNeo4jStore } from '../../src/store/neo4j';
import { untilWaitingForImportLock } from '../store/import-lock-waiter';
import { bundleFrom, FIXTURE_BUNDLES, removeTemp, suiteTemps } from '../import/temp-bundle';
import { neo4jCliEnv, neo4jTestConfig } from '../setup/neo4j';
import { emptiedNeo4jCliEnv } from './emptied-neo4j';
import { BIN, cliEnv, ROOT, runCli } from './run-cli';
import { DISTRICT_COUNTS } from '../store/fixtures';

const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');
const LATER = path.join(FIXTURE_BUNDLES, 'district-later');
const DISTRICT_SUMMARY =
  'places 6, persons 4, boats 1, items 1, stays 8, contacts 1, handlings 1, samples 4, cases 2';

const temp = suiteTemps('tracegraph-cli-');
/** Bundles made by `bundleFrom`, removed after the suite. */
const bundles: string[] = [];
afterAll(() => bundles.forEach(removeTemp));

/** `stats --json` of a data folder, parsed; fails the test unless stdout is exactly one JSON object. */
async function statsOf(data: string): Promise<unknown> {
  const result = await runCli(['stats', '--json', '--data', data]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout.endsWith('}\n')).toBe(true);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout);
}

describe('tracegraph --help', () => {
  test('lists the global --data option and the commands', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: tracegraph \[options\] \[command\]\n/);
    expect(stdout).toMatch(/--data <dir>/);
    for (const command of ['import [options] <dir>', 'export <dir>', 'stats [options]'])
      expect(stdout).toContain(command);
  });

  test.each([
    ['import', 'Usage: tracegraph import [options] <dir>'],
    ['export', 'Usage: tracegraph export [options] <dir>'],
    ['stats', 'Usage: tracegraph stats [options]'],
  ])('%s --help shows its usage and exits 0', async (command, usage) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(usage);
  });

  test('a mistake in the command line exits 1 with commander’s message', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const missing = await runCli(['import']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: missing required argument 'dir'");
  });
});

describe('tracegraph on the embedded store', () => {
  test('import with --data before the command, stats with --data after it', async () => {
    const data = temp();
    const imported = await runCli(['--data', data, 'import', DISTRICT]);
    expect(imported.code).toBe(0);
    // Not a terminal: no progress bar, only the summary line.
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(
      new RegExp(
        `^imported 28 records \\(${DISTRICT_SUMMARY}\\) from ${DISTRICT} into ${path.join(data, 'tracegraph.db')} in \\d+\\.\\d s\\n$`,
      ),
    );
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);

    const table = await runCli(['stats', '--data', data]);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      [
        path.join(data, 'tracegraph.db'),
        '  persons    4',
        '  places     6',
        '  boats      1',
        '  items      1',
        '  stays      7',
        '  contacts   1',
        '  handlings  1',
        '  samples    4',
        '  cases      2',
        '',
      ].join('\n'),
    );
  });

  test('import --forget-unfinished: the embedded store records no unfinished import, so there is none to forget', async () => {
    const data = temp();
    const none = await runCli(['--data', data, 'import', '--forget-unfinished', DISTRICT]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `--forget-unfinished: there is no store in ${data}, so no import of ${DISTRICT} to forget\n`,
    );
    expect(existsSync(path.join(data, 'tracegraph.db'))).toBe(false);

    expect((await runCli(['--data', data, 'import', DISTRICT])).code).toBe(0);
    const refused = await runCli(['--data', data, 'import', '--forget-unfinished', DISTRICT]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `--forget-unfinished: ${path.join(data, 'tracegraph.db')} records no unfinished import of ${DISTRICT}; it records none\n`,
    );
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);
  });

  test('--data after the import command; TRACEGRAPH_DATA when there is no --data; ./data by default', async () => {
    const data = temp();
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);

    const fromEnv = await runCli(['stats', '--json'], { env: { TRACEGRAPH_DATA: data } });
    expect(JSON.parse(fromEnv.stdout)).toEqual(DISTRICT_COUNTS);

    const cwd = temp();
    expect((await runCli(['import', DISTRICT], { cwd })).code).toBe(0);
    expect(existsSync(path.join(cwd, 'data', 'tracegraph.db'))).toBe(true);
    expect(JSON.parse((await runCli(['stats', '--json'], { cwd })).stdout)).toEqual(DISTRICT_COUNTS);
  });

  test('stats, report and export refuse a store that was never made (a mistyped --data), and make none', async () => {
    const cwd = temp();
    const expected = (dir: string) => ({
      code: 1,
      stdout: '',
      stderr:
        `no store in ${dir}: import a bundle into it first (tracegraph --data ${dir} import DIR), ` +
        'or name the folder that holds one (--data, TRACEGRAPH_DATA)\n',
    });
    expect(await runCli(['stats'], { cwd })).toEqual(expected('./data'));
    expect(await runCli(['report', '--format', 'json', '--data', 'data-typo'], { cwd })).toEqual(
      expected('data-typo'),
    );
    expect(
      await runCli(['export', path.join(cwd, 'out')], { cwd, env: { TRACEGRAPH_DATA: 'elsewhere' } }),
    ).toEqual(expected('elsewhere'));
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('a refused import into a folder with no store makes no store, so stats still refuses it', async () => {
    const parent = temp();
    const data = path.join(parent, 'data');
    const bad = bundleFrom('district', { 'persons.csv': '"id"x,name\nP1,a\n' });
    bundles.push(bad);
    expect(await runCli(['import', bad, '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '1 problem found; nothing was written:\n  persons.csv:1: malformed CSV: text follows a closing quote ' +
        'before the next comma (write "" for a quote inside a quoted value)\n',
    });
    const nowhere = path.join(parent, 'nowhere');
    expect((await runCli(['import', nowhere, '--data', data])).code).toBe(1);
    // An empty folder exists already: it is left as it was, without a store in it.
    mkdirSync(path.join(parent, 'empty'));
    expect((await runCli(['import', bad, '--data', path.join(parent, 'empty')])).code).toBe(1);
    expect(readdirSync(parent).sort()).toEqual(['empty']);
    expect(readdirSync(path.join(parent, 'empty'))).toEqual([]);
    expect((await runCli(['stats', '--data', data])).stderr).toMatch(/^no store in /);
    // A good bundle then makes the store as before.
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);
  });

  test('a bad bundle exits 1 with the problems on stderr, no stack, and the store unchanged', async () => {
    const data = temp();
    await runCli(['import', DISTRICT, '--data', data]);
    const bad = bundleFrom('district-later', {
      'stays.csv':
        'subject_id,host_id,start,end\nP2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T09:40:00+08:00\n',
    });
    bundles.push(bad);
    const result = await runCli(['import', bad, '--data', data]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: '1 problem found; nothing was written:\n  stays.csv:2: column "end": is before start\n',
    });
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);
  });

  test('the problems are printed in file then line order, whichever check found them: the first 100, then how many more', async () => {
    const data = temp();
    await runCli(['import', DISTRICT, '--data', data]);
    const endsBeforeStart = (line: number): string =>
      `P2,MKT,2022-08-01T09:${String(line % 60).padStart(2, '0')}:00+08:00,2022-08-01T08:00:00+08:00\n`;
    const lines = Array.from({ length: 99 }, (_, i) => i + 3);
    const bad = bundleFrom('district-later', {
      // P3 of the store lives at H2: found once persons.csv is read.
      'places.csv': 'id,name,kind,lat,lon,capacity\nH2,Home 2,shop,,,\n',
      // A market as home: found once every file of ids is read.
      'persons.csv':
        'id,name,sex,age,phone,id_number,home_id,occupation\nP4,Wang Fang,,28,,,,\nP5,Zhao Min,F,35,,,MKT,\n',
      'stays.csv':
        'subject_id,host_id,start,end\n' +
        // An id neither the bundle nor the store has: found once the store is asked, at the end.
        'P2,NOWHERE,2022-08-01T09:45:00+08:00,2022-08-01T09:55:00+08:00\n' +
        // Each found as its row is read.
        lines.map(endsBeforeStart).join(''),
    });
    bundles.push(bad);
    const result = await runCli(['import', bad, '--data', data]);
    expect([result.code, result.stdout]).toEqual([1, '']);
    expect(result.stderr.split('\n')).toEqual([
      '102 problems found; nothing was written:',
      '  places.csv:2: column "kind": "H2" is the home_id of 1 person(s) in the store (P3), so it cannot be a ' +
        'shop: a home_id names a place of kind home',
      '  persons.csv:3: column "home_id": "MKT" is a place of kind market (in the store), not a home',
      '  stays.csv:2: column "host_id": no place or boat "NOWHERE" in this bundle or in the store',
      ...lines.slice(0, 97).map((line) => `  stays.csv:${line}: column "end": is before start`),
      '  ... and 2 more',
      '',
    ]);
    expect(await statsOf(data)).toEqual(DISTRICT_COUNTS);
  });

  test('an onset weeks before the confirmation is imported, with a warning on stderr naming file, line and column', async () => {
    const data = temp();
    await runCli(['import', DISTRICT, '--data', data]);
    const later = bundleFrom('district-later', {
      'cases.csv':
        'person_id,classification,onset,confirmed_at\nP4,confirmed,2021-08-03,2022-08-04T12:00:00+08:00\n',
    });
    bundles.push(later);
    const result = await runCli(['import', later, '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^imported \d+ records /);
    // The later bundle also corrects the ct of P1's positive sample.
    expect(result.stderr).toBe(
      'warning: samples.csv:2: column "ct": replaces the stored ct 24.5 of P1\'s pcr sample at ' +
        '2022-08-02T10:00:00+08:00 with 22\n' +
        'warning: cases.csv:2: column "onset": 2021-08-03 is 366 days before confirmed_at (2022-08-04); ' +
        'accepted as given, but its infectious window opens before it: check the date\n',
    );
    expect(((await statsOf(data)) as { cases: number }).cases).toBe(DISTRICT_COUNTS.cases + 1);
  });

  test('a sample result corrected by a later bundle is imported, with a warning on stderr; the same bundle again is silent', async () => {
    const data = temp();
    await runCli(['import', DISTRICT, '--data', data]);
    const corrected = bundleFrom('district', {
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\n' +
        'P1,2022-07-29T10:00:00+08:00,positive,pcr,\n' +
        'P1,2022-08-02T10:00:00+08:00,positive,pcr,24.5\n',
    });
    bundles.push(corrected);
    const result = await runCli(['import', corrected, '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^imported \d+ records /);
    expect(result.stderr).toBe(
      'warning: samples.csv:2: column "result": replaces the stored result negative of P1\'s pcr sample at ' +
        '2022-07-29T10:00:00+08:00 with positive\n',
    );
    const again = await runCli(['import', corrected, '--data', data]);
    expect([again.code, again.stderr]).toEqual([0, '']);
  });

  test('the warnings are printed in file then line order, whichever check found them', async () => {
    const data = temp();
    await runCli(['import', DISTRICT, '--data', data]);
    const later = bundleFrom(null, {
      'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\nP4,Wang Fang,,28,,,,\n',
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\n' +
        'P3,2022-07-01T10:00:00+08:00,positive,antigen,\n' +
        'P1,2022-07-29T10:00:00+08:00,positive,pcr,\n' +
        'P2,2022-07-01T10:00:00+08:00,positive,pcr,\n',
      'cases.csv':
        'person_id,classification,onset,confirmed_at\n' +
        'P2,asymptomatic,,2022-08-05T12:00:00+08:00\n' +
        'P4,confirmed,2021-08-03,2022-08-04T12:00:00+08:00\n',
    });
    bundles.push(later);
    const result = await runCli(['import', later, '--data', data]);
    expect(result.code).toBe(0);
    const early = 'accepted as given, but its infectious window opens before it: check the date';
    expect(result.stderr).toBe(
      'warning: samples.csv:2: column "sampled_at": 2022-07-01, P3\'s first positive sample, is 35 days ' +
        `before the case's confirmed_at (2022-08-05, in the store); ${early}\n` +
        'warning: samples.csv:3: column "result": replaces the stored result negative of P1\'s pcr sample at ' +
        '2022-07-29T10:00:00+08:00 with positive\n' +
        'warning: samples.csv:4: column "sampled_at": 2022-07-01, P2\'s first positive sample, is 35 days ' +
        `before the case's confirmed_at (2022-08-05, cases.csv:2); ${early}\n` +
        `warning: cases.csv:3: column "onset": 2021-08-03 is 366 days before confirmed_at (2022-08-04); ${early}\n`,
    );
  });

  test('a store of an older schema is migrated once, saying so on stderr', async () => {
    const data = temp();
    mkdirSync(data, { recursive: true });
    const raw = new Database(path.join(data, 'tracegraph.db'));
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.close();
    const first = await runCli(['stats', '--json', '--data', data]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`migrating the embedded store in ${data}: schema version 1 to 2 (once)\n`);
    const second = await runCli(['stats', '--json', '--data', data]);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
  });

  test('a folder that does not exist exits 1 with one line', async () => {
    const data = temp();
    const result = await runCli(['import', path.join(data, 'nowhere'), '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `1 problem found; nothing was written:\n  ${path.join(data, 'nowhere')}: is not a folder (a bundle is a folder of CSV files)\n`,
    );
  });

  test('report --max-contacts caps the HTML contact lists; a bad value exits 1 naming the flag', async () => {
    const data = temp();
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    const csv = await runCli(['report', '--format', 'csv', '--data', data]);
    const contacts = csv.stdout.trim().split('\n').length - 1;
    expect(contacts).toBeGreaterThan(1);

    const capped = await runCli(['report', '--format', 'html', '--max-contacts', '1', '--data', data]);
    expect(capped.code).toBe(0);
    expect(capped.stdout).toContain(`1 of ${contacts} shown, the highest quarantine priority first`);
    const all = await runCli(['report', '--format', 'html', '--max-contacts', 'all', '--data', data]);
    expect(all.code).toBe(0);
    expect(all.stdout).not.toContain('more are in the quarantine list CSV');

    expect(await runCli(['report', '--format', 'html', '--max-contacts', 'ten', '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr: '--max-contacts: "ten" is not a whole number of contacts, 0 or "all"\n',
    });
  });

  test('report --format json streams one document (one line; indented with --pretty) to standard output or --out; a target it cannot write exits 1 naming it', async () => {
    const data = temp();
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    const printed = await runCli(['report', '--format', 'json', '--data', data]);
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(printed.stdout.indexOf('\n')).toBe(printed.stdout.length - 1);
    const report = JSON.parse(printed.stdout) as { summary: { cases: number }; contacts: unknown[] };
    expect(report.summary.cases).toBe(DISTRICT_COUNTS.cases);
    expect(report.contacts.length).toBeGreaterThan(1);
    expect(printed.stdout).toBe(`${JSON.stringify(report)}\n`);

    // Standard output redirected to a file is written to straight (src/report/stream.ts, fdSink):
    // the same bytes.
    const redirected = path.join(temp(), 'stdout.json');
    const fd = openSync(redirected, 'w');
    try {
      const run = spawnSync(process.execPath, [BIN, 'report', '--format', 'json', '--data', data], {
        cwd: ROOT,
        env: cliEnv(),
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect([run.status, run.stderr]).toEqual([0, '']);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(redirected, 'utf8')).toBe(printed.stdout);

    const pretty = await runCli(['report', '--format', 'json', '--pretty', '--data', data]);
    expect(pretty).toEqual({ code: 0, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: '' });

    const out = path.join(temp(), 'reports', 'report.json');
    const written = await runCli(['report', '--format', 'json', '--out', out, '--data', data]);
    expect(written).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}\n` });
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);

    // A folder stands where the file should go: the rename fails, and no partial file is left.
    const folder = temp();
    const failed = await runCli(['report', '--format', 'json', '--out', folder, '--data', data]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(folder);
    const partials = readdirSync(path.dirname(folder)).filter(
      (name) => name.startsWith(`${path.basename(folder)}.`) && name.endsWith('.partial'),
    );
    expect(partials).toEqual([]);
  });

  test('report --format csv streams the quarantine list to standard output or --out (with a BOM); --cases narrows it', async () => {
    const data = temp();
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    const printed = await runCli(['report', '--format', 'csv', '--role', 'cdc', '--data', data]);
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    const lines = printed.stdout.split('\n');
    expect(lines[0]).toBe(QUARANTINE_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    // In priority order, 1, 2, 3, …
    const priorities = lines.slice(1, -1).map((line) => Number(line.split(',')[4]));
    expect(priorities).toEqual(priorities.map((_, i) => i + 1));

    const out = path.join(temp(), 'lists', 'quarantine.csv');
    const written = await runCli([
      'report',
      '--format',
      'csv',
      '--role',
      'cdc',
      '--out',
      out,
      '--data',
      data,
    ]);
    expect(written).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}\n` });
    expect(readFileSync(out, 'utf8')).toBe(`\uFEFF${printed.stdout}`);

    // Narrowed to cases: rendered from the whole report. One case's rows are rows of the whole
    // list; a case id that is not a case leaves the header alone and is reported.
    const cases = JSON.parse((await runCli(['report', '--format', 'json', '--data', data])).stdout) as {
      cases: { personId: string }[];
    };
    const narrowed = await runCli([
      'report',
      '--format',
      'csv',
      '--role',
      'cdc',
      '--cases',
      cases.cases[0]!.personId,
      '--data',
      data,
    ]);
    expect(narrowed.code).toBe(0);
    const narrowedLines = narrowed.stdout.trim().split('\n');
    expect(narrowedLines[0]).toBe(QUARANTINE_COLUMNS.join(','));
    for (const line of narrowedLines) expect(lines).toContain(line);
    const someArgs = ['--role', 'cdc', '--cases', `NOPE,${cases.cases[0]!.personId}`, '--data', data];
    const some = await runCli(['report', '--format', 'csv', ...someArgs]);
    expect(some.code).toBe(0);
    expect(some.stdout).toBe(narrowed.stdout);
    expect(some.stderr).toContain('unknown case id "NOPE"');
    // No id a case: refused rather than an empty list (test/cli/report-scope.test.ts).
    const none = await runCli(['report', '--format', 'csv', '--cases', 'NOPE', '--data', data]);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/^--cases: "NOPE" is not a case as of /);

    // A folder stands where the file should go: exit 1 naming it, no partial file left.
    const folder = temp();
    const failed = await runCli(['report', '--format', 'csv', '--out', folder, '--data', data]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(folder);
    expect(
      readdirSync(path.dirname(folder)).filter(
        (name) => name.startsWith(`${path.basename(folder)}.`) && name.endsWith('.partial'),
      ),
    ).toEqual([]);
  });

  test('report to a reader that stops reading (`| head`) ends quietly, with exit code 0', async () => {
    // The demo district: its JSON report (about 1 MB) is far more than a pipe holds, so the writer
    // is still writing when the reader goes away.
    const data = temp();
    expect((await runCli(['import', path.join(ROOT, 'seeds', 'demo'), '--data', data])).code).toBe(0);
    for (const format of ['json', 'csv']) {
      const child = spawn(process.execPath, [BIN, 'report', '--format', format, '--data', data], {
        cwd: ROOT,
        env: cliEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const first = await new Promise<string>((resolve) =>
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))),
      );
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(first.length).toBeGreaterThan(0);
      expect([format, code, stderr]).toEqual([format, 0, '']);
    }
  }, 60_000);

  test('export writes a bundle that imports into an empty store as the same counts', async () => {
    const data = temp();
    await runCli(['--data', data, 'import', DISTRICT]);
    await runCli(['--data', data, 'import', LATER]);
    const out = path.join(temp(), 'backup');
    const exported = await runCli(['export', out, '--data', data]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      /^exported 31 rows \(places 6, persons 5, boats 1, items 1, stays 9, contacts 1, handlings 1, samples 5, cases 2\) from .*tracegraph\.db to .*backup in \d+\.\d s\n$/,
    );
    const copy = temp();
    expect((await runCli(['import', out, '--data', copy])).code).toBe(0);
    expect(await statsOf(copy)).toEqual(await statsOf(data));
  });
});

describe('tracegraph on Neo4j', () => {
  test('NEO4J_URI chooses Neo4j: import and stats --json', async () => {
    const env = await emptiedNeo4jCliEnv();
    const imported = await runCli(['import', DISTRICT], { env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`imported 28 records (${DISTRICT_SUMMARY})`);
    const stats = await runCli(['stats', '--json'], { env });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toEqual(DISTRICT_COUNTS);
  }, 240_000);

  test('an import while another holds the store waits for it, saying so, then imports', async () => {
    const config = neo4jTestConfig();
    const store = await openNeo4jStore({ ...config, database: 'neo4j' });
    const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password));
    try {
      // Migrated here, not left to a test before: with the store never migrated, the command, which
      // migrates it as it opens it, did not reach its wait for the lock while the lock was held.
      await store.migrate();
      await store.clear();
      const holding = await store.lockImports();
      const env = neo4jCliEnv(config);
      const importing = runCli(['import', DISTRICT], { env, timeoutMs: 180_000 });
      await untilWaitingForImportLock(driver, 'the import', 'import');
      const personsWhileWaiting = (await store.counts()).persons;
      await holding.release();
      const imported = await importing;

      expect(personsWhileWaiting).toBe(0);
      expect(imported.stderr).toMatch(
        new RegExp(
          `^another import has been running on ${config.uri.replace(/[.]/g, '\\.')}/neo4j since \\S+Z ` +
            `\\(pid ${process.pid} on .+\\): waiting for it to end before importing ${DISTRICT.replace(/[.]/g, '\\.')} ` +
            `\\(Ctrl-C stops this import; nothing is written until then\\)\n$`,
        ),
      );
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain(`imported 28 records (${DISTRICT_SUMMARY})`);
    } finally {
      await store.close();
      await driver.close();
    }
  }, 240_000);

  test('an unreachable Neo4j exits 2 with a message naming the server', async () => {
    const port = await freePort();
    const result = await runCli(['stats'], { env: { NEO4J_URI: `bolt://127.0.0.1:${port}` } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`cannot reach Neo4j at bolt://127.0.0.1:${port}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bin/tracegraph.js', () => {
  /** A copy of bin/tracegraph.js over a stand-in CLI that prints the flags node gave it and exits 3. */
  const withStandInCli = (): string => {
    const root = temp();
    mkdirSync(path.join(root, 'bin'));
    mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
    copyFileSync(
      path.join(__dirname, '..', '..', 'bin', 'tracegraph.js'),
      path.join(root, 'bin', 'tracegraph.js'),
    );
    writeFileSync(
      path.join(root, 'dist', 'src', 'cli', 'main.js'),
      'exports.run = async (argv) => { process.stdout.write(JSON.stringify({ execArgv: process.execArgv, args: argv.slice(2) })); return 3; };\n',
    );
    return path.join(root, 'bin', 'tracegraph.js');
  };

  /** The heap bin/tracegraph.js gives: 3/4 of the memory, or of a container's limit (README). */
  const expectedHeapMb = (): number | null => {
    const constrained = process.constrainedMemory?.() ?? 0;
    const memory = constrained > 0 ? Math.min(constrained, os.totalmem()) : os.totalmem();
    const mb = Math.floor((memory * 0.75) / 2 ** 20);
    return mb > v8.getHeapStatistics().heap_size_limit / 2 ** 20 ? mb : null;
  };
  const heapFlags = (execArgv: string[]) => execArgv.filter((arg) => arg.startsWith('--max-old-space-size'));

  /**
   * What the stand-in CLI was given when bin/tracegraph.js ran it with `args` under `nodeOptions`
   * (NODE_OPTIONS), once the command has passed its exit code 3 on.
   */
  const seenByStandIn = async (
    args: string[],
    nodeOptions: string,
  ): Promise<{ execArgv: string[]; args: string[] }> => {
    const result = await runCli(args, { script: withStandInCli(), env: { NODE_OPTIONS: nodeOptions } });
    expect(result.code).toBe(3);
    return JSON.parse(result.stdout) as { execArgv: string[]; args: string[] };
  };

  test('runs the command line with a 64 MB semi-space, a heap of 3/4 of the memory and the collector exposed, passing the arguments and the exit code on', async () => {
    const seen = await seenByStandIn(['report', '--format', 'json'], '');
    expect(seen.execArgv).toContain('--max-semi-space-size=64');
    expect(seen.execArgv).toContain('--expose-gc');
    const heap = expectedHeapMb();
    // Node's own default is as large on a machine with less than about 5.5 GB: then no flag.
    expect(heapFlags(seen.execArgv)).toEqual(heap === null ? [] : [`--max-old-space-size=${heap}`]);
    expect(seen.args).toEqual(['report', '--format', 'json']);
  });

  test('keeps a semi-space size the caller chose, still giving the heap', async () => {
    const seen = await seenByStandIn(['stats'], '--max-semi-space-size=32');
    expect(seen.execArgv.join(' ')).not.toMatch(/semi-space/);
    const heap = expectedHeapMb();
    expect(heapFlags(seen.execArgv)).toEqual(heap === null ? [] : [`--max-old-space-size=${heap}`]);
    // Restarted for the heap, it exposes the collector too; not restarted, it runs as it was started.
    expect(seen.execArgv.includes('--expose-gc')).toBe(heap !== null);
  });

  test('keeps a heap size the caller chose, in either spelling of the flag', async () => {
    for (const chosen of ['--max-old-space-size=1500', '--max_old_space_size=1500']) {
      const seen = await seenByStandIn(['stats'], chosen);
      expect(seen.execArgv).toEqual(['--max-semi-space-size=64', '--expose-gc']);
    }
  });

  test('does not add --expose-gc when the caller exposed the collector already', async () => {
    const seen = await seenByStandIn(['stats'], '--expose-gc');
    expect(seen.execArgv).toContain('--max-semi-space-size=64');
    expect(seen.execArgv).not.toContain('--expose-gc');
  });

  test('without a build it says to run npm run build first and exits 1', async () => {
    const root = temp();
    mkdirSync(path.join(root, 'bin'));
    copyFileSync(
      path.join(__dirname, '..', '..', 'bin', 'tracegraph.js'),
      path.join(root, 'bin', 'tracegraph.js'),
    );
    const result = await runCli(['--help'], { script: path.join(root, 'bin', 'tracegraph.js') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run npm run build first\n$/);
  });
});

describe('--cases ids', () => {
  test('one CSV record: commas separate, double quotes keep an id with a comma', () => {
    expect(caseIdsFrom(' P1 , ,P2 ')).toEqual(['P1', 'P2']);
    expect(caseIdsFrom('P1,"Lin, ward 3"')).toEqual(['P1', 'Lin, ward 3']);
    expect(caseIdsFrom('"C<1>|""x"",y",P2')).toEqual(['C<1>|"x",y', 'P2']);
    // A quote inside an unquoted id is taken as written.
    expect(caseIdsFrom('C<1>|"x",y')).toEqual(['C<1>|"x"', 'y']);
    expect(() => caseIdsFrom('"P1')).toThrow(/^--cases: Quote Not Closed/);
    expect(() => caseIdsFrom('P1\nP2')).toThrow('--cases: one line of ids, separated by commas');
  });
});
