import { openNeo4jStore } from '../../src/store/neo4j';
import { neo4jCliEnv, neo4jTestConfig } from '../setup/neo4j';

/** Empties the test Neo4j, then gives the variables that point the command line at it. */
export async function emptiedNeo4jCliEnv(): Promise<Record<string, string>> {
  const config = neo4jTestConfig();
  const store = await openNeo4jStore({ ...config, database: 'neo4j' });
  try {
    await store.clear();
  } finally {
    await store.close();
  }
  return neo4jCliEnv(config);
}
