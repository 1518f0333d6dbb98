/**
 * What changed between two briefing states, on states made by hand: each kind of change alone,
 * then everything at once in id order.
 */
import { changesSince, type BriefingState } from '../../src/analysis/changes';
import type { ContactTier, PlacementAt, ReportSummary, RiskLevel } from '../../src/analysis/report-model';
import type { CaseClassification } from '../../src/domain/types';

const SUMMARY: ReportSummary = {
  cases: 0,
  confirmed: 0,
  asymptomatic: 0,
  chains: 0,
  activeChains: 0,
  closeContacts: 0,
  contactsOfCloseContacts: 0,
  venueExposed: 0,
  quarantineBeds: 10,
  assignedBeds: 0,
  occupiedBeds: 0,
  dueForReleaseBeds: 0,
  highRiskAreas: 0,
  mediumRiskAreas: 0,
};

type Contact = { tier: ContactTier } & PlacementAt;
const home = (tier: ContactTier = 'close_contact'): Contact => ({ tier, placement: 'home', siteId: null });

function state(
  asOf: string,
  parts: {
    cases?: Record<string, CaseClassification>;
    contacts?: Record<string, Contact>;
    areas?: Record<string, RiskLevel>;
    summary?: Partial<ReportSummary>;
  } = {},
): BriefingState {
  return {
    asOf,
    summary: { ...SUMMARY, ...parts.summary },
    cases: new Map(Object.entries(parts.cases ?? {})),
    contacts: new Map(Object.entries(parts.contacts ?? {})),
    riskAreas: new Map(Object.entries(parts.areas ?? {})),
  };
}

const DAY1 = '2022-08-11T23:59:59.999+08:00';
const DAY2 = '2022-08-12T23:59:59.999+08:00';

test('the same state twice changes nothing, and the summary then is the earlier one', () => {
  const parts = {
    cases: { P1: 'confirmed' as const },
    contacts: { P2: home() },
    areas: { V1: 'high' as const },
    summary: { cases: 1, closeContacts: 1 },
  };
  expect(changesSince(state(DAY1, parts), state(DAY2, parts))).toEqual({
    since: DAY1,
    summaryThen: { ...SUMMARY, cases: 1, closeContacts: 1 },
    newCases: [],
    reclassifiedCases: [],
    newContacts: [],
    tierChanges: [],
    leftContacts: [],
    placementChanges: [],
    riskAreaChanges: [],
  });
});

test('a close contact who turns positive is a new case with the tier they had, and leaves the contacts as a case', () => {
  const then = state(DAY1, { cases: { P1: 'confirmed' }, contacts: { P2: home() } });
  const now = state(DAY2, { cases: { P1: 'confirmed', P2: 'asymptomatic' } });
  const changes = changesSince(then, now);
  expect(changes.newCases).toEqual([
    { personId: 'P2', classification: 'asymptomatic', tierThen: 'close_contact' },
  ]);
  expect(changes.leftContacts).toEqual([{ personId: 'P2', tierThen: 'close_contact', becameCase: true }]);
  expect(changes.placementChanges).toEqual([]);
});

test('a case from outside every list has no tier then; a contact gone without becoming a case is said so', () => {
  const then = state(DAY1, { contacts: { P5: home('venue_exposed') } });
  const now = state(DAY2, { cases: { P9: 'confirmed' } });
  const changes = changesSince(then, now);
  expect(changes.newCases).toEqual([{ personId: 'P9', classification: 'confirmed', tierThen: null }]);
  expect(changes.leftContacts).toEqual([{ personId: 'P5', tierThen: 'venue_exposed', becameCase: false }]);
});

test('an asymptomatic case with an onset since is reclassified, not new', () => {
  const changes = changesSince(
    state(DAY1, { cases: { P1: 'asymptomatic' } }),
    state(DAY2, { cases: { P1: 'confirmed' } }),
  );
  expect(changes.newCases).toEqual([]);
  expect(changes.reclassifiedCases).toEqual([{ personId: 'P1', from: 'asymptomatic', to: 'confirmed' }]);
});

test('new contacts come with tier and placement; tier and placement changes are listed apart', () => {
  const then = state(DAY1, {
    contacts: {
      P2: home('contact_of_close_contact'),
      P3: { tier: 'close_contact', placement: 'waiting', siteId: null },
      P4: { tier: 'close_contact', placement: 'site', siteId: 'QS1' },
    },
  });
  const now = state(DAY2, {
    contacts: {
      P2: { tier: 'close_contact', placement: 'waiting', siteId: null },
      P3: { tier: 'close_contact', placement: 'site', siteId: 'QS1' },
      P4: { tier: 'close_contact', placement: 'site', siteId: 'QS2' },
      P6: { tier: 'venue_exposed', placement: 'monitoring', siteId: null },
    },
  });
  const changes = changesSince(then, now);
  expect(changes.newContacts).toEqual([
    { personId: 'P6', tier: 'venue_exposed', placement: 'monitoring', siteId: null },
  ]);
  expect(changes.tierChanges).toEqual([
    { personId: 'P2', from: 'contact_of_close_contact', to: 'close_contact' },
  ]);
  expect(changes.placementChanges).toEqual([
    { personId: 'P2', from: { placement: 'home', siteId: null }, to: { placement: 'waiting', siteId: null } },
    {
      personId: 'P3',
      from: { placement: 'waiting', siteId: null },
      to: { placement: 'site', siteId: 'QS1' },
    },
    // The same placement at another site is a change too.
    { personId: 'P4', from: { placement: 'site', siteId: 'QS1' }, to: { placement: 'site', siteId: 'QS2' } },
  ]);
  expect(changes.leftContacts).toEqual([]);
});

test('risk areas declared, lowered and no longer listed, in id order', () => {
  const changes = changesSince(
    state(DAY1, { areas: { V2: 'high', V1: 'medium', V3: 'low', V4: 'high' } }),
    state(DAY2, { areas: { V2: 'medium', V1: 'medium', V5: 'high', V4: 'high' } }),
  );
  expect(changes.riskAreaChanges).toEqual([
    { placeId: 'V2', from: 'high', to: 'medium' },
    { placeId: 'V3', from: 'low', to: null },
    { placeId: 'V5', from: null, to: 'high' },
  ]);
});

test('every list is sorted by id, whatever order the states hold them in', () => {
  const then = state(DAY1, { contacts: { P30: home(), P4: home(), P10: home() } });
  const now = state(DAY2, { cases: { P30: 'confirmed', P10: 'confirmed', P4: 'confirmed' } });
  const changes = changesSince(then, now);
  expect(changes.newCases.map((c) => c.personId)).toEqual(['P10', 'P30', 'P4']);
  expect(changes.leftContacts.map((c) => c.personId)).toEqual(['P10', 'P30', 'P4']);
});
