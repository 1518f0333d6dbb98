/**
 * Generation step: a demo district from the seeded generator (seeds/generator), timed, with a
 * summary written last so a bundle cut off half-way is never taken for a cached one.
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileName } from '../../src/domain/records';
import { generateDistrict } from '../../seeds/generator';
import { peakRssBytes, secondsSince } from '../protocol';

export const SUMMARY_FILE = 'summary.json';

export interface CachedBundle {
  persons: number;
  seed: string;
  rows: Partial<Record<FileName, number>>;
  cases: number;
  seconds: number;
  /** Peak RSS of the generating process. */
  peakRssBytes: number;
  generatedAt: string;
}

export async function generateStep(args: { persons: number; seed: number; outDir: string }) {
  rmSync(args.outDir, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const summary = await generateDistrict({ persons: args.persons, seed: args.seed, outDir: args.outDir });
  const seconds = secondsSince(started);
  const rows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  const cached: CachedBundle = {
    persons: summary.persons,
    seed: summary.seed,
    rows: summary.rows,
    cases: summary.cases,
    seconds,
    peakRssBytes: peakRssBytes(),
    generatedAt: new Date().toISOString(),
  };
  await writeFile(path.join(args.outDir, SUMMARY_FILE), `${JSON.stringify(cached, null, 2)}\n`);
  return { seconds, rows, cases: summary.cases };
}

/** The cached bundle's summary, or null when the bundle is missing or was cut off. */
export function cachedBundle(dir: string): CachedBundle | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, SUMMARY_FILE), 'utf8')) as CachedBundle;
  } catch {
    return null;
  }
}
