/**
 * What changed since an earlier instant: the day-over-day view of a briefing. The analysis is run
 * at both instants; `briefingState` keeps of the earlier one only what a comparison reads (who was
 * a case, each contact's tier and placement, each risk area's level, the summary), so that the
 * earlier analysis can be dropped before the later one is made (at a million persons each holds
 * gigabytes). `changesSince` then lists what differs, each list sorted by id.
 */
import { compareCodeUnits } from '../domain/code-units';
import { formatInstant } from '../domain/time';
import type { Analysis } from './analyse';
import { reportSummary } from './report';
import type { CaseClassification } from '../domain/types';
import type { ContactTier, PlacementAt, ReportChanges, ReportSummary, RiskLevel } from './report-model';

/** What a comparison needs of one analysis, and nothing more. */
export interface BriefingState {
  /** The analysis's as-of instant (ISO 8601, +08:00). */
  asOf: string;
  summary: ReportSummary;
  cases: ReadonlyMap<string, CaseClassification>;
  contacts: ReadonlyMap<string, { tier: ContactTier } & PlacementAt>;
  riskAreas: ReadonlyMap<string, RiskLevel>;
}

/** What a comparison with `analysis` reads. */
export function briefingState(analysis: Analysis): BriefingState {
  const cases = new Map<string, CaseClassification>();
  for (const c of analysis.data.cases) cases.set(c.personId, c.classification);
  const contacts = new Map<string, { tier: ContactTier } & PlacementAt>();
  for (const entry of analysis.quarantine.entries) {
    // Entries without a tier were exposed below every threshold: no contacts, no placement.
    if (entry.tier === null || entry.placement === 'none') continue;
    contacts.set(entry.personId, {
      tier: entry.tier,
      placement: entry.placement,
      siteId: entry.assignedSiteId,
    });
  }
  const riskAreas = new Map<string, RiskLevel>();
  for (const area of analysis.riskAreas) riskAreas.set(area.placeId, area.level);
  return { asOf: formatInstant(analysis.asOf), summary: reportSummary(analysis), cases, contacts, riskAreas };
}

/** The keys of the maps, each once, in code-unit order. */
const sortedKeys = (...maps: ReadonlyMap<string, unknown>[]): string[] =>
  [...new Set(maps.flatMap((map) => [...map.keys()]))].sort(compareCodeUnits);

/** What differs between the state `then` and the state `now` (see `ReportChanges`). */
export function changesSince(then: BriefingState, now: BriefingState): ReportChanges {
  const changes: ReportChanges = {
    since: then.asOf,
    summaryThen: then.summary,
    newCases: [],
    reclassifiedCases: [],
    newContacts: [],
    tierChanges: [],
    leftContacts: [],
    placementChanges: [],
    riskAreaChanges: [],
  };
  for (const personId of sortedKeys(now.cases)) {
    const classification = now.cases.get(personId)!;
    const before = then.cases.get(personId);
    if (before === undefined)
      changes.newCases.push({
        personId,
        classification,
        tierThen: then.contacts.get(personId)?.tier ?? null,
      });
    else if (before !== classification)
      changes.reclassifiedCases.push({ personId, from: before, to: classification });
  }
  for (const personId of sortedKeys(then.contacts, now.contacts)) {
    const before = then.contacts.get(personId);
    const after = now.contacts.get(personId);
    if (before === undefined && after !== undefined) {
      changes.newContacts.push({ personId, ...after });
    } else if (before !== undefined && after === undefined) {
      changes.leftContacts.push({ personId, tierThen: before.tier, becameCase: now.cases.has(personId) });
    } else if (before !== undefined && after !== undefined) {
      if (before.tier !== after.tier)
        changes.tierChanges.push({ personId, from: before.tier, to: after.tier });
      if (before.placement !== after.placement || before.siteId !== after.siteId)
        changes.placementChanges.push({
          personId,
          from: { placement: before.placement, siteId: before.siteId },
          to: { placement: after.placement, siteId: after.siteId },
        });
    }
  }
  for (const placeId of sortedKeys(then.riskAreas, now.riskAreas)) {
    const from = then.riskAreas.get(placeId) ?? null;
    const to = now.riskAreas.get(placeId) ?? null;
    if (from !== to) changes.riskAreaChanges.push({ placeId, from, to });
  }
  return changes;
}
