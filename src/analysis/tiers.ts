/**
 * Contact tiers: close contacts, contacts of close contacts and venue-exposed persons, by the
 * definitions of China's COVID-19 protocol, 9th edition (June 2022).
 *
 * - Close contact: lived with a case; same boat crew (or aboard a contaminated boat); handled a
 *   contaminated lot; a reported contact; together at least `closeContactMinutes` at a place whose
 *   kind is in `closeContactPlaceKinds` (enclosed: home, workshop, classroom, restaurant...).
 * - Contact of a close contact (only when `traceContactsOfCloseContacts`): lived with (nights at
 *   home together) or had a reported contact of at least `contactOfCloseContactMinutes` ("for a
 *   long time"; one recorded as an instant counts) with a close contact between the close contact's
 *   first close-contact exposure and their isolation: a stay at an isolation place, their release
 *   (`closeContactQuarantineDays` after their last close-contact exposure) or `asOf`, whichever
 *   comes first. Shared stays at places are not read for this: the stays of close contacts are
 *   fetched only where they reach into a night (src/analysis/load.ts), so a workmate of a close
 *   contact is found only as a reported contact.
 * - Upgraded close contact (only when `traceContactsOfCloseContacts`): "upgraded to close contact
 *   if that close contact turns positive". A case with a close-contact exposure of its own was a
 *   close contact from that exposure until its isolation; whoever lived with it or had a reported
 *   contact with it in that span is a close contact, through it. The part of the span inside its
 *   own infectious window already makes direct close contacts of the case (src/analysis/exposures.ts),
 *   so the upgrade covers the rest: from its first close-contact exposure to the opening of its
 *   infectious window (or `asOf`). Those upgraded are close contacts like any other, and their own
 *   contacts contacts of close contacts.
 * - Venue-exposed: at any other place with a case (or a contaminated place) for at least
 *   `venueExposureMinutes`. A contaminated place is judged as a case there would be: a close
 *   contact at the kinds of `closeContactPlaceKinds` (a cold store), venue-exposed elsewhere (a
 *   market with one positive stall does not make all its shoppers close contacts).
 * A person keeps their highest tier; cases are not listed.
 */
import { compareCodeUnits } from '../domain/code-units';
import type { Parameters, Protocol } from '../domain/parameters';
import { DAY, MINUTE, formatDateTime } from '../domain/time';
import type { Id, Instant, Stay } from '../domain/types';
import {
  awayFromHome,
  householdNights,
  compareLocale,
  contactOverlap,
  nightsTogether,
  residentsOf,
  NO_SPANS,
  NightPieces,
  type ExposureOptions,
} from './exposures';
import { caseWindows, isolationStaysOf, type CaseWindows, type InfectiousWindow } from './infectious-window';
import { InstantTable } from './instant-table';
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
  /**
   * The case or contaminated source; for a contact of a close contact, the close contact; for an
   * upgraded close contact (`tier` 'close_contact', `sourceKind` 'close_contact'), the close
   * contact who turned positive.
   */
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
  /**
   * Evidence for the tier kept first, then any lower-tier evidence. Of an entry `assignTiers`
   * made, built anew each time it is read (see `evidenceSourcesOf`).
   */
  evidence: TierEvidence[];
  /**
   * The cases or sources behind the kept tier (close contacts, for a contact of a close contact;
   * the close contacts who turned positive, for an upgraded close contact).
   */
  sourceIds: Id[];
  /** First and last exposure of the kept tier. */
  firstExposure: Instant;
  lastExposure: Instant;
}

export type TierOptions = Partial<ExposureOptions>;

/** What a piece of evidence is made from and reads its fields from: an exposure, or evidence itself. */
export type EvidenceSource = Pick<
  TierEvidence,
  | 'sourceId'
  | 'sourceKind'
  | 'setting'
  | 'hostId'
  | 'placeKind'
  | 'contactSetting'
  | 'start'
  | 'end'
  | 'minutes'
  | 'nights'
>;

const NO_IDS: readonly Id[] = Object.freeze([]);

/**
 * Whose close contact the entry's person is: the cases, lots, boats and places (and the close
 * contacts who turned positive) behind a close contact's tier, the entry's own sorted list; none
 * for another tier.
 */
export const closeContactOf = (entry: TierEntry | undefined | null): readonly Id[] =>
  entry?.tier === 'close_contact' ? entry.sourceIds : NO_IDS;

/** The close contacts through whom a contact of a close contact is one; none for another tier. */
export const closeContactsMet = (entry: TierEntry | undefined | null): readonly Id[] =>
  entry?.tier === 'contact_of_close_contact' ? entry.sourceIds : NO_IDS;

/** Where an entry `assignTiers` made keeps what its evidence is built from (not enumerable). */
const SOURCES = Symbol('evidenceSources');

/**
 * The entry's evidence as what it is made from, in the order of `evidence`, without building it:
 * each exposure itself, and the evidence through close contacts (whose `sourceKind` is
 * 'close_contact': full evidence, see `isCloseContactEvidence`). Readers of the fields alone (the
 * quarantine plan, the report's contacts) read these: at a million persons the evidence is 6.7
 * million objects, which kept for the whole analysis cost seconds of garbage collection and some
 * 350 MB. An entry made otherwise (by hand, or a copy from a worker) gives its `evidence`.
 */
export function evidenceSourcesOf(entry: TierEntry): readonly EvidenceSource[] {
  return (entry as { [SOURCES]?: readonly EvidenceSource[] })[SOURCES] ?? entry.evidence;
}

/**
 * Whether the evidence is through a close contact (a contact of a close contact's, or an upgraded
 * close contact's): full evidence.
 */
export function isCloseContactEvidence(source: EvidenceSource): source is TierEvidence {
  return source.sourceKind === 'close_contact';
}

/**
 * Whether the evidence is an upgrade: time with a close contact who has since turned positive
 * (a case now), between their first close-contact exposure and their infectious window.
 */
export function isUpgradeEvidence(source: EvidenceSource): boolean {
  return isCloseContactEvidence(source) && source.tier === 'close_contact';
}

function hoursAndMinutes(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

function sourceWords(e: Pick<TierEvidence, 'sourceKind' | 'sourceId'>): string {
  switch (e.sourceKind) {
    case 'case':
      return `case ${e.sourceId}`;
    case 'item':
      return `contaminated lot ${e.sourceId}`;
    case 'boat':
      return `contaminated boat ${e.sourceId}`;
    case 'place':
      return `contaminated place ${e.sourceId}`;
    case 'close_contact':
      return `close contact ${e.sourceId}`;
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

/** The inner map of a map of maps (memos keyed twice build no key string per look-up). */
function innerMap<A, B, V>(outer: Map<A, Map<B, V>>, key: A): Map<B, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

/**
 * Writes the reasons of the evidence, in words. Most of a reason repeats across exposures: the
 * instants (a 100k-person district's quarter of a million exposures begin and end at about ten
 * thousand), a source at its host, a duration under a rule. Each part is written once and shared,
 * so that a reason costs a few joins instead of a dozen new strings.
 */
class ReasonWriter {
  /** Instant texts, keyed without boxing (src/analysis/instant-table.ts), as in the report. */
  private readonly instants = new InstantTable<string>();
  /** Place exposures: "with case C at market M" or "at contaminated place M (market)". */
  private readonly placeOpenings = new Map<
    Id,
    Map<Id | null, Pick<TierEvidence, 'sourceKind' | 'placeKind'> & { text: string }>
  >();
  /** Place exposures: " for 2 h (at least 15 min at a venue), " by rule, then minutes. */
  private readonly placeMiddles = new Map<string, Map<number, string>>();
  /** The close-contact rule by place kind. */
  private readonly closeContactRules = new Map<string | null, string>();

  private readonly venueRule: string;

  constructor(private readonly protocol: Protocol) {
    this.venueRule = `at least ${protocol.venueExposureMinutes} min at a venue`;
  }

  /** `formatDateTime(at)` (`2022-08-03 16:47`, as texts for people give times), the same string each time. */
  instant(at: Instant): string {
    let text = this.instants.get(at);
    if (text === undefined) this.instants.set(at, (text = formatDateTime(at)));
    return text;
  }

  /** The reason of `e` (an exposure's evidence, or a contact of a close contact's). */
  of(e: TierEvidence): string {
    if (e.sourceKind === 'close_contact' && e.tier === 'close_contact') {
      const who = `${sourceWords(e)}, who turned positive`;
      return e.setting === 'household'
        ? `upgraded: lives with ${who}, at ${e.hostId}: ${e.nights} night(s) together between their exposure and their infectious window, ${this.when(e)}`
        : `upgraded: reported ${e.contactSetting} contact with ${who}, ${this.contactTime(e)}, between their exposure and their infectious window`;
    }
    if (e.sourceKind === 'close_contact') {
      return e.setting === 'household'
        ? `lives with ${sourceWords(e)} at ${e.hostId}: ${e.nights} night(s) together since their exposure, ${this.when(e)}`
        : `reported ${e.contactSetting} contact with ${sourceWords(e)} ${this.contactTime(e)}`;
    }
    switch (e.setting) {
      case 'household':
        return `lives with ${sourceWords(e)} at ${e.hostId}: ${e.nights ?? 0} night(s) together (${hoursAndMinutes(e.minutes)}), ${this.when(e)}`;
      case 'boat':
        return e.sourceKind === 'case'
          ? `same crew as ${sourceWords(e)} aboard ${e.hostId} for ${hoursAndMinutes(e.minutes)}, ${this.when(e)}`
          : `aboard ${sourceWords(e)} for ${hoursAndMinutes(e.minutes)}, ${this.when(e)}`;
      case 'cold_chain':
        return `handled ${sourceWords(e)} at ${this.instant(e.start)}`;
      case 'contact':
        return `reported ${e.contactSetting ?? 'other'} contact with ${sourceWords(e)} ${this.contactTime(e)}`;
      case 'place':
        return this.placeOpening(e) + this.placeMiddle(e) + this.when(e);
    }
  }

  /** "for 2 h, <start> to <end>", or of a contact recorded as an instant "at <instant> (no duration recorded)". */
  private contactTime(e: TierEvidence): string {
    return e.minutes > 0 || e.end > e.start
      ? `for ${hoursAndMinutes(e.minutes)}, ${this.when(e)}`
      : `at ${this.instant(e.start)} (no duration recorded)`;
  }

  /** "<start> to <end>". */
  private when(e: TierEvidence): string {
    return `${this.instant(e.start)} to ${this.instant(e.end)}`;
  }

  private placeOpening(e: TierEvidence): string {
    const byHost = innerMap(this.placeOpenings, e.sourceId);
    const shared = byHost.get(e.hostId);
    // A source and a host name their own kinds: written anew should an exposure say otherwise.
    if (shared && shared.sourceKind === e.sourceKind && shared.placeKind === e.placeKind) return shared.text;
    const text =
      e.sourceKind === 'case'
        ? `with ${sourceWords(e)} at ${e.placeKind ?? 'place'} ${e.hostId}`
        : `at ${sourceWords(e)} (${e.placeKind ?? 'place'})`;
    if (!shared) byHost.set(e.hostId, { sourceKind: e.sourceKind, placeKind: e.placeKind, text });
    return text;
  }

  private placeMiddle(e: TierEvidence): string {
    let rule = this.venueRule;
    if (e.tier === 'close_contact') {
      rule =
        this.closeContactRules.get(e.placeKind) ??
        `at least ${this.protocol.closeContactMinutes} min in an enclosed ${e.placeKind}`;
      this.closeContactRules.set(e.placeKind, rule);
    }
    const byMinutes = innerMap(this.placeMiddles, rule);
    let text = byMinutes.get(e.minutes);
    if (text === undefined)
      byMinutes.set(e.minutes, (text = ` for ${hoursAndMinutes(e.minutes)} (${rule}), `));
    return text;
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

/**
 * Evidence with its reason written when read, and its instants and minutes read from the exposure
 * it was made from: a district's evidence is one per qualifying exposure (6.7 million at a million
 * persons), and its reasons are read only by the API, for a few persons at a time. Reason, start,
 * end and minutes are own, enumerable properties all the same (accessors), so that spreading,
 * comparing or serialising evidence sees plain data, in the same field order.
 */
class LazyReasonEvidence implements TierEvidence {
  declare tier: ContactTier;
  declare sourceId: Id;
  declare sourceKind: TierEvidence['sourceKind'];
  declare setting: ExposureSetting;
  declare hostId: Id | null;
  declare placeKind: string | null;
  declare contactSetting: string | null;
  declare readonly start: Instant;
  declare readonly end: Instant;
  declare readonly minutes: number;
  declare nights?: number;
  declare readonly reason: string;
  /** What the evidence was made from, which holds its instants and minutes. */
  declare private readonly from: EvidenceSource;

  constructor(
    tier: ContactTier,
    from: EvidenceSource,
    /** The `reason` accessor, one per run (its reasons share their parts). */
    reason: PropertyDescriptor,
  ) {
    this.tier = tier;
    this.sourceId = from.sourceId;
    this.sourceKind = from.sourceKind;
    this.setting = from.setting;
    this.hostId = from.hostId;
    this.placeKind = from.placeKind;
    this.contactSetting = from.contactSetting;
    // Read from the exposure rather than copied: V8 keeps each number field that is not a small
    // integer in a box of its own, and instants never are (three boxes an evidence, 20 million
    // at a million persons). Own, enumerable accessors, so the evidence still reads, spreads and
    // serialises as plain data; `from` itself is not enumerable.
    Object.defineProperty(this, 'from', { value: from });
    Object.defineProperty(this, 'start', START);
    Object.defineProperty(this, 'end', END);
    Object.defineProperty(this, 'minutes', MINUTES);
    // Household evidence alone counts nights; others have no such field.
    if (from.nights !== undefined) this.nights = from.nights;
    Object.defineProperty(this, 'reason', reason);
  }
}

/** An own, enumerable accessor reading `field` of what the evidence was made from. */
const readFromSource = (field: 'start' | 'end' | 'minutes'): PropertyDescriptor => ({
  get(this: { from: EvidenceSource }) {
    return this.from[field];
  },
  enumerable: true,
  configurable: true,
});
const START = readFromSource('start');
const END = readFromSource('end');
const MINUTES = readFromSource('minutes');

/** The `reason` accessor of a run's evidence: written by `reasons` from the evidence itself. */
function reasonAccessor(reasons: ReasonWriter): PropertyDescriptor {
  return {
    get(this: TierEvidence): string {
      return reasons.of(this);
    },
    enumerable: true,
    configurable: true,
  };
}

/**
 * A close contact's span: from their first close-contact exposure (`first`) until `until`: their
 * isolation (a stay at an isolation place), their release (`closeContactQuarantineDays` after the
 * last close-contact exposure: no longer a close contact), or `asOf`, whichever comes first.
 */
export interface CloseContactSpan {
  first: Instant;
  until: Instant;
}

/**
 * The span in which a case had been a close contact before its infectious window opened: from its
 * first close-contact exposure (`first`) to the window's opening (or `asOf`, if sooner); null when
 * that exposure came later. Those it lived with or met then are upgraded to close contacts; the
 * load (src/analysis/load.ts) fetches their contacts and nights over it.
 */
export function upgradeSpan(
  first: Instant,
  window: InfectiousWindow | undefined,
  asOf: Instant,
): CloseContactSpan | null {
  const until = Math.min(window?.from ?? asOf, asOf);
  return first < until ? { first, until } : null;
}

/**
 * Those who lived with or had a reported contact with each close contact in their span, as evidence
 * of `tier` through them: contacts of close contacts (spans until `asOf`), or upgraded close
 * contacts (close contacts who turned positive, spans until their infectious window). Only persons
 * for whom `counts` holds are listed.
 */
function contactsOfCloseContacts(
  data: OutbreakData,
  closeContacts: Map<Id, CloseContactSpan>,
  counts: (personId: Id) => boolean,
  tier: ContactTier,
  reason: PropertyDescriptor,
  nights: ExposureOptions,
  minContactMinutes: number,
): Map<Id, LazyReasonEvidence[]> {
  const found = new Map<Id, LazyReasonEvidence[]>();
  const add = (personId: Id, evidence: LazyReasonEvidence): void => {
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
  const together = new NightPieces();
  for (const [ccId, { first, until }] of closeContacts) {
    const homeId = homeOf(ccId);
    if (homeId === null) continue;
    const placeKind = data.places.get(homeId)?.kind ?? 'home';
    const awayOfCloseContact = away.get(ccId) ?? NO_SPANS;
    for (const member of residents.get(homeId) ?? []) {
      if (member.id === ccId || !counts(member.id)) continue;
      nightsTogether(first, until, awayOfCloseContact, away.get(member.id) ?? NO_SPANS, nights, together);
      if (together.length === 0) continue;
      let total = 0;
      for (let k = 0; k < together.length; k++) total += together.ends[k]! - together.starts[k]!;
      const evidence = {
        sourceId: ccId,
        sourceKind: 'close_contact',
        setting: 'household',
        hostId: homeId,
        placeKind,
        contactSetting: null,
        start: together.starts[0]!,
        end: together.ends[together.length - 1]!,
        minutes: total / MINUTE,
        nights: together.length,
      } as const;
      add(member.id, new LazyReasonEvidence(tier, evidence, reason));
    }
  }
  const addContact = (ccId: Id, other: Id, c: OutbreakData['contacts'][number]): void => {
    const cc = closeContacts.get(ccId);
    if (!cc || other === ccId || !counts(other)) return;
    // As a case's reported contacts (exposures.ts): no time together in the span, no evidence.
    const overlap = contactOverlap(c, cc.first, cc.until);
    if (!overlap) return;
    const { start, end } = overlap;
    // "For a long time": a brief contact does not count; one without a duration (an instant) does.
    if (end > start && end - start < minContactMinutes * MINUTE) return;
    const evidence = {
      sourceId: ccId,
      sourceKind: 'close_contact',
      setting: 'contact',
      hostId: null,
      placeKind: null,
      contactSetting: c.setting,
      start,
      end,
      minutes: (end - start) / MINUTE,
    } as const;
    add(other, new LazyReasonEvidence(tier, evidence, reason));
  };
  for (const c of data.contacts) {
    addContact(c.personA, c.personB, c);
    addContact(c.personB, c.personA, c);
  }
  return found;
}

/**
 * When a close contact whose last close-contact exposure was at `lastExposure` is released from
 * quarantine (`closeContactQuarantineDays` after it): no longer a close contact from then.
 */
export function closeContactRelease(lastExposure: Instant, protocol: Protocol): Instant {
  return lastExposure + protocol.closeContactQuarantineDays * DAY;
}

/**
 * When a close contact first exposed at `first` was isolated: the start of their first stay at an
 * isolation place still running at `first` or later (at `first` itself if it had begun), else never.
 */
function isolatedFrom(stays: readonly Stay[] | undefined, first: Instant): Instant {
  let isolated = Infinity;
  for (const s of stays ?? []) if (s.end > first) isolated = Math.min(isolated, Math.max(s.start, first));
  return isolated;
}

/**
 * Sorts in place, stably, like `list.sort(compare)`; short lists (a person's evidence, mostly) by
 * insertion, which allocates nothing where the built-in sort sets up its merge state each call.
 */
function sortStably<T>(list: T[], compare: (a: T, b: T) => number): void {
  if (list.length > 16) {
    list.sort(compare);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    for (; j >= 0 && compare(list[j]!, item) > 0; j--) list[j + 1] = list[j]!;
    list[j + 1] = item;
  }
}

/** Earlier first, then by source: the order of one tier's evidence. */
function compareWithinTier(a: EvidenceSource, b: EvidenceSource): number {
  return a.start - b.start || compareLocale(a.sourceId, b.sourceId);
}

/** What `assignTiers` gathers per person: their exposures, then evidence through close contacts. */
type Gathered = Exposure | LazyReasonEvidence;

function tierOfGathered(item: Gathered, protocol: Protocol): ContactTier {
  // Only exposures that qualify for a tier are gathered.
  return item instanceof LazyReasonEvidence ? item.tier : tierOfExposure(item, protocol)!;
}

/**
 * Sorts a person's evidence as the stable sort by tier (higher first), start and source would,
 * in place: each tier's share sorted on its own (`sortStably`) and the shares put back in tier
 * order. Returns the kept (highest) tier and how many items it has.
 */
class TierSorter {
  private readonly byTier: Record<ContactTier, Gathered[]> = {
    close_contact: [],
    contact_of_close_contact: [],
    venue_exposed: [],
  };

  constructor(private readonly protocol: Protocol) {}

  sort(items: Gathered[]): { tier: ContactTier; count: number } {
    const { byTier } = this;
    for (const item of items) byTier[tierOfGathered(item, this.protocol)].push(item);
    let kept: { tier: ContactTier; count: number } | null = null;
    let k = 0;
    for (const tier of TIERS_FIRST_KEPT) {
      const share = byTier[tier];
      if (share.length === 0) continue;
      sortStably(share, compareWithinTier);
      kept ??= { tier, count: share.length };
      for (const item of share) items[k++] = item;
      share.length = 0;
    }
    return kept!;
  }
}

const TIERS_FIRST_KEPT: readonly ContactTier[] = [
  'close_contact',
  'contact_of_close_contact',
  'venue_exposed',
];

/**
 * The `evidence` accessor of a run's entries: the evidence built from the sources each time it is
 * read (see `evidenceSourcesOf`), with the run's reasons.
 */
function evidenceAccessor(protocol: Protocol, reason: PropertyDescriptor): PropertyDescriptor {
  return {
    get(this: { [SOURCES]: readonly Gathered[] }): TierEvidence[] {
      return this[SOURCES].map((item) =>
        item instanceof LazyReasonEvidence
          ? item
          : new LazyReasonEvidence(tierOfExposure(item, protocol)!, item, reason),
      );
    },
    enumerable: true,
    configurable: true,
  };
}

/** Distinct sources searched as a list up to this many (see `entryOf`). */
const SHORT_LIST_MAX = 8;

function entryOf(
  personId: Id,
  items: Gathered[],
  sorter: TierSorter,
  evidence: PropertyDescriptor,
): TierEntry {
  const { tier, count } = sorter.sort(items);
  // The kept tier's evidence comes first.
  const sourceIds: Id[] = [];
  let firstExposure = Infinity;
  let lastExposure = -Infinity;
  // A list is searched while short; past SHORT_LIST_MAX sources a set is kept beside it. At a
  // million persons one person has up to 872 exposures, and searching the list alone took this
  // loop 1.9 s of the tiers' 14–18 s (0.95 s with the set).
  let seen: Set<Id> | undefined;
  for (let i = 0; i < count; i++) {
    const e = items[i]!;
    const sourceId = e.sourceId;
    if (seen !== undefined) {
      if (!seen.has(sourceId)) {
        seen.add(sourceId);
        sourceIds.push(sourceId);
      }
    } else if (!sourceIds.includes(sourceId)) {
      sourceIds.push(sourceId);
      if (sourceIds.length > SHORT_LIST_MAX) seen = new Set(sourceIds);
    }
    firstExposure = Math.min(firstExposure, e.start);
    lastExposure = Math.max(lastExposure, e.end);
  }
  sortStably(sourceIds, compareCodeUnits);
  // The fields in the interface's order, `evidence` an own, enumerable accessor shared by the run's
  // entries (one shape for all), and the sources beside it, not enumerable.
  const entry = { personId, tier } as TierEntry;
  Object.defineProperty(entry, 'evidence', evidence);
  entry.sourceIds = sourceIds;
  entry.firstExposure = firstExposure;
  entry.lastExposure = lastExposure;
  Object.defineProperty(entry, SOURCES, { value: items });
  return entry;
}

/**
 * The tier of every exposed person who is not a case, each with its evidence; sorted by tier
 * (close contacts first), then person id. `windows`: the cases' windows under `params`
 * (`caseWindows(data, params)`), when worked out already.
 */
export function assignTiers(
  data: OutbreakData,
  exposures: readonly Exposure[],
  params: Parameters,
  options: TierOptions = {},
  windows?: CaseWindows,
): TierEntry[] {
  validate(data, exposures);
  const { protocol } = params;
  const nights = { ...householdNights(protocol), ...options };
  const caseIds = new Set(data.cases.map((c) => c.personId));
  const isCase = (id: Id): boolean => caseIds.has(id);
  const reason = reasonAccessor(new ReasonWriter(protocol));

  // The exposures themselves are gathered, not evidence made of them (see `evidenceSourcesOf`).
  // They come person by person (src/analysis/exposures.ts sorts them so): the person's standing
  // and list are looked up once per run of their exposures, not once per exposure (6.7 million
  // at a million persons). Any order gives the same lists.
  const gathered = new Map<Id, Gathered[]>();
  // The first close-contact exposure of each case that had one (cases' exposures are few).
  const traced = protocol.traceContactsOfCloseContacts;
  const caseFirst = new Map<Id, Instant>();
  let runPerson: Id | undefined;
  let runList: Gathered[] | null = null;
  for (let i = 0; i < exposures.length; i++) {
    const e = exposures[i]!;
    if (e.personId !== runPerson) {
      runPerson = e.personId;
      runList = isCase(runPerson) ? null : (gathered.get(runPerson) ?? []);
    }
    if (runList === null) {
      if (traced && tierOfExposure(e, protocol) === 'close_contact') {
        const first = caseFirst.get(runPerson);
        if (first === undefined || e.start < first) caseFirst.set(runPerson, e.start);
      }
      continue;
    }
    if (tierOfExposure(e, protocol) === null) continue;
    // Listed on its first qualifying exposure, so that the map's order is that of `exposures`.
    if (runList.length === 0) gathered.set(runPerson, runList);
    runList.push(e);
  }
  const gather = (evidence: LazyReasonEvidence[], personId: Id): void => {
    const list = gathered.get(personId);
    if (list) for (const e of evidence) list.push(e);
    else gathered.set(personId, evidence);
  };

  if (traced) {
    // Close contacts who turned positive: their span as close contacts before their window.
    const upgrading = new Map<Id, CloseContactSpan>();
    if (caseFirst.size > 0) {
      const windowOf = windows ?? caseWindows(data, params);
      caseFirst.forEach((first, caseId) => {
        const span = upgradeSpan(first, windowOf.get(caseId), data.asOf);
        if (span) upgrading.set(caseId, span);
      });
    }
    if (upgrading.size > 0)
      contactsOfCloseContacts(
        data,
        upgrading,
        (personId) => !isCase(personId),
        'close_contact',
        reason,
        nights,
        protocol.contactOfCloseContactMinutes,
      ).forEach(gather);
    const closeContacts = new Map<Id, CloseContactSpan>();
    const isolations = isolationStaysOf(data, protocol, null);
    gathered.forEach((items, personId) => {
      let first = Infinity;
      let last = -Infinity;
      for (const e of items)
        if (tierOfGathered(e, protocol) === 'close_contact') {
          first = Math.min(first, e.start);
          last = Math.max(last, e.end);
        }
      if (first === Infinity) return;
      const released = closeContactRelease(last, protocol);
      const isolated = isolatedFrom(isolations.get(personId), first);
      closeContacts.set(personId, { first, until: Math.min(data.asOf, released, isolated) });
    });
    // Cases and close contacts keep their own (higher) standing.
    const counts = (personId: Id): boolean => !isCase(personId) && !closeContacts.has(personId);
    contactsOfCloseContacts(
      data,
      closeContacts,
      counts,
      'contact_of_close_contact',
      reason,
      nights,
      protocol.contactOfCloseContactMinutes,
    ).forEach(gather);
  }

  const sorter = new TierSorter(protocol);
  const evidence = evidenceAccessor(protocol, reason);
  const entries: TierEntry[] = [];
  gathered.forEach((items, personId) => entries.push(entryOf(personId, items, sorter, evidence)));
  return entries.sort(
    (a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier] || compareLocale(a.personId, b.personId),
  );
}
