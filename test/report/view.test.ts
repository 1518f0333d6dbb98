/**
 * The contacts the pages list under each case: `cappedContactsByCase` must list exactly what
 * capping each case's sorted contacts (`capContactsByTier(contactsOfCase(…))`) lists.
 */
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { resolveParameters } from '../../src/domain/parameters';
import { capContactsByTier, cappedContactsByCase, contactsOfCase } from '../../src/report/view';
import { aug } from '../analysis/outbreak-fixtures';
import { analysisReportFixture } from './fixtures';

const params = resolveParameters();

function simulatedReport(): AnalysisReport {
  const data = snapshot(simulate({ seed: 'capped', source: 'item', households: 250 }, params), aug(31));
  return toReport(analyseData(data, params, { asOf: data.asOf }));
}

describe('cappedContactsByCase', () => {
  test.each([
    ['the hand-made report', analysisReportFixture()],
    ['a simulated district', simulatedReport()],
  ])('lists what capping each case’s sorted contacts lists, for any cap: %s', (_name, report) => {
    expect(report.contacts.length).toBeGreaterThan(2);
    let capped = 0;
    for (const max of [0, 1, 2, 5, 50, Infinity]) {
      const cap = Number.isFinite(max) ? max : 0;
      const cappedOf = cappedContactsByCase(report, cap);
      for (const c of report.cases) {
        const expected = capContactsByTier(contactsOfCase(report, c.personId), cap);
        expect(cappedOf(c.personId)).toEqual(expected);
        if (expected.hidden > 0) capped += 1;
      }
    }
    // Some cases had more contacts than the cap.
    expect(capped).toBeGreaterThan(0);
  });

  test('an id that is not a source has no contacts', () => {
    const none = cappedContactsByCase(analysisReportFixture(), 50)('nobody');
    expect(none.total).toBe(0);
    expect(none.byTier.close_contact).toEqual({ shown: [], total: 0, hidden: 0 });
  });
});
