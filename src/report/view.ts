/**
 * What every renderer shares: how ids, instants, probabilities and settings are written, the
 * colour of each transmission setting, the contacts that hang off a case and a chain as a tree.
 */
import type {
  AnalysisReport,
  CaseReport,
  ChainLink,
  ChainReport,
  ContactReport,
  ContactTier,
  InfectorRef,
  SourceKind,
} from '../analysis/report-model';
import { DEFAULTS as INFECTOR_DEFAULTS } from '../analysis/infector';
import { TIERS_BY_SOURCE } from '../analysis/report-model';
import { decimalText } from '../domain/number-text';

export const TIER_LABELS: Record<ContactTier, string> = {
  close_contact: 'Close contacts',
  contact_of_close_contact: 'Contacts of close contacts',
  venue_exposed: 'Venue-exposed',
};

export const TIER_SHORT: Record<ContactTier, string> = {
  close_contact: 'close contact',
  contact_of_close_contact: 'contact of close contact',
  venue_exposed: 'venue-exposed',
};

export const TIERS: ContactTier[] = ['close_contact', 'contact_of_close_contact', 'venue_exposed'];

/** Setting families, each with one colour (ColorBrewer Dark2, readable on white and in grey print). */
export const SETTING_CATEGORIES = [
  'boat',
  'household',
  'cold_chain',
  'place',
  'contact',
  'other',
  'none',
] as const;
export type SettingCategory = (typeof SETTING_CATEGORIES)[number];

export const SETTING_COLOURS: Record<SettingCategory, string> = {
  boat: '#1f78b4',
  household: '#d95f02',
  cold_chain: '#7570b3',
  place: '#e7298a',
  contact: '#1b9e77',
  other: '#a6761d',
  none: '#8a8a8a',
};

export const SETTING_CATEGORY_LABELS: Record<SettingCategory, string> = {
  boat: 'boat',
  household: 'household',
  cold_chain: 'cold chain',
  place: 'shared place',
  contact: 'reported contact',
  other: 'other',
  none: 'source not known',
};

/**
 * `place:market` → `place`; a reported household contact (`contact:household`) → `household`, as
 * the nights at home it stands for; a null setting (no known infector) → `none`.
 */
export function settingCategory(setting: string | null): SettingCategory {
  if (setting === null || setting === '') return 'none';
  if (setting === 'contact:household') return 'household';
  const family = setting.split(':')[0]!;
  return (SETTING_CATEGORIES as readonly string[]).includes(family) ? (family as SettingCategory) : 'other';
}

/** `place:market` → `market`, `contact:social` → `social contact`, `cold_chain` → `cold chain`. */
export function settingLabel(setting: string | null): string {
  if (setting === null || setting === '') return 'unknown setting';
  const [family, detail] = setting.split(':') as [string, string | undefined];
  const words = (s: string) => s.replace(/_/g, ' ');
  if (detail === undefined) return words(family);
  if (family === 'contact') return `${words(detail)} contact`;
  return words(detail);
}

export function colourOfSetting(setting: string | null): string {
  return SETTING_COLOURS[settingCategory(setting)];
}

/** The colour a source node is drawn in: that of the setting it infects through. */
export function colourOfSourceKind(kind: SourceKind): string {
  if (kind === 'boat') return SETTING_COLOURS.boat;
  if (kind === 'item') return SETTING_COLOURS.cold_chain;
  if (kind === 'place') return SETTING_COLOURS.place;
  return SETTING_COLOURS.none;
}

export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  case: 'case',
  person: 'person',
  item: 'cold-chain lot',
  boat: 'boat',
  place: 'place',
  unknown: 'outside',
};

/** `2022-08-02T10:00:00+08:00` → `2022-08-02 10:00`; a date stays as it is. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** The line under a report's title: as-of, protocol, pathogen, the cases shown, masking. */
export function reportSubtitle(
  report: AnalysisReport,
  shownCases: number,
  selected: boolean,
  masked: boolean,
): string {
  return [
    `As of ${formatWhen(report.asOf)}`,
    `protocol ${report.parameters.protocol}`,
    `pathogen ${report.parameters.pathogen}`,
    report.parameters.changed.length ? `changed: ${report.parameters.changed.join(', ')}` : null,
    selected ? `${shownCases} selected case${shownCases === 1 ? '' : 's'}` : `${shownCases} cases`,
    masked ? 'personal data masked' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The calendar date part of an instant or date. */
export function dateOf(iso: string): string {
  return iso.slice(0, 10);
}

/** 0.82 → `82%`; small non-zero values stay visible (`<1%`). */
export function percent(p: number): string {
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * A score or probability with at most three decimals (0.4 → `0.4`, 0.61234 → `0.612`), or two
 * significant digits where those would show 0 (0.00015 → `0.00015`).
 */
export const decimal = (x: number, digits = 3): string => decimalText(x, digits);

export function nameOf(report: AnalysisReport, id: string): string | null {
  return report.entities[id]?.name ?? null;
}

/**
 * `P01 陈伟`, `B01 琼三亚渔12345`, or the id alone when nothing is known of it; `unknown source`
 * for the source outside the recorded network, told by its `kind` (a case may be named `unknown`).
 */
export function describe(report: AnalysisReport, id: string | null, kind?: SourceKind): string {
  if (id === null) return '—';
  if (kind === 'unknown') return 'unknown source';
  const name = nameOf(report, id);
  return name && name !== id ? `${id} ${name}` : id;
}

/**
 * A case's most likely infector as the pages say it: the report's `infector` (its chain's), except
 * where a cycle of most likely links was cut at this case. The chain then starts at the case and
 * its `infector` is where the chain came from, while its first candidate, the case the cut link
 * came from, is still the most likely: that candidate, with `cut` set.
 */
export function mostLikelyInfector(c: CaseReport): { infector: InfectorRef | null; cut: boolean } {
  const first = c.candidates[0];
  if (c.flags.includes('cut-to-break-cycle') && first && first.kind === 'case') {
    return { infector: { id: first.id, kind: first.kind, probability: first.probability }, cut: true };
  }
  return { infector: c.infector, cut: false };
}

/** What the pages add after a most likely infector whose link was cut to break a cycle. */
export function cutLinkNote(report: AnalysisReport, c: CaseReport): string {
  const origin = c.infector
    ? `${describe(report, c.infector.id, c.infector.kind)} (${SOURCE_KIND_LABELS[c.infector.kind]}, ${percent(c.infector.probability)})`
    : 'outside';
  return `the link was cut to break a cycle of most likely links: this case roots ${c.chainId}, from ${origin}`;
}

/**
 * What a case's table of infector candidates leaves out, or '' when nothing: the analysis lists the
 * candidates of 5% or more, so where they hold less than the whole (to the nearest percent) the
 * rest is shared by candidates under 5% each that no report names, and the listed percentages
 * would otherwise not add up to 100.
 */
export function unlistedCandidatesNote(c: CaseReport): string {
  if (c.candidates.length === 0) return '';
  const listed = c.candidates.reduce((sum, k) => sum + k.probability, 0);
  const rest = 1 - listed;
  if (rest < 0.005) return '';
  return (
    `The candidates listed hold ${percent(listed)} of the probability; the other ${percent(rest)} is ` +
    `shared by candidates under ${percent(INFECTOR_DEFAULTS.threshold)} each, which the analysis does not list.`
  );
}

/**
 * With `--cases`, what a district list of the pages holds: `Only the 871 of the district's 918
 * contacts …`; '' when it holds them all.
 */
export function selectionNote(kept: number, all: number, what: string, which: string): string {
  if (kept >= all) return '';
  return `Only the ${count(kept)} of the district's ${count(all)} ${what} ${which}; the report without --cases lists every one.`;
}

/** The order of the pages' risk areas: those lifted (lowered to low) come last. */
export const RISK_AREA_ORDER = 'high, then medium, then those lifted (low)';

/** Which contacts `--cases` keeps (`selectCases`). */
export const SELECTED_CONTACTS =
  'exposed to the selected cases, to a place, boat or lot that infected one of them or is a likely source of their chains, or to those contacts';
/** Which risk areas `--cases` keeps. */
export const SELECTED_RISK_AREAS = 'that the selected cases made';
/** Which likely sources `--cases` keeps. */
export const SELECTED_SOURCES = "of the selected cases' chains";

/** A contact's sources: the case (or close contact) ids its evidence names. */
export function contactSources(contact: ContactReport): string[] {
  return [...new Set(contact.evidence.map((e) => e.sourceId))];
}

/**
 * Where a contact's quarantine stands, for the pages' "Quarantine site" column: the site of their
 * bed, and otherwise what the plan says (waiting for a bed, at home, health monitoring, over). A
 * contact whose quarantine is over but who is still at a site is named there, due for release.
 */
export function quarantineWhere(contact: ContactReport): { siteId: string | null; words: string } {
  const { assignedSiteId: siteId, placement } = contact;
  if (placement === 'completed') return { siteId, words: siteId ? 'due for release' : 'completed' };
  if (siteId) return { siteId, words: '' };
  return { siteId: null, words: PLACEMENT_WORDS[placement] };
}

const PLACEMENT_WORDS: Record<ContactReport['placement'], string> = {
  site: 'site',
  waiting: 'waiting for a bed',
  home: 'home',
  monitoring: 'health monitoring',
  completed: 'completed',
};

/**
 * Where a contact stands in the plan, in a sentence's words (the changes since an earlier report):
 * the site of their bed, or the quarantine column's words, `home quarantine` for `home`.
 */
export function placementWords(at: { placement: ContactReport['placement']; siteId: string | null }): string {
  if (at.placement === 'site') return `bed at ${at.siteId ?? 'a site'}`;
  if (at.placement === 'home') return 'home quarantine';
  if (at.placement === 'completed' && at.siteId) return `completed, still at ${at.siteId}: due for release`;
  return PLACEMENT_WORDS[at.placement];
}

/** Beds taken at the as-of instant: those already occupied and those assigned by the plan, not yet at the site. */
export function bedsTaken(summary: { occupiedBeds: number; assignedBeds: number }): number {
  return summary.occupiedBeds + summary.assignedBeds;
}

/**
 * What the beds taken are: `8 already occupied, 2 of them due for release; 4 assigned by the plan,
 * not yet at the site`, two parts that add up to the beds taken (those due for release are among
 * the occupied; the plan keeps no earlier day's assignment, so "newly" would not hold).
 */
export function bedsTakenParts(summary: {
  occupiedBeds: number;
  assignedBeds: number;
  dueForReleaseBeds: number;
}): string {
  return (
    `${count(summary.occupiedBeds)} already occupied${dueForRelease(summary.dueForReleaseBeds)}; ` +
    `${count(summary.assignedBeds)} assigned by the plan, not yet at the site`
  );
}

/** When a risk area may be lowered, or the day it was lifted once low: `lifted on 2022-08-11`. */
export function liftWords(area: { liftOn: string | null; liftedOn: string | null }): string {
  if (area.liftOn !== null) return area.liftOn;
  return area.liftedOn === null ? '—' : `lifted on ${area.liftedOn}`;
}

/** `, 2 of them due for release` after the beds already occupied, when any are; nothing otherwise. */
export function dueForRelease(beds: number): string {
  return beds > 0 ? `, ${count(beds)} of them due for release` : '';
}

export function byPriority(a: ContactReport, b: ContactReport): number {
  return a.priority - b.priority || a.personId.localeCompare(b.personId);
}

/**
 * The contacts a case is responsible for: those exposed to it directly, and the contacts of its own
 * close contacts; each by the tier the case gives them (a close contact of another case who only
 * passed this one at a market is venue-exposed here, as in the API's `Case.contacts`), in priority
 * order.
 */
export function contactsOfCase(report: AnalysisReport, caseId: string): Record<ContactTier, ContactReport[]> {
  const { byTier } = cappedContactsByCase(report, 0)(caseId);
  const result = {} as Record<ContactTier, ContactReport[]>;
  for (const tier of TIERS) result[tier] = byTier[tier].shown;
  return result;
}

/** Contacts listed per case and in the district quarantine table unless told otherwise. */
export const DEFAULT_MAX_CONTACTS = 50;

/**
 * What an HTML or Markdown page lists of what grows with the district, so a report of a large
 * district stays a file one can open and read; each page says what it left out and where it is.
 */
export const MAX_TIMELINE_ROWS = 60;
/** Rows of the district's likely sources and risk areas. */
export const MAX_TABLE_ROWS = 100;
/** Cases of a chain drawn as a diagram; a larger chain is written as a tree. */
export const MAX_DRAWN_CHAIN_CASES = 60;

/** A rendered list cut to its first entries, and how many were left out. */
export interface CappedList<T> {
  shown: T[];
  total: number;
  hidden: number;
}

/** The first `max` entries of `list`; a `max` of 0 or Infinity keeps them all. */
export function capList<T>(list: readonly T[], max: number): CappedList<T> {
  const shown = max > 0 && list.length > max ? list.slice(0, max) : [...list];
  return { shown, total: list.length, hidden: list.length - shown.length };
}

/**
 * A case's contacts cut to the `max` first, its close contacts first, then the contacts of its
 * close contacts, then the venue-exposed, each tier by quarantine priority; grouped by tier, with
 * each tier's full count.
 */
export interface CappedContacts {
  byTier: Record<ContactTier, CappedList<ContactReport>>;
  total: number;
  hidden: number;
}

/**
 * The contacts of each case (as `contactsOfCase`) capped for the pages (`CappedContacts`; a `max`
 * of 0 keeps them all). The tiers come before priority: a case's own close contacts are what its
 * section is read for, and a person this case only passed at a market may rank higher in the
 * district as another case's household contact. The contacts are indexed by the ids their
 * evidence names once, so a district of hundreds of cases and hundreds of thousands of contacts is
 * not scanned per case; and ranked by priority once, each id's list in that order, so a case only
 * counts its contacts by tier and keeps the first ranks of each tier, `max` in all. At a million
 * persons a case at the port has tens of thousands of contacts, and sorting them per case took
 * most of the 1M HTML page's 40 s.
 */
export function cappedContactsByCase(
  report: AnalysisReport,
  max: number,
): (caseId: string) => CappedContacts {
  const ranked = [...report.contacts].sort(byPriority);
  /**
   * By id: the ranks of the contacts whose evidence names it, in rank order, and the tier (its
   * index in TIERS) the exposures to it give each.
   */
  const bySource = new Map<string, { ranks: number[]; tiers: number[] }>();
  ranked.forEach((contact, rank) => {
    const given = contact[TIERS_BY_SOURCE]?.();
    const sources: Iterable<[string, ContactTier]> =
      given ?? contactSources(contact).map((id): [string, ContactTier] => [id, contact.tier]);
    for (const [sourceId, tier] of sources) {
      const list = bySource.get(sourceId);
      if (list) {
        list.ranks.push(rank);
        list.tiers.push(TIERS.indexOf(tier));
      } else bySource.set(sourceId, { ranks: [rank], tiers: [TIERS.indexOf(tier)] });
    }
  });
  /** Which case last counted each contact (its number plus one), so none is counted twice. */
  const countedFor = new Int32Array(ranked.length);
  /** The tier (index in TIERS) the case last counted gives each contact it counted. */
  const tierFor = new Int8Array(ranked.length);
  let caseNumber = 0;
  return (caseId) => {
    caseNumber += 1;
    const counts: Record<ContactTier, number> = {
      close_contact: 0,
      contact_of_close_contact: 0,
      venue_exposed: 0,
    };
    /** Every rank this case reaches, once; its tier is `tierFor`'s once all are reached. */
    const reached: number[] = [];
    const take = (rank: number, tier: number): void => {
      if (countedFor[rank] === caseNumber) {
        // Reached again (directly and through a close contact): the higher tier holds.
        if (tier < tierFor[rank]!) {
          counts[TIERS[tierFor[rank]!]!] -= 1;
          counts[TIERS[tier]!] += 1;
          tierFor[rank] = tier;
        }
        return;
      }
      countedFor[rank] = caseNumber;
      tierFor[rank] = tier;
      counts[TIERS[tier]!] += 1;
      reached.push(rank);
    };
    const direct = bySource.get(caseId) ?? { ranks: [], tiers: [] };
    direct.ranks.forEach((rank, i) => take(rank, direct.tiers[i]!));
    const closeContact = TIERS.indexOf('close_contact');
    direct.ranks.forEach((rank, i) => {
      if (direct.tiers[i] !== closeContact) return;
      const secondary = bySource.get(ranked[rank]!.personId);
      secondary?.ranks.forEach((other, j) => take(other, secondary.tiers[j]!));
    });
    const byTier = {} as Record<ContactTier, CappedList<ContactReport>>;
    let total = 0;
    let hidden = 0;
    let room = max > 0 ? max : Infinity;
    TIERS.forEach((tier, index) => {
      const kept = lowestRanks(reached, (rank) => tierFor[rank] === index, room);
      room -= kept.length;
      const left = counts[tier] - kept.length;
      byTier[tier] = { shown: kept.map((rank) => ranked[rank]!), total: counts[tier], hidden: left };
      total += counts[tier];
      hidden += left;
    });
    return { byTier, total, hidden };
  };
}

/**
 * The `room` lowest of the ranks that pass `wanted`, in order (all of them when `room` is
 * Infinity). Kept sorted as they come, so a small `room` costs one look at most ranks: the lists
 * come mostly in rank order already.
 */
function lowestRanks(ranks: readonly number[], wanted: (rank: number) => boolean, room: number): number[] {
  const kept: number[] = [];
  if (room <= 0) return kept;
  if (room === Infinity) return ranks.filter(wanted).sort((a, b) => a - b);
  for (const rank of ranks) {
    if (!wanted(rank) || (kept.length === room && rank > kept[room - 1]!)) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]! > rank) at--;
    kept.splice(at, 0, rank);
    if (kept.length > room) kept.pop();
  }
  return kept;
}

/** `12,345`: counts in notes about what a page leaves out. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The order of the district's quarantine table. */
const PRIORITY_ORDER = 'the highest quarantine priority first';
/** The order of a case's contacts on the pages (`cappedContactsByCase`). */
export const CASE_CONTACTS_ORDER =
  'its close contacts first, then the contacts of its close contacts, then the venue-exposed, each by quarantine priority';

/** `None shown …`: a tier of a case with none among those listed, the tiers above taking them all. */
export function noneOfTierShown(maxContacts: number): string {
  return `None shown: the tiers above fill the ${count(maxContacts)} listed for this case.`;
}

/** The sentence a capped contact list ends with: how many more there are and where they are. */
export function moreContactsNote(hidden: number, total: number, order = PRIORITY_ORDER): string {
  return (
    `${count(total - hidden)} of ${count(total)} shown, ${order}; ` +
    `${count(hidden)} more are in the quarantine list CSV (tracegraph report --format csv), which lists everyone.`
  );
}

export interface ChainTreeNode {
  id: string;
  kind: SourceKind;
  /** The link that leads to this node from its parent; null for a root. */
  link: ChainLink | null;
  children: ChainTreeNode[];
}

/**
 * A chain as a tree from its root: each case under the infector of its link. Cases with no link
 * inside the chain hang from the top so that none is lost.
 */
export function chainTree(chain: ChainReport): ChainTreeNode[] {
  const childLinks = new Map<string, ChainLink[]>();
  const hasParent = new Set<string>();
  for (const link of chain.links) {
    if (!childLinks.has(link.from)) childLinks.set(link.from, []);
    childLinks.get(link.from)!.push(link);
    hasParent.add(link.to);
  }
  const caseIds = new Set(chain.caseIds);
  const visited = new Set<string>();
  const build = (id: string, kind: SourceKind, link: ChainLink | null): ChainTreeNode => {
    visited.add(id);
    const children = (childLinks.get(id) ?? [])
      .filter((l) => !visited.has(l.to))
      .map((l) => build(l.to, caseIds.has(l.to) ? 'case' : 'person', l));
    return { id, kind, link, children };
  };

  const roots: ChainTreeNode[] = [];
  const rootIds = new Set<string>([chain.rootId]);
  for (const link of chain.links) if (!hasParent.has(link.from)) rootIds.add(link.from);
  for (const id of rootIds) {
    if (visited.has(id)) continue;
    const kind =
      id === chain.rootId ? chain.rootKind : (chain.links.find((l) => l.from === id)?.fromKind ?? 'case');
    if (hasParent.has(id)) continue;
    roots.push(build(id, kind, null));
  }
  for (const id of chain.caseIds) if (!visited.has(id)) roots.push(build(id, 'case', null));
  return roots;
}

/** Told once per case reported: `done` of `total` (a progress bar). */
export type ProgressListener = (done: number, total: number, caseId: string) => void;

/** Formats written in one piece (or streamed) still count their cases, so a progress bar reaches its end. */
export function reportAllDone(cases: readonly { personId: string }[], onProgress?: ProgressListener): void {
  if (!onProgress) return;
  cases.forEach((c, i) => onProgress(i + 1, cases.length, c.personId));
}
