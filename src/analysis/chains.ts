/**
 * Transmission chains: the trees formed by each case's most likely infector (src/analysis/
 * infector.ts), with generations, size, length, duration, whether the chain is still active, the
 * offspring of each case (the count of its most-likely links, and beside it the case reproduction
 * number of Wallinga & Teunis, Am J Epidemiol 2004, R_j = Σ_i p_ij), the mean count of
 * most-likely links by generation, and consistency flags on each link against the serial interval
 * and the infector's infectious window (China's COVID-19 protocol, 9th edition).
 */
import { quantile } from '../domain/distributions';
import type { Parameters } from '../domain/parameters';
import { DAY } from '../domain/time';
import type { Case, Id, Instant } from '../domain/types';
import {
  infectiousWindow,
  isolationStaysOfCases,
  samplesOfCases,
  type CaseWindows,
  type InfectiousWindow,
} from './infectious-window';
import type { InfectorCandidate, InfectorInference, InfectorKind } from './infector';
import type { OutbreakData } from './model';

export interface ChainOptions {
  /** A serial interval below this quantile of the serial-interval distribution is implausible... */
  serialIntervalLowQuantile: number;
  /** ...and so is one above this quantile. */
  serialIntervalHighQuantile: number;
}

export const DEFAULTS: ChainOptions = {
  serialIntervalLowQuantile: 0.01,
  serialIntervalHighQuantile: 0.99,
};

export type LinkFlag =
  /** The infector's onset is after the infectee's. */
  | 'onset-order-reversed'
  /** Onset to onset outside the 1st-99th percentile of the serial interval. */
  | 'implausible-serial-interval'
  /** No exposure of the link falls in the infector's infectious window. */
  | 'exposure-outside-infectious-window'
  /** Every exposure of the link began after the infector was isolated. */
  | 'after-infector-isolation'
  /**
   * The most likely link, cut to break a cycle of most-likely links (the weakest of the cycle): the
   * infectee is the root of its chain instead, and the link is in `cutLinks`, not in a chain.
   */
  | 'cut-to-break-cycle';

export interface ChainLink {
  infectorId: Id;
  infecteeId: Id;
  probability: number;
  /** How they met (the setting of the strongest evidence), e.g. `household`, `place:market`. */
  setting: string | null;
  /** Onset of the infectee minus onset of the infector, in days, when both are known. */
  serialIntervalDays: number | null;
  flags: LinkFlag[];
}

export interface ChainCase {
  personId: Id;
  chainId: string;
  /** The most likely infector within the chain; null for the root. */
  parentId: Id | null;
  /** 0 for the root. */
  generation: number;
  /** Cases whose most likely infector this case is. */
  offspring: number;
  /** Σ of the probabilities that this case infected each other case (Wallinga & Teunis). */
  expectedOffspring: number;
}

export interface GenerationR {
  generation: number;
  cases: number;
  /** Mean offspring of the cases of this generation (the last generation's is censored). */
  meanOffspring: number;
}

export interface TransmissionChain {
  /** `chain-<root id>`: stable while the root stays the root. */
  id: string;
  rootId: Id;
  /** Where the root most likely came from: an environmental source, or outside (`unknown`). */
  rootSource: {
    id: Id;
    kind: InfectorKind;
    probability: number;
    /**
     * How the root met it, as a link's `setting` (`place:fishing_port`, `boat`), when it is among
     * the root's candidates; null otherwise (outside, or below the candidates' threshold).
     */
    setting: string | null;
  };
  /** Root first, then by generation and time. */
  caseIds: Id[];
  size: number;
  /** Highest generation (root = 0). */
  length: number;
  /** Earliest and latest onset or confirmation of its cases. */
  firstAt: Instant;
  lastAt: Instant;
  durationDays: number;
  /** A case was confirmed within `chainActiveDays` of `asOf`. */
  active: boolean;
  lastConfirmedAt: Instant | null;
  links: ChainLink[];
  rByGeneration: GenerationR[];
}

export interface ChainAnalysis {
  chains: TransmissionChain[];
  /** Every case, in the order of `data.cases`. */
  cases: ChainCase[];
  /** Most-likely links cut to break cycles (the weakest of each cycle). */
  cutLinks: ChainLink[];
  /** Mean offspring by generation over all chains. */
  rByGeneration: GenerationR[];
}

const quantiles = new Map<string, number>();

function serialIntervalQuantile(params: Parameters, p: number): number {
  const key = `${JSON.stringify(params.pathogen.serialInterval)}|${p}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = quantile(params.pathogen.serialInterval, p);
    quantiles.set(key, q);
  }
  return q;
}

function eventTimes(c: Case): Instant[] {
  return [c.onset, c.confirmedAt].filter((t): t is number => t !== null);
}

function settingOf(candidate: InfectorCandidate): string | null {
  const strongest = [...candidate.evidence].sort(
    (a, b) => b.attackRate - a.attackRate || b.minutes - a.minutes,
  )[0];
  if (!strongest) return null;
  if (strongest.setting === 'place') return `place:${strongest.placeKind ?? 'other'}`;
  if (strongest.setting === 'contact') return `contact:${strongest.contactSetting ?? 'other'}`;
  return strongest.setting;
}

function rByGenerationOf(members: readonly ChainCase[]): GenerationR[] {
  const byGeneration = new Map<number, { cases: number; offspring: number }>();
  for (const m of members) {
    const entry = byGeneration.get(m.generation) ?? { cases: 0, offspring: 0 };
    entry.cases += 1;
    entry.offspring += m.offspring;
    byGeneration.set(m.generation, entry);
  }
  return [...byGeneration]
    .sort((a, b) => a[0] - b[0])
    .map(([generation, { cases, offspring }]) => ({ generation, cases, meanOffspring: offspring / cases }));
}

/**
 * Each case's infectious window, worked out when first asked for (only the infectors in links
 * are), for a caller that gave no table of them.
 */
function infectorWindows(
  data: OutbreakData,
  caseById: ReadonlyMap<Id, Case>,
  params: Parameters,
  asOf: Instant,
): (id: Id) => InfectiousWindow {
  // Samples of cases only: windows are looked up for cases alone.
  const samplesOf = samplesOfCases(data.cases, data.samples ?? []);
  const isolated = isolationStaysOfCases(data, params.protocol);
  const windowCache = new Map<Id, InfectiousWindow>();
  return (id) => {
    let w = windowCache.get(id);
    if (!w) {
      w = infectiousWindow(caseById.get(id)!, samplesOf.get(id) ?? [], params, asOf, isolated.get(id) ?? []);
      windowCache.set(id, w);
    }
    return w;
  };
}

/**
 * Chains from the infector inferences of `data`'s cases. A case whose most likely infector is
 * environmental or unknown (or not among the cases) is a root; any cycle of most-likely links is
 * broken at its weakest link so that no case is its own ancestor. `windows`: the cases' windows
 * under `params` as of `asOf` (`caseWindows`), when worked out already; otherwise those of the
 * infectors in links are worked out here.
 */
export function buildChains(
  data: OutbreakData,
  inferences: readonly InfectorInference[],
  params: Parameters,
  asOf: Instant,
  options: Partial<ChainOptions> = {},
  windows?: CaseWindows,
): ChainAnalysis {
  const settings = { ...DEFAULTS, ...options };
  if (!data || !Array.isArray(data.cases)) throw new TypeError('chains: data must have a "cases" array');
  if (!Number.isFinite(asOf)) throw new TypeError(`chains: "asOf" is not an instant (got ${String(asOf)})`);
  if (!Array.isArray(inferences)) throw new TypeError('chains: inferences must be an array');
  const low = settings.serialIntervalLowQuantile;
  const high = settings.serialIntervalHighQuantile;
  if (!(low > 0 && low < high && high < 1)) {
    throw new RangeError(
      `chains: options "serialIntervalLowQuantile" (${low}) and "serialIntervalHighQuantile" (${high}) must satisfy 0 < low < high < 1`,
    );
  }
  const caseById = new Map(data.cases.map((c) => [c.personId, c]));
  const inferenceOf = new Map<Id, InfectorInference>();
  inferences.forEach((inf, i) => {
    if (!caseById.has(inf.personId))
      throw new RangeError(`chains: inferences[${i}]: field "personId" names no case (${inf.personId})`);
    if (inf.best.kind === 'case' && !caseById.has(inf.best.id)) {
      throw new RangeError(
        `chains: inferences[${i}] (${inf.personId}): field "best.id" names no case (${inf.best.id})`,
      );
    }
    inferenceOf.set(inf.personId, inf);
  });

  // Most-likely links.
  const parent = new Map<Id, Id | null>();
  for (const c of data.cases) {
    const best = inferenceOf.get(c.personId)?.best;
    parent.set(c.personId, best && best.kind === 'case' && best.id !== c.personId ? best.id : null);
  }
  const linkProbability = (id: Id): number => inferenceOf.get(id)?.best.probability ?? 0;

  // Break cycles: each case has at most one parent, so a cycle is found by walking up.
  const cutInfectees: Id[] = [];
  const state = new Map<Id, 1 | 2>();
  for (const c of data.cases) {
    const path: Id[] = [];
    let node: Id | null = c.personId;
    while (node !== null && !state.has(node)) {
      state.set(node, 1);
      path.push(node);
      node = parent.get(node) ?? null;
    }
    if (node !== null && state.get(node) === 1) {
      const cycle = path.slice(path.indexOf(node));
      const weakest = [...cycle].sort(
        (a, b) => linkProbability(a) - linkProbability(b) || a.localeCompare(b),
      )[0]!;
      cutInfectees.push(weakest);
      parent.set(weakest, null);
    }
    for (const p of path) state.set(p, 2);
  }

  const children = new Map<Id, Id[]>();
  for (const [child, p] of parent) {
    if (p === null) continue;
    const list = children.get(p);
    if (list) list.push(child);
    else children.set(p, [child]);
  }
  const expected = new Map<Id, number>();
  for (const inf of inferences) {
    for (const d of inf.distribution) {
      if (d.kind === 'case' && d.id !== inf.personId)
        expected.set(d.id, (expected.get(d.id) ?? 0) + d.probability);
    }
  }

  const lowSi = serialIntervalQuantile(params, low);
  const highSi = serialIntervalQuantile(params, high);
  const windowOf = windows ? (id: Id) => windows.get(id)! : infectorWindows(data, caseById, params, asOf);

  const linkOf = (infecteeId: Id, infectorId: Id): ChainLink => {
    const inf = inferenceOf.get(infecteeId)!;
    const candidate =
      inf.best.id === infectorId
        ? inf.best
        : inf.candidates.find((k) => k.id === infectorId && k.kind === 'case');
    const infector = caseById.get(infectorId)!;
    const infectee = caseById.get(infecteeId)!;
    const flags: LinkFlag[] = [];
    let serialIntervalDays: number | null = null;
    if (infector.onset !== null && infectee.onset !== null) {
      serialIntervalDays = (infectee.onset - infector.onset) / DAY;
      if (serialIntervalDays < 0) flags.push('onset-order-reversed');
      if (serialIntervalDays < lowSi || serialIntervalDays > highSi)
        flags.push('implausible-serial-interval');
    }
    const evidence = candidate?.evidence ?? [];
    if (evidence.length) {
      const window = windowOf(infectorId);
      if (evidence.every((e) => e.start >= window.to)) flags.push('after-infector-isolation');
      else if (!evidence.some((e) => e.start <= window.to && e.end >= window.from))
        flags.push('exposure-outside-infectious-window');
    }
    return {
      infectorId,
      infecteeId,
      probability: candidate?.probability ?? 0,
      setting: candidate ? settingOf(candidate) : null,
      serialIntervalDays,
      flags,
    };
  };

  const timeOf = (id: Id): Instant => {
    const c = caseById.get(id)!;
    return Math.min(...eventTimes(c), inferenceOf.get(id)?.infectionTime.mean ?? Infinity);
  };
  const byTime = (a: Id, b: Id): number => timeOf(a) - timeOf(b) || a.localeCompare(b);

  const chainCases = new Map<Id, ChainCase>();
  const chains: TransmissionChain[] = [];
  for (const root of data.cases.map((c) => c.personId).filter((id) => parent.get(id) === null)) {
    const id = `chain-${root}`;
    const members: ChainCase[] = [];
    const links: ChainLink[] = [];
    let frontier: Id[] = [root];
    for (let generation = 0; frontier.length; generation++) {
      const next: Id[] = [];
      for (const personId of [...frontier].sort(byTime)) {
        const kids = children.get(personId) ?? [];
        const member: ChainCase = {
          personId,
          chainId: id,
          parentId: parent.get(personId) ?? null,
          generation,
          offspring: kids.length,
          expectedOffspring: expected.get(personId) ?? 0,
        };
        members.push(member);
        chainCases.set(personId, member);
        if (member.parentId !== null) links.push(linkOf(personId, member.parentId));
        next.push(...kids);
      }
      frontier = next;
    }
    const times = members.flatMap((m) => eventTimes(caseById.get(m.personId)!));
    const confirmations = members
      .map((m) => caseById.get(m.personId)!)
      .map((c) => c.confirmedAt ?? c.onset)
      .filter((t): t is number => t !== null && t <= asOf);
    const lastConfirmedAt = confirmations.length ? Math.max(...confirmations) : null;
    const firstAt = times.length ? Math.min(...times) : timeOf(root);
    const lastAt = times.length ? Math.max(...times) : timeOf(root);
    const rootInference = inferenceOf.get(root);
    const outside = rootInference?.distribution.find((d) => d.kind !== 'case');
    const outsideCandidate = outside && rootInference?.candidates.find((c) => c.id === outside.id);
    chains.push({
      id,
      rootId: root,
      rootSource: outside
        ? { ...outside, setting: outsideCandidate ? settingOf(outsideCandidate) : null }
        : { id: 'unknown', kind: 'unknown', probability: rootInference ? 0 : 1, setting: null },
      caseIds: members.map((m) => m.personId),
      size: members.length,
      length: Math.max(...members.map((m) => m.generation)),
      firstAt,
      lastAt,
      durationDays: (lastAt - firstAt) / DAY,
      active: lastConfirmedAt !== null && asOf - lastConfirmedAt <= params.protocol.chainActiveDays * DAY,
      lastConfirmedAt,
      links,
      rByGeneration: rByGenerationOf(members),
    });
  }
  chains.sort((a, b) => a.firstAt - b.firstAt || a.id.localeCompare(b.id));

  const cutLinks = cutInfectees.map((infecteeId) => {
    const link = linkOf(infecteeId, inferenceOf.get(infecteeId)!.best.id);
    link.flags.push('cut-to-break-cycle');
    return link;
  });
  const all = data.cases.map((c) => chainCases.get(c.personId)!);
  return { chains, cases: all, cutLinks, rByGeneration: rByGenerationOf(all) };
}
