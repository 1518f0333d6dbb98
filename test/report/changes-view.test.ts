/**
 * The pages' "Since …" section (`report --since`) on the report fixture with changes made by
 * hand: the counts then and now, the lists in words, their caps, and records' text escaped.
 */
import type { AnalysisReport, ReportChanges } from '../../src/analysis/report-model';
import { changesView } from '../../src/report/changes-view';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import { placementWords } from '../../src/report/view';
import { analysisReportFixture } from './fixtures';

function withChanges(changes: Partial<ReportChanges> = {}): AnalysisReport {
  const report = analysisReportFixture();
  return {
    ...report,
    changes: {
      since: '2022-08-04T23:59:59.999+08:00',
      summaryThen: {
        ...report.summary,
        cases: 7,
        confirmed: 5,
        asymptomatic: 2,
        closeContacts: 6,
        highRiskAreas: 2,
      },
      newCases: [
        { personId: 'P08', classification: 'confirmed', tierThen: 'close_contact' },
        { personId: 'P09', classification: 'asymptomatic', tierThen: null },
      ],
      reclassifiedCases: [],
      newContacts: [{ personId: 'K06', tier: 'venue_exposed', placement: 'monitoring', siteId: null }],
      tierChanges: [{ personId: 'K04', from: 'venue_exposed', to: 'contact_of_close_contact' }],
      leftContacts: [{ personId: 'P08', tierThen: 'close_contact', becameCase: true }],
      placementChanges: [
        {
          personId: 'K01',
          from: { placement: 'waiting', siteId: null },
          to: { placement: 'site', siteId: 'QS01' },
        },
        {
          personId: 'K02',
          from: { placement: 'site', siteId: 'QS01' },
          to: { placement: 'completed', siteId: 'QS01' },
        },
      ],
      riskAreaChanges: [
        { placeId: 'H01', from: null, to: 'high' },
        { placeId: 'V01', from: 'high', to: 'medium' },
      ],
      ...changes,
    },
  };
}

test('a report without changes has no section, in either page', () => {
  const report = analysisReportFixture();
  expect(changesView(report, 50)).toBeNull();
  expect(renderHtml(report)).not.toContain('id="changes"');
  expect(renderHtml(report)).not.toContain('href="#changes"');
  expect(renderMarkdown(report)).not.toContain('## Since');
});

test('the counts are then, now and the signed change; only kinds with changes are listed, in words', () => {
  const view = changesView(withChanges(), 50)!;
  expect(view.title).toBe('Since 2022-08-04 23:59');
  const byLabel = new Map(view.counts.map((c) => [c.label, c]));
  expect(byLabel.get('Cases')).toEqual({ label: 'Cases', then: 7, now: 9, change: '+2' });
  expect(byLabel.get('Close contacts')).toEqual({ label: 'Close contacts', then: 6, now: 4, change: '−2' });
  expect(byLabel.get('Medium-risk areas')).toEqual({
    label: 'Medium-risk areas',
    then: 2,
    now: 2,
    change: '0',
  });
  // 5 occupied + 4 assigned by the plan, then and now.
  expect(byLabel.get('Quarantine beds taken')).toMatchObject({ then: 9, now: 9 });
  expect(view.lists.map((l) => l.heading)).toEqual([
    'New cases (2)',
    'Risk areas (2)',
    'New contacts (1)',
    'Contacts whose tier changed (1)',
    'Quarantine changes (2)',
    'No longer contacts (1)',
  ]);
  const lines = Object.fromEntries(view.lists.map((l) => [l.heading, l.lines]));
  expect(lines['New cases (2)']).toEqual([
    'P08 王建国: confirmed; close contact before',
    'P09 Li Na: asymptomatic; not a contact before',
  ]);
  expect(lines['Quarantine changes (2)']).toEqual([
    'K01 何海生: waiting for a bed → bed at QS01',
    'K02 陈小明: bed at QS01 → completed, still at QS01: due for release',
  ]);
  expect(lines['Risk areas (2)'][0]).toMatch(/^H01 .*: declared high risk$/);
  expect(lines['Risk areas (2)'][1]).toBe('V01: high → medium');
  expect(lines['No longer contacts (1)']).toEqual(['P08 王建国: close contact before; now a case']);
});

test('each list is capped, saying how many more the JSON has; 0 lists all', () => {
  const many = Array.from({ length: 7 }, (_, i) => ({
    personId: `X${i}`,
    tier: 'venue_exposed' as const,
    placement: 'monitoring' as const,
    siteId: null,
  }));
  const report = withChanges({ newContacts: many });
  const capped = changesView(report, 3)!.lists.find((l) => l.heading === 'New contacts (7)')!;
  expect(capped.lines).toEqual([
    'X0: venue-exposed, health monitoring',
    'X1: venue-exposed, health monitoring',
    'X2: venue-exposed, health monitoring',
  ]);
  expect(capped.hidden).toBe(4);
  expect(renderMarkdown(report, { maxContacts: 3 })).toContain('- _… and 4 more; the JSON report');
  expect(renderHtml(report, { maxContacts: 3 })).toContain('… and 4 more; the JSON report');
  expect(changesView(report, 0)!.lists.find((l) => l.heading === 'New contacts (7)')!.lines).toHaveLength(7);
});

test('the pages show the section after the summary, linked from the contents, records escaped', () => {
  const report = withChanges();
  report.entities = {
    ...report.entities,
    P09: { kind: 'person', name: '<img src=x onerror=alert(1)>', detail: null },
  };
  const html = renderHtml(report);
  expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="changes"'));
  expect(html.indexOf('id="changes"')).toBeLessThan(html.indexOf('id="epi-curve"'));
  expect(html).toContain('<a href="#changes">Since 2022-08-04 23:59</a>');
  expect(html).toContain(
    '<li>P09 &lt;img src=x onerror=alert(1)&gt;: asymptomatic; not a contact before</li>',
  );
  expect(html).not.toContain('<img src=x');

  const markdown = renderMarkdown(report);
  expect(markdown.indexOf('## District summary')).toBeLessThan(markdown.indexOf('## Since 2022-08-04 23:59'));
  expect(markdown.indexOf('## Since')).toBeLessThan(markdown.indexOf('## Epidemic curve'));
  expect(markdown).toContain('| Cases | 7 | 9 | +2 |');
  expect(markdown).toContain(
    '#### New cases (2)\n\n- P08 王建国: confirmed; close contact before\n- P09 \\<img src=x onerror=alert(1)\\>: asymptomatic; not a contact before',
  );
});

test('a section with only the counts changed says nothing else changed', () => {
  const report = withChanges({
    newCases: [],
    newContacts: [],
    tierChanges: [],
    leftContacts: [],
    placementChanges: [],
    riskAreaChanges: [],
  });
  expect(changesView(report, 50)!.lists).toEqual([]);
  expect(renderHtml(report)).toContain('<p class="empty">Nothing else changed.</p>');
  expect(renderMarkdown(report)).toContain('_Nothing else changed._');
});

test('placements in the words of the quarantine column', () => {
  expect(placementWords({ placement: 'site', siteId: 'QS01' })).toBe('bed at QS01');
  expect(placementWords({ placement: 'waiting', siteId: null })).toBe('waiting for a bed');
  expect(placementWords({ placement: 'home', siteId: null })).toBe('home quarantine');
  expect(placementWords({ placement: 'monitoring', siteId: null })).toBe('health monitoring');
  expect(placementWords({ placement: 'completed', siteId: null })).toBe('completed');
  expect(placementWords({ placement: 'completed', siteId: 'QS01' })).toBe(
    'completed, still at QS01: due for release',
  );
});
