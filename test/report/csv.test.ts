import { parse } from 'csv-parse/sync';
import {
  type AnalysisReport,
  type ContactReport,
  type LazyAnalysisReport,
} from '../../src/analysis/report-model';
import { QUARANTINE_COLUMNS, renderQuarantineCsv, streamQuarantineCsv } from '../../src/report/csv';
import type { TextSink } from '../../src/report/stream';
import { byPriority } from '../../src/report/view';
import { analysisReportFixture, crowdedReportFixture } from './fixtures';

/** The report with its contacts, in priority order, given one at a time as a lazy report's are. */
function lazily(report: AnalysisReport): LazyAnalysisReport {
  const contacts = [...report.contacts].sort(byPriority);
  return {
    ...report,
    contacts: {
      *[Symbol.iterator]() {
        yield* contacts;
      },
    },
  };
}

async function streamed(
  report: AnalysisReport | LazyAnalysisReport,
  options: Parameters<typeof streamQuarantineCsv>[2] = {},
): Promise<{ text: string; writes: number }> {
  const chunks: string[] = [];
  const sink: TextSink = { write: (chunk) => Promise.resolve(void chunks.push(chunk)) };
  await streamQuarantineCsv(report, sink, options);
  return { text: chunks.join(''), writes: chunks.length };
}

describe('renderQuarantineCsv', () => {
  it('has one row per contact in priority order, masked names and phones with mask on', () => {
    const csv = renderQuarantineCsv(analysisReportFixture(), { mask: true });
    expect(csv.split('\n')).toEqual([
      'person_id,name,phone,tier,priority,score,probability,assigned_site,placement,release_on,home_monitoring_until,pcr_dates,close_contact_of,reasons',
      'K01,何**,138****1234,close_contact,1,0.61,0.42,QS01,site,2022-08-06,2022-08-09,2022-07-31;2022-08-01;2022-08-02;2022-08-04;2022-08-06,P01,crew of B01 with P01 for 8h (boat attack rate 85%); age 67',
      'K02,陈**,150****5678,close_contact,2,0.45,0.38,QS01,site,2022-08-12,2022-08-15,2022-08-06;2022-08-07;2022-08-08;2022-08-10;2022-08-12,P03,household of P03 (household attack rate 42.7%)',
      'K03,赵*,151****4321,close_contact,3,0.33,0.21,QS02,site,2022-08-08,2022-08-11,2022-08-02;2022-08-03;2022-08-04;2022-08-06;2022-08-08,P07,"same shift at Yazhou cold storage as P07, 9h"',
      'K06,孙*,861******3333,close_contact,4,0.14,0.12,QS01,site,2022-08-13,2022-08-16,2022-08-07;2022-08-08;2022-08-09;2022-08-11;2022-08-13,P09,social contact with P09 for 2h',
      'K04,何**,152****1111,contact_of_close_contact,5,0.07,0.06,,home,2022-08-09,,2022-08-03;2022-08-06;2022-08-09,,household of close contact K01',
      'K05,Z********,,venue_exposed,6,0.05,0.04,,monitoring,,,2022-08-04;2022-08-06,,at Yazhou market with P02 for 40 min (venue exposure)',
      '',
    ]);
  });

  it("writes each contact's placement in the plan right after its site", () => {
    const fixture = analysisReportFixture();
    // As the plan has it for a contact whose quarantine is over but who is still at a site.
    fixture.contacts.find((c) => c.personId === 'K01')!.placement = 'completed';
    const rows = parse(renderQuarantineCsv(fixture), { columns: true }) as Record<string, string>[];
    expect(QUARANTINE_COLUMNS.indexOf('placement')).toBe(QUARANTINE_COLUMNS.indexOf('assigned_site') + 1);
    expect(rows.map((r) => [r.person_id, r.assigned_site, r.placement])).toEqual([
      ['K01', 'QS01', 'completed'],
      ['K02', 'QS01', 'site'],
      ['K03', 'QS02', 'site'],
      ['K06', 'QS01', 'site'],
      ['K04', '', 'home'],
      ['K05', '', 'monitoring'],
    ]);
  });

  it('gives names and phones as they are without mask, and reads back with a CSV parser', () => {
    const csv = renderQuarantineCsv(analysisReportFixture());
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...QUARANTINE_COLUMNS]);
    expect(rows.map((r) => [r.person_id, r.name, r.phone])).toEqual([
      ['K01', '何海生', '13812341234'],
      ['K02', '陈小明', '15012345678'],
      ['K03', '赵磊', '15187654321'],
      // A leading "+" starts a formula in a spreadsheet: the phone is written as text.
      ['K06', '孙悦', "'+86 186 2222 3333"],
      ['K04', '何秀英', '15200001111'],
      ['K05', 'Zhang Wei', ''],
    ]);
    expect(rows[2]!.reasons).toBe('same shift at Yazhou cold storage as P07, 9h');
  });

  it('quotes a cell with a carriage return or a line feed, so that no reader splits its row', async () => {
    const report = analysisReportFixture();
    report.entities.K01!.name = '周\r雪';
    report.entities.K02!.name = '陈\n小明';
    report.contacts.find((c) => c.personId === 'K03')!.reasons = 'same shift\r\nat the cold storage';
    const csv = renderQuarantineCsv(report);
    expect(csv).toContain(',"周\r雪",');
    expect(csv).toContain(',"陈\n小明",');
    expect(csv).toContain(',"same shift\r\nat the cold storage"\n');
    // Read back by a parser that takes a bare CR as the end of a row, as many do.
    const rows = parse(csv, { columns: true, record_delimiter: ['\n', '\r'] }) as Record<string, string>[];
    expect(rows).toHaveLength(report.contacts.length);
    expect(rows.map((r) => r.name).slice(0, 2)).toEqual(['周\r雪', '陈\n小明']);
    // Streamed, the same text.
    expect((await streamed(lazily(report))).text).toBe(csv);
  });

  it('breaks priority ties by person id, rounds to three decimals, and starts with a BOM when asked', () => {
    const fixture = analysisReportFixture();
    fixture.contacts = fixture.contacts.filter((c) => c.personId === 'K02' || c.personId === 'K01');
    for (const c of fixture.contacts) c.priority = 1;
    fixture.contacts[0]!.score = 0.123456;
    const csv = renderQuarantineCsv(fixture, { bom: true });
    expect(csv.startsWith('\uFEFFperson_id,')).toBe(true);
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.person_id, r.score])).toEqual([
      ['K01', '0.123'],
      ['K02', '0.45'],
    ]);
  });

  it('gives a score or probability that three decimals would show as 0 two significant digits', () => {
    const fixture = analysisReportFixture();
    fixture.contacts = fixture.contacts.filter((c) => c.personId === 'K02' || c.personId === 'K01');
    fixture.contacts[0]!.probability = 0.000434;
    fixture.contacts[0]!.score = 0.000151;
    fixture.contacts[1]!.probability = 0.61234;
    const rows = parse(renderQuarantineCsv(fixture), { columns: true }) as Record<string, string>[];
    const byId = new Map(rows.map((r) => [r.person_id, [r.score, r.probability]]));
    expect(byId.get(fixture.contacts[0]!.personId)).toEqual(['0.00015', '0.00043']);
    expect(byId.get(fixture.contacts[1]!.personId)![1]).toBe('0.612');
  });

  it('writes as text every cell a spreadsheet would run as a formula, and no other', () => {
    const fixture = analysisReportFixture();
    const [first, second] = [...fixture.contacts].sort(byPriority) as [ContactReport, ContactReport];
    const hostile = ['=HYPERLINK("http://x.example","open")', '+1+1', '-2+3', '@SUM(1)', '\t=1', '\r=1'];
    fixture.entities[first.personId]!.name = hostile[0]!;
    fixture.entities[first.personId]!.phone = hostile[1]!;
    fixture.entities[second.personId]!.name = hostile[2]!;
    fixture.entities[second.personId]!.phone = hostile[3]!;
    first.assignedSiteId = hostile[4]!;
    second.reasons = hostile[5]!;
    const rows = parse(renderQuarantineCsv(fixture), { columns: true }) as Record<string, string>[];
    expect([rows[0]!.name, rows[0]!.phone, rows[1]!.name, rows[1]!.phone, rows[0]!.assigned_site]).toEqual(
      hostile.slice(0, 5).map((cell) => `'${cell}`),
    );
    expect(rows[1]!.reasons).toBe(`'${hostile[5]}`);
    // The full-width equals sign a Chinese input method types starts a formula too.
    second.assignedSiteId = '＝1+1';
    const wide = parse(renderQuarantineCsv(fixture), { columns: true }) as Record<string, string>[];
    expect(wide[1]!.assigned_site).toBe("'＝1+1");
    // Everything else as it was: a formula sign inside a cell is harmless, and stays.
    const plain = parse(renderQuarantineCsv(analysisReportFixture()), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.slice(2)).toEqual(plain.slice(2));
    expect(rows[0]!.priority).toBe(plain[0]!.priority);
    expect(rows[0]!.reasons).toBe(plain[0]!.reasons);
  });

  it('has only the header for a report with no contacts', () => {
    const fixture = analysisReportFixture();
    fixture.contacts = [];
    expect(renderQuarantineCsv(fixture)).toBe(`${QUARANTINE_COLUMNS.join(',')}\n`);
  });
});

describe('streamQuarantineCsv', () => {
  it.each([{}, { mask: true }, { bom: true }, { mask: true, bom: true }])(
    'writes the text renderQuarantineCsv gives, from a lazy report or a whole one (%o)',
    async (options) => {
      const report = analysisReportFixture();
      const expected = renderQuarantineCsv(report, options);
      expect((await streamed(lazily(report), options)).text).toBe(expected);
      // A whole report's contacts (not in priority order here) are sorted first, as rendering does.
      expect(report.contacts.map((c) => c.priority)).not.toEqual([1, 2, 3, 4, 5, 6]);
      expect((await streamed(report, options)).text).toBe(expected);
    },
  );

  it('writes a batch of rows at a time, and only the header when there are no contacts', async () => {
    const crowded = crowdedReportFixture(600);
    const { text, writes } = await streamed(lazily(crowded), { mask: true });
    expect(text).toBe(renderQuarantineCsv(crowded, { mask: true }));
    // The header, then 606 rows in batches of 256.
    expect(writes).toBe(1 + 3);
    const empty = analysisReportFixture();
    empty.contacts = [];
    expect((await streamed(lazily(empty))).text).toBe(`${QUARANTINE_COLUMNS.join(',')}\n`);
  });

  it('refuses lazy contacts out of priority order, naming the two', async () => {
    const report = analysisReportFixture();
    const contacts = report.contacts; // priorities 6, 1, …
    const outOfOrder: LazyAnalysisReport = {
      ...report,
      contacts: {
        *[Symbol.iterator]() {
          yield* contacts;
        },
      },
    };
    await expect(streamed(outOfOrder)).rejects.toThrow(
      'quarantine list: contact K01 (priority 1) comes after K05 (priority 6)',
    );
  });
});
