/**
 * Exposures: who shared a host with an infectious source, when and for how long, following the
 * qualifying exposures of China's COVID-19 protocol, 9th edition (June 2022): living together,
 * same place or crew, reported contacts, and contaminated environments or objects.
 *
 * Sources are cases during their infectious window (src/analysis/infectious-window.ts) and lots,
 * boats and places with a positive environmental sample during `environmentalPersistenceDays`
 * around it. Co-presence at a place or aboard a boat is found host by host
 * (src/analysis/co-presence.ts): each piece of a person's presence looks up the few sources present
 * at the host, sorted by start, so stays are never compared pairwise and hosts without a source are
 * skipped. Households are together at night except while one of them stays elsewhere.
 * An exposed person is exposed only until their own isolation (if they are a case) and never
 * after `asOf`; a person is never exposed to themselves.
 */
import { compareCodeUnits } from '../domain/code-units';
import { groupBy } from '../domain/group-by';
import { PROTOCOL_PRESETS, type Parameters, type Protocol } from '../domain/parameters';
import { DAY, DEFAULT_UTC_OFFSET_MINUTES, HOUR, MINUTE, startOfDay } from '../domain/time';
import type { Id, Instant, Person, Stay } from '../domain/types';
import {
  HostSources,
  Interner,
  SpanList,
  groupByHostAndSubject,
  internStays,
  presenceOf,
} from './co-presence';
import { caseWindows, type CaseWindows } from './infectious-window';
import type { Exposure, ExposureSetting, OutbreakData } from './model';

export interface ExposureOptions {
  /** A household is together from this local hour... */
  nightStartHour: number;
  /** ...until this local hour the next morning. */
  nightEndHour: number;
  /** The local offset of the district, for the nights. */
  utcOffsetMinutes: number;
}

/** A household's nights as `protocol` counts them (`householdNightStartHour`, `…EndHour`). */
export function householdNights(protocol: Protocol): ExposureOptions {
  return {
    nightStartHour: protocol.householdNightStartHour,
    nightEndHour: protocol.householdNightEndHour,
    utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
  };
}

/** The nights of the default protocol, for the functions given no others. */
export const DEFAULTS: ExposureOptions = householdNights(PROTOCOL_PRESETS['cn-9th-2022']!);

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
  for (let i = 0; i < data.samples.length; i++) {
    const s = data.samples[i]!;
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

/**
 * The stays of the given subjects, by subject, in the order of `stays`. Cheaper than grouping
 * every stay when only a few subjects' are looked at (a district's analysis holds about a
 * million stays, of which households and timelines need those of cases and close contacts).
 */
export function staysOfSubjects(stays: readonly Stay[], subjectIds: ReadonlySet<Id>): Map<Id, Stay[]> {
  const groups = new Map<Id, Stay[]>();
  // A subject's stays come one after another: looked up once per run.
  let lastSubjectId: Id | undefined;
  let staysOfSubject: Stay[] | undefined;
  for (const s of stays) {
    if (s.subjectId !== lastSubjectId) {
      lastSubjectId = s.subjectId;
      staysOfSubject = undefined;
      if (subjectIds.has(s.subjectId)) {
        staysOfSubject = groups.get(s.subjectId);
        if (staysOfSubject === undefined) groups.set(s.subjectId, (staysOfSubject = []));
      }
    }
    staysOfSubject?.push(s);
  }
  return groups;
}

/** Until when each person can be exposed: their isolation if they are a case, else `asOf`. */
function exposureLimits(data: OutbreakData, windows: CaseWindows): (personId: Id) => Instant {
  return (personId) => Math.min(windows.get(personId)?.to ?? data.asOf, data.asOf);
}

/** A source at a host, as its exposures name it. */
interface PlaceSource {
  id: Id;
  kind: Exposure['sourceKind'];
}

/**
 * Exposures at places and aboard boats, one per person, source and host, appended to `out` (only
 * of the persons of `exposedOnly` unless it is null).
 * Only persons' stays count, never at an isolation place (people held apart at a quarantine hotel
 * do not expose each other there), and only at hosts with a case's stay or a contamination (the
 * others have no source). Each host's sources are the presence of cases cut to their windows and
 * the host's contamination; each person's presence, cut at their own limit, is looked up in them.
 */
function placeAndBoatExposures(
  data: OutbreakData,
  windows: CaseWindows,
  contaminated: Map<Id, Span[]>,
  isolationPlaceKinds: readonly string[],
  exposedOnly: ReadonlySet<Id> | null,
  out: Exposure[],
): void {
  const { stays } = data;
  const interned = internStays(stays);
  const { hostIds, subjectIds, hostOf, subjectOf } = interned;
  const keepSubject = Uint8Array.from(subjectIds, (id) => (isPerson(data, id) ? 1 : 0));
  const windowOf = subjectIds.map((id) => windows.get(id));
  const keepHost = Uint8Array.from(hostIds, (id) => (contaminated.has(id) ? 1 : 0));
  for (let i = 0; i < stays.length; i++) {
    if (windowOf[subjectOf[i]!] && keepSubject[subjectOf[i]!]) keepHost[hostOf[i]!] = 1;
  }
  hostIds.forEach((id, host) => {
    if (isolationPlaceKinds.includes(data.places.get(id)?.kind ?? '')) keepHost[host] = 0;
  });
  const { order, hostStart } = groupByHostAndSubject(interned, keepHost, keepSubject);
  const presence = new SpanList();
  const exposed = exposedOnly && Uint8Array.from(subjectIds, (id) => (exposedOnly.has(id) ? 1 : 0));

  for (let host = 0; host < hostIds.length; host++) {
    const from = hostStart[host]!;
    const to = hostStart[host + 1]!;
    if (from === to) continue;
    const hostId = hostIds[host]!;
    const isBoat = data.boats.has(hostId);
    const setting: ExposureSetting = isBoat ? 'boat' : 'place';
    const placeKind = isBoat ? null : (data.places.get(hostId)?.kind ?? null);

    const sources = new HostSources<PlaceSource>();
    forEachSubjectRun(order, subjectOf, from, to, (subject, runFrom, runTo) => {
      const window = windowOf[subject];
      if (!window) return;
      const source = sources.addSource({ id: subjectIds[subject]!, kind: 'case' }, subject);
      presenceOf(interned, order, runFrom, runTo, presence);
      for (let k = 0; k < presence.length; k++) {
        sources.addSpan(
          source,
          Math.max(presence.starts[k]!, window.from),
          Math.min(presence.ends[k]!, window.to),
        );
      }
    });
    const contamination = contaminated.get(hostId);
    if (contamination) {
      const source = sources.addSource({ id: hostId, kind: isBoat ? 'boat' : 'place' }, -1);
      for (const s of contamination) sources.addSpan(source, s.start, s.end);
    }
    if (sources.isEmpty) continue;
    sources.seal();

    let personId: Id = '';
    const onShared = (source: PlaceSource, start: Instant, last: Instant, total: number): void => {
      out.push({
        personId,
        sourceId: source.id,
        sourceKind: source.kind,
        setting,
        hostId,
        placeKind,
        contactSetting: null,
        start,
        end: last,
        minutes: total / MINUTE,
      });
    };
    forEachSubjectRun(order, subjectOf, from, to, (subject, runFrom, runTo) => {
      if (exposed && exposed[subject] === 0) return;
      personId = subjectIds[subject]!;
      const limit = Math.min(windowOf[subject]?.to ?? data.asOf, data.asOf);
      presenceOf(interned, order, runFrom, runTo, presence);
      for (let k = 0; k < presence.length; k++) {
        const end = Math.min(presence.ends[k]!, limit);
        if (end > presence.starts[k]!) sources.overlap(subject, presence.starts[k]!, end);
      }
      sources.flush(onShared);
    });
  }
}

/** Calls `onRun` for each run of stays of one subject in `order[from]` to `order[to - 1]`. */
function forEachSubjectRun(
  order: Int32Array,
  subjectOf: Int32Array,
  from: number,
  to: number,
  onRun: (subject: number, runFrom: number, runTo: number) => void,
): void {
  let runFrom = from;
  for (let k = from + 1; k <= to; k++) {
    if (k < to && subjectOf[order[k]!] === subjectOf[order[runFrom]!]) continue;
    onRun(subjectOf[order[runFrom]!]!, runFrom, k);
    runFrom = k;
  }
}

/**
 * Spans as one flat list of numbers, `[start0, end0, start1, end1, ...]`: a person's many stays
 * away from home then cost no object each.
 */
export type FlatSpans = Float64Array;

export const NO_SPANS: FlatSpans = new Float64Array(0);

/**
 * Sorts the flat spans in `spans[from]` to `spans[to - 1]` by start, stably. A person's stays
 * come in a few sorted batches (the loader appends them by kind), so insertion, which moves
 * nothing already in order and allocates nothing, suits the short lists of most persons.
 */
function sortFlatSpans(spans: Float64Array, from: number, to: number): void {
  if (to - from > 128) {
    const pairs = Array.from({ length: (to - from) / 2 }, (_, k) => [
      spans[from + 2 * k]!,
      spans[from + 2 * k + 1]!,
    ]);
    pairs.sort((a, b) => a[0]! - b[0]!);
    pairs.forEach(([start, end], k) => {
      spans[from + 2 * k] = start!;
      spans[from + 2 * k + 1] = end!;
    });
    return;
  }
  for (let i = from + 2; i < to; i += 2) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    let j = i - 2;
    for (; j >= from && spans[j]! > start; j -= 2) {
      spans[j + 2] = spans[j]!;
      spans[j + 3] = spans[j + 1]!;
    }
    spans[j + 2] = start;
    spans[j + 3] = end;
  }
}

/**
 * Sorts the flat spans in `spans[from]` to `spans[to - 1]` by start and joins overlapping and
 * touching ones, in place; returns where the joined spans end.
 */
function unionFlatSpans(spans: Float64Array, from: number, to: number): number {
  let sorted = true;
  for (let k = from + 2; k < to && sorted; k += 2) sorted = spans[k]! >= spans[k - 2]!;
  if (!sorted) sortFlatSpans(spans, from, to);
  let last = from - 2;
  for (let k = from; k < to; k += 2) {
    if (last >= from && spans[k]! <= spans[last + 1]!) {
      spans[last + 1] = Math.max(spans[last + 1]!, spans[k + 1]!);
    } else {
      last += 2;
      spans[last] = spans[k]!;
      spans[last + 1] = spans[k + 1]!;
    }
  }
  return last + 2;
}

/** A growable list of small integers. */
class IntList {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * The time each of `personIds` spent away from their home: their stays elsewhere (of positive
 * length), sorted and joined. Persons with no home are away wherever they stayed. One pass over
 * the stays; the spans of all persons share one buffer, laid out person by person.
 */
export function awayFromHome(data: OutbreakData, personIds: ReadonlySet<Id>): Map<Id, FlatSpans> {
  const ids = [...personIds];
  const numberOf = new Map<Id, number>();
  const homes = ids.map((id, n) => {
    numberOf.set(id, n);
    return data.persons.get(id)?.homeId ?? null;
  });
  const { stays } = data;
  const awayStays = new IntList();
  const awayPersons = new IntList();
  // A subject's stays come one after another: their number is looked up once per run.
  let lastSubjectId: Id | undefined;
  let n: number | undefined;
  for (let i = 0; i < stays.length; i++) {
    const s = stays[i]!;
    if (s.subjectId !== lastSubjectId) {
      lastSubjectId = s.subjectId;
      n = numberOf.get(s.subjectId);
    }
    if (n === undefined || s.hostId === homes[n] || !(s.end > s.start)) continue;
    awayStays.push(i);
    awayPersons.push(n);
  }
  // Counting sort by person, keeping the order of the stays.
  const offsets = new Int32Array(ids.length + 1);
  for (let k = 0; k < awayPersons.length; k++) offsets[awayPersons.values[k]! + 1]! += 2;
  for (let n = 0; n < ids.length; n++) offsets[n + 1]! += offsets[n]!;
  const flat = new Float64Array(offsets[ids.length]!);
  const next = offsets.slice(0, ids.length);
  for (let k = 0; k < awayPersons.length; k++) {
    const s = stays[awayStays.values[k]!]!;
    const at = (next[awayPersons.values[k]!]! += 2) - 2;
    flat[at] = s.start;
    flat[at + 1] = s.end;
  }
  const away = new Map<Id, FlatSpans>();
  ids.forEach((id, n) => {
    const end = unionFlatSpans(flat, offsets[n]!, offsets[n + 1]!);
    away.set(id, end > offsets[n]! ? flat.subarray(offsets[n]!, end) : NO_SPANS);
  });
  return away;
}

/**
 * The residents of each of `homeIds`, in the order of `data.persons` (only these homes: a
 * district has far more homes than those of its cases or close contacts).
 */
export function residentsOf(data: OutbreakData, homeIds: ReadonlySet<Id>): Map<Id, Person[]> {
  const residents = new Map<Id, Person[]>();
  for (const p of data.persons.values()) {
    if (p.homeId === null || !homeIds.has(p.homeId)) continue;
    const list = residents.get(p.homeId);
    if (list) list.push(p);
    else residents.set(p.homeId, [p]);
  }
  return residents;
}

/** Pieces of nights, as parallel lists reused from pair to pair (see `nightsTogether`). */
export class NightPieces {
  readonly starts: Instant[] = [];
  readonly ends: Instant[] = [];
  /** The start of the night each piece belongs to. */
  readonly nights: Instant[] = [];
  length = 0;

  push(start: Instant, end: Instant, night: Instant): void {
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.nights[this.length] = night;
    this.length++;
  }
}

/**
 * The time two residents spent together at home on the nights (local `nightStartHour` to
 * `nightEndHour`) within [from, to], into `out` (emptied first), in order: each night cut to the
 * span, minus the parts of it either of them spent away (from `awayFromHome`; a fisher who leaves
 * at 04:00 still shared the night until 04:00). A night may come in pieces.
 */
export function nightsTogether(
  from: Instant,
  to: Instant,
  awayA: FlatSpans,
  awayB: FlatSpans,
  options: ExposureOptions,
  out: NightPieces,
): void {
  out.length = 0;
  const { nightStartHour, nightEndHour, utcOffsetMinutes } = options;
  // Holes of both persons, taken in order of start from the two sorted lists; nights come in
  // order, so holes ended before a night are skipped for good.
  let a = 0;
  let b = 0;
  // As in nightsOverlapping: the night that started the evening before may still be running.
  for (let day = startOfDay(from, utcOffsetMinutes) - DAY; day <= to; day += DAY) {
    const night = day + nightStartHour * HOUR;
    const spanStart = Math.max(night, from);
    const spanEnd = Math.min(day + DAY + nightEndHour * HOUR, to);
    if (!(spanEnd > spanStart)) continue;
    while (a < awayA.length && awayA[a + 1]! <= spanStart) a += 2;
    while (b < awayB.length && awayB[b + 1]! <= spanStart) b += 2;
    let cursor = spanStart;
    for (let i = a, j = b; i < awayA.length || j < awayB.length;) {
      let holeStart: number;
      let holeEnd: number;
      if (j >= awayB.length || (i < awayA.length && awayA[i]! <= awayB[j]!)) {
        holeStart = awayA[i]!;
        holeEnd = awayA[i + 1]!;
        i += 2;
      } else {
        holeStart = awayB[j]!;
        holeEnd = awayB[j + 1]!;
        j += 2;
      }
      if (holeStart >= spanEnd) break;
      if (holeEnd <= cursor) continue;
      if (holeStart > cursor) out.push(cursor, holeStart, night);
      cursor = Math.max(cursor, holeEnd);
    }
    if (cursor < spanEnd) out.push(cursor, spanEnd, night);
  }
}

/** Household exposures: each case's nights at home with each resident, within the case's window. */
function householdSegments(
  data: OutbreakData,
  windows: CaseWindows,
  limitOf: (personId: Id) => Instant,
  options: ExposureOptions,
  out: Segment[],
): void {
  const homeOf = (personId: Id): Id | null => data.persons.get(personId)?.homeId ?? null;
  const caseHomes = new Set<Id>();
  for (const c of data.cases) {
    const homeId = homeOf(c.personId);
    if (homeId !== null) caseHomes.add(homeId);
  }
  const residents = residentsOf(data, caseHomes);
  // Only cases and those living with them spend nights together here.
  const householders = new Set<Id>();
  for (const c of data.cases) {
    householders.add(c.personId);
    const homeId = homeOf(c.personId);
    for (const member of homeId === null ? [] : (residents.get(homeId) ?? [])) householders.add(member.id);
  }
  const away = awayFromHome(data, householders);
  const pieces = new NightPieces();
  for (const c of data.cases) {
    const window = windows.get(c.personId);
    const homeId = homeOf(c.personId);
    if (!window || homeId === null) continue;
    const placeKind = data.places.get(homeId)?.kind ?? 'home';
    const awayOfCase = away.get(c.personId) ?? NO_SPANS;
    for (const member of residents.get(homeId) ?? []) {
      if (member.id === c.personId) continue;
      const limit = Math.min(window.to, limitOf(member.id));
      nightsTogether(window.from, limit, awayOfCase, away.get(member.id) ?? NO_SPANS, options, pieces);
      for (let k = 0; k < pieces.length; k++) {
        out.push({
          personId: member.id,
          sourceId: c.personId,
          sourceKind: 'case',
          setting: 'household',
          hostId: homeId,
          placeKind,
          contactSetting: null,
          start: pieces.starts[k]!,
          end: pieces.ends[k]!,
          night: pieces.nights[k]!,
        });
      }
    }
  }
}

/**
 * The part of a reported contact inside [from, to): a contact of some length counts for the time it
 * overlaps it, and not at all when that is none (one that ends as the window opens, or begins at
 * the isolation); a contact recorded as an instant (start = end, no duration recorded) counts when
 * it falls in the window, before the isolation, and is then weighed as one typical episode of its
 * setting (src/analysis/infector.ts `exposureStrength`).
 */
export function contactOverlap(contact: Span, from: Instant, to: Instant): Span | null {
  if (contact.end === contact.start)
    return contact.start >= from && contact.start < to ? { start: contact.start, end: contact.end } : null;
  const start = Math.max(contact.start, from);
  const end = Math.min(contact.end, to);
  return end > start ? { start, end } : null;
}

function contactSegments(
  data: OutbreakData,
  windows: CaseWindows,
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
      const overlap = contactOverlap(contact, window.from, Math.min(window.to, limitOf(personId)));
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

/** One exposure per person, source, setting, host (and reported-contact setting), into `out`. */
function mergeSegments(segments: Segment[], out: Exposure[]): void {
  const groups = groupBy(segments, (s) =>
    [s.personId, s.sourceId, s.setting, s.hostId ?? '', s.contactSetting ?? ''].join('\u0000'),
  );
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
    out.push(exposure);
  }
}

/** Digits and capital letters only, like the district's ids. */
const DIGITS_AND_CAPITALS = /^[0-9A-Z]*$/;

/**
 * `a.localeCompare(b)`, cheaper for ids of digits and capital letters only: the locale puts
 * digits before letters and orders each as their codes do, so for such strings it is the order of
 * their UTF-16 code units.
 */
export function compareLocale(a: string, b: string): number {
  if (DIGITS_AND_CAPITALS.test(a) && DIGITS_AND_CAPITALS.test(b)) return compareCodeUnits(a, b);
  return a.localeCompare(b);
}

/**
 * The rank in locale order of each of `texts` (distinct strings), by position; strings that
 * compare equal share a rank. Sorting by ranks gives the order of sorting by `localeCompare`,
 * with one comparison per pair of distinct strings instead of several per pair of rows. Ids of
 * digits and capitals (nearly all of them) are sorted by their code units, the rest by the
 * locale, and the two lists merged: the order of `compareLocale` without testing both strings of
 * every comparison.
 */
export function localeRanks(texts: readonly string[]): Int32Array {
  const ids: number[] = [];
  const others: number[] = [];
  for (let k = 0; k < texts.length; k++) (DIGITS_AND_CAPITALS.test(texts[k]!) ? ids : others).push(k);
  // By UTF-16 code units, as the default sort of strings does.
  ids.sort((a, b) => compareCodeUnits(texts[a]!, texts[b]!));
  others.sort((a, b) => texts[a]!.localeCompare(texts[b]!));
  const ranks = new Int32Array(texts.length);
  let rank = -1;
  let previous: string | undefined;
  const take = (k: number): void => {
    const text = texts[k]!;
    if (previous === undefined || compareLocale(previous, text) !== 0) rank++;
    ranks[k] = rank;
    previous = text;
  };
  let i = 0;
  let j = 0;
  while (i < ids.length || j < others.length) {
    if (j >= others.length || (i < ids.length && compareLocale(texts[ids[i]!]!, texts[others[j]!]!) <= 0))
      take(ids[i++]!);
    else take(others[j++]!);
  }
  return ranks;
}

/** Runs of at most this many rows are sorted by insertion, longer ones by `TypedArray#sort`. */
const INSERTION_SORT_MAX = 16;

/**
 * Exposures sorted by person, source, setting, host and reported-contact setting (each in locale
 * order, a missing host or setting first), then start. Rows are bucketed by person with a
 * counting sort; only each person's few rows are then compared.
 */
function sortExposures(exposures: readonly Exposure[]): Exposure[] {
  const FIELDS = 5;
  const n = exposures.length;
  const keys = new Int32Array(n * FIELDS);
  const starts = new Float64Array(n);
  const strings = new Interner();
  const none = strings.numberOf('');
  // Exposures come in runs of one person, host and setting (the places' host by host, person by
  // person): a field equal to the previous row's reuses its number without a look-up.
  let lastPerson: string | undefined;
  let lastSetting: string | undefined;
  let lastHost: string | null | undefined;
  let person = none;
  let setting = none;
  let host = none;
  for (let i = 0; i < n; i++) {
    const e = exposures[i]!;
    if (e.personId !== lastPerson) person = strings.numberOf((lastPerson = e.personId));
    if (e.setting !== lastSetting) setting = strings.numberOf((lastSetting = e.setting));
    if (e.hostId !== lastHost) {
      lastHost = e.hostId;
      host = e.hostId === null ? none : strings.numberOf(e.hostId);
    }
    keys[i * FIELDS] = person;
    keys[i * FIELDS + 1] = strings.numberOf(e.sourceId);
    keys[i * FIELDS + 2] = setting;
    keys[i * FIELDS + 3] = host;
    keys[i * FIELDS + 4] = e.contactSetting === null ? none : strings.numberOf(e.contactSetting);
    starts[i] = e.start;
  }
  const ranks = localeRanks(strings.texts);
  const personCounts = new Int32Array(strings.texts.length + 1);
  for (let i = 0; i < keys.length; i++) keys[i] = ranks[keys[i]!]!;
  for (let i = 0; i < n; i++) personCounts[keys[i * FIELDS]! + 1]!++;
  for (let r = 1; r < personCounts.length; r++) personCounts[r]! += personCounts[r - 1]!;
  const personStart = personCounts.slice();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[personCounts[keys[i * FIELDS]!]!++] = i;

  // The person is the same within a run: compare the other fields, then start, then position.
  const compare = (a: number, b: number): number => {
    for (let f = 1; f < FIELDS; f++) {
      const d = keys[a * FIELDS + f]! - keys[b * FIELDS + f]!;
      if (d !== 0) return d;
    }
    return starts[a]! - starts[b]! || a - b;
  };
  for (let r = 0; r + 1 < personStart.length; r++) {
    const from = personStart[r]!;
    const to = personStart[r + 1]!;
    if (to - from < 2) continue;
    if (to - from > INSERTION_SORT_MAX) {
      order.subarray(from, to).sort(compare);
      continue;
    }
    for (let k = from + 1; k < to; k++) {
      const row = order[k]!;
      let at = k;
      while (at > from && compare(order[at - 1]!, row) > 0) {
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = row;
    }
  }
  const sorted: Exposure[] = [];
  for (let k = 0; k < n; k++) sorted.push(exposures[order[k]!]!);
  return sorted;
}

function validate(data: OutbreakData): void {
  if (!Number.isFinite(data.asOf))
    throw new TypeError(`exposures: field "asOf" is not an instant (got ${String(data.asOf)})`);
  for (let i = 0; i < data.stays.length; i++) {
    const s = data.stays[i]!;
    if (!(s.end >= s.start)) {
      throw new RangeError(
        `exposures: stays[${i}] (${s.subjectId} at ${s.hostId}): field "end" is before "start"`,
      );
    }
  }
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
 * place, merged per person, source, setting and host. Cases are exposed persons too. `windows`:
 * the cases' windows under `params` (`caseWindows(data, params)`), when worked out already.
 */
export function computeExposures(
  data: OutbreakData,
  params: Parameters,
  options: Partial<ExposureOptions> = {},
  windows?: CaseWindows,
): Exposure[] {
  validate(data);
  return exposuresInWindows(data, params, windows ?? caseWindows(data, params), options);
}

/**
 * `computeExposures` on validated data, with the cases' windows under `params` already known;
 * only the exposures of the persons of `exposedOnly` unless it is null (the same as filtering all
 * of them, in the same order).
 */
function exposuresInWindows(
  data: OutbreakData,
  params: Parameters,
  windows: CaseWindows,
  options: Partial<ExposureOptions>,
  exposedOnly: ReadonlySet<Id> | null = null,
): Exposure[] {
  const settings = { ...householdNights(params.protocol), ...options };
  const limitOf = exposureLimits(data, windows);
  const contaminated = contaminationSpans(data, params);
  const exposures: Exposure[] = [];
  const { isolationPlaceKinds } = params.protocol;
  placeAndBoatExposures(data, windows, contaminated, isolationPlaceKinds, exposedOnly, exposures);
  // The other settings are few; their records may overlap (a meeting reported twice), so they
  // are merged by union.
  const segments: Segment[] = [];
  householdSegments(data, windows, limitOf, settings, segments);
  contactSegments(data, windows, limitOf, segments);
  coldChainSegments(data, contaminated, limitOf, segments);
  mergeSegments(
    segments.filter(
      (s) =>
        s.personId !== s.sourceId &&
        isPerson(data, s.personId) &&
        (exposedOnly === null || exposedOnly.has(s.personId)),
    ),
    exposures,
  );
  return sortExposures(exposures);
}

/**
 * Whether `computeExposures(data, a)` and `computeExposures(data, b)` are bound to be equal: the
 * same infectious window for every case, the same isolation place kinds, household nights and
 * environmental persistence (nothing else in the parameters reaches the exposures).
 */
export function sameExposureParameters(data: OutbreakData, a: Parameters, b: Parameters): boolean {
  const windowsOf = (params: Parameters) => caseWindows(data, params);
  return sameParametersAndWindows(a, b, () => [windowsOf(a), windowsOf(b)]);
}

/** `sameExposureParameters`, with the windows (under a and under b) computed only if needed. */
function sameParametersAndWindows(
  a: Parameters,
  b: Parameters,
  windowsOfBoth: () => [CaseWindows, CaseWindows],
): boolean {
  if (a === b) return true;
  if (a.pathogen.environmentalPersistenceDays !== b.pathogen.environmentalPersistenceDays) return false;
  const nightsA = householdNights(a.protocol);
  const nightsB = householdNights(b.protocol);
  if (nightsA.nightStartHour !== nightsB.nightStartHour || nightsA.nightEndHour !== nightsB.nightEndHour)
    return false;
  const kindsA = [...a.protocol.isolationPlaceKinds].sort();
  const kindsB = [...b.protocol.isolationPlaceKinds].sort();
  if (kindsA.length !== kindsB.length || kindsA.some((kind, i) => kind !== kindsB[i])) return false;
  const [windowsA, windowsB] = windowsOfBoth();
  return [...windowsA].every(([id, w]) => w.from === windowsB.get(id)?.from && w.to === windowsB.get(id)?.to);
}

/**
 * The exposures under the protocol's parameters, and those of cases under `inference`'s (wider or
 * equal windows): inference and source ranking read only the exposures of cases. When both are
 * bound to be the same, they are computed once and `inference` is the protocol's whole list
 * (each set of windows is worked out once: it reads every sample). `known`, when given, is
 * `computeExposures(data, inference, options)` worked out already (the load does), and is not
 * worked out again; nor are `windows`, the cases' windows under `protocol`, when given.
 */
export function protocolAndInferenceExposures(
  data: OutbreakData,
  protocol: Parameters,
  inference: Parameters,
  options: Partial<ExposureOptions> = {},
  known: Exposure[] | null = null,
  windows?: CaseWindows,
): { protocol: Exposure[]; inference: Exposure[] } {
  validate(data);
  const protocolWindows = windows ?? caseWindows(data, protocol);
  let inferenceWindows: CaseWindows | undefined;
  const inferenceWindowsOnce = (): CaseWindows => (inferenceWindows ??= caseWindows(data, inference));
  const same = sameParametersAndWindows(protocol, inference, () => [protocolWindows, inferenceWindowsOnce()]);
  if (same) {
    const exposures = known ?? exposuresInWindows(data, protocol, protocolWindows, options);
    return { protocol: exposures, inference: exposures };
  }
  const caseIds = new Set(data.cases.map((c) => c.personId));
  return {
    protocol: exposuresInWindows(data, protocol, protocolWindows, options),
    inference: known
      ? known.filter((e) => caseIds.has(e.personId))
      : exposuresInWindows(data, inference, inferenceWindowsOnce(), options, caseIds),
  };
}
