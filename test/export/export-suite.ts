/**
 * Export on a real store: the same suite runs on the embedded store and on Neo4j
 * (export.embedded.test.ts, export.neo4j.test.ts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportBundle } from '../../src/export/export';
import { BundleWriteError } from '../../src/fs/staged-bundle';
import { importBundle } from '../../src/import/import';
import type { TraceStore } from '../../src/store/port';
import { barePerson } from '../bare-records';
import { snapshot } from '../import/store-snapshot';
import { BUNDLE_FILE_NAMES, bundleFrom, folderState, removeTemp, tempDir } from '../import/temp-bundle';
import { t } from '../store/fixtures';

/** The header, then the data lines in sorted order (stores scan in their own stable order). */
function csvLines(dir: string, file: string): string[] {
  const [header, ...rows] = readFileSync(path.join(dir, file), 'utf8').split('\n');
  expect(rows.pop()).toBe(''); // every line ends with a newline
  return [header!, ...rows.sort()];
}

export function describeExport(name: string, open: () => Promise<TraceStore>): void {
  describe(`export from the ${name} store`, () => {
    let store: TraceStore;
    const dirs: string[] = [];
    const temp = (): string => {
      const dir = tempDir('tracegraph-export-');
      dirs.push(dir);
      return dir;
    };
    const fixture = (bundle: string): string => {
      const dir = bundleFrom(bundle);
      dirs.push(dir);
      return dir;
    };

    beforeAll(async () => {
      store = await open();
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      dirs.forEach(removeTemp);
    });

    test('writes every kind in the import format: instants with their offset, nulls empty', async () => {
      await store.clear();
      await importBundle(store, fixture('district'));
      const dir = temp();
      const summary = await exportBundle(store, dir, { pageSize: 2 });
      expect(summary.rows).toEqual({
        'places.csv': 6,
        'persons.csv': 4,
        'boats.csv': 1,
        'items.csv': 1,
        'stays.csv': 7,
        'contacts.csv': 1,
        'handlings.csv': 1,
        'samples.csv': 4,
        'cases.csv': 2,
      });
      expect(readdirSync(dir).sort()).toEqual(BUNDLE_FILE_NAMES);
      expect(csvLines(dir, 'places.csv')).toEqual([
        'id,name,kind,lat,lon,capacity',
        'COLD,Cold storage 1,cold_storage,,,',
        'H1,Home 1,home,18.4,109.1,',
        'H2,Home 2,home,,,',
        'MKT,Baogang market,market,,,',
        'PORT,Yazhou Central Fishing Port,fishing_port,18.35,109.17,',
        'QH1,Quarantine hotel 1,quarantine_site,,,50',
      ]);
      expect(csvLines(dir, 'persons.csv')).toEqual([
        'id,name,sex,age,phone,id_number,home_id,occupation',
        'P1,陈大明,M,45,13800001111,460200197701011234,H1,fisher',
        'P2,陈小红,F,42,13800002222,,H1,',
        'P3,Li Wei,M,30,13900003333,,H2,porter',
        'P4,,,,,,,',
      ]);
      expect(csvLines(dir, 'boats.csv')).toEqual([
        'id,name,registration,home_port_id',
        'B1,Qiong Ya Yu 01,QYY-01,PORT',
      ]);
      expect(csvLines(dir, 'items.csv')).toEqual([
        'id,product,lot,origin,arrived_at',
        'L1,frozen shrimp,LOT-77,import,2022-07-28T00:00:00+08:00',
      ]);
      expect(csvLines(dir, 'stays.csv')).toEqual([
        'subject_id,host_id,start,end',
        'B1,PORT,2022-07-31T18:00:00+08:00,2022-08-02T04:00:00+08:00',
        'L1,COLD,2022-07-28T10:00:00+08:00,2022-08-05T10:00:00+08:00',
        'P1,B1,2022-07-30T04:00:00+08:00,2022-07-31T18:00:00+08:00',
        'P1,MKT,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00',
        'P3,B1,2022-07-30T04:00:00+08:00,2022-07-30T12:00:00+08:00',
        'P3,MKT,2022-08-01T09:30:00+08:00,2022-08-01T11:00:00+08:00',
        'P4,MKT,2022-08-03T09:30:00+08:00,2022-08-03T11:00:00+08:00',
      ]);
      expect(csvLines(dir, 'contacts.csv')).toEqual([
        'person_a,person_b,start,end,setting',
        'P1,P4,2022-08-02T19:00:00+08:00,2022-08-02T21:00:00+08:00,social',
      ]);
      expect(csvLines(dir, 'handlings.csv')).toEqual([
        'person_id,item_id,at',
        'P3,L1,2022-07-29T08:00:00+08:00',
      ]);
      expect(csvLines(dir, 'samples.csv')).toEqual([
        'subject_id,sampled_at,result,method,ct',
        'L1,2022-08-01T15:00:00+08:00,positive,pcr,33',
        'MKT,2022-08-04T15:00:00+08:00,negative,pcr,',
        'P1,2022-07-29T10:00:00+08:00,negative,pcr,',
        'P1,2022-08-02T10:00:00+08:00,positive,pcr,24.5',
      ]);
      expect(csvLines(dir, 'cases.csv')).toEqual([
        'person_id,classification,onset,confirmed_at',
        'P1,confirmed,2022-08-01T00:00:00+08:00,2022-08-02T20:00:00+08:00',
        'P3,asymptomatic,,2022-08-05T12:00:00+08:00',
      ]);
    });

    test('round trip: import, export, import into an empty store gives the same records', async () => {
      await store.clear();
      await importBundle(store, fixture('district'));
      await importBundle(store, fixture('district-later'));
      // Values that need quoting, and an instant with milliseconds.
      await store.write({
        persons: [
          {
            id: 'P6',
            name: 'Li "Tiger", Wei\nsecond line',
            sex: 'M',
            age: 0,
            phone: ' 138 ',
            idNumber: null,
            homeId: 'H1',
            occupation: 'net mender, part time',
          },
        ],
        handlings: [{ personId: 'P6', itemId: 'L1', at: t('2022-07-29T08:00:00.250+08:00') }],
      });
      const before = await snapshot(store);
      const dir = temp();
      await exportBundle(store, dir);
      await store.clear();
      const summary = await importBundle(store, dir);
      expect(summary.total).toBe(Object.values(before.counts).reduce((sum, n) => sum + n, 0));
      const after = await snapshot(store);
      // The reader trims values, so the padded phone comes back trimmed; everything else is equal.
      const p6 = (after.records.persons as { id: string; phone: string | null }[]).find((p) => p.id === 'P6');
      expect(p6?.phone).toBe('138');
      (before.records.persons as { id: string; phone: string | null }[]).find((p) => p.id === 'P6')!.phone =
        '138';
      expect(after).toEqual(before);
    });

    test('an import running while the export reads leaves a bundle that imports again', async () => {
      await store.clear();
      await importBundle(store, fixture('district'));
      // A person in a new home, with a stay, a sample and a case, written once the export has
      // read its first file: every row that names them must come with what it names.
      const meanwhile = tempDir('tracegraph-meanwhile-');
      dirs.push(meanwhile);
      for (const [file, text] of Object.entries({
        'places.csv': 'id,name,kind,lat,lon,capacity\nNEWH,New home,home,,,\n',
        'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\nNEWP,New person,,,,,NEWH,\n',
        'stays.csv':
          'subject_id,host_id,start,end\nNEWP,MKT,2022-08-03T09:00:00+08:00,2022-08-03T10:00:00+08:00\n',
        'samples.csv':
          'subject_id,sampled_at,result,method,ct\nNEWP,2022-08-04T09:00:00+08:00,positive,pcr,\n',
        'cases.csv':
          'person_id,classification,onset,confirmed_at\nNEWP,asymptomatic,,2022-08-04T20:00:00+08:00\n',
      })) {
        writeFileSync(path.join(meanwhile, file), text);
      }
      let scans = 0;
      const racing: Pick<TraceStore, 'scan'> = {
        async *scan(kind, pageSize) {
          if (++scans === 2) await importBundle(store, meanwhile);
          yield* store.scan(kind, pageSize);
        },
      };
      const dir = temp();
      await exportBundle(racing, dir, { pageSize: 2 });
      expect(scans).toBe(9);
      const exported = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
      // The import landed between files: some of its records are in the bundle.
      expect(exported('persons.csv')).toContain('NEWP');
      await store.clear();
      await importBundle(store, dir);
      expect((await store.persons(['NEWP']))[0]?.homeId).toBe('NEWH');
    });

    test('an empty store exports nine files with headers only, which import as nothing', async () => {
      await store.clear();
      const dir = temp();
      const summary = await exportBundle(store, dir);
      expect(summary.total).toBe(0);
      expect(readFileSync(path.join(dir, 'handlings.csv'), 'utf8')).toBe('person_id,item_id,at\n');
      expect((await importBundle(store, dir)).total).toBe(0);
      expect(Object.values(await store.counts()).every((n) => n === 0)).toBe(true);
    });

    describe('a failure leaves the folder as it was', () => {
      /** The district exported into a fresh folder: the export a failed one must leave alone. */
      const earlierExport = async (): Promise<string> => {
        await store.clear();
        await importBundle(store, fixture('district'));
        const dir = temp();
        await exportBundle(store, dir);
        writeFileSync(path.join(dir, 'README.txt'), 'kept\n');
        return dir;
      };
      /** The store, its scans failing from the `failAt`-th on (the files are read one scan each). */
      const failingFrom = (failAt: number): Pick<TraceStore, 'scan'> => {
        let scans = 0;
        return {
          async *scan(kind, pageSize) {
            if (++scans >= failAt) throw new Error(`the store went away reading ${kind}`);
            yield* store.scan(kind, pageSize);
          },
        };
      };

      test('the store failing after some files are written: the earlier export is kept, no file left over', async () => {
        const dir = await earlierExport();
        const before = folderState(dir);
        await store.write({ persons: [barePerson('P9', { homeId: 'H1' })] });
        await expect(exportBundle(failingFrom(5), dir)).rejects.toThrow('the store went away reading stays');
        expect(folderState(dir)).toEqual(before);
      });

      test('a folder made for the export is removed again, with those made above it', async () => {
        const parent = temp();
        const dir = path.join(parent, 'new', 'deeper');
        await expect(exportBundle(failingFrom(3), dir)).rejects.toThrow('the store went away');
        expect(readdirSync(parent)).toEqual([]);
      });

      test('a .csv file the format does not name is refused before anything is written: the bundle would not import', async () => {
        const dir = temp();
        writeFileSync(path.join(dir, 'notes.csv'), 'a,b\n');
        writeFileSync(path.join(dir, 'Stays.CSV'), 'a,b\n');
        const exporting = exportBundle(store, dir);
        await expect(exporting).rejects.toBeInstanceOf(BundleWriteError);
        await expect(exporting).rejects.toThrow(
          `cannot write the bundle into ${dir}: ` +
            'Stays.CSV there is not a bundle file, and import would refuse the bundle for it; ' +
            'notes.csv there is not a bundle file, and import would refuse the bundle for it; ' +
            `move them out of ${dir} or choose another folder`,
        );
        expect(readdirSync(dir).sort()).toEqual(['Stays.CSV', 'notes.csv']);
      });

      test('a folder where a bundle file goes is refused, naming it, before anything is written', async () => {
        const dir = await earlierExport();
        rmSync(path.join(dir, 'places.csv'));
        mkdirSync(path.join(dir, 'places.csv'));
        const before = folderState(dir);
        await expect(exportBundle(store, dir)).rejects.toThrow(
          `cannot write the bundle into ${dir}: places.csv there is a folder; move it out of ${dir} or choose another folder`,
        );
        expect(folderState(dir)).toEqual(before);
      });

      test('a rename failing midway (a folder put where cases.csv goes meanwhile) puts back the files renamed before it', async () => {
        const dir = await earlierExport();
        await store.write({ persons: [barePerson('P9', { homeId: 'H1' })] });
        // Files are put in place in the format's order, cases.csv last: eight are renamed first.
        let scans = 0;
        const racing: Pick<TraceStore, 'scan'> = {
          async *scan(kind, pageSize) {
            if (++scans === 1) {
              rmSync(path.join(dir, 'cases.csv'));
              mkdirSync(path.join(dir, 'cases.csv'));
            }
            yield* store.scan(kind, pageSize);
          },
        };
        const before = { ...folderState(dir), 'cases.csv': 'folder' };
        await expect(exportBundle(racing, dir)).rejects.toThrow(
          `cannot write ${path.join(dir, 'cases.csv')}: it is now a folder`,
        );
        expect(folderState(dir)).toEqual(before);
        expect(existsSync(path.join(dir, 'persons.csv'))).toBe(true);
        expect(readFileSync(path.join(dir, 'persons.csv'), 'utf8')).not.toContain('P9');
      });
    });
  });
}
