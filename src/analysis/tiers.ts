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
import { DEFAULTS, awayFromHome, forEachNightTogether, residentsOf, type ExposureOptions } from './exposures';
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

/**
 * `formatInstant`, remembering what it wrote: exposures begin and end at the same few instants
 * (stays' starts and ends, nights), so most are formatted once and share one string.
 */
function instantFormatter(): (at: Instant) => string {
  const written = new Map<Instant, string>();
  return (at) => {
    let text = written.get(at);
    if (text === undefined) written.set(at, (text = formatInstant(at)));
    return text;
  };
}

function exposureReason(
  e: Exposure,
  tier: ContactTier,
  protocol: Protocol,
  format: (at: Instant) => string,
): string {
  const when = `${format(e.start)} to ${format(e.end)}`;
  const source = sourceWords(e);
  switch (e.setting) {
    case 'household':
      return `lives with ${source} at ${e.hostId}: ${e.nights ?? 0} night(s) together (${hoursAndMinutes(e.minutes)}), ${when}`;
    case 'boat':
      return e.sourceKind === 'case'
        ? `same crew as ${source} aboard ${e.hostId} for ${hoursAndMinutes(e.minutes)}, ${when}`
        : `aboard ${source} for ${hoursAndMinutes(e.minutes)}, ${when}`;
    case 'cold_chain':
      return `handled ${source} at ${format(e.start)}`;
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
  format: (at: Instant) => string,
  options: TierOptions,
): Map<Id, TierEvidence[]> {
  const found = new Map<Id, TierEvidence[]>();
  // Cases and close contacts keep their own (higher) standing.
  const counts = (personId: Id): boolean => !isCase(personId) && !closeContacts.has(personId);
  const add = (personId: Id, evidence: TierEvidence): void => {
    const list = found.get(personId);
    if (list) list.push(evidence);
    else found.set(personId, [evidence]);
  };
  const homeOf = (personId: Id): Id | null => data.persons.get(personId)?.homeId ?? null;
  const homes = new Set<Id>();
  for (const ccId of closeContacts.keys()) {
    const homeId = homeOf(ccId);
    if (homeId !== null) homes.add(homeId);
  }
  const residents = residentsOf(data, homes);
  // Only close contacts and those living with them spend nights together here.
  const householders = new Set<Id>();
  for (const ccId of closeContacts.keys()) {
    householders.add(ccId);
    const homeId = homeOf(ccId);
    for (const member of homeId === null ? [] : (residents.get(homeId) ?? [])) householders.add(member.id);
  }
  const away = awayFromHome(data, householders);
  const settings = { ...DEFAULTS, ...options };
  for (const [ccId, { first }] of closeContacts) {
    const homeId = homeOf(ccId);
    if (homeId === null) continue;
    const placeKind = data.places.get(homeId)?.kind ?? 'home';
    const awayOfCloseContact = away.get(ccId) ?? [];
    for (const member of residents.get(homeId) ?? []) {
      if (member.id === ccId || !counts(member.id)) continue;
      let pieces = 0;
      let total = 0;
      let start = 0;
      let end = 0;
      const awayOfMember = away.get(member.id) ?? [];
      forEachNightTogether(first, data.asOf, awayOfCloseContact, awayOfMember, settings, (from, to) => {
        if (pieces++ === 0) start = from;
        end = to;
        total += to - from;
      });
      if (pieces === 0) continue;
      add(member.id, {
        tier: 'contact_of_close_contact',
        sourceId: ccId,
        sourceKind: 'close_contact',
        setting: 'household',
        hostId: homeId,
        placeKind,
        contactSetting: null,
        start,
        end,
        minutes: total / MINUTE,
        nights: pieces,
        reason: `lives with close contact ${ccId} at ${homeId}: ${pieces} night(s) together since their exposure, ${format(start)} to ${format(end)}`,
      });
    }
  }
  for (const c of data.contacts) {
    for (const [ccId, other] of [
      [c.personA, c.personB],
      [c.personB, c.personA],
    ] as const) {
      const cc = closeContacts.get(ccId);
      if (!cc || other === ccId || !counts(other)) continue;
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
        reason: `reported ${c.setting} contact with close contact ${ccId} for ${hoursAndMinutes((end - start) / MINUTE)}, ${format(start)} to ${format(end)}`,
      });
    }
  }
  return found;
}

/** The evidence an exposure gives for `tier` (its fields in the same order as the exposure's). */
function evidenceOfExposure(e: Exposure, tier: ContactTier, reason: string): TierEvidence {
  const { sourceId, sourceKind, setting, hostId, placeKind, contactSetting, start, end, minutes } = e;
  return e.nights === undefined
    ? { tier, sourceId, sourceKind, setting, hostId, placeKind, contactSetting, start, end, minutes, reason }
    : {
        tier,
        sourceId,
        sourceKind,
        setting,
        hostId,
        placeKind,
        contactSetting,
        start,
        end,
        minutes,
        nights: e.nights,
        reason,
      };
}

function entryOf(personId: Id, evidence: TierEvidence[]): TierEntry {
  evidence.sort(
    (a, b) =>
      TIER_RANK[b.tier] - TIER_RANK[a.tier] || a.start - b.start || a.sourceId.localeCompare(b.sourceId),
  );
  const tier = evidence[0]!.tier;
  // The kept tier's evidence comes first.
  const sourceIds = new Set<Id>();
  let firstExposure = Infinity;
  let lastExposure = -Infinity;
  for (const e of evidence) {
    if (e.tier !== tier) break;
    sourceIds.add(e.sourceId);
    firstExposure = Math.min(firstExposure, e.start);
    lastExposure = Math.max(lastExposure, e.end);
  }
  return { personId, tier, evidence, sourceIds: [...sourceIds].sort(), firstExposure, lastExposure };
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
  const format = instantFormatter();

  const evidenceOf = new Map<Id, TierEvidence[]>();
  for (const e of exposures) {
    if (isCase(e.personId)) continue;
    const tier = tierOfExposure(e, protocol);
    if (tier === null) continue;
    const evidence = evidenceOfExposure(e, tier, exposureReason(e, tier, protocol, format));
    const list = evidenceOf.get(e.personId);
    if (list) list.push(evidence);
    else evidenceOf.set(e.personId, [evidence]);
  }

  if (protocol.traceContactsOfCloseContacts) {
    const closeContacts = new Map<Id, { first: Instant }>();
    for (const [personId, evidence] of evidenceOf) {
      let first = Infinity;
      for (const e of evidence) if (e.tier === 'close_contact') first = Math.min(first, e.start);
      if (first !== Infinity) closeContacts.set(personId, { first });
    }
    for (const [personId, evidence] of contactsOfCloseContacts(
      data,
      closeContacts,
      isCase,
      format,
      options,
    )) {
      const list = evidenceOf.get(personId);
      if (list) list.push(...evidence);
      else evidenceOf.set(personId, evidence);
    }
  }

  return [...evidenceOf]
    .map(([personId, evidence]) => entryOf(personId, evidence))
    .sort((a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier] || a.personId.localeCompare(b.personId));
}
