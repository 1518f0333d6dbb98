import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ValidationError, type FieldProblem } from '../../src/domain/errors';
import type { Case, EntityKind, Id, Person, Place, PlaceKind, Sample } from '../../src/domain/types';
import { validateBundle, type ValidationStore, type ValidationOptions } from '../../src/import/validate';
import { sampleKeyText, type ResidentCount, type SampleKey } from '../../src/store/port';
import { barePerson, barePlace } from '../bare-records';
import { bundleFrom, removeTemp } from './temp-bundle';

/**
 * A store that knows only the kinds of some ids (of places, their kinds of place, `home` unless
 * given; of persons, their homes) and the samples and cases given it, and records how it was asked.
 */
class KnownKinds implements ValidationStore {
  /** The ids asked for in each call of entityKinds. */
  readonly calls: Id[][] = [];
  /** The ids asked for in each call of places. */
  readonly placeCalls: Id[][] = [];
  /** The ids asked for in each call of residentCounts. */
  readonly countCalls: Id[][] = [];
  /** The ids asked for in each call of residentsOf. */
  readonly residentCalls: Id[][] = [];
  /** The keys asked for in each call of samplesByKey, and the ids in each of samplesOf and casesOf. */
  readonly sampleKeyCalls: SampleKey[][] = [];
  readonly samplesOfCalls: Id[][] = [];
  readonly casesOfCalls: Id[][] = [];
  /** Stored samples and cases. */
  samples: Sample[] = [];
  cases: Case[] = [];
  constructor(
    private readonly kinds: Record<Id, EntityKind> = {},
    private readonly placeKinds: Record<Id, PlaceKind> = {},
    private readonly homes: Record<Id, Id> = {},
  ) {}
  async entityKinds(ids: readonly Id[]): Promise<(EntityKind | null)[]> {
    this.calls.push([...ids]);
    return ids.map((id) => this.kinds[id] ?? null);
  }
  async places(ids: readonly Id[]): Promise<(Place | null)[]> {
    this.placeCalls.push([...ids]);
    return ids.map((id) =>
      this.kinds[id] === 'place' ? barePlace(id, this.placeKinds[id] ?? 'home') : null,
    );
  }
  async residentsOf(homeIds: readonly Id[]): Promise<Person[]> {
    this.residentCalls.push([...homeIds]);
    return Object.entries(this.homes)
      .filter(([, home]) => homeIds.includes(home))
      .map(([id, homeId]) => barePerson(id, { homeId }));
  }
  async samplesByKey(keys: readonly SampleKey[]): Promise<(Sample | null)[]> {
    this.sampleKeyCalls.push([...keys]);
    return keys.map((k) => this.samples.find((s) => sampleKeyText(s) === sampleKeyText(k)) ?? null);
  }
  async samplesOf(subjectIds: readonly Id[]): Promise<Sample[]> {
    this.samplesOfCalls.push([...subjectIds]);
    return this.samples.filter((s) => subjectIds.includes(s.subjectId));
  }
  async casesOf(personIds: readonly Id[]): Promise<(Case | null)[]> {
    this.casesOfCalls.push([...personIds]);
    return personIds.map((id) => this.cases.find((c) => c.personId === id) ?? null);
  }
  async residentCounts(homeIds: readonly Id[]): Promise<ResidentCount[]> {
    this.countCalls.push([...homeIds]);
    return [...new Set(homeIds)].flatMap((homeId) => {
      const residents = Object.values(this.homes).filter((home) => home === homeId).length;
      return residents ? [{ homeId, residents }] : [];
    });
  }
}

/** The kinds of the district's places other than homes, and who lives where, as the store has them. */
const DISTRICT_PLACE_KINDS: Record<Id, PlaceKind> = {
  PORT: 'fishing_port',
  MKT: 'market',
  COLD: 'cold_storage',
  QH1: 'quarantine_site',
};
const DISTRICT_HOMES: Record<Id, Id> = { P1: 'H1', P2: 'H1', P3: 'H2' };

const DISTRICT_IN_STORE: Record<Id, EntityKind> = {
  H1: 'place',
  H2: 'place',
  PORT: 'place',
  MKT: 'place',
  COLD: 'place',
  QH1: 'place',
  P1: 'person',
  P2: 'person',
  P3: 'person',
  P4: 'person',
  B1: 'boat',
  L1: 'item',
};

const PERSONS_HEADER = 'id,name,sex,age,phone,id_number,home_id,occupation\n';

const made: string[] = [];
function bundle(name: string | null, files: Record<string, string | Buffer | null> = {}): string {
  const dir = bundleFrom(name, files);
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach(removeTemp));

async function problemsOf(
  dir: string,
  store: ValidationStore = new KnownKinds(),
  options: ValidationOptions = {},
): Promise<{ problems: FieldProblem[]; total: number }> {
  try {
    await validateBundle(store, dir, options);
  } catch (err) {
    if (err instanceof ValidationError) return { problems: err.problems, total: err.total };
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('validateBundle', () => {
  test('accepts the district bundle and counts the rows of each file', async () => {
    const result = await validateBundle(new KnownKinds(), bundle('district'));
    expect(result.rows).toEqual({
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
    expect(result.files.map((f) => f.spec.file)).toEqual([
      'places.csv',
      'persons.csv',
      'boats.csv',
      'items.csv',
      'stays.csv',
      'contacts.csv',
      'handlings.csv',
      'samples.csv',
      'cases.csv',
    ]);
  });

  test('an onset weeks before the confirmation is imported, with a warning naming file, line and column', async () => {
    const dir = bundle('district', {
      'cases.csv':
        'person_id,classification,onset,confirmed_at\n' +
        'P1,confirmed,2021-08-12,2022-08-12T20:00:00+08:00\n' +
        'P2,confirmed,2022-07-22,2022-08-12T20:00:00+08:00\n',
    });
    const result = await validateBundle(new KnownKinds(), dir);
    expect(result.rows['cases.csv']).toBe(2);
    // 2022-07-22 is 21 days before: within the bound, no warning.
    expect(result.warnings).toEqual([
      {
        file: 'cases.csv',
        line: 2,
        column: 'onset',
        reason:
          '2021-08-12 is 365 days before confirmed_at (2022-08-12); accepted as given, but its ' +
          'infectious window opens before it: check the date',
      },
    ]);
    expect(result.warningsTotal).toBe(1);
    expect((await validateBundle(new KnownKinds(), bundle('district'))).warnings).toEqual([]);
  });

  test("a case's first positive sample weeks before its confirmation is imported, with a warning on the sample's line", async () => {
    const dir = bundle('district', {
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\n' +
        'P1,2022-08-02T10:00:00+08:00,positive,pcr,24.5\n' +
        'P1,2021-08-02T10:00:00+08:00,positive,pcr,24.5\n' +
        'P2,2021-08-02T10:00:00+08:00,negative,pcr,\n' +
        'P2,2022-07-20T10:00:00+08:00,positive,pcr,30\n',
      'cases.csv':
        'person_id,classification,onset,confirmed_at\n' +
        'P1,asymptomatic,,2022-08-03T12:00:00+08:00\n' +
        'P2,asymptomatic,,2022-08-03T12:00:00+08:00\n',
    });
    // P2's year-early sample is negative and its first positive 14 days before: no warning.
    expect((await validateBundle(new KnownKinds(), dir)).warnings).toEqual([
      {
        file: 'samples.csv',
        line: 3,
        column: 'sampled_at',
        reason:
          "2021-08-02, P1's first positive sample, is 366 days before the case's confirmed_at " +
          '(2022-08-03, cases.csv:2); accepted as given, but its infectious window opens before it: check the date',
      },
    ]);
  });

  describe('samples and cases the store holds', () => {
    const at = (text: string): number => Date.parse(text);
    const SAMPLES_HEADER = 'subject_id,sampled_at,result,method,ct\n';
    const CASES_HEADER = 'person_id,classification,onset,confirmed_at\n';
    const EARLY = 'accepted as given, but its infectious window opens before it: check the date';
    const sample = (
      subjectId: Id,
      sampledAt: string,
      result: Sample['result'],
      ct: number | null = null,
    ): Sample => ({
      subjectId,
      sampledAt: at(sampledAt),
      result,
      method: 'pcr',
      ct,
    });
    const confirmed = (personId: Id, confirmedAt: string): Case => ({
      personId,
      classification: 'asymptomatic',
      onset: null,
      confirmedAt: at(confirmedAt),
    });

    test('a sample that changes the stored result or ct is imported, with a warning naming old and new', async () => {
      const store = new KnownKinds();
      store.samples = [
        sample('P1', '2022-08-02T10:00:00+08:00', 'negative'),
        sample('P1', '2022-07-29T10:00:00+08:00', 'negative'),
        sample('MKT', '2022-08-04T15:00:00+08:00', 'negative'),
      ];
      const samples =
        SAMPLES_HEADER +
        'P1,2022-08-02T10:00:00+08:00,positive,pcr,24.5\n' +
        'P1,2022-07-29T10:00:00+08:00,negative,pcr,\n' +
        'P1,2022-08-02T10:00:00+08:00,negative,antigen,\n' +
        'MKT,2022-08-04T15:00:00+08:00,negative,pcr,31\n';
      const dir = bundle('district', { 'samples.csv': samples, 'cases.csv': CASES_HEADER });
      const result = await validateBundle(store, dir);
      expect(result.warnings).toEqual([
        {
          file: 'samples.csv',
          line: 2,
          column: 'result',
          reason:
            "replaces the stored result negative of P1's pcr sample at 2022-08-02T10:00:00+08:00 with positive",
        },
        {
          file: 'samples.csv',
          line: 2,
          column: 'ct',
          reason: "replaces the stored ct (empty) of P1's pcr sample at 2022-08-02T10:00:00+08:00 with 24.5",
        },
        {
          file: 'samples.csv',
          line: 5,
          column: 'ct',
          reason: "replaces the stored ct (empty) of MKT's pcr sample at 2022-08-04T15:00:00+08:00 with 31",
        },
      ]);
      expect(result.warningsTotal).toBe(3);

      // The same bundle again, into the store it made: nothing changes, nothing is said.
      store.samples = [
        sample('P1', '2022-08-02T10:00:00+08:00', 'positive', 24.5),
        sample('P1', '2022-07-29T10:00:00+08:00', 'negative'),
        { ...sample('P1', '2022-08-02T10:00:00+08:00', 'negative'), method: 'antigen' },
        sample('MKT', '2022-08-04T15:00:00+08:00', 'negative', 31),
      ];
      expect((await validateBundle(store, dir)).warningsTotal).toBe(0);
    });

    test('a positive result corrected to negative, and a ct changed alone, are each said', async () => {
      const store = new KnownKinds();
      store.samples = [sample('P1', '2022-08-02T10:00:00+08:00', 'positive', 24.5)];
      const dir = bundle('district', {
        'samples.csv': SAMPLES_HEADER + 'P1,2022-08-02T10:00:00+08:00,negative,pcr,24.5\n',
        'cases.csv': CASES_HEADER,
      });
      expect((await validateBundle(store, dir)).warnings.map((w) => [w.line, w.column, w.reason])).toEqual([
        [
          2,
          'result',
          "replaces the stored result positive of P1's pcr sample at 2022-08-02T10:00:00+08:00 with negative",
        ],
      ]);
      store.samples = [sample('P1', '2022-08-02T10:00:00+08:00', 'positive', 24.5)];
      const ctOnly = bundle('district', {
        'samples.csv': SAMPLES_HEADER + 'P1,2022-08-02T10:00:00+08:00,positive,pcr,22\n',
        'cases.csv': CASES_HEADER,
      });
      expect((await validateBundle(store, ctOnly)).warnings.map((w) => [w.line, w.column, w.reason])).toEqual(
        [[2, 'ct', "replaces the stored ct 24.5 of P1's pcr sample at 2022-08-02T10:00:00+08:00 with 22"]],
      );
    });

    test('stored samples are asked for in batches of keys, not row by row', async () => {
      const store = new KnownKinds();
      const rows = Array.from(
        { length: 2500 },
        (_, i) => `P1,${new Date(at('2022-08-01T00:00:00Z') + i * 60_000).toISOString()},negative,pcr,\n`,
      );
      const dir = bundle('district', {
        'samples.csv': SAMPLES_HEADER + rows.join(''),
        'cases.csv': CASES_HEADER,
      });
      await validateBundle(store, dir);
      expect(store.sampleKeyCalls.map((keys) => keys.length)).toEqual([1000, 1000, 500]);
    });

    test("the next batch's look-up starts before the last is answered; answers apply in file order", async () => {
      /**
       * Holds the answer to the first call of samplesByKey until the second call starts (or, where
       * none would start before it is answered, 5 s), and records when each call starts and ends.
       */
      class SlowFirstAnswer extends KnownKinds {
        readonly events: string[] = [];
        private secondStarted!: () => void;
        private readonly second = new Promise<void>((resolve) => (this.secondStarted = resolve));
        override async samplesByKey(keys: readonly SampleKey[]): Promise<(Sample | null)[]> {
          const call = this.sampleKeyCalls.length + 1;
          const answer = await super.samplesByKey(keys);
          this.events.push(`start ${call}`);
          if (call === 2) this.secondStarted();
          if (call === 1) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([this.second, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
            clearTimeout(timer);
          }
          this.events.push(`answer ${call}`);
          return answer;
        }
      }
      const store = new SlowFirstAnswer();
      const minutes = Array.from({ length: 2500 }, (_, i) =>
        new Date(at('2022-08-01T00:00:00Z') + i * 60_000).toISOString(),
      );
      store.samples = [
        ...minutes.map((m) => sample('P1', m, 'negative')),
        // Made negative by the bundle's last batch: P2's first positive is then 2022-08-02.
        sample('P2', '2021-08-02T10:00:00+08:00', 'positive'),
        sample('P2', '2022-08-02T10:00:00+08:00', 'positive'),
      ];
      const dir = bundle('district', {
        'samples.csv':
          SAMPLES_HEADER +
          minutes.map((m) => `P1,${m},positive,pcr,\n`).join('') +
          'P2,2021-08-02T10:00:00+08:00,negative,pcr,\n',
        'cases.csv': CASES_HEADER + 'P2,asymptomatic,,2022-08-03T12:00:00+08:00\n',
      });
      const { warnings } = await validateBundle(store, dir, { maxProblems: 3000 });

      expect(store.events.indexOf('start 2')).toBeLessThan(store.events.indexOf('answer 1'));
      expect(store.sampleKeyCalls.map((keys) => keys.length)).toEqual([1000, 1000, 501]);
      expect(warnings.map((w) => `${w.file}:${w.line}: ${w.column}`)).toEqual([
        ...minutes.map((_, i) => `samples.csv:${i + 2}: result`),
        'samples.csv:2502: result',
      ]);
    });

    test("a bundle's positive sample weeks before a stored case's confirmation warns on the sample's line", async () => {
      const store = new KnownKinds();
      store.cases = [
        confirmed('P1', '2022-08-03T12:00:00+08:00'),
        confirmed('P2', '2022-08-03T12:00:00+08:00'),
      ];
      // P2's first positive sample is stored, as early: the bundle changes nothing of it.
      store.samples = [sample('P2', '2021-07-02T10:00:00+08:00', 'positive')];
      const dir = bundle('district', {
        'samples.csv':
          SAMPLES_HEADER +
          'P1,2022-08-01T10:00:00+08:00,positive,pcr,\n' +
          'P1,2021-08-02T10:00:00+08:00,positive,pcr,\n' +
          'P2,2021-08-02T10:00:00+08:00,positive,pcr,\n',
        'cases.csv': CASES_HEADER,
      });
      expect((await validateBundle(store, dir)).warnings).toEqual([
        {
          file: 'samples.csv',
          line: 3,
          column: 'sampled_at',
          reason:
            "2021-08-02, P1's first positive sample, is 366 days before the case's confirmed_at " +
            `(2022-08-03, in the store); ${EARLY}`,
        },
      ]);
      expect(store.casesOfCalls).toEqual([['P1', 'P2']]);
    });

    test("a bundle's case confirmed weeks after a stored positive sample warns on the case's line", async () => {
      const store = new KnownKinds();
      store.samples = [
        sample('P1', '2021-08-02T10:00:00+08:00', 'positive'),
        sample('P1', '2022-08-02T10:00:00+08:00', 'positive'),
        // The bundle corrects P2's early sample to negative: its first positive is then 2022-08-02.
        sample('P2', '2021-08-02T10:00:00+08:00', 'positive'),
        sample('P2', '2022-08-02T10:00:00+08:00', 'positive'),
      ];
      const dir = bundle('district', {
        'samples.csv': SAMPLES_HEADER + 'P2,2021-08-02T10:00:00+08:00,negative,pcr,\n',
        'cases.csv':
          CASES_HEADER +
          'P1,asymptomatic,,2022-08-03T12:00:00+08:00\nP2,asymptomatic,,2022-08-03T12:00:00+08:00\n',
      });
      const { warnings } = await validateBundle(store, dir);
      expect(warnings.filter((w) => w.column !== 'result')).toEqual([
        {
          file: 'cases.csv',
          line: 2,
          column: 'confirmed_at',
          reason:
            "2021-08-02, P1's first positive sample (in the store), is 366 days before the case's confirmed_at " +
            `(2022-08-03); ${EARLY}`,
        },
      ]);
      expect(store.samplesOfCalls).toEqual([['P1', 'P2']]);
    });

    test('an earlier stored positive sample is the first one of a case in the bundle', async () => {
      const store = new KnownKinds();
      store.samples = [sample('P1', '2021-08-02T10:00:00+08:00', 'positive')];
      const dir = bundle('district', {
        'samples.csv': SAMPLES_HEADER + 'P1,2022-08-02T10:00:00+08:00,positive,pcr,\n',
        'cases.csv': CASES_HEADER + 'P1,asymptomatic,,2022-08-03T12:00:00+08:00\n',
      });
      expect(
        (await validateBundle(store, dir)).warnings.map((w) => `${w.file}:${w.line}: ${w.column}`),
      ).toEqual(['cases.csv:2: confirmed_at']);
    });

    test('the warnings kept are the first in file then line order, whichever check found them; all are counted', async () => {
      const store = new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, DISTRICT_HOMES);
      const minutes = Array.from({ length: 1100 }, (_, i) =>
        new Date(at('2022-08-01T00:00:00Z') + i * 60_000).toISOString(),
      );
      store.cases = [confirmed('P3', '2022-08-05T12:00:00+08:00')];
      store.samples = [
        ...minutes.map((m) => sample('P1', m, 'negative')),
        sample('P2', '2021-08-02T10:00:00+08:00', 'positive'),
      ];
      const dir = bundle('district', {
        'samples.csv':
          SAMPLES_HEADER +
          // Weeks before P3's stored case: found once every file is read.
          'P3,2022-07-01T10:00:00+08:00,positive,pcr,\n' +
          // Each corrects a stored result: found a batch of 1,000 keys at a time.
          minutes.map((m) => `P1,${m},positive,pcr,\n`).join(''),
        'cases.csv':
          CASES_HEADER +
          // Weeks after P2's stored positive sample: found once cases.csv is read.
          'P2,asymptomatic,,2022-08-03T12:00:00+08:00\n' +
          // An onset weeks before the confirmation: found as the row is read.
          'P4,confirmed,2021-08-03,2022-08-04T12:00:00+08:00\n',
      });
      const where = (w: FieldProblem): string => `${w.file}:${w.line}: ${w.column}`;

      const firstThree = await validateBundle(store, dir, { maxProblems: 3 });
      expect(firstThree.warnings.map(where)).toEqual([
        'samples.csv:2: sampled_at',
        'samples.csv:3: result',
        'samples.csv:4: result',
      ]);
      expect(firstThree.warningsTotal).toBe(1103);

      const all = await validateBundle(store, dir, { maxProblems: 2000 });
      expect(all.warnings.map(where)).toEqual([
        'samples.csv:2: sampled_at',
        ...minutes.map((_, i) => `samples.csv:${i + 3}: result`),
        'cases.csv:2: confirmed_at',
        'cases.csv:3: onset',
      ]);
      expect(all.warningsTotal).toBe(1103);
    });
  });

  test('an id with a line break quoted into it is named on one line of the error', async () => {
    const dir = bundle('district', {
      'handlings.csv': 'person_id,item_id,at\n"P0\n1",L1,2022-08-01T10:00:00+08:00\n',
    });
    let message = '';
    try {
      await validateBundle(new KnownKinds(), dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      '1 problem found; nothing was written:',
      '  handlings.csv:2: column "person_id": no person "P0\\n1" in this bundle or in the store',
    ]);
  });

  test('a later bundle may refer to what only the store has, looked up in a few batches', async () => {
    const store = new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, DISTRICT_HOMES);
    const result = await validateBundle(store, bundle('district-later'));
    expect(result.rows).toEqual({ 'persons.csv': 2, 'stays.csv': 2, 'samples.csv': 2, 'cases.csv': 1 });
    expect(store.calls).toEqual([['P4', 'P5'], ['H2'], ['P2', 'MKT', 'P1', 'P3']]);
    // The kind of a place is asked for only where a home_id names it (not for the stays' MKT).
    expect(store.placeCalls).toEqual([['H2']]);
  });

  test('without the store, every reference outside the bundle is a problem', async () => {
    expect(await problemsOf(bundle('district-later'))).toEqual({
      total: 6,
      problems: [
        {
          file: 'persons.csv',
          line: 3,
          column: 'home_id',
          reason: 'no place "H2" in this bundle or in the store',
        },
        {
          file: 'stays.csv',
          line: 2,
          column: 'subject_id',
          reason: 'no person, item or boat "P2" in this bundle or in the store',
        },
        {
          file: 'stays.csv',
          line: 2,
          column: 'host_id',
          reason: 'no place or boat "MKT" in this bundle or in the store',
        },
        {
          file: 'stays.csv',
          line: 3,
          column: 'host_id',
          reason: 'no place or boat "MKT" in this bundle or in the store',
        },
        {
          file: 'samples.csv',
          line: 2,
          column: 'subject_id',
          reason: 'no person, item, place or boat "P1" in this bundle or in the store',
        },
        {
          file: 'cases.csv',
          line: 2,
          column: 'person_id',
          reason: 'no person "P3" in this bundle or in the store',
        },
      ],
    });
  });

  test('a reference to an id of the wrong kind names where that id is', async () => {
    const dir = bundle('district', {
      'handlings.csv': 'person_id,item_id,at\nP3,B1,2022-07-29T08:00:00+08:00\n',
      'cases.csv': 'person_id,classification,onset,confirmed_at\nL9,asymptomatic,,\n',
    });
    expect(await problemsOf(dir, new KnownKinds({ L9: 'item' }))).toEqual({
      total: 2,
      problems: [
        {
          file: 'handlings.csv',
          line: 2,
          column: 'item_id',
          reason: '"B1" is a boat (boats.csv:2), not an item',
        },
        {
          file: 'cases.csv',
          line: 2,
          column: 'person_id',
          reason: '"L9" is an item (in the store), not a person',
        },
      ],
    });
  });

  test('a home_id must name a place of kind home, whether the place is in the bundle or in the store', async () => {
    const dir = bundle('district', {
      'persons.csv': `${PERSONS_HEADER}P1,,,,,,H1,\nP2,,,,,,MKT,\nP3,,,,,,H9,\nP4,,,,,,V9,\nP5,,,,,,,\n`,
    });
    // The store has H1 as a market, but the bundle, which is written over it, has it a home.
    const store = new KnownKinds(
      { H1: 'place', H9: 'place', V9: 'place' },
      { H1: 'market', H9: 'home', V9: 'village' },
    );
    expect(await problemsOf(dir, store)).toEqual({
      total: 2,
      problems: [
        {
          file: 'persons.csv',
          line: 3,
          column: 'home_id',
          reason: '"MKT" is a place of kind market (places.csv:5), not a home',
        },
        {
          file: 'persons.csv',
          line: 5,
          column: 'home_id',
          reason: '"V9" is a place of kind village (in the store), not a home',
        },
      ],
    });
    // Only the places that the store alone has are asked for, in one call.
    expect(store.placeCalls).toEqual([['H9', 'V9']]);

    // A place whose row has a problem of its own is not reported again through the home_ids naming it.
    const badPlaces = bundle(null, {
      'places.csv': 'id,name,kind,lat,lon,capacity\nH1,,home,,,\nH2,,shop,95,,\nMKT,,market,,,-1\n',
      'persons.csv': `${PERSONS_HEADER}P1,,,,,,H2,\nP2,,,,,,MKT,\nP3,,,,,,H1,\n`,
    });
    expect((await problemsOf(badPlaces)).problems).toEqual([
      { file: 'places.csv', line: 3, column: 'lat', reason: '"95" is not a number from -90 to 90' },
      { file: 'places.csv', line: 4, column: 'capacity', reason: '"-1" is not a whole number of at least 0' },
    ]);
  });

  test("a place the bundle makes other than a home must be no one's home in the store, unless the bundle moves them", async () => {
    const places = 'id,name,kind,lat,lon,capacity\nH1,,restaurant,,,\nH2,,shop,,,\nH3,,home,,,\n';
    const homes = { ...DISTRICT_HOMES, P5: 'H1', P6: 'H1', P7: 'H1' };
    const moved = bundle(null, { 'places.csv': places, 'persons.csv': `${PERSONS_HEADER}P3,,,,,,H3,\n` });
    const store = new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, homes);
    expect(await problemsOf(moved, store)).toEqual({
      total: 1,
      problems: [
        {
          file: 'places.csv',
          line: 2,
          column: 'kind',
          reason:
            '"H1" is the home_id of 5 person(s) in the store (P1, P2, P5 and 2 more), so it cannot be a restaurant: ' +
            'a home_id names a place of kind home',
        },
      ],
    });
    // Only the places someone lives at are read: H3 is a home, and the counts leave none out.
    expect(store.residentCalls).toEqual([['H1', 'H2']]);

    // A person the bundle leaves at a place it makes a shop is reported on their own row, not the place's
    // (after the places, as places.csv is read first).
    const stayed = bundle(null, { 'places.csv': places, 'persons.csv': `${PERSONS_HEADER}P3,,,,,,H2,\n` });
    const problems = await problemsOf(
      stayed,
      new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, DISTRICT_HOMES),
    );
    expect(problems.problems).toEqual([
      {
        file: 'places.csv',
        line: 2,
        column: 'kind',
        reason:
          '"H1" is the home_id of 2 person(s) in the store (P1, P2), so it cannot be a restaurant: ' +
          'a home_id names a place of kind home',
      },
      {
        file: 'persons.csv',
        line: 2,
        column: 'home_id',
        reason: '"H2" is a place of kind shop (places.csv:3), not a home',
      },
    ]);

    // Moving everyone out lets the places change kind.
    const everyoneMoved = bundle(null, {
      'places.csv': places,
      'persons.csv': `${PERSONS_HEADER}P1,,,,,,H3,\nP2,,,,,,,\nP3,,,,,,H3,\n`,
    });
    const rows = await validateBundle(
      new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, DISTRICT_HOMES),
      everyoneMoved,
    );
    expect(rows.rows).toEqual({ 'places.csv': 3, 'persons.csv': 3 });
  });

  test('place kinds and residents are asked of the store in batches of at most 1000 ids', async () => {
    const known: Record<Id, EntityKind> = {};
    const placeKinds: Record<Id, PlaceKind> = {};
    const persons: string[] = [];
    const places: string[] = [];
    for (let i = 1; i <= 2500; i++) {
      known[`H${i}`] = 'place';
      persons.push(`S${i},,,,,,H${i},`);
      places.push(`M${i},,market,,,`);
    }
    placeKinds['H1234'] = 'school';
    const store = new KnownKinds(known, placeKinds, { Q1: 'M2222' });
    const dir = bundle(null, {
      'places.csv': `id,name,kind,lat,lon,capacity\n${places.join('\n')}\n`,
      'persons.csv': `${PERSONS_HEADER}${persons.join('\n')}\n`,
    });
    expect(await problemsOf(dir, store)).toEqual({
      total: 2,
      problems: [
        {
          file: 'places.csv',
          line: 2223,
          column: 'kind',
          reason:
            '"M2222" is the home_id of 1 person(s) in the store (Q1), so it cannot be a market: a home_id names a place of kind home',
        },
        {
          file: 'persons.csv',
          line: 1235,
          column: 'home_id',
          reason: '"H1234" is a place of kind school (in the store), not a home',
        },
      ],
    });
    expect(store.placeCalls.every((ids) => ids.length <= 1000)).toBe(true);
    expect(store.placeCalls.flat().sort()).toEqual(Object.keys(known).sort());
    expect(store.countCalls.every((ids) => ids.length <= 1000)).toBe(true);
    expect(store.countCalls.flat()).toHaveLength(2500);
    expect(store.residentCalls).toEqual([['M2222']]);
  });

  test('a boat cannot stay aboard a boat', async () => {
    const dir = bundle('district', {
      'boats.csv': 'id,name,registration,home_port_id\nB1,Qiong Ya Yu 01,QYY-01,PORT\nB2,,,\n',
      'stays.csv':
        'subject_id,host_id,start,end\nB2,B1,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00\n',
    });
    expect((await problemsOf(dir)).problems).toEqual([
      { file: 'stays.csv', line: 2, column: 'host_id', reason: 'a boat cannot stay at or aboard a boat' },
    ]);
  });

  test('ids are unique across files, across the store, and within a file unless the rows are equal', async () => {
    const dir = bundle('district', {
      'boats.csv':
        'id,name,registration,home_port_id\nB1,Qiong Ya Yu 01,QYY-01,PORT\nMKT,,,\nB1,Qiong Ya Yu 01,QYY-01,PORT\nB1,Qiong Ya Yu 02,,PORT\n',
      'items.csv': 'id,product,lot,origin,arrived_at\nL1,frozen shrimp,LOT-77,import,2022-07-28\n',
    });
    expect(await problemsOf(dir, new KnownKinds({ L1: 'person' }))).toEqual({
      total: 3,
      problems: [
        {
          file: 'boats.csv',
          line: 3,
          column: 'id',
          reason: '"MKT" is already a place (places.csv:5); ids are unique across the bundle',
        },
        {
          file: 'boats.csv',
          line: 5,
          column: 'name',
          reason:
            '"B1" is defined again with another name and registration (name: "Qiong Ya Yu 01" on line 2, ' +
            '"Qiong Ya Yu 02" on line 5; registration: "QYY-01" on line 2, empty on line 5)',
        },
        {
          file: 'items.csv',
          line: 2,
          column: 'id',
          reason: '"L1" is already a person in the store; ids are unique across bundles',
        },
      ],
    });
  });

  test('two samples of one subject, instant and method must agree; two cases of one person too', async () => {
    const dir = bundle('district', {
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\nP1,2022-08-02T10:00:00+08:00,positive,pcr,24.5\n' +
        'P1,2022-08-02T02:00:00Z,positive,pcr,24.5\nP1,2022-08-02T10:00:00+08:00,negative,pcr,\n',
      'cases.csv':
        'person_id,classification,onset,confirmed_at\nP1,confirmed,2022-08-01,\nP1,confirmed,2022-08-02,\n',
    });
    expect((await problemsOf(dir)).problems).toEqual([
      {
        file: 'samples.csv',
        line: 4,
        column: 'result',
        reason:
          'repeats the subject, sampled_at and method of line 2 with another result and ct ' +
          '(result: "positive" on line 2, "negative" on line 4; ct: "24.5" on line 2, empty on line 4)',
      },
      {
        file: 'cases.csv',
        line: 3,
        column: 'onset',
        reason:
          'repeats the person of line 2 with another onset ("2022-08-01" on line 2, "2022-08-02" on line 3)',
      },
    ]);
  });

  describe('a row repeating the id or key of an earlier row of its file', () => {
    test('with other fields is refused on its line, naming each field that differs and its two values', async () => {
      const dir = bundle('district', {
        'persons.csv':
          PERSONS_HEADER +
          'P1,Chen Hai,M,45,13800001111,,H1,fisher\nP2,,,,,,H1,\nP3,,,,,,H2,\nP4,,,,,,,\n' +
          // The age alone; sex, home and occupation; the name and phone, personal data.
          'P1,Chen Hai,m,46,13800001111,,H1,fisher\nP3,,F,,,,H1,porter\nP4,Li Na,,,139,,,\n',
        'places.csv':
          'id,name,kind,lat,lon,capacity\nH1,12 Harbour Road,home,,,\nH2,,home,,,\nPORT,Port,fishing_port,,,\n' +
          'MKT,Baogang market,market,,,\nCOLD,,cold_storage,,,\nQH1,,quarantine_site,,,50\n' +
          // A home's name is an address: not shown. A market's is.
          'H1,14 Harbour Road,home,,,\nMKT,Baogang new market,market,,,\n',
      });
      expect((await problemsOf(dir)).problems).toEqual([
        {
          file: 'places.csv',
          line: 8,
          column: 'name',
          reason:
            '"H1" is defined again with another name (not shown, as personal data: compare lines 2 and 8)',
        },
        {
          file: 'places.csv',
          line: 9,
          column: 'name',
          reason:
            '"MKT" is defined again with another name ("Baogang market" on line 5, "Baogang new market" on line 9)',
        },
        {
          file: 'persons.csv',
          line: 6,
          column: 'age',
          reason: '"P1" is defined again with another age ("45" on line 2, "46" on line 6)',
        },
        {
          file: 'persons.csv',
          line: 7,
          column: 'sex',
          reason:
            '"P3" is defined again with another sex, home_id and occupation (sex: empty on line 4, "F" on line 7; ' +
            'home_id: "H2" on line 4, "H1" on line 7; occupation: empty on line 4, "porter" on line 7)',
        },
        {
          file: 'persons.csv',
          line: 8,
          column: 'name',
          reason:
            '"P4" is defined again with another name and phone (name: not shown, as personal data: compare lines 5 ' +
            'and 8; phone: not shown, as personal data: compare lines 5 and 8)',
        },
      ]);
    });

    test('with other fields keeps its place among the problems, before those of its line found later', async () => {
      const dir = bundle('district', {
        'persons.csv':
          PERSONS_HEADER +
          'P1,,,,,,H1,\nP2,,,,,,H1,\nP3,,,,,,H2,\nP4,,,,,,,\nP1,,,,,,NOWHERE,\nP5,,,200,,,,\n',
      });
      expect((await problemsOf(dir)).problems).toEqual([
        {
          file: 'persons.csv',
          line: 6,
          column: 'home_id',
          reason: '"P1" is defined again with another home_id ("H1" on line 2, "NOWHERE" on line 6)',
        },
        // Found once every file of ids is read.
        {
          file: 'persons.csv',
          line: 6,
          column: 'home_id',
          reason: 'no place "NOWHERE" in this bundle or in the store',
        },
        { file: 'persons.csv', line: 7, column: 'age', reason: '"200" is not a whole number from 0 to 130' },
      ]);
    });

    test('with other fields: the fields are named for each repeat kept, however many', async () => {
      const persons = Array.from({ length: 150 }, (_, i) => `P${i},,,,,,,\n`);
      const repeats = Array.from({ length: 150 }, (_, i) => `P${i},,,${i % 100},,,,\n`);
      const dir = bundle('district', { 'persons.csv': PERSONS_HEADER + persons.join('') + repeats.join('') });
      const result = await problemsOf(dir, new KnownKinds(), { maxProblems: 100 });
      expect(result.total).toBe(150);
      expect(result.problems).toEqual(
        Array.from({ length: 100 }, (_, i) => ({
          file: 'persons.csv',
          line: 152 + i,
          column: 'age',
          reason: `"P${i}" is defined again with another age (empty on line ${i + 2}, "${i}" on line ${152 + i})`,
        })),
      );
    });
  });

  test('a row repeating an earlier one with the same fields is counted as a repeat and listed among the warnings', async () => {
    const dir = bundle('district', {
      'persons.csv':
        PERSONS_HEADER +
        'P1,Chen Hai,M,45,,,H1,\nP2,,,,,,H1,\nP3,,,,,,H2,\nP4,,,,,,,\n' +
        // Read as the same record: the sex in another letter case, the spaces around the id.
        'P1,Chen Hai,m,45,,,H1,\n P4 ,,,,,,,\n',
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\nP1,2022-08-02T10:00:00+08:00,positive,pcr,24.5\n' +
        'P1,2022-08-02T02:00:00Z,Positive,pcr,24.5\n',
      'cases.csv':
        'person_id,classification,onset,confirmed_at\nP1,confirmed,2021-08-01,2022-08-02\nP1,confirmed,2021-08-01,2022-08-02\n',
    });
    const result = await validateBundle(new KnownKinds(), dir);
    expect([result.rows['persons.csv'], result.rows['samples.csv'], result.rows['cases.csv']]).toEqual([
      6, 2, 2,
    ]);
    expect(result.repeats).toEqual({ 'persons.csv': 2, 'samples.csv': 1, 'cases.csv': 1 });
    const skipped = 'with the same fields';
    const early =
      '2021-08-01 is 366 days before confirmed_at (2022-08-02); accepted as given, but its infectious window opens before it: check the date';
    expect(result.warnings.map((w) => `${w.file}:${w.line}: ${w.column}: ${w.reason}`)).toEqual([
      `persons.csv:6: id: "P1" is defined again ${skipped} (first at line 2); this row is skipped`,
      `persons.csv:7: id: "P4" is defined again ${skipped} (first at line 5); this row is skipped`,
      `samples.csv:3: subject_id: repeats the subject, sampled_at and method of line 2 ${skipped}; this row is skipped`,
      `cases.csv:2: onset: ${early}`,
      `cases.csv:3: onset: ${early}`,
      `cases.csv:3: person_id: repeats the person of line 2 ${skipped}; this row is skipped`,
    ]);
    expect(result.warningsTotal).toBe(6);
    // Counted and capped with the other warnings.
    const capped = await validateBundle(new KnownKinds(), dir, { maxProblems: 2 });
    expect([capped.warnings.map((w) => w.line), capped.warningsTotal, capped.repeats]).toEqual([
      [6, 7],
      6,
      result.repeats,
    ]);
  });

  test('a row with a bad field still defines its id, so rows referring to it are not reported too', async () => {
    const dir = bundle('district', {
      'persons.csv':
        'id,name,sex,age,phone,id_number,home_id,occupation\nP1,,X,45,,,H1,\nP2,,,,,,,\nP3,,,,,,,\nP4,,,,,,,\n',
    });
    expect((await problemsOf(dir)).problems).toEqual([
      { file: 'persons.csv', line: 2, column: 'sex', reason: '"X" is not M or F' },
    ]);
  });

  test('numbers are decimal text: hex, binary, octal and whole numbers past 2^53 are refused', async () => {
    const dir = bundle('district', {
      'persons.csv':
        'id,name,sex,age,phone,id_number,home_id,occupation\nP1,,,0x1E,,,H1,\nP2,,,0b11,,,,\nP3,,,0o17,,,,\nP4,,,+4.5e1,,,,\n',
      'places.csv':
        'id,name,kind,lat,lon,capacity\nH1,,home,0x10,.5,\nH2,,home,,,\nPORT,,fishing_port,,,\nMKT,,market,,,\n' +
        'COLD,,cold_storage,,,\nQH1,,quarantine_site,,,9007199254740993\n',
      'samples.csv':
        'subject_id,sampled_at,result,method,ct\nP1,2022-08-02T10:00:00+08:00,positive,pcr,0x1F\n',
    });
    expect((await problemsOf(dir)).problems).toEqual([
      { file: 'places.csv', line: 2, column: 'lat', reason: '"0x10" is not a number from -90 to 90' },
      {
        file: 'places.csv',
        line: 7,
        column: 'capacity',
        reason: '"9007199254740993" is not a whole number of at least 0',
      },
      { file: 'persons.csv', line: 2, column: 'age', reason: '"0x1E" is not a whole number from 0 to 130' },
      { file: 'persons.csv', line: 3, column: 'age', reason: '"0b11" is not a whole number from 0 to 130' },
      { file: 'persons.csv', line: 4, column: 'age', reason: '"0o17" is not a whole number from 0 to 130' },
      { file: 'samples.csv', line: 2, column: 'ct', reason: '"0x1F" is not a number from 0 to 60' },
    ]);
  });

  test('an instant in a year outside 1900 to 2199 is refused with that reason, not moved a century', async () => {
    const dir = bundle('district', {
      'cases.csv':
        'person_id,classification,onset,confirmed_at\nP1,confirmed,0022-08-01,2022-08-02T20:00:00+08:00\n' +
        'P3,asymptomatic,,2022-08-05T12:00:60+08:00\n',
    });
    expect((await problemsOf(dir)).problems).toEqual([
      {
        file: 'cases.csv',
        line: 2,
        column: 'onset',
        reason: '"0022-08-01" is outside the years 1900 to 2199',
      },
      {
        file: 'cases.csv',
        line: 3,
        column: 'confirmed_at',
        reason:
          '"2022-08-05T12:00:60+08:00" is not an ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00) or a date (2022-08-01)',
      },
    ]);
  });

  test('a file that cannot be read is one problem, not one per row referring to it', async () => {
    const dir = bundle('district', { 'persons.csv': 'id,name\nP1,a\n' });
    expect((await problemsOf(dir)).problems).toEqual([
      {
        file: 'persons.csv',
        line: 1,
        column: '',
        reason:
          'header is missing columns "sex", "age", "phone", "id_number", "home_id", "occupation" (found: id, name)',
      },
    ]);
  });

  test('keeps the first 100 problems and counts them all', async () => {
    const rows = Array.from(
      { length: 150 },
      (_, i) => `P1,MKT,2022-08-01T10:00:00+08:00,2022-08-01T09:${String(i % 60).padStart(2, '0')}:00+08:00`,
    );
    const dir = bundle('district', { 'stays.csv': `subject_id,host_id,start,end\n${rows.join('\n')}\n` });
    let error: ValidationError | undefined;
    await validateBundle(new KnownKinds(), dir).catch((err: ValidationError) => (error = err));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.total).toBe(150);
    expect(error!.problems).toHaveLength(100);
    expect(error!.problems[99]).toEqual({
      file: 'stays.csv',
      line: 101,
      column: 'end',
      reason: 'is before start',
    });
    expect(error!.message.split('\n')[0]).toBe('150 problems found; nothing was written:');
    expect(error!.message.split('\n')[1]).toBe('  stays.csv:2: column "end": is before start');
    // The message lists all 100 carried (README: the first 100 problems), then the rest's count.
    expect(error!.message.split('\n')).toHaveLength(102);
    expect(error!.message.split('\n')[100]).toBe('  stays.csv:101: column "end": is before start');
    expect(error!.message.split('\n').pop()).toBe('  ... and 50 more');
  });

  test('the problems kept are the first in file then line order, whichever check found them and when; all are counted', async () => {
    const store = new KnownKinds(DISTRICT_IN_STORE, DISTRICT_PLACE_KINDS, DISTRICT_HOMES);
    const dir = bundle(null, {
      // Where persons of the store live: found once persons.csv is read.
      'places.csv': 'id,name,kind,lat,lon,capacity\nH1,,restaurant,,,\n',
      // A market as home: found once every file of ids is read.
      'persons.csv': `${PERSONS_HEADER}P5,,,,,,MKT,\n`,
      // Found as the row is read.
      'boats.csv': 'id,name,registration,home_port_id\n,Nameless,,\n',
      // A person's id in the store: found once the store is asked about the bundle's ids.
      'items.csv': 'id,product,lot,origin,arrived_at\nP1,frozen fish,,,\n',
      'stays.csv':
        'subject_id,host_id,start,end\n' +
        // An id neither the bundle nor the store has: found once a batch of ids is looked up.
        'P2,NOWHERE,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00\n' +
        // Found as the row is read.
        'P2,MKT,2022-08-01T10:00:00+08:00,2022-08-01T09:00:00+08:00\n',
      'cases.csv': 'person_id,classification,onset,confirmed_at\nP3,sick,,\n',
    });
    const where = (p: FieldProblem): string => `${p.file}:${p.line}: ${p.column}`;

    const all = await problemsOf(dir, store);
    expect(all.problems.map(where)).toEqual([
      'places.csv:2: kind',
      'persons.csv:2: home_id',
      'boats.csv:2: id',
      'items.csv:2: id',
      'stays.csv:2: host_id',
      'stays.csv:3: end',
      'cases.csv:2: classification',
    ]);
    expect(all.total).toBe(7);

    const firstThree = await problemsOf(dir, store, { maxProblems: 3 });
    expect(firstThree).toEqual({ total: 7, problems: all.problems.slice(0, 3) });
  });

  test('looks up at most 1000 ids at a time however many rows refer to the store', async () => {
    const known: Record<Id, EntityKind> = { MKT: 'place' };
    const rows: string[] = [];
    for (let i = 1; i <= 2500; i++) {
      known[`S${i}`] = 'person';
      rows.push(`S${i},MKT,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00`);
    }
    const store = new KnownKinds(known);
    const dir = bundle(null, {
      'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\n',
      'stays.csv': `subject_id,host_id,start,end\n${rows.join('\n')}\n`,
    });
    expect((await validateBundle(store, dir)).rows['stays.csv']).toBe(2500);
    expect(store.calls.every((ids) => ids.length <= 1000)).toBe(true);
    expect(new Set(store.calls.flat())).toEqual(new Set(Object.keys(known)));
    expect(store.calls.flat()).toHaveLength(2501);
  });

  test('with room in memory for the kind of one id only, every check still reads what it needs from disk', async () => {
    const tiny: ValidationOptions = { kindCacheSize: 1 };
    expect((await validateBundle(new KnownKinds(), bundle('district'), tiny)).rows['stays.csv']).toBe(8);
    const wrongKinds = bundle('district', {
      'handlings.csv': 'person_id,item_id,at\nP3,B1,2022-07-29T08:00:00+08:00\n',
      'cases.csv': 'person_id,classification,onset,confirmed_at\nL9,asymptomatic,,\n',
    });
    expect(await problemsOf(wrongKinds, new KnownKinds({ L9: 'item' }), tiny)).toEqual(
      await problemsOf(wrongKinds, new KnownKinds({ L9: 'item' })),
    );
    expect((await problemsOf(wrongKinds, new KnownKinds({ L9: 'item' }), tiny)).total).toBe(2);

    // Ids the store answered are remembered on disk: none is asked twice.
    const rows: string[] = [];
    for (let round = 0; round < 3; round++)
      for (let i = 1; i <= 1500; i++)
        rows.push(`S${i},MKT,2022-08-0${round + 1}T09:00:00+08:00,2022-08-0${round + 1}T10:00:00+08:00`);
    const known: Record<Id, EntityKind> = { MKT: 'place' };
    for (let i = 1; i <= 1500; i++) known[`S${i}`] = 'person';
    const store = new KnownKinds(known);
    const dir = bundle(null, {
      'persons.csv': 'id,name,sex,age,phone,id_number,home_id,occupation\n',
      'stays.csv': `subject_id,host_id,start,end\n${rows.join('\n')}\n`,
    });
    expect((await validateBundle(store, dir, { kindCacheSize: 10 })).rows['stays.csv']).toBe(4500);
    expect(store.calls.flat()).toHaveLength(1501);
  });

  test('a CSV file under a name the format does not have is refused, not skipped with its rows', async () => {
    const stays =
      'subject_id,host_id,start,end\nP1,MKT,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00\n';
    const dir = bundle('district', {
      'Stays.csv': stays,
      'stay.csv': stays,
      'notes.CSV': 'a\n',
      'notes.txt': 'x',
    });
    const files =
      'places.csv, persons.csv, boats.csv, items.csv, stays.csv, contacts.csv, handlings.csv, samples.csv, cases.csv';
    expect(await problemsOf(dir)).toEqual({
      total: 3,
      problems: ['Stays.csv', 'notes.CSV', 'stay.csv'].map((file) => ({
        file,
        line: 0,
        column: '',
        reason: `is not a bundle file (a bundle's files are ${files}); rename it or move it out of ${dir}`,
      })),
    });
    // Other files (a README, summary.json) are left alone: the district fixture has a README.md.
    expect(await validateBundle(new KnownKinds(), bundle('district'))).toBeDefined();
  });

  test('a bundle file that is a folder or a symbolic link to nothing is refused, not skipped', async () => {
    const dir = bundle('district');
    rmSync(path.join(dir, 'stays.csv'));
    mkdirSync(path.join(dir, 'stays.csv'));
    rmSync(path.join(dir, 'cases.csv'));
    symlinkSync(path.join(dir, 'gone.csv'), path.join(dir, 'cases.csv'));
    expect(await problemsOf(dir)).toEqual({
      total: 2,
      problems: [
        { file: 'stays.csv', line: 0, column: '', reason: 'is a folder, not a CSV file' },
        {
          file: 'cases.csv',
          line: 0,
          column: '',
          reason: `is a symbolic link to ${JSON.stringify(path.join(dir, 'gone.csv'))}, which does not exist`,
        },
      ],
    });
    // persons.csv as a folder is that, not "missing"; a folder under a stranger's name is a stranger.
    const other = bundle('district');
    rmSync(path.join(other, 'persons.csv'));
    mkdirSync(path.join(other, 'persons.csv'));
    mkdirSync(path.join(other, 'Stays.csv'));
    expect((await problemsOf(other)).problems.map((p) => [p.file, p.reason.slice(0, 25)])).toEqual([
      ['persons.csv', 'is a folder, not a CSV fi'],
      ['Stays.csv', 'is not a bundle file (a b'],
    ]);
    // A symbolic link to a real file is read as that file.
    const linked = bundle('district');
    renameSync(path.join(linked, 'stays.csv'), path.join(linked, 'stays.data'));
    symlinkSync(path.join(linked, 'stays.data'), path.join(linked, 'stays.csv'));
    expect((await validateBundle(new KnownKinds(), linked)).rows['stays.csv']).toBeGreaterThan(0);
  });

  test('a folder without persons.csv, and a path that is not a folder, are refused', async () => {
    const dir = bundle('district', { 'persons.csv': null });
    expect(await problemsOf(dir)).toEqual({
      total: 1,
      problems: [
        {
          file: 'persons.csv',
          line: 0,
          column: '',
          reason: `is missing from ${dir} (every bundle needs one)`,
        },
      ],
    });
    expect(await problemsOf(`${dir}/nowhere`)).toEqual({
      total: 1,
      problems: [
        {
          file: `${dir}/nowhere`,
          line: 0,
          column: '',
          reason: 'is not a folder (a bundle is a folder of CSV files)',
        },
      ],
    });
  });
});
