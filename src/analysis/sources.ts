/**
 * Likely sources (溯源): boats, cold-chain lots, places and persons ranked as the origin of each
 * transmission chain and of the outbreak, by backward tracing from the earliest cases of each
 * chain (Endo et al., Wellcome Open Res 2021; Bradshaw et al., Nat Commun 2021: look back
 * `backwardDays` before onset, and a host shared by several early cases is the likelier origin),
 * together with the environmental infectors the inference found for them and positive
 * environmental samples.
 */
import { PROTOCOL_PRESETS } from '../domain/parameters';
import { DAY } from '../domain/time';
import type { Case, Id, Instant } from '../domain/types';
import type { ChainAnalysis } from './chains';
import { staysOfSubjects } from './exposures';
import type { InfectorInference } from './infector';
import type { Exposure, OutbreakData } from './model';

export type SourceKind = 'person' | 'item' | 'boat' | 'place';

export interface SourceOptions {
  /** Backward tracing looks this many days before each early case's onset (Endo et al. 2021). */
  backwardDays: number;
  /** The earliest cases of a chain (by inferred infection time) traced back, the root included. */
  earlyCases: number;
  /** Score of a source with a positive environmental sample taken while the chain's early cases could meet it. */
  positiveSampleBonus: number;
  /** Place kinds whose sharing says little about an origin (homes: a household shares them anyway). */
  discountedPlaceKinds: string[];
  /** Weight of a shared host of a discounted kind, and of a person met who lives with the case. */
  discount: number;
  /** Weight of a chain's root as its own origin, times the chance it was infected outside the records. */
  indexCaseWeight: number;
}

export const DEFAULTS: SourceOptions = {
  backwardDays: PROTOCOL_PRESETS['cn-9th-2022']!.backwardTracingDays,
  earlyCases: 4,
  positiveSampleBonus: 0.5,
  discountedPlaceKinds: ['home'],
  discount: 0.25,
  indexCaseWeight: 0.5,
};

export interface RankedSource {
  id: Id;
  kind: SourceKind;
  /** Overall: the cases it explains (Σ over chains of chain size × its share of the chain's scores);
   *  per chain: its raw score. */
  score: number;
  chainIds: string[];
  reasons: string[];
}

/** The order of a ranked list: the higher score first, then by id. */
export const byRank = (
  a: Pick<RankedSource, 'score' | 'id'>,
  b: Pick<RankedSource, 'score' | 'id'>,
): number => b.score - a.score || a.id.localeCompare(b.id);

export interface SourceRanking {
  /** Best first. */
  overall: RankedSource[];
  /** Per chain id, best first. A Map: a chain id asked for through the API is any text. */
  byChain: Map<string, RankedSource[]>;
}

interface Tally {
  kind: SourceKind;
  score: number;
  reasons: string[];
}

function anchorOf(c: Case, firstPositive: Instant | undefined): Instant | null {
  const times = [c.onset, firstPositive ?? null, c.confirmedAt].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * The span backward tracing looks at for case `c`: from `backwardDays` before its onset (or first
 * positive sample, or confirmation, whichever is earliest), or from the lower end of its likely
 * infection time when that is earlier (found late by screening), to that anchor; null without
 * any. The load (src/analysis/load.ts) fetches the cases' stays over it.
 */
export function backwardTracingSpan(
  c: Case,
  firstPositive: Instant | undefined,
  infectionLower: Instant | undefined,
  backwardDays: number = DEFAULTS.backwardDays,
): { from: Instant; to: Instant } | null {
  const anchor = anchorOf(c, firstPositive);
  if (anchor === null) return null;
  return { from: Math.min(anchor - backwardDays * DAY, infectionLower ?? Infinity), to: anchor };
}

/** `p = 0.42`; a chance that two decimals would show as 0.00 reads `p < 0.01`, not nought. */
function probabilityText(p: number): string {
  return p > 0 && p < 0.005 ? 'p < 0.01' : `p = ${p.toFixed(2)}`;
}

/**
 * Ranks the likely origin of each chain of `chains` and of the whole outbreak. `exposures` (from
 * computeExposures) supply the environmental exposures; `data` the stays, handlings, contacts and
 * homes looked at by backward tracing.
 */
export function rankSources(
  data: OutbreakData,
  exposures: readonly Exposure[],
  inferences: readonly InfectorInference[],
  chains: ChainAnalysis,
  options: Partial<SourceOptions> = {},
): SourceRanking {
  const settings: SourceOptions = { ...DEFAULTS, ...options };
  if (!data || !Array.isArray(data.cases) || !Array.isArray(data.stays)) {
    throw new TypeError('sources: data must have "cases" and "stays" arrays');
  }
  if (!Array.isArray(exposures) || !Array.isArray(inferences) || !chains || !Array.isArray(chains.chains)) {
    throw new TypeError('sources: exposures, inferences and chains are required');
  }
  if (
    !(settings.backwardDays >= 0) ||
    !(settings.earlyCases >= 1) ||
    !Number.isInteger(settings.earlyCases)
  ) {
    throw new RangeError(
      `sources: option "backwardDays" must be >= 0 and "earlyCases" a whole number >= 1 (got ${settings.backwardDays}, ${settings.earlyCases})`,
    );
  }
  const caseById = new Map<Id, Case>(data.cases.map((c) => [c.personId, c]));
  const inferenceOf = new Map<Id, InfectorInference>(inferences.map((inf) => [inf.personId, inf]));
  const kindOf = (id: Id): SourceKind | null =>
    data.items.has(id)
      ? 'item'
      : data.boats.has(id)
        ? 'boat'
        : data.places.has(id)
          ? 'place'
          : data.persons.has(id) || caseById.has(id)
            ? 'person'
            : null;

  const firstPositive = new Map<Id, Instant>();
  const environmentalPositives = new Map<Id, Instant[]>();
  for (const s of data.samples) {
    if (s.result !== 'positive' || s.sampledAt > data.asOf) continue;
    if (caseById.has(s.subjectId) || data.persons.has(s.subjectId)) {
      firstPositive.set(s.subjectId, Math.min(firstPositive.get(s.subjectId) ?? Infinity, s.sampledAt));
    } else {
      const list = environmentalPositives.get(s.subjectId) ?? [];
      list.push(s.sampledAt);
      environmentalPositives.set(s.subjectId, list);
    }
  }
  const infectionTime = (id: Id): number => inferenceOf.get(id)?.infectionTime.mean ?? Infinity;
  // Per chain, in the order of `chains.chains`.
  const earlyOfChains = chains.chains.map((chain) =>
    [
      chain.rootId,
      ...chain.caseIds
        .filter((id) => id !== chain.rootId)
        .sort((a, b) => infectionTime(a) - infectionTime(b) || a.localeCompare(b)),
    ].slice(0, settings.earlyCases),
  );
  // Backward tracing looks only at the early cases: only their stays, handlings, contacts and
  // exposures are gathered (a district has a million stays and exposures).
  const traced = new Set<Id>();
  for (const early of earlyOfChains) for (const id of early) traced.add(id);
  const staysBySubject = staysOfSubjects(data.stays, traced);
  const handlingsBy = new Map<Id, { itemId: Id; at: Instant }[]>();
  for (const h of data.handlings) {
    if (!traced.has(h.personId)) continue;
    const list = handlingsBy.get(h.personId) ?? [];
    list.push(h);
    handlingsBy.set(h.personId, list);
  }
  const contactsOf = new Map<Id, { other: Id; start: Instant; end: Instant }[]>();
  for (const k of data.contacts) {
    for (const [self, other] of [
      [k.personA, k.personB],
      [k.personB, k.personA],
    ] as const) {
      if (!traced.has(self)) continue;
      const list = contactsOf.get(self) ?? [];
      list.push({ other, start: k.start, end: k.end });
      contactsOf.set(self, list);
    }
  }
  const environmentalExposures = new Map<Id, Exposure[]>();
  for (const e of exposures) {
    if (e.sourceKind === 'case' || !traced.has(e.personId)) continue;
    const list = environmentalExposures.get(e.personId) ?? [];
    list.push(e);
    environmentalExposures.set(e.personId, list);
  }

  const byChain = new Map<string, RankedSource[]>();
  const overall = new Map<Id, Tally & { chainIds: string[] }>();
  for (const [chainIndex, chain] of chains.chains.entries()) {
    const tallies = new Map<Id, Tally>();
    const add = (id: Id, kind: SourceKind, score: number, reason: string): void => {
      if (!(score > 0)) return;
      const t = tallies.get(id) ?? { kind, score: 0, reasons: [] };
      t.score += score;
      t.reasons.push(reason);
      tallies.set(id, t);
    };
    const members = new Set(chain.caseIds);
    const early = earlyOfChains[chainIndex]!;

    // 1. Environmental infectors the inference found for the early cases.
    for (const id of early) {
      for (const d of inferenceOf.get(id)?.distribution ?? []) {
        if (d.kind === 'case' || d.kind === 'unknown') continue;
        add(
          d.id,
          d.kind,
          d.probability,
          `${d.probability >= 0.5 ? 'likely infected' : 'may have infected'} early case ${id} (${probabilityText(d.probability)})`,
        );
      }
    }
    // The root itself, as the index case, when it was most likely infected outside.
    const rootUnknown =
      inferenceOf.get(chain.rootId)?.distribution.find((d) => d.kind === 'unknown')?.probability ?? 1;
    add(
      chain.rootId,
      'person',
      rootUnknown * settings.indexCaseWeight,
      `index case of ${chain.id}, infected outside the records (${probabilityText(rootUnknown)})`,
    );

    // 2. Backward tracing: where each early case was, and whom it met, in the days before its onset.
    const visited = new Map<Id, Set<Id>>();
    const shares = new Map<Id, number>();
    // Per person met, the early cases they live with: a housemate is shared as the home is.
    const housemates = new Map<Id, Set<Id>>();
    let from = Infinity;
    let to = -Infinity;
    for (const id of early) {
      const c = caseById.get(id);
      if (!c) continue;
      // Back `backwardDays` from onset, or further when the infection may be older (found late by screening).
      const span = backwardTracingSpan(
        c,
        firstPositive.get(id),
        inferenceOf.get(id)?.infectionTime.lower,
        settings.backwardDays,
      );
      if (span === null) continue;
      const { from: start, to: anchor } = span;
      from = Math.min(from, start);
      to = Math.max(to, anchor);
      const hosts = new Set<Id>();
      for (const s of staysBySubject.get(id) ?? [])
        if (s.start <= anchor && s.end >= start) hosts.add(s.hostId);
      for (const h of handlingsBy.get(id) ?? []) if (h.at <= anchor && h.at >= start) hosts.add(h.itemId);
      for (const e of environmentalExposures.get(id) ?? [])
        if (e.start <= anchor && e.end >= start) hosts.add(e.sourceId);
      const home = data.persons.get(id)?.homeId;
      for (const k of contactsOf.get(id) ?? []) {
        // Other cases of the chain are explained by the chain itself.
        if (k.start <= anchor && k.end >= start && !members.has(k.other)) {
          hosts.add(k.other);
          if (home && data.persons.get(k.other)?.homeId === home) {
            const set = housemates.get(k.other) ?? new Set<Id>();
            set.add(id);
            housemates.set(k.other, set);
          }
        }
      }
      if (home) hosts.add(home);
      for (const h of hosts) {
        const set = visited.get(h) ?? new Set<Id>();
        set.add(id);
        visited.set(h, set);
        // Homes, and persons the case lives with, say little about an origin: the household
        // shares them anyway, and every case of a household reports contacts with the others.
        const placeKind = data.places.get(h)?.kind;
        const discounted =
          (placeKind !== undefined && settings.discountedPlaceKinds.includes(placeKind)) ||
          (housemates.get(h)?.has(id) ?? false);
        shares.set(h, (shares.get(h) ?? 0) + (discounted ? settings.discount : 1) / hosts.size);
      }
    }
    for (const [host, cases] of visited) {
      const kind = kindOf(host);
      if (!kind) continue;
      const score = (shares.get(host) ?? 0) * (cases.size / early.length);
      const names = [...cases].sort().join(', ');
      const span = `in the ${settings.backwardDays} days before onset or since their likely infection`;
      const living = [...(housemates.get(host) ?? [])].sort().join(', ');
      add(
        host,
        kind,
        score,
        kind === 'person'
          ? `in contact with ${cases.size} of ${early.length} early cases (${names}) ${span}` +
              (living ? `; lives with ${living}, so weighed as their home` : '')
          : `${cases.size} of ${early.length} early cases (${names}) there ${span}`,
      );
    }

    // 3. Positive environmental samples while the early cases could have met the source.
    for (const [id, times] of environmentalPositives) {
      const kind = kindOf(id);
      if (!kind || kind === 'person' || !visited.has(id)) continue;
      const near = times.filter(
        (t) => t >= from - settings.backwardDays * DAY && t <= to + settings.backwardDays * DAY,
      );
      if (near.length)
        add(id, kind, settings.positiveSampleBonus, `positive environmental sample (${near.length})`);
    }

    const ranked = [...tallies]
      .map(([id, t]) => ({ id, kind: t.kind, score: t.score, chainIds: [chain.id], reasons: t.reasons }))
      .sort(byRank);
    byChain.set(chain.id, ranked);
    const total = ranked.reduce((sum, r) => sum + r.score, 0);
    for (const r of ranked) {
      const o = overall.get(r.id) ?? { kind: r.kind, score: 0, reasons: [], chainIds: [] };
      o.score += (chain.size * r.score) / total;
      o.chainIds.push(chain.id);
      o.reasons.push(...r.reasons.map((reason) => `${chain.id}: ${reason}`));
      overall.set(r.id, o);
    }
  }
  return {
    overall: [...overall]
      .map(([id, o]) => ({ id, kind: o.kind, score: o.score, chainIds: o.chainIds, reasons: o.reasons }))
      .sort(byRank),
    byChain,
  };
}
