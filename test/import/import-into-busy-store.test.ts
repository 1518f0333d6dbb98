/**
 * `tracegraph import` into an embedded store whose write lock an import in another process holds:
 * it says it waits, and after the busy timeout that it gave up, exit 1, writing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded';
import { ROOT, runCli } from '../cli/run-cli';
import { DISTRICT_COUNTS, smallDistrict } from '../store/fixtures';
import { importingProcess, type ImportingProcess } from '../store/importing-process';

jest.setTimeout(120_000);

const LATER = path.join(ROOT, 'test', 'fixtures', 'bundles', 'district-later');

describe('import into an embedded store another process is importing into', () => {
  let dataDir: string;
  let importer: ImportingProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tracegraph-busy-import-'));
    const store = await openEmbeddedStore(dataDir);
    await store.write(smallDistrict());
    await store.close();
  }, 300_000);
  afterAll(async () => {
    await importer?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('says it waits, then is refused after the busy timeout, saying why and what to do, with no stack; nothing is written', async () => {
    importer = await importingProcess(dataDir);
    const imported = await runCli(['--data', dataDir, 'import', LATER], { timeoutMs: 60_000 });
    await importer.kill();

    const locked = `${path.join(dataDir, 'tracegraph.db')} is locked by another writer (an import in another process?)`;
    expect(imported).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `${locked}: waiting up to 5 s for it to end before importing ${LATER} (Ctrl-C stops this import; ` +
        'nothing is written until then)\n' +
        `error: ${locked}; nothing was written: try again when it ends\n`,
    });
    // The killed import's batch is rolled back; of the refused import nothing was written.
    const store = await openEmbeddedStore(dataDir);
    try {
      expect(await store.counts()).toEqual(DISTRICT_COUNTS);
    } finally {
      await store.close();
    }
  });
});
