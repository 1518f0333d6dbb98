/**
 * Co-presence at places and aboard boats, host by host, with little allocation per stay: the
 * machinery behind the place and boat exposures of src/analysis/exposures.ts.
 *
 * Stays are numbered by host and subject (`internStays`) and grouped by host, then subject, with
 * two counting sorts (`groupByHostAndSubject`): no map of arrays per host. A subject's stays at a
 * host are joined into their presence (`presenceOf`). The sources present at a host (few: cases in
 * their windows, a contaminated host) are kept sorted by start (`HostSources`), and each piece of
 * a person's presence finds the sources it overlaps by binary search, so stays are never compared
 * pairwise and the many persons at a busy host are never sorted.
 */
import type { Id, Instant, Stay } from '../domain/types';

/** The start and end of each stay, by index, in flat lists (read far more often than the stays). */
export interface StayTimes {
  starts: Float64Array;
  ends: Float64Array;
}

/**
 * Stays with their host and subject as small integers (indices into `hostIds`, `subjectIds`), and
 * their times.
 */
export interface InternedStays extends StayTimes {
  hostIds: Id[];
  subjectIds: Id[];
  /** Per stay: its host's number. */
  hostOf: Int32Array;
  /** Per stay: its subject's number. */
  subjectOf: Int32Array;
}

/** Numbers distinct strings in order of first appearance. */
export class Interner {
  readonly texts: string[] = [];
  private readonly numbers = new Map<string, number>();

  /** Whether `text` has a number already. */
  has(text: string): boolean {
    return this.numbers.has(text);
  }

  numberOf(text: string): number {
    let k = this.numbers.get(text);
    if (k === undefined) {
      k = this.texts.push(text) - 1;
      this.numbers.set(text, k);
    }
    return k;
  }
}

/** Numbers every host and subject of `stays`, in order of first appearance. */
export function internStays(stays: readonly Stay[]): InternedStays {
  const hosts = new Interner();
  const subjects = new Interner();
  const hostOf = new Int32Array(stays.length);
  const subjectOf = new Int32Array(stays.length);
  const starts = new Float64Array(stays.length);
  const ends = new Float64Array(stays.length);
  // A subject's stays, and often a host's, come one after another: the previous stay's numbers
  // are reused without a look-up.
  let lastHostId: Id | undefined;
  let lastSubjectId: Id | undefined;
  let host = -1;
  let subject = -1;
  for (let i = 0; i < stays.length; i++) {
    const { hostId, subjectId, start, end } = stays[i]!;
    starts[i] = start;
    ends[i] = end;
    if (hostId !== lastHostId) {
      host = hosts.numberOf(hostId);
      lastHostId = hostId;
    }
    if (subjectId !== lastSubjectId) {
      subject = subjects.numberOf(subjectId);
      lastSubjectId = subjectId;
    }
    hostOf[i] = host;
    subjectOf[i] = subject;
  }
  return { hostIds: hosts.texts, subjectIds: subjects.texts, hostOf, subjectOf, starts, ends };
}

/** Stay indices grouped by host, then by subject number; a subject's in the order of the stays. */
export interface HostGroups {
  order: Int32Array;
  /** Host h's stays are `order[hostStart[h]]` up to (not including) `order[hostStart[h + 1]]`. */
  hostStart: Int32Array;
}

/** Counts per key into exclusive prefix sums: `offsets[k]` is where key k's run begins. */
function prefixSums(counts: Int32Array): Int32Array {
  const offsets = new Int32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) offsets[k + 1] = offsets[k]! + counts[k]!;
  return offsets;
}

/**
 * The stays whose host and subject are both kept (`keepHost[host]`, `keepSubject[subject]` not 0),
 * grouped by host and subject with two stable counting sorts (by subject, then by host).
 */
export function groupByHostAndSubject(
  interned: InternedStays,
  keepHost: Uint8Array,
  keepSubject: Uint8Array,
): HostGroups {
  const { hostOf, subjectOf } = interned;
  const kept = (i: number): boolean => keepHost[hostOf[i]!] !== 0 && keepSubject[subjectOf[i]!] !== 0;
  const subjectCounts = new Int32Array(interned.subjectIds.length);
  const hostCounts = new Int32Array(interned.hostIds.length);
  for (let i = 0; i < hostOf.length; i++) {
    if (!kept(i)) continue;
    subjectCounts[subjectOf[i]!]!++;
    hostCounts[hostOf[i]!]!++;
  }
  const subjectStart = prefixSums(subjectCounts);
  const hostStart = prefixSums(hostCounts);
  const bySubject = new Int32Array(subjectStart[subjectCounts.length]!);
  const next = subjectStart.slice(0, subjectCounts.length);
  for (let i = 0; i < hostOf.length; i++) if (kept(i)) bySubject[next[subjectOf[i]!]!++] = i;
  const order = new Int32Array(bySubject.length);
  const nextOfHost = hostStart.slice(0, hostCounts.length);
  for (let k = 0; k < bySubject.length; k++) {
    const i = bySubject[k]!;
    order[nextOfHost[hostOf[i]!]!++] = i;
  }
  return { order, hostStart };
}

/** Growable parallel lists of span starts and ends, reused so that a piece is not an object. */
export class SpanList {
  readonly starts: Instant[] = [];
  readonly ends: Instant[] = [];
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(start: Instant, end: Instant): void {
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }
}

/**
 * The union of the stays `order[from]` to `order[to - 1]` (one subject at one host) into `out`:
 * sorted, disjoint, touching stays joined, as `unionSpans` would give. Times are read from the
 * flat lists of `internStays`: looking at a million stay objects in host order would reach all
 * over the heap.
 */
export function presenceOf(
  times: StayTimes,
  order: Int32Array,
  from: number,
  to: number,
  out: SpanList,
): void {
  out.clear();
  const { starts, ends } = times;
  let indices: ArrayLike<number> = order;
  for (let k = from + 1; k < to; k++) {
    if (starts[order[k]!]! < starts[order[k - 1]!]!) {
      // Rare: the stays of a subject usually come in order of start.
      indices = Array.from(order.subarray(from, to)).sort((a, b) => starts[a]! - starts[b]!);
      to -= from;
      from = 0;
      break;
    }
  }
  for (let k = from; k < to; k++) {
    const start = starts[indices[k]!]!;
    const end = ends[indices[k]!]!;
    const last = out.length - 1;
    if (last >= 0 && start <= out.ends[last]!) out.ends[last] = Math.max(out.ends[last]!, end);
    else out.push(start, end);
  }
}

/** One source present at a host: a case (by subject number) or the contaminated host itself. */
export interface HostSource<Source> {
  source: Source;
  /** The subject number of a case (never exposed to itself), or -1. */
  subject: number;
}

/**
 * Spans longer than this are checked against every piece of presence instead of being found by
 * binary search, which looks back as far as the longest span: a contaminated place's days or a
 * crew's voyage would otherwise make every lookup at a busy host scan many short visits.
 */
const LONG_SPAN = 24 * 60 * 60 * 1000;

/**
 * The sources present at one host and, for one person at a time, the time they shared with each
 * (first instant, last instant, total): the overlaps of the person's presence with each source's.
 * Add every source span, `seal`, then for each person `overlap` each piece of their presence and
 * `flush`. Overlaps of one person with one source never overlap each other when both presences
 * are disjoint unions, so their lengths add up to the shared time.
 */
export class HostSources<Source> {
  private readonly sources: HostSource<Source>[] = [];
  private readonly spanStart: Instant[] = [];
  private readonly spanEnd: Instant[] = [];
  private readonly spanSource: number[] = [];
  // After `seal`: short spans sorted by start, and the long ones apart.
  private shortStart: Float64Array = new Float64Array(0);
  private shortEnd: Float64Array = new Float64Array(0);
  private shortSource: Int32Array = new Int32Array(0);
  private longestShort = 0;
  private longSpans: number[] = [];
  // Per source, the shared time of the person being looked at.
  private firstShared: Float64Array = new Float64Array(0);
  private lastShared: Float64Array = new Float64Array(0);
  private totalShared: Float64Array = new Float64Array(0);
  private readonly touched: number[] = [];
  private touchedFlag: Uint8Array = new Uint8Array(0);

  /** Registers a source; returns its number for `addSpan`. */
  addSource(source: Source, subject: number): number {
    return this.sources.push({ source, subject }) - 1;
  }

  /** A span of presence of source number `source`; spans with no length share no time. */
  addSpan(source: number, start: Instant, end: Instant): void {
    if (!(end > start)) return;
    this.spanStart.push(start);
    this.spanEnd.push(end);
    this.spanSource.push(source);
  }

  get isEmpty(): boolean {
    return this.spanStart.length === 0;
  }

  /** Sorts the spans for lookup; call once after the last `addSpan`. */
  seal(): void {
    const short: number[] = [];
    for (let k = 0; k < this.spanStart.length; k++) {
      if (this.spanEnd[k]! - this.spanStart[k]! > LONG_SPAN) this.longSpans.push(k);
      else short.push(k);
    }
    short.sort((a, b) => this.spanStart[a]! - this.spanStart[b]!);
    this.shortStart = Float64Array.from(short, (k) => this.spanStart[k]!);
    this.shortEnd = Float64Array.from(short, (k) => this.spanEnd[k]!);
    this.shortSource = Int32Array.from(short, (k) => this.spanSource[k]!);
    for (const k of short)
      this.longestShort = Math.max(this.longestShort, this.spanEnd[k]! - this.spanStart[k]!);
    const n = this.sources.length;
    this.firstShared = new Float64Array(n);
    this.lastShared = new Float64Array(n);
    this.totalShared = new Float64Array(n);
    this.touchedFlag = new Uint8Array(n);
  }

  /** Adds the overlaps of [start, end] (the presence of `subject`) with every other source's. */
  overlap(subject: number, start: Instant, end: Instant): void {
    if (!(end > start)) return; // an instant shares no time with anyone
    const { shortStart, shortEnd, shortSource } = this;
    // Short spans that start after start - longestShort are the only ones that can reach start.
    const reach = start - this.longestShort;
    let lo = 0;
    let hi = shortStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (shortStart[mid]! <= reach) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < shortStart.length && shortStart[k]! < end; k++) {
      if (shortEnd[k]! > start)
        this.share(shortSource[k]!, subject, Math.max(start, shortStart[k]!), Math.min(end, shortEnd[k]!));
    }
    for (let i = 0; i < this.longSpans.length; i++) {
      const k = this.longSpans[i]!;
      const spanStart = this.spanStart[k]!;
      const spanEnd = this.spanEnd[k]!;
      if (spanStart < end && spanEnd > start)
        this.share(this.spanSource[k]!, subject, Math.max(start, spanStart), Math.min(end, spanEnd));
    }
  }

  private share(source: number, subject: number, start: Instant, end: Instant): void {
    if (this.sources[source]!.subject === subject) return; // nobody is exposed to themselves
    if (this.touchedFlag[source] === 0) {
      this.touchedFlag[source] = 1;
      this.touched.push(source);
      this.firstShared[source] = start;
      this.lastShared[source] = end;
      this.totalShared[source] = end - start;
      return;
    }
    this.firstShared[source] = Math.min(this.firstShared[source]!, start);
    this.lastShared[source] = Math.max(this.lastShared[source]!, end);
    this.totalShared[source]! += end - start;
  }

  /** Hands over the shared time with each source since the last flush, then forgets it. */
  flush(onShared: (source: Source, first: Instant, last: Instant, total: number) => void): void {
    for (let i = 0; i < this.touched.length; i++) {
      const k = this.touched[i]!;
      onShared(this.sources[k]!.source, this.firstShared[k]!, this.lastShared[k]!, this.totalShared[k]!);
      this.touchedFlag[k] = 0;
    }
    this.touched.length = 0;
  }
}
