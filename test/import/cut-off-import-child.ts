/**
 * Child process for the tests of an import cut off on Neo4j: imports the bundle given as argv[2]
 * into the test server, through the import's own path, until its first batch has committed; then
 * tells the parent `written` and hangs, its next batch never written, until it is killed.
 */
import { importBundle } from '../../src/import/import';
import type { TraceStore } from '../../src/store/port';
import { openMigrated, openTestNeo4j } from './import-setup';
import { withImportWrites } from './watched-writes';

/** The store, its import session stopping for good after the first batch has committed. */
function cutOffAfterFirstBatch(store: TraceStore): TraceStore {
  return withImportWrites(store, async (batch, write) => {
    await write(batch);
    process.send?.('written');
    await new Promise(() => undefined);
  });
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: cut-off-import-child.ts BUNDLE_DIR');
  const store = await openMigrated(openTestNeo4j);
  // Kept alive while it hangs, until killed.
  setInterval(() => undefined, 60_000);
  await importBundle(cutOffAfterFirstBatch(store), dir);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
