/**
 * What analysis works on: the neighbourhood of the outbreak pulled from the store
 * (src/analysis/load.ts), as plain data. Algorithms take this (or graphology graphs built from
 * it) and never see a store.
 */
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  Handling,
  Id,
  Instant,
  Person,
  Place,
  Sample,
  Stay,
} from '../domain/types';
import type { CaseInfectionTimes } from './infection-time';
import type { CaseWindows } from './infectious-window';

export interface OutbreakData {
  /** Everything recorded after this instant is ignored. */
  asOf: Instant;
  cases: Case[];
  /** Samples of cases, and positive environmental samples. */
  samples: Sample[];
  /** Stays of cases in their windows, and stays of others at the same hosts in those windows. */
  stays: Stay[];
  contacts: Contact[];
  handlings: Handling[];
  /** Persons involved (cases, exposed persons, household members), by id. */
  persons: Map<Id, Person>;
  places: Map<Id, Place>;
  boats: Map<Id, Boat>;
  items: Map<Id, ColdChainItem>;
  /** Quarantine sites with their bed capacity. */
  quarantineSites: Place[];
  /**
   * Stays at quarantine sites that cover `asOf` (not cut at it): the beds already taken. Kept apart
   * from `stays` so that persons with no other part in the outbreak stay out of its analysis.
   */
  quarantineStays?: Stay[];
  /**
   * How many people live at homes whose residents are not all in `persons`: counted in the store,
   * where reading each resident would serve only that count (the homes of venue-exposed persons,
   * src/analysis/load.ts). A home not listed has as many residents as `persons` holds.
   */
  householdSizes?: Map<Id, number>;
}

/**
 * The part of the data that the infector inference reads besides the exposures: the cases, their
 * samples and the instant, and the cases' infectious windows and infection times. The load knows
 * it, final, halfway through (src/analysis/load.ts).
 */
export type CasesAndSamples = Pick<OutbreakData, 'cases' | 'samples' | 'asOf'> & {
  /** The cases' infectious windows (`caseWindows`), each closed at the case's isolation: its
   *  confirmation, or a stay at an isolation place. Without them, from the samples alone. */
  windows?: CaseWindows;
  /** The cases' infection times under the inference's parameters (`infectionTimesOfCases`), when
   *  worked out already; read only on the default grid (no `infectionTime` option). */
  infectionTimes?: CaseInfectionTimes;
};

/** How a person was exposed. */
export type ExposureSetting =
  | 'household'
  | 'boat'
  | 'cold_chain'
  | 'contact'
  /** A shared place; `placeKind` says which kind. */
  | 'place';

/** One person exposed to one source (a case, a contaminated lot/boat/place) over a span. */
export interface Exposure {
  /** The exposed person. */
  personId: Id;
  /** The case (person id) or environmental source (lot, boat or place id). */
  sourceId: Id;
  sourceKind: 'case' | 'item' | 'boat' | 'place';
  setting: ExposureSetting;
  /** Where it happened (place or boat id); the home for a household; null for a reported contact. */
  hostId: Id | null;
  placeKind: string | null;
  /** Reported-contact setting when setting is `contact`. */
  contactSetting: string | null;
  start: Instant;
  end: Instant;
  /** Overlap in minutes (summed when several stays overlap). */
  minutes: number;
  /** Household exposures: the nights spent together. */
  nights?: number;
}
