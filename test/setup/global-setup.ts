/**
 * Starts a real Neo4j for the Neo4j suites, unless NEO4J_URI points at one already. If it
 * cannot start, the run fails here: Neo4j suites never skip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchNeo4j, type RunningNeo4j } from '../../src/store/neo4j/launcher';

declare global {
  var __TRACEGRAPH_NEO4J__: RunningNeo4j | undefined;
  /** The started server's data folder, removed by the teardown (half a gigabyte a run). */
  var __TRACEGRAPH_NEO4J_HOME__: string | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.NEO4J_URI) {
    process.env.TRACEGRAPH_TEST_NEO4J_URI = process.env.NEO4J_URI;
    process.env.TRACEGRAPH_TEST_NEO4J_USER = process.env.NEO4J_USER ?? 'neo4j';
    process.env.TRACEGRAPH_TEST_NEO4J_PASSWORD = process.env.NEO4J_PASSWORD ?? '';
    return;
  }
  const home = mkdtempSync(path.join(tmpdir(), 'tracegraph-neo4j-test-'));
  globalThis.__TRACEGRAPH_NEO4J_HOME__ = home;
  const started = Date.now();
  process.stderr.write(`\nstarting Neo4j for the Neo4j suites (data in ${home}) ...\n`);
  let neo4j: RunningNeo4j;
  try {
    neo4j = await launchNeo4j({ home, heap: '1g', pageCache: '256m' });
  } catch (err) {
    // No teardown follows a setup that failed.
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
  process.stderr.write(`Neo4j ready at ${neo4j.uri} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  globalThis.__TRACEGRAPH_NEO4J__ = neo4j;
  process.env.TRACEGRAPH_TEST_NEO4J_URI = neo4j.uri;
  process.env.TRACEGRAPH_TEST_NEO4J_LAUNCHED = '1';
  process.env.TRACEGRAPH_TEST_NEO4J_USER = neo4j.user;
  process.env.TRACEGRAPH_TEST_NEO4J_PASSWORD = neo4j.password;
}
