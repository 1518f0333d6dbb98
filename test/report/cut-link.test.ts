/**
 * The pages' "Most likely infector" of a case where a cycle of most likely links was cut: the
 * report's `infector` is then where its chain came from, not the most likely infector.
 */
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import { resolveParameters } from '../../src/domain/parameters';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import { aug, confirmedCase, outbreak, person, place } from '../analysis/outbreak-fixtures';

/** A and B live together, B's onset a day before A's: each is the other's most likely infector. */
function cycleReport() {
  const data = outbreak({
    asOf: aug(8),
    cases: [
      confirmedCase('A', aug(5, '08:00'), aug(6, '10:00')),
      confirmedCase('B', aug(4, '12:00'), aug(6, '12:00')),
    ],
    persons: [
      { ...person('A', 'H1'), name: 'Ann' },
      { ...person('B', 'H1'), name: 'Bob' },
    ],
    places: [place('H1', 'home')],
  });
  const run = analyseData(data, resolveParameters(), { asOf: data.asOf });
  expect(run.inferences.map((i) => [i.personId, i.best.id])).toEqual([
    ['A', 'B'],
    ['B', 'A'],
  ]);
  return toReport(run);
}

describe('a case whose most likely link was cut to break a cycle (regression: the pages said "—")', () => {
  const report = cycleReport();
  const b = report.cases.find((c) => c.personId === 'B')!;
  const likeliest = `${Math.round(b.candidates[0]!.probability * 100)}%`;

  test('is the root of its chain from outside in the report, its most likely infector first among its candidates', () => {
    expect(b).toMatchObject({ infector: null, generation: 0, chainId: 'chain-B' });
    expect(b.flags).toContain('cut-to-break-cycle');
    expect(b.candidates[0]).toMatchObject({ id: 'A', kind: 'case' });
    expect(b.candidates[0]!.probability).toBeGreaterThan(0.5);
  });

  test('the Markdown names its most likely infector and says the link was cut', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(
      `- **Most likely infector:** A Ann (case, ${likeliest}); the link was cut to break a cycle of most ` +
        'likely links: this case roots chain-B, from outside',
    );
    // The case the chain links keeps its plain line.
    expect(markdown).toContain('- **Most likely infector:** B Bob (case, ');
  });

  test('the HTML names its most likely infector and says the link was cut', () => {
    const html = renderHtml(report);
    expect(html).toContain(
      `<dt>Most likely infector</dt><dd><a href="#case-A">A Ann</a> (case, ${likeliest}); <span class="muted">the link ` +
        'was cut to break a cycle of most likely links: this case roots chain-B, from outside</span></dd>',
    );
  });
});
