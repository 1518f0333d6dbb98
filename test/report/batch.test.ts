import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { terminalProgress, writeReport } from '../../src/report/batch';
import { analysisReportFixture, crowdedReportFixture } from './fixtures';

describe('writeReport', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an HTML file for a list of cases, reports the unknown id and still renders the rest', async () => {
    const progress: string[] = [];
    const out = path.join(dir, 'reports', 'batch.html');
    const result = await writeReport(analysisReportFixture(), {
      format: 'html',
      caseIds: ['P02', 'X1', 'P05'],
      out,
      onProgress: (done, total, id) => progress.push(`${done}/${total} ${id}`),
    });
    expect(result).toEqual({
      problems: ['unknown case id "X1": not a case in this report (as of 2022-08-10 20:00)'],
      file: out,
    });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('unknown case id &quot;X1&quot;');
    expect(html.match(/<article class="case"/g)).toHaveLength(2);
    expect(progress).toEqual(['1/2 P02', '2/2 P05']);
    // Only the report is left in the folder: the partial file was renamed.
    expect(readdirSync(path.dirname(out))).toEqual(['batch.html']);
  });

  it('names a file it cannot write and leaves no partial file beside it', async () => {
    const out = path.join(dir, 'taken');
    mkdirSync(out); // a folder stands where the file should go: the rename fails
    await expect(writeReport(analysisReportFixture(), { format: 'md', out })).rejects.toThrow(out);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('caps the contacts of the HTML at maxContacts while the CSV keeps every contact', async () => {
    const report = crowdedReportFixture(30);
    const html = await writeReport(report, { format: 'html', maxContacts: 5 });
    expect(html.text).toContain('5 of 36 shown');
    const csv = await writeReport(report, { format: 'csv', maxContacts: 5 });
    // Header, 36 contacts, the final newline.
    expect(csv.text!.split('\n')).toHaveLength(38);
    const json = await writeReport(report, { format: 'json', maxContacts: 5 });
    expect((JSON.parse(json.text!) as { contacts: unknown[] }).contacts).toHaveLength(36);
  });

  it('returns the text for stdout when no file is given', async () => {
    const result = await writeReport(analysisReportFixture(), { format: 'md', caseIds: ['P09'] });
    expect(result.problems).toEqual([]);
    expect(result.file).toBeUndefined();
    expect(result.text).toContain('### Chain C3');
    expect(result.text).not.toContain('### Chain C1');
  });

  it('writes the quarantine CSV of the selected cases with a BOM for spreadsheets, masked when asked', async () => {
    const out = path.join(dir, 'quarantine.csv');
    const progress: string[] = [];
    const result = await writeReport(analysisReportFixture(), {
      format: 'csv',
      caseIds: ['P01', 'nobody'],
      out,
      mask: true,
      onProgress: (done, total, id) => progress.push(`${done}/${total} ${id}`),
    });
    expect(result.problems).toHaveLength(1);
    expect(readFileSync(out, 'utf8').split('\n')).toEqual([
      '\uFEFFperson_id,name,phone,tier,priority,score,probability,assigned_site,placement,release_on,home_monitoring_until,pcr_dates,close_contact_of,reasons',
      'K01,何**,138****1234,close_contact,1,0.61,0.42,QS01,site,2022-08-06,2022-08-09,2022-07-31;2022-08-01;2022-08-02;2022-08-04;2022-08-06,P01,crew of B01 with P01 for 8h (boat attack rate 85%); age 67',
      'K04,何**,152****1111,contact_of_close_contact,5,0.07,0.06,,home,2022-08-09,,2022-08-03;2022-08-06;2022-08-09,,household of close contact K01',
      '',
    ]);
    expect(progress).toEqual(['1/1 P01']);
  });

  it('prints JSON of all cases to stdout without a BOM and counts every case', async () => {
    let calls = 0;
    const result = await writeReport(analysisReportFixture(), { format: 'json', onProgress: () => calls++ });
    expect(result.text).toBe(`${JSON.stringify(analysisReportFixture())}\n`);
    expect(calls).toBe(9);
    const pretty = await writeReport(analysisReportFixture(), { format: 'json', pretty: true });
    expect(pretty.text).toBe(`${JSON.stringify(analysisReportFixture(), null, 2)}\n`);
  });

  it('refuses an unknown format', async () => {
    await expect(
      writeReport(analysisReportFixture(), { format: 'pdf' as unknown as 'html' }),
    ).rejects.toThrow('unknown report format "pdf": use one of html, md, csv, json');
  });
});

describe('terminalProgress', () => {
  it('has no progress callback when the stream is not a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(stream);
    expect(progress.onProgress).toBeUndefined();
    expect(() => progress.stop()).not.toThrow();
  });

  it('draws a bar on a terminal', () => {
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 80,
      cursorTo() {},
      clearLine() {},
      moveCursor() {},
    });
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const progress = terminalProgress(stream as unknown as NodeJS.WriteStream);
    progress.onProgress!(1, 2, 'P01');
    progress.onProgress!(2, 2, 'P02');
    progress.stop();
    expect(written).toContain('2/2 P02');
  });
});
