/**
 * Chooses the store: Neo4j when NEO4J_URI is set, otherwise the embedded store under the data
 * directory (`--data DIR`, env TRACEGRAPH_DATA, default `./data`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MigrationReport, TraceStore } from './port';
import { DATABASE_FILE, openEmbeddedStore } from './embedded';
import { neo4jUriProblem } from './neo4j/uri';
import { SettingError } from '../domain/errors';

export interface StoreConfig {
  dataDir: string;
  neo4j: { uri: string; user: string; password: string; database: string } | null;
}

/**
 * The store settings of the environment. An empty variable counts as unset, as the shell's
 * `TRACEGRAPH_DATA= tracegraph stats` means. A NEO4J_URI that is not the address of a Neo4j server
 * is refused here, naming the variable (SettingError), before anything connects.
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env, dataDir?: string): StoreConfig {
  const uri = env.NEO4J_URI?.trim();
  if (uri) {
    const problem = neo4jUriProblem(uri);
    if (problem) throw new SettingError(`NEO4J_URI: ${problem}`);
  }
  return {
    dataDir: dataDir ?? (env.TRACEGRAPH_DATA?.trim() ? env.TRACEGRAPH_DATA : './data'),
    neo4j: uri
      ? {
          uri,
          user: env.NEO4J_USER ?? 'neo4j',
          password: env.NEO4J_PASSWORD ?? '',
          database: env.NEO4J_DATABASE ?? 'neo4j',
        }
      : null,
  };
}

/**
 * Whether the configured store was ever made: an embedded store's database file exists (opening
 * one makes it). A Neo4j server is reached when opened, so it counts as there.
 */
export function storeExists(config: StoreConfig): boolean {
  return config.neo4j !== null || existsSync(path.join(config.dataDir, DATABASE_FILE));
}

/**
 * Opens the configured store and runs its (idempotent) migration; `report` is told of each step
 * that rewrites records already stored.
 */
export async function openStore(config: StoreConfig, report?: MigrationReport): Promise<TraceStore> {
  // The Neo4j driver is loaded only to use it: it was a quarter of every command's start-up.
  const store = config.neo4j
    ? await (await import('./neo4j')).openNeo4jStore(config.neo4j)
    : await openEmbeddedStore(config.dataDir, report);
  try {
    await store.migrate(report);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

export type { MigrationReport, TraceStore } from './port';
