/**
 * Figures the HTML and Markdown pages state beside their tables: the parts of the beds taken, what
 * a case's infector candidates leave out, what a `--cases` page keeps of the district's lists, and
 * probabilities under 1% written as text the HTML cannot read as a tag.
 */
import type { AnalysisReport } from '../../src/analysis/report-model';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import { bedsTakenParts } from '../../src/report/view';
import { analysisReportFixture } from './fixtures';
import { part, section } from './page-parts';

/** The fixture with P04's candidates holding 88% of the probability, the rest below 5% each. */
function withUnlistedCandidates(): AnalysisReport {
  const report = analysisReportFixture();
  const p04 = report.cases.find((c) => c.personId === 'P04')!;
  p04.candidates = [
    { ...p04.candidates[0]!, probability: 0.46 },
    { ...p04.candidates[0]!, id: 'M01', kind: 'place', probability: 0.42, gapDays: null },
  ];
  return report;
}

describe('the beds taken, in parts that add up', () => {
  it('names those due for release as some of the occupied, not as a third part', () => {
    const summary = { occupiedBeds: 10, dueForReleaseBeds: 6, assignedBeds: 0 };
    expect(bedsTakenParts(summary)).toBe(
      '10 already occupied, 6 of them due for release; 0 assigned by the plan, not yet at the site',
    );
    expect(bedsTakenParts({ occupiedBeds: 5, dueForReleaseBeds: 0, assignedBeds: 4 })).toBe(
      '5 already occupied; 4 assigned by the plan, not yet at the site',
    );
  });
});

describe("a case's infector candidates", () => {
  const note =
    'The candidates listed hold 88% of the probability; the other 12% is shared by candidates under 5% each, which the analysis does not list.';

  it('say in the HTML what share the listed ones leave to candidates not listed', () => {
    const html = renderHtml(withUnlistedCandidates());
    expect(part(html, 'case-P04', '</article>')).toContain(
      `</table><p class="more">${note}</p><h4>Contacts</h4>`,
    );
    // P01's candidates (82% and 18%) hold it all: no note.
    expect(part(html, 'case-P01', '</article>')).not.toContain('The candidates listed hold');
  });

  it('say the same in the Markdown', () => {
    const markdown = renderMarkdown(withUnlistedCandidates());
    const p04 = section(markdown, '### P04 吴敏');
    expect(p04).toContain(`\n\n_${note}_\n\n#### Contacts`);
    expect(section(markdown, '### P01 陈伟')).not.toContain('The candidates listed hold');
  });
});

describe("a page of some cases says what it keeps of the district's lists", () => {
  const report = analysisReportFixture();
  const html = renderHtml(report, { caseIds: ['P07'] });
  const markdown = renderMarkdown(report, { caseIds: ['P07'] });
  const kept = {
    contacts: 'Only the 1 of the district&#39;s 6 contacts exposed',
    riskAreas: 'Only the 1 of the district&#39;s 5 risk areas that the selected cases made',
    sources: 'Only the 1 of the district&#39;s 3 likely sources of the selected cases&#39; chains',
  };

  it('in the HTML, under each heading', () => {
    expect(part(html, 'quarantine', '</section>')).toContain(kept.contacts);
    expect(part(html, 'risk-areas', '</section>')).toContain(kept.riskAreas);
    expect(part(html, 'sources', '</section>')).toContain(kept.sources);
    expect(html).toContain('the report without --cases lists every one.');
  });

  it('in the Markdown', () => {
    const plain = (s: string) => s.replace(/&#39;/g, "'");
    expect(section(markdown, '## Quarantine list')).toContain(plain(kept.contacts));
    expect(section(markdown, '## Risk areas')).toContain(plain(kept.riskAreas));
    expect(section(markdown, '## Likely sources')).toContain(plain(kept.sources));
  });

  it('and nothing of the kind when the page holds every case', () => {
    expect(renderHtml(report)).not.toContain('Only the ');
    expect(renderMarkdown(report)).not.toContain('Only the ');
  });
});

describe('a probability under 1% in the HTML', () => {
  it('is written `&lt;1%`: no bare `<` in the text of the page', () => {
    const report = analysisReportFixture();
    report.contacts.forEach((c) => (c.probability = 0.001));
    const p03 = report.cases.find((c) => c.personId === 'P03')!;
    p03.candidates[0]!.probability = 0.004;
    p03.infector = { ...p03.infector!, probability: 0.004 };
    const html = renderHtml(report);
    const text = html.replace(/<style>[^]*?<\/style>/, '').replace(/<[a-zA-Z/!][^>]*>/g, '');
    expect(text).not.toContain('<');
    expect(html).toContain('</span></span>&lt;1%</span>');
    expect(part(html, 'case-P03', '</article>')).toContain('(case, &lt;1%)');
  });
});

describe('a page of more than 100 risk areas', () => {
  it('says the order of the first 100, those lifted (low) last', () => {
    const report = analysisReportFixture();
    const areas = report.riskAreas;
    report.riskAreas = Array.from({ length: 105 }, (_, i) => ({
      ...areas[i % areas.length]!,
      placeId: `A${String(i).padStart(3, '0')}`,
    }));
    const note =
      'The first 100 of 105 risk areas are listed, high, then medium, then those lifted (low); the JSON report has every one.';
    expect(renderHtml(report)).toContain(`<p class="more">${note}</p>`);
    expect(renderMarkdown(report)).toContain(`_${note}_`);
  });
});

describe('counts of thousands in the summary and the changes table', () => {
  /** The fixture at the scale of a large district: counts of thousands, now and the day before. */
  function largeDistrict(): AnalysisReport {
    const report = analysisReportFixture();
    const now = {
      ...report.summary,
      cases: 1204,
      confirmed: 1003,
      asymptomatic: 201,
      chains: 1010,
      activeChains: 1001,
      closeContacts: 2971,
      contactsOfCloseContacts: 41105,
      venueExposed: 120044,
      quarantineBeds: 5000,
      occupiedBeds: 3200,
      dueForReleaseBeds: 1100,
      assignedBeds: 1500,
      highRiskAreas: 1010,
      mediumRiskAreas: 2020,
    };
    report.summary = now;
    report.changes = {
      since: '2022-08-11T23:59:59.999+08:00',
      summaryThen: { ...now, closeContacts: 1450 },
      newCases: [],
      reclassifiedCases: [],
      newContacts: [],
      tierChanges: [],
      leftContacts: [],
      placementChanges: [],
      riskAreaChanges: [],
    };
    return report;
  }
  const figures = [
    '1,204',
    '1,003 confirmed',
    '1,010',
    '1,001 active',
    '2,971',
    '41,105',
    '120,044',
    '4,700 / 5,000',
    '3,200 already occupied, 1,100 of them due for release; 1,500 assigned by the plan',
    '2,020',
  ];

  it('are written with separators in the HTML, as the notes under the lists write them', () => {
    const html = renderHtml(largeDistrict());
    const summary = part(html, 'summary', '</section>');
    for (const figure of figures) expect(summary).toContain(figure);
    expect(summary).not.toMatch(/\d{4}/);
    expect(part(html, 'changes', '</section>')).toMatch(/1,450<\/td><td[^>]*>2,971<\/td><td[^>]*>\+1,521</);
  });

  it('and in the Markdown', () => {
    const md = renderMarkdown(largeDistrict());
    const summary = section(md, '## District summary');
    for (const figure of figures) expect(summary).toContain(figure);
    expect(
      section(
        md,
        md.split('\n').find((l) => l.startsWith('## Since '))!,
      ),
    ).toContain('| 1,450 | 2,971 | +1,521 |');
  });
});
