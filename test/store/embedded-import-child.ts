/**
 * Child process for the embedded store's tests of another process importing: opens the store in
 * the data directory given as argv[2], begins an import, writes a batch (new records and changes
 * to existing ones), tells the parent and then holds the import open, with SQLite's write lock,
 * until the parent kills it or sends `commit` (it then commits, says `committed` and exits).
 */
import { openEmbeddedStore } from '../../src/store/embedded';
import { t } from './fixtures';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: embedded-import-child.ts DATA_DIR');
  const store = await openEmbeddedStore(dataDir);
  const session = await store.beginImport('bundles/other');
  await session.write({
    persons: [
      {
        id: 'P1',
        name: 'renamed by the other import',
        sex: 'M',
        age: 46,
        phone: null,
        idNumber: null,
        homeId: 'H1',
        occupation: null,
      },
      {
        id: 'P9',
        name: 'Zhou Jie',
        sex: 'F',
        age: 33,
        phone: '13700009999',
        idNumber: null,
        homeId: 'H2',
        occupation: null,
      },
    ],
    stays: Array.from({ length: 500 }, (_, i) => ({
      subjectId: 'P9',
      hostId: 'MKT',
      start: t('2022-08-10T00:00:00+08:00') + i * 60_000,
      end: t('2022-08-10T00:00:00+08:00') + i * 60_000 + 30_000,
    })),
    cases: [{ personId: 'P3', classification: 'confirmed', onset: t('2022-08-04'), confirmedAt: null }],
  });
  process.send?.('written');
  process.on('message', (message) => {
    if (message !== 'commit') return;
    session.commit().then(
      () => process.send?.('committed', () => process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
  // Hold the open transaction until killed or told to commit.
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
