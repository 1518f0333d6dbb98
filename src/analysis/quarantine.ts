/**
 * Quarantine priority and bed allocation: who is most likely infected now and most likely to pass
 * it on, first to a bed, under the close-contact management of China's COVID-19 protocol,
 * 9th edition (centralised quarantine from the last exposure, home monitoring, PCR days).
 *
 * Probability of being infected now, per exposed person who is not a case, with the transmission
 * model of the infector inference (src/analysis/infector.ts, after Wallinga & Teunis 2004):
 *
 *   λ_e = h_e · ρ_s · f_e                 expected transmissions of exposure e
 *   p_e = 1 − exp(−λ_e)                   chance that e infected the person (Poisson)
 *   s_e = 1 − F_inc((asOf − m_e) / 1 day)  chance an infection at e is still without onset at asOf
 *   P   = [1 − Π_e (1 − p_e · s_e)] / [1 − Π_e (1 − p_e · s_e) + Π_e (1 − p_e)]
 *
 * with h_e the hours of the exposure, ρ_s = `ratePerHour` of its setting s (`attackSettingOf`: the
 * setting's attack rate over its typical hours, `attackRateHours`; a stay at a contaminated place
 * or boat `environmentalRatePerHour`, a handled lot or a reported contact recorded as an instant one
 * attack rate of its setting: `exposureStrength`),
 * f_e the source's relative infectiousness over the exposure (`relativeInfectiousness`: 1 after
 * onset, `presymptomaticInfectiousness` before it, `asymptomaticInfectiousness` without onset,
 * averaged over the span; 1 for a contaminated source), m_e the middle of the exposure and F_inc
 * the incubation period's cdf (src/domain/distributions.ts). P is Bayes' rule given that the
 * person is not a case at asOf: infected and still silent, over silent at all (a person exposed 6
 * days ago who has shown nothing is less likely infected than one exposed yesterday). A contact
 * of a close contact X adds p = P(X) · (1 − exp(−h · ρ_s · f_pre)) for their time with X (X, if
 * infected, is pre-symptomatic), weighed with s at the middle of that time. An upgraded close
 * contact (time with a close contact X who has since turned positive, before X's infectious window:
 * src/analysis/tiers.ts) adds p = 1 − exp(−h · ρ_s · f_X) for it, X being a case: P(X) = 1, and f_X
 * X's own relative infectiousness over that time, as for an exposure to a case.
 *
 * Priority score = P · (1 + w_h · (household size − 1) + w_c · c) · (1 + w_v · vulnerable),
 * the household size the residents of the person's home (`data.persons`, or `data.householdSizes`
 * where the load counted them in the store), c the person's centrality in the exposure graph
 * divided by the highest among the persons ranked (graphology-metrics; PageRank by default),
 * vulnerable = age ≥ `vulnerableOlderAge` or ≤ `vulnerableYoungerAge`; the weights are
 * `protocol.quarantinePriority`. Priority 1 = the contact (a person with a tier) with the highest
 * score among those whose quarantine is not over at `asOf`; the contacts whose quarantine is over
 * (placement `completed`) follow every other contact, by score: the list says what to do next.
 * Persons exposed below every tier (placement `none`) are ranked after every contact, by score: the
 * reports and the API's quarantine list show only the contacts, whose priorities so run 1, 2, 3, …
 * without gaps. Neither takes a new bed, so where they rank changes no one's bed; those below every
 * tier still count in the centrality's scale.
 *
 * Beds: persons of the tiers sent to centralised quarantine (close contacts by default) take beds
 * at `data.quarantineSites` in priority order, under an optional overall `capacity`. A person's
 * household members waiting for a bed go with them to one site (the site that fits them with the
 * fewest beds to spare) when any site has room for all; otherwise the person alone goes to the
 * site with the most free beds. Beds already taken count first: a person with a stay at a quarantine
 * site covering `asOf` occupies a bed there (`data.stays` and `data.quarantineStays`); an exposed
 * person among them keeps that site (placement `site`), and the others share the beds left. A
 * contact whose quarantine is already over and who is still there keeps placement `completed`,
 * with that site as `assignedSiteId`: due for release, their bed counted in the site's
 * `dueForRelease`. Occupied beds count against the overall `capacity` too, as it models the beds
 * available in all. Release = last exposure + quarantine days; PCR on quarantine day n means the
 * calendar day n days after the day of the last exposure (home days: after release).
 */
import betweenness from 'graphology-metrics/centrality/betweenness';
import { degreeCentrality } from 'graphology-metrics/centrality/degree';
import pagerank from 'graphology-metrics/centrality/pagerank';
import type { Parameters, Pathogen } from '../domain/parameters';
import { cdf } from '../domain/distributions';
import { fixedText } from '../domain/number-text';
import { DAY, formatDate, formatDuration, startOfDay } from '../domain/time';
import type { Case, Id, Instant, Person, Stay } from '../domain/types';
import type { ExposureGraph } from './exposure-graph';
import { InstantTable } from './instant-table';
import { attackSettingOf, exposureStrength, relativeInfectiousness, type AttackSetting } from './infector';
import { compareLocale } from './exposures';
import type { Exposure, OutbreakData } from './model';
import {
  closeContactRelease,
  evidenceSourcesOf,
  isCloseContactEvidence,
  isUpgradeEvidence,
  TIER_RANK,
  type ContactTier,
  type TierEntry,
  type TierEvidence,
} from './tiers';

export type Placement =
  /** A bed at `assignedSiteId`. */
  | 'site'
  /** Due for centralised quarantine, but no bed (or no capacity) is left. */
  | 'waiting'
  /** Home quarantine (tiers not sent to a site, e.g. contacts of close contacts). */
  | 'home'
  /** Venue-exposed: health monitoring and tests, no quarantine. */
  | 'monitoring'
  /** The quarantine period had already ended at `asOf`. */
  | 'completed'
  /** Exposed below every tier's threshold. */
  | 'none';

export interface QuarantineEntry {
  personId: Id;
  /** Null for a person exposed below every tier's threshold. */
  tier: ContactTier | null;
  /** Probability of being infected now. */
  probability: number;
  /** Probability weighted by onward risk and vulnerability. */
  score: number;
  /**
   * 1 = first to quarantine. The contacts (entries with a tier) are numbered 1 … n without gaps,
   * those whose quarantine is over (placement `completed`) after the others; those exposed below
   * every tier follow them all.
   */
  priority: number;
  placement: Placement;
  /**
   * The site of the person's bed (placement `site`), or, for a contact whose quarantine is over
   * (placement `completed`), the site they are still at on `asOf`: due for release.
   */
  assignedSiteId: Id | null;
  /** The home shared with other entries, if any. */
  householdId: Id | null;
  householdSize: number;
  /** Centrality in the exposure graph, scaled so that the highest among the entries is 1. */
  centrality: number;
  lastExposure: Instant;
  releaseOn: Instant | null;
  homeMonitoringUntil: Instant | null;
  /** Midnight (+08:00) of each PCR day in quarantine, then at home. */
  pcrDates: Instant[];
  homePcrDates: Instant[];
  /** The score explained in words and numbers. */
  reasons: string;
}

export interface SiteUsage {
  siteId: Id;
  capacity: number;
  /** Beds taken at `asOf` by persons already staying there (exposed or not). */
  occupied: number;
  /** Beds assigned by this plan to persons not yet at the site (each day, until a stay there is imported). */
  assigned: number;
  /**
   * Beds among `occupied` held by contacts whose quarantine had ended by `asOf` (placement
   * `completed`): free once they leave. Occupants with no entry (not exposed, or cases) are not
   * counted, as the plan knows no end of quarantine for them.
   */
  dueForRelease: number;
}

export interface QuarantinePlan {
  asOf: Instant;
  /** In priority order. */
  entries: QuarantineEntry[];
  sites: SiteUsage[];
  /**
   * Beds in all: the sites' capacity, or the overall `capacity` if that is fewer. Beds already
   * taken at `asOf` count among them (more may be taken than the cap allows: then none is assigned).
   */
  beds: number;
  /** Persons due for a bed who got none. */
  waiting: number;
}

export interface QuarantineOptions {
  asOf: Instant;
  /**
   * The exposure graph (src/analysis/exposure-graph.ts) that centrality is measured on; not needed
   * when `centralityById` gives the centrality already measured.
   */
  exposureGraph?: ExposureGraph;
  /** Each node's centrality, measured beforehand (src/analysis/network-measures.ts). */
  centralityById?: ReadonlyMap<Id, number>;
  /** At most this many beds in all, whatever the sites hold. */
  capacity?: number | null;
  /** Tiers sent to centralised quarantine. */
  siteTiers?: ContactTier[];
  centrality?: 'pagerank' | 'betweenness' | 'degree';
  /** The attack-rate setting of a shared place, by place kind (as in src/analysis/infector.ts). */
  placeKindSettings?: Record<string, AttackSetting>;
}

export const DEFAULTS = {
  capacity: null as number | null,
  siteTiers: ['close_contact'] as ContactTier[],
  centrality: 'pagerank' as 'pagerank' | 'betweenness' | 'degree',
};

/** Appends to the list under `key`, starting it if needed. */
function push<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

// Two significant digits where the decimals would show 0: a reason must not say P(infected)=0.00.
const fixed = (x: number, digits = 2): string => fixedText(x, digits);
const percent = (x: number): string => `+${Math.round(x * 100)}%`;

/**
 * Probability of being infected given no onset yet: [1 − Π(1 − p·s)] / [1 − Π(1 − p·s) + Π(1 − p)],
 * over each exposure's chance p of infecting and chance s that such an infection is still silent.
 */
export function infectedAndSilent(exposures: readonly { p: number; silent: number }[]): number {
  return infectedGivenEscapes(
    exposures.reduce((q, e) => q * (1 - e.p), 1),
    exposures.reduce((q, e) => q * (1 - e.p * e.silent), 1),
  );
}

/** The same from its two products: Π(1 − p) (escaped) and Π(1 − p·s) (escaped or still silent). */
function infectedGivenEscapes(escaped: number, silentlyEscaped: number): number {
  const silentlyInfected = 1 - silentlyEscaped;
  const total = silentlyInfected + escaped;
  return total > 0 ? silentlyInfected / total : 0;
}

/** The source's relative infectiousness averaged over [start, end] (at `start` for an instant). */
function meanInfectiousness(source: Case, start: Instant, end: Instant, pathogen: Pathogen): number {
  if (!(end > start) || source.onset === null || source.onset <= start || source.onset >= end)
    return relativeInfectiousness(source, start, pathogen);
  const before = (source.onset - start) / (end - start);
  return (
    before * relativeInfectiousness(source, start, pathogen) +
    (1 - before) * relativeInfectiousness(source, source.onset, pathogen)
  );
}

function validate(data: OutbreakData, options: QuarantineOptions): void {
  if (!Number.isFinite(options?.asOf))
    throw new TypeError(`quarantine: option "asOf" is not an instant (got ${String(options?.asOf)})`);
  if (options.centralityById !== undefined) {
    if (!(options.centralityById instanceof Map))
      throw new TypeError('quarantine: option "centralityById" is not a Map');
  } else if (!options.exposureGraph || typeof options.exposureGraph.forEachNode !== 'function') {
    throw new TypeError('quarantine: option "exposureGraph" is not a graph');
  }
  const cap = options.capacity;
  if (cap !== undefined && cap !== null && !(Number.isInteger(cap) && cap >= 0)) {
    throw new RangeError(
      `quarantine: option "capacity" must be a whole number of beds, at least 0 (got ${cap})`,
    );
  }
  data.quarantineSites.forEach((s, i) => {
    if (s.capacity !== null && !(Number.isInteger(s.capacity) && s.capacity >= 0)) {
      throw new RangeError(
        `quarantine: quarantineSites[${i}] (${s.id}): field "capacity" must be a whole number of beds`,
      );
    }
  });
}

/** Who takes a bed at each quarantine site at `asOf`: subjects of stays there covering it. */
function occupantsAt(data: OutbreakData, asOf: Instant): Map<Id, Set<Id>> {
  const occupants = new Map<Id, Set<Id>>(data.quarantineSites.map((s) => [s.id, new Set<Id>()]));
  const occupy = (stays: readonly Stay[]): void => {
    for (const stay of stays) {
      // The times first: few stays cover asOf, and comparing them is cheaper than a lookup.
      if (!(stay.start <= asOf && stay.end >= asOf)) continue;
      const site = occupants.get(stay.hostId);
      // Lots or boats stored at a site take no bed.
      if (!site || data.items.has(stay.subjectId) || data.boats.has(stay.subjectId)) continue;
      site.add(stay.subjectId);
    }
  };
  // One list after the other, not copied into one: at 1M persons `stays` holds ~20M.
  occupy(data.stays);
  occupy(data.quarantineStays ?? []);
  return occupants;
}

function centralityOf(graph: ExposureGraph, method: 'pagerank' | 'betweenness' | 'degree'): Map<Id, number> {
  if (graph.order === 0) return new Map();
  const byKey =
    method === 'degree'
      ? degreeCentrality(graph)
      : method === 'betweenness'
        ? betweenness(graph, { getEdgeWeight: null })
        : pagerank(graph, { getEdgeWeight: null });
  // The graph is keyed by node number: name each node by its id.
  const byId = new Map<Id, number>();
  graph.forEachNode((key, { id }) => byId.set(id, byKey[key]!));
  return byId;
}

/**
 * s(m) = 1 − F_inc((asOf − m) / 1 day), remembered by instant: exposures share their instants
 * (a venue's opening hours, a night at home), and each cdf is a 400-step integration.
 */
export function silentAfterFrom(asOf: Instant, pathogen: Pathogen): (at: Instant) => number {
  const known = new InstantTable<number>();
  return (at) => {
    let silent = known.get(at);
    if (silent === undefined) {
      // A NaN instant is never stored: it is worked out each time.
      silent = 1 - cdf(pathogen.incubation, Math.max(0, asOf - at) / DAY);
      known.set(at, silent);
    }
    return silent;
  };
}

function daysAfter(anchor: Instant, days: readonly number[]): Instant[] {
  return days.map((n) => startOfDay(anchor) + n * DAY);
}

/**
 * Ranks every exposed person who is not a case (and every contact of a close contact) for
 * quarantine, allocates beds and gives each their release and PCR dates.
 */
export function prioritiseQuarantine(
  data: OutbreakData,
  exposures: readonly Exposure[],
  tiers: readonly TierEntry[],
  params: Parameters,
  options: QuarantineOptions,
): QuarantinePlan {
  validate(data, options);
  const { protocol, pathogen } = params;
  const weights = protocol.quarantinePriority;
  const { asOf, exposureGraph } = options;
  const capacity = options.capacity ?? DEFAULTS.capacity;
  const siteTiers = options.siteTiers ?? DEFAULTS.siteTiers;
  const rateOptions = options.placeKindSettings ? { placeKindSettings: options.placeKindSettings } : {};
  const caseById = new Map<Id, Case>();
  for (const c of data.cases) caseById.set(c.personId, c);

  // Each person ranked has a slot, in the order first met (exposures, then tiers); each way they
  // may have been infected (an exposure, or time with a close contact) is an item, chained to
  // their slot in the order found. Numbers in flat arrays, not an object per exposure: at a
  // million persons there are ~7M exposures. Cases take no slot.
  const NO_SLOT = -1;
  const slotOf = new Map<Id, number>();
  for (const c of data.cases) slotOf.set(c.personId, NO_SLOT);
  const slotIds: Id[] = [];
  const firstItem: number[] = [];
  const lastItem: number[] = [];
  const lastExposureOf: number[] = [];
  /** Π(1 − p) and Π(1 − p·s) over the person's direct exposures, in their order. */
  const directEscaped: number[] = [];
  const directSilentlyEscaped: number[] = [];
  const tierOfSlot: (TierEntry | undefined)[] = [];
  const slotFor = (personId: Id): number => {
    let slot = slotOf.get(personId);
    if (slot === undefined) {
      slot = slotIds.length;
      slotOf.set(personId, slot);
      slotIds.push(personId);
      firstItem.push(END);
      lastItem.push(END);
      lastExposureOf.push(-Infinity);
      directEscaped.push(1);
      directSilentlyEscaped.push(1);
      tierOfSlot.push(undefined);
    }
    return slot;
  };

  // Items 0 … exposures.length − 1 are the exposures (by index), the links to close contacts follow.
  let linkCount = 0;
  for (const t of tiers)
    for (const ev of evidenceSourcesOf(t)) if (isCloseContactEvidence(ev)) linkCount += 1;
  const firstLink = exposures.length;
  const itemP = new Float64Array(firstLink + linkCount);
  const nextItem = new Int32Array(firstLink + linkCount);
  const links: TierEvidence[] = [];
  const linkSourceP = new Float64Array(linkCount);
  const linkChance = new Float64Array(linkCount);
  const addItem = (slot: number, item: number, p: number, end: Instant): void => {
    itemP[item] = p;
    nextItem[item] = END;
    if (lastItem[slot] === END) firstItem[slot] = item;
    else nextItem[lastItem[slot]!] = item;
    lastItem[slot] = item;
    lastExposureOf[slot] = Math.max(lastExposureOf[slot]!, end);
  };
  const infectiousnessOf = (e: Exposure): number => infectiousnessOver(e, caseById, pathogen);

  // ---- probability of infection from direct exposures ---------------------------------------
  const silentAfter = silentAfterFrom(asOf, pathogen);
  /**
   * The chance that an infection through the item would not show by `asOf`, from its midpoint:
   * worked out when read rather than kept (at a million persons, 10M items: 80 MB at the
   * quarantine's peak, the analysis's).
   */
  const items: Items = { exposures, links, firstLink };
  const silentOfItem = (item: number): number => silentAfter(midpointOf(itemSpan(items, item)));
  // Exposures come person by person (src/analysis/exposures.ts sorts them so): the slot is looked
  // up once per run of a person's exposures, not once for each of them.
  let runPerson: Id | undefined;
  let runSlot = NO_SLOT;
  for (let item = 0; item < exposures.length; item++) {
    const e = exposures[item]!;
    if (e.personId !== runPerson) runSlot = slotFor((runPerson = e.personId));
    const slot = runSlot;
    if (slot === NO_SLOT) continue;
    const infectiousness = infectiousnessOf(e);
    const setting = attackSettingOf(e, rateOptions);
    const expected = exposureStrength(e, setting, pathogen) * infectiousness;
    const p = 1 - Math.exp(-expected);
    const silent = silentAfter(midpointOf(e));
    addItem(slot, item, p, e.end);
    directEscaped[slot] *= 1 - p;
    directSilentlyEscaped[slot] *= 1 - p * silent;
  }
  const directSlots = slotIds.length;
  const directOf = (slot: number): number =>
    infectedGivenEscapes(directEscaped[slot]!, directSilentlyEscaped[slot]!);

  // ---- contacts of close contacts: through the close contact's own probability ----------------
  const slotOfTier = new Int32Array(tiers.length);
  tiers.forEach((t, i) => {
    const slot = slotFor(t.personId);
    slotOfTier[i] = slot;
    if (slot !== NO_SLOT) tierOfSlot[slot] = t;
  });
  let link = 0;
  tiers.forEach((t, i) => {
    const slot = slotOfTier[i]!;
    for (const ev of evidenceSourcesOf(t)) {
      if (!isCloseContactEvidence(ev)) continue;
      // Through a close contact who turned positive: a case, infected for certain, weighed with its
      // own infectiousness over the time together.
      const upgradedFrom = isUpgradeEvidence(ev) ? caseById.get(ev.sourceId) : undefined;
      const sourceSlot = slotOf.get(ev.sourceId);
      // Only those with direct exposures have a probability of their own.
      const pSource = upgradedFrom
        ? 1
        : sourceSlot !== undefined && sourceSlot !== NO_SLOT && sourceSlot < directSlots
          ? directOf(sourceSlot)
          : 0;
      const infectiousness = upgradedFrom
        ? meanInfectiousness(upgradedFrom, ev.start, ev.end, pathogen)
        : pathogen.presymptomaticInfectiousness;
      // Weighed as a case's exposure in that setting (a contact recorded as an instant: one episode).
      const expected = exposureStrength(ev, linkSetting(ev), pathogen) * infectiousness;
      const linkP = 1 - Math.exp(-expected);
      const p = pSource * linkP;
      links.push(ev);
      linkSourceP[link] = pSource;
      linkChance[link] = linkP;
      // A case's own links count for nothing: cases are not ranked.
      if (slot !== NO_SLOT) addItem(slot, firstLink + link, p, ev.end);
      link += 1;
    }
  });

  // ---- onward risk and vulnerability --------------------------------------------------------
  const residentsOf = new Map<Id, number>();
  for (const p of data.persons.values())
    if (p.homeId !== null) residentsOf.set(p.homeId, (residentsOf.get(p.homeId) ?? 0) + 1);
  // Homes whose residents were counted in the store, not loaded one by one.
  data.householdSizes?.forEach((residents, homeId) => residentsOf.set(homeId, residents));
  const rawCentrality =
    options.centralityById ?? centralityOf(exposureGraph!, options.centrality ?? DEFAULTS.centrality);
  const rawCentralityOf = new Float64Array(slotIds.length);
  // A loop, not Math.max(...all): a million arguments overflow the stack.
  let maxCentrality = 0;
  for (let slot = 0; slot < slotIds.length; slot++) {
    const raw = rawCentrality.get(slotIds[slot]!) ?? 0;
    rawCentralityOf[slot] = raw;
    maxCentrality = Math.max(maxCentrality, raw);
  }

  // The reasons are told when read, from each person's three likeliest items (kept here) and the
  // entry's own figures: at a million persons their texts were some 0.25 GB at the analysis's peak.
  const reasonsParts: ReasonsParts = {
    ...items,
    linkSourceP,
    linkChance,
    topItems: new Int32Array(slotIds.length * REASON_ITEMS).fill(END),
    topP: new Float64Array(slotIds.length * REASON_ITEMS),
    itemCounts: new Int32Array(slotIds.length),
    // Its own look-ups, so that the plan's (one per item) are not kept with the entries.
    silentAfter: silentAfterFrom(asOf, pathogen),
    caseById,
    pathogen,
    persons: data.persons,
    weights,
  };
  // Each person's items by chance of infecting, highest first (stable: ties keep their order).
  const ordered: number[] = [];
  const byChanceDescending = (x: number, y: number): number => itemP[y]! - itemP[x]!;
  const entries: QuarantineEntry[] = [];
  for (let slot = 0; slot < slotIds.length; slot++) {
    const personId = slotIds[slot]!;
    ordered.length = 0;
    for (let item = firstItem[slot]!; item !== END; item = nextItem[item]!) ordered.push(item);
    if (ordered.length > 1) ordered.sort(byChanceDescending);
    // infectedAndSilent over the items in that order.
    let escaped = 1;
    let silentlyEscaped = 1;
    for (const item of ordered) {
      escaped *= 1 - itemP[item]!;
      silentlyEscaped *= 1 - itemP[item]! * silentOfItem(item);
    }
    const probability = infectedGivenEscapes(escaped, silentlyEscaped);
    reasonsParts.itemCounts[slot] = ordered.length;
    for (let i = 0; i < ordered.length && i < REASON_ITEMS; i++) {
      reasonsParts.topItems[slot * REASON_ITEMS + i] = ordered[i]!;
      reasonsParts.topP[slot * REASON_ITEMS + i] = itemP[ordered[i]!]!;
    }

    const person: Person | undefined = data.persons.get(personId);
    const homeId = person?.homeId ?? null;
    const householdSize = homeId === null ? 1 : Math.max(1, residentsOf.get(homeId) ?? 1);
    const centrality = maxCentrality > 0 ? rawCentralityOf[slot]! / maxCentrality : 0;
    const { householdBoost, centralityBoost, vulnerableBoost } = priorityBoosts(
      weights,
      householdSize,
      centrality,
      person?.age ?? null,
    );
    const score = probability * (1 + householdBoost + centralityBoost) * (1 + vulnerableBoost);

    // ---- dates -----------------------------------------------------------------------------
    const tierEntry = tierOfSlot[slot];
    const tier = tierEntry?.tier ?? null;
    const lastExposure =
      tierEntry && tierEntry.tier !== 'venue_exposed'
        ? tierEntry.lastExposure
        : firstItem[slot] !== END
          ? lastExposureOf[slot]!
          : asOf;
    let releaseOn: Instant | null = null;
    let homeMonitoringUntil: Instant | null = null;
    let pcrDates: Instant[] = [];
    let homePcrDates: Instant[] = [];
    if (tier === 'close_contact') {
      releaseOn = closeContactRelease(lastExposure, protocol);
      homeMonitoringUntil = releaseOn + protocol.closeContactHomeMonitoringDays * DAY;
      pcrDates = daysAfter(lastExposure, protocol.closeContactPcrDays);
      homePcrDates = daysAfter(releaseOn, protocol.closeContactHomePcrDays);
    } else if (tier === 'contact_of_close_contact') {
      releaseOn = lastExposure + protocol.contactOfCloseContactQuarantineDays * DAY;
      homeMonitoringUntil = releaseOn;
      pcrDates = daysAfter(lastExposure, protocol.contactOfCloseContactPcrDays);
    }
    let placement: Placement;
    if (tier === null) placement = 'none';
    else if (releaseOn !== null && releaseOn <= asOf) placement = 'completed';
    else if (siteTiers.includes(tier)) placement = 'waiting';
    else placement = tier === 'venue_exposed' ? 'monitoring' : 'home';
    const entry = {
      personId,
      tier,
      probability,
      score,
      // Set once ranked.
      priority: 0,
      placement,
      assignedSiteId: null,
      householdId: homeId,
      householdSize,
      centrality,
      lastExposure,
      releaseOn,
      homeMonitoringUntil,
      pcrDates,
      homePcrDates,
    } as Omit<QuarantineEntry, 'reasons'> as QuarantineEntry;
    Object.defineProperty(entry, REASONS_SLOT, { value: slot });
    Object.defineProperty(entry, REASONS_PARTS, { value: reasonsParts });
    Object.defineProperty(entry, 'reasons', REASONS_ON_READ);
    entries.push(entry);
  }
  entries.sort(
    (a, b) =>
      // The contacts first: the reports and the quarantine list show only theirs, without gaps.
      Number(a.tier === null) - Number(b.tier === null) ||
      // Among them, those still to act on before those whose quarantine is over.
      Number(a.placement === 'completed') - Number(b.placement === 'completed') ||
      b.score - a.score ||
      (b.tier ? TIER_RANK[b.tier] : 0) - (a.tier ? TIER_RANK[a.tier] : 0) ||
      compareLocale(a.personId, b.personId),
  );
  for (let i = 0; i < entries.length; i++) entries[i]!.priority = i + 1;

  // ---- beds ----------------------------------------------------------------------------------
  const occupants = occupantsAt(data, asOf);
  const sites: SiteUsage[] = [...data.quarantineSites]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => ({
      siteId: s.id,
      capacity: s.capacity ?? 0,
      occupied: occupants.get(s.id)?.size ?? 0,
      assigned: 0,
      dueForRelease: 0,
    }));
  const occupied = sites.reduce((sum, s) => sum + s.occupied, 0);
  const siteBeds = sites.reduce((sum, s) => sum + s.capacity, 0);
  let bedsLeft = capacity === null ? Infinity : Math.max(0, capacity - occupied);
  const free = (s: SiteUsage): number => s.capacity - s.occupied - s.assigned;
  // Those already in a site stay there (the first site by id, should records put them in two).
  const siteOfOccupant = new Map<Id, Id>();
  for (const site of sites)
    for (const personId of occupants.get(site.siteId) ?? [])
      if (!siteOfOccupant.has(personId)) siteOfOccupant.set(personId, site.siteId);
  const siteById = new Map(sites.map((s) => [s.siteId, s]));
  for (const entry of entries) {
    const siteId = siteOfOccupant.get(entry.personId);
    if (siteId === undefined) continue;
    entry.assignedSiteId = siteId;
    // Quarantine over, still in a bed: due for release, not placed anew.
    if (entry.placement === 'completed') siteById.get(siteId)!.dueForRelease += 1;
    else entry.placement = 'site';
  }
  const place = (entry: QuarantineEntry, site: SiteUsage): void => {
    entry.placement = 'site';
    entry.assignedSiteId = site.siteId;
    site.assigned += 1;
    bedsLeft -= 1;
  };
  // Who waits for a bed, by home, in priority order (placements only go from waiting to a site).
  const waitingByHome = new Map<Id, QuarantineEntry[]>();
  for (const entry of entries)
    if (entry.placement === 'waiting' && entry.householdId !== null)
      push(waitingByHome, entry.householdId, entry);
  // Once no bed is left anywhere, the rest keep waiting: no need to look at each of them.
  const anyRoom = (): boolean => bedsLeft > 0 && sites.some((s) => free(s) > 0);
  let room = anyRoom();
  for (const entry of entries) {
    if (!room) break;
    if (entry.placement !== 'waiting') continue;
    const household =
      entry.householdId === null
        ? [entry]
        : waitingByHome.get(entry.householdId)!.filter((e) => e.placement === 'waiting');
    const fitting = sites.filter((s) => free(s) >= household.length);
    if (household.length <= bedsLeft && fitting.length > 0) {
      const best = fitting.reduce((x, y) => (free(y) < free(x) ? y : x));
      for (const member of household) place(member, best);
      room = anyRoom();
      continue;
    }
    const roomiest = sites.reduce<SiteUsage | null>(
      (x, y) => (x === null || free(y) > free(x) ? y : x),
      null,
    );
    if (roomiest && free(roomiest) > 0 && bedsLeft > 0) {
      place(entry, roomiest);
      room = anyRoom();
    }
  }

  return {
    asOf,
    entries,
    sites,
    beds: capacity === null ? siteBeds : Math.min(capacity, siteBeds),
    waiting: entries.filter((e) => e.placement === 'waiting').length,
  };
}

function sourceWords(e: Exposure): string {
  return e.sourceKind === 'case'
    ? `case ${e.sourceId}`
    : `contaminated ${e.sourceKind === 'item' ? 'lot' : e.sourceKind} ${e.sourceId}`;
}

function exposureWords(e: Exposure): string {
  switch (e.setting) {
    case 'household':
      return `household contact of ${sourceWords(e)} for ${e.nights ?? 0} night(s)`;
    case 'boat':
      return e.sourceKind === 'case'
        ? `aboard ${e.hostId} with ${sourceWords(e)} for ${formatDuration(e.minutes)}`
        : `aboard ${sourceWords(e)} for ${formatDuration(e.minutes)}`;
    case 'cold_chain':
      return `handled ${sourceWords(e)}`;
    case 'contact':
      return `${e.contactSetting ?? 'other'} contact with ${sourceWords(e)} ${contactDuration(e)}`;
    case 'place':
      return e.sourceKind === 'case'
        ? `at ${e.placeKind ?? 'place'} ${e.hostId} with ${sourceWords(e)} for ${formatDuration(e.minutes)}`
        : `at ${sourceWords(e)} (${e.placeKind ?? 'place'}) for ${formatDuration(e.minutes)}`;
  }
}

function linkSetting(ev: TierEvidence): AttackSetting {
  if (ev.setting === 'household') return 'household';
  const s = ev.contactSetting;
  return s === 'work' || s === 'social' || s === 'care' || s === 'transport' || s === 'household'
    ? s
    : 'casual';
}

/** "for 2 h", or for a reported contact recorded as an instant (weighed as one episode) "at one moment". */
function contactDuration(e: { minutes: number }): string {
  return e.minutes > 0 ? `for ${formatDuration(e.minutes)}` : 'at one moment (no duration recorded)';
}

function linkWords(ev: TierEvidence): string {
  if (isUpgradeEvidence(ev))
    return ev.setting === 'household'
      ? `upgraded: lives with close contact ${ev.sourceId}, who turned positive (${ev.nights ?? 0} night(s) before their infectious window)`
      : `upgraded: ${ev.contactSetting ?? 'other'} contact with close contact ${ev.sourceId}, who turned positive, ${contactDuration(ev)}`;
  return ev.setting === 'household'
    ? `lives with close contact ${ev.sourceId} (${ev.nights ?? 0} night(s) since their exposure)`
    : `${ev.contactSetting ?? 'other'} contact with close contact ${ev.sourceId} ${contactDuration(ev)}`;
}

/** The items of a person the reasons name, likeliest first; the rest are counted. */
const REASON_ITEMS = 3;

/** No item: the end of a person's chain of items, or a reason's place left empty. */
const END = -1;

/** The items of a plan: its exposures by index, then its links to close contacts. */
interface Items {
  exposures: readonly Exposure[];
  links: readonly TierEvidence[];
  /** Items from here on are links to close contacts (`links`), those before it exposures. */
  firstLink: number;
}

/** The exposure or the time with a close contact that an item is. */
function itemSpan(items: Items, item: number): { start: Instant; end: Instant } {
  return item < items.firstLink ? items.exposures[item]! : items.links[item - items.firstLink]!;
}

/** Where the chance of an infection still silent at `asOf` is read: the middle of the span. */
const midpointOf = (span: { start: Instant; end: Instant }): Instant => (span.start + span.end) / 2;

/**
 * The priority score's boosts for a person, from `protocol.quarantinePriority`: household members
 * besides them, their scaled centrality, and being vulnerable by age.
 */
function priorityBoosts(
  weights: Parameters['protocol']['quarantinePriority'],
  householdSize: number,
  centrality: number,
  age: number | null,
): { householdBoost: number; centralityBoost: number; vulnerable: boolean; vulnerableBoost: number } {
  const vulnerable =
    age !== null && (age >= weights.vulnerableOlderAge || age <= weights.vulnerableYoungerAge);
  return {
    vulnerable,
    householdBoost: weights.householdMemberWeight * (householdSize - 1),
    centralityBoost: weights.centralityWeight * centrality,
    vulnerableBoost: vulnerable ? weights.vulnerableWeight : 0,
  };
}

/** What the reasons of a plan's entries are told from, shared by them all. */
interface ReasonsParts extends Items {
  linkSourceP: Float64Array;
  linkChance: Float64Array;
  /** Per slot, `REASON_ITEMS` items (`END` where fewer) and their chances of infecting. */
  topItems: Int32Array;
  topP: Float64Array;
  /** Per slot, how many items the person has. */
  itemCounts: Int32Array;
  silentAfter: (at: Instant) => number;
  caseById: ReadonlyMap<Id, Case>;
  pathogen: Pathogen;
  persons: ReadonlyMap<Id, Person>;
  weights: Parameters['protocol']['quarantinePriority'];
}

/** Where an entry keeps its slot and its plan's parts: symbols, not enumerable, so no reader sees them as data. */
const REASONS_SLOT = Symbol('reasonsSlot');
const REASONS_PARTS = Symbol('reasonsParts');
type EntryWithParts = QuarantineEntry & { [REASONS_SLOT]: number; [REASONS_PARTS]: ReasonsParts };

/**
 * `reasons`, one accessor shared by every entry (so all share one shape), enumerable like the
 * entry's other fields: spreads, `JSON.stringify` and structured clones read it as a string.
 */
const REASONS_ON_READ: PropertyDescriptor = {
  get(this: EntryWithParts): string {
    return reasonsOf(this[REASONS_PARTS], this[REASONS_SLOT], this);
  },
  enumerable: true,
  configurable: true,
};

/** The score explained in words and numbers. */
function reasonsOf(parts: ReasonsParts, slot: number, entry: QuarantineEntry): string {
  const { weights } = parts;
  // Joined, not appended piece by piece: `join` gives one flat string, `+=` a rope.
  const words: string[] = [];
  for (let i = 0; i < REASON_ITEMS; i++) {
    const item = parts.topItems[slot * REASON_ITEMS + i]!;
    if (item === END) break;
    words.push(itemWords(parts, item, parts.topP[slot * REASON_ITEMS + i]!));
  }
  const count = parts.itemCounts[slot]!;
  if (count > REASON_ITEMS) words.push(`${count - REASON_ITEMS} more exposure(s)`);
  words.push(`P(infected)=${fixed(entry.probability)}`);
  const age = parts.persons.get(entry.personId)?.age ?? null;
  const { householdBoost, centralityBoost, vulnerable, vulnerableBoost } = priorityBoosts(
    weights,
    entry.householdSize,
    entry.centrality,
    age,
  );
  if (entry.householdSize > 1) words.push(`household of ${entry.householdSize} (${percent(householdBoost)})`);
  if (centralityBoost > 0)
    words.push(`centrality ${fixed(entry.centrality)} of the highest (${percent(centralityBoost)})`);
  if (vulnerable) words.push(`age ${age} (${percent(vulnerableBoost)})`);
  words.push(`score ${fixed(entry.score, 3)}`);
  if (entry.placement === 'completed' && entry.assignedSiteId !== null && entry.releaseOn !== null)
    words.push(
      `quarantine ended on ${formatDate(entry.releaseOn)}, still at ${entry.assignedSiteId}: due for release`,
    );
  return words.join('; ');
}

/** One way the person may have been infected, with its chance `p`, in words. */
function itemWords(parts: ReasonsParts, item: number, p: number): string {
  const silent = parts.silentAfter(midpointOf(itemSpan(parts, item)));
  if (item < parts.firstLink) {
    const e = parts.exposures[item]!;
    const infectiousness = infectiousnessOver(e, parts.caseById, parts.pathogen);
    const note = infectiousness === 1 ? '' : `, infectiousness ×${fixed(infectiousness)}`;
    return `${exposureWords(e)} (p=${fixed(p)}${note}, silent ${fixed(silent)})`;
  }
  const k = item - parts.firstLink;
  return `${linkWords(parts.links[k]!)} (p=${fixed(parts.linkSourceP[k]!)}×${fixed(parts.linkChance[k]!)}=${fixed(p)}, silent ${fixed(silent)})`;
}

/** The source's relative infectiousness over the exposure: 1 for a contaminated lot, boat or place. */
function infectiousnessOver(e: Exposure, caseById: ReadonlyMap<Id, Case>, pathogen: Pathogen): number {
  const source = e.sourceKind === 'case' ? caseById.get(e.sourceId) : undefined;
  return source ? meanInfectiousness(source, e.start, e.end, pathogen) : 1;
}
