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
 * or boat `environmentalRatePerHour`, a handled lot one cold-chain attack rate: `exposureStrength`),
 * f_e the source's relative infectiousness over the exposure (`relativeInfectiousness`: 1 after
 * onset, `presymptomaticInfectiousness` before it, `asymptomaticInfectiousness` without onset,
 * averaged over the span; 1 for a contaminated source), m_e the middle of the exposure and F_inc
 * the incubation period's cdf (src/domain/distributions.ts). P is Bayes' rule given that the
 * person is not a case at asOf: infected and still silent, over silent at all (a person exposed 6
 * days ago who has shown nothing is less likely infected than one exposed yesterday). A contact
 * of a close contact X adds p = P(X) · (1 − exp(−h · ρ_s · f_pre)) for their time with X (X, if
 * infected, is pre-symptomatic), weighed with s at the middle of that time.
 *
 * Priority score = P · (1 + w_h · (household size − 1) + w_c · c) · (1 + w_v · vulnerable),
 * c the person's centrality in the exposure graph divided by the highest among the persons
 * ranked (graphology-metrics; PageRank by default), vulnerable = age ≥ `vulnerableOlderAge` or
 * ≤ `vulnerableYoungerAge`; the weights are `protocol.quarantinePriority`. Priority 1 = highest
 * score.
 *
 * Beds: persons of the tiers sent to centralised quarantine (close contacts by default) take beds
 * at `data.quarantineSites` in priority order, under an optional overall `capacity`. A person's
 * household members waiting for a bed go with them to one site (the site that fits them with the
 * fewest beds to spare) when any site has room for all; otherwise the person alone goes to the
 * site with the most free beds. Beds already taken count first: a person with a stay at a quarantine
 * site covering `asOf` occupies a bed there (`data.stays` and `data.quarantineStays`); an exposed
 * person among them keeps that site (placement `site`, unless their quarantine is already over),
 * and the others share the beds left. Occupied beds count against the overall `capacity` too, as
 * it models the beds available in all. Release = last exposure + quarantine days; PCR on quarantine day
 * n means the calendar day n days after the day of the last exposure (home days: after release).
 */
import betweenness from 'graphology-metrics/centrality/betweenness';
import { degreeCentrality } from 'graphology-metrics/centrality/degree';
import pagerank from 'graphology-metrics/centrality/pagerank';
import type { Parameters, Pathogen } from '../domain/parameters';
import { cdf } from '../domain/distributions';
import { DAY, startOfDay } from '../domain/time';
import type { Case, Id, Instant, Person, Stay } from '../domain/types';
import type { ExposureGraph } from './exposure-graph';
import {
  attackSettingOf,
  exposureStrength,
  ratePerHour,
  relativeInfectiousness,
  type AttackSetting,
} from './infector';
import { compareLocale } from './exposures';
import type { Exposure, OutbreakData } from './model';
import { TIER_RANK, type ContactTier, type TierEntry, type TierEvidence } from './tiers';

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
  /** 1 = first to quarantine. */
  priority: number;
  placement: Placement;
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
  /** Beds newly assigned by this plan. */
  assigned: number;
}

export interface QuarantinePlan {
  asOf: Instant;
  /** In priority order. */
  entries: QuarantineEntry[];
  sites: SiteUsage[];
  /** Persons due for a bed who got none. */
  waiting: number;
}

export interface QuarantineOptions {
  asOf: Instant;
  /** The exposure graph (src/analysis/exposure-graph.ts) that centrality is measured on. */
  exposureGraph: ExposureGraph;
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

/**
 * One way a person may have been infected. The words are built only for the three listed in the
 * reasons, so each keeps what they are made of rather than a string.
 */
type Weighed = {
  /** Chance that the exposure infected the person. */
  p: number;
  /** Chance that an infection then is still without onset at asOf. */
  silent: number;
} & ({ exposure: Exposure; infectiousness: number } | { link: TierEvidence; pSource: number; linkP: number });

function weighedWords(w: Weighed): string {
  if ('exposure' in w) {
    const note = w.infectiousness === 1 ? '' : `, infectiousness ×${fixed(w.infectiousness)}`;
    return `${exposureWords(w.exposure)} (p=${fixed(w.p)}${note}, silent ${fixed(w.silent)})`;
  }
  return `${linkWords(w.link)} (p=${fixed(w.pSource)}×${fixed(w.linkP)}=${fixed(w.p)}, silent ${fixed(w.silent)})`;
}

/** Appends to the list under `key`, starting it if needed. */
function push<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

function hoursWords(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const fixed = (x: number, digits = 2): string => x.toFixed(digits);
const percent = (x: number): string => `+${Math.round(x * 100)}%`;

/**
 * Probability of being infected given no onset yet: [1 − Π(1 − p·s)] / [1 − Π(1 − p·s) + Π(1 − p)],
 * over each exposure's chance p of infecting and chance s that such an infection is still silent.
 */
export function infectedAndSilent(exposures: readonly { p: number; silent: number }[]): number {
  const escaped = exposures.reduce((q, e) => q * (1 - e.p), 1);
  const silentlyInfected = 1 - exposures.reduce((q, e) => q * (1 - e.p * e.silent), 1);
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
  if (!options.exposureGraph || typeof options.exposureGraph.forEachNode !== 'function') {
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

function centralityOf(
  graph: ExposureGraph,
  method: 'pagerank' | 'betweenness' | 'degree',
): Record<string, number> {
  if (graph.order === 0) return {};
  const byKey =
    method === 'degree'
      ? degreeCentrality(graph)
      : method === 'betweenness'
        ? betweenness(graph, { getEdgeWeight: null })
        : pagerank(graph, { getEdgeWeight: null });
  // The graph is keyed by node number: name each node by its id.
  const byId: Record<string, number> = {};
  graph.forEachNode((key, { id }) => (byId[id] = byKey[key]!));
  return byId;
}

/**
 * s(m) = 1 − F_inc((asOf − m) / 1 day), remembered by instant: exposures share their instants
 * (a venue's opening hours, a night at home), and each cdf is a 400-step integration.
 */
function silentAfterFrom(asOf: Instant, pathogen: Pathogen): (at: Instant) => number {
  const byInstant = new Map<Instant, number>();
  return (at) => {
    let silent = byInstant.get(at);
    if (silent === undefined) {
      silent = 1 - cdf(pathogen.incubation, Math.max(0, asOf - at) / DAY);
      byInstant.set(at, silent);
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
  const caseById = new Map(data.cases.map((c) => [c.personId, c]));
  const tierOf = new Map(tiers.map((t) => [t.personId, t]));

  // ---- probability of infection from direct exposures ---------------------------------------
  const silentAfter = silentAfterFrom(asOf, pathogen);
  const weighedOf = new Map<Id, Weighed[]>();
  const lastExposureOf = new Map<Id, Instant>();
  for (const e of exposures) {
    if (caseById.has(e.personId)) continue;
    const source = e.sourceKind === 'case' ? caseById.get(e.sourceId) : undefined;
    const infectiousness = source ? meanInfectiousness(source, e.start, e.end, pathogen) : 1;
    const setting = attackSettingOf(e, rateOptions);
    const expected = exposureStrength(e, setting, pathogen) * infectiousness;
    const p = 1 - Math.exp(-expected);
    const silent = silentAfter((e.start + e.end) / 2);
    push(weighedOf, e.personId, { p, silent, exposure: e, infectiousness });
    lastExposureOf.set(e.personId, Math.max(lastExposureOf.get(e.personId) ?? -Infinity, e.end));
  }
  const direct = new Map<Id, number>();
  for (const [id, list] of weighedOf) direct.set(id, infectedAndSilent(list));

  // ---- contacts of close contacts: through the close contact's own probability ----------------
  const personIds = new Set<Id>([...weighedOf.keys()]);
  for (const t of tiers) if (!caseById.has(t.personId)) personIds.add(t.personId);
  for (const t of tiers) {
    for (const ev of t.evidence) {
      if (ev.sourceKind !== 'close_contact') continue;
      const pSource = direct.get(ev.sourceId) ?? 0;
      const expected =
        ratePerHour(linkSetting(ev), pathogen) * (ev.minutes / 60) * pathogen.presymptomaticInfectiousness;
      const linkP = 1 - Math.exp(-expected);
      const p = pSource * linkP;
      const silent = silentAfter((ev.start + ev.end) / 2);
      push(weighedOf, t.personId, { p, silent, link: ev, pSource, linkP });
      lastExposureOf.set(t.personId, Math.max(lastExposureOf.get(t.personId) ?? -Infinity, ev.end));
    }
  }

  // ---- onward risk and vulnerability --------------------------------------------------------
  const residentsOf = new Map<Id, number>();
  for (const p of data.persons.values())
    if (p.homeId !== null) residentsOf.set(p.homeId, (residentsOf.get(p.homeId) ?? 0) + 1);
  const rawCentrality = centralityOf(exposureGraph, options.centrality ?? DEFAULTS.centrality);
  // A loop, not Math.max(...all): a million arguments overflow the stack.
  let maxCentrality = 0;
  for (const id of personIds) maxCentrality = Math.max(maxCentrality, rawCentrality[id] ?? 0);

  const unranked = [...personIds].map((personId) => {
    const list = (weighedOf.get(personId) ?? []).sort((x, y) => y.p - x.p);
    const probability = infectedAndSilent(list);
    const person: Person | undefined = data.persons.get(personId);
    const homeId = person?.homeId ?? null;
    const householdSize = homeId === null ? 1 : Math.max(1, residentsOf.get(homeId) ?? 1);
    const centrality = maxCentrality > 0 ? (rawCentrality[personId] ?? 0) / maxCentrality : 0;
    const age = person?.age ?? null;
    const vulnerable =
      age !== null && (age >= weights.vulnerableOlderAge || age <= weights.vulnerableYoungerAge);
    const householdBoost = weights.householdMemberWeight * (householdSize - 1);
    const centralityBoost = weights.centralityWeight * centrality;
    const vulnerableBoost = vulnerable ? weights.vulnerableWeight : 0;
    const score = probability * (1 + householdBoost + centralityBoost) * (1 + vulnerableBoost);

    const parts = list.slice(0, 3).map(weighedWords);
    if (list.length > 3) parts.push(`${list.length - 3} more exposure(s)`);
    parts.push(`P(infected)=${fixed(probability)}`);
    if (householdSize > 1) parts.push(`household of ${householdSize} (${percent(householdBoost)})`);
    if (centralityBoost > 0)
      parts.push(`centrality ${fixed(centrality)} of the highest (${percent(centralityBoost)})`);
    if (vulnerable) parts.push(`age ${age} (${percent(vulnerableBoost)})`);
    parts.push(`score ${fixed(score, 3)}`);
    const tier = tierOf.get(personId)?.tier ?? null;
    return {
      personId,
      tier,
      probability,
      score,
      homeId,
      householdSize,
      centrality,
      reasons: parts.join('; '),
    };
  });
  unranked.sort(
    (a, b) =>
      b.score - a.score ||
      (b.tier ? TIER_RANK[b.tier] : 0) - (a.tier ? TIER_RANK[a.tier] : 0) ||
      compareLocale(a.personId, b.personId),
  );

  // ---- dates -------------------------------------------------------------------------------
  const entries: QuarantineEntry[] = unranked.map((u, i) => {
    const tierEntry = tierOf.get(u.personId);
    const lastExposure =
      tierEntry && tierEntry.tier !== 'venue_exposed'
        ? tierEntry.lastExposure
        : (lastExposureOf.get(u.personId) ?? asOf);
    let releaseOn: Instant | null = null;
    let homeMonitoringUntil: Instant | null = null;
    let pcrDates: Instant[] = [];
    let homePcrDates: Instant[] = [];
    if (u.tier === 'close_contact') {
      releaseOn = lastExposure + protocol.closeContactQuarantineDays * DAY;
      homeMonitoringUntil = releaseOn + protocol.closeContactHomeMonitoringDays * DAY;
      pcrDates = daysAfter(lastExposure, protocol.closeContactPcrDays);
      homePcrDates = daysAfter(releaseOn, protocol.closeContactHomePcrDays);
    } else if (u.tier === 'contact_of_close_contact') {
      releaseOn = lastExposure + protocol.contactOfCloseContactQuarantineDays * DAY;
      homeMonitoringUntil = releaseOn;
      pcrDates = daysAfter(lastExposure, protocol.contactOfCloseContactPcrDays);
    }
    let placement: Placement;
    if (u.tier === null) placement = 'none';
    else if (releaseOn !== null && releaseOn <= asOf) placement = 'completed';
    else if (siteTiers.includes(u.tier)) placement = 'waiting';
    else placement = u.tier === 'venue_exposed' ? 'monitoring' : 'home';
    return {
      personId: u.personId,
      tier: u.tier,
      probability: u.probability,
      score: u.score,
      priority: i + 1,
      placement,
      assignedSiteId: null,
      householdId: u.homeId,
      householdSize: u.householdSize,
      centrality: u.centrality,
      lastExposure,
      releaseOn,
      homeMonitoringUntil,
      pcrDates,
      homePcrDates,
      reasons: u.reasons,
    };
  });

  // ---- beds ----------------------------------------------------------------------------------
  const occupants = occupantsAt(data, asOf);
  const sites: SiteUsage[] = [...data.quarantineSites]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => ({
      siteId: s.id,
      capacity: s.capacity ?? 0,
      occupied: occupants.get(s.id)?.size ?? 0,
      assigned: 0,
    }));
  const occupied = sites.reduce((sum, s) => sum + s.occupied, 0);
  let bedsLeft = capacity === null ? Infinity : Math.max(0, capacity - occupied);
  const free = (s: SiteUsage): number => s.capacity - s.occupied - s.assigned;
  // Those already in a site stay there (the first site by id, should records put them in two).
  const siteOfOccupant = new Map<Id, Id>();
  for (const site of sites)
    for (const personId of occupants.get(site.siteId) ?? [])
      if (!siteOfOccupant.has(personId)) siteOfOccupant.set(personId, site.siteId);
  for (const entry of entries) {
    const siteId = siteOfOccupant.get(entry.personId);
    if (siteId === undefined || entry.placement === 'completed') continue;
    entry.placement = 'site';
    entry.assignedSiteId = siteId;
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
        ? `aboard ${e.hostId} with ${sourceWords(e)} for ${hoursWords(e.minutes)}`
        : `aboard ${sourceWords(e)} for ${hoursWords(e.minutes)}`;
    case 'cold_chain':
      return `handled ${sourceWords(e)}`;
    case 'contact':
      return `${e.contactSetting ?? 'other'} contact with ${sourceWords(e)} for ${hoursWords(e.minutes)}`;
    case 'place':
      return e.sourceKind === 'case'
        ? `at ${e.placeKind ?? 'place'} ${e.hostId} with ${sourceWords(e)} for ${hoursWords(e.minutes)}`
        : `at ${sourceWords(e)} (${e.placeKind ?? 'place'}) for ${hoursWords(e.minutes)}`;
  }
}

function linkSetting(ev: TierEvidence): AttackSetting {
  if (ev.setting === 'household') return 'household';
  const s = ev.contactSetting;
  return s === 'work' || s === 'social' || s === 'care' || s === 'transport' || s === 'household'
    ? s
    : 'casual';
}

function linkWords(ev: TierEvidence): string {
  return ev.setting === 'household'
    ? `lives with close contact ${ev.sourceId} (${ev.nights ?? 0} night(s) since their exposure)`
    : `${ev.contactSetting ?? 'other'} contact with close contact ${ev.sourceId} for ${hoursWords(ev.minutes)}`;
}
