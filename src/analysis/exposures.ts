/**
 * Exposures: who shared a host with an infectious source, when and for how long, following the
 * qualifying exposures of China's COVID-19 protocol, 9th edition (June 2022): living together,
 * same place or crew, reported contacts, and contaminated environments or objects.
 *
 * Sources are cases during their infectious window (src/analysis/infectious-window.ts) and lots,
 * boats and places with a positive environmental sample during `environmentalPersistenceDays`
 * around it. Co-presence at a place or aboard a boat is found by a sweep over the interval
 * endpoints of each host (sorted start/end events, an active set per role), so stays are never
 * compared pairwise. Households are together at night except while one of them stays elsewhere.
 * An exposed person is exposed only until their own isolation (if they are a case) and never
 * after `asOf`; a person is never exposed to themselves.
 */
import type { Parameters } from '../domain/parameters';
import { DAY, DEFAULT_UTC_OFFSET_MINUTES, HOUR, MINUTE, startOfDay } from '../domain/time';
import type { Id, Instant, Stay } from '../domain/types';
import { windowsOfCases, type InfectiousWindow } from './infectious-window';
import type { Exposure, ExposureSetting, OutbreakData } from './model';

export interface ExposureOptions {
  /** A household is together from this local hour... */
  nightStartHour: number;
  /** ...until this local hour the next morning. */
  nightEndHour: number;
  /** The local offset of the district, for the nights. */
  utcOffsetMinutes: number;
}

export const DEFAULTS: ExposureOptions = {
  nightStartHour: 22,
  nightEndHour: 7,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

export interface Span {
  start: Instant;
  end: Instant;
}

/** Sorted, disjoint union of spans (touching spans are joined). */
export function unionSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Spans cut to [from, to]; spans left with no length are dropped unless `keepInstants`. */
function clipSpans(spans: readonly Span[], from: Instant, to: Instant, keepInstants = false): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end > start || (keepInstants && end === start)) out.push({ start, end });
  }
  return out;
}

/** The nights (local nightStartHour to nightEndHour) that overlap [from, to], unclipped. */
export function nightsOverlapping(
  from: Instant,
  to: Instant,
  options: Partial<ExposureOptions> = {},
): Span[] {
  const { nightStartHour, nightEndHour, utcOffsetMinutes } = { ...DEFAULTS, ...options };
  const nights: Span[] = [];
  // The night that started the evening before `from`'s day may still be running at `from`.
  for (let day = startOfDay(from, utcOffsetMinutes) - DAY; day <= to; day += DAY) {
    const start = day + nightStartHour * HOUR;
    const end = day + DAY + nightEndHour * HOUR;
    if (end > from && start < to) nights.push({ start, end });
  }
  return nights;
}

/**
 * The span during which each lot, boat or place with a positive environmental sample is a
 * possible source: `environmentalPersistenceDays` either side of each positive sample, never
 * after `asOf`.
 */
export function contaminationSpans(data: OutbreakData, params: Parameters): Map<Id, Span[]> {
  const persistence = params.pathogen.environmentalPersistenceDays * DAY;
  const raw = new Map<Id, Span[]>();
  for (const s of data.samples) {
    if (s.result !== 'positive' || s.sampledAt > data.asOf) continue;
    if (!data.items.has(s.subjectId) && !data.boats.has(s.subjectId) && !data.places.has(s.subjectId))
      continue;
    const span = { start: s.sampledAt - persistence, end: Math.min(s.sampledAt + persistence, data.asOf) };
    const list = raw.get(s.subjectId);
    if (list) list.push(span);
    else raw.set(s.subjectId, [span]);
  }
  return new Map([...raw].map(([id, spans]) => [id, unionSpans(spans)]));
}

/** What kind of thing an id names, from the maps of the data (anything else is a person). */
function isPerson(data: OutbreakData, id: Id): boolean {
  return !data.places.has(id) && !data.boats.has(id) && !data.items.has(id);
}

interface Segment {
  personId: Id;
  sourceId: Id;
  sourceKind: Exposure['sourceKind'];
  setting: ExposureSetting;
  hostId: Id | null;
  placeKind: string | null;
  contactSetting: string | null;
  start: Instant;
  end: Instant;
  /** Household segments: the start of the night they belong to (a night may come in pieces). */
  night?: Instant;
}

export interface SweepInterval {
  role: 'source' | 'receptor';
  /** The case or environmental source (for sources), the person (for receptors). */
  id: Id;
  sourceKind: Exposure['sourceKind'];
  start: Instant;
  end: Instant;
}

/**
 * Sweep over one host's intervals: every overlap of positive length between a source interval and
 * a receptor interval of another person, each pair found once (by the later of the two to start).
 */
export function sweepOverlaps(
  intervals: readonly SweepInterval[],
  onOverlap: (source: SweepInterval, receptor: SweepInterval, start: Instant, end: Instant) => void,
): void {
  type Event = { at: Instant; isStart: boolean; interval: SweepInterval };
  const events: Event[] = [];
  for (const interval of intervals) {
    if (!(interval.end > interval.start)) continue; // an instant shares no time with anyone
    events.push(
      { at: interval.start, isStart: true, interval },
      { at: interval.end, isStart: false, interval },
    );
  }
  // Ends before starts at the same instant: intervals that only touch share no time.
  events.sort((a, b) => a.at - b.at || Number(a.isStart) - Number(b.isStart));
  const activeSources = new Set<SweepInterval>();
  const activeReceptors = new Set<SweepInterval>();
  for (const { isStart, interval } of events) {
    const own = interval.role === 'source' ? activeSources : activeReceptors;
    if (!isStart) {
      own.delete(interval);
      continue;
    }
    const others = interval.role === 'source' ? activeReceptors : activeSources;
    for (const other of others) {
      const [source, receptor] = interval.role === 'source' ? [interval, other] : [other, interval];
      if (source.id === receptor.id) continue;
      onOverlap(source, receptor, interval.start, Math.min(interval.end, other.end));
    }
    own.add(interval);
  }
}

/** Groups a list into a map of lists by key. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The stays of the given subjects, by subject, in the order of `stays`. Cheaper than grouping
 * every stay when only a few subjects' are looked at (a district's analysis holds about a
 * million stays, of which households and timelines need those of cases and close contacts).
 */
export function staysOfSubjects(stays: readonly Stay[], subjectIds: ReadonlySet<Id>): Map<Id, Stay[]> {
  const groups = new Map<Id, Stay[]>();
  for (const s of stays) {
    if (!subjectIds.has(s.subjectId)) continue;
    const list = groups.get(s.subjectId);
    if (list) list.push(s);
    else groups.set(s.subjectId, [s]);
  }
  return groups;
}

/** Until when each person can be exposed: their isolation if they are a case, else `asOf`. */
function exposureLimits(data: OutbreakData, windows: Map<Id, InfectiousWindow>): (personId: Id) => Instant {
  return (personId) => Math.min(windows.get(personId)?.to ?? data.asOf, data.asOf);
}

function placeAndBoatSegments(
  data: OutbreakData,
  windows: Map<Id, InfectiousWindow>,
  contaminated: Map<Id, Span[]>,
  limitOf: (personId: Id) => Instant,
  isolationPlaceKinds: readonly string[],
  out: Segment[],
): void {
  // People held apart at an isolation place (a quarantine hotel) do not expose each other there.
  const isolating = (hostId: Id): boolean =>
    isolationPlaceKinds.includes(data.places.get(hostId)?.kind ?? '');
  // Persons' stays by host, then by subject, in one pass (in the order the stays come).
  const byHost = new Map<Id, Map<Id, Stay[]>>();
  for (const s of data.stays) {
    if (!isPerson(data, s.subjectId) || isolating(s.hostId)) continue;
    let bySubject = byHost.get(s.hostId);
    if (!bySubject) byHost.set(s.hostId, (bySubject = new Map()));
    const own = bySubject.get(s.subjectId);
    if (own) own.push(s);
    else bySubject.set(s.subjectId, [s]);
  }
  for (const hostId of contaminated.keys()) {
    if (!data.items.has(hostId) && !byHost.has(hostId) && !isolating(hostId)) byHost.set(hostId, new Map());
  }
  for (const [hostId, bySubject] of byHost) {
    const isBoat = data.boats.has(hostId);
    const setting: ExposureSetting = isBoat ? 'boat' : 'place';
    const placeKind = isBoat ? null : (data.places.get(hostId)?.kind ?? null);
    const intervals: SweepInterval[] = [];
    for (const [subjectId, own] of bySubject) {
      const presence = unionSpans(own);
      for (const s of clipSpans(presence, -Infinity, limitOf(subjectId))) {
        intervals.push({ role: 'receptor', id: subjectId, sourceKind: 'case', ...s });
      }
      const window = windows.get(subjectId);
      if (window) {
        for (const s of clipSpans(presence, window.from, window.to)) {
          intervals.push({ role: 'source', id: subjectId, sourceKind: 'case', ...s });
        }
      }
    }
    for (const s of contaminated.get(hostId) ?? []) {
      intervals.push({ role: 'source', id: hostId, sourceKind: isBoat ? 'boat' : 'place', ...s });
    }
    sweepOverlaps(intervals, (source, receptor, start, end) => {
      out.push({
        personId: receptor.id,
        sourceId: source.id,
        sourceKind: source.sourceKind,
        setting,
        hostId,
        placeKind,
        contactSetting: null,
        start,
        end,
      });
    });
  }
}

/**
 * The time two residents of `homeId` spent together at home on the nights within [from, to]: each
 * night cut to the span, minus the parts of it either of them spent elsewhere (a fisher who leaves
 * at 04:00 still shared the night until 04:00). Pieces of one night share its `night` start.
 */
export function householdNights(
  a: Id,
  b: Id,
  homeId: Id,
  from: Instant,
  to: Instant,
  staysBySubject: ReadonlyMap<Id, readonly Stay[]>,
  options: Partial<ExposureOptions> = {},
): (Span & { night: Instant })[] {
  const away = unionSpans(
    [a, b].flatMap((personId) =>
      (staysBySubject.get(personId) ?? []).filter((s) => s.hostId !== homeId && s.end > s.start),
    ),
  );
  const together: (Span & { night: Instant })[] = [];
  for (const night of nightsOverlapping(from, to, options)) {
    const [span] = clipSpans([night], from, to);
    if (!span) continue;
    for (const piece of subtractSpans(span, away)) together.push({ ...piece, night: night.start });
  }
  return together;
}

/** The parts of `span` outside every one of `holes` (sorted and disjoint). */
function subtractSpans(span: Span, holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = span.start;
  for (const hole of holes) {
    if (hole.end <= cursor) continue;
    if (hole.start >= span.end) break;
    if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
    cursor = Math.max(cursor, hole.end);
  }
  if (cursor < span.end) out.push({ start: cursor, end: span.end });
  return out;
}

function householdSegments(
  data: OutbreakData,
  windows: Map<Id, InfectiousWindow>,
  limitOf: (personId: Id) => Instant,
  options: ExposureOptions,
  out: Segment[],
): void {
  const residents = groupBy(
    [...data.persons.values()].filter((p) => p.homeId !== null),
    (p) => p.homeId as Id,
  );
  // Only cases and those living with them spend nights together here.
  const householders = new Set<Id>();
  for (const c of data.cases) {
    householders.add(c.personId);
    const homeId = data.persons.get(c.personId)?.homeId ?? null;
    for (const member of homeId === null ? [] : (residents.get(homeId) ?? [])) householders.add(member.id);
  }
  const staysBySubject = staysOfSubjects(data.stays, householders);
  for (const c of data.cases) {
    const window = windows.get(c.personId);
    const homeId = data.persons.get(c.personId)?.homeId ?? null;
    if (!window || homeId === null) continue;
    const placeKind = data.places.get(homeId)?.kind ?? 'home';
    for (const member of residents.get(homeId) ?? []) {
      if (member.id === c.personId) continue;
      const limit = Math.min(window.to, limitOf(member.id));
      for (const night of householdNights(
        c.personId,
        member.id,
        homeId,
        window.from,
        limit,
        staysBySubject,
        options,
      )) {
        out.push({
          personId: member.id,
          sourceId: c.personId,
          sourceKind: 'case',
          setting: 'household',
          hostId: homeId,
          placeKind,
          contactSetting: null,
          start: night.start,
          end: night.end,
          night: night.night,
        });
      }
    }
  }
}

function contactSegments(
  data: OutbreakData,
  windows: Map<Id, InfectiousWindow>,
  limitOf: (personId: Id) => Instant,
  out: Segment[],
): void {
  for (const contact of data.contacts) {
    for (const [sourceId, personId] of [
      [contact.personA, contact.personB],
      [contact.personB, contact.personA],
    ] as const) {
      const window = windows.get(sourceId);
      if (!window || sourceId === personId) continue;
      const [overlap] = clipSpans([contact], window.from, Math.min(window.to, limitOf(personId)), true);
      if (!overlap) continue;
      out.push({
        personId,
        sourceId,
        sourceKind: 'case',
        setting: 'contact',
        hostId: null,
        placeKind: null,
        contactSetting: contact.setting,
        ...overlap,
      });
    }
  }
}

function coldChainSegments(
  data: OutbreakData,
  contaminated: Map<Id, Span[]>,
  limitOf: (personId: Id) => Instant,
  out: Segment[],
): void {
  for (const h of data.handlings) {
    if (!data.items.has(h.itemId)) continue;
    const spans = contaminated.get(h.itemId);
    if (!spans || h.at > limitOf(h.personId)) continue;
    if (!spans.some((s) => s.start <= h.at && h.at <= s.end)) continue;
    out.push({
      personId: h.personId,
      sourceId: h.itemId,
      sourceKind: 'item',
      setting: 'cold_chain',
      hostId: null,
      placeKind: null,
      contactSetting: null,
      start: h.at,
      end: h.at,
    });
  }
}

/** One exposure per person, source, setting, host (and reported-contact setting). */
function mergeSegments(segments: Segment[]): Exposure[] {
  const groups = groupBy(segments, (s) =>
    [s.personId, s.sourceId, s.setting, s.hostId ?? '', s.contactSetting ?? ''].join('\u0000'),
  );
  const exposures: Exposure[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    // Union, not a plain sum: overlapping records of the same meeting count once.
    const spans = unionSpans(group);
    const exposure: Exposure = {
      personId: first.personId,
      sourceId: first.sourceId,
      sourceKind: first.sourceKind,
      setting: first.setting,
      hostId: first.hostId,
      placeKind: first.placeKind,
      contactSetting: first.contactSetting,
      start: spans[0]!.start,
      end: Math.max(...spans.map((s) => s.end)),
      minutes: spans.reduce((sum, s) => sum + (s.end - s.start), 0) / MINUTE,
    };
    if (first.setting === 'household') exposure.nights = new Set(group.map((s) => s.night)).size;
    exposures.push(exposure);
  }
  return exposures.sort(
    (a, b) =>
      a.personId.localeCompare(b.personId) ||
      a.sourceId.localeCompare(b.sourceId) ||
      a.setting.localeCompare(b.setting) ||
      (a.hostId ?? '').localeCompare(b.hostId ?? '') ||
      (a.contactSetting ?? '').localeCompare(b.contactSetting ?? '') ||
      a.start - b.start,
  );
}

function validate(data: OutbreakData): void {
  if (!Number.isFinite(data.asOf))
    throw new TypeError(`exposures: field "asOf" is not an instant (got ${String(data.asOf)})`);
  data.stays.forEach((s, i) => {
    if (!(s.end >= s.start)) {
      throw new RangeError(
        `exposures: stays[${i}] (${s.subjectId} at ${s.hostId}): field "end" is before "start"`,
      );
    }
  });
  data.contacts.forEach((c, i) => {
    if (!(c.end >= c.start)) {
      throw new RangeError(
        `exposures: contacts[${i}] (${c.personA}-${c.personB}): field "end" is before "start"`,
      );
    }
  });
}

/**
 * Every exposure of a person to a case in its infectious window or to a contaminated lot, boat or
 * place, merged per person, source, setting and host. Cases are exposed persons too.
 */
export function computeExposures(
  data: OutbreakData,
  params: Parameters,
  options: Partial<ExposureOptions> = {},
): Exposure[] {
  validate(data);
  const settings = { ...DEFAULTS, ...options };
  const windows = windowsOfCases(data.cases, data.samples, params, data.asOf);
  const limitOf = exposureLimits(data, windows);
  const contaminated = contaminationSpans(data, params);
  const segments: Segment[] = [];
  placeAndBoatSegments(data, windows, contaminated, limitOf, params.protocol.isolationPlaceKinds, segments);
  householdSegments(data, windows, limitOf, settings, segments);
  contactSegments(data, windows, limitOf, segments);
  coldChainSegments(data, contaminated, limitOf, segments);
  return mergeSegments(segments.filter((s) => s.personId !== s.sourceId && isPerson(data, s.personId)));
}

/**
 * Whether `computeExposures(data, a)` and `computeExposures(data, b)` are bound to be equal: the
 * same infectious window for every case, the same isolation place kinds and the same
 * environmental persistence (nothing else in the parameters reaches the exposures).
 */
export function sameExposureParameters(data: OutbreakData, a: Parameters, b: Parameters): boolean {
  if (a === b) return true;
  if (a.pathogen.environmentalPersistenceDays !== b.pathogen.environmentalPersistenceDays) return false;
  const kindsA = [...a.protocol.isolationPlaceKinds].sort();
  const kindsB = [...b.protocol.isolationPlaceKinds].sort();
  if (kindsA.length !== kindsB.length || kindsA.some((kind, i) => kind !== kindsB[i])) return false;
  const windowsA = windowsOfCases(data.cases, data.samples, a, data.asOf);
  const windowsB = windowsOfCases(data.cases, data.samples, b, data.asOf);
  return [...windowsA].every(([id, w]) => w.from === windowsB.get(id)?.from && w.to === windowsB.get(id)?.to);
}

/**
 * The exposures under the protocol's parameters and under `inference`'s (wider or equal
 * windows), computed once when they are bound to be the same.
 */
export function protocolAndInferenceExposures(
  data: OutbreakData,
  protocol: Parameters,
  inference: Parameters,
  options: Partial<ExposureOptions> = {},
): { protocol: Exposure[]; inference: Exposure[] } {
  const exposures = computeExposures(data, protocol, options);
  return {
    protocol: exposures,
    inference: sameExposureParameters(data, protocol, inference)
      ? exposures
      : computeExposures(data, inference, options),
  };
}
