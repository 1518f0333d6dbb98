/**
 * Beds at quarantine sites, as the writes that put persons there count them. A person's stay at a
 * site needs a bed free at every moment of its interval: the beds taken are the most other persons
 * there at once over it (a bed freed half-way through serves whoever comes after, as beds in a
 * site do), against the site's capacity. A person holds one bed at a time: a stay at one site may
 * not overlap their stay at another. A place made a site, or a site given fewer beds, must hold
 * the persons recorded there at once. assignQuarantineSite and the mutations writing stays and
 * places all check this, and run their checks and writes one at a time per store in this process
 * (checked-writes.ts), so two requests cannot both take the last bed.
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
import { groupBy } from '../../domain/group-by';
import type { TraceStore } from '../../store/port';
import { ALL_TIME } from '../loaders';

/** Strict overlap: a stay that ends as the interval starts leaves its bed in time. */
export const overlaps = (s: Stay, start: Instant, end: Instant): boolean => s.start < end && s.end > start;

/** The beds a stay at a site finds taken over its interval, by the other persons' stays there. */
export interface BedsTaken {
  /** The most other persons there at once. */
  taken: number;
  others: Stay[];
}

/**
 * Why `stay` finds no bed at `site`; null when one is free. It names when the site is full (the
 * first span of the stay's interval with every bed taken), not the stay's whole interval.
 */
export function noBedReason(site: Place, stay: Stay, beds: BedsTaken): string | null {
  if (site.capacity === null) return `"${site.id}" has no capacity (beds) on record`;
  if (beds.taken < site.capacity) return null;
  const full = fullSpan(beds.others, stay.start, stay.end, site.capacity) ?? stay;
  return (
    `"${site.id}" is full from ${formatInstant(full.start)} to ${formatInstant(full.end)}: ` +
    `${beds.taken} of ${site.capacity} bed(s) taken`
  );
}

const stayIdentity = (s: Stay): string => `${s.subjectId}|${s.hostId}|${s.start}|${s.end}`;

/**
 * The beds each of `stays` (persons' stays at quarantine sites) finds taken by other persons:
 * those whose stays stored at the same site overlap it, and those of the stays before it in the
 * list (written with it, as if each were written after the ones before it).
 */
export async function bedsTaken(store: TraceStore, stays: readonly Stay[]): Promise<BedsTaken[]> {
  if (!stays.length) return [];
  const stored = await store.staysAtHosts(stays.map((s) => ({ id: s.hostId, from: s.start, to: s.end })));
  const persons = await personsAmong(store, stored);
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
    return { taken: mostPresentAtOnce(others, stay.start, stay.end), others };
  });
}

/** The most persons present at once, and the first moment they were. */
export interface Busiest {
  persons: number;
  /** Null when no one is there. */
  at: Instant | null;
}

/**
 * The most persons present at once within [start, end) among `stays`, a person counted once
 * however many of their stays overlap. One leaving as another arrives frees the bed in time.
 */
export function mostPresentAtOnce(stays: readonly Stay[], start: Instant, end: Instant): number {
  return busiestMoment(stays, start, end).persons;
}

/** As mostPresentAtOnce, with the first moment that many were there. */
export function busiestMoment(stays: readonly Stay[], start: Instant, end: Instant): Busiest {
  const busiest: Busiest = { persons: 0, at: null };
  let present = 0;
  for (const [at, change] of presenceChanges(stays, start, end)) {
    present += change;
    if (present > busiest.persons) Object.assign(busiest, { persons: present, at });
  }
  return busiest;
}

/**
 * The first span within [start, end) when at least `persons` of `stays` were there at once (a
 * person counted once); null when they never were.
 */
export function fullSpan(
  stays: readonly Stay[],
  start: Instant,
  end: Instant,
  persons: number,
): { start: Instant; end: Instant } | null {
  if (persons <= 0) return { start, end };
  const changes = presenceChanges(stays, start, end);
  let present = 0;
  let from: Instant | null = null;
  for (let i = 0; i < changes.length; i++) {
    const [at, change] = changes[i]!;
    present += change;
    // Judged once every change at this instant is counted: one leaving as another arrives.
    if (i + 1 < changes.length && changes[i + 1]![0] === at) continue;
    if (from === null && present >= persons) from = at;
    else if (from !== null && present < persons) return { start: from, end: at };
  }
  return from === null ? null : { start: from, end };
}

/**
 * Arrivals (+1) and departures (-1) of the persons of `stays` within [start, end), each person's
 * overlapping stays merged so that they never count twice at a moment; in time order, departures
 * before arrivals at the same instant (one leaving as another arrives frees the bed in time).
 */
function presenceChanges(stays: readonly Stay[], start: Instant, end: Instant): [Instant, 1 | -1][] {
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
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return events;
}

/** Persons among the subjects of `stays` (lots stored at a site take no bed). */
async function personsAmong(store: TraceStore, stays: readonly Stay[]): Promise<Set<Id>> {
  const subjects = [...new Set(stays.map((s) => s.subjectId))].sort();
  const kinds: (EntityKind | null)[] = subjects.length ? await store.entityKinds(subjects) : [];
  return new Set<Id>(subjects.filter((_, i) => kinds[i] === 'person'));
}

/** What keeps a place from being written, and the field it is about. */
export interface SiteProblem {
  position: number;
  field: 'capacity' | 'kind';
  reason: string;
}

/**
 * Why each of `places` cannot be written as it is, by position in `places`. A place made a
 * quarantine site, or a site whose capacity goes down (none on record counts as none), must hold
 * the most persons recorded there at once; a place made a site may not have a person's stay there
 * overlap their stay at another site. A site left as it is, or given more beds, is not checked
 * again: the import records what happened, even a site over its capacity, and such a site must
 * still be open to being corrected.
 */
export async function sitePlaceProblems(store: TraceStore, places: readonly Place[]): Promise<SiteProblem[]> {
  const sites = places.flatMap((place, position) =>
    place.kind === QUARANTINE_SITE_KIND ? [{ place, position }] : [],
  );
  if (!sites.length) return [];
  const before = await store.places(sites.map(({ place }) => place.id));
  const checked = sites.flatMap((site, i) => {
    const was = before[i];
    const madeSite = was?.kind !== QUARANTINE_SITE_KIND;
    const lowered = (site.place.capacity ?? 0) < (was?.capacity ?? 0);
    return madeSite || lowered ? [{ ...site, madeSite }] : [];
  });
  if (!checked.length) return [];
  const stored = await store.staysAtHosts(checked.map(({ place }) => ({ id: place.id, ...ALL_TIME })));
  const persons = await personsAmong(store, stored);
  const kindsAfter = new Map(places.map((p) => [p.id, p.kind]));
  const problems: SiteProblem[] = [];
  for (const { place, position, madeSite } of checked) {
    const there = stored.filter((s) => s.hostId === place.id && persons.has(s.subjectId));
    const busiest = busiestMoment(there, ALL_TIME.from, ALL_TIME.to);
    const capacity = place.capacity ?? 0;
    if (busiest.persons > capacity) {
      const held = place.capacity === null ? 'no capacity' : `a capacity of ${capacity} bed(s)`;
      problems.push({
        position,
        field: 'capacity',
        reason:
          `${busiest.persons} person(s) are recorded at "${place.id}" at once on ${formatInstant(busiest.at!)}; ` +
          `a quarantine site with ${held} cannot hold them`,
      });
    }
    if (!madeSite) continue;
    const elsewhere = await overlappingSiteStays(store, there, { kindsAfter });
    const clashes = there.flatMap((stay, i) => (elsewhere[i] ? [{ stay, other: elsewhere[i] }] : []));
    const first = clashes.sort((a, b) => a.stay.start - b.stay.start)[0];
    if (first) {
      const { stay, other } = first;
      const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more such stay(s))` : '';
      problems.push({
        position,
        field: 'kind',
        reason:
          `"${stay.subjectId}" stays at "${place.id}" from ${formatInstant(stay.start)} to ${formatInstant(stay.end)} ` +
          `while at quarantine site ${other.hostId} from ${formatInstant(other.start)} to ${formatInstant(other.end)}: ` +
          `a person holds one bed at a time${more}`,
      });
    }
  }
  return problems;
}

/**
 * For each of `stays` (persons' stays at quarantine sites), the first stay of the same person at
 * another quarantine site that overlaps it (stored, or before it in the list), or null. With
 * `sameSiteToo`, a stay at the same site counts as well (an assignment while one is held);
 * `kindsAfter` gives the kinds of places about to be written, in place of those stored.
 */
export async function overlappingSiteStays(
  store: TraceStore,
  stays: readonly Stay[],
  { sameSiteToo = false, kindsAfter = new Map<Id, string>() } = {},
): Promise<(Stay | null)[]> {
  if (!stays.length) return [];
  const stored = await store.staysOfSubjects(
    stays.map((s) => ({ id: s.subjectId, from: s.start, to: s.end })),
  );
  const hosts = [...new Set(stored.map((s) => s.hostId))].sort();
  const siteIds = new Set<Id>();
  for (const place of hosts.length ? await store.places(hosts) : []) {
    if (place && (kindsAfter.get(place.id) ?? place.kind) === QUARANTINE_SITE_KIND) siteIds.add(place.id);
  }
  // Each person's stays at sites, the stored ones and then the list's as it goes: a stay is
  // compared with its own person's only.
  const earlierOf = groupBy(
    stored.filter((s) => siteIds.has(s.hostId)),
    (s) => s.subjectId,
  );
  return stays.map((stay) => {
    const earlier = earlierOf.get(stay.subjectId);
    let first: Stay | null = null;
    for (const s of earlier ?? []) {
      if (!(sameSiteToo || s.hostId !== stay.hostId) || !overlaps(s, stay.start, stay.end)) continue;
      if (first === null || s.start < first.start || (s.start === first.start && s.end < first.end))
        first = s;
    }
    if (earlier) earlier.push(stay);
    else earlierOf.set(stay.subjectId, [stay]);
    return first;
  });
}

/** What keeps a stay from being written, and the field of the stay it is about. */
export interface SiteStayProblem {
  position: number;
  field: 'subjectId' | 'hostId';
  reason: string;
}

/**
 * The persons' stays among `stays` that cannot be written at their quarantine site (stays at other
 * hosts, and lots' stays, are left alone), by position in `stays`: those that overlap the person's
 * stay at another site, and those that find no bed. `kindOf` tells the kind of each subject and
 * host (already resolved by the caller).
 */
export async function siteStayProblems(
  store: TraceStore,
  stays: readonly Stay[],
  kindOf: (id: Id) => EntityKind | null | undefined,
): Promise<SiteStayProblem[]> {
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
  const siteStays = atSites.map((s) => s.stay);
  const elsewhere = await overlappingSiteStays(store, siteStays);
  const taken = await bedsTaken(store, siteStays);
  return atSites.flatMap(({ stay, position }, i): SiteStayProblem[] => {
    const other = elsewhere[i];
    const clash: SiteStayProblem[] = other
      ? [
          {
            position,
            field: 'subjectId',
            reason:
              `"${stay.subjectId}" is at quarantine site ${other.hostId} from ${formatInstant(other.start)} ` +
              `to ${formatInstant(other.end)}, over part of this stay: a person holds one bed at a time`,
          },
        ]
      : [];
    const noBed = noBedReason(sites.get(stay.hostId)!, stay, taken[i]!);
    return noBed ? [...clash, { position, field: 'hostId', reason: noBed }] : clash;
  });
}
