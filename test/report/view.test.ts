/**
 * The contacts the pages list under each case: `cappedContactsByCase` (and `contactsOfCase`, built
 * on it) must list exactly what the rule gives, worked out here the plain way: every contact whose
 * evidence names the case or one of its own close contacts, by the tier that evidence gives (the
 * highest, when both), the close contacts first, then the contacts of close contacts, then the
 * venue-exposed, each tier sorted by priority, the first `max` kept.
 */
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import {
  TIERS_BY_SOURCE,
  type AnalysisReport,
  type ContactReport,
  type ContactTier,
} from '../../src/analysis/report-model';
import { resolveParameters } from '../../src/domain/parameters';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import {
  byPriority,
  cappedContactsByCase,
  contactsOfCase,
  quarantineWhere,
  TIERS,
} from '../../src/report/view';
import { aug } from '../analysis/outbreak-fixtures';
import { analysisReportFixture } from './fixtures';

const params = resolveParameters();

/** The case's contacts by tier, in priority order: a scan of every contact, sorted per case. */
function plainContactsOf(report: AnalysisReport, caseId: string): Record<ContactTier, ContactReport[]> {
  /** The tier the contact's evidence naming `id` gives (the highest), or null when none names it. */
  const tierBy = (contact: ContactReport, id: string): ContactTier | null => {
    const given = contact[TIERS_BY_SOURCE]?.();
    if (given) return given.get(id) ?? null;
    return contact.evidence.some((e) => e.sourceId === id) ? contact.tier : null;
  };
  const closeIds = report.contacts
    .filter((contact) => tierBy(contact, caseId) === 'close_contact')
    .map((c) => c.personId);
  const byTier = {} as Record<ContactTier, ContactReport[]>;
  for (const tier of TIERS) byTier[tier] = [];
  for (const contact of report.contacts) {
    const tiers = [caseId, ...closeIds].map((id) => tierBy(contact, id));
    const tier = TIERS.find((t) => tiers.includes(t));
    if (tier) byTier[tier].push(contact);
  }
  for (const tier of TIERS) byTier[tier].sort(byPriority);
  return byTier;
}

/** Those contacts cut to the `max` first, tier by tier, by priority in each (0: all), with the counts. */
function plainCapped(byTier: Record<ContactTier, ContactReport[]>, max: number) {
  const sorted = TIERS.flatMap((t) => byTier[t]);
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

/** A contact with the tier each source's exposures give it (`TIERS_BY_SOURCE`), as a report made for the pages has. */
function contactGiven(
  personId: string,
  tier: ContactTier,
  priority: number,
  tiers: Record<string, ContactTier>,
): ContactReport {
  const c = { personId, tier, priority, evidence: [] } as unknown as ContactReport;
  Object.defineProperty(c, TIERS_BY_SOURCE, { value: () => new Map(Object.entries(tiers)) });
  return c;
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

  // Regression: the pages grouped a case's contacts by each contact's own tier, so a close contact
  // of another case who passed this one at a market was listed among its close contacts (in the
  // demo district, 42 "close contacts" of P0000298, whom the API gives 6), with their contacts too.
  test('groups by the tier the case gives, not the tier another case gave', () => {
    const report = {
      contacts: [
        // K lives with case A and was at a market with case B for a few minutes; J lives with K.
        contactGiven('K', 'close_contact', 1, { A: 'close_contact', B: 'venue_exposed' }),
        contactGiven('J', 'contact_of_close_contact', 2, { K: 'contact_of_close_contact' }),
        contactGiven('V', 'venue_exposed', 3, { A: 'venue_exposed', K: 'contact_of_close_contact' }),
      ],
    } as unknown as AnalysisReport;
    const ids = (byTier: Record<ContactTier, ContactReport[]>) =>
      Object.fromEntries(TIERS.map((t) => [t, byTier[t].map((c) => c.personId)]));
    expect(ids(contactsOfCase(report, 'A'))).toEqual({
      close_contact: ['K'],
      contact_of_close_contact: ['J', 'V'],
      venue_exposed: [],
    });
    expect(ids(contactsOfCase(report, 'B'))).toEqual({
      close_contact: [],
      contact_of_close_contact: [],
      venue_exposed: ['K'],
    });
    const capped = cappedContactsByCase(report, 1)('A');
    expect(capped.byTier.contact_of_close_contact).toEqual({ shown: [], total: 2, hidden: 2 });
    expect(capped.total).toBe(3);
  });

  // Regression: the cap took the first by district priority over all tiers, so a case whose
  // venue-exposed were others' household contacts (higher in the district) showed none of its own
  // close contacts (in the demo district, P0000298: "Close contacts (0 of 6)" under 50 venue-exposed).
  test("a case's own close contacts come before its venue-exposed, whatever their district priority", () => {
    const report = {
      contacts: [
        // H1 and H2 live with case B; they passed case A at a market. C1 lives with case A.
        contactGiven('H1', 'close_contact', 1, { A: 'venue_exposed', B: 'close_contact' }),
        contactGiven('H2', 'close_contact', 2, { A: 'venue_exposed', B: 'close_contact' }),
        contactGiven('C1', 'close_contact', 3, { A: 'close_contact' }),
        contactGiven('F1', 'contact_of_close_contact', 4, { C1: 'contact_of_close_contact' }),
      ],
    } as unknown as AnalysisReport;
    const shown = (max: number) =>
      Object.fromEntries(
        TIERS.map((t) => [t, cappedContactsByCase(report, max)('A').byTier[t].shown.map((c) => c.personId)]),
      );
    expect(shown(1)).toEqual({ close_contact: ['C1'], contact_of_close_contact: [], venue_exposed: [] });
    expect(shown(2)).toEqual({ close_contact: ['C1'], contact_of_close_contact: ['F1'], venue_exposed: [] });
    expect(shown(3)).toEqual({
      close_contact: ['C1'],
      contact_of_close_contact: ['F1'],
      venue_exposed: ['H1'],
    });
    expect(cappedContactsByCase(report, 3)('A')).toMatchObject({ total: 4, hidden: 1 });
  });
});

describe('quarantineWhere', () => {
  const contactWith = (
    placement: ContactReport['placement'],
    assignedSiteId: string | null,
  ): ContactReport => ({
    ...analysisReportFixture().contacts[0]!,
    placement,
    assignedSiteId,
  });

  test('a bed at a site; otherwise what the plan says, a waiting contact not called "home"', () => {
    expect(quarantineWhere(contactWith('site', 'QS01'))).toEqual({ siteId: 'QS01', words: '' });
    expect(quarantineWhere(contactWith('waiting', null))).toEqual({
      siteId: null,
      words: 'waiting for a bed',
    });
    expect(quarantineWhere(contactWith('home', null))).toEqual({ siteId: null, words: 'home' });
    expect(quarantineWhere(contactWith('monitoring', null))).toEqual({
      siteId: null,
      words: 'health monitoring',
    });
    expect(quarantineWhere(contactWith('completed', null))).toEqual({ siteId: null, words: 'completed' });
    expect(quarantineWhere(contactWith('completed', 'QS01'))).toEqual({
      siteId: 'QS01',
      words: 'due for release',
    });
  });

  test('the pages say it in the contacts tables', () => {
    const report = analysisReportFixture();
    const k01 = report.contacts.find((c) => c.personId === 'K01')!;
    k01.placement = 'completed';
    const k02 = report.contacts.find((c) => c.personId === 'K02')!;
    k02.placement = 'waiting';
    k02.assignedSiteId = null;
    const md = renderMarkdown(report);
    expect(md).toMatch(/\| K01 [^|\n]*\|[^\n]*\| QS01 [^|\n]*, due for release \|/);
    expect(md).toMatch(/\| K02 [^|\n]*\|[^\n]*\| waiting for a bed \|/);
    const html = renderHtml(report);
    expect(html).toContain('<span class="muted">waiting for a bed</span>');
    expect(html).toContain('<span class="muted">due for release</span>');
  });
});
