/** Where a benchmark step finds its data: an embedded store folder or a Neo4j server. */
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore, type Neo4jConnection } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';

export type StoreTarget =
  { kind: 'embedded'; dataDir: string } | { kind: 'neo4j'; connection: Neo4jConnection };

/** Opens the store with its schema up to date. */
export async function openTarget(target: StoreTarget): Promise<TraceStore> {
  const store =
    target.kind === 'embedded'
      ? await openEmbeddedStore(target.dataDir)
      : await openNeo4jStore(target.connection);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

export async function withStore<T>(target: StoreTarget, work: (store: TraceStore) => Promise<T>): Promise<T> {
  const store = await openTarget(target);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
