/**
 * Set-up shared by the suites that import into a real store (import-suite.ts and the Neo4j import
 * suites): the store opened and migrated, and the bundle folders a suite makes removed after it.
 */
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { bundleFrom, removeTemp } from './temp-bundle';

/** A new connection to the database of the test Neo4j (started by jest's global setup). */
export const openTestNeo4j = (): Promise<TraceStore> =>
  openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });

/** The store `open` gives, migrated. */
export async function openMigrated(open: () => Promise<TraceStore>): Promise<TraceStore> {
  const store = await open();
  await store.migrate();
  return store;
}

/** Makes a bundle folder from fixture bundle `base` (none: empty) with `files` replaced. */
export type MakeBundle = (base: string | null, files?: Record<string, string | Buffer | null>) => string;

/**
 * Makes a suite's bundles, as `bundleFrom` does (a copy of fixture bundle `base`, or an empty
 * folder when null, with `files` replaced); all are removed after the suite.
 */
export function suiteBundles(): MakeBundle {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTemp));
  return (base, files = {}) => {
    const dir = bundleFrom(base, files);
    dirs.push(dir);
    return dir;
  };
}
