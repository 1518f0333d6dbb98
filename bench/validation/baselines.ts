/**
 * Naive baselines the engine must beat, computed from the same records: the infector is the
 * co-present case with the most shared hours; the quarantine list ranks people by total hours
 * shared with cases; the source ranking counts the cases that stayed at, were aboard or handled
 * each host.
 */
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import type { Id } from '../../src/domain/types';

/** Per case, the case it shared the most minutes with (any exposure to a case), or `unknown`. */
export function mostSharedHoursInfector(data: OutbreakData, exposures: readonly Exposure[]): Map<Id, Id> {
  const caseIds = new Set(data.cases.map((c) => c.personId));
  const minutes = new Map<Id, Map<Id, number>>();
  for (const e of exposures) {
    if (e.sourceKind !== 'case' || !caseIds.has(e.personId)) continue;
    const perSource = minutes.get(e.personId) ?? new Map<Id, number>();
    perSource.set(e.sourceId, (perSource.get(e.sourceId) ?? 0) + e.minutes);
    minutes.set(e.personId, perSource);
  }
  const best = new Map<Id, Id>();
  for (const c of data.cases) {
    const ranked = [...(minutes.get(c.personId) ?? new Map<Id, number>())].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    best.set(c.personId, ranked[0]?.[0] ?? 'unknown');
  }
  return best;
}

/** People who are not cases yet, by total minutes shared with cases, most first. */
export function mostSharedHoursQuarantine(
  data: OutbreakData,
  exposures: readonly Exposure[],
  capacity: number,
): Id[] {
  const caseIds = new Set(data.cases.map((c) => c.personId));
  const minutes = new Map<Id, number>();
  for (const e of exposures) {
    if (e.sourceKind !== 'case' || caseIds.has(e.personId)) continue;
    minutes.set(e.personId, (minutes.get(e.personId) ?? 0) + e.minutes);
  }
  return [...minutes]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, capacity)
    .map(([id]) => id);
}

/** Hosts and lots by the number of distinct cases recorded there, most first (homes excluded). */
export function mostVisitedSources(data: OutbreakData): Id[] {
  const caseIds = new Set(data.cases.map((c) => c.personId));
  const visitors = new Map<Id, Set<Id>>();
  const add = (host: Id, personId: Id): void => {
    const set = visitors.get(host) ?? new Set<Id>();
    set.add(personId);
    visitors.set(host, set);
  };
  for (const s of data.stays)
    if (caseIds.has(s.subjectId) && data.places.get(s.hostId)?.kind !== 'home') add(s.hostId, s.subjectId);
  for (const h of data.handlings) if (caseIds.has(h.personId)) add(h.itemId, h.personId);
  return [...visitors].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([id]) => id);
}
