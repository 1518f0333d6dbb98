/** Hand-made cases, exposures and inferences for the infector, chain, source and cluster suites. */
import type {
  InfectorCandidate,
  InfectorEvidence,
  InfectorInference,
  InfectorKind,
} from '../../src/analysis/infector';
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import { resolveParameters, type Parameters } from '../../src/domain/parameters';
import { DAY, HOUR } from '../../src/domain/time';
import type { Case, ColdChainItem, Handling, Person, Place, Sample, Stay } from '../../src/domain/types';
import { barePerson, barePlace } from '../bare-records';

/** Day 0 of every scenario: 2022-08-01T00:00+08:00. */
export const T0 = Date.UTC(2022, 7, 1) - 8 * HOUR;
/** An instant `d` days (and `h` hours) after T0. */
export const day = (d: number, h = 0): number => T0 + d * DAY + h * HOUR;

export const params: Parameters = resolveParameters();

export function withPathogen(patch: Partial<Parameters['pathogen']>): Parameters {
  return { protocol: params.protocol, pathogen: { ...params.pathogen, ...patch } };
}

export const symptomatic = (personId: string, onset: number, confirmedAt: number | null = null): Case => ({
  personId,
  classification: 'confirmed',
  onset,
  confirmedAt,
});

export const asymptomatic = (personId: string, confirmedAt: number | null = null): Case => ({
  personId,
  classification: 'asymptomatic',
  onset: null,
  confirmedAt,
});

export const positive = (subjectId: string, sampledAt: number): Sample => ({
  subjectId,
  sampledAt,
  result: 'positive',
  method: 'pcr',
  ct: 25,
});

export const negative = (subjectId: string, sampledAt: number): Sample => ({
  subjectId,
  sampledAt,
  result: 'negative',
  method: 'pcr',
  ct: null,
});

export const person = (id: string, homeId: string | null = null): Person =>
  barePerson(id, { age: 40, homeId });

export const place = (id: string, kind: string): Place => barePlace(id, kind);
export const lot = (id: string): ColdChainItem => ({
  id,
  product: 'frozen fish',
  lot: id,
  origin: null,
  arrivedAt: null,
});
export const stay = (subjectId: string, hostId: string, start: number, end: number): Stay => ({
  subjectId,
  hostId,
  start,
  end,
});
export const handling = (personId: string, itemId: string, at: number): Handling => ({
  personId,
  itemId,
  at,
});

/** An exposure of `personId` to `sourceId`; minutes default to the span. */
export function exposure(
  personId: string,
  sourceId: string,
  start: number,
  end: number,
  extra: Partial<Exposure> = {},
): Exposure {
  return {
    personId,
    sourceId,
    sourceKind: 'case',
    setting: 'place',
    hostId: null,
    placeKind: null,
    contactSetting: null,
    start,
    end,
    minutes: (end - start) / 60_000,
    ...extra,
  };
}

export interface OutbreakInput {
  asOf: number;
  cases?: Case[];
  samples?: Sample[];
  stays?: Stay[];
  handlings?: Handling[];
  persons?: Person[];
  places?: Place[];
  items?: ColdChainItem[];
}

export function outbreak(input: OutbreakInput): OutbreakData {
  const persons = new Map((input.persons ?? []).map((p) => [p.id, p]));
  for (const c of input.cases ?? [])
    if (!persons.has(c.personId)) persons.set(c.personId, person(c.personId));
  return {
    asOf: input.asOf,
    cases: input.cases ?? [],
    samples: input.samples ?? [],
    stays: input.stays ?? [],
    contacts: [],
    handlings: input.handlings ?? [],
    persons,
    places: new Map((input.places ?? []).map((p) => [p.id, p])),
    boats: new Map(),
    items: new Map((input.items ?? []).map((i) => [i.id, i])),
    quarantineSites: [],
  };
}

/**
 * An inference written by hand: `best` first, then the other candidates, as [id, kind, probability]
 * (the rest of the mass goes to `unknown`).
 */
export function inference(
  personId: string,
  candidates: [string, InfectorKind, number][],
  infectionMean: number = T0,
  bestEvidence: InfectorEvidence[] = [],
): InfectorInference {
  const listed = candidates.map(([id, kind, probability]) => ({ id, kind, probability }));
  const rest = 1 - listed.reduce((s, c) => s + c.probability, 0);
  if (rest > 1e-12 && !listed.some((c) => c.kind === 'unknown'))
    listed.push({ id: 'unknown', kind: 'unknown', probability: rest });
  listed.sort((a, b) => b.probability - a.probability);
  const full: InfectorCandidate[] = listed.map((c, i) => ({
    ...c,
    gapDays: null,
    evidence: i === 0 ? bestEvidence : [],
  }));
  return {
    personId,
    best: full[0]!,
    candidates: full.filter((c) => c.probability >= 0.05),
    distribution: listed,
    infectionTime: { mean: infectionMean, lower: infectionMean, upper: infectionMean, basis: 'by hand' },
  };
}

/** Evidence of one exposure, for hand-made inferences. */
export function evidence(
  start: number,
  end: number,
  extra: Partial<InfectorEvidence> = {},
): InfectorEvidence {
  return {
    setting: 'household',
    hostId: 'H',
    placeKind: 'home',
    contactSetting: null,
    start,
    end,
    minutes: (end - start) / 60_000,
    attackSetting: 'household',
    attackRate: 0.427,
    ratePerHour: 0.427 / 60,
    daysBeforeOnset: 0,
    ...extra,
  };
}

/** Case I (onset day 10) and two possible infectors with the same timing: A at home, B at a restaurant. */
export function twoCandidateCases(): { cases: Case[]; exposures: Exposure[] } {
  return {
    cases: [
      symptomatic('I', day(10), day(11)),
      symptomatic('A', day(7), day(12)),
      symptomatic('B', day(7), day(12)),
    ],
    exposures: [
      exposure('I', 'A', day(5), day(9), { setting: 'household', hostId: 'H', placeKind: 'home' }),
      exposure('I', 'B', day(5), day(9), { setting: 'place', hostId: 'R', placeKind: 'restaurant' }),
    ],
  };
}
