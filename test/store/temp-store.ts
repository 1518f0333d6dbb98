/** An embedded store in a temporary folder, for suites that need a real store with given records. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordBatch } from '../../src/domain/types';
import { openEmbeddedStore } from '../../src/store/embedded';
import type { TraceStore } from '../../src/store/port';

export interface TempStore {
  store: TraceStore;
  dispose(): Promise<void>;
}

/** An embedded store in a fresh temp dir (named from `prefix`) holding `batch`. */
export async function embeddedStoreWith(
  batch: RecordBatch,
  prefix = 'tracegraph-store-',
): Promise<TempStore> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const store = await openEmbeddedStore(dir);
  await store.migrate();
  await store.write(batch);
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
