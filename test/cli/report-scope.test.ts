/**
 * `tracegraph report` refuses, before the analysis and before writing anything, a report that
 * would hold nothing although the store has cases: a mistyped `--as-of` or `--cases` would
 * otherwise give an empty briefing or quarantine list with exit code 0.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { bundleFrom, FIXTURE_BUNDLES, removeTemp, suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';

const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');
const temp = suiteTemps('tracegraph-report-scope-');
const bundles: string[] = [];
afterAll(() => bundles.forEach(removeTemp));

/** A data folder holding the district fixture: P1 confirmed 2022-08-02 20:00, P3 2022-08-05 12:00. */
async function districtData(bundle = DISTRICT): Promise<string> {
  const data = temp();
  expect((await runCli(['import', bundle, '--data', data])).code).toBe(0);
  return data;
}

/** The report in every format with `flags`, each into a fresh folder: refused with `stderr`, exit 1, no file left. */
async function expectRefusedInEveryFormat(data: string, flags: string[], stderr: string): Promise<void> {
  const folder = temp();
  for (const format of ['json', 'html', 'md', 'csv']) {
    const out = path.join(folder, `report.${format}`);
    const result = await runCli(['report', '--format', format, ...flags, '--out', out, '--data', data]);
    expect(result).toEqual({ code: 1, stdout: '', stderr });
  }
  expect(readdirSync(folder)).toEqual([]);
}

describe('report --as-of', () => {
  test('before the first case and the first positive environmental sample is refused naming both, exit 1, nothing written', async () => {
    const data = await districtData();
    await expectRefusedInEveryFormat(
      data,
      ['--as-of', '2021-08-02'],
      '--as-of: "2021-08-02" (2021-08-02 23:59) is before the first case in the store ' +
        '(P1, confirmed 2022-08-02 20:00) and its first positive environmental sample ' +
        '(L1, 2022-08-01 15:00), so the report would be empty; nothing was written\n',
    );

    // L1, a lot, tested positive at 15:00 on 1 August.
    const justBefore = await runCli(['report', '--as-of', '2022-08-01T14:59:00+08:00', '--data', data]);
    expect(justBefore.code).toBe(1);
    expect(justBefore.stderr).toContain('(2022-08-01 14:59) is before the first case in the store (P1,');
  });

  test('after a positive lot but before any case: written, its handler a close contact', async () => {
    const data = await districtData();
    for (const asOf of ['2022-08-01T15:00:00+08:00', '2022-08-02T19:59:00+08:00']) {
      const result = await runCli(['report', '--as-of', asOf, '--data', data]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.summary.cases).toBe(0);
      expect(
        report.contacts.map((c: { personId: string; tier: string; closeContactOf: string[] }) => [
          c.personId,
          c.tier,
          c.closeContactOf,
        ]),
      ).toEqual([['P3', 'close_contact', ['L1']]]);
    }
  });

  test('from the first case on, and on a store with no case at all, the report is written', async () => {
    const data = await districtData();
    const first = await runCli(['report', '--as-of', '2022-08-02T20:00:00+08:00', '--data', data]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).summary.cases).toBe(1);
    // --since may well be before any case: everything is then new.
    const since = await runCli(['report', '--as-of', '2022-08-05', '--since', '2021-01-01', '--data', data]);
    expect(since.code).toBe(0);
    expect(JSON.parse(since.stdout).changes.newCases.map((c: { personId: string }) => c.personId)).toEqual([
      'P1',
      'P3',
    ]);

    const noCases = bundleFrom('district', { 'cases.csv': 'person_id,classification,onset,confirmed_at\n' });
    bundles.push(noCases);
    const empty = await runCli(['report', '--as-of', '2021-08-02', '--data', await districtData(noCases)]);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout).summary.cases).toBe(0);
  });
});

describe('report --cases', () => {
  test('of which no id is a case at the as-of instant is refused naming the flag and the ids, exit 1, nothing written', async () => {
    const data = await districtData();
    await expectRefusedInEveryFormat(
      data,
      ['--cases', 'P9,P2,P9'],
      '--cases: none of "P9", "P2" is a case as of 2022-08-05 23:59, ' +
        'so the report would hold no case; nothing was written\n',
    );
    // P3 is a case from 2022-08-05 12:00 on, not before.
    expect(await runCli(['report', '--cases', 'P3', '--as-of', '2022-08-04', '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '--cases: "P3" is not a case as of 2022-08-04 23:59, so the report would hold no case; nothing was written\n',
    });
  });

  test('with some ids that are cases, the report is written and the others reported on stderr', async () => {
    const data = await districtData();
    const result = await runCli(['report', '--cases', 'P9,P3', '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('unknown case id "P9"');
    expect(JSON.parse(result.stdout).cases.map((c: { personId: string }) => c.personId)).toEqual(['P3']);
  });
});
