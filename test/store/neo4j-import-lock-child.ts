/**
 * Child process for the Neo4j import lock test: takes the import lock on the test server, tells
 * the parent, then holds it until killed.
 */
import { openNeo4jStore } from '../../src/store/neo4j';
import { neo4jTestConfig } from '../setup/neo4j';

async function main(): Promise<void> {
  const store = await openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });
  await store.lockImports();
  process.send?.('locked');
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
