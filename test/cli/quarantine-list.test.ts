/**
 * The quarantine list of the demo district (seeds/demo) as `tracegraph report` writes it on
 * 5 August 2022, when P0000193 and P0000603 are still at QS001 though their quarantine ended (on
 * 4 and 5 August): the CSV says each contact's placement after its site, those two at QS001 due for
 * release and listed after every contact still to act on; the JSON's quarantineSites and the pages'
 * site tables count their beds as due for release, and so does the line `tracegraph start` prints.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { QUARANTINE_COLUMNS } from '../../src/report/csv';
import { removeTemp, tempDir } from '../import/temp-bundle';
import { ROOT, runCli } from './run-cli';

const DEMO = path.join(ROOT, 'seeds', 'demo');
const AS_OF = ['--as-of', '2022-08-05'];
let data: string;

beforeAll(async () => {
  data = tempDir('tracegraph-cli-quarantine-');
  const imported = await runCli(['import', DEMO, '--data', data]);
  expect(imported.code).toBe(0);
}, 300_000);
afterAll(() => removeTemp(data));

async function report(...args: string[]): Promise<string> {
  const result = await runCli(['report', ...args, '--data', data]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

test('report --format csv gives each contact its placement; those due for release are at their site, last', async () => {
  const csv = await report('--format', 'csv', ...AS_OF);
  expect(csv.split('\n')[0]).toBe(QUARANTINE_COLUMNS.join(','));
  expect(QUARANTINE_COLUMNS.indexOf('placement')).toBe(QUARANTINE_COLUMNS.indexOf('assigned_site') + 1);
  const rows = rowsOf(csv);
  const placements = new Set(rows.map((r) => r.placement));
  expect([...placements].sort()).toEqual(['completed', 'home', 'monitoring', 'site', 'waiting']);
  for (const [id, ended] of [
    ['P0000193', '2022-08-04'],
    ['P0000603', '2022-08-05'],
  ] as const) {
    const row = rows.find((r) => r.person_id === id)!;
    expect(row).toMatchObject({ assigned_site: 'QS001', placement: 'completed', release_on: ended });
    expect(row.reasons).toMatch(
      new RegExp(`; quarantine ended on ${ended}, still at QS001: due for release$`),
    );
  }
  // The list's 10 at QS001 are the 10 beds it counts as taken.
  expect(rows.filter((r) => r.assigned_site === 'QS001')).toHaveLength(10);
  // A site only with placement site, or completed (still there).
  for (const r of rows) if (r.assigned_site) expect(['site', 'completed']).toContain(r.placement);
  // Every completed contact after every other, in priority order 1, 2, 3, …
  expect(rows.map((r) => Number(r.priority))).toEqual(rows.map((_, i) => i + 1));
  const firstCompleted = rows.findIndex((r) => r.placement === 'completed');
  expect(firstCompleted).toBeGreaterThan(0);
  expect(rows.slice(firstCompleted).every((r) => r.placement === 'completed')).toBe(true);

  // Narrowed to a case, the list is rendered from the whole report: the same rows.
  const narrowed = rowsOf(await report('--format', 'csv', ...AS_OF, '--cases', 'P0000941'));
  expect(narrowed.length).toBeGreaterThan(0);
  const whole = new Map(rows.map((r) => [r.person_id, r]));
  for (const row of narrowed) expect(row).toEqual(whole.get(row.person_id));
}, 120_000);

test('report --format json, md and html count the beds due for release at each site', async () => {
  const json = JSON.parse(await report('--format', 'json', ...AS_OF)) as AnalysisReport;
  expect(json.quarantineSites).toEqual([
    { id: 'QS001', capacity: 10, occupied: 10, assigned: 0, dueForRelease: 2 },
  ]);
  // The JSON says what the CSV says: completed, still at QS001.
  expect(json.contacts.find((c) => c.personId === 'P0000193')).toMatchObject({
    assignedSiteId: 'QS001',
    placement: 'completed',
  });
  expect(json.summary).toMatchObject({ quarantineBeds: 10, occupiedBeds: 10, dueForReleaseBeds: 2 });
  const md = await report('--format', 'md', ...AS_OF);
  expect(md).toContain(
    '| Quarantine beds taken | 10 / 10 (10 already occupied, 2 of them due for release; 0 assigned by the plan, not yet at the site) |',
  );
  expect(md).toContain('| Quarantine site | Beds | Occupied | Due for release | Assigned | Free |');
  expect(md).toMatch(/\n\| QS001 [^\n]*\| 10 \| 10 \| 2 \| 0 \| 0 \|\n/);
  const html = await report('--format', 'html', ...AS_OF);
  expect(html).toContain(
    'quarantine beds taken (10 already occupied, 2 of them due for release; 0 assigned by the plan, not yet at the site)',
  );
  expect(html).toMatch(
    /<td class="num">10<\/td><td class="num">10<\/td><td class="num">2<\/td><td class="num">0<\/td><td class="num">0<\/td><\/tr>/,
  );

  // On the day of the latest case, the beds are as they were: 8 of the 10 assigned by the plan, not yet at the site.
  const latest = JSON.parse(await report('--format', 'json')) as AnalysisReport;
  expect(latest.quarantineSites).toEqual([
    { id: 'QS001', capacity: 10, occupied: 0, assigned: 8, dueForRelease: 0 },
  ]);
  expect(latest.summary).toMatchObject({
    quarantineBeds: 10,
    occupiedBeds: 0,
    assignedBeds: 8,
    dueForReleaseBeds: 0,
  });
}, 120_000);

test("the same report's chain from the fishing port names the setting on its root link, as the candidate does", async () => {
  const json = JSON.parse(await report('--format', 'json')) as AnalysisReport;
  const chain = json.chains.find((c) => c.id === 'chain-P0000523')!;
  expect(chain.links[0]).toMatchObject({ from: 'FP001', fromKind: 'place', setting: 'place:fishing_port' });
  const root = json.cases.find((c) => c.personId === 'P0000523')!;
  expect(root.candidates.find((k) => k.id === 'FP001')!.setting).toBe('place:fishing_port');
});

test('start counts the beds due for release in its summary line, and says nothing of them when there are none', async () => {
  // The demo district with the cases confirmed by 5 August only: start's summary is as of that day.
  const folder = tempDir('tracegraph-cli-start-due-');
  try {
    const bundle = path.join(folder, 'bundle');
    cpSync(DEMO, bundle, { recursive: true });
    const [header, ...cases] = readFileSync(path.join(bundle, 'cases.csv'), 'utf8').trimEnd().split('\n');
    const byThe5th = cases.filter((line) => line.split(',')[3]! < '2022-08-06');
    expect(byThe5th).toHaveLength(7);
    writeFileSync(path.join(bundle, 'cases.csv'), [header, ...byThe5th].join('\n') + '\n');
    const started = await runCli([
      '--data',
      path.join(folder, 'data'),
      'start',
      '--bundle',
      bundle,
      '--no-serve',
    ]);
    expect(started.code).toBe(0);
    // As of the end of the 5th, told as the district's clock shows it.
    expect(started.stdout).toContain('\nas of 2022-08-05 23:59: 7 cases');
    // The report's 10 beds at QS001, 2 of them held by P0000193 and P0000603 after their quarantine.
    expect(started.stdout).toContain('; 10/10 quarantine beds taken (2 due for release); ');

    const latest = await runCli(['--data', data, 'start', '--no-serve']);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toContain('; 8/10 quarantine beds taken; ');
  } finally {
    removeTemp(folder);
  }
}, 120_000);
