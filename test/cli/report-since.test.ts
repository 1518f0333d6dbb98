/**
 * `tracegraph report --since`: on the demo district, the changes from 11 to 12 August are what
 * the two days' own reports differ by, worked out here from those two JSON documents; the rest
 * of the report is the plain report of the 12th. Refusals name the flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisReport, ReportChanges } from '../../src/analysis/report-model';
import { removeTemp, tempDir } from '../import/temp-bundle';
import { ROOT, runCli } from './run-cli';

const DEMO = path.join(ROOT, 'seeds', 'demo');
let data: string;

beforeAll(async () => {
  data = tempDir('tracegraph-cli-since-');
  const imported = await runCli(['import', DEMO, '--data', data]);
  expect(imported.code).toBe(0);
}, 300_000);
afterAll(() => removeTemp(data));

async function reportJson(...args: string[]): Promise<AnalysisReport> {
  const result = await runCli(['report', '--format', 'json', ...args, '--data', data]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as AnalysisReport;
}

/** The changes between two whole reports, from their cases, contacts and risk areas. */
function expectedChanges(
  then: AnalysisReport,
  now: AnalysisReport,
): Omit<ReportChanges, 'since' | 'summaryThen'> {
  const ids = (...lists: { personId?: string; placeId?: string }[][]) =>
    [...new Set(lists.flat().map((x) => (x.personId ?? x.placeId)!))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
  const casesThen = new Map(then.cases.map((c) => [c.personId, c]));
  const casesNow = new Map(now.cases.map((c) => [c.personId, c]));
  const contactsThen = new Map(then.contacts.map((c) => [c.personId, c]));
  const contactsNow = new Map(now.contacts.map((c) => [c.personId, c]));
  const areasThen = new Map(then.riskAreas.map((a) => [a.placeId, a.level]));
  const areasNow = new Map(now.riskAreas.map((a) => [a.placeId, a.level]));
  const result: Omit<ReportChanges, 'since' | 'summaryThen'> = {
    newCases: [],
    reclassifiedCases: [],
    newContacts: [],
    tierChanges: [],
    leftContacts: [],
    placementChanges: [],
    riskAreaChanges: [],
  };
  for (const id of ids(now.cases)) {
    const c = casesNow.get(id)!;
    const before = casesThen.get(id);
    if (!before)
      result.newCases.push({
        personId: id,
        classification: c.classification,
        tierThen: contactsThen.get(id)?.tier ?? null,
      });
    else if (before.classification !== c.classification)
      result.reclassifiedCases.push({ personId: id, from: before.classification, to: c.classification });
  }
  for (const id of ids(then.contacts, now.contacts)) {
    const a = contactsThen.get(id);
    const b = contactsNow.get(id);
    if (!a)
      result.newContacts.push({
        personId: id,
        tier: b!.tier,
        placement: b!.placement,
        siteId: b!.assignedSiteId,
      });
    else if (!b) result.leftContacts.push({ personId: id, tierThen: a.tier, becameCase: casesNow.has(id) });
    else {
      if (a.tier !== b.tier) result.tierChanges.push({ personId: id, from: a.tier, to: b.tier });
      if (a.placement !== b.placement || a.assignedSiteId !== b.assignedSiteId)
        result.placementChanges.push({
          personId: id,
          from: { placement: a.placement, siteId: a.assignedSiteId },
          to: { placement: b.placement, siteId: b.assignedSiteId },
        });
    }
  }
  for (const id of ids(then.riskAreas, now.riskAreas)) {
    const from = areasThen.get(id) ?? null;
    const to = areasNow.get(id) ?? null;
    if (from !== to) result.riskAreaChanges.push({ placeId: id, from, to });
  }
  return result;
}

test('report --since gives what changed from the earlier day, and is otherwise the plain report', async () => {
  const then = await reportJson('--as-of', '2022-08-11');
  const now = await reportJson('--as-of', '2022-08-12');
  const withChanges = await reportJson('--as-of', '2022-08-12', '--since', '2022-08-11');

  const { changes, ...rest } = withChanges;
  expect(rest).toEqual(now);
  // Placed right after the summary it compares with.
  expect(Object.keys(withChanges).slice(0, 4)).toEqual(['asOf', 'parameters', 'summary', 'changes']);
  const { since, summaryThen, ...lists } = changes!;
  expect(since).toBe(then.asOf);
  expect(summaryThen).toEqual(then.summary);
  expect(lists).toEqual(expectedChanges(then, now));
  // The demo's 12 August: one new case, a close contact the day before; one area declared.
  expect(changes!.newCases).toEqual([
    { personId: 'P0000526', classification: 'asymptomatic', tierThen: 'close_contact' },
  ]);
  expect(changes!.riskAreaChanges).toEqual([{ placeId: 'TS005', from: null, to: 'medium' }]);
  expect(changes!.placementChanges.length).toBeGreaterThan(0);
}, 300_000);

test('report --since over several days counts what changed over all of them', async () => {
  const then = await reportJson('--as-of', '2022-08-08T12:00:00+08:00');
  const now = await reportJson('--as-of', '2022-08-12');
  const { changes } = await reportJson('--as-of', '2022-08-12', '--since', '2022-08-08T12:00:00+08:00');
  const { since, summaryThen, ...lists } = changes!;
  expect(since).toBe('2022-08-08T12:00:00+08:00');
  expect(since).toBe(then.asOf);
  expect(summaryThen).toEqual(then.summary);
  expect(lists).toEqual(expectedChanges(then, now));
  expect(lists.newCases.length).toBe(now.summary.cases - then.summary.cases);
}, 300_000);

test('report --since is refused, naming the flag, when not before --as-of, unreadable, or with csv', async () => {
  const out = path.join(data, 'briefing.json');
  for (const [args, message] of [
    [
      ['--as-of', '2022-08-11', '--since', '2022-08-11'],
      /^--since: "2022-08-11" \(2022-08-11T23:59:59\.999\+08:00\) is not before the report's as-of instant 2022-08-11T23:59:59\.999\+08:00\n$/,
    ],
    [['--since', '2022-08-32'], /^--since: "2022-08-32" is not /],
    [
      ['--format', 'csv', '--since', '2022-08-11'],
      /^--since: the CSV quarantine list does not show changes; use --format html, md or json\n$/,
    ],
  ] as const) {
    const result = await runCli(['report', ...args, '--out', out, '--data', data]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  }
}, 300_000);

test('report --format md and html --since show the changes after the summary', async () => {
  for (const format of ['md', 'html']) {
    const result = await runCli([
      'report',
      '--format',
      format,
      '--as-of',
      '2022-08-12',
      '--since',
      '2022-08-11',
      '--data',
      data,
    ]);
    expect(result.code).toBe(0);
    const page = result.stdout;
    const summary = page.indexOf(format === 'md' ? '## District summary' : '<section id="summary">');
    const section = page.indexOf(
      format === 'md' ? '## Since 2022-08-11 23:59' : '<section id="changes"><h2>Since 2022-08-11 23:59</h2>',
    );
    expect(summary).toBeGreaterThan(-1);
    expect(section).toBeGreaterThan(summary);
    expect(page.indexOf('New cases (1)', section)).toBeGreaterThan(section);
    expect(page.indexOf('P0000526', section)).toBeGreaterThan(section);
    expect(page.indexOf('declared medium risk', section)).toBeGreaterThan(section);
  }
}, 300_000);
