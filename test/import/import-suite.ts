/**
 * Import on a real store: the same suite runs on the embedded store and on Neo4j
 * (import.embedded.test.ts, import.neo4j.test.ts).
 */
import { ValidationError, type FieldProblem } from '../../src/domain/errors';
import { importBundle, validateForImport, writeBundle } from '../../src/import/import';
import { EMPTY_STORE } from '../../src/import/validate';
import type { TraceStore } from '../../src/store/port';
import { DISTRICT_COUNTS, smallDistrict, t } from '../store/fixtures';
import { openMigrated, suiteBundles } from './import-setup';
import { snapshot, sortedRecords } from './store-snapshot';
import { withImportWrites } from './watched-writes';

const LATER_PERSONS = 'id,name,sex,age,phone,id_number,home_id,occupation\nP4,Wang Fang,,28,,,,\n';
const LATER_STAYS_HEADER = 'subject_id,host_id,start,end\n';
const SAMPLES_HEADER = 'subject_id,sampled_at,result,method,ct\n';

/**
 * The store, with each record its imports write named in order, by kind: persons by id, samples by
 * subject, instant and method, cases by person.
 */
function recordingWrites(store: TraceStore): {
  writing: TraceStore;
  written: () => Record<string, string[]>;
} {
  const names: Record<string, string[]> = {};
  const nameOf = (kind: string, record: Record<string, unknown>): string =>
    kind === 'samples'
      ? `${String(record.subjectId)} ${new Date(record.sampledAt as number).toISOString()} ${String(record.method)}`
      : String(record.id ?? record.personId);
  const writing = withImportWrites(store, (batch, write) => {
    for (const [kind, records] of Object.entries(batch))
      for (const record of records as Record<string, unknown>[])
        (names[kind] ??= []).push(nameOf(kind, record));
    return write(batch);
  });
  return { writing, written: () => names };
}

/** A bad bundle: the later bundle (which would change the store) with one file broken. */
interface BadBundle {
  name: string;
  files: Record<string, string | Buffer | null>;
  problems: FieldProblem[] | ((dir: string) => FieldProblem[]);
}

const BAD_BUNDLES: BadBundle[] = [
  {
    name: 'no persons.csv',
    files: { 'persons.csv': null },
    problems: (dir) => [
      { file: 'persons.csv', line: 0, column: '', reason: `is missing from ${dir} (every bundle needs one)` },
    ],
  },
  {
    name: 'a missing column',
    files: { 'stays.csv': 'subject_id,host_id,start\nP2,MKT,2022-08-01T09:45:00+08:00\n' },
    problems: [
      {
        file: 'stays.csv',
        line: 1,
        column: '',
        reason: 'header is missing column "end" (found: subject_id, host_id, start)',
      },
    ],
  },
  {
    name: 'an unknown reference',
    files: {
      'stays.csv':
        LATER_STAYS_HEADER +
        'P2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T09:55:00+08:00\nP9,MKT,2022-08-03T10:00:00+08:00,2022-08-03T10:30:00+08:00\n',
    },
    problems: [
      {
        file: 'stays.csv',
        line: 3,
        column: 'subject_id',
        reason: 'no person, item or boat "P9" in this bundle or in the store',
      },
    ],
  },
  {
    name: 'a reference to an id of the wrong kind',
    files: { 'handlings.csv': 'person_id,item_id,at\nP5,B1,2022-08-04T08:00:00+08:00\n' },
    problems: [
      {
        file: 'handlings.csv',
        line: 2,
        column: 'item_id',
        reason: '"B1" is a boat (in the store), not an item',
      },
    ],
  },
  {
    name: 'a home_id naming a place that is not a home',
    files: { 'persons.csv': LATER_PERSONS + 'P5,Zhao Min,F,35,13700005555,,MKT,vendor\n' },
    problems: [
      {
        file: 'persons.csv',
        line: 3,
        column: 'home_id',
        reason: '"MKT" is a place of kind market (in the store), not a home',
      },
    ],
  },
  {
    name: 'a home made another kind of place while a person in the store lives there',
    files: {
      'places.csv': 'id,name,kind,lat,lon,capacity\nH2,Home 2,shop,,,\n',
      'persons.csv': LATER_PERSONS + 'P5,Zhao Min,F,35,13700005555,,H1,vendor\n',
    },
    problems: [
      {
        file: 'places.csv',
        line: 2,
        column: 'kind',
        reason:
          '"H2" is the home_id of 1 person(s) in the store (P3), so it cannot be a shop: a home_id names a place of kind home',
      },
    ],
  },
  {
    name: 'an end before its start',
    files: {
      'stays.csv': LATER_STAYS_HEADER + 'P2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T09:40:00+08:00\n',
    },
    problems: [{ file: 'stays.csv', line: 2, column: 'end', reason: 'is before start' }],
  },
  {
    name: 'a timestamp without an offset',
    files: { 'stays.csv': LATER_STAYS_HEADER + 'P2,MKT,2022-08-01 09:45,2022-08-01T09:55:00+08:00\n' },
    problems: [
      {
        file: 'stays.csv',
        line: 2,
        column: 'start',
        reason: '"2022-08-01 09:45" is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00)',
      },
    ],
  },
  {
    name: 'a value outside its enum',
    files: {
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\nP1,2022-08-02T10:00:00+08:00,positive,pcr,22\nP5,2022-08-06T09:00:00+08:00,pos,antigen,\n',
    },
    problems: [
      { file: 'samples.csv', line: 3, column: 'result', reason: '"pos" is not one of positive, negative' },
    ],
  },
  {
    name: 'one id twice with different fields',
    files: { 'persons.csv': LATER_PERSONS + 'P5,Zhao Min,F,35,,,H2,vendor\nP5,Zhao Min,F,36,,,H2,vendor\n' },
    problems: [
      {
        file: 'persons.csv',
        line: 4,
        column: 'age',
        reason: '"P5" is defined again with another age ("35" on line 3, "36" on line 4)',
      },
    ],
  },
  {
    name: 'an empty file',
    files: { 'contacts.csv': '' },
    problems: [
      {
        file: 'contacts.csv',
        line: 0,
        column: '',
        reason: 'is empty: the first line must be a header naming the columns',
      },
    ],
  },
  {
    name: 'a file in Latin-1',
    files: {
      'persons.csv': Buffer.concat([
        Buffer.from(LATER_PERSONS + 'P5,Zhao M'),
        Buffer.from([0xed]), // í in Latin-1
        Buffer.from('n,F,35,,,H2,vendor\n'),
      ]),
    },
    problems: [
      {
        file: 'persons.csv',
        line: 3,
        column: '',
        reason:
          'is not UTF-8 text (this line has a byte of another encoding, e.g. GBK or Latin-1); save the file as UTF-8',
      },
    ],
  },
  {
    name: 'a file saved as UTF-16',
    files: {
      'persons.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LATER_PERSONS, 'utf16le')]),
    },
    problems: [
      {
        file: 'persons.csv',
        line: 1,
        column: '',
        reason:
          'is UTF-16LE text, not UTF-8 (it begins with the byte-order mark FF FE); save the file as UTF-8 ' +
          '(in Excel: Save As, "CSV UTF-8 (Comma delimited)"), or convert it with iconv -f UTF-16LE -t UTF-8',
      },
    ],
  },
  {
    name: 'a line ending in a carriage return alone among LF lines',
    files: {
      'stays.csv':
        LATER_STAYS_HEADER +
        'P2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T09:55:00+08:00\r' +
        'P2,MKT,2022-08-02T09:45:00+08:00,2022-08-02T09:55:00+08:00\n',
    },
    problems: [
      {
        file: 'stays.csv',
        line: 2,
        column: '',
        reason:
          'the line ends in a carriage return alone (CR), unlike the lines before it (the file mixes line endings); ' +
          'save the file with LF or CRLF line endings throughout',
      },
    ],
  },
  {
    name: 'malformed quoting',
    files: { 'persons.csv': LATER_PERSONS + 'P5,"Zhao" Min,F,35,,,H2,vendor\n' },
    problems: [
      {
        file: 'persons.csv',
        line: 3,
        column: 'name',
        reason:
          'malformed CSV: text follows a closing quote before the next comma (write "" for a quote inside a quoted value)',
      },
    ],
  },
];

export function describeImport(name: string, open: () => Promise<TraceStore>): void {
  describe(`import into the ${name} store`, () => {
    let store: TraceStore;
    const bundle = suiteBundles();

    beforeAll(async () => {
      store = await openMigrated(open);
      await store.clear();
    });
    afterAll(async () => {
      await store?.close();
    });

    test('imports the district bundle: every record as written, the repeated stay once', async () => {
      await store.clear();
      const summary = await importBundle(store, bundle('district'));
      expect(summary.rows).toEqual({
        'places.csv': 6,
        'persons.csv': 4,
        'boats.csv': 1,
        'items.csv': 1,
        'stays.csv': 8,
        'contacts.csv': 1,
        'handlings.csv': 1,
        'samples.csv': 4,
        'cases.csv': 2,
      });
      expect(summary.total).toBe(28);
      expect([summary.records, summary.repeats]).toEqual([summary.rows, {}]);
      const district = smallDistrict();
      const { counts, records } = await snapshot(store);
      expect(counts).toEqual(DISTRICT_COUNTS);
      for (const key of Object.keys(records) as (keyof typeof records)[]) {
        expect([key, records[key]]).toEqual([key, sortedRecords(district[key] as unknown[])]);
      }
    });

    test('an exact duplicate entity row is accepted and written once', async () => {
      await store.clear();
      const persons =
        'id,name,sex,age,phone,id_number,home_id,occupation\nP1,Ana,F,30,,,,\nP2,,,,,,,\nP1,Ana,F,30,,,,\n';
      const summary = await importBundle(store, bundle(null, { 'persons.csv': persons }));
      expect(summary.rows['persons.csv']).toBe(3);
      expect(summary.records['persons.csv']).toBe(2);
      expect((await store.counts()).persons).toBe(2);
      expect(await store.persons(['P1'])).toEqual([
        {
          id: 'P1',
          name: 'Ana',
          sex: 'F',
          age: 30,
          phone: null,
          idNumber: null,
          homeId: null,
          occupation: null,
        },
      ]);
    });

    test('the summary counts records, as stats does, and each row repeating one with the same fields is a warning', async () => {
      const files = {
        'persons.csv':
          'id,name,sex,age,phone,id_number,home_id,occupation\n' +
          'P1,Ana,F,30,,,,\nP2,,,,,,,\nP1,Ana,f,30,,,,\nP3,,,,,,,\nP1,Ana,F,30,,,,\n',
        'samples.csv': `${SAMPLES_HEADER}P2,2022-08-02T10:00:00+08:00,positive,pcr,\nP2,2022-08-02T02:00:00Z,positive,PCR,\n`,
        'cases.csv':
          'person_id,classification,onset,confirmed_at\nP2,asymptomatic,,2022-08-03\nP2,asymptomatic,,2022-08-03\n',
      };
      const same = 'with the same fields';
      const expected = {
        rows: { 'persons.csv': 5, 'samples.csv': 2, 'cases.csv': 2 },
        records: { 'persons.csv': 3, 'samples.csv': 1, 'cases.csv': 1 },
        total: 5,
        repeats: { 'persons.csv': 2, 'samples.csv': 1, 'cases.csv': 1 },
        warnings: [
          {
            file: 'persons.csv',
            line: 4,
            column: 'id',
            reason: `"P1" is defined again ${same} (first at line 2); this row is skipped`,
          },
          {
            file: 'persons.csv',
            line: 6,
            column: 'id',
            reason: `"P1" is defined again ${same} (first at line 2); this row is skipped`,
          },
          {
            file: 'samples.csv',
            line: 3,
            column: 'subject_id',
            reason: `repeats the subject, sampled_at and method of line 2 ${same}; this row is skipped`,
          },
          {
            file: 'cases.csv',
            line: 3,
            column: 'person_id',
            reason: `repeats the person of line 2 ${same}; this row is skipped`,
          },
        ],
        warningsTotal: 4,
      };
      const counts = {
        persons: 3,
        places: 0,
        boats: 0,
        items: 0,
        stays: 0,
        contacts: 0,
        handlings: 0,
        samples: 1,
        cases: 1,
      };
      // Imported as into a store, and written after validating against no store, as the command
      // line's import into a folder with no store is.
      await store.clear();
      const dir = bundle(null, files);
      const { writing, written } = recordingWrites(store);
      expect(await importBundle(writing, dir)).toMatchObject(expected);
      expect(await store.counts()).toEqual(counts);
      // Skipped, not written again: each record goes to the store once.
      const writtenOnce = {
        persons: ['P1', 'P2', 'P3'],
        samples: ['P2 2022-08-02T02:00:00.000Z pcr'],
        cases: ['P2'],
      };
      expect(written()).toEqual(writtenOnce);
      await store.clear();
      const again = recordingWrites(store);
      expect(await writeBundle(again.writing, await validateForImport(EMPTY_STORE, dir))).toMatchObject(
        expected,
      );
      expect(await store.counts()).toEqual(counts);
      expect(again.written()).toEqual(writtenOnce);
    });

    test('reports progress over both passes, ending at the size of the bundle twice', async () => {
      await store.clear();
      const seen: { phase: string; bytesDone: number; bytesTotal: number }[] = [];
      await importBundle(store, bundle('district'), { onProgress: (p) => seen.push(p) });
      expect(seen.some((p) => p.phase === 'validate')).toBe(true);
      const last = seen[seen.length - 1]!;
      expect(last.phase).toBe('write');
      expect(last.bytesDone).toBe(last.bytesTotal);
      expect(seen.every((p, i) => i === 0 || p.bytesDone >= seen[i - 1]!.bytesDone)).toBe(true);
    });

    test('importing the same bundle twice leaves the store as after the first import', async () => {
      await store.clear();
      const dir = bundle('district');
      await importBundle(store, dir);
      const first = await snapshot(store);
      await importBundle(store, dir);
      expect(await snapshot(store)).toEqual(first);
    });

    test('a later bundle adds stays, samples and persons and updates persons, samples and cases', async () => {
      await store.clear();
      await importBundle(store, bundle('district'));
      const summary = await importBundle(store, bundle('district-later'));
      expect(summary.rows).toEqual({ 'persons.csv': 2, 'stays.csv': 2, 'samples.csv': 2, 'cases.csv': 1 });
      expect(await store.counts()).toEqual({
        persons: 5,
        places: 6,
        boats: 1,
        items: 1,
        stays: 9,
        contacts: 1,
        handlings: 1,
        samples: 5,
        cases: 2,
      });
      expect(await store.persons(['P4', 'P5'])).toEqual([
        {
          id: 'P4',
          name: 'Wang Fang',
          sex: null,
          age: 28,
          phone: null,
          idNumber: null,
          homeId: null,
          occupation: null,
        },
        {
          id: 'P5',
          name: 'Zhao Min',
          sex: 'F',
          age: 35,
          phone: '13700005555',
          idNumber: null,
          homeId: 'H2',
          occupation: 'vendor',
        },
      ]);
      expect(await store.casesOf(['P3'])).toEqual([
        {
          personId: 'P3',
          classification: 'confirmed',
          onset: t('2022-08-04'),
          confirmedAt: t('2022-08-05T12:00:00+08:00'),
        },
      ]);
      expect(sortedRecords(await store.samplesOf(['P1', 'P5']))).toEqual(
        sortedRecords([
          {
            subjectId: 'P1',
            sampledAt: t('2022-07-29T10:00:00+08:00'),
            result: 'negative',
            method: 'pcr',
            ct: null,
          },
          {
            subjectId: 'P1',
            sampledAt: t('2022-08-02T10:00:00+08:00'),
            result: 'positive',
            method: 'pcr',
            ct: 22,
          },
          {
            subjectId: 'P5',
            sampledAt: t('2022-08-06T09:00:00+08:00'),
            result: 'positive',
            method: 'antigen',
            ct: null,
          },
        ]),
      );
      const p2 = await store.staysOfSubjects([{ id: 'P2', from: t('2022-08-01'), to: t('2022-08-02') }]);
      expect(p2).toEqual([
        {
          subjectId: 'P2',
          hostId: 'MKT',
          start: t('2022-08-01T09:45:00+08:00'),
          end: t('2022-08-01T09:55:00+08:00'),
        },
      ]);
    });

    test('a bundle correcting a stored sample says so on its line, and the same bundle again says nothing', async () => {
      await store.clear();
      await importBundle(store, bundle('district'));
      const corrected = bundle(null, {
        'persons.csv': LATER_PERSONS,
        'samples.csv': `${SAMPLES_HEADER}P1,2022-07-29T10:00:00+08:00,positive,pcr,30\n`,
      });
      const summary = await importBundle(store, corrected);
      expect(summary.warnings).toEqual([
        {
          file: 'samples.csv',
          line: 2,
          column: 'result',
          reason:
            "replaces the stored result negative of P1's pcr sample at 2022-07-29T10:00:00+08:00 with positive",
        },
        {
          file: 'samples.csv',
          line: 2,
          column: 'ct',
          reason: "replaces the stored ct (empty) of P1's pcr sample at 2022-07-29T10:00:00+08:00 with 30",
        },
      ]);
      expect(summary.warningsTotal).toBe(2);
      // Written as given: a correction is legitimate.
      expect(
        await store.samplesByKey([
          { subjectId: 'P1', sampledAt: t('2022-07-29T10:00:00+08:00'), method: 'pcr' },
        ]),
      ).toEqual([
        {
          subjectId: 'P1',
          sampledAt: t('2022-07-29T10:00:00+08:00'),
          result: 'positive',
          method: 'pcr',
          ct: 30,
        },
      ]);
      const again = await importBundle(store, corrected);
      expect([again.warnings, again.warningsTotal]).toEqual([[], 0]);
    });

    test("a first positive sample weeks before a case's confirmation warns when the other is stored, either way", async () => {
      await store.clear();
      await importBundle(store, bundle('district'));
      // P3's case is stored (confirmed 2022-08-05): the bundle brings its first positive sample.
      const samples = await importBundle(
        store,
        bundle(null, {
          'persons.csv': LATER_PERSONS,
          'samples.csv': `${SAMPLES_HEADER}P3,2022-07-01T10:00:00+08:00,positive,antigen,\nP2,2022-07-01T10:00:00+08:00,positive,pcr,\n`,
        }),
      );
      expect(samples.warnings).toEqual([
        {
          file: 'samples.csv',
          line: 2,
          column: 'sampled_at',
          reason:
            "2022-07-01, P3's first positive sample, is 35 days before the case's confirmed_at (2022-08-05, in " +
            'the store); accepted as given, but its infectious window opens before it: check the date',
        },
      ]);
      // P2's positive sample is stored now: the bundle brings its case.
      const cases = await importBundle(
        store,
        bundle(null, {
          'persons.csv': LATER_PERSONS,
          'cases.csv':
            'person_id,classification,onset,confirmed_at\nP2,asymptomatic,,2022-08-05T12:00:00+08:00\n',
        }),
      );
      expect(cases.warnings).toEqual([
        {
          file: 'cases.csv',
          line: 2,
          column: 'confirmed_at',
          reason:
            "2022-07-01, P2's first positive sample (in the store), is 35 days before the case's confirmed_at " +
            '(2022-08-05); accepted as given, but its infectious window opens before it: check the date',
        },
      ]);
      expect((await store.casesOf(['P2']))[0]?.confirmedAt).toBe(t('2022-08-05T12:00:00+08:00'));
    });

    test('warnings come in file then line order, whichever check found them and when', async () => {
      await store.clear();
      await importBundle(store, bundle('district'));
      const summary = await importBundle(
        store,
        bundle(null, {
          'persons.csv': LATER_PERSONS,
          'samples.csv':
            SAMPLES_HEADER +
            // Weeks before P3's stored case: found once every file is read.
            'P3,2022-07-01T10:00:00+08:00,positive,antigen,\n' +
            // Corrects P1's stored negative sample: found once samples.csv is read.
            'P1,2022-07-29T10:00:00+08:00,positive,pcr,\n' +
            // Weeks before P2's case of cases.csv:2: found once cases.csv is read.
            'P2,2022-07-01T10:00:00+08:00,positive,pcr,\n',
          'cases.csv':
            'person_id,classification,onset,confirmed_at\n' +
            'P2,asymptomatic,,2022-08-05T12:00:00+08:00\n' +
            // An onset weeks before the confirmation: found as the row is read.
            'P4,confirmed,2021-08-03,2022-08-04T12:00:00+08:00\n',
        }),
      );
      const early = 'accepted as given, but its infectious window opens before it: check the date';
      expect(summary.warnings.map((w) => `${w.file}:${w.line}: ${w.column}: ${w.reason}`)).toEqual([
        "samples.csv:2: sampled_at: 2022-07-01, P3's first positive sample, is 35 days before the case's " +
          `confirmed_at (2022-08-05, in the store); ${early}`,
        "samples.csv:3: result: replaces the stored result negative of P1's pcr sample at " +
          '2022-07-29T10:00:00+08:00 with positive',
        "samples.csv:4: sampled_at: 2022-07-01, P2's first positive sample, is 35 days before the case's " +
          `confirmed_at (2022-08-05, cases.csv:2); ${early}`,
        `cases.csv:3: onset: 2021-08-03 is 366 days before confirmed_at (2022-08-04); ${early}`,
      ]);
      expect(summary.warningsTotal).toBe(4);
    });

    test('a bundle may make a home another kind of place only once it moves everyone who lived there', async () => {
      await store.clear();
      await importBundle(store, bundle('district'));
      const before = await snapshot(store);
      const places = 'id,name,kind,lat,lon,capacity\nH2,Home 2,shop,,,\n';
      const header = 'id,name,sex,age,phone,id_number,home_id,occupation\n';
      const p3At = (home: string) => `${header}P3,Li Wei,M,30,13900003333,,${home},porter\n`;
      // P3 lives at H2 in the store, or still does as the bundle has it: refused, nothing written.
      for (const persons of [header, p3At('H2')]) {
        const refused = bundle(null, { 'places.csv': places, 'persons.csv': persons });
        expect(await importBundle(store, refused).catch((err: unknown) => err)).toBeInstanceOf(
          ValidationError,
        );
        expect(await snapshot(store)).toEqual(before);
      }
      await importBundle(store, bundle(null, { 'places.csv': places, 'persons.csv': p3At('H1') }));
      expect((await store.places(['H2']))[0]?.kind).toBe('shop');
      expect((await store.persons(['P3']))[0]?.homeId).toBe('H1');
      expect(await store.residentCounts(['H1', 'H2'])).toEqual([{ homeId: 'H1', residents: 3 }]);
    });

    describe('a bundle with a problem is refused with one clear message and changes nothing', () => {
      let before: Awaited<ReturnType<typeof snapshot>>;
      beforeAll(async () => {
        await store.clear();
        await importBundle(store, bundle('district'));
        before = await snapshot(store);
      });

      test.each(BAD_BUNDLES)('$name', async ({ files, problems }) => {
        const dir = bundle('district-later', files);
        const expected = typeof problems === 'function' ? problems(dir) : problems;
        const error = await importBundle(store, dir).then(
          () => null,
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems).toEqual(expected);
        const [p] = expected;
        const where = p!.line > 0 ? `${p!.file}:${p!.line}` : p!.file;
        const column = p!.column ? ` column "${p!.column}":` : '';
        expect((error as ValidationError).message).toBe(
          `1 problem found; nothing was written:\n  ${where}:${column} ${p!.reason}`,
        );
        expect(await snapshot(store)).toEqual(before);
      });

      test('the problems are listed in file then line order, whichever check found them and when', async () => {
        const dir = bundle('district-later', {
          // P3 of the store lives at H2: found once persons.csv is read.
          'places.csv': 'id,name,kind,lat,lon,capacity\nH2,Home 2,shop,,,\n',
          // A market as home: found once every file of ids is read.
          'persons.csv': LATER_PERSONS + 'P5,Zhao Min,F,35,13700005555,,MKT,vendor\n',
          'stays.csv':
            LATER_STAYS_HEADER +
            // An id neither the bundle nor the store has: found once the store is asked, at the end.
            'P2,NOWHERE,2022-08-01T09:45:00+08:00,2022-08-01T09:55:00+08:00\n' +
            // Found as the row is read.
            'P2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T09:40:00+08:00\n',
        });
        const error = (await importBundle(store, dir).catch((err: unknown) => err)) as ValidationError;
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.message.split('\n')).toEqual([
          '4 problems found; nothing was written:',
          '  places.csv:2: column "kind": "H2" is the home_id of 1 person(s) in the store (P3), so it cannot be a ' +
            'shop: a home_id names a place of kind home',
          '  persons.csv:3: column "home_id": "MKT" is a place of kind market (in the store), not a home',
          '  stays.csv:2: column "host_id": no place or boat "NOWHERE" in this bundle or in the store',
          '  stays.csv:3: column "end": is before start',
        ]);
        expect(await snapshot(store)).toEqual(before);
      });

      test('an id another import claims between validation and writing is named by file and line', async () => {
        // Another import makes P5 a place after this bundle (where P5 is a person) was validated.
        // That takes an import not holding the import lock: as on the embedded store, whose
        // imports take none (its own transaction is refused whole); on Neo4j the lock makes the
        // other wait (import-lock.neo4j.test.ts).
        const other = bundle(null, {
          'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\n',
          'places.csv': 'id,name,kind,lat,lon,capacity\nP5,Pier 5,checkpoint,,,\n',
        });
        const racing = Object.assign(Object.create(store) as TraceStore, {
          lockImports: async () => ({ release: async () => undefined }),
          beginImport: async (dir: string) => {
            await importBundle(store, other);
            return store.beginImport(dir);
          },
        });
        const error = (await importBundle(racing, bundle('district-later')).catch((err: unknown) => err)) as
          ValidationError | undefined;
        expect(error).toBeInstanceOf(ValidationError);
        expect(error!.problems).toEqual([
          {
            file: 'persons.csv',
            line: 3,
            column: 'id',
            reason: expect.stringContaining('"P5"') as unknown as string,
          },
        ]);
        expect(error!.message).toMatch(
          /^1 problem found; nothing was written:\n  persons\.csv:3: column "id": /,
        );
        // Nothing of this bundle was written; the other import stays.
        const now = await snapshot(store);
        expect((await store.places(['P5']))[0]?.kind).toBe('checkpoint');
        await store.clear();
        await importBundle(store, bundle('district'));
        await importBundle(store, other);
        expect(now).toEqual(await snapshot(store));
        await store.clear();
        await importBundle(store, bundle('district'));
        expect(await snapshot(store)).toEqual(before);
      });

      test('a bundle validated against no store is validated again against one made and filled meanwhile', async () => {
        // What `tracegraph import` does for a store not made yet: validate, then make the store and
        // write. Another import made it meanwhile, with H1 a person. (places.csv is written first,
        // so the refusal comes before any batch commits, on Neo4j too.)
        await store.clear();
        const validated = await validateForImport(EMPTY_STORE, bundle('district'));
        await importBundle(
          store,
          bundle(null, {
            'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\nH1,Ho Yi,,,,,,\n',
          }),
        );
        const filled = await snapshot(store);
        const error = (await writeBundle(store, validated).catch((err: unknown) => err)) as
          ValidationError | undefined;
        expect(error).toBeInstanceOf(ValidationError);
        expect(error!.problems).toEqual([
          {
            file: 'places.csv',
            line: 2,
            column: 'id',
            reason: '"H1" is already a person in the store; ids are unique across bundles',
          },
        ]);
        expect(await snapshot(store)).toEqual(filled);
        await store.clear();
        await importBundle(store, bundle('district'));
        expect(await snapshot(store)).toEqual(before);
      });

      test('many problems: the first 100 are kept, all are counted', async () => {
        const rows = Array.from(
          { length: 150 },
          (_, i) =>
            `P2,MKT,2022-08-01T09:45:00+08:00,2022-08-01T08:${String(i % 60).padStart(2, '0')}:00+08:00`,
        );
        const dir = bundle('district-later', { 'stays.csv': LATER_STAYS_HEADER + rows.join('\n') + '\n' });
        const error = (await importBundle(store, dir).catch((err: unknown) => err)) as ValidationError;
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.total).toBe(150);
        expect(error.problems).toHaveLength(100);
        expect(error.problems[0]).toEqual({
          file: 'stays.csv',
          line: 2,
          column: 'end',
          reason: 'is before start',
        });
        expect(error.message.split('\n').pop()).toBe('  ... and 50 more');
        expect(await snapshot(store)).toEqual(before);
      });
    });
  });
}
