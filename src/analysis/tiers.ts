/**
 * Contact tiers: close contacts, contacts of close contacts and venue-exposed persons, by the
 * definitions of China's COVID-19 protocol, 9th edition (June 2022).
 *
 * - Close contact: lived with a case; same boat crew (or aboard a contaminated boat); handled a
 *   contaminated lot; a reported contact; together at least `closeContactMinutes` at a place whose
 *   kind is in `closeContactPlaceKinds` (enclosed: home, workshop, classroom, restaurant...).
 * - Contact of a close contact (only when `traceContactsOfCloseContacts`): lived with or had a
 *   reported contact with a close contact between the close contact's first exposure and their
 *   quarantine (not yet begun: `asOf`).
 * - Venue-exposed: at any other place with a case (or a contaminated place) for at least
 *   `venueExposureMinutes`.
 * A person keeps their highest tier; cases are not listed.
 */
import type { Parameters, Protocol } from '../domain/parameters';
import { MINUTE, formatInstant } from '../domain/time';
import type { Id, Instant } from '../domain/types';
import { groupBy, householdNights, staysOfSubjects, type ExposureOptions } from './exposures';
import type { Exposure, ExposureSetting, OutbreakData } from './model';

export type ContactTier = 'close_contact' | 'contact_of_close_contact' | 'venue_exposed';

/** Higher is more serious. */
export const TIER_RANK: Record<ContactTier, number> = {
  close_contact: 3,
  contact_of_close_contact: 2,
  venue_exposed: 1,
};

export interface TierEvidence {
  tier: ContactTier;
  /** The case or contaminated source; for a contact of a close contact, the close contact. */
  sourceId: Id;
  sourceKind: Exposure['sourceKind'] | 'close_contact';
  setting: ExposureSetting;
  hostId: Id | null;
  placeKind: string | null;
  contactSetting: string | null;
  start: Instant;
  end: Instant;
  minutes: number;
  nights?: number;
  /** In words: who, where, when, how long, and which rule it meets. */
  reason: string;
}

export interface TierEntry {
  personId: Id;
  tier: ContactTier;
  /** Evidence for the tier kept first, then any lower-tier evidence. */
  evidence: TierEvidence[];
  /** The cases or sources behind the kept tier (close contacts, for a contact of a close contact). */
  sourceIds: Id[];
  /** First and last exposure of the kept tier. */
  firstExposure: Instant;
  lastExposure: Instant;
}

export type TierOptions = Partial<ExposureOptions>;

function hoursAndMinutes(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

function sourceWords(e: Exposure): string {
  switch (e.sourceKind) {
    case 'case':
      return `case ${e.sourceId}`;
    case 'item':
      return `contaminated lot ${e.sourceId}`;
    case 'boat':
      return `contaminated boat ${e.sourceId}`;
    case 'place':
      return `contaminated place ${e.sourceId}`;
  }
}

/** The tier an exposure qualifies for on its own, or null when it qualifies for none. */
export function tierOfExposure(e: Exposure, protocol: Protocol): ContactTier | null {
  switch (e.setting) {
    case 'household':
    case 'boat':
    case 'cold_chain':
    case 'contact':
      return 'close_contact';
    case 'place':
      if (
        e.placeKind !== null &&
        protocol.closeContactPlaceKinds.includes(e.placeKind) &&
        e.minutes >= protocol.closeContactMinutes
      ) {
        return 'close_contact';
      }
      return e.minutes >= protocol.venueExposureMinutes ? 'venue_exposed' : null;
  }
}

function exposureReason(e: Exposure, tier: ContactTier, protocol: Protocol): string {
  const when = `${formatInstant(e.start)} to ${formatInstant(e.end)}`;
  const source = sourceWords(e);
  switch (e.setting) {
    case 'household':
      return `lives with ${source} at ${e.hostId}: ${e.nights ?? 0} night(s) together (${hoursAndMinutes(e.minutes)}), ${when}`;
    case 'boat':
      return e.sourceKind === 'case'
        ? `same crew as ${source} aboard ${e.hostId} for ${hoursAndMinutes(e.minutes)}, ${when}`
        : `aboard ${source} for ${hoursAndMinutes(e.minutes)}, ${when}`;
    case 'cold_chain':
      return `handled ${source} at ${formatInstant(e.start)}`;
    case 'contact':
      return `reported ${e.contactSetting ?? 'other'} contact with ${source} for ${hoursAndMinutes(e.minutes)}, ${when}`;
    case 'place': {
      const at =
        e.sourceKind === 'case'
          ? `with ${source} at ${e.placeKind ?? 'place'} ${e.hostId}`
          : `at ${source} (${e.placeKind ?? 'place'})`;
      const rule =
        tier === 'close_contact'
          ? `at least ${protocol.closeContactMinutes} min in an enclosed ${e.placeKind}`
          : `at least ${protocol.venueExposureMinutes} min at a venue`;
      return `${at} for ${hoursAndMinutes(e.minutes)} (${rule}), ${when}`;
    }
  }
}

function validate(data: OutbreakData, exposures: readonly Exposure[]): void {
  if (!Number.isFinite(data.asOf))
    throw new TypeError(`tiers: field "asOf" is not an instant (got ${String(data.asOf)})`);
  exposures.forEach((e, i) => {
    if (!(e.end >= e.start))
      throw new RangeError(
        `tiers: exposures[${i}] (${e.personId} to ${e.sourceId}): field "end" is before "start"`,
      );
    if (!(e.minutes >= 0))
      throw new RangeError(
        `tiers: exposures[${i}] (${e.personId} to ${e.sourceId}): field "minutes" is negative`,
      );
  });
}

/** Contacts of each close contact between their first exposure and `asOf`. */
function contactsOfCloseContacts(
  data: OutbreakData,
  closeContacts: Map<Id, { first: Instant }>,
  isCase: (id: Id) => boolean,
  options: TierOptions,
): Map<Id, TierEvidence[]> {
  const found = new Map<Id, TierEvidence[]>();
  const add = (personId: Id, evidence: TierEvidence): void => {
    if (isCase(personId) || closeContacts.has(personId)) return;
    const list = found.get(personId);
    if (list) list.push(evidence);
    else found.set(personId, [evidence]);
  };
  const residents = groupBy(
    [...data.persons.values()].filter((p) => p.homeId !== null),
    (p) => p.homeId as Id,
  );
  // Only close contacts and those living with them spend nights together here.
  const householders = new Set<Id>();
  for (const ccId of closeContacts.keys()) {
    householders.add(ccId);
    const homeId = data.persons.get(ccId)?.homeId ?? null;
    for (const member of homeId === null ? [] : (residents.get(homeId) ?? [])) householders.add(member.id);
  }
  const staysBySubject = staysOfSubjects(data.stays, householders);
  for (const [ccId, { first }] of closeContacts) {
    const homeId = data.persons.get(ccId)?.homeId ?? null;
    if (homeId === null) continue;
    for (const member of residents.get(homeId) ?? []) {
      if (member.id === ccId) continue;
      const nights = householdNights(ccId, member.id, homeId, first, data.asOf, staysBySubject, options);
      if (nights.length === 0) continue;
      const minutes = nights.reduce((sum, n) => sum + (n.end - n.start), 0) / MINUTE;
      const start = nights[0]!.start;
      const end = nights.at(-1)!.end;
      add(member.id, {
        tier: 'contact_of_close_contact',
        sourceId: ccId,
        sourceKind: 'close_contact',
        setting: 'household',
        hostId: homeId,
        placeKind: data.places.get(homeId)?.kind ?? 'home',
        contactSetting: null,
        start,
        end,
        minutes,
        nights: nights.length,
        reason: `lives with close contact ${ccId} at ${homeId}: ${nights.length} night(s) together since their exposure, ${formatInstant(start)} to ${formatInstant(end)}`,
      });
    }
  }
  for (const c of data.contacts) {
    for (const [ccId, other] of [
      [c.personA, c.personB],
      [c.personB, c.personA],
    ] as const) {
      const cc = closeContacts.get(ccId);
      if (!cc || other === ccId) continue;
      const start = Math.max(c.start, cc.first);
      const end = Math.min(c.end, data.asOf);
      if (end < start) continue;
      add(other, {
        tier: 'contact_of_close_contact',
        sourceId: ccId,
        sourceKind: 'close_contact',
        setting: 'contact',
        hostId: null,
        placeKind: null,
        contactSetting: c.setting,
        start,
        end,
        minutes: (end - start) / MINUTE,
        reason: `reported ${c.setting} contact with close contact ${ccId} for ${hoursAndMinutes((end - start) / MINUTE)}, ${formatInstant(start)} to ${formatInstant(end)}`,
      });
    }
  }
  return found;
}

function entryOf(personId: Id, evidence: TierEvidence[]): TierEntry {
  evidence.sort(
    (a, b) =>
      TIER_RANK[b.tier] - TIER_RANK[a.tier] || a.start - b.start || a.sourceId.localeCompare(b.sourceId),
  );
  const tier = evidence[0]!.tier;
  const kept = evidence.filter((e) => e.tier === tier);
  return {
    personId,
    tier,
    evidence,
    sourceIds: [...new Set(kept.map((e) => e.sourceId))].sort(),
    firstExposure: Math.min(...kept.map((e) => e.start)),
    lastExposure: Math.max(...kept.map((e) => e.end)),
  };
}

/**
 * The tier of every exposed person who is not a case, each with its evidence; sorted by tier
 * (close contacts first), then person id.
 */
export function assignTiers(
  data: OutbreakData,
  exposures: readonly Exposure[],
  params: Parameters,
  options: TierOptions = {},
): TierEntry[] {
  validate(data, exposures);
  const { protocol } = params;
  const caseIds = new Set(data.cases.map((c) => c.personId));
  const isCase = (id: Id): boolean => caseIds.has(id);

  const evidenceOf = new Map<Id, TierEvidence[]>();
  for (const e of exposures) {
    if (isCase(e.personId)) continue;
    const tier = tierOfExposure(e, protocol);
    if (tier === null) continue;
    const evidence: TierEvidence = {
      tier,
      sourceId: e.sourceId,
      sourceKind: e.sourceKind,
      setting: e.setting,
      hostId: e.hostId,
      placeKind: e.placeKind,
      contactSetting: e.contactSetting,
      start: e.start,
      end: e.end,
      minutes: e.minutes,
      ...(e.nights !== undefined ? { nights: e.nights } : {}),
      reason: exposureReason(e, tier, protocol),
    };
    const list = evidenceOf.get(e.personId);
    if (list) list.push(evidence);
    else evidenceOf.set(e.personId, [evidence]);
  }

  if (protocol.traceContactsOfCloseContacts) {
    const closeContacts = new Map<Id, { first: Instant }>();
    for (const [personId, evidence] of evidenceOf) {
      const close = evidence.filter((e) => e.tier === 'close_contact');
      if (close.length) closeContacts.set(personId, { first: Math.min(...close.map((e) => e.start)) });
    }
    for (const [personId, evidence] of contactsOfCloseContacts(data, closeContacts, isCase, options)) {
      const list = evidenceOf.get(personId);
      if (list) list.push(...evidence);
      else evidenceOf.set(personId, evidence);
    }
  }

  return [...evidenceOf]
    .map(([personId, evidence]) => entryOf(personId, evidence))
    .sort((a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier] || a.personId.localeCompare(b.personId));
}
