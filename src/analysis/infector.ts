/**
 * Who infected whom: for every case, a probability over its candidate infectors (other cases it
 * was exposed to, contaminated lots, boats and places, and an infection from outside), following
 * Wallinga & Teunis (Am J Epidemiol 2004) with the contact data of outbreaker2 (Campbell et al.,
 * PLoS Comput Biol 2019). The weight of a case j for case i integrates, over both unobserved
 * infection times (src/analysis/infection-time.ts), the rate at which j could transmit to i at
 * that moment: the hours they were exposed together then, times the setting's transmission rate
 * per hour (its attack rate spread over the hours typical of it), times j's infectiousness
 * relative to the moment transmission typically happens (the generation-interval density of the
 * gap over its mean value; asymptomatic and pre-symptomatic cases less). It is zero outside the
 * exposures and after j's isolation. A contaminated source weighs the same way with its
 * contamination (fading over `environmentalPersistenceDays` from its positive samples) in place of
 * infectiousness: a handled lot one cold-chain attack rate per handling, a stay at a contaminated
 * place or boat `environmentalRatePerHour`. An infection from outside weighs a constant background
 * rate.
 */
import { density, quantile } from '../domain/distributions';
import { groupBy } from '../domain/group-by';
import { ownEntry } from '../domain/own-entries';
import type { Parameters, Pathogen } from '../domain/parameters';
import { DAY } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';
import { inferInfectionTime, type InfectionTimeOptions, type InfectionTimePosterior } from './infection-time';
import { caseWindows, infectiousWindow, type CaseWindows } from './infectious-window';
import type { CasesAndSamples, Exposure, OutbreakData } from './model';

export type AttackSetting = keyof Pathogen['attackRates'];
export type InfectorKind = 'case' | 'item' | 'boat' | 'place' | 'unknown';

/** The id of the "unknown / outside" candidate. */
export const UNKNOWN_SOURCE = 'unknown';

export interface InfectorOptions {
  /** Candidates at or above this probability are listed with their evidence. */
  threshold: number;
  /**
   * Daily rate of infection from outside the recorded exposures, in the units of a candidate's
   * weight (expected transmissions per day): a 0.03% chance a day, as much as a minute and a half
   * a day of casual encounter with a typical case (assumption; 0.0001-0.0003 gave the best top-1
   * accuracy on the simulated outbreaks of bench/validation, 0.001 and more a worse one).
   */
  unknownWeight: number;
  /** The attack-rate setting of a shared place, by place kind (others: `casual`). */
  placeKindSettings: Record<string, AttackSetting>;
  infectionTime: Partial<InfectionTimeOptions>;
}

export const DEFAULTS: InfectorOptions = {
  threshold: 0.05,
  unknownWeight: 0.0003,
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
  /** The attack-rate setting the exposure was weighed as. */
  attackSetting: AttackSetting;
  attackRate: number;
  /** Transmission rate per hour of this exposure at typical infectiousness (or full contamination). */
  ratePerHour: number;
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

/**
 * Parameters for computing the exposures that inference weighs: the protocol's own infectious
 * window (2 days before onset or first positive, or from the last negative sample). Opening it
 * earlier, as far as infection can precede onset, was tried on the simulated outbreaks of
 * bench/validation and on the Tianjin 2020 cluster: it lowered the top-1 accuracy and reversed
 * links (a later case named as the infector of an earlier one, through the long tail of the
 * incubation), so the window stays the protocol's. Use `computeExposures(data,
 * inferenceParameters(params))`.
 */
export function inferenceParameters(params: Parameters): Parameters {
  return params;
}

/** The attack-rate setting an exposure is weighed as. */
export function attackSettingOf(exposure: Exposure, options: Partial<InfectorOptions> = {}): AttackSetting {
  // A contaminated lot, boat or place infects through surfaces: the cold-chain setting (assumption).
  if (exposure.sourceKind !== 'case') return 'cold_chain';
  switch (exposure.setting) {
    case 'household':
      return 'household';
    case 'boat':
      return 'boat';
    case 'cold_chain':
      return 'cold_chain';
    case 'contact': {
      const s = exposure.contactSetting;
      return s === 'household' || s === 'work' || s === 'social' || s === 'care' || s === 'transport'
        ? s
        : 'casual';
    }
    case 'place': {
      const kinds = options.placeKindSettings ?? DEFAULTS.placeKindSettings;
      // Own entries only: a kind is any word, "constructor" too.
      return (exposure.placeKind !== null && ownEntry(kinds, exposure.placeKind)) || 'casual';
    }
    default:
      return 'casual';
  }
}

/** The attack rate an exposure is weighed with. */
export function attackRateOf(
  exposure: Exposure,
  pathogen: Pathogen,
  options: Partial<InfectorOptions> = {},
): number {
  return pathogen.attackRates[attackSettingOf(exposure, options)];
}

/** Transmission rate per hour of exposure in a setting, at typical infectiousness. */
export function ratePerHour(setting: AttackSetting, pathogen: Pathogen): number {
  return pathogen.attackRates[setting] / pathogen.attackRateHours[setting];
}

interface WeighedExposure {
  exposure: Exposure;
  /** Expected transmissions over the whole exposure at typical infectiousness. */
  strength: number;
}

/**
 * Expected transmissions over an exposure at typical infectiousness (or full contamination): hours
 * × rate per hour. An exposure of no duration is made of instants only (a handled lot, a reported
 * contact recorded without a duration: src/analysis/exposures.ts keeps no zero-length piece of a
 * longer record, so a contact ending as the window opens is no exposure at all) and counts as one
 * typical episode of its setting, its attack rate; a stay at a contaminated place or aboard a
 * contaminated boat weighs `environmentalRatePerHour`.
 */
export function exposureStrength(
  exposure: { minutes: number; sourceKind: string },
  setting: AttackSetting,
  pathogen: Pathogen,
): number {
  if (exposure.minutes <= 0) return pathogen.attackRates[setting];
  const hours = exposure.minutes / 60;
  if (exposure.sourceKind === 'place' || exposure.sourceKind === 'boat')
    return pathogen.environmentalRatePerHour * hours;
  return ratePerHour(setting, pathogen) * hours;
}

/**
 * Expected transmissions per day in each cell of a grid: each exposure's strength spread evenly over
 * its span (all of it in one cell for an instant), only before `until`.
 */
function exposureRates(
  exposures: readonly WeighedExposure[],
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

/** A case's infectiousness at `at` relative to a symptomatic case after onset. */
export function relativeInfectiousness(source: Case, at: Instant, pathogen: Pathogen): number {
  if (source.classification === 'asymptomatic' || source.onset === null)
    return pathogen.asymptomaticInfectiousness;
  return at < source.onset ? pathogen.presymptomaticInfectiousness : 1;
}

/**
 * Checks the input and returns the exposures of each case, in their order: both in one pass over
 * the exposures, which are many (those of persons who are not cases are checked, not kept).
 */
function validateAndGroup(
  data: CasesAndSamples,
  exposures: readonly Exposure[],
  options: InfectorOptions,
): Map<Id, Exposure[]> {
  if (!data || !Array.isArray(data.cases) || !Array.isArray(data.samples)) {
    throw new TypeError('infectors: data must have "cases" and "samples" arrays');
  }
  if (!Number.isFinite(data.asOf))
    throw new TypeError(`infectors: field "asOf" is not an instant (got ${String(data.asOf)})`);
  if (!Array.isArray(exposures)) throw new TypeError('infectors: exposures must be an array');
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    throw new RangeError(`infectors: option "threshold" must be between 0 and 1 (got ${options.threshold})`);
  }
  if (!(options.unknownWeight >= 0) || !Number.isFinite(options.unknownWeight)) {
    throw new RangeError(
      `infectors: option "unknownWeight" must be a finite number >= 0 (got ${options.unknownWeight})`,
    );
  }
  const seen = new Set<Id>();
  data.cases.forEach((c, i) => {
    if (seen.has(c.personId))
      throw new RangeError(`infectors: cases[${i}]: field "personId" repeats case ${c.personId}`);
    seen.add(c.personId);
  });
  // The message is built only for a bad exposure. A person's exposures come one after another,
  // so whether they are a case is looked up once per run.
  const exposuresOf = new Map<Id, Exposure[]>();
  let lastPersonId: Id | undefined;
  let listOfPerson: Exposure[] | undefined;
  for (let i = 0; i < exposures.length; i++) {
    const e = exposures[i]!;
    if (!Number.isFinite(e.start) || !Number.isFinite(e.end))
      throw new TypeError(`${whereIs(e, i)}: fields "start"/"end" are not instants`);
    if (e.end < e.start) throw new RangeError(`${whereIs(e, i)}: field "end" is before "start"`);
    if (!(e.minutes >= 0) || !Number.isFinite(e.minutes))
      throw new RangeError(`${whereIs(e, i)}: field "minutes" must be >= 0 (got ${e.minutes})`);
    if (!isExposureSourceKind(e.sourceKind)) {
      throw new RangeError(
        `${whereIs(e, i)}: field "sourceKind" is not case, item, boat or place (got ${String(e.sourceKind)})`,
      );
    }
    if (e.sourceId === e.personId)
      throw new RangeError(`${whereIs(e, i)}: field "sourceId" is the exposed person`);
    if (e.personId !== lastPersonId) {
      lastPersonId = e.personId;
      listOfPerson = undefined;
      if (seen.has(e.personId)) {
        listOfPerson = exposuresOf.get(e.personId);
        if (listOfPerson === undefined) exposuresOf.set(e.personId, (listOfPerson = []));
      }
    }
    if (listOfPerson === undefined) continue;
    if (e.sourceKind === 'case' && !seen.has(e.sourceId)) {
      throw new RangeError(`${whereIs(e, i)}: field "sourceId" names no case`);
    }
    listOfPerson.push(e);
  }
  return exposuresOf;
}

/** Names exposure `i` in a message. */
function whereIs(e: Exposure, i: number): string {
  return `infectors: exposures[${i}] (${e.sourceId} to ${e.personId})`;
}

function isExposureSourceKind(kind: unknown): kind is Exposure['sourceKind'] {
  return kind === 'case' || kind === 'item' || kind === 'boat' || kind === 'place';
}

/**
 * The generation-interval density at a gap in ms, remembered by gap: for grids that are not on
 * whole steps (see `generationDensities`), whose every pair of cells is looked up.
 */
function generationDensityByGap(pathogen: Pathogen): (ms: number) => number {
  const cache = new Map<number, number>();
  return (ms) => {
    let v = cache.get(ms);
    if (v === undefined) {
      v = density(pathogen.generationInterval, ms / DAY);
      cache.set(ms, v);
    }
    return v;
  };
}

/**
 * Whether the cells of `grid` are whole milliseconds one step apart, exactly: then the gap between
 * a cell of one such grid and a cell of another with the same step depends only on how far apart
 * their indices are.
 */
export function isWholeStepGrid(grid: InfectionTimePosterior): boolean {
  const { times, stepMs } = grid;
  if (!Number.isInteger(stepMs) || times.length === 0 || !Number.isInteger(times[0])) return false;
  for (let k = 1; k < times.length; k++) if (times[k] !== times[0]! + k * stepMs) return false;
  return true;
}

/**
 * The generation-interval density at the gaps between the cells of whole-step grids, remembered
 * by the offset of the grids' first cells: on two grids of one step the gap of cells a and b is
 * `first + (a − b) · step`, with `first` the gap of their first cells. Pairs of cases share few
 * offsets (at a million persons 692,935 pairs share 21,402), so one table serves many pairs, where
 * each pair worked g (a logarithm and an exponential) out some hundred times. The numbers are those
 * g gives at those gaps: every gap is worked out by the same expression.
 */
export class WholeStepDensities {
  private readonly byFirst = new Map<number, { low: number; values: Float64Array }>();

  constructor(
    private readonly g: (ms: number) => number,
    readonly stepMs: number,
  ) {}

  /** The gap of distance `k` from `first`. */
  gap(first: number, k: number): number {
    return first + k * this.stepMs;
  }

  /** A table with values[k − low] = g(gap(first, k)) for every whole k in [from, to]. */
  span(first: number, from: number, to: number): { low: number; values: Float64Array } {
    const known = this.byFirst.get(first);
    if (known && known.low <= from && to < known.low + known.values.length) return known;
    const low = known ? Math.min(known.low, from) : from;
    const high = known ? Math.max(known.low + known.values.length - 1, to) : to;
    const values = new Float64Array(high - low + 1);
    for (let k = low; k <= high; k++) {
      const i = known ? k - known.low : -1;
      values[k - low] =
        known && i >= 0 && i < known.values.length ? known.values[i]! : this.g(this.gap(first, k));
    }
    const table = { low, values };
    this.byFirst.set(first, table);
    return table;
  }
}

/**
 * Σ_b p_j(b) g(t_a − t_b) for every cell a of the infectee's grid (density per day). When both
 * grids are whole-step grids of the same step (`wholeSteps`), g is looked up once per distance
 * between cells rather than once per pair of cells (in `table` when given, shared between pairs:
 * see WholeStepDensities); the sums are the same, term by term. With `needed`, only the cells a
 * where needed[a] is not 0 are worked out (the others are 0): the infector weighs only the cells
 * its exposures reach, a few of a grid of hundreds.
 */
export function generationDensities(
  infectee: InfectionTimePosterior,
  source: InfectionTimePosterior,
  g: (ms: number) => number,
  wholeSteps = false,
  needed: ArrayLike<number> | null = null,
  table: WholeStepDensities | null = null,
) {
  const n = infectee.times.length;
  const m = source.times.length;
  const out = new Float64Array(n);
  const meanGap = new Float64Array(n);
  const probabilities = source.probabilities;
  let firstNeeded = 0;
  let lastNeeded = n - 1;
  if (needed) {
    while (firstNeeded < n && needed[firstNeeded] === 0) firstNeeded++;
    while (lastNeeded >= firstNeeded && needed[lastNeeded] === 0) lastNeeded--;
  }
  const skip = (a: number): boolean => needed !== null && needed[a] === 0;
  if (firstNeeded > lastNeeded) return { densities: out, meanGap };
  if (wholeSteps && infectee.stepMs === source.stepMs) {
    // Cells a and b are k = a − b apart, from −(m − 1) to n − 1; the gaps of the needed cells'
    // span only are looked up.
    const first = infectee.times[0]! - source.times[0]!;
    const densities =
      table && table.stepMs === infectee.stepMs ? table : new WholeStepDensities(g, infectee.stepMs);
    const kFrom = firstNeeded - (m - 1);
    const kTo = lastNeeded;
    const { low, values } = densities.span(first, kFrom, kTo);
    let lowestNonZero = Infinity;
    let highestNonZero = -Infinity;
    for (let k = kFrom; k <= kTo; k++) {
      if (values[k - low] !== 0) {
        lowestNonZero = Math.min(lowestNonZero, k);
        highestNonZero = k;
      }
    }
    for (let a = firstNeeded; a <= lastNeeded; a++) {
      if (skip(a)) continue;
      let sum = 0;
      let gapSum = 0;
      // Terms whose density is 0 (g is 0 for gaps of zero or less, where the source's infection
      // comes after the infectee's) add nothing: only the span of distances where it is not.
      const lastB = Math.min(m - 1, a - lowestNonZero);
      for (let b = Math.max(0, a - highestNonZero); b <= lastB; b++) {
        const p = probabilities[b]!;
        if (p === 0) continue;
        const k = a - b;
        const w = p * values[k - low]!;
        sum += w;
        gapSum += w * densities.gap(first, k);
      }
      out[a] = sum;
      meanGap[a] = sum > 0 ? gapSum / sum : 0;
    }
    return { densities: out, meanGap };
  }
  for (let a = firstNeeded; a <= lastNeeded; a++) {
    if (skip(a)) continue;
    let sum = 0;
    let gapSum = 0;
    for (let b = 0; b < m; b++) {
      const p = probabilities[b]!;
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

const typicalDensities = new Map<string, number>();

/** ∫ g(τ)² dτ: the generation-interval density at the moment a transmission typically happens. */
export function typicalGenerationDensity(pathogen: Pathogen): number {
  const key = JSON.stringify(pathogen.generationInterval);
  let value = typicalDensities.get(key);
  if (value === undefined) {
    const step = 0.005;
    const end = quantile(pathogen.generationInterval, 0.9999);
    value = 0;
    for (let x = step / 2; x < end; x += step) value += density(pathogen.generationInterval, x) ** 2 * step;
    typicalDensities.set(key, value);
  }
  return value;
}

/** Distance-decayed persistence of a contaminated source: 1 at a positive sample, 0 after the persistence. */
function persistenceAt(
  positives: readonly Instant[] | undefined,
  at: Instant,
  persistenceDays: number,
): number {
  if (!positives || positives.length === 0) return 1;
  if (persistenceDays <= 0) return 0;
  let best = 0;
  for (const s of positives) best = Math.max(best, 1 - Math.abs(at - s) / (persistenceDays * DAY));
  return best;
}

/** A candidate while it is weighed: its weight, and the exposures its evidence is written from. */
interface WeighedCandidate extends Omit<InfectorCandidate, 'evidence'> {
  weight: number;
  exposures: readonly Exposure[];
  attackSettings: readonly AttackSetting[];
}

/**
 * The infectors of every case in `data` (in the order of `data.cases`), from the exposures of
 * `computeExposures` (exposures of persons who are not cases are ignored). `windows`: the cases'
 * windows under `params` (`caseWindows(data, params)`), when worked out already.
 */
export function inferInfectors(
  data: OutbreakData,
  exposures: readonly Exposure[],
  params: Parameters,
  options: Partial<InfectorOptions> = {},
  windows?: CaseWindows,
): InfectorInference[] {
  const { cases, samples, asOf } = data;
  const checked = caseExposures({ cases, samples, asOf }, exposures, options);
  // Worked out once the input is checked: a window reads the cases' fields.
  const known = { ...checked.data, windows: windows ?? caseWindows(data, params) };
  return inferFromCaseExposures({ ...checked, data: known }, params, options);
}

/**
 * What the inference reads: the cases, their samples and the environmental ones, the instant, and
 * each case's exposures in their order. Few objects beside the district's exposures, so that the
 * inference can be handed to a worker thread (./infector-in-worker.ts) for little copying.
 */
export interface CaseExposures {
  data: CasesAndSamples;
  /** Each case's exposures, in the order of the exposures; cases without any are left out. */
  exposuresOf: Map<Id, Exposure[]>;
}

/** Checks the input (every exposure, and the options) and gathers the exposures of the cases. */
export function caseExposures(
  data: CasesAndSamples,
  exposures: readonly Exposure[],
  options: Partial<InfectorOptions> = {},
): CaseExposures {
  const exposuresOf = validateAndGroup(data, exposures, { ...DEFAULTS, ...options });
  const { cases, samples, asOf, windows, infectionTimes } = data;
  return {
    data: {
      cases,
      samples,
      asOf,
      ...(windows ? { windows } : {}),
      ...(infectionTimes ? { infectionTimes } : {}),
    },
    exposuresOf,
  };
}

/** `inferInfectors` from the exposures `caseExposures` gathered. */
export function inferFromCaseExposures(
  { data, exposuresOf }: CaseExposures,
  params: Parameters,
  options: Partial<InfectorOptions> = {},
): InfectorInference[] {
  const settings: InfectorOptions = { ...DEFAULTS, ...options };
  const { pathogen } = params;
  const asOf = data.asOf;
  const bySubject = samplesBySubject(data.samples);
  const caseById = new Map(data.cases.map((c) => [c.personId, c]));

  const posteriors = new Map<Id, InfectionTimePosterior>();
  const wholeStepGrids = new Set<Id>();
  const isolation = new Map<Id, Instant>();
  // Those worked out already are on the default grid.
  const known = Object.keys(settings.infectionTime).length === 0 ? data.infectionTimes : undefined;
  for (const c of data.cases) {
    const own = bySubject.get(c.personId) ?? [];
    const posterior =
      known?.get(c.personId) ?? inferInfectionTime(c, own, params, asOf, settings.infectionTime);
    posteriors.set(c.personId, posterior);
    if (isWholeStepGrid(posterior)) wholeStepGrids.add(c.personId);
    // A window closes at the case's isolation.
    const window = data.windows?.get(c.personId) ?? infectiousWindow(c, own, params, asOf);
    isolation.set(c.personId, window.to);
  }
  const positivesOf = (id: Id): Instant[] =>
    (bySubject.get(id) ?? [])
      .filter((s) => s.result === 'positive' && s.sampledAt <= asOf)
      .map((s) => s.sampledAt);

  const typical = typicalGenerationDensity(pathogen);
  // On whole-step grids the densities are remembered by the offset of two grids, shared by the
  // pairs of cases with that offset (WholeStepDensities); other grids look each gap up.
  const generationDensity = (ms: number): number => density(pathogen.generationInterval, ms / DAY);
  const generationDensityRemembered = generationDensityByGap(pathogen);
  const wholeStepTables = new Map<number, WholeStepDensities>();
  const wholeStepTable = (stepMs: number): WholeStepDensities => {
    let table = wholeStepTables.get(stepMs);
    if (!table) wholeStepTables.set(stepMs, (table = new WholeStepDensities(generationDensity, stepMs)));
    return table;
  };

  return data.cases.map((c) => {
    const grid = posteriors.get(c.personId)!;
    const candidates: WeighedCandidate[] = [];
    const own = exposuresOf.get(c.personId) ?? [];
    const evidenceOf = (e: Exposure, attackSetting: AttackSetting): InfectorEvidence => ({
      setting: e.setting,
      hostId: e.hostId,
      placeKind: e.placeKind,
      contactSetting: e.contactSetting,
      start: e.start,
      end: e.end,
      minutes: e.minutes,
      attackSetting,
      attackRate: pathogen.attackRates[attackSetting],
      ratePerHour:
        e.sourceKind === 'place' || e.sourceKind === 'boat'
          ? pathogen.environmentalRatePerHour
          : ratePerHour(attackSetting, pathogen),
      daysBeforeOnset: (grid.latest - e.start) / DAY,
    });

    for (const list of groupBy(own, (e) => `${e.sourceKind}\u0000${e.sourceId}`).values()) {
      const first = list[0]!;
      const id = first.sourceId;
      const settingsOf = list.map((exposure) => attackSettingOf(exposure, settings));
      const weighed = list.map((exposure, k) => ({
        exposure,
        strength: exposureStrength(exposure, settingsOf[k]!, pathogen),
      }));
      let weight = 0;
      let gapDays: number | null = null;
      if (first.sourceKind === 'case') {
        const source = caseById.get(id)!;
        const rates = exposureRates(weighed, grid, isolation.get(id) ?? asOf);
        const wholeSteps = wholeStepGrids.has(c.personId) && wholeStepGrids.has(id);
        const { densities, meanGap } = generationDensities(
          grid,
          posteriors.get(id)!,
          wholeSteps ? generationDensity : generationDensityRemembered,
          wholeSteps,
          rates,
          wholeSteps ? wholeStepTable(grid.stepMs) : null,
        );
        let gapSum = 0;
        for (let a = 0; a < grid.times.length; a++) {
          if (rates[a] === 0 || densities[a] === 0) continue;
          const infectiousness =
            (densities[a]! / typical) * relativeInfectiousness(source, grid.times[a]!, pathogen);
          const w = grid.probabilities[a]! * rates[a]! * infectiousness;
          weight += w;
          gapSum += w * meanGap[a]!;
        }
        gapDays = weight > 0 ? gapSum / weight / DAY : null;
      } else {
        const positives = positivesOf(id);
        const rates = exposureRates(weighed, grid, Infinity);
        for (let a = 0; a < grid.times.length; a++) {
          if (rates[a] === 0) continue;
          const contamination = persistenceAt(
            positives,
            grid.times[a]!,
            pathogen.environmentalPersistenceDays,
          );
          weight += grid.probabilities[a]! * rates[a]! * contamination;
        }
      }
      candidates.push({
        id,
        kind: first.sourceKind,
        probability: 0,
        gapDays,
        weight,
        exposures: list,
        attackSettings: settingsOf,
      });
    }
    candidates.push({
      id: UNKNOWN_SOURCE,
      kind: 'unknown',
      probability: 0,
      gapDays: null,
      weight: settings.unknownWeight,
      exposures: [],
      attackSettings: [],
    });

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

    // Evidence is written out for the best candidate and those above the threshold only: at a
    // million persons a case weighs some 300 candidates, nearly all far below it.
    const reported = (k: WeighedCandidate): InfectorCandidate => ({
      id: k.id,
      kind: k.kind,
      probability: k.probability,
      gapDays: k.gapDays,
      evidence: k.exposures.map((e, i) => evidenceOf(e, k.attackSettings[i]!)),
    });
    const best = reported(candidates[0]!);
    const listed: InfectorCandidate[] = [];
    candidates.forEach((k, i) => {
      if (k.probability >= settings.threshold && k.probability > 0) listed.push(i === 0 ? best : reported(k));
    });
    return {
      personId: c.personId,
      best,
      candidates: listed,
      distribution: candidates.map((k) => ({ id: k.id, kind: k.kind, probability: k.probability })),
      infectionTime: { mean: grid.mean, lower: grid.lower, upper: grid.upper, basis: grid.basis },
    };
  });
}
