/**
 * The contacts the pages list under each case: `cappedContactsByCase` (and `contactsOfCase`, built
 * on it) must list exactly what the rule gives, worked out here the plain way: every contact whose
 * evidence names the case or one of its close contacts, sorted by priority, the first `max` kept.
 */
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport, ContactReport, ContactTier } from '../../src/analysis/report-model';
import { resolveParameters } from '../../src/domain/parameters';
import { byPriority, cappedContactsByCase, contactsOfCase, TIERS } from '../../src/report/view';
import { aug } from '../analysis/outbreak-fixtures';
import { analysisReportFixture } from './fixtures';

const params = resolveParameters();

/** The case's contacts by tier, in priority order: a scan of every contact, sorted per case. */
function plainContactsOf(report: AnalysisReport, caseId: string): Record<ContactTier, ContactReport[]> {
  const names = (contact: ContactReport, id: string) => contact.evidence.some((e) => e.sourceId === id);
  const direct = report.contacts.filter((contact) => names(contact, caseId));
  const closeIds = direct.filter((c) => c.tier === 'close_contact').map((c) => c.personId);
  const all = report.contacts.filter(
    (contact) => direct.includes(contact) || closeIds.some((id) => names(contact, id)),
  );
  const byTier = {} as Record<ContactTier, ContactReport[]>;
  for (const tier of TIERS) byTier[tier] = all.filter((c) => c.tier === tier).sort(byPriority);
  return byTier;
}

/** Those contacts cut to the `max` first by priority over all tiers (0: all), with the counts. */
function plainCapped(byTier: Record<ContactTier, ContactReport[]>, max: number) {
  const sorted = TIERS.flatMap((t) => byTier[t]).sort(byPriority);
  const kept = new Set(max > 0 ? sorted.slice(0, max) : sorted);
  const total = sorted.length;
  const result = {} as Record<ContactTier, { shown: ContactReport[]; total: number; hidden: number }>;
  for (const tier of TIERS) {
    const shown = byTier[tier].filter((c) => kept.has(c));
    result[tier] = { shown, total: byTier[tier].length, hidden: byTier[tier].length - shown.length };
  }
  return { byTier: result, total, hidden: total - kept.size };
}

function simulatedReport(): AnalysisReport {
  const data = snapshot(simulate({ seed: 'capped', source: 'item', households: 250 }, params), aug(31));
  return toReport(analyseData(data, params, { asOf: data.asOf }));
}

describe('cappedContactsByCase', () => {
  test.each([
    ['the hand-made report', analysisReportFixture()],
    ['a simulated district', simulatedReport()],
  ])('lists what the rule lists, for any cap: %s', (_name, report) => {
    expect(report.contacts.length).toBeGreaterThan(2);
    let capped = 0;
    let secondary = 0;
    for (const c of report.cases) {
      const expected = plainContactsOf(report, c.personId);
      expect(contactsOfCase(report, c.personId)).toEqual(expected);
      secondary += expected.contact_of_close_contact.length;
    }
    for (const max of [0, 1, 2, 5, 50]) {
      const cappedOf = cappedContactsByCase(report, max);
      for (const c of report.cases) {
        const expected = plainCapped(plainContactsOf(report, c.personId), max);
        expect(cappedOf(c.personId)).toEqual(expected);
        if (expected.hidden > 0) capped += 1;
      }
    }
    // Some cases had more contacts than the cap, and contacts through their close contacts.
    expect(capped).toBeGreaterThan(0);
    expect(secondary).toBeGreaterThan(0);
  });

  test('an id that is not a source has no contacts', () => {
    const none = cappedContactsByCase(analysisReportFixture(), 50)('nobody');
    expect(none.total).toBe(0);
    expect(none.byTier.close_contact).toEqual({ shown: [], total: 0, hidden: 0 });
  });
});
