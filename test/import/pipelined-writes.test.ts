/**
 * The import writes one batch while it reads the next (src/import/import.ts): never two writes at
 * once, batches in order, and a failed write stops the import before the session is aborted.
 */
import { importBundle, IMPORT_BATCH_ROWS } from '../../src/import/import';
import { openEmbeddedStore } from '../../src/store/embedded';
import type { TraceStore } from '../../src/store/port';
import { bundleFrom, removeTemp, tempDir } from './temp-bundle';
import { withImportWrites } from './watched-writes';

const PERSONS = 2 * IMPORT_BATCH_ROWS + 1;

/** Long rows, so the stream's read-ahead is small beside a batch. */
function personsCsv(count: number): string {
  const occupation = 'fisher'.padEnd(100, '.');
  const rows = Array.from({ length: count }, (_, i) => `P${i + 1},Person ${i + 1},F,30,,,,${occupation}`);
  return ['id,name,sex,age,phone,id_number,home_id,occupation', ...rows, ''].join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The store with its import session watched: each write is logged and held back, the first one
 * until `firstWriteDone()` says so (or a second has passed).
 */
function watched(
  store: TraceStore,
  events: string[],
  options: { failOnWrite?: number; firstWriteDone?: () => boolean } = {},
): TraceStore {
  let writes = 0;
  return withImportWrites(
    store,
    async (batch, write) => {
      const n = ++writes;
      events.push(`write ${n} start`);
      await sleep(50);
      for (
        let waited = 0;
        n === 1 && options.firstWriteDone && !options.firstWriteDone() && waited < 1000;
        waited += 10
      ) {
        await sleep(10);
      }
      if (n === options.failOnWrite) {
        events.push(`write ${n} failed`);
        throw new Error('the store went away');
      }
      await write(batch);
      events.push(`write ${n} end`);
    },
    { onAbort: () => events.push('abort') },
  );
}

describe('import writes a batch while it reads the next', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTemp));

  async function freshStore(): Promise<TraceStore> {
    const dataDir = tempDir('tracegraph-data-');
    dirs.push(dataDir);
    return openEmbeddedStore(dataDir);
  }

  it('reads on while a batch is written, with one write at a time, in order', async () => {
    const bundle = bundleFrom(null, { 'persons.csv': personsCsv(PERSONS) });
    dirs.push(bundle);
    const store = await freshStore();
    const events: string[] = [];
    // Share of the file read in the write pass: the next batch is read while the first is written.
    let shareRead = 0;
    let shareReadDuringFirstWrite = 0;
    const firstWriteDone = (): boolean => {
      shareReadDuringFirstWrite = shareRead;
      return shareRead >= 0.9;
    };
    try {
      const summary = await importBundle(watched(store, events, { firstWriteDone }), bundle, {
        onProgress: (p) => {
          if (p.phase === 'write') shareRead = (p.bytesDone - p.bytesTotal / 2) / (p.bytesTotal / 2);
        },
      });
      expect(summary.rows['persons.csv']).toBe(PERSONS);
      expect((await store.counts()).persons).toBe(PERSONS);
    } finally {
      await store.close();
    }
    expect(events).toEqual([
      'write 1 start',
      'write 1 end',
      'write 2 start',
      'write 2 end',
      'write 3 start',
      'write 3 end',
    ]);
    // Batch 2 ends at the file's last row but one: it was read before batch 1 was written.
    expect(shareReadDuringFirstWrite).toBeGreaterThanOrEqual(0.9);
  });

  it('stops at a failed write with its error, and aborts only once nothing is being written', async () => {
    const bundle = bundleFrom(null, { 'persons.csv': personsCsv(PERSONS) });
    dirs.push(bundle);
    const store = await freshStore();
    const events: string[] = [];
    try {
      await expect(importBundle(watched(store, events, { failOnWrite: 2 }), bundle)).rejects.toThrow(
        'the store went away',
      );
      expect((await store.counts()).persons).toBe(0);
    } finally {
      await store.close();
    }
    expect(events).toEqual(['write 1 start', 'write 1 end', 'write 2 start', 'write 2 failed', 'abort']);
  });
});
