/**
 * Beds at quarantine sites, as the writes that put persons there count them. A person's stay at a
 * site needs a bed free at every moment of its interval: the beds taken are the most other persons
 * there at once over it (a bed freed half-way through serves whoever comes after, as beds in a
 * site do), against the site's capacity. assignQuarantineSite and the stay-writing
 * mutations both check this, and run their checks and writes one at a time per store in this
 * process, so two requests cannot both take the last bed.
 */
import { formatInstant } from '../../domain/time';
import {
  QUARANTINE_SITE_KIND,
  type EntityKind,
  type Id,
  type Instant,
  type Place,
  type Stay,
} from '../../domain/types';
import type { TraceStore } from '../../store/port';

/** Strict overlap: a stay that ends as the interval starts leaves its bed in time. */
export const overlaps = (s: Stay, start: Instant, end: Instant): boolean => s.start < end && s.end > start;

const queues = new WeakMap<TraceStore, Promise<unknown>>();

/** Runs `task` after every earlier bed-taking write to the same store has settled. */
export function oneBedWriteAtATime<T>(store: TraceStore, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(store) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}

/** Why `stay` finds no bed at `site` with `taken` beds taken over its interval; null when one is free. */
export function noBedReason(site: Place, stay: Stay, taken: number): string | null {
  if (site.capacity === null) return `"${site.id}" has no capacity (beds) on record`;
  if (taken < site.capacity) return null;
  return (
    `"${site.id}" is full from ${formatInstant(stay.start)} to ${formatInstant(stay.end)}: ` +
    `${taken} of ${site.capacity} bed(s) taken`
  );
}

const stayIdentity = (s: Stay): string => `${s.subjectId}|${s.hostId}|${s.start}|${s.end}`;

/**
 * The beds each of `stays` (persons' stays at quarantine sites) finds taken by other persons:
 * those whose stays stored at the same site overlap it, and those of the stays before it in the
 * list (written with it, as if each were written after the ones before it).
 */
export async function bedsTaken(store: TraceStore, stays: readonly Stay[]): Promise<number[]> {
  if (!stays.length) return [];
  const stored = await store.staysAtHosts(stays.map((s) => ({ id: s.hostId, from: s.start, to: s.end })));
  // Lots stored at a site take no bed; the listed stays are persons' by contract.
  const subjects = [...new Set(stored.map((s) => s.subjectId))].sort();
  const kinds: (EntityKind | null)[] = subjects.length ? await store.entityKinds(subjects) : [];
  const persons = new Set<Id>(subjects.filter((_, i) => kinds[i] === 'person'));
  for (const s of stays) persons.add(s.subjectId);

  // The store answers a stay once per window it falls in: keep each once, by site.
  const staysBySite = new Map<Id, Stay[]>();
  const seen = new Set<string>();
  const keep = (s: Stay) => {
    const identity = stayIdentity(s);
    if (seen.has(identity) || !persons.has(s.subjectId)) return;
    seen.add(identity);
    const list = staysBySite.get(s.hostId);
    if (list) list.push(s);
    else staysBySite.set(s.hostId, [s]);
  };
  for (const s of stored) keep(s);

  return stays.map((stay) => {
    const others = (staysBySite.get(stay.hostId) ?? []).filter((s) => s.subjectId !== stay.subjectId);
    keep(stay);
    return mostPresentAtOnce(others, stay.start, stay.end);
  });
}

/**
 * The most persons present at once within [start, end) among `stays`, a person counted once
 * however many of their stays overlap. One leaving as another arrives frees the bed in time.
 */
export function mostPresentAtOnce(stays: readonly Stay[], start: Instant, end: Instant): number {
  const spansByPerson = new Map<Id, [Instant, Instant][]>();
  for (const s of stays) {
    if (!overlaps(s, start, end)) continue;
    const span: [Instant, Instant] = [Math.max(s.start, start), Math.min(s.end, end)];
    const spans = spansByPerson.get(s.subjectId);
    if (spans) spans.push(span);
    else spansByPerson.set(s.subjectId, [span]);
  }
  // Each person's spans merged, so that two stays of one person never count twice at a moment.
  const events: [Instant, 1 | -1][] = [];
  for (const spans of spansByPerson.values()) {
    spans.sort((a, b) => a[0] - b[0]);
    let [from, to] = spans[0]!;
    for (const [nextFrom, nextTo] of spans.slice(1)) {
      if (nextFrom <= to) to = Math.max(to, nextTo);
      else {
        events.push([from, 1], [to, -1]);
        [from, to] = [nextFrom, nextTo];
      }
    }
    events.push([from, 1], [to, -1]);
  }
  // Departures before arrivals at the same instant.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let present = 0;
  let most = 0;
  for (const [, change] of events) {
    present += change;
    most = Math.max(most, present);
  }
  return most;
}

/**
 * The persons' stays among `stays` that find no bed at their quarantine site (stays at other
 * hosts, and lots' stays, are left alone), by position in `stays`, with the reason.
 * `kindOf` tells the kind of each subject and host (already resolved by the caller).
 */
export async function staysWithoutBed(
  store: TraceStore,
  stays: readonly Stay[],
  kindOf: (id: Id) => EntityKind | null | undefined,
): Promise<{ position: number; reason: string }[]> {
  const placeIds = [
    ...new Set(
      stays
        .filter((s) => kindOf(s.subjectId) === 'person' && kindOf(s.hostId) === 'place')
        .map((s) => s.hostId),
    ),
  ].sort();
  if (!placeIds.length) return [];
  const sites = new Map<Id, Place>();
  for (const place of await store.places(placeIds)) {
    if (place?.kind === QUARANTINE_SITE_KIND) sites.set(place.id, place);
  }
  const atSites = stays.flatMap((stay, position) =>
    kindOf(stay.subjectId) === 'person' && sites.has(stay.hostId) ? [{ stay, position }] : [],
  );
  const taken = await bedsTaken(
    store,
    atSites.map((s) => s.stay),
  );
  return atSites.flatMap(({ stay, position }, i) => {
    const reason = noBedReason(sites.get(stay.hostId)!, stay, taken[i]!);
    return reason ? [{ position, reason }] : [];
  });
}
