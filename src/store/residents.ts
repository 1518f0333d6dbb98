/**
 * Who in the store lives at given places: what a write that makes a place something other than a
 * home must ask, since a person's home_id names a place of kind `home`. Import and the API's
 * upsertPlaces both ask through here.
 */
import type { Id } from '../domain/types';
import type { TraceStore } from './port';

/** Residents read per store call: only places someone lives at are read, and those few at a time. */
const RESIDENTS_PER_READ = 10_000;
/** Residents named per place in a message; the rest are counted. */
const NAMED_RESIDENTS = 3;

/** The persons in the store living at one place, a few of them by id. */
export interface StoredResidents {
  count: number;
  /** The first few, in id order. */
  named: Id[];
}

/**
 * The persons in the store whose home is each of `placeIds`, leaving out those `leftOut` names
 * (persons the same write gives a home of its own); places where no one is left are missing from
 * the map. The residents are counted in the store first, so only places that someone lives at are
 * read, in calls of about RESIDENTS_PER_READ residents (a place with more is read alone).
 */
export async function storedResidents(
  store: Pick<TraceStore, 'residentCounts' | 'residentsOf'>,
  placeIds: readonly Id[],
  leftOut: (personId: Id) => boolean = () => false,
): Promise<Map<Id, StoredResidents>> {
  const found = new Map<Id, StoredResidents>();
  const counts = placeIds.length ? await store.residentCounts(placeIds) : [];
  const groups: Id[][] = [];
  let group: Id[] = [];
  let inGroup = 0;
  for (const { homeId, residents } of counts) {
    if (residents === 0) continue;
    if (group.length && inGroup + residents > RESIDENTS_PER_READ) {
      groups.push(group);
      group = [];
      inGroup = 0;
    }
    group.push(homeId);
    inGroup += residents;
  }
  if (group.length) groups.push(group);
  for (const homeIds of groups) {
    for (const person of await store.residentsOf(homeIds)) {
      if (person.homeId === null || leftOut(person.id)) continue;
      const at = found.get(person.homeId) ?? { count: 0, named: [] };
      at.count++;
      at.named.push(person.id);
      if (at.named.length > NAMED_RESIDENTS) at.named = at.named.sort().slice(0, NAMED_RESIDENTS);
      found.set(person.homeId, at);
    }
  }
  for (const at of found.values()) at.named.sort();
  return found;
}

/** `P7`, `P7, P8 and 1 more`: the residents a message names. */
export function residentList({ count, named }: StoredResidents): string {
  const more = count - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}
