/**
 * The analysis report: everything one run of the engine found, as plain JSON-ready data. It is
 * what `tracegraph report --format json` prints and what the HTML/Markdown/CSV renderers and the
 * chain view draw from. Instants are ISO 8601 strings (+08:00); dates are `YYYY-MM-DD`.
 */
import type { CaseClassification } from '../domain/types';
import type { Placement } from './quarantine';

export type SourceKind = 'case' | 'person' | 'item' | 'boat' | 'place' | 'unknown';
export type ContactTier = 'close_contact' | 'contact_of_close_contact' | 'venue_exposed';
export type RiskLevel = 'high' | 'medium' | 'low';
/** A contact's placement in the quarantine plan: any but `none`, which only those below every tier get. */
export type ContactPlacement = Exclude<Placement, 'none'>;

export interface InfectorRef {
  /** Person id of the infecting case, or the lot/boat/place id; `unknown` for outside. */
  id: string;
  kind: SourceKind;
  probability: number;
}

export interface InfectorCandidateReport extends InfectorRef {
  /** How they met, e.g. `boat`, `household`, `place:market`, `cold_chain`, `contact:social`. */
  setting: string | null;
  /** Where (place or boat id), if anywhere. */
  hostId: string | null;
  /** Days between the infector's and the case's (estimated) infection times. */
  gapDays: number | null;
  /** One sentence with the numbers behind the weight. */
  evidence: string;
}

export interface TimelineEvent {
  at: string;
  kind: 'onset' | 'sample' | 'stay' | 'confirmed' | 'window';
  /** e.g. `PCR positive (Ct 24.5)`, `at Baogang market (market) 1 h 30 min`, `infectious window opens`. */
  label: string;
  hostId?: string;
  end?: string;
}

export interface CaseReport {
  personId: string;
  classification: 'confirmed' | 'asymptomatic';
  onset: string | null;
  confirmedAt: string | null;
  infectiousWindow: { from: string; to: string; basis: string };
  /**
   * The infector as the case's chain has it: its parent in the chain, or for a root the
   * environmental source the chain names (null: outside). Where a cycle of most-likely links was
   * cut at this case, its most likely infector stays first among `candidates`.
   */
  infector: InfectorRef | null;
  candidates: InfectorCandidateReport[];
  chainId: string;
  generation: number;
  /** Cases whose most likely infector this case is. */
  offspring: number;
  /** Σ of the probabilities that this case infected each other case (Wallinga & Teunis R_j). */
  expectedOffspring: number;
  /**
   * Consistency flags on the link to the infector (e.g. `onset-order-reversed`); of a link cut to
   * break a cycle, its flags and `cut-to-break-cycle`.
   */
  flags: string[];
  timeline: TimelineEvent[];
}

export interface ChainLink {
  from: string;
  fromKind: SourceKind;
  to: string;
  probability: number;
  setting: string | null;
  flags: string[];
}

export interface ChainReport {
  id: string;
  /** The root: the first case, or the environmental source it came from. */
  rootId: string;
  rootKind: SourceKind;
  caseIds: string[];
  size: number;
  /** Highest generation (root case = 0). */
  length: number;
  firstDate: string;
  lastDate: string;
  durationDays: number;
  active: boolean;
  links: ChainLink[];
  /** Mean offspring per generation. */
  rByGeneration: { generation: number; cases: number; meanOffspring: number }[];
}

export interface ExposureEvidence {
  /** The case or environmental source. */
  sourceId: string;
  sourceKind: SourceKind;
  setting: string;
  hostId: string | null;
  start: string;
  end: string;
  minutes: number;
}

/**
 * Where a contact of a report built from an analysis keeps, not enumerable (so no format writes it
 * out), what gives the tier each id its evidence names gives the contact: the highest tier of the
 * exposures to that case, lot, boat, place or close contact (those to a case the person is its close
 * contact by, as the API's `Case.contacts` gives them). The contact's own `tier` is the highest of
 * all. A contact written by hand has none: each id then counts as giving its `tier`.
 */
export const TIERS_BY_SOURCE = Symbol('tiersBySource');

export interface ContactReport {
  personId: string;
  tier: ContactTier;
  /**
   * Whose close contact the person is: the cases (a case's id is its person's), lots, boats and
   * places whose exposures make them one, and the close contacts who turned positive that upgraded
   * them (sorted; empty unless `tier` is `close_contact`). A venue exposure to another case does
   * not put that case here.
   */
  closeContactOf: readonly string[];
  /**
   * For a contact of a close contact, the close contacts through whom (sorted; empty for any other
   * tier).
   */
  closeContactsMet: readonly string[];
  /** Probability of being infected now. */
  probability: number;
  /** Priority score (probability weighted by onward risk and vulnerability). */
  score: number;
  /**
   * 1 = first to quarantine; the contacts of the whole analysis are numbered 1, 2, 3, … without
   * gaps, those whose quarantine is over after the others.
   */
  priority: number;
  /** The score explained in words and numbers. */
  reasons: string;
  evidence: ExposureEvidence[];
  /** The site of the contact's bed; for one whose quarantine is over, the site they are still at. */
  assignedSiteId: string | null;
  /** The contact's placement in the quarantine plan (`completed`: quarantine over by the as-of instant). */
  placement: ContactPlacement;
  lastExposure: string;
  releaseOn: string | null;
  homeMonitoringUntil: string | null;
  pcrDates: string[];
  [TIERS_BY_SOURCE]?: () => ReadonlyMap<string, ContactTier>;
}

export interface SourceReport {
  id: string;
  kind: SourceKind;
  score: number;
  chainIds: string[];
  reasons: string[];
}

export interface RiskAreaReport {
  placeId: string;
  level: RiskLevel;
  /** Date of the last infection linked to the area. */
  lastInfection: string;
  /** When the area may be lowered one level (null once low). */
  liftOn: string | null;
  /** When it was lowered to low, its risk lifted (null while high or medium). */
  liftedOn: string | null;
  /**
   * The cases that made it a risk area (sorted): whose residence it is (a village or community
   * near the case's home, or the home itself), or who stayed there in their infectious window.
   */
  caseIds: string[];
  reason: string;
}

export interface ClusterReport {
  id: string;
  kind: 'case_component' | 'exposure_community';
  memberIds: string[];
  size: number;
  caseCount: number;
  /** Members who are contacts (persons of `contacts`, any tier). */
  contactCount: number;
}

export interface SpreaderReport {
  personId: string;
  offspring: number;
  betweenness: number;
  pagerank: number;
}

export interface QuarantineSiteReport {
  id: string;
  capacity: number;
  /** Beds taken at the as-of instant by persons already staying at the site. */
  occupied: number;
  /** Beds assigned by this plan to persons not yet at the site (each day, until a stay there is imported). */
  assigned: number;
  /**
   * Beds among `occupied` held by contacts whose quarantine had ended by the as-of instant: free
   * once they leave (occupants who are not contacts are not counted).
   */
  dueForRelease: number;
}

export interface EntityLabel {
  kind: 'person' | 'place' | 'boat' | 'item';
  name: string | null;
  /** Place kind, boat registration, lot product: what a reader needs to recognise it. */
  detail: string | null;
  /** Personal data, only for persons: masked by role before rendering where a role applies. */
  phone?: string | null;
  age?: number | null;
  sex?: string | null;
  homeId?: string | null;
}

/** Where a contact stood in the quarantine plan: the placement and, if any, the site. */
export interface PlacementAt {
  placement: ContactPlacement;
  siteId: string | null;
}

export interface ReportChanges {
  /** The earlier instant compared with (ISO 8601, +08:00). */
  since: string;
  /** The summary's counts as they were then (the report's `summary` gives them now). */
  summaryThen: ReportSummary;
  /** Cases not cases then, with the tier they had as contacts then (null: not a contact). */
  newCases: { personId: string; classification: CaseClassification; tierThen: ContactTier | null }[];
  /** Cases whose classification changed (an asymptomatic case with an onset since is confirmed). */
  reclassifiedCases: { personId: string; from: CaseClassification; to: CaseClassification }[];
  /** Contacts not contacts then, with their tier and placement now. */
  newContacts: ({ personId: string; tier: ContactTier } & PlacementAt)[];
  /** Contacts then whose tier is another now. */
  tierChanges: { personId: string; from: ContactTier; to: ContactTier }[];
  /**
   * Contacts then who are contacts no more: `becameCase` when they are a case now; otherwise
   * their exposures were outside the window by now, or a record changed.
   */
  leftContacts: { personId: string; tierThen: ContactTier; becameCase: boolean }[];
  /** Contacts then and now whose placement or site changed (a bed given, a quarantine ended…). */
  placementChanges: { personId: string; from: PlacementAt; to: PlacementAt }[];
  /** Risk areas whose level changed; `from` null: not an area then, `to` null: not one now. */
  riskAreaChanges: { placeId: string; from: RiskLevel | null; to: RiskLevel | null }[];
}

/** The report's counts. */
export type ReportSummary = {
  cases: number;
  confirmed: number;
  asymptomatic: number;
  chains: number;
  activeChains: number;
  closeContacts: number;
  contactsOfCloseContacts: number;
  venueExposed: number;
  /**
   * Beds in all: the quarantine sites' capacity, or the cap on beds the analysis was given
   * (`--capacity`) if that is fewer; beds already taken count among them.
   */
  quarantineBeds: number;
  /** Beds assigned by the quarantine plan to persons not yet at the site (each day, until a stay there is imported). */
  assignedBeds: number;
  /** Beds already taken at the as-of instant. */
  occupiedBeds: number;
  /**
   * Of those, the beds held by contacts whose quarantine had ended by then: free once they leave
   * (the sites' `dueForRelease`).
   */
  dueForReleaseBeds: number;
  highRiskAreas: number;
  mediumRiskAreas: number;
};

export interface AnalysisReport {
  asOf: string;
  /**
   * The presets the analysis ran with, and where it departed from them (`path=value`, e.g.
   * `protocol.preOnsetDays=4`; empty when it ran with the presets as they are).
   */
  parameters: { protocol: string; pathogen: string; changed: string[] };
  summary: ReportSummary;
  /** What changed since an earlier instant, when one was asked for (`report --since`). */
  changes?: ReportChanges;
  epiCurve: { date: string; confirmed: number; asymptomatic: number; byOnset: number }[];
  rByGeneration: { generation: number; cases: number; meanOffspring: number }[];
  cases: CaseReport[];
  chains: ChainReport[];
  contacts: ContactReport[];
  sources: SourceReport[];
  riskAreas: RiskAreaReport[];
  clusters: ClusterReport[];
  superspreaders: SpreaderReport[];
  quarantineSites: QuarantineSiteReport[];
  /** Names and details of everything the report mentions, by id. */
  entities: Record<string, EntityLabel>;
}

/**
 * The report with its contacts built one at a time as they are read (each read builds them
 * afresh), for writers that stream: at a million persons the contacts alone would be gigabytes
 * as one array of objects. Everything else is complete from the start; `entities` is complete
 * whenever it is read (an accessor: built in full by the first read, unless the contacts were
 * read in full before it, which named their part as they were built).
 */
export interface LazyAnalysisReport extends Omit<AnalysisReport, 'contacts'> {
  contacts: Iterable<ContactReport>;
}
