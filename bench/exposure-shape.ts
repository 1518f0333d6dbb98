/**
 * What the exposures of a district are made of: `npx tsx bench/exposure-shape.ts DATA_DIR [--top N]`
 * loads an embedded store's outbreak as the analysis does (as of the end of the latest case's
 * day) and prints the exposures by setting and by tier, then the hosts that hold the most, each
 * with the cases it exposes persons to, the persons exposed and the person-days. Every step of
 * the analysis after the load works per exposure, so this says where its work comes from and what
 * a different shape of exposure would save: a host with millions of exposures over tens of
 * thousands of person-days is one where each person meets hundreds of cases.
 */
import { parseArgs } from 'node:util';
import type { Protocol } from '../src/domain/parameters';
import { startOfDay } from '../src/domain/time';
import type { Id } from '../src/domain/types';
import type { Exposure } from '../src/analysis/model';
import { tierOfExposure } from '../src/analysis/tiers';
import { formatCount } from './stats';

export interface HostShare {
  hostId: Id;
  placeKind: string | null;
  exposures: number;
  /** Of them, exposures of persons who are cases themselves (what inference reads). */
  ofCases: number;
  /** Distinct sources (cases, or a contaminated host itself). */
  sources: number;
  persons: number;
  /** Distinct (person, day of the exposure's start, in the district's offset). */
  personDays: number;
}

export interface ExposureShape {
  exposures: number;
  persons: number;
  bySetting: Record<string, number>;
  /** By the tier the exposure alone gives under the protocol; `none` below every tier. */
  byTier: Record<string, number>;
  /** The `top` hosts by exposures, most first (ties by id). */
  hosts: HostShare[];
}

interface HostTally {
  placeKind: string | null;
  exposures: number;
  ofCases: number;
  sources: Set<Id>;
  persons: Set<Id>;
  personDays: Set<string>;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function exposureShape(
  exposures: readonly Exposure[],
  caseIds: ReadonlySet<Id>,
  protocol: Protocol,
  top = 10,
): ExposureShape {
  const bySetting: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  const persons = new Set<Id>();
  const hosts = new Map<Id, HostTally>();
  for (const e of exposures) {
    increment(bySetting, e.setting);
    increment(byTier, tierOfExposure(e, protocol) ?? 'none');
    persons.add(e.personId);
    if (e.hostId === null) continue;
    let host = hosts.get(e.hostId);
    if (!host) {
      host = {
        placeKind: e.placeKind,
        exposures: 0,
        ofCases: 0,
        sources: new Set(),
        persons: new Set(),
        personDays: new Set(),
      };
      hosts.set(e.hostId, host);
    }
    host.exposures += 1;
    if (caseIds.has(e.personId)) host.ofCases += 1;
    host.sources.add(e.sourceId);
    host.persons.add(e.personId);
    host.personDays.add(`${e.personId}\u0000${startOfDay(e.start)}`);
  }
  const ranked = [...hosts]
    .sort(([a, x], [b, y]) => y.exposures - x.exposures || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, top)
    .map(([hostId, h]) => ({
      hostId,
      placeKind: h.placeKind,
      exposures: h.exposures,
      ofCases: h.ofCases,
      sources: h.sources.size,
      persons: h.persons.size,
      personDays: h.personDays.size,
    }));
  return { exposures: exposures.length, persons: persons.size, bySetting, byTier, hosts: ranked };
}

const share = (part: number, whole: number): string =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;

/** The shape as lines of text. */
export function formatExposureShape(shape: ExposureShape): string {
  const lines = [`${formatCount(shape.exposures)} exposures of ${formatCount(shape.persons)} persons`];
  const listed = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${key} ${formatCount(n)} (${share(n, shape.exposures)})`)
      .join(', ');
  lines.push(`by setting: ${listed(shape.bySetting)}`);
  lines.push(`by tier: ${listed(shape.byTier)}`);
  lines.push('hosts with the most exposures:');
  for (const h of shape.hosts) {
    lines.push(
      `  ${h.hostId} (${h.placeKind ?? 'boat or home'}): ${formatCount(h.exposures)} exposures ` +
        `(${share(h.exposures, shape.exposures)}; ${formatCount(h.ofCases)} of cases) from ${formatCount(h.sources)} sources ` +
        `to ${formatCount(h.persons)} persons over ${formatCount(h.personDays)} person-days`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '10' } },
    allowPositionals: true,
  });
  const top = Number(values.top);
  const [dataDir, ...rest] = positionals;
  if (!dataDir || rest.length > 0 || !Number.isInteger(top) || top < 1) {
    throw new Error('usage: npx tsx bench/exposure-shape.ts DATA_DIR [--top N] (an embedded store folder)');
  }
  const { openEmbeddedStore } = await import('../src/store/embedded');
  const { loadOutbreakWithExposures } = await import('../src/analysis/load');
  const { latestCaseAsOf } = await import('../src/analysis/as-of');
  const { resolveParameters } = await import('../src/domain/parameters');
  const store = await openEmbeddedStore(dataDir);
  try {
    const params = resolveParameters();
    const asOf = await latestCaseAsOf(store);
    const { data, exposures } = await loadOutbreakWithExposures(store, params, asOf);
    const caseIds = new Set(data.cases.map((c) => c.personId));
    process.stdout.write(formatExposureShape(exposureShape(exposures, caseIds, params.protocol, top)));
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
