/**
 * What `tracegraph report` writes, run as a user would (bin/tracegraph.js), on the fixture
 * district with a person named like the market, a case's stay at its home, and a cold storage
 * that a positive swab contaminated, where only P6, no case, was: `--role cdc` masks persons and
 * homes and no place else; `--cases` with every case keeps every contact.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { maskName } from '../../src/domain/masking';
import { bundleFrom, FIXTURE_BUNDLES, removeTemp, tempDir } from '../import/temp-bundle';
import { runCli } from './run-cli';

const MARKET = '崖州海鲜市场 Yazhou Seafood Market';
const HOME = '保港社区3栋201';
/** Named in no cdc report: P1, P2 and P3 of the district, and P6 (P5's name is part of the market's). */
const PERSONS = ['陈大明', '陈小红', 'Li Wei', '周雪'];

/** The district's file with `change` made to its rows (the header and any BOM kept). */
function districtFile(file: string, change: (rows: string[]) => string[]): string {
  const [header, ...rows] = readFileSync(path.join(FIXTURE_BUNDLES, 'district', file), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean);
  return [header, ...change(rows)].join('\n') + '\n';
}

const temps: string[] = [];
let data: string;
beforeAll(async () => {
  const bundle = bundleFrom('district', {
    'persons.csv': districtFile('persons.csv', (rows) => [
      ...rows,
      'P5,Seafood Market,F,50,13900005555,,,,',
      'P6,周雪,F,33,13900006666,,,,',
    ]),
    'places.csv': districtFile('places.csv', (rows) =>
      rows.map((row) =>
        row.startsWith('H1,')
          ? `H1,${HOME},home,,,`
          : row.startsWith('MKT,')
            ? `MKT,${MARKET},market,,,`
            : row,
      ),
    ),
    'samples.csv': districtFile('samples.csv', (rows) => [
      ...rows,
      'COLD,2022-08-04T12:00:00+08:00,positive,pcr,31',
    ]),
    'stays.csv': districtFile('stays.csv', (rows) => [
      ...rows,
      '2022-07-31T20:00:00+08:00,2022-08-01T07:00:00+08:00,P1,H1',
      '2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00,P5,MKT',
      '2022-08-04T09:00:00+08:00,2022-08-04T11:00:00+08:00,P6,COLD',
    ]),
  });
  temps.push(bundle);
  data = tempDir('tracegraph-cli-content-');
  temps.push(data);
  const imported = await runCli(['import', bundle, '--data', data]);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}, 300_000);
afterAll(() => temps.forEach(removeTemp));

async function jsonReport(...args: string[]): Promise<AnalysisReport> {
  const result = await runCli(['report', '--format', 'json', ...args, '--data', data]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as AnalysisReport;
}

describe('report --role cdc', () => {
  test('masks persons and homes wherever they are named, and leaves the market named like a person', async () => {
    const plain = await jsonReport();
    expect(plain.entities.P5!.name).toBe('Seafood Market');
    expect(JSON.stringify(plain)).toContain(`at ${HOME} (home)`);
    expect(plain.cases[0]!.timeline.filter((e) => e.label.includes(MARKET))).toHaveLength(1);

    const masked = await jsonReport('--role', 'cdc');
    expect(masked.entities.P5!.name).toBe(maskName('Seafood Market'));
    expect(masked.entities.H1!.name).toBe(maskName(HOME));
    expect(masked.entities.MKT!.name).toBe(MARKET);
    expect(masked.cases[0]!.timeline.filter((e) => e.label.includes(MARKET))).toHaveLength(1);
    for (const format of ['json', 'html', 'md', 'csv']) {
      const result = await runCli(['report', '--format', format, '--role', 'cdc', '--data', data]);
      expect([format, result.code]).toEqual([format, 0]);
      for (const name of [HOME, ...PERSONS])
        expect([format, name, result.stdout.includes(name)]).toEqual([format, name, false]);
      if (format !== 'csv') expect([format, result.stdout.includes(MARKET)]).toEqual([format, true]);
    }
  });
});

describe('report --cases', () => {
  test('with every case gives the contacts of no selection, the one exposed only at a contaminated place too', async () => {
    const whole = await jsonReport();
    const p6 = whole.contacts.find((c) => c.personId === 'P6')!;
    expect(p6.evidence.map((e) => [e.sourceKind, e.sourceId])).toEqual([['place', 'COLD']]);
    const caseIds = whole.cases.map((c) => c.personId);
    expect(caseIds.length).toBeGreaterThan(1);

    const everyCase = await jsonReport('--cases', caseIds.join(','));
    expect(everyCase.contacts).toEqual(whole.contacts);
    const csv = await runCli(['report', '--format', 'csv', '--cases', caseIds.join(','), '--data', data]);
    const wholeCsv = await runCli(['report', '--format', 'csv', '--data', data]);
    const ids = (text: string) =>
      (parse(text, { columns: true }) as { person_id: string }[]).map((r) => r.person_id);
    expect(ids(csv.stdout)).toEqual(ids(wholeCsv.stdout));
    expect(ids(csv.stdout)).toContain('P6');
  });
});

describe('whose close contact', () => {
  test('the JSON names the sources that make each contact a close contact, the CSV the same in close_contact_of', async () => {
    const { contacts } = await jsonReport();
    // P6 was at the contaminated cold storage alone: its close contact, through no case.
    const p6 = contacts.find((c) => c.personId === 'P6')!;
    expect([p6.tier, p6.closeContactOf, p6.closeContactsMet]).toEqual(['close_contact', ['COLD'], []]);
    for (const c of contacts) {
      if (c.tier !== 'close_contact') expect([c.personId, c.closeContactOf]).toEqual([c.personId, []]);
      if (c.tier !== 'contact_of_close_contact')
        expect([c.personId, c.closeContactsMet]).toEqual([c.personId, []]);
    }
    const csv = await runCli(['report', '--format', 'csv', '--data', data]);
    const rows = parse(csv.stdout, { columns: true }) as { person_id: string; close_contact_of: string }[];
    expect(Object.fromEntries(rows.map((r) => [r.person_id, r.close_contact_of]))).toEqual(
      Object.fromEntries(contacts.map((c) => [c.personId, c.closeContactOf.join(';')])),
    );
  });
});

describe('report --capacity', () => {
  test('the summary gives the beds under the cap, in the JSON, the HTML and the Markdown', async () => {
    // QH1, the district's one quarantine site, has 50 beds (places.csv).
    expect((await jsonReport()).summary.quarantineBeds).toBe(50);
    const { summary } = await jsonReport('--capacity', '1');
    expect(summary.quarantineBeds).toBe(1);
    const taken = summary.occupiedBeds + summary.assignedBeds;
    expect(taken).toBe(1);
    const page = async (format: string) => {
      const result = await runCli(['report', '--format', format, '--capacity', '1', '--data', data]);
      expect([format, result.code, result.stderr]).toEqual([format, 0, '']);
      return result.stdout;
    };
    expect(await page('html')).toContain(
      `<div class="value">${taken} / 1</div><div class="label">quarantine beds taken`,
    );
    expect(await page('md')).toContain(`| Quarantine beds taken | ${taken} / 1 (`);
  });
});
