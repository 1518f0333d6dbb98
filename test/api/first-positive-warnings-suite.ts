/**
 * addSamples and upsertCases warn of a case's first positive sample more than 21 days before its
 * confirmation when one of the two is stored and the other written, in import's words (compared
 * with what validating the same rows as a bundle against the same store says), reading the store
 * once per read for the whole request; the records are written as given. The same suite runs on
 * the embedded store and on Neo4j (first-positive-warnings.embedded.test.ts, .neo4j.test.ts).
 */
import { buildApiSchema } from '../../src/api/schema';
import type { InputProblem } from '../../src/api/errors';
import { validateBundle } from '../../src/import/validate';
import type { TraceStore } from '../../src/store/port';
import { smallDistrict, t } from '../store/fixtures';
import { suiteBundles } from '../import/import-setup';
import { contextFor, countingStore, run } from './helpers';

const ADD_SAMPLES = `mutation ($samples: [SampleInput!]!) { addSamples(samples: $samples) { result } }`;
const UPSERT_CASES = `mutation ($cases: [CaseInput!]!) { upsertCases(cases: $cases) { confirmedAt } }`;
const PERSONS = 'id,name,sex,age,phone,id_number,home_id,occupation\n';
const SAMPLES_HEADER = 'subject_id,sampled_at,result,method,ct\n';
const CASES_HEADER = 'person_id,classification,onset,confirmed_at\n';
const EARLY = 'accepted as given, but its infectious window opens before it: check the date';

/** Import's words as the API says them: its field, not the file's column. */
const inApi = (reason: string): string => reason.replace("the case's confirmed_at", "the case's confirmedAt");

export function describeFirstPositiveWarnings(name: string, open: () => Promise<TraceStore>): void {
  describe(`first positive sample warnings of the API on the ${name} store`, () => {
    const schema = buildApiSchema();
    const bundle = suiteBundles();
    let store: TraceStore;

    beforeAll(async () => {
      store = await open();
      await store.migrate();
    });
    beforeEach(async () => {
      await store.clear();
      await store.write(smallDistrict());
    });
    afterAll(async () => {
      await store?.close();
    });

    /** Runs a mutation as an investigator: its errors, warnings and the store reads it made. */
    async function mutate(
      source: string,
      variables: Record<string, unknown>,
    ): Promise<{ errors: unknown; warnings: InputProblem[]; reads: Record<string, number> }> {
      const counting = countingStore(store);
      const context = contextFor(counting.store, 'investigator');
      const result = await run(schema, context, source, variables);
      const reads = Object.fromEntries(
        ['samplesByKey', 'casesOf', 'samplesOf'].map((read) => [read, counting.calls.get(read) ?? 0]),
      );
      return { errors: result.errors, warnings: context.warnings, reads };
    }

    /** What import says of the same rows, validated as a bundle against the store as it is. */
    async function importWarnings(files: { samples?: string; cases?: string }): Promise<string[]> {
      const dir = bundle(null, {
        'persons.csv': PERSONS,
        ...(files.samples === undefined ? {} : { 'samples.csv': SAMPLES_HEADER + files.samples }),
        ...(files.cases === undefined ? {} : { 'cases.csv': CASES_HEADER + files.cases }),
      });
      return (await validateBundle(store, dir)).warnings.map((w) => w.reason);
    }

    test("a sample weeks before a stored case's confirmation warns on its sampledAt, as import does; the same again says nothing", async () => {
      // P3's case is stored, confirmed 2022-08-05; P2 has no case.
      const samples = [
        { subjectId: 'P2', sampledAt: '2022-07-01T10:00:00+08:00', result: 'POSITIVE', method: 'PCR' },
        { subjectId: 'P3', sampledAt: '2022-07-10T10:00:00+08:00', result: 'POSITIVE', method: 'PCR' },
        { subjectId: 'P3', sampledAt: '2022-07-01T10:00:00+08:00', result: 'POSITIVE', method: 'ANTIGEN' },
      ];
      const reason =
        "2022-07-01, P3's first positive sample, is 35 days before the case's confirmed_at " +
        `(2022-08-05, in the store); ${EARLY}`;
      expect(
        await importWarnings({
          samples:
            'P2,2022-07-01T10:00:00+08:00,positive,pcr,\n' +
            'P3,2022-07-10T10:00:00+08:00,positive,pcr,\n' +
            'P3,2022-07-01T10:00:00+08:00,positive,antigen,\n',
        }),
      ).toEqual([reason]);

      const first = await mutate(ADD_SAMPLES, { samples });
      expect(first.errors).toBeUndefined();
      expect(first.warnings).toEqual([{ path: 'samples[2].sampledAt', reason: inApi(reason) }]);
      // One read of each kind for the whole request.
      expect(first.reads).toEqual({ samplesByKey: 1, casesOf: 1, samplesOf: 1 });
      // Written as given.
      expect((await store.samplesOf(['P3'])).map((s) => [s.sampledAt, s.result, s.method])).toEqual(
        expect.arrayContaining([
          [t('2022-07-10T10:00:00+08:00'), 'positive', 'pcr'],
          [t('2022-07-01T10:00:00+08:00'), 'positive', 'antigen'],
        ]),
      );

      // The sample is the stored first positive now: sent again, it changes nothing.
      const again = await mutate(ADD_SAMPLES, { samples });
      expect([again.errors, again.warnings]).toEqual([undefined, []]);
    });

    test("a case confirmed weeks after its person's stored first positive sample warns on its confirmedAt, as import does", async () => {
      const early = await mutate(ADD_SAMPLES, {
        samples: [
          { subjectId: 'P2', sampledAt: '2022-07-01T10:00:00+08:00', result: 'POSITIVE', method: 'PCR' },
        ],
      });
      // P2 has no case yet: nothing to say.
      expect([early.errors, early.warnings]).toEqual([undefined, []]);
      const reason =
        "2022-07-01, P2's first positive sample (in the store), is 35 days before the case's confirmed_at " +
        `(2022-08-05); ${EARLY}`;
      expect(
        await importWarnings({
          cases:
            'P4,confirmed,2022-08-01,2022-08-03T12:00:00+08:00\nP2,asymptomatic,,2022-08-05T12:00:00+08:00\n',
        }),
      ).toEqual([reason]);

      const cases = [
        // P4 has no sample: nothing to say.
        {
          personId: 'P4',
          classification: 'CONFIRMED',
          onset: '2022-08-01',
          confirmedAt: '2022-08-03T12:00:00+08:00',
        },
        { personId: 'P2', classification: 'ASYMPTOMATIC', confirmedAt: '2022-08-05T12:00:00+08:00' },
      ];
      const result = await mutate(UPSERT_CASES, { cases });
      expect(result.errors).toBeUndefined();
      expect(result.warnings).toEqual([{ path: 'cases[1].confirmedAt', reason: inApi(reason) }]);
      expect(result.reads).toEqual({ samplesByKey: 0, casesOf: 0, samplesOf: 1 });
      // Written as given.
      expect((await store.casesOf(['P2']))[0]?.confirmedAt).toBe(t('2022-08-05T12:00:00+08:00'));
    });

    test('a stored positive sample the same request corrects to negative is no longer the first', async () => {
      // P3's first positive sample is stored, already weeks before its case's confirmation (2022-08-05).
      const storedFirstPositive = {
        samples: [
          {
            subjectId: 'P3',
            sampledAt: t('2022-07-01T10:00:00+08:00'),
            result: 'positive' as const,
            method: 'pcr' as const,
            ct: null,
          },
        ],
      };
      await store.write(storedFirstPositive);
      const later = {
        subjectId: 'P3',
        sampledAt: '2022-07-05T10:00:00+08:00',
        result: 'POSITIVE',
        method: 'PCR',
      };
      // Alone, the new sample is not the first: nothing to say.
      const alone = await mutate(ADD_SAMPLES, { samples: [later] });
      expect([alone.errors, alone.warnings]).toEqual([undefined, []]);

      await store.clear();
      await store.write(smallDistrict());
      await store.write(storedFirstPositive);
      const correction = {
        subjectId: 'P3',
        sampledAt: '2022-07-01T10:00:00+08:00',
        result: 'NEGATIVE',
        method: 'PCR',
      };
      const reasons = [
        "replaces the stored result positive of P3's pcr sample at 2022-07-01T10:00:00+08:00 with negative",
        "2022-07-05, P3's first positive sample, is 31 days before the case's confirmed_at " +
          `(2022-08-05, in the store); ${EARLY}`,
      ];
      expect(
        await importWarnings({
          samples: 'P3,2022-07-01T10:00:00+08:00,negative,pcr,\nP3,2022-07-05T10:00:00+08:00,positive,pcr,\n',
        }),
      ).toEqual(reasons);
      const corrected = await mutate(ADD_SAMPLES, { samples: [correction, later] });
      expect(corrected.errors).toBeUndefined();
      expect(corrected.warnings).toEqual([
        { path: 'samples[0].result', reason: reasons[0] },
        { path: 'samples[1].sampledAt', reason: inApi(reasons[1]!) },
      ]);
      expect(corrected.reads).toEqual({ samplesByKey: 1, casesOf: 1, samplesOf: 1 });
      expect((await store.samplesOf(['P3'])).map((s) => [s.sampledAt, s.result])).toEqual(
        expect.arrayContaining([
          [t('2022-07-01T10:00:00+08:00'), 'negative'],
          [t('2022-07-05T10:00:00+08:00'), 'positive'],
        ]),
      );
    });
  });
}
