/**
 * Who infected whom: for every case, a probability over its candidate infectors (other cases it
 * was exposed to, contaminated lots, boats and places, and an infection from outside), following
 * Wallinga & Teunis (Am J Epidemiol 2004) with the contact data of outbreaker2 (Campbell et al.,
 * PLoS Comput Biol 2019): the weight of a case j for case i integrates, over both unobserved
 * infection times, the generation-interval density of the gap, j's relative infectiousness then
 * (asymptomatic, pre-symptomatic) and the rate of transmission through their recorded exposures
 * at that moment (the setting's attack rate raised per hour of exposure, Ferretti et al., Nature
 * 2023), which is zero outside the exposures and after j's isolation.
 */
import { density } from '../domain/distributions';
import type { Parameters, Pathogen } from '../domain/parameters';
import { DAY } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';
import { inferInfectionTime, type InfectionTimeOptions, type InfectionTimePosterior } from './infection-time';
import { infectiousWindow } from './infectious-window';
import type { Exposure, OutbreakData } from './model';

export type AttackSetting = keyof Pathogen['attackRates'];
export type InfectorKind = 'case' | 'item' | 'boat' | 'place' | 'unknown';

/** The id of the "unknown / outside" candidate. */
export const UNKNOWN_SOURCE = 'unknown';

export interface InfectorOptions {
  /** Candidates at or above this probability are listed with their evidence. */
  threshold: number;
  /**
   * Prior rate of infection from outside the recorded exposures, in the units of a candidate's
   * weight (per day of generation-interval density times per day of transmission rate). About
   * the weight of a 30-minute casual encounter with a case at peak infectiousness (assumption,
   * checked against the simulated outbreaks of bench/validation).
   */
  unknownWeight: number;
  /** The attack-rate setting of a shared place, by place kind (others: `casual`). */
  placeKindSettings: Record<string, AttackSetting>;
  infectionTime: Partial<InfectionTimeOptions>;
}

export const DEFAULTS: InfectorOptions = {
  threshold: 0.05,
  unknownWeight: 0.002,
  placeKindSettings: {
    home: 'household',
    workplace: 'work',
    cold_storage: 'work',
    fishing_port: 'work',
    school: 'work',
    restaurant: 'social',
    hospital: 'care',
    quarantine_site: 'care',
    station: 'transport',
  },
  infectionTime: {},
};

/** One exposure behind a candidate: how, where, when and for how long. */
export interface InfectorEvidence {
  setting: Exposure['setting'];
  /** Where (place or boat id); null for a reported contact or a handled lot. */
  hostId: Id | null;
  placeKind: string | null;
  contactSetting: string | null;
  start: Instant;
  end: Instant;
  minutes: number;
  /** The attack rate the exposure was weighed with. */
  attackRate: number;
  /** Days from the start of the exposure to the case's onset (or first positive / confirmation). */
  daysBeforeOnset: number;
}

export interface InfectorCandidate {
  id: Id;
  kind: InfectorKind;
  probability: number;
  /** Expected days between the candidate's and the case's infections, given this link (cases only). */
  gapDays: number | null;
  evidence: InfectorEvidence[];
}

export interface InfectorInference {
  personId: Id;
  /** The most likely infector. */
  best: InfectorCandidate;
  /** Candidates at or above the threshold, most likely first. */
  candidates: InfectorCandidate[];
  /** Every candidate, most likely first; probabilities sum to 1. */
  distribution: { id: Id; kind: InfectorKind; probability: number }[];
  infectionTime: { mean: Instant; lower: Instant; upper: Instant; basis: string };
}

/** The attack rate an exposure is weighed with. */
export function attackRateOf(exposure: Exposure, pathogen: Pathogen, options: Partial<InfectorOptions> = {}): number {
  const rates = pathogen.attackRates;
  // A contaminated lot, boat or place infects through surfaces: the cold-chain rate (assumption).
  if (exposure.sourceKind !== 'case') return rates.cold_chain;
  switch (exposure.setting) {
    case 'household':
      return rates.household;
    case 'boat':
      return rates.boat;
    case 'cold_chain':
      return rates.cold_chain;
    case 'contact': {
      const s = exposure.contactSetting;
      return s && s in rates && s !== 'other' ? rates[s as AttackSetting] : rates.casual;
    }
    case 'place': {
      const kinds = options.placeKindSettings ?? DEFAULTS.placeKindSettings;
      const setting = (exposure.placeKind && kinds[exposure.placeKind]) || 'casual';
      return rates[setting];
    }
    default:
      return rates.casual;
  }
}

/** Probability that the exposure transmits, over its whole span: attack rate raised per hour. */
function exposureStrength(exposure: Exposure, attackRate: number, pathogen: Pathogen): number {
  return attackRate * (1 + pathogen.riskPerHour * (exposure.minutes / 60));
}

/**
 * Transmission rate per day in each cell of a grid: each exposure's strength spread evenly over
 * its span (all of it in one cell for an instant), only before `until`.
 */
function exposureRates(
  exposures: readonly { exposure: Exposure; strength: number }[],
  grid: InfectionTimePosterior,
  until: Instant,
): Float64Array {
  const rates = new Float64Array(grid.times.length);
  const half = grid.stepMs / 2;
  const stepDays = grid.stepMs / DAY;
  for (const { exposure, strength } of exposures) {
    if (exposure.start >= until || strength <= 0) continue;
    const duration = exposure.end - exposure.start;
    for (let a = 0; a < grid.times.length; a++) {
      const cellStart = grid.times[a]! - half;
      const cellEnd = grid.times[a]! + half;
      let share: number;
      if (duration <= 0) {
        share = exposure.start >= cellStart && exposure.start < cellEnd ? 1 : 0;
      } else {
        const overlap = Math.min(cellEnd, exposure.end, until) - Math.max(cellStart, exposure.start);
        share = overlap > 0 ? overlap / duration : 0;
      }
      if (share > 0) rates[a]! += (strength * share) / stepDays;
    }
  }
  return rates;
}

function relativeInfectiousness(source: Case, at: Instant, pathogen: Pathogen): number {
  if (source.classification === 'asymptomatic' || source.onset === null) return pathogen.asymptomaticInfectiousness;
  return at < source.onset ? pathogen.presymptomaticInfectiousness : 1;
}

function validate(data: OutbreakData, exposures: readonly Exposure[], options: InfectorOptions): void {
  if (!data || !Array.isArray(data.cases) || !Array.isArray(data.samples)) {
    throw new TypeError('infectors: data must have "cases" and "samples" arrays');
  }
  if (!Number.isFinite(data.asOf)) throw new TypeError(`infectors: field "asOf" is not an instant (got ${String(data.asOf)})`);
  if (!Array.isArray(exposures)) throw new TypeError('infectors: exposures must be an array');
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    throw new RangeError(`infectors: option "threshold" must be between 0 and 1 (got ${options.threshold})`);
  }
  if (!(options.unknownWeight >= 0) || !Number.isFinite(options.unknownWeight)) {
    throw new RangeError(`infectors: option "unknownWeight" must be a finite number >= 0 (got ${options.unknownWeight})`);
  }
  const seen = new Set<Id>();
  data.cases.forEach((c, i) => {
    if (seen.has(c.personId)) throw new RangeError(`infectors: cases[${i}]: field "personId" repeats case ${c.personId}`);
    seen.add(c.personId);
  });
  exposures.forEach((e, i) => {
    const where = `infectors: exposures[${i}] (${e.sourceId} to ${e.personId})`;
    if (!Number.isFinite(e.start) || !Number.isFinite(e.end)) throw new TypeError(`${where}: fields "start"/"end" are not instants`);
    if (e.end < e.start) throw new RangeError(`${where}: field "end" is before "start"`);
    if (!(e.minutes >= 0) || !Number.isFinite(e.minutes)) throw new RangeError(`${where}: field "minutes" must be >= 0 (got ${e.minutes})`);
    if (!['case', 'item', 'boat', 'place'].includes(e.sourceKind)) {
      throw new RangeError(`${where}: field "sourceKind" is not case, item, boat or place (got ${String(e.sourceKind)})`);
    }
    if (e.sourceId === e.personId) throw new RangeError(`${where}: field "sourceId" is the exposed person`);
    if (e.sourceKind === 'case' && seen.has(e.personId) && !seen.has(e.sourceId)) {
      throw new RangeError(`${where}: field "sourceId" names no case`);
    }
  });
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Σ_b p_j(b) g(t_a − t_b) for every cell a of the infectee's grid (density per day). */
function generationDensities(infectee: InfectionTimePosterior, source: InfectionTimePosterior, pathogen: Pathogen) {
  const cache = new Map<number, number>();
  const g = (ms: number): number => {
    let v = cache.get(ms);
    if (v === undefined) {
      v = density(pathogen.generationInterval, ms / DAY);
      cache.set(ms, v);
    }
    return v;
  };
  const out = new Float64Array(infectee.times.length);
  const meanGap = new Float64Array(infectee.times.length);
  for (let a = 0; a < infectee.times.length; a++) {
    let sum = 0;
    let gapSum = 0;
    for (let b = 0; b < source.times.length; b++) {
      const p = source.probabilities[b]!;
      if (p === 0) continue;
      const gap = Math.round(infectee.times[a]! - source.times[b]!);
      const w = p * g(gap);
      sum += w;
      gapSum += w * gap;
    }
    out[a] = sum;
    meanGap[a] = sum > 0 ? gapSum / sum : 0;
  }
  return { densities: out, meanGap };
}

/** Per-person lists of samples, for the infection times and the windows. */
function samplesBySubject(samples: readonly Sample[]): Map<Id, Sample[]> {
  return groupBy(samples, (s) => s.subjectId);
}

/** Distance-decayed persistence of a contaminated source: 1 at a positive sample, 0 after the persistence. */
function persistenceAt(positives: readonly Instant[] | undefined, at: Instant, persistenceDays: number): number {
  if (!positives || positives.length === 0) return 1;
  if (persistenceDays <= 0) return 0;
  let best = 0;
  for (const s of positives) best = Math.max(best, 1 - Math.abs(at - s) / (persistenceDays * DAY));
  return best;
}

/**
 * The infectors of every case in `data` (in the order of `data.cases`), from the exposures of
 * `computeExposures` (exposures of persons who are not cases are ignored).
 */
export function inferInfectors(
  data: OutbreakData,
  exposures: readonly Exposure[],
  params: Parameters,
  options: Partial<InfectorOptions> = {},
): InfectorInference[] {
  const settings: InfectorOptions = { ...DEFAULTS, ...options };
  validate(data, exposures, settings);
  const { pathogen } = params;
  const asOf = data.asOf;
  const bySubject = samplesBySubject(data.samples);
  const caseById = new Map(data.cases.map((c) => [c.personId, c]));

  const posteriors = new Map<Id, InfectionTimePosterior>();
  const isolation = new Map<Id, Instant>();
  for (const c of data.cases) {
    const own = bySubject.get(c.personId) ?? [];
    posteriors.set(c.personId, inferInfectionTime(c, own, params, asOf, settings.infectionTime));
    isolation.set(c.personId, infectiousWindow(c, own, params, asOf).to);
  }
  const positivesOf = (id: Id): Instant[] =>
    (bySubject.get(id) ?? []).filter((s) => s.result === 'positive' && s.sampledAt <= asOf).map((s) => s.sampledAt);

  const exposuresOf = groupBy(
    exposures.filter((e) => caseById.has(e.personId)),
    (e) => e.personId,
  );

  return data.cases.map((c) => {
    const grid = posteriors.get(c.personId)!;
    const candidates: (InfectorCandidate & { weight: number })[] = [];
    const own = exposuresOf.get(c.personId) ?? [];
    const evidenceOf = (e: Exposure, attackRate: number): InfectorEvidence => ({
      setting: e.setting,
      hostId: e.hostId,
      placeKind: e.placeKind,
      contactSetting: e.contactSetting,
      start: e.start,
      end: e.end,
      minutes: e.minutes,
      attackRate,
      daysBeforeOnset: (grid.latest - e.start) / DAY,
    });

    for (const list of groupBy(own, (e) => `${e.sourceKind}\u0000${e.sourceId}`).values()) {
      const first = list[0]!;
      const id = first.sourceId;
      const weighed = list.map((exposure) => {
        const attackRate = attackRateOf(exposure, pathogen, settings);
        return { exposure, attackRate, strength: exposureStrength(exposure, attackRate, pathogen) };
      });
      const evidence = weighed.map((w) => evidenceOf(w.exposure, w.attackRate));
      let weight = 0;
      let gapDays: number | null = null;
      if (first.sourceKind === 'case') {
        const source = caseById.get(id)!;
        const rates = exposureRates(weighed, grid, isolation.get(id) ?? asOf);
        const { densities, meanGap } = generationDensities(grid, posteriors.get(id)!, pathogen);
        let gapSum = 0;
        for (let a = 0; a < grid.times.length; a++) {
          if (rates[a] === 0 || densities[a] === 0) continue;
          const w =
            grid.probabilities[a]! * densities[a]! * rates[a]! * relativeInfectiousness(source, grid.times[a]!, pathogen);
          weight += w;
          gapSum += w * meanGap[a]!;
        }
        gapDays = weight > 0 ? gapSum / weight / DAY : null;
      } else {
        // A contaminated source sheds evenly over its persistence: density 1/persistence per day.
        const persistenceDays = pathogen.environmentalPersistenceDays;
        const positives = positivesOf(id);
        const rates = exposureRates(weighed, grid, Infinity);
        for (let a = 0; a < grid.times.length; a++) {
          if (rates[a] === 0) continue;
          const shedding = persistenceDays > 0 ? persistenceAt(positives, grid.times[a]!, persistenceDays) / persistenceDays : 0;
          weight += grid.probabilities[a]! * shedding * rates[a]!;
        }
      }
      candidates.push({ id, kind: first.sourceKind, probability: 0, gapDays, evidence, weight });
    }
    candidates.push({ id: UNKNOWN_SOURCE, kind: 'unknown', probability: 0, gapDays: null, evidence: [], weight: settings.unknownWeight });

    let total = candidates.reduce((sum, k) => sum + k.weight, 0);
    if (!(total > 0)) {
      // Nothing recorded could have infected this case and no outside prior: from outside.
      candidates[candidates.length - 1]!.weight = 1;
      total = 1;
    }
    for (const k of candidates) k.probability = k.weight / total;
    candidates.sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
    // The largest absorbs the rounding, so the probabilities sum to 1.
    candidates[0]!.probability = 1 - candidates.slice(1).reduce((sum, k) => sum + k.probability, 0);

    const clean = candidates.map(({ weight: _weight, ...k }) => k);
    return {
      personId: c.personId,
      best: clean[0]!,
      candidates: clean.filter((k) => k.probability >= settings.threshold && k.probability > 0),
      distribution: clean.map((k) => ({ id: k.id, kind: k.kind, probability: k.probability })),
      infectionTime: { mean: grid.mean, lower: grid.lower, upper: grid.upper, basis: grid.basis },
    };
  });
}
