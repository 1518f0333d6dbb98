/**
 * Builds the command when src is newer than dist (`npm test` has built it already), then starts a
 * real Neo4j for each jest worker, unless NEO4J_URI points at one already. Neo4j Community holds
 * one database and the Neo4j suites clear it, so two suites must never share a server at once: each
 * worker gets its own (`neo4jTestConfig` picks it by JEST_WORKER_ID), and the suites of one worker
 * run one after the other. If a server cannot start, the run fails here: Neo4j suites never skip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchNeo4j, type RunningNeo4j } from '../../src/store/neo4j/launcher';
import { ensureBuilt } from '../cli/run-cli';
import { neo4jTestVariables } from './neo4j';

declare global {
  var __TRACEGRAPH_NEO4J__: RunningNeo4j[] | undefined;
  /** The started servers' data folders, removed by the teardown (half a gigabyte each a run). */
  var __TRACEGRAPH_NEO4J_HOMES__: string[] | undefined;
}

/** `globalConfig`: jest's, of which only the number of workers it runs is read. */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const workers = globalConfig.maxWorkers;
  if (process.env.NEO4J_URI && workers > 1) {
    throw new Error(
      `NEO4J_URI names one Neo4j, whose database the Neo4j suites clear, and jest would run ${workers} ` +
        'workers at once: run with --maxWorkers=1, or leave NEO4J_URI unset to start a server per worker',
    );
  }
  // The suites run the built command; built here, before any worker, so that none runs it half-built.
  ensureBuilt();
  if (process.env.NEO4J_URI) {
    Object.assign(
      process.env,
      neo4jTestVariables(1, {
        uri: process.env.NEO4J_URI,
        user: process.env.NEO4J_USER ?? 'neo4j',
        password: process.env.NEO4J_PASSWORD ?? '',
      }),
    );
    return;
  }
  const homes = Array.from({ length: workers }, () =>
    mkdtempSync(path.join(tmpdir(), 'tracegraph-neo4j-test-')),
  );
  globalThis.__TRACEGRAPH_NEO4J_HOMES__ = homes;
  const started = Date.now();
  process.stderr.write(
    `\nstarting ${workers} Neo4j server(s), one per jest worker (data in ${homes.join(', ')}) ...\n`,
  );
  const launched = await Promise.allSettled(
    homes.map((home) => launchNeo4j({ home, heap: '1g', pageCache: '256m' })),
  );
  const servers = launched.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  globalThis.__TRACEGRAPH_NEO4J__ = servers;
  const failed = launched.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // No teardown follows a setup that failed.
    await Promise.allSettled(servers.map((s) => s.stop()));
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    throw failed.reason;
  }
  const uris = servers.map((s) => s.uri).join(', ');
  process.stderr.write(`Neo4j ready at ${uris} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  servers.forEach((server, i) => Object.assign(process.env, neo4jTestVariables(i + 1, server)));
  process.env.TRACEGRAPH_TEST_NEO4J_LAUNCHED = '1';
}
