/**
 * The pages (HTML, Markdown) are rendered from a report whose contacts build their evidence when
 * read (`toReport(analysis, { evidenceOnRead: true })`, as the CLI does): it must be the same
 * report, render the same bytes, and be read few times, or the saving is lost.
 */
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport, ContactReport } from '../../src/analysis/report-model';
import { AnalysedOutbreak } from '../../src/api/services/analysis.service';
import { resolveParameters } from '../../src/domain/parameters';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import { maskReport } from '../../src/report/mask';
import { selectCases } from '../../src/report/select';
import { aug } from '../analysis/outbreak-fixtures';

const params = resolveParameters();

/** A simulated district of a few hundred households, a fortnight into a boat-borne outbreak. */
const analysis = (() => {
  const data = snapshot(simulate({ seed: 'pages', source: 'boat', households: 250 }, params), aug(31));
  return analyseData(data, params, { asOf: data.asOf });
})();

const eager = toReport(analysis);
const onRead = () => toReport(analysis, { evidenceOnRead: true });

/** Counts the reads of each contact's evidence (the counter is shared by the report's contacts). */
function countingReads(report: AnalysisReport): { report: AnalysisReport; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const contacts = report.contacts.map((contact) => {
    const read = Object.getOwnPropertyDescriptor(contact, 'evidence')!.get!;
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(contact)) as ContactReport;
    Object.defineProperty(copy, 'evidence', {
      get: () => {
        reads.set(contact.personId, (reads.get(contact.personId) ?? 0) + 1);
        return read.call(copy);
      },
      enumerable: true,
      configurable: true,
    });
    return copy;
  });
  return { report: { ...report, contacts }, reads };
}

describe('a report with evidence built when read', () => {
  test('is the same report, field for field and byte for byte', () => {
    const report = onRead();
    expect(report.contacts.length).toBeGreaterThan(100);
    expect(report.contacts.reduce((n, c) => n + c.evidence.length, 0)).toBeGreaterThan(
      report.contacts.length,
    );
    expect(report).toEqual(eager);
    expect(JSON.stringify(report)).toBe(JSON.stringify(eager));
    report.contacts.forEach((contact, i) =>
      expect(Object.keys(contact)).toEqual(Object.keys(eager.contacts[i]!)),
    );
  });

  test('keeps no evidence: each read builds it anew', () => {
    const contact = onRead().contacts.find((c) => c.evidence.length > 0)!;
    expect(Object.getOwnPropertyDescriptor(contact, 'evidence')).toMatchObject({
      enumerable: true,
      get: expect.any(Function),
    });
    const first = contact.evidence;
    const second = contact.evidence;
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    // One accessor for every contact (so that they share one shape; see contactReport).
    const getters = new Set(
      onRead().contacts.map((c) => Object.getOwnPropertyDescriptor(c, 'evidence')!.get),
    );
    expect(getters.size).toBe(1);
    // The eager report keeps an array.
    expect(Object.getOwnPropertyDescriptor(eager.contacts[0]!, 'evidence')).toHaveProperty('value');
  });

  test('renders the same HTML and Markdown as the report that keeps its evidence', () => {
    const caseIds = [eager.cases[0]!.personId, eager.cases.at(-1)!.personId, 'P-not-a-case'];
    const variants = [{}, { mask: true }, { caseIds }, { caseIds, mask: true }, { maxContacts: 0 }];
    for (const options of variants) {
      expect(renderHtml(onRead(), options)).toBe(renderHtml(eager, options));
      expect(renderMarkdown(onRead(), options)).toBe(renderMarkdown(eager, options));
    }
  });

  test('the pages read each contact’s evidence a few times at most, whatever the district', () => {
    const caseIds = eager.cases.slice(0, 3).map((c) => c.personId);
    const kept = new Set(selectCases(eager, caseIds).report.contacts.map((c) => c.personId));
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(eager.contacts.length);
    for (const render of [renderHtml, renderMarkdown]) {
      for (const mask of [false, true]) {
        // The whole district: never (the contacts are indexed by the cases they were exposed to
        // from the tier each case gives them, worked out from what builds the evidence).
        const whole = countingReads(onRead());
        render(whole.report, { mask });
        expect(whole.reads.size).toBe(0);

        // A selection: once each to find those reached from the cases, however many rounds the
        // reach takes (contacts of close contacts); those kept then for the entities named (the
        // risk areas kept follow from their cases, not from the contacts' places).
        const selected = countingReads(onRead());
        render(selected.report, { mask, caseIds });
        const readsOf = (keptOrNot: boolean) =>
          [...selected.reads].filter(([id]) => kept.has(id) === keptOrNot).map(([, n]) => n);
        expect(selected.reads.size).toBe(selected.report.contacts.length);
        expect(Math.max(...readsOf(false))).toBe(1);
        expect(Math.max(...readsOf(true))).toBe(2);
      }
    }
  });

  test('the API keeps its cached report so: the same report, no evidence held', () => {
    const cached = new AnalysedOutbreak({ asOf: analysis.asOf, capacity: null }, analysis).report();
    expect(cached).toEqual(eager);
    for (const contact of cached.contacts)
      expect(Object.getOwnPropertyDescriptor(contact, 'evidence')!.get).toBeDefined();
  });

  test('masking copies the accessor, not the evidence', () => {
    const report = onRead();
    const masked = maskReport(report);
    const getter = Object.getOwnPropertyDescriptor(report.contacts[0]!, 'evidence')!.get;
    masked.contacts.forEach((contact, i) => {
      expect(Object.getOwnPropertyDescriptor(contact, 'evidence')!.get).toBe(getter);
      expect(Object.keys(contact)).toEqual(Object.keys(report.contacts[i]!));
      expect(contact.evidence).toEqual(eager.contacts[i]!.evidence);
    });
    // The masked copy of the report that keeps its evidence is the same, evidence and all.
    expect(masked).toEqual(maskReport(eager));
    expect(JSON.stringify(masked)).toBe(JSON.stringify(maskReport(eager)));
  });
});
