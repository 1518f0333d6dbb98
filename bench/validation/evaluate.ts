/**
 * Scores the engine on a simulated outbreak against the truth, beside the naive baselines:
 * top-1 infector accuracy, the share of later cases caught by a quarantine list of fixed capacity
 * drawn up at an early moment, and the rank of the true source.
 */
import { analyseData } from '../../src/analysis/analyse';
import type { InfectorInference } from '../../src/analysis/infector';
import type { Parameters } from '../../src/domain/parameters';
import { DAY } from '../../src/domain/time';
import type { Id } from '../../src/domain/types';
import { mostSharedHoursInfector, mostSharedHoursQuarantine, mostVisitedSources } from './baselines';
import { snapshot, type Simulation } from './simulate';

export interface EvaluationOptions {
  /** Beds on the quarantine list. */
  quarantineCapacity: number;
  /** The early moment: this many days after the first confirmation. */
  earlyDays: number;
  /** Whether to score the quarantine list (a second analysis at the early moment). */
  quarantine: boolean;
}

export const DEFAULTS: EvaluationOptions = { quarantineCapacity: 100, earlyDays: 3, quarantine: true };

export interface Evaluation {
  seed: string;
  source: string;
  infections: number;
  cases: number;
  /** Cases scored for the infector (all cases at the end). */
  scoredCases: number;
  infectorAccuracy: number;
  baselineInfectorAccuracy: number;
  /** Cases confirmed after the early moment, and the share of them on each list. */
  laterCases: number;
  quarantineCatch: number;
  baselineQuarantineCatch: number;
  /** 1 = the true source ranked first; the list length + 1 when absent. */
  sourceRank: number;
  baselineSourceRank: number;
  chains: number;
  inferences: InfectorInference[];
}

/** The true infector of each infected person as the engine can name it: a case, a lot or boat, or `unknown`. */
export function trueInfectors(sim: Simulation, caseIds: ReadonlySet<Id>): Map<Id, Id> {
  const truth = new Map<Id, Id>();
  for (const i of sim.truth.infections) {
    if (i.infectorKind === 'person')
      truth.set(i.personId, caseIds.has(i.infectorId) ? i.infectorId : 'unknown');
    else if (i.infectorKind === 'outside') truth.set(i.personId, 'unknown');
    else truth.set(i.personId, i.infectorId);
  }
  return truth;
}

export function evaluate(
  sim: Simulation,
  params: Parameters,
  options: Partial<EvaluationOptions> = {},
): Evaluation {
  const o = { ...DEFAULTS, ...options };
  const final = snapshot(sim, sim.end);
  const analysis = analyseData(final, params, { asOf: final.asOf, seed: sim.options.seed });
  const { inferences, chains, sources, exposures } = analysis;

  const caseIds = new Set(final.cases.map((c) => c.personId));
  const truth = trueInfectors(sim, caseIds);
  const baseline = mostSharedHoursInfector(final, exposures);
  let engineRight = 0;
  let baselineRight = 0;
  for (const inf of inferences) {
    const actual = truth.get(inf.personId) ?? 'unknown';
    if (inf.best.id === actual) engineRight++;
    if (baseline.get(inf.personId) === actual) baselineRight++;
  }

  // The quarantine list drawn up at the early moment: the first `quarantineCapacity` by priority.
  let laterCases = 0;
  let quarantineCatch = NaN;
  let baselineQuarantineCatch = NaN;
  if (o.quarantine && sim.detectedAt !== null) {
    const earlyAsOf = sim.detectedAt + o.earlyDays * DAY;
    const early = snapshot(sim, earlyAsOf);
    const earlyAnalysis = analyseData(early, params, {
      asOf: earlyAsOf,
      capacity: o.quarantineCapacity,
      seed: sim.options.seed,
    });
    const known = new Set(early.cases.map((c) => c.personId));
    const later = final.cases.filter((c) => !known.has(c.personId)).map((c) => c.personId);
    laterCases = later.length;
    const listed = new Set(
      [...earlyAnalysis.quarantine.entries]
        .sort((a, b) => a.priority - b.priority)
        .slice(0, o.quarantineCapacity)
        .map((e) => e.personId),
    );
    const baselineList = new Set(
      mostSharedHoursQuarantine(early, earlyAnalysis.exposures, o.quarantineCapacity),
    );
    if (later.length) {
      quarantineCatch = later.filter((id) => listed.has(id)).length / later.length;
      baselineQuarantineCatch = later.filter((id) => baselineList.has(id)).length / later.length;
    }
  }

  const rankOf = (ids: readonly Id[]): number => {
    const i = ids.indexOf(sim.truth.sourceId);
    return i < 0 ? ids.length + 1 : i + 1;
  };
  return {
    seed: sim.options.seed,
    source: sim.truth.sourceKind,
    infections: sim.truth.infections.length,
    cases: final.cases.length,
    scoredCases: inferences.length,
    infectorAccuracy: inferences.length ? engineRight / inferences.length : NaN,
    baselineInfectorAccuracy: inferences.length ? baselineRight / inferences.length : NaN,
    laterCases,
    quarantineCatch,
    baselineQuarantineCatch,
    sourceRank: rankOf(sources.overall.map((s) => s.id)),
    baselineSourceRank: rankOf(mostVisitedSources(final)),
    chains: chains.chains.length,
    inferences,
  };
}
