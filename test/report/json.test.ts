import { jsonReport, renderJson } from '../../src/report/json';
import { analysisReportFixture } from './fixtures';

describe('renderJson', () => {
  it('prints the whole report as it is when nothing is asked', () => {
    const text = renderJson(analysisReportFixture());
    expect(JSON.parse(text)).toEqual(analysisReportFixture());
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('narrows to the asked cases and lists the unknown ids', () => {
    const report = JSON.parse(renderJson(analysisReportFixture(), { caseIds: ['P09', 'nope'] }));
    expect(report.cases.map((c: { personId: string }) => c.personId)).toEqual(['P09']);
    expect(report.chains.map((c: { id: string }) => c.id)).toEqual(['C3']);
    expect(report.contacts.map((c: { personId: string }) => c.personId)).toEqual(['K06']);
    expect(report.sources.map((s: { id: string }) => s.id)).toEqual(['M01']);
    expect(report.riskAreas.map((a: { placeId: string }) => a.placeId)).toEqual(['M01']);
    expect(report.problems).toEqual([
      'unknown case id "nope": not a case in this report (as of 2022-08-10T20:00:00+08:00)',
    ]);
  });

  it('adds no problems field when there are none, and masks when asked', () => {
    const report = jsonReport(analysisReportFixture(), { caseIds: ['P01'], mask: true });
    expect('problems' in report).toBe(false);
    expect(report.entities.K01).toEqual({
      kind: 'person',
      name: '何**',
      detail: 'fisherman',
      phone: '138****1234',
      age: 67,
      sex: 'M',
      homeId: 'H04',
    });
    expect(report.entities.P07).toBeUndefined();
  });
});
