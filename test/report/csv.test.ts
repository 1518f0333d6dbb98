import { parse } from 'csv-parse/sync';
import { QUARANTINE_COLUMNS, renderQuarantineCsv } from '../../src/report/csv';
import { analysisReportFixture } from './fixtures';

describe('renderQuarantineCsv', () => {
  it('has one row per contact in priority order, masked names and phones with mask on', () => {
    const csv = renderQuarantineCsv(analysisReportFixture(), { mask: true });
    expect(csv.split('\n')).toEqual([
      'person_id,name,phone,tier,priority,score,probability,assigned_site,release_on,home_monitoring_until,pcr_dates,reasons',
      'K01,何**,138****1234,close_contact,1,0.61,0.42,QS01,2022-08-06,2022-08-09,2022-07-31;2022-08-01;2022-08-02;2022-08-04;2022-08-06,crew of B01 with P01 for 8h (boat attack rate 85%); age 67',
      'K02,陈**,150****5678,close_contact,2,0.45,0.38,QS01,2022-08-12,2022-08-15,2022-08-06;2022-08-07;2022-08-08;2022-08-10;2022-08-12,household of P03 (household attack rate 42.7%)',
      'K03,赵*,151****4321,close_contact,3,0.33,0.21,QS02,2022-08-08,2022-08-11,2022-08-02;2022-08-03;2022-08-04;2022-08-06;2022-08-08,"same shift at Yazhou cold storage as P07, 9h"',
      'K06,孙*,861******3333,close_contact,4,0.14,0.12,QS01,2022-08-13,2022-08-16,2022-08-07;2022-08-08;2022-08-09;2022-08-11;2022-08-13,social contact with P09 for 2h',
      'K04,何**,152****1111,contact_of_close_contact,5,0.07,0.06,,2022-08-09,,2022-08-03;2022-08-06;2022-08-09,household of close contact K01',
      'K05,Z********,,venue_exposed,6,0.05,0.04,,,,2022-08-04;2022-08-06,at Yazhou market with P02 for 40 min (venue exposure)',
      '',
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
      ['K06', '孙悦', '+86 186 2222 3333'],
      ['K04', '何秀英', '15200001111'],
      ['K05', 'Zhang Wei', ''],
    ]);
    expect(rows[2]!.reasons).toBe('same shift at Yazhou cold storage as P07, 9h');
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

  it('has only the header for a report with no contacts', () => {
    const fixture = analysisReportFixture();
    fixture.contacts = [];
    expect(renderQuarantineCsv(fixture)).toBe(`${QUARANTINE_COLUMNS.join(',')}\n`);
  });
});
