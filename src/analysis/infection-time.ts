/**
 * Infection time of a case: a discrete posterior over a grid of instants, since nobody observes
 * the moment of infection. As in outbreaker2 (Campbell et al., PLoS Comput Biol 2019), the onset
 * weighs each instant by the incubation density. Tests are interval-censored observations of the
 * infection-to-positive delay: a first positive sample found by screening, after a last negative
 * one, says the delay ended between the two (F(p − t) − F(s − t)); with no negative before it, only
 * that the delay had ended (F(p − t)) and that the sample was still positive, less likely the
 * longer ago the infection (linearly, to zero at `pcrPositiveDays`: an assumption); a
 * negative before onset says the delay had not ended yet (1 − F(s − t)). The analyses that use the
 * posterior integrate over this uncertainty instead of fixing one date.
 */
import { caseSamples, type CaseSamples } from './infectious-window';
import { cdf, density, quantile } from '../domain/distributions';
import type { Distribution, Parameters } from '../domain/parameters';
import { DAY, HOUR, formatDate, formatDateTime } from '../domain/time';
import type { Case, Id, Instant, Sample } from '../domain/types';

export interface InfectionTimeOptions {
  /** Width of a grid cell. */
  stepHours: number;
  /** The grid reaches back to this quantile of the incubation / infection-to-positive delays. */
  lookbackQuantile: number;
}

export const DEFAULTS: InfectionTimeOptions = {
  stepHours: 6,
  lookbackQuantile: 0.999,
};

export interface InfectionTimePosterior {
  personId: Id;
  /** Midpoints of the grid cells, ascending, one step apart. */
  times: Instant[];
  /** Probability of each cell; sums to 1. */
  probabilities: number[];
  /** Cell width in milliseconds. */
  stepMs: number;
  /** Infection happened before this instant (onset, first positive or confirmation). */
  latest: Instant;
  /** Posterior mean. */
  mean: Instant;
  /** Central 95% interval (cell midpoints). */
  lower: Instant;
  upper: Instant;
  /** In words: what bounded and weighted the posterior. */
  basis: string;
}

/**
 * The posterior of each case's infection time, by person id (`infectionTimesOfCases`): worked out
 * once, by the load (where backward tracing starts) or else by the inference, which reads them.
 */
export type CaseInfectionTimes = ReadonlyMap<Id, InfectionTimePosterior>;

interface CdfTable {
  stepDays: number;
  values: Float64Array;
}

/** Tabulated cumulative distribution (trapezoid rule on a fine grid), cached per distribution. */
const cdfTables = new Map<string, CdfTable>();

function cdfTable(dist: Distribution): CdfTable {
  const key = JSON.stringify(dist);
  let table = cdfTables.get(key);
  if (!table) {
    const stepDays = 1 / 96;
    const maxDays = Math.max(60, cachedQuantile(dist, 0.99999));
    const n = Math.ceil(maxDays / stepDays);
    const values = new Float64Array(n + 1);
    // The first step by Simpson (the density may be steep near 0), the rest by trapezoids.
    values[1] = cdf(dist, stepDays, 50);
    for (let k = 2; k <= n; k++) {
      values[k] =
        values[k - 1]! + ((density(dist, (k - 1) * stepDays) + density(dist, k * stepDays)) * stepDays) / 2;
    }
    table = { stepDays, values };
    cdfTables.set(key, table);
  }
  return table;
}

/** The cumulative distribution at `days`, from a table of `cdfTable`. */
function cumulative(table: CdfTable, days: number): number {
  if (!(days > 0)) return 0;
  const x = days / table.stepDays;
  const k = Math.floor(x);
  if (k >= table.values.length - 1) return Math.min(1, table.values[table.values.length - 1]!);
  const v = table.values[k]! + (x - k) * (table.values[k + 1]! - table.values[k]!);
  return Math.min(1, v);
}

const quantiles = new Map<string, number>();

/** Quantiles of the delay distributions, cached (bisection of a numerical cdf is slow). */
function cachedQuantile(dist: Distribution, p: number): number {
  const key = `${JSON.stringify(dist)}|${p}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = quantile(dist, p);
    quantiles.set(key, q);
  }
  return q;
}

function assertInstant(value: unknown, field: string, personId: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `infection time of case ${personId}: field "${field}" is not an instant (got ${String(value)})`,
    );
  }
}

/**
 * The posterior of `caseRecord`'s infection time from its onset and its own samples (samples of
 * other subjects and samples after `asOf` are ignored). With no onset, sample or confirmation on
 * record, the grid ends at `asOf` and is flat.
 */
export function inferInfectionTime(
  caseRecord: Case,
  samplesOfPerson: readonly Sample[],
  params: Parameters,
  asOf: Instant,
  options: Partial<InfectionTimeOptions> = {},
): InfectionTimePosterior {
  const { stepHours, lookbackQuantile } = { ...DEFAULTS, ...options };
  const personId = caseRecord?.personId;
  if (typeof personId !== 'string' || personId === '') {
    throw new TypeError('infection time: field "personId" of the case is missing');
  }
  if (!(stepHours > 0) || !Number.isFinite(stepHours)) {
    throw new RangeError(`infection time: option "stepHours" must be a positive number (got ${stepHours})`);
  }
  if (!(lookbackQuantile > 0 && lookbackQuantile < 1)) {
    throw new RangeError(
      `infection time: option "lookbackQuantile" must be between 0 and 1 (got ${lookbackQuantile})`,
    );
  }
  assertInstant(asOf, 'asOf', personId);
  if (caseRecord.onset !== null) assertInstant(caseRecord.onset, 'onset', personId);
  if (caseRecord.confirmedAt !== null) assertInstant(caseRecord.confirmedAt, 'confirmedAt', personId);
  const own = samplesOfPerson
    .filter((s) => s.subjectId === personId)
    .map((s, i) => {
      assertInstant(s.sampledAt, `samples[${i}].sampledAt`, personId);
      return s;
    })
    .filter((s) => s.sampledAt <= asOf)
    .sort((a, b) => a.sampledAt - b.sampledAt);
  const { incubation, infectionToPositive } = params.pathogen;

  const onset = caseRecord.onset !== null && caseRecord.onset <= asOf ? caseRecord.onset : null;
  const firstPositive = own.find((s) => s.result === 'positive')?.sampledAt ?? null;
  const confirmedAt =
    caseRecord.confirmedAt !== null && caseRecord.confirmedAt <= asOf ? caseRecord.confirmedAt : null;
  // A confirmation implies a positive test: it stands in for a sample that is not on record.
  const positive = firstPositive ?? (onset === null ? confirmedAt : null);
  // A positive found after onset was prompted by the symptoms: it bounds, but does not time, the infection.
  const positiveTimes = positive !== null && (onset === null || positive < onset);
  const bounds = [onset, positive, confirmedAt].filter((t): t is number => t !== null);
  const latest = bounds.length ? Math.min(...bounds) : asOf;
  // Only the last negative before the bound matters: a delay not over then was not over before.
  const negatives = own
    .filter((s) => s.result === 'negative' && s.sampledAt < latest)
    .map((s) => s.sampledAt);
  const lastNegative = negatives.at(-1) ?? null;

  const lookbackDays =
    onset !== null
      ? cachedQuantile(incubation, lookbackQuantile)
      : positiveTimes
        ? Math.max(cachedQuantile(infectionToPositive, lookbackQuantile), params.pathogen.pcrPositiveDays)
        : cachedQuantile(incubation, lookbackQuantile);
  const stepMs = stepHours * HOUR;
  const cells = Math.max(1, Math.ceil((lookbackDays * DAY) / stepMs));

  // Looked up once: the table is keyed by the distribution's text.
  const toPositive = cdfTable(infectionToPositive);
  const times: Instant[] = [];
  const weights: number[] = [];
  for (let k = cells - 1; k >= 0; k--) {
    const t = latest - (k + 0.5) * stepMs;
    let w = 1;
    if (onset !== null) w *= density(incubation, (onset - t) / DAY);
    const negativeEnded = lastNegative !== null ? cumulative(toPositive, (lastNegative - t) / DAY) : 0;
    if (positiveTimes) {
      // Still positive at the sample: less likely the longer ago the infection (linear to zero at pcrPositiveDays).
      const stillPositive = Math.max(0, 1 - (positive! - t) / DAY / params.pathogen.pcrPositiveDays);
      w *= Math.max(0, cumulative(toPositive, (positive! - t) / DAY) - negativeEnded) * stillPositive;
    } else w *= 1 - negativeEnded;
    times.push(t);
    weights.push(w);
  }
  let total = weights.reduce((a, b) => a + b, 0);
  let flat = false;
  if (!(total > 0)) {
    // The observations contradict each other (or there are none): a flat posterior over the grid.
    weights.fill(1);
    total = weights.length;
    flat = true;
  }
  const probabilities = weights.map((w) => w / total);
  const mean = times.reduce((sum, t, i) => sum + t * probabilities[i]!, 0);
  const quantileTime = (p: number): Instant => {
    let acc = 0;
    for (let i = 0; i < times.length; i++) {
      acc += probabilities[i]!;
      if (acc >= p) return times[i]!;
    }
    return times[times.length - 1]!;
  };

  const words: string[] = [];
  if (onset !== null) words.push(`incubation before onset ${formatDate(onset)}`);
  if (positiveTimes && firstPositive !== null)
    words.push(`positive by the first positive sample ${formatDateTime(firstPositive)}`);
  else if (positiveTimes) words.push(`positive by the confirmation ${formatDateTime(positive!)}`);
  else if (firstPositive !== null) words.push(`before the first positive ${formatDateTime(firstPositive)}`);
  if (lastNegative !== null)
    words.push(`not yet positive at the last negative sample ${formatDateTime(lastNegative)}`);
  if (!bounds.length) words.push(`no onset, sample or confirmation: before ${formatDateTime(asOf)}, flat`);
  else if (flat) words.push('observations inconsistent: flat');

  return {
    personId,
    times,
    probabilities,
    stepMs,
    latest,
    mean,
    lower: quantileTime(0.025),
    upper: quantileTime(0.975),
    basis: words.join('; '),
  };
}

/**
 * The infection time of every case, by person id, from its own samples among `samples` (others'
 * are left out), or its entry in `samples` grouped by case, and the default grid.
 */
export function infectionTimesOfCases(
  cases: readonly Case[],
  samples: readonly Sample[] | CaseSamples,
  params: Parameters,
  asOf: Instant,
): Map<Id, InfectionTimePosterior> {
  const samplesOf = caseSamples(cases, samples);
  const times = new Map<Id, InfectionTimePosterior>();
  for (const c of cases)
    times.set(c.personId, inferInfectionTime(c, samplesOf.get(c.personId)!, params, asOf));
  return times;
}
