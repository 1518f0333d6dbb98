/**
 * Import steps: tracegraph's import (src/import/import.ts) into a fresh embedded store and into a
 * cleared Neo4j, and Neo4j's LOAD CSV of the same files (bench/load-csv.ts). Each reports the
 * seconds of the import alone, the seconds per phase and file, and the counts stored afterwards.
 */
import { rmSync } from 'node:fs';
import neo4j from 'neo4j-driver';
import type { Counts } from '../../src/domain/types';
import { importBundle, type ImportProgress } from '../../src/import/import';
import type { Neo4jConnection } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { loadCsvBundle, type LoadCsvOutcome } from '../load-csv';
import { secondsSince } from '../protocol';
import { withStore, type StoreTarget } from './store-target';

/** Seconds spent in each phase and file of an import, from its progress callbacks. */
export function phaseTimer(now: () => bigint = () => process.hrtime.bigint()): {
  onProgress: (p: Pick<ImportProgress, 'phase' | 'file'>) => void;
  phases: () => Record<string, number>;
} {
  const phases: Record<string, number> = {};
  let current: string | null = null;
  let since = now();
  const close = (): void => {
    if (current !== null) phases[current] = (phases[current] ?? 0) + Number(now() - since) / 1e9;
  };
  return {
    onProgress(p) {
      const key = `${p.phase} ${p.file}`;
      if (key === current) return;
      close();
      current = key;
      since = now();
    },
    phases() {
      close();
      current = null;
      return phases;
    },
  };
}

async function timedImport(store: TraceStore, dir: string) {
  const timer = phaseTimer();
  const started = process.hrtime.bigint();
  const summary = await importBundle(store, dir, { onProgress: timer.onProgress });
  const seconds = secondsSince(started);
  const counts = await store.counts();
  // Rows read, repeats included: the rate is of rows the import went through (`total` counts records).
  const rows = Object.values(summary.rows).reduce((sum, n) => sum + (n ?? 0), 0);
  return { seconds, rows, phases: timer.phases(), counts };
}

/** tracegraph's import into a fresh embedded store. */
export async function importEmbeddedStep(args: { dir: string; dataDir: string }) {
  rmSync(args.dataDir, { recursive: true, force: true });
  return withStore({ kind: 'embedded', dataDir: args.dataDir }, (store) => timedImport(store, args.dir));
}

/** tracegraph's import into Neo4j, cleared first (not timed). */
export async function importNeo4jStep(args: { dir: string; connection: Neo4jConnection }) {
  return withStore({ kind: 'neo4j', connection: args.connection }, async (store) => {
    await store.clear();
    return timedImport(store, args.dir);
  });
}

/**
 * Neo4j's LOAD CSV of the same files into the same model, cleared first (not timed). With a
 * limit, a load Neo4j stopped reports `stopped` and the records stored until then.
 */
export async function loadCsvStep(args: {
  dir: string;
  connection: Neo4jConnection;
  limitSeconds?: number | null;
}) {
  const { connection } = args;
  return withStore({ kind: 'neo4j', connection }, async (store) => {
    await store.clear();
    const driver = neo4j.driver(connection.uri, neo4j.auth.basic(connection.user, connection.password));
    const started = process.hrtime.bigint();
    let outcome: LoadCsvOutcome;
    try {
      outcome = await loadCsvBundle(driver, args.dir, connection.database, args.limitSeconds ?? null);
    } finally {
      await driver.close();
    }
    const seconds = secondsSince(started);
    const phases = Object.fromEntries(
      outcome.timings.map((t) => [`load ${t.file}${t.stopped ? ' (stopped)' : ''}`, t.seconds]),
    );
    const counts = await store.counts();
    if (!outcome.stopped) return { seconds, phases, counts };
    const rowsStored = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { seconds, phases, counts, stopped: true, rowsStored };
  });
}

/** What the store holds: the runner compares it with the bundle to know whether to load it. */
export async function countsStep(args: { target: StoreTarget }): Promise<{ counts: Counts }> {
  return withStore(args.target, async (store) => ({ counts: await store.counts() }));
}
