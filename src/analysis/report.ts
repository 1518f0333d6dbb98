/**
 * Turns an analysis into the report model (src/analysis/report-model.ts): JSON-ready, instants as
 * ISO 8601 in the district's offset, names of everything it mentions, an epidemic curve.
 *
 * `toLazyReport` builds everything but the contacts, which it yields one at a time as a writer
 * reads them (src/report/json.ts streams them out): at 100,000 persons the contacts are ~75,000
 * objects and most of the 152 MB of JSON. `toReport` collects them into the array the HTML,
 * Markdown and CSV renderers and the API take; the pages ask for each contact's evidence to be
 * built only when read (`evidenceOnRead`), since they show none of it.
 */
import { recordById } from '../domain/own-entries';
import { changesFromPresets, type Protocol } from '../domain/parameters';
import { formatDate, formatDateTime, formatDuration, formatInstant, DAY, startOfDay } from '../domain/time';
import type { Id } from '../domain/types';
import type { Analysis } from './analyse';
import { staysOfSubjects } from './exposures';
import type { ChainCase, TransmissionChain } from './chains';
import type { InfectorCandidate } from './infector';
import { samplesOfCases } from './infectious-window';
import { InstantTable } from './instant-table';
import type { QuarantineEntry } from './quarantine';
import type {
  AnalysisReport,
  CaseReport,
  ContactReport,
  ContactTier,
  EntityLabel,
  ExposureEvidence,
  InfectorCandidateReport,
  LazyAnalysisReport,
  SourceKind,
  TimelineEvent,
} from './report-model';
import {
  TIERS_BY_SOURCE,
  type ContactPlacement,
  type ReportChanges,
  type ReportSummary,
} from './report-model';
import type { Exposure } from './model';
import {
  closeContactOf,
  closeContactsMet,
  evidenceSourcesOf,
  TIER_RANK,
  tierOfExposure,
  type TierEntry,
  type TierEvidence,
} from './tiers';

const iso = (at: number | null): string | null => (at === null ? null : formatInstant(at));

function candidateSetting(c: InfectorCandidate): string | null {
  const e = [...c.evidence].sort((a, b) => b.attackRate - a.attackRate || b.minutes - a.minutes)[0];
  if (!e) return null;
  if (e.setting === 'place') return `place:${e.placeKind ?? 'other'}`;
  if (e.setting === 'contact') return `contact:${e.contactSetting ?? 'other'}`;
  return e.setting;
}

function candidateReport(c: InfectorCandidate): InfectorCandidateReport {
  const e = [...c.evidence].sort((a, b) => b.attackRate - a.attackRate || b.minutes - a.minutes)[0];
  const evidence =
    c.kind === 'unknown'
      ? 'no recorded exposure explains the infection better than an unrecorded one'
      : e
        ? `${candidateSetting(c)} exposure of ${formatDuration(e.minutes)} from ${formatDateTime(e.start)}, ` +
          `${e.daysBeforeOnset.toFixed(1)} d before onset/first positive (attack rate ${(e.attackRate * 100).toFixed(1)}%)` +
          (c.evidence.length > 1 ? `, and ${c.evidence.length - 1} more exposure(s)` : '')
        : 'linked without a recorded exposure';
  return {
    id: c.id,
    kind: c.kind,
    probability: c.probability,
    setting: candidateSetting(c),
    hostId: e?.hostId ?? null,
    gapDays: c.gapDays,
    evidence,
  };
}

/** At most this many instants' texts are kept by an `instantFormatter` (a bound on its memory). */
const INSTANTS_KEPT = 1 << 20;

/**
 * `formatInstant` and `formatDate` in the district's offset, with each day's date text built once:
 * the contacts' evidence holds hundreds of thousands of instants, and formatting each through a
 * `Date` took a second and more at 100,000 persons. The output is the same text. Each instant's
 * text is kept too (up to `kept` of them): at a million persons the evidence holds 12
 * million instants but only tens of thousands of distinct ones (stays start and end on the
 * minute), and one flat string per instant spares building and flattening a string each time.
 */
export function instantFormatter(kept = INSTANTS_KEPT): {
  instant(at: number): string;
  date(at: number): string;
} {
  const dayText = new InstantTable<string>();
  // 12 million look-ups at a million persons: a table that boxes no key (src/analysis/instant-table.ts).
  const instantText = new InstantTable<string>();
  const dateOf = (day: number): string => {
    let text = dayText.get(day);
    if (text === undefined) dayText.set(day, (text = formatDate(day)));
    return text;
  };
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const offset = formatInstant(0).slice(-6); // `+08:00`
  const format = (at: number): string => {
    const day = startOfDay(at);
    let rest = at - day;
    const ms = rest % 1000;
    rest = (rest - ms) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
    return `${dateOf(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}${fraction}${offset}`;
  };
  return {
    instant(at) {
      if (!Number.isSafeInteger(at)) return formatInstant(at);
      let text = instantText.get(at);
      if (text === undefined) {
        text = format(at);
        if (instantText.size < kept) instantText.set(at, text);
      }
      return text;
    },
    date(at) {
      return Number.isSafeInteger(at) ? dateOf(startOfDay(at)) : formatDate(at);
    },
  };
}

/** The start of a stay's line in a timeline, up to its time: `at Baogang market (market) for `. */
function stayPlace(host: EntityLabel | undefined, hostId: Id): string {
  return `at ${host?.name ?? hostId}${host?.detail ? ` (${host.detail})` : ''} for `;
}

/**
 * A stay's line in a case's timeline, naming its host by its label: the one text of the report
 * made from a label, so masking (src/report/mask.ts) tells it again with the masked label
 * (`restayLabel`).
 */
export function stayLabel(host: EntityLabel | undefined, hostId: Id, start: number, end: number): string {
  return `${stayPlace(host, hostId)}${formatDuration((end - start) / 60_000)}`;
}

/**
 * The line `stayLabel` made with the host's label `host`, told with `relabelled` instead, its
 * time as written; null when `line` is not one it made with `host`.
 */
export function restayLabel(
  line: string,
  host: EntityLabel | undefined,
  relabelled: EntityLabel | undefined,
  hostId: Id,
): string | null {
  const place = stayPlace(host, hostId);
  return line.startsWith(place) ? `${stayPlace(relabelled, hostId)}${line.slice(place.length)}` : null;
}

type Mention = (id: Id | null | undefined) => void;

/** The entity labels of a report, filled in the order things are first mentioned. */
function entityLabels(data: Analysis['data']): { entities: Record<string, EntityLabel>; mention: Mention } {
  const entities = recordById<EntityLabel>();
  const mention: Mention = (id) => {
    if (!id || entities[id]) return;
    const person = data.persons.get(id);
    if (person) {
      entities[id] = {
        kind: 'person',
        name: person.name,
        detail: person.occupation,
        phone: person.phone,
        age: person.age,
        sex: person.sex,
        homeId: person.homeId,
      };
      return;
    }
    const place = data.places.get(id);
    if (place) return void (entities[id] = { kind: 'place', name: place.name, detail: place.kind });
    const boat = data.boats.get(id);
    if (boat) return void (entities[id] = { kind: 'boat', name: boat.name, detail: boat.registration });
    const item = data.items.get(id);
    if (item) return void (entities[id] = { kind: 'item', name: item.product, detail: item.lot });
  };
  return { entities, mention };
}

function caseReports(
  analysis: Analysis,
  entities: Record<string, EntityLabel>,
  mention: Mention,
): CaseReport[] {
  const { data, chains, inferences, windows } = analysis;
  const inferenceOf = new Map(inferences.map((i) => [i.personId, i]));
  const chainCaseOf = new Map(chains.cases.map((c) => [c.personId, c]));
  const flagsOf = new Map<string, string[]>();
  for (const chain of chains.chains) for (const link of chain.links) flagsOf.set(link.infecteeId, link.flags);
  // A most-likely link cut to break a cycle: its infectee is a root, flagged with the cut link's flags.
  for (const link of chains.cutLinks) flagsOf.set(link.infecteeId, link.flags);
  const chainById = new Map(chains.chains.map((chain) => [chain.id, chain]));
  // Timelines are of cases: their samples alone.
  const samplesOf = samplesOfCases(data.cases, data.samples);
  const staysOf = staysOfSubjects(data.stays, new Set(data.cases.map((c) => c.personId)));

  return data.cases.map((c) => {
    mention(c.personId);
    const window = windows.get(c.personId)!;
    const inference = inferenceOf.get(c.personId);
    const chainCase = chainCaseOf.get(c.personId);
    const timeline: TimelineEvent[] = [
      { at: formatInstant(window.from), kind: 'window', label: `infectious window opens (${window.basis})` },
    ];
    if (c.onset !== null)
      timeline.push({ at: formatInstant(c.onset), kind: 'onset', label: 'symptom onset' });
    for (const s of samplesOf.get(c.personId) ?? []) {
      const ct = s.ct !== null ? ` (Ct ${s.ct})` : '';
      timeline.push({
        at: formatInstant(s.sampledAt),
        kind: 'sample',
        label: `${s.method.toUpperCase()} ${s.result}${ct}`,
      });
    }
    for (const s of staysOf.get(c.personId) ?? []) {
      if (s.end < window.from || s.start > window.to) continue;
      mention(s.hostId);
      timeline.push({
        at: formatInstant(s.start),
        end: formatInstant(s.end),
        kind: 'stay',
        hostId: s.hostId,
        label: stayLabel(entities[s.hostId], s.hostId, s.start, s.end),
      });
    }
    if (c.confirmedAt !== null)
      timeline.push({ at: formatInstant(c.confirmedAt), kind: 'confirmed', label: 'confirmed and isolated' });
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    const best = inference?.best;
    const candidates = (inference?.candidates ?? []).map(candidateReport);
    for (const candidate of candidates) mention(candidate.id === 'unknown' ? null : candidate.id);
    return {
      personId: c.personId,
      classification: c.classification,
      onset: iso(c.onset),
      confirmedAt: iso(c.confirmedAt),
      infectiousWindow: {
        from: formatInstant(window.from),
        to: formatInstant(window.to),
        basis: window.basis,
      },
      infector: infectorOf(best, chainCase, chainCase && chainById.get(chainCase.chainId)),
      candidates,
      chainId: chainCase?.chainId ?? `chain-${c.personId}`,
      generation: chainCase?.generation ?? 0,
      offspring: chainCase?.offspring ?? 0,
      expectedOffspring: chainCase?.expectedOffspring ?? 0,
      flags: flagsOf.get(c.personId) ?? [],
      timeline,
    };
  });
}

/**
 * A case's infector as its chain has it: the chain's parent (the most likely infector), or for a
 * root where the chain says it came from (an environmental source; null for outside). They differ
 * from the most likely infector only where a cycle of most-likely links was cut at this case: its
 * most likely infector is then among its candidates, and the cut link among its flags.
 */
function infectorOf(
  best: InfectorCandidate | undefined,
  chainCase: ChainCase | undefined,
  chain: TransmissionChain | undefined,
): CaseReport['infector'] {
  if (!best) return null;
  if (!chainCase)
    return best.kind === 'unknown' ? null : { id: best.id, kind: best.kind, probability: best.probability };
  // The parent is the most likely infector: chains.ts links no other.
  if (chainCase.parentId !== null)
    return { id: chainCase.parentId, kind: 'case', probability: best.probability };
  const origin = chain?.rootId === chainCase.personId ? chain.rootSource : null;
  return origin === null || origin.kind === 'unknown' || origin.kind === 'case'
    ? null
    : { id: origin.id, kind: origin.kind, probability: origin.probability };
}

/** The quarantine entries that are contacts (those with a tier), in the plan's order. */
function* contactEntries(
  entries: readonly QuarantineEntry[],
): Generator<QuarantineEntry & { tier: ContactTier }> {
  for (const entry of entries)
    if (entry.tier !== null) yield entry as QuarantineEntry & { tier: ContactTier };
}

/** Everything one contact's report names, in the order `contactReport` reads it. */
function mentionContact(entry: QuarantineEntry, tierEntry: TierEntry | undefined, mention: Mention): void {
  mention(entry.personId);
  mention(entry.assignedSiteId);
  // Consecutive evidence often shares its host or source (mentioning is idempotent): once per run.
  // Cases are labelled first anyway; a lot, boat, place or close contact the evidence comes from
  // is named here.
  let host: Id | null | undefined;
  let source: Id | undefined;
  for (const evidence of tierEntry ? evidenceSourcesOf(tierEntry) : []) {
    if (evidence.sourceKind !== 'case' && evidence.sourceId !== source) {
      source = evidence.sourceId;
      mention(source);
    }
    if (evidence.hostId === host) continue;
    host = evidence.hostId;
    mention(host);
  }
}

/**
 * The entity labels of a report, completed when first read: the cases' labels, then what the
 * contacts name (in the plan's order), then the sources, risk areas, quarantine sites and chain
 * roots, each first mention in that order. Contacts read in full before the labels (the JSON
 * document, whose last field they are) mention what they name as they are built, so the labels
 * then need no pass of their own over the contacts' evidence: at a million persons that pass read
 * 6.7 million exposures scattered over the heap, seconds spent again when the contacts were built.
 */
class ReportLabels {
  private contactsMentioned = false;
  private complete = false;

  constructor(
    private readonly entities: Record<string, EntityLabel>,
    readonly mention: Mention,
    private readonly mentionEveryContact: () => void,
    private readonly mentionAfterContacts: () => void,
  ) {}

  /** Whether a contact built now should mention what it names (no need once all are labelled). */
  get open(): boolean {
    return !this.complete && !this.contactsMentioned;
  }

  /** Every contact has mentioned what it names, in the plan's order. */
  contactsDone(): void {
    this.contactsMentioned = true;
  }

  /** Every label, in the order of first mention. */
  get all(): Record<string, EntityLabel> {
    if (!this.complete) {
      // Contacts mentioned in part are mentioned again from the first: the same order.
      if (!this.contactsMentioned) this.mentionEveryContact();
      this.mentionAfterContacts();
      this.complete = true;
    }
    return this.entities;
  }
}

type InstantFormatter = ReturnType<typeof instantFormatter>;

/** The evidence's `place:<kind>` settings, each text built once (a district has a few kinds). */
function placeSettings(): (placeKind: string | null) => string {
  const texts = new Map<string | null, string>();
  return (placeKind) => {
    let text = texts.get(placeKind);
    if (text === undefined) texts.set(placeKind, (text = `place:${placeKind ?? 'other'}`));
    return text;
  };
}

function contactReport(
  entry: QuarantineEntry & { tier: ContactTier },
  tierEntry: TierEntry | undefined,
  format: InstantFormatter,
  placeSetting: (placeKind: string | null) => string,
  evidenceOnRead: boolean,
  /** The protocol the tiers follow, when the contact is to say the tier each source gives it. */
  protocol: Protocol | null,
): ContactReport {
  const evidenceOf = (): ExposureEvidence[] =>
    (tierEntry ? evidenceSourcesOf(tierEntry) : []).map((ev) => ({
      sourceId: ev.sourceId,
      sourceKind: (ev.sourceKind === 'close_contact' ? 'person' : ev.sourceKind) as SourceKind,
      setting: ev.setting === 'place' ? placeSetting(ev.placeKind) : ev.setting,
      hostId: ev.hostId,
      start: format.instant(ev.start),
      end: format.instant(ev.end),
      minutes: ev.minutes,
    }));
  const pcrDates: string[] = [];
  for (const d of entry.pcrDates) pcrDates.push(format.date(d));
  for (const d of entry.homePcrDates) pcrDates.push(format.date(d));
  // The fields in the model's order, built by the same steps for every contact. With
  // `evidenceOnRead`, `evidence` is one accessor shared by all, so all share one shape: a getter of
  // their own (an object literal's) gave each contact a shape of its own, and every read of any
  // field became a slow one (rendering the 1M pages took three times as long).
  const contact = {
    personId: entry.personId,
    tier: entry.tier,
    // The sources of the kept tier as the tiers listed them: shared, not copied, and read from no
    // evidence (at a million persons a pass over it costs seconds).
    closeContactOf: closeContactOf(tierEntry),
    closeContactsMet: closeContactsMet(tierEntry),
    probability: entry.probability,
    score: entry.score,
    priority: entry.priority,
    reasons: entry.reasons,
  } as ContactReport & { [BUILD_EVIDENCE]?: () => ExposureEvidence[] };
  if (evidenceOnRead) Object.defineProperty(contact, 'evidence', EVIDENCE_ON_READ);
  else contact.evidence = evidenceOf();
  contact.assignedSiteId = entry.assignedSiteId;
  // A contact always has a placement other than `none`, which only those below every tier get.
  contact.placement = entry.placement as ContactPlacement;
  contact.lastExposure = format.instant(entry.lastExposure);
  contact.releaseOn = entry.releaseOn === null ? null : format.date(entry.releaseOn);
  contact.homeMonitoringUntil =
    entry.homeMonitoringUntil === null ? null : format.date(entry.homeMonitoringUntil);
  contact.pcrDates = pcrDates;
  if (evidenceOnRead) Object.defineProperty(contact, BUILD_EVIDENCE, { value: evidenceOf });
  if (protocol)
    Object.defineProperty(contact, TIERS_BY_SOURCE, {
      value: () => tiersBySource(tierEntry, protocol),
    });
  return contact;
}

/**
 * Per id the entry's evidence names, the highest tier those exposures give: read by the pages to
 * list each case's own close contacts; worked out when asked, as the JSON never needs it.
 */
function tiersBySource(tierEntry: TierEntry | undefined, protocol: Protocol): Map<string, ContactTier> {
  const tiers = new Map<string, ContactTier>();
  for (const source of tierEntry ? evidenceSourcesOf(tierEntry) : []) {
    // Evidence through a close contact (and evidence made by hand) says its tier; an exposure, not.
    const tier =
      (source as Partial<TierEvidence>).tier ?? tierOfExposure(source as unknown as Exposure, protocol);
    if (tier === null) continue;
    const known = tiers.get(source.sourceId);
    if (known === undefined || TIER_RANK[tier] > TIER_RANK[known]) tiers.set(source.sourceId, tier);
  }
  return tiers;
}

/**
 * Where a contact whose evidence is built when read keeps what builds it: a symbol, not
 * enumerable, so no reader sees it as data, and copied with the accessor by a copy made from the
 * contact's property descriptors.
 */
const BUILD_EVIDENCE = Symbol('buildEvidence');

/** The `evidence` accessor of every contact built with its evidence on read. */
const EVIDENCE_ON_READ: PropertyDescriptor = {
  get(this: { [BUILD_EVIDENCE]: () => ExposureEvidence[] }): ExposureEvidence[] {
    return this[BUILD_EVIDENCE]();
  },
  enumerable: true,
  configurable: true,
};

/**
 * The contacts' reports, built afresh each time they are iterated; while the labels are open, each
 * mentions what it names first (see ReportLabels).
 */
function lazyContacts(
  analysis: Analysis,
  tierOf: ReadonlyMap<Id, TierEntry>,
  labels: ReportLabels,
  evidenceOnRead: boolean,
  tiersProtocol: Protocol | null,
): Iterable<ContactReport> {
  const { entries } = analysis.quarantine;
  return {
    *[Symbol.iterator]() {
      const format = instantFormatter();
      const placeSetting = placeSettings();
      let mentioned = true;
      for (const entry of contactEntries(entries)) {
        const tierEntry = tierOf.get(entry.personId);
        if (labels.open) mentionContact(entry, tierEntry, labels.mention);
        else mentioned = false;
        yield contactReport(entry, tierEntry, format, placeSetting, evidenceOnRead, tiersProtocol);
      }
      if (mentioned) labels.contactsDone();
    },
  };
}

function chainReports(analysis: Analysis): AnalysisReport['chains'] {
  return analysis.chains.chains.map((chain) => {
    const rootIsEnvironmental = chain.rootSource.kind !== 'unknown' && chain.rootSource.kind !== 'case';
    return {
      id: chain.id,
      rootId: rootIsEnvironmental ? chain.rootSource.id : chain.rootId,
      rootKind: (rootIsEnvironmental ? chain.rootSource.kind : 'case') as SourceKind,
      caseIds: chain.caseIds,
      size: chain.size,
      length: chain.length,
      firstDate: formatDate(chain.firstAt),
      lastDate: formatDate(chain.lastAt),
      durationDays: Math.round(chain.durationDays * 10) / 10,
      active: chain.active,
      links: [
        ...(rootIsEnvironmental
          ? [
              {
                from: chain.rootSource.id,
                fromKind: chain.rootSource.kind as SourceKind,
                to: chain.rootId,
                probability: chain.rootSource.probability,
                // As the root's candidate says it (`place:fishing_port`), else the source's kind.
                setting: chain.rootSource.setting ?? chain.rootSource.kind,
                flags: [],
              },
            ]
          : []),
        ...chain.links.map((l) => ({
          from: l.infectorId,
          fromKind: 'case' as SourceKind,
          to: l.infecteeId,
          probability: l.probability,
          setting: l.setting,
          flags: l.flags,
        })),
      ],
      rByGeneration: chain.rByGeneration,
    };
  });
}

/** Epidemic curve: cases by day of confirmation, and symptomatic cases by day of onset. */
function epidemicCurve(cases: Analysis['data']['cases']): AnalysisReport['epiCurve'] {
  const curve = new Map<string, { confirmed: number; asymptomatic: number; byOnset: number }>();
  const day = (at: number) => {
    const key = formatDate(at);
    let entry = curve.get(key);
    if (!entry) curve.set(key, (entry = { confirmed: 0, asymptomatic: 0, byOnset: 0 }));
    return entry;
  };
  for (const c of cases) {
    const known = c.confirmedAt ?? c.onset;
    if (known !== null) day(known)[c.classification === 'confirmed' ? 'confirmed' : 'asymptomatic'] += 1;
    if (c.onset !== null) day(c.onset).byOnset += 1;
  }
  const dates = [...curve.keys()].sort();
  const epiCurve: AnalysisReport['epiCurve'] = [];
  if (dates.length) {
    const last = startOfDay(Date.parse(`${dates[dates.length - 1]}T12:00:00+08:00`));
    for (let at = startOfDay(Date.parse(`${dates[0]}T12:00:00+08:00`)); at <= last; at += DAY) {
      const date = formatDate(at);
      epiCurve.push({ date, ...(curve.get(date) ?? { confirmed: 0, asymptomatic: 0, byOnset: 0 }) });
    }
  }
  return epiCurve;
}

function superspreaderReports(spreaders: Analysis['spreaders']): AnalysisReport['superspreaders'] {
  const ranked = [...spreaders.byOffspring, ...spreaders.byBetweenness, ...spreaders.byPagerank];
  const spreaderIds = new Set(ranked.map((s) => s.personId));
  return [...spreaderIds]
    .map((id) => ranked.find((s) => s.personId === id)!)
    .sort(
      (a, b) => b.offspring - a.offspring || b.pagerank - a.pagerank || a.personId.localeCompare(b.personId),
    )
    .map((s) => ({
      personId: s.personId,
      offspring: s.offspring,
      betweenness: s.betweenness,
      pagerank: s.pagerank,
    }));
}

export interface ReportOptions {
  /**
   * Each contact's `evidence` built each time it is read (an own, enumerable accessor), not kept:
   * for readers that read it once or not at all. At a million persons the evidence of every
   * contact is 12 million objects, gigabytes that the HTML and Markdown pages, which show
   * none of it (they read only whom and where it names), would otherwise hold.
   */
  evidenceOnRead?: boolean;
  /**
   * Each contact able to say which tier each case (or other source) its evidence names gives it
   * (`TIERS_BY_SOURCE`), as the pages group a case's contacts. On in `toReport`, off in
   * `toLazyReport`: the streamed JSON and CSV never ask, and at a million persons a function kept
   * on each of 626,000 contacts is not free.
   */
  tiersBySource?: boolean;
  /** What changed since an earlier instant (`changesSince`): the report's `changes`, after its summary. */
  changes?: ReportChanges;
}

/** The report's counts of an analysis. */
export function reportSummary(analysis: Analysis): ReportSummary {
  const { data, chains, quarantine, riskAreas } = analysis;
  const contactCounts = new Map<ContactTier, number>();
  for (const entry of contactEntries(quarantine.entries))
    contactCounts.set(entry.tier, (contactCounts.get(entry.tier) ?? 0) + 1);
  const count = (tier: ContactTier) => contactCounts.get(tier) ?? 0;
  return {
    cases: data.cases.length,
    confirmed: data.cases.filter((c) => c.classification === 'confirmed').length,
    asymptomatic: data.cases.filter((c) => c.classification === 'asymptomatic').length,
    chains: chains.chains.length,
    activeChains: chains.chains.filter((c) => c.active).length,
    closeContacts: count('close_contact'),
    contactsOfCloseContacts: count('contact_of_close_contact'),
    venueExposed: count('venue_exposed'),
    quarantineBeds: quarantine.beds,
    assignedBeds: quarantine.sites.reduce((sum, s) => sum + s.assigned, 0),
    occupiedBeds: quarantine.sites.reduce((sum, s) => sum + s.occupied, 0),
    dueForReleaseBeds: quarantine.sites.reduce((sum, s) => sum + s.dueForRelease, 0),
    highRiskAreas: riskAreas.filter((a) => a.level === 'high').length,
    mediumRiskAreas: riskAreas.filter((a) => a.level === 'medium').length,
  };
}

/** The report of an analysis with its contacts yielded as they are read (see the module doc). */
export function toLazyReport(analysis: Analysis, options: ReportOptions = {}): LazyAnalysisReport {
  const { data, chains, quarantine, tiers, params } = analysis;
  const { entities, mention } = entityLabels(data);

  const cases = caseReports(analysis, entities, mention);
  const tierOf = new Map(tiers.map((t) => [t.personId, t]));

  const sources = analysis.sources.overall.map((s) => ({
    id: s.id,
    kind: s.kind as SourceKind,
    score: s.score,
    chainIds: s.chainIds,
    reasons: s.reasons,
  }));
  const areas = analysis.riskAreas.map((a) => ({
    placeId: a.placeId,
    level: a.level,
    lastInfection: formatDate(a.lastInfection),
    liftOn: a.liftOn === null ? null : formatDate(a.liftOn),
    liftedOn: a.liftedOn === null ? null : formatDate(a.liftedOn),
    caseIds: a.caseIds,
    reason: a.reason,
  }));
  // The contacts are the persons with a tier (every one gets a quarantine entry with it): counted
  // from the tiers, not the contacts, which are built only as they are read.
  const clusters = analysis.clusters.map((k) => {
    let contactCount = 0;
    for (const id of k.memberIds) if (tierOf.has(id)) contactCount += 1;
    return { ...k, contactCount };
  });
  const labels = new ReportLabels(
    entities,
    mention,
    () => {
      for (const entry of contactEntries(quarantine.entries))
        mentionContact(entry, tierOf.get(entry.personId), mention);
    },
    () => {
      for (const s of sources) mention(s.id);
      for (const a of areas) mention(a.placeId);
      for (const site of quarantine.sites) mention(site.siteId);
      for (const chain of chains.chains)
        if (chain.rootSource.kind !== 'unknown') mention(chain.rootSource.id);
    },
  );

  return {
    asOf: formatInstant(analysis.asOf),
    parameters: {
      protocol: params.protocol.name,
      pathogen: params.pathogen.name,
      changed: changesFromPresets(params),
    },
    summary: reportSummary(analysis),
    ...(options.changes === undefined ? {} : { changes: options.changes }),
    epiCurve: epidemicCurve(data.cases),
    rByGeneration: chains.rByGeneration,
    cases,
    chains: chainReports(analysis),
    contacts: lazyContacts(
      analysis,
      tierOf,
      labels,
      options.evidenceOnRead ?? false,
      options.tiersBySource ? analysis.params.protocol : null,
    ),
    sources,
    riskAreas: areas,
    clusters,
    superspreaders: superspreaderReports(analysis.spreaders),
    quarantineSites: quarantine.sites.map((s) => ({
      id: s.siteId,
      capacity: s.capacity,
      occupied: s.occupied,
      assigned: s.assigned,
      dueForRelease: s.dueForRelease,
    })),
    // Own and enumerable, in the model's place: spreading or serialising the report reads it.
    get entities() {
      return labels.all;
    },
  };
}

/** The report with its contacts in an array, for the renderers and the API. */
export function toReport(analysis: Analysis, options: ReportOptions = {}): AnalysisReport {
  return collectContacts(toLazyReport(analysis, { tiersBySource: true, ...options }));
}

/** A lazy report with its contacts collected into an array, keys in the same order. */
export function collectContacts(report: LazyAnalysisReport): AnalysisReport {
  return { ...report, contacts: [...report.contacts] };
}
