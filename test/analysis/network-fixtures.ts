/** Contact networks for the tests of the graph builder and of the network's records. */
import type { ExposureGraphOptions } from '../../src/analysis/exposure-graph';
import type { Exposure, OutbreakData } from '../../src/analysis/model';
import type { NetworkInput } from '../../src/analysis/network-measures';
import { mergeNetworkRecords, networkRecords } from '../../src/analysis/network-records';
import { HOUR, MINUTE } from '../../src/domain/time';
import { aug, exposure, outbreak, person } from './outbreak-fixtures';

/**
 * Random exposures among 30 persons (every seventh a case) and a lot, with households and reported
 * contacts: some links land on exposure edges, some bring new nodes, some fall on each other.
 * Draws from `rng`, so a test may run rounds from one stream.
 */
export function randomNetwork(rng: () => number, counts = { exposures: 40, contacts: 6 }) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const ids = Array.from({ length: 30 }, (_, i) => `P${String(i).padStart(2, '0')}`);
  const caseIds = ids.filter((_, i) => i % 7 === 0);
  const exposures = Array.from({ length: counts.exposures }, () => {
    const [personId, sourceId] = [pick(ids.slice(0, 20)), pick([...caseIds, 'L1'])];
    return personId === sourceId
      ? null
      : exposure(personId, sourceId, {
          sourceKind: sourceId === 'L1' ? 'item' : 'case',
          setting: pick(['place', 'household', 'contact', 'boat'] as const),
          minutes: Math.floor(rng() * 90),
        });
  }).filter((e): e is NonNullable<typeof e> => e !== null);
  const data = outbreak({
    asOf: aug(10),
    cases: caseIds.map((personId) => ({
      personId,
      classification: 'confirmed' as const,
      onset: aug(5),
      confirmedAt: aug(6),
    })),
    persons: ids.map((id) => person(id, `H${Math.floor(rng() * 8)}`)),
    contacts: Array.from({ length: counts.contacts }, () => ({
      personA: pick(ids),
      personB: pick(ids),
      start: aug(4),
      end: aug(4, '01:00'),
      setting: 'work',
    })),
  });
  return { exposures, data, caseIds: new Set(caseIds) };
}

/**
 * Three exposures of two residents to C1 (who lives elsewhere), in a home of 60: 1,770 household
 * links, past the 1,024 the numbering keeps spare, none on an exposure edge.
 */
export function crowdedHome() {
  const residents = Array.from({ length: 60 }, (_, i) => person(`R${String(i).padStart(2, '0')}`, 'H1'));
  const exposures = [
    exposure('R00', 'C1', { setting: 'place', minutes: 30 }),
    exposure('R01', 'C1', { setting: 'place', minutes: 10 }),
    exposure('R00', 'C1', { setting: 'place', minutes: 5 }),
  ];
  const data = outbreak({ asOf: aug(10), persons: [person('C1', 'H9'), ...residents] });
  return { exposures, data };
}

/** The contact network of `exposures` and the links of `data`, merged into edges, as the analysis measures it. */
export function networkOf(
  exposures: readonly Exposure[],
  data: OutbreakData,
  options: Partial<ExposureGraphOptions> = {},
): { input: NetworkInput; nodeIds: readonly string[] } {
  const { records, nodeIds } = networkRecords(exposures, data, options);
  return { input: mergeNetworkRecords(records), nodeIds };
}

/**
 * `randomNetwork`'s exposures at random hours of 4–5 August (each as long as its minutes), in the
 * random order made (a person's exposures scattered among others'), and the same sorted by person
 * (stably: each person's in the same order), as src/analysis/exposures.ts gives them.
 */
export function scatteredAndByPerson(rng: () => number, counts = { exposures: 80, contacts: 8 }) {
  const network = randomNetwork(rng, counts);
  const scattered = network.exposures.map((e) => {
    const start = aug(4) + Math.floor(rng() * 48) * HOUR;
    return { ...e, start, end: start + e.minutes * MINUTE };
  });
  const byPerson = [...scattered].sort((a, b) =>
    a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0,
  );
  // Scattered indeed: some person's exposures are apart.
  const runs = scattered.filter((e, i) => i === 0 || scattered[i - 1]!.personId !== e.personId).length;
  if (runs <= new Set(scattered.map((e) => e.personId)).size) throw new Error('no exposures scattered');
  return { ...network, scattered, byPerson };
}
