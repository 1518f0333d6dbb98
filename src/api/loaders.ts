/**
 * Per-request DataLoaders over the store port: every lookup by id and every relationship the
 * schema follows goes through one of these, so a query batches into a few store calls however
 * many parents it visits (DataLoader's contract: results in key order, null for a missing key).
 */
import DataLoader from 'dataloader';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  EntityKind,
  Handling,
  Id,
  Person,
  Place,
  Sample,
  Stay,
} from '../domain/types';
import type { TraceStore, WindowedId } from '../store/port';

/** The widest window the store is asked for ("all time"): the range of a JavaScript Date. */
export const ALL_TIME = { from: -8_640_000_000_000_000, to: 8_640_000_000_000_000 } as const;

const MAX_BATCH = 1000;

export interface Loaders {
  entityKinds: DataLoader<Id, EntityKind | null>;
  persons: DataLoader<Id, Person | null>;
  places: DataLoader<Id, Place | null>;
  boats: DataLoader<Id, Boat | null>;
  items: DataLoader<Id, ColdChainItem | null>;
  caseOf: DataLoader<Id, Case | null>;
  samplesOf: DataLoader<Id, Sample[]>;
  residentsOf: DataLoader<Id, Person[]>;
  staysOfSubject: DataLoader<WindowedId, Stay[], string>;
  staysAtHost: DataLoader<WindowedId, Stay[], string>;
  contactsOf: DataLoader<WindowedId, Contact[], string>;
  handlingsBy: DataLoader<WindowedId, Handling[], string>;
  handlingsOf: DataLoader<WindowedId, Handling[], string>;
}

const windowKey = (w: WindowedId): string => `${w.id}|${w.from}|${w.to}`;
const overlaps = (start: number, end: number, w: WindowedId): boolean => start <= w.to && end >= w.from;

function byId<T>(fetch: (ids: readonly Id[]) => Promise<T[]>): DataLoader<Id, T> {
  return new DataLoader<Id, T>((ids) => fetch(ids), { maxBatchSize: MAX_BATCH });
}

/** Groups a flat result by the id each record belongs to. */
function grouped<T>(
  fetch: (ids: readonly Id[]) => Promise<T[]>,
  owner: (record: T) => Id,
): DataLoader<Id, T[]> {
  return new DataLoader<Id, T[]>(
    async (ids) => {
      const groups = new Map<Id, T[]>(ids.map((id) => [id, []]));
      for (const record of await fetch(ids)) groups.get(owner(record))?.push(record);
      return ids.map((id) => groups.get(id)!);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/**
 * A windowed relationship: one store call for all windows, then each window keeps the records
 * that belong to its id and fall in it (the store may return a record once per matching window).
 */
function windowed<T>(
  fetch: (windows: readonly WindowedId[]) => Promise<T[]>,
  belongs: (record: T, window: WindowedId) => boolean,
  identity: (record: T) => string,
): DataLoader<WindowedId, T[], string> {
  return new DataLoader<WindowedId, T[], string>(
    async (windows) => {
      const records = await fetch(windows);
      return windows.map((w) => {
        const seen = new Set<string>();
        return records.filter((r) => {
          if (!belongs(r, w)) return false;
          const key = identity(r);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      });
    },
    { cacheKeyFn: windowKey, maxBatchSize: MAX_BATCH },
  );
}

const stayIdentity = (s: Stay): string => `${s.subjectId}|${s.hostId}|${s.start}|${s.end}`;
const contactIdentity = (c: Contact): string => `${c.personA}|${c.personB}|${c.start}|${c.end}|${c.setting}`;
const handlingIdentity = (h: Handling): string => `${h.personId}|${h.itemId}|${h.at}`;

export function createLoaders(store: TraceStore): Loaders {
  return {
    entityKinds: byId((ids) => store.entityKinds(ids)),
    persons: byId((ids) => store.persons(ids)),
    places: byId((ids) => store.places(ids)),
    boats: byId((ids) => store.boats(ids)),
    items: byId((ids) => store.items(ids)),
    caseOf: byId((ids) => store.casesOf(ids)),
    samplesOf: grouped(
      (ids) => store.samplesOf(ids),
      (s) => s.subjectId,
    ),
    residentsOf: grouped(
      (ids) => store.residentsOf(ids),
      (p) => p.homeId ?? '',
    ),
    staysOfSubject: windowed(
      (ws) => store.staysOfSubjects(ws),
      (s, w) => s.subjectId === w.id && overlaps(s.start, s.end, w),
      stayIdentity,
    ),
    staysAtHost: windowed(
      (ws) => store.staysAtHosts(ws),
      (s, w) => s.hostId === w.id && overlaps(s.start, s.end, w),
      stayIdentity,
    ),
    contactsOf: windowed(
      (ws) => store.contactsOf(ws),
      (c, w) => (c.personA === w.id || c.personB === w.id) && overlaps(c.start, c.end, w),
      contactIdentity,
    ),
    handlingsBy: windowed(
      (ws) => store.handlingsBy(ws),
      (h, w) => h.personId === w.id && h.at >= w.from && h.at <= w.to,
      handlingIdentity,
    ),
    handlingsOf: windowed(
      (ws) => store.handlingsOf(ws),
      (h, w) => h.itemId === w.id && h.at >= w.from && h.at <= w.to,
      handlingIdentity,
    ),
  };
}

/** Forgets everything cached, e.g. after a mutation changed the store. */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders) as DataLoader<unknown, unknown, unknown>[]) loader.clearAll();
}

/** Seeds the person loader with records already in hand (search results, residents). */
export function primePersons(loaders: Loaders, persons: readonly Person[]): void {
  for (const p of persons) loaders.persons.prime(p.id, p);
}
