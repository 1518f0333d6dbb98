/**
 * Loading the outbreak neighbourhood: everything analysis needs, and only that, pulled through
 * the store port (never an adapter) as of an instant.
 *
 * In order: the cases known by `asOf` and their samples, hence their infectious windows; their
 * stays in those windows and everybody else's stays at those hosts at those times; lots, boats
 * and places with a positive environmental sample, with the handlings and stays around them
 * (`environmentalPersistenceDays`); reported contacts of cases; household members of cases with
 * their stays (for the nights at home). A first pass of the exposures then names the exposed
 * persons, whose reported contacts since their first exposure are fetched too, and whose
 * households: resident by resident where a result reads them (close contacts' homes, and those of
 * anyone in a reported contact), counted in the store elsewhere (`householdSizes`: a venue-exposed
 * person's household is read only for its size). Not their samples: only cases' samples and
 * environmental ones are read by any result. A case that was itself a close contact (a close-contact
 * exposure before its window) has its reported contacts from that exposure to its window fetched
 * too, and those and the others living with it are traced as close contacts from then (upgraded,
 * src/analysis/tiers.ts).
 * Stays since the first exposure are fetched only where a result reads them: close contacts and
 * those living with them (contacts of close contacts, when the protocol traces
 * them) and cases living with an exposed person (backward tracing), not the venue-exposed, whom
 * one market visit makes a large share of a district; and of those who are not cases, only their
 * stays away from home that reach into a night (the store leaves the rest out, see
 * `staysAwayAtNight`). Then the persons, places, boats and lots
 * referenced, the quarantine sites and the villages/communities (for risk areas). Nothing
 * recorded after `asOf` is kept: stays and contacts are cut at `asOf`, later samples, cases and
 * handlings dropped. Id lists go to the store in batches, the next asked for while one is read.
 *
 * At 100,000 persons (bench district, 207 cases, 2 December 2026) this loads 227,972 of the
 * 2,069,959 stays (945,973 when every stay since exposure of close contacts and their households
 * was read, 1,600,664 when every exposed person's was). The report is byte-for-byte the same.
 * Samples: 1,075 at 100,000 (764,208 when the exposed persons' were fetched), 127 at 10,000
 * (74,599).
 *
 * The rows gathered before the first pass are cut, deduplicated and sorted once, for it; the
 * rows fetched after it are sorted on their own and merged in, so the bulk is never sorted twice.
 */
import { compareCodeUnits } from '../domain/code-units';
import { groupBy } from '../domain/group-by';
import type { Parameters } from '../domain/parameters';
import { DAY } from '../domain/time';
import {
  QUARANTINE_SITE_KIND,
  type Boat,
  type Case,
  type ColdChainItem,
  type Contact,
  type Handling,
  type Id,
  type Instant,
  type Person,
  type Place,
  type Sample,
  type Stay,
} from '../domain/types';
import type { NightHours, TraceStore, WindowedId } from '../store/port';
import { computeExposures, contaminationSpans, householdNights, unionSpans, type Span } from './exposures';
import { infectionTimesOfCases, type CaseInfectionTimes } from './infection-time';
import { isolationStaysOfCases, samplesOfCases, windowsOfCases, type CaseSamples } from './infectious-window';
import type { CasesAndSamples, Exposure, OutbreakData } from './model';
import { backwardTracingSpan } from './sources';
import { tierOfExposure, upgradeSpan } from './tiers';

export interface LoadOptions {
  /** Ids (or windows) per store call. */
  batchSize: number;
  /** Place kinds loaded in full for risk areas (a home belongs to the nearest one). */
  residentialKinds: string[];
  /** The nights of a household, as the analysis counts them (src/analysis/exposures.ts); by
   *  default the protocol's. */
  nights?: NightHours;
  /**
   * Told the load's exposures as soon as they are known, halfway through the load: with the cases,
   * their samples and the instant, which nothing fetched after changes (the rest of the data is
   * not complete yet), and the cases' windows and infection times. The analysis starts inferring
   * the infectors from them there, in a worker beside the rest of the load
   * (src/analysis/analyse.ts).
   */
  onExposures?: (known: ExposuresKnown) => void;
}

/** What `onExposures` is told: the load's exposures, final, and what of the data already is. */
export interface ExposuresKnown {
  exposures: Exposure[];
  data: CasesAndSamples;
}

export const DEFAULTS: LoadOptions = {
  batchSize: 2000,
  residentialKinds: ['village', 'community'],
};

/** Appends one by one: `push(...items)` overflows the call stack past ~100k items. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/**
 * Calls `fetch` on consecutive slices of `items` and concatenates, in order. The next slice is
 * asked for before the rows of the current one are taken in: a server store (Neo4j) then runs
 * one query while the rows of the one before are read here. (More reads at once were slower
 * when tried: on two cores the server and this process compete for them.)
 */
async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fetch: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  let next: Promise<R[]> | null = items.length > 0 ? fetch(items.slice(0, size)) : null;
  for (let i = 0; next !== null; i += size) {
    const current: Promise<R[]> = next;
    next = i + size < items.length ? fetch(items.slice(i + size, i + 2 * size)) : null;
    try {
      append(out, await current);
    } catch (err) {
      // The slice asked for ahead is not waited for: its failure, if any, is not a second error.
      next?.catch(() => undefined);
      throw err;
    }
  }
  return out;
}

/** One window per id: the union of its spans, each as its own WindowedId. */
function windowsOf(spansById: Map<Id, Span[]>): WindowedId[] {
  const out: WindowedId[] = [];
  for (const [id, spans] of [...spansById].sort(([a], [b]) => a.localeCompare(b))) {
    for (const s of unionSpans(spans)) out.push({ id, from: s.start, to: s.end });
  }
  return out;
}

function addSpan(map: Map<Id, Span[]>, id: Id, span: Span): void {
  const list = map.get(id);
  if (list) list.push(span);
  else map.set(id, [span]);
}

// Ids in code-unit order, as `<` compares them (not the locale's).
/** A subject's stays among themselves: by host, then time. */
const hostThenTime = (a: Stay, b: Stay): number =>
  compareCodeUnits(a.hostId, b.hostId) || a.start - b.start || a.end - b.end;
const stayOrder = (a: Stay, b: Stay): number =>
  compareCodeUnits(a.subjectId, b.subjectId) || hostThenTime(a, b);
const contactOrder = (a: Contact, b: Contact): number =>
  compareCodeUnits(a.personA, b.personA) ||
  compareCodeUnits(a.personB, b.personB) ||
  a.start - b.start ||
  a.end - b.end ||
  compareCodeUnits(a.setting, b.setting);
const handlingOrder = (a: Handling, b: Handling): number =>
  compareCodeUnits(a.personId, b.personId) || compareCodeUnits(a.itemId, b.itemId) || a.at - b.at;
const sampleOrder = (a: Sample, b: Sample): number =>
  compareCodeUnits(a.subjectId, b.subjectId) ||
  a.sampledAt - b.sampledAt ||
  compareCodeUnits(a.method, b.method);

/**
 * Rows already sorted by `order`, one per key (`order` returns 0 for rows of the same key), the
 * last one of each key kept. Compares fields in place: no key string is built per row, which at a
 * million stays cost more than the sort.
 */
function uniqueOfSorted<T>(rows: readonly T[], order: (a: T, b: T) => number): T[] {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const next = rows[i + 1];
    if (next === undefined || order(row, next) !== 0) out.push(row);
  }
  return out;
}

/** Rows sorted by `order`, one per key, the last one fetched kept. */
function uniqueSorted<T>(rows: T[], order: (a: T, b: T) => number): T[] {
  // Array.prototype.sort is stable, so among rows of one key the last fetched comes last.
  return uniqueOfSorted(rows.sort(order), order);
}

/**
 * The stays in `stayOrder`, ties in the order given, exactly as the stable `rows.sort(stayOrder)`
 * leaves them; but grouped by subject first (one map lookup a stay) and each subject's few dozen
 * stays sorted on their own. Sorting a million stays at once took some twenty string comparisons
 * a stay, most of them between subjects.
 */
export function sortStays(rows: readonly Stay[]): Stay[] {
  const bySubject = new Map<Id, Stay[]>();
  for (const s of rows) {
    const list = bySubject.get(s.subjectId);
    if (list) list.push(s);
    else bySubject.set(s.subjectId, [s]);
  }
  const out: Stay[] = [];
  for (const subject of [...bySubject.keys()].sort(compareCodeUnits)) {
    for (const s of bySubject.get(subject)!.sort(hostThenTime)) out.push(s);
  }
  return out;
}

/** The stays, sorted and one per key, the last one fetched kept. */
const uniqueStays = (rows: readonly Stay[]): Stay[] => uniqueOfSorted(sortStays(rows), stayOrder);

/** A case is known at `asOf` once confirmed, or, with no confirmation on record, once it had onset. */
function knownBy(c: Case, asOf: Instant): boolean {
  const known = c.confirmedAt ?? c.onset;
  return known !== null && known <= asOf;
}

/**
 * A case as it stood at `asOf`: one confirmed by then whose symptoms began later had none yet,
 * and was an asymptomatic infection (the store keeps a case's last classification and onset).
 */
function asKnownAt(c: Case, asOf: Instant): Case {
  if (c.onset === null || c.onset <= asOf) return c;
  return { ...c, onset: null, classification: 'asymptomatic' };
}

/** Rows fetched, before they are cut at `asOf`, deduplicated and sorted. */
interface Rows {
  stays: Stay[];
  contacts: Contact[];
  handlings: Handling[];
  samples: Sample[];
}

const noRows = (): Rows => ({ stays: [], contacts: [], handlings: [], samples: [] });

interface Entities {
  persons: Map<Id, Person>;
  places: Map<Id, Place>;
  boats: Map<Id, Boat>;
  items: Map<Id, ColdChainItem>;
}

/** A stay or contact running past `asOf` ends there (a copy; the row fetched is left alone). */
function cutAt<T extends { end: Instant }>(row: T, asOf: Instant): T {
  return row.end > asOf ? { ...row, end: asOf } : row;
}

/** Rows begun by `asOf`, cut there; one loop, no intermediate array. */
function cutRows<T extends { start: Instant; end: Instant }>(rows: readonly T[], asOf: Instant): T[] {
  const out: T[] = [];
  for (const row of rows) if (row.start <= asOf) out.push(cutAt(row, asOf));
  return out;
}

/**
 * Two sorted lists, each one row per key, merged in `order`, one row per key: among rows of one key
 * the one of `fresh` (fetched later) is kept, as `uniqueSorted` of the two lists concatenated
 * would; but neither is sorted again.
 */
function mergeUnique<T>(sorted: readonly T[], fresh: readonly T[], order: (a: T, b: T) => number): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length && j < fresh.length) {
    const c = order(sorted[i]!, fresh[j]!);
    if (c < 0) out.push(sorted[i++]!);
    else if (c > 0) out.push(fresh[j++]!);
    else {
      out.push(fresh[j++]!);
      i++;
    }
  }
  while (i < sorted.length) out.push(sorted[i++]!);
  while (j < fresh.length) out.push(fresh[j++]!);
  return out;
}

const byId = <T extends { id: Id }>(a: T, b: T): number => a.id.localeCompare(b.id);

function sortedMap<T extends { id: Id }>(map: Map<Id, T>): Map<Id, T> {
  const out = new Map<Id, T>();
  for (const v of [...map.values()].sort(byId)) out.set(v.id, v);
  return out;
}

/**
 * The data gathered so far, cut at `asOf`, without duplicates, in a stable order. Rows of an
 * earlier assembly (`before`, already cut, unique and sorted) are merged with the rows fetched
 * since, rather than sorted again.
 */
function assemble(
  asOf: Instant,
  cases: Case[],
  rows: Rows,
  entities: Entities,
  before: OutbreakData | null = null,
): OutbreakData {
  const sortedPlaces = sortedMap(entities.places);
  /** Rows fetched since, already sorted and one per key, merged into the earlier assembly's. */
  const merged = <T>(earlier: readonly T[] | undefined, fresh: T[], order: (a: T, b: T) => number): T[] =>
    earlier ? mergeUnique(earlier, fresh, order) : fresh;
  return {
    asOf,
    cases,
    samples: merged(
      before?.samples,
      uniqueSorted(
        rows.samples.filter((s) => s.sampledAt <= asOf),
        sampleOrder,
      ),
      sampleOrder,
    ),
    stays: merged(before?.stays, uniqueStays(cutRows(rows.stays, asOf)), stayOrder),
    contacts: merged(
      before?.contacts,
      uniqueSorted(cutRows(rows.contacts, asOf), contactOrder),
      contactOrder,
    ),
    handlings: merged(
      before?.handlings,
      uniqueSorted(
        rows.handlings.filter((h) => h.at <= asOf),
        handlingOrder,
      ),
      handlingOrder,
    ),
    persons: sortedMap(entities.persons),
    places: sortedPlaces,
    boats: sortedMap(entities.boats),
    items: sortedMap(entities.items),
    quarantineSites: [...sortedPlaces.values()].filter((p) => p.kind === QUARANTINE_SITE_KIND),
  };
}

/**
 * Where backward tracing (src/analysis/sources.ts) starts looking for each case, from the case's
 * own samples and its infection time (the one the inference reads, src/analysis/infector.ts).
 */
function backwardTracingFrom(
  cases: readonly Case[],
  own: CaseSamples,
  infectionTimes: CaseInfectionTimes,
  params: Parameters,
  asOf: Instant,
): Map<Id, Instant> {
  const from = new Map<Id, Instant>();
  for (const c of cases) {
    let firstPositive: Instant | undefined;
    for (const s of own.get(c.personId)!)
      if (s.result === 'positive' && s.sampledAt <= asOf)
        firstPositive = Math.min(firstPositive ?? Infinity, s.sampledAt);
    const lower = infectionTimes.get(c.personId)!.lower;
    const span = backwardTracingSpan(c, firstPositive, lower, params.protocol.backwardTracingDays);
    if (span !== null) from.set(c.personId, span.from);
  }
  return from;
}

/** Everything the analysis needs, as of `asOf`, from the store. */
export async function loadOutbreak(
  store: TraceStore,
  params: Parameters,
  asOf: Instant,
  options: Partial<LoadOptions> = {},
): Promise<OutbreakData> {
  return (await loadOutbreakWithExposures(store, params, asOf, options)).data;
}

/** The data loaded, and its exposures and its cases' infection times under the load's parameters. */
export interface LoadedOutbreak {
  data: OutbreakData;
  /** `computeExposures(data, params)`, with the `params` of the load. */
  exposures: Exposure[];
  /** `infectionTimesOfCases(data.cases, data.samples, params, asOf)`: where backward tracing
   *  starts, worked out from the cases' samples before anything else is fetched. */
  infectionTimes: CaseInfectionTimes;
}

/**
 * `loadOutbreak`, with the exposures of the data it returns. The load works them out to find the
 * exposed persons, and what it fetches after that adds none and changes none, so the analysis
 * need not work them out again (at a million persons, 6.7M exposures in 15 s):
 * - the exposed persons' reported contacts since exposure: any with a case in its window was
 *   fetched with the case's own;
 * - stays since exposure: any at a host while a case was there or the host was contaminated was
 *   fetched with everybody's at that host, and the nights of a case's household with the stays of
 *   those living there over the case's window and a day either side;
 * - the persons, places, boats and lots these name, and the quarantine sites' stays (kept apart).
 * test/analysis/load.test.ts checks the equality on several districts and instants.
 */
export async function loadOutbreakWithExposures(
  store: TraceStore,
  params: Parameters,
  asOf: Instant,
  options: Partial<LoadOptions> = {},
): Promise<LoadedOutbreak> {
  if (!Number.isFinite(asOf))
    throw new TypeError(`load: argument "asOf" is not an instant (got ${String(asOf)})`);
  const { batchSize, residentialKinds, onExposures } = { ...DEFAULTS, ...options };
  const nights = options.nights ?? householdNights(params.protocol);
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new RangeError(`load: option "batchSize" must be a whole number above 0 (got ${batchSize})`);
  const batched = <T, R>(items: readonly T[], fetch: (batch: T[]) => Promise<R[]>): Promise<R[]> =>
    inBatches(items, batchSize, fetch);

  // Rows fetched before the first pass of the exposures, and after it.
  const early = noRows();
  const later = noRows();
  const entities: Entities = { persons: new Map(), places: new Map(), boats: new Map(), items: new Map() };
  const { persons, places, boats, items } = entities;
  const kindKnown = new Set<Id>();

  /** The ids not resolved before, sorted, marked resolved from now on. */
  const freshIds = (ids: Iterable<Id>): Id[] => {
    // Marked known as they are taken, so an id given twice is taken once, without another set.
    const fresh: Id[] = [];
    for (const id of ids) {
      if (kindKnown.has(id)) continue;
      kindKnown.add(id);
      fresh.push(id);
    }
    return fresh.sort();
  };
  /** Looks up what each new id names and fetches the entity. */
  const resolve = async (ids: Iterable<Id>): Promise<void> => {
    const fresh = freshIds(ids);
    if (fresh.length === 0) return;
    // Most are persons (at a million persons, 506,916 of 524,254, the homes aside): each id is
    // looked up as a person first, and only the kind of the others is asked for, a read fewer for
    // most.
    const asPersons = await batched(fresh, (b) => store.persons(b));
    const others: Id[] = [];
    fresh.forEach((id, i) => {
      const person = asPersons[i];
      if (person) persons.set(person.id, person);
      else others.push(id);
    });
    if (others.length === 0) return;
    const kinds = await batched(others, (b) => store.entityKinds(b));
    const byKind = { place: [] as Id[], boat: [] as Id[], item: [] as Id[] };
    others.forEach((id, i) => {
      const kind = kinds[i];
      if (kind && kind !== 'person') byKind[kind].push(id);
    });
    for (const p of await batched(byKind.place, (b) => store.places(b))) if (p) places.set(p.id, p);
    for (const b of await batched(byKind.boat, (ids) => store.boats(ids))) if (b) boats.set(b.id, b);
    for (const i of await batched(byKind.item, (b) => store.items(b))) if (i) items.set(i.id, i);
  };
  /**
   * Fetches the places of these ids not resolved before: ids that can only name places (persons'
   * homes), read as places at once rather than first as persons, then for their kind.
   */
  const resolvePlaces = async (ids: Iterable<Id>): Promise<void> => {
    for (const p of await batched(freshIds(ids), (b) => store.places(b))) if (p) places.set(p.id, p);
  };
  const addPersons = (list: readonly Person[]): void => {
    for (const p of list) {
      persons.set(p.id, p);
      kindKnown.add(p.id);
    }
  };
  /**
   * One string per subject or host of the stays fetched: each row comes with its own copies of
   * its ids, and a million stays name a few hundred thousand.
   */
  const stayIds = new Map<Id, Id>();
  /** The stays' ids met since `referencedIds` last took them, each once. */
  let newStayIds: Id[] = [];
  const sharedId = (id: Id): Id => {
    const known = stayIds.get(id);
    if (known !== undefined) return known;
    stayIds.set(id, id);
    newStayIds.push(id);
    return id;
  };
  const fetchStays = async <W extends WindowedId>(
    windows: readonly W[],
    read: (batch: W[]) => Promise<Stay[]>,
  ): Promise<Stay[]> => {
    const stays = await batched(windows, read);
    // Rows come host by host or subject by subject: an id equal to the last row's takes its copy
    // without a look-up.
    let lastSubject = '';
    let sharedSubject = '';
    let lastHost = '';
    let sharedHost = '';
    for (const s of stays) {
      if (s.subjectId !== lastSubject) sharedSubject = sharedId((lastSubject = s.subjectId));
      if (s.hostId !== lastHost) sharedHost = sharedId((lastHost = s.hostId));
      s.subjectId = sharedSubject;
      s.hostId = sharedHost;
    }
    return stays;
  };
  /**
   * Every id these rows and the stays fetched since the last call name, each once (a loop: no
   * arrays per row). The stays' ids of earlier calls are not walked again (at a million persons
   * about half a million, resolved already); other ids of an earlier call may come again, and
   * `resolve` skips them.
   */
  const referencedIds = (rows: Rows): Set<Id> => {
    const ids = new Set<Id>(newStayIds);
    newStayIds = [];
    for (const c of rows.contacts) ids.add(c.personA).add(c.personB);
    for (const h of rows.handlings) ids.add(h.personId).add(h.itemId);
    for (const s of rows.samples) ids.add(s.subjectId);
    return ids;
  };
  /** Resolves what the rows name, then the homes of every person so far (places, by the schema). */
  const resolveReferences = async (rows: Rows): Promise<void> => {
    await resolve(referencedIds(rows));
    const homes = new Set<Id>();
    for (const p of persons.values()) if (p.homeId !== null) homes.add(p.homeId);
    await resolvePlaces(homes);
  };

  // ---- cases, their samples and windows ------------------------------------------------------
  const cases = (await store.listCases(asOf))
    .filter((c) => knownBy(c, asOf))
    .map((c) => asKnownAt(c, asOf))
    .sort((a, b) => a.personId.localeCompare(b.personId));
  const caseIds = cases.map((c) => c.personId);
  append(early.samples, await batched(caseIds, (b) => store.samplesOf(b, asOf)));
  // Grouped once: the windows, the infection times and backward tracing read them.
  const ownSamples = samplesOfCases(cases, early.samples);
  const windows = windowsOfCases(cases, ownSamples, params, asOf);
  const caseWindows: WindowedId[] = cases.map((c) => ({
    id: c.personId,
    from: windows.get(c.personId)!.from,
    to: windows.get(c.personId)!.to,
  }));
  // The nights at home around a window reach up to a day beyond it.
  const widened = (w: WindowedId): WindowedId => ({
    id: w.id,
    from: w.from - DAY,
    to: Math.min(w.to + DAY, asOf),
  });
  addPersons((await batched(caseIds, (b) => store.persons(b))).filter((p): p is Person => p !== null));

  // ---- where the cases were, and who else was there --------------------------------------------
  // A case's own stays from as far back as backward tracing looks (src/analysis/sources.ts: 6
  // days before onset, or since the likely infection), not only from a day before its window
  // (3 days before onset): the places it visited before are candidate sources. Cases are few; the
  // exposed persons' stays are fetched as before.
  const infectionTimes = infectionTimesOfCases(cases, ownSamples, params, asOf);
  const tracedFrom = backwardTracingFrom(cases, ownSamples, infectionTimes, params, asOf);
  const caseStays = await fetchStays(
    caseWindows.map((w) => {
      const around = widened(w);
      return { ...around, from: Math.min(around.from, tracedFrom.get(w.id) ?? Infinity) };
    }),
    (b) => store.staysOfSubjects(b),
  );
  append(early.stays, caseStays);
  const hostSpans = new Map<Id, Span[]>();
  for (const s of caseStays) {
    const w = windows.get(s.subjectId);
    if (!w) continue;
    const from = Math.max(s.start, w.from);
    const to = Math.min(s.end, w.to);
    if (to >= from) addSpan(hostSpans, s.hostId, { start: from, end: to });
  }

  // ---- contaminated lots, boats and places -----------------------------------------------------
  const environmental = await store.positiveEnvironmentalSamples(asOf);
  append(early.samples, environmental);
  await resolve(environmental.map((s) => s.subjectId));
  const contaminated = contaminationSpans(
    {
      asOf,
      cases: [],
      samples: environmental,
      stays: [],
      contacts: [],
      handlings: [],
      persons,
      places,
      boats,
      items,
      quarantineSites: [],
    },
    params,
  );
  const lotSpans = new Map<Id, Span[]>();
  for (const [id, spans] of contaminated) {
    for (const span of spans) addSpan(items.has(id) ? lotSpans : hostSpans, id, span);
  }
  append(early.stays, await fetchStays(windowsOf(hostSpans), (b) => store.staysAtHosts(b)));
  append(early.handlings, await batched(windowsOf(lotSpans), (b) => store.handlingsOf(b)));

  // ---- reported contacts and households of cases -----------------------------------------------
  append(early.contacts, await batched(caseWindows, (b) => store.contactsOf(b)));
  const caseHomeSet = new Set(cases.flatMap((c) => persons.get(c.personId)?.homeId ?? []));
  const caseHomes = [...caseHomeSet].sort();
  const caseResidents = await batched(caseHomes, (b) => store.residentsOf(b));
  addPersons(caseResidents);
  const residentsByHome = groupBy(caseResidents, (p) => p.homeId ?? '');
  const memberWindows: WindowedId[] = [];
  for (const w of caseWindows) {
    const homeId = persons.get(w.id)?.homeId;
    if (!homeId) continue;
    for (const r of residentsByHome.get(homeId) ?? [])
      if (r.id !== w.id) memberWindows.push({ ...widened(w), id: r.id });
  }
  append(early.stays, await fetchStays(memberWindows, (b) => store.staysOfSubjects(b)));
  await resolveReferences(early);

  // ---- the exposed persons: their households, contacts and stays since exposure ----------------
  const draft = assemble(asOf, cases, early, entities);
  // The windows now that the cases' stays at isolation places are known (those above, for what
  // to fetch, are the samples' alone): the exposures' and the early inference's.
  const draftWindows = windowsOfCases(
    cases,
    draft.samples,
    params,
    asOf,
    isolationStaysOfCases(draft, params.protocol),
  );
  // Already the exposures of all that is loaded (see `loadOutbreakWithExposures`).
  const exposures = computeExposures(draft, params, nights, draftWindows);
  // Nothing fetched from here on adds a case or a sample (the assembly below keeps the draft's).
  onExposures?.({
    exposures,
    data: { cases: draft.cases, samples: draft.samples, asOf, windows: draftWindows, infectionTimes },
  });
  // One pass: each exposed person's first exposure, and who among them is a close contact.
  const traceCloseContacts = params.protocol.traceContactsOfCloseContacts;
  const firstExposure = new Map<Id, Instant>();
  const closelyExposed = new Set<Id>();
  /** Cases' first close-contact exposure (close contacts who turned positive, src/analysis/tiers.ts). */
  const caseFirstClose = new Map<Id, Instant>();
  // The exposures come a person at a time (sorted by person): the maps are read and written once
  // per run of one person's exposures, not once per exposure (6.7 million at a million persons).
  // Any order gives the same result; runs only make it cheaper.
  let runId: Id | undefined;
  let runIsCase = false;
  let runFirst: Instant | undefined;
  let runIsClose = false;
  const endRun = (): void => {
    if (runId === undefined || runIsCase) return;
    const first = firstExposure.get(runId);
    if (first === undefined || runFirst! < first) firstExposure.set(runId, runFirst!);
    if (runIsClose) closelyExposed.add(runId);
  };
  for (const e of exposures) {
    if (e.personId !== runId) {
      endRun();
      runId = e.personId;
      runIsCase = windows.has(runId);
      runFirst = undefined;
      runIsClose = false;
    }
    if (runIsCase) {
      // Cases' exposures are few: looked at one by one.
      if (traceCloseContacts && tierOfExposure(e, params.protocol) === 'close_contact') {
        const first = caseFirstClose.get(runId);
        if (first === undefined || e.start < first) caseFirstClose.set(runId, e.start);
      }
      continue;
    }
    if (runFirst === undefined || e.start < runFirst) runFirst = e.start;
    if (!runIsClose && tierOfExposure(e, params.protocol) === 'close_contact') runIsClose = true;
  }
  endRun();
  // Close contacts who turned positive, from their first close-contact exposure to the opening of
  // their window: their reported contacts then are fetched, and those and the others living with
  // them are close contacts (upgraded) and traced as such: as exposed close contacts from the
  // start of that span (or of the contact), for their contacts, households and nights.
  const upgradeSpans: WindowedId[] = [];
  for (const [id, first] of caseFirstClose) {
    const span = upgradeSpan(first, windows.get(id), asOf);
    if (span) upgradeSpans.push({ id, from: span.first, to: span.until });
  }
  upgradeSpans.sort((a, b) => compareCodeUnits(a.id, b.id));
  const upgradeContacts = await batched(upgradeSpans, (b) => store.contactsOf(b));
  append(later.contacts, upgradeContacts);
  const upgraded = (id: Id, since: Instant): void => {
    if (windows.has(id)) return;
    const first = firstExposure.get(id);
    if (first === undefined || since < first) firstExposure.set(id, since);
    closelyExposed.add(id);
  };
  const spanOf = new Map(upgradeSpans.map((w) => [w.id, w]));
  for (const c of upgradeContacts) {
    for (const [a, b] of [
      [c.personA, c.personB],
      [c.personB, c.personA],
    ] as const) {
      const span = spanOf.get(a);
      if (span && b !== a) upgraded(b, Math.min(Math.max(c.start, span.from), span.to));
    }
  }
  for (const w of upgradeSpans) {
    const homeId = persons.get(w.id)?.homeId;
    for (const r of homeId ? (residentsByHome.get(homeId) ?? []) : []) upgraded(r.id, w.from);
  }
  // Close contacts are traced further only when the protocol says so.
  const closeContacts = traceCloseContacts ? closelyExposed : new Set<Id>();
  const exposedIds = [...firstExposure.keys()].sort();
  await resolve(exposedIds);
  // The exposed persons' own samples are not fetched: only cases' samples are read (windows,
  // infection times, timelines, backward tracing), and environmental ones for contamination.
  const sinceExposure: WindowedId[] = exposedIds.map((id) => ({
    id,
    from: firstExposure.get(id)!,
    to: asOf,
  }));
  append(later.contacts, await batched(sinceExposure, (b) => store.contactsOf(b)));
  // The residents of an exposed person's home, one by one, where a result reads them: the homes of
  // close contacts (contacts of close contacts, the contact network's household links) and of
  // anyone in a reported contact (a link of the contact network, whose home's residents are linked
  // too). Of the other homes, those of the venue-exposed, only the household's size is read
  // (quarantine priority): counted in the store. At a million persons that leaves 252,520
  // residents of 861,408 persons unread. The persons of the contacts just fetched are resolved
  // here, for their homes, rather than with the rest below: the same reads.
  await resolve(later.contacts.flatMap((c) => [c.personA, c.personB]));
  const linkedHomes = new Set<Id>();
  const addHomeOf = (id: Id): void => {
    const homeId = persons.get(id)?.homeId;
    if (homeId) linkedHomes.add(homeId);
  };
  for (const id of closelyExposed) addHomeOf(id);
  for (const contacts of [early.contacts, later.contacts]) {
    for (const c of contacts) {
      addHomeOf(c.personA);
      addHomeOf(c.personB);
    }
  }
  const exposedHomes = [...new Set(exposedIds.flatMap((id) => persons.get(id)?.homeId ?? []))]
    .filter((h) => !caseHomeSet.has(h))
    .sort();
  const exposedResidents = await batched(
    exposedHomes.filter((h) => linkedHomes.has(h)),
    (b) => store.residentsOf(b),
  );
  const householdSizes = new Map<Id, number>();
  for (const { homeId, residents } of await batched(
    exposedHomes.filter((h) => !linkedHomes.has(h)),
    (b) => store.residentCounts(b),
  ))
    householdSizes.set(homeId, residents);
  addPersons(exposedResidents);
  for (const r of exposedResidents) {
    const home = residentsByHome.get(r.homeId ?? '');
    if (home) home.push(r);
    else residentsByHome.set(r.homeId ?? '', [r]);
  }
  // Household members are followed from a day before the first exposure of anyone living there.
  const homeSince = new Map<Id, Instant>();
  for (const id of exposedIds) {
    const homeId = persons.get(id)?.homeId;
    if (!homeId) continue;
    const from = firstExposure.get(id)! - DAY;
    const since = homeSince.get(homeId);
    if (since === undefined || from < since) homeSince.set(homeId, from);
  }
  // Stays since exposure serve two things only: the nights a close contact spent at home with the
  // others living there (contacts of close contacts, src/analysis/tiers.ts) and a case's own
  // whereabouts before its window (backward tracing, src/analysis/sources.ts). The protocol traces
  // no contacts of venue-exposed persons, and one market visit exposes much of a district, so
  // their other stays are not fetched.
  const staysNeeded = new Set<Id>();
  for (const c of cases) {
    const homeId = persons.get(c.personId)?.homeId;
    if (homeId && homeSince.has(homeId)) staysNeeded.add(c.personId);
  }
  for (const id of closeContacts) {
    staysNeeded.add(id);
    const homeId = persons.get(id)?.homeId;
    for (const r of homeId ? (residentsByHome.get(homeId) ?? []) : []) staysNeeded.add(r.id);
  }
  /** From a day before one's own first exposure or that of anyone exposed living with one. */
  const householdSince = (id: Id): Instant => {
    const own = firstExposure.get(id);
    const homeId = persons.get(id)?.homeId;
    const home = homeId ? homeSince.get(homeId) : undefined;
    return Math.min(own === undefined ? Infinity : own - DAY, home ?? Infinity);
  };
  const householdWindows = [...staysNeeded]
    // In code-unit order, the order of the store's index: any order gives the same rows.
    .sort(compareCodeUnits)
    .map((id) => ({ id, from: householdSince(id), to: asOf, homeId: persons.get(id)?.homeId ?? null }));
  // Of a person who is not a case, no result reads a stay since exposure but its time away from
  // home at night: awayFromHome and nightsTogether (the nights of contacts of close contacts, and
  // of households of cases). Where they met a case or a contaminated host, the stays were fetched
  // above with everybody's at that host (exposures), and quarantine beds are read at the sites
  // themselves. So the store sends only those; a case's own stays are all read (timelines,
  // backward tracing, risk areas). At a million persons this leaves most of several million stays
  // in the store.
  append(
    later.stays,
    await fetchStays(
      householdWindows.filter((w) => windows.has(w.id)),
      (b) => store.staysOfSubjects(b),
    ),
  );
  append(
    later.stays,
    await fetchStays(
      householdWindows.filter((w) => !windows.has(w.id)),
      (b) => store.staysAwayAtNight(b, nights),
    ),
  );

  // ---- everything referenced, quarantine sites, villages -----------------------------------------
  await resolveReferences(later);
  for (const p of await store.placesOfKind([QUARANTINE_SITE_KIND, ...residentialKinds])) {
    places.set(p.id, p);
    kindKnown.add(p.id);
  }
  // Beds taken at asOf, for the quarantine plan (src/analysis/quarantine.ts).
  const siteWindows = [...places.values()]
    .filter((p) => p.kind === QUARANTINE_SITE_KIND)
    .map((p) => ({ id: p.id, from: asOf, to: asOf }));
  const quarantineStays = uniqueStays(await batched(siteWindows, (b) => store.staysAtHosts(b)));
  return {
    data: { ...assemble(asOf, cases, later, entities, draft), quarantineStays, householdSizes },
    exposures,
    infectionTimes,
  };
}
