/**
 * The store contract: one suite that both adapters (embedded SQLite and Neo4j) must pass
 * unchanged. Analysis and the API rely only on what is asserted here.
 */
import path from 'node:path';
import type { TraceStore } from '../../src/store/port';
import type { RecordBatch } from '../../src/domain/types';
import { DISTRICT_COUNTS, smallDistrict, t } from './fixtures';

const byKey = <T>(rows: T[], key: (r: T) => string): T[] =>
  [...rows].sort((a, b) => key(a).localeCompare(key(b)));
const stayKey = (s: { subjectId: string; hostId: string; start: number }): string =>
  `${s.subjectId}|${s.hostId}|${s.start}`;

export function describeStoreContract(name: string, open: () => Promise<TraceStore>): void {
  describe(`store contract: ${name}`, () => {
    let store: TraceStore;
    const district = smallDistrict();

    beforeAll(async () => {
      store = await open();
      await store.migrate();
      await store.migrate(); // idempotent
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(async () => {
      await store.clear();
      await store.write(district);
    });

    test('ping answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    test('counts every kind of record', async () => {
      expect(await store.counts()).toEqual(DISTRICT_COUNTS);
    });

    test('writing the same batch again changes nothing', async () => {
      const before = await store.counts();
      await store.write(district);
      expect(await store.counts()).toEqual(before);
      expect(await store.persons(['P1'])).toEqual([district.persons[0]]);
    });

    test('a later batch adds records and updates entities and cases', async () => {
      await store.write({
        persons: [{ ...district.persons[3]!, name: 'Wang Fang', age: 28 }],
        stays: [
          {
            subjectId: 'P2',
            hostId: 'MKT',
            start: t('2022-08-01T09:45:00+08:00'),
            end: t('2022-08-01T09:55:00+08:00'),
          },
        ],
        cases: [
          {
            personId: 'P3',
            classification: 'confirmed',
            onset: t('2022-08-04'),
            confirmedAt: t('2022-08-05T12:00:00+08:00'),
          },
        ],
        samples: [
          {
            subjectId: 'P1',
            sampledAt: t('2022-08-02T10:00:00+08:00'),
            result: 'positive',
            method: 'pcr',
            ct: 22,
          },
        ],
      });
      const counts = await store.counts();
      expect(counts.stays).toBe(8);
      expect(counts.cases).toBe(2);
      expect(counts.samples).toBe(4);
      expect((await store.persons(['P4']))[0]).toMatchObject({ name: 'Wang Fang', age: 28 });
      expect((await store.casesOf(['P3']))[0]).toMatchObject({
        classification: 'confirmed',
        onset: t('2022-08-04'),
      });
      const p1Samples = await store.samplesOf(['P1']);
      expect(p1Samples.find((s) => s.result === 'positive')?.ct).toBe(22);
    });

    test('lookups by id keep key order, repeat keys and give null for unknown ids', async () => {
      const persons = await store.persons(['P3', 'nope', 'P1', 'P3']);
      expect(persons.map((p) => p?.id ?? null)).toEqual(['P3', null, 'P1', 'P3']);
      expect(persons[0]).toEqual(district.persons[2]);
      expect(await store.places(['QH1', 'P1'])).toEqual([district.places[5], null]);
      expect(await store.boats(['B1'])).toEqual(district.boats);
      expect(await store.items(['L1', 'B1'])).toEqual([district.items[0], null]);
      expect(await store.entityKinds(['P1', 'H1', 'B1', 'L1', 'zzz'])).toEqual([
        'person',
        'place',
        'boat',
        'item',
        null,
      ]);
      expect(await store.casesOf(['P2', 'P1'])).toEqual([null, district.cases[0]]);
      expect(await store.persons([])).toEqual([]);
    });

    test('samples by key (subject, instant, method) keep key order and repeats, null where none is stored', async () => {
      const [negative, positive] = district.samples!;
      expect(
        await store.samplesByKey([
          positive!,
          { ...negative!, method: 'antigen' },
          negative!,
          positive!,
          { subjectId: 'P9', sampledAt: positive!.sampledAt, method: 'pcr' },
          { subjectId: 'P1', sampledAt: positive!.sampledAt + 1, method: 'pcr' },
        ]),
      ).toEqual([positive, null, negative, positive, null, null]);
      // A later batch that corrects a sample is what its key then gives.
      await store.write({ samples: [{ ...negative!, result: 'positive', ct: 30 }] });
      expect(await store.samplesByKey([negative!])).toEqual([{ ...negative!, result: 'positive', ct: 30 }]);
      expect(await store.samplesByKey([])).toEqual([]);
    });

    test('keeps null fields and unicode text exactly', async () => {
      const [p4] = await store.persons(['P4']);
      expect(p4).toEqual(district.persons[3]);
      expect((await store.persons(['P1']))[0]?.name).toBe('陈大明');
    });

    test('lists cases, optionally as known at an instant', async () => {
      expect(byKey(await store.listCases(), (c) => c.personId)).toEqual(
        byKey(district.cases, (c) => c.personId),
      );
      expect((await store.listCases(t('2022-08-03T00:00:00+08:00'))).map((c) => c.personId)).toEqual(['P1']);
    });

    test('samples of subjects, cut at asOf', async () => {
      expect(await store.samplesOf(['P1'])).toHaveLength(2);
      expect(await store.samplesOf(['P1'], t('2022-08-01T00:00:00+08:00'))).toHaveLength(1);
      expect(await store.samplesOf(['L1', 'MKT'])).toHaveLength(2);
      const env = await store.positiveEnvironmentalSamples();
      expect(env.map((s) => s.subjectId)).toEqual(['L1']);
      expect(await store.positiveEnvironmentalSamples(t('2022-08-01T00:00:00+08:00'))).toEqual([]);
    });

    test('stays of subjects overlapping per-subject windows', async () => {
      const stays = await store.staysOfSubjects([
        { id: 'P1', from: t('2022-08-01T00:00:00+08:00'), to: t('2022-08-02T00:00:00+08:00') },
        { id: 'L1', from: t('2022-08-04T00:00:00+08:00'), to: t('2022-08-04T01:00:00+08:00') },
      ]);
      expect(byKey(stays, stayKey).map(stayKey)).toEqual(
        byKey([district.stays[2]!, district.stays[5]!], stayKey).map(stayKey),
      );
      expect(stays.find((s) => s.subjectId === 'P1')).toEqual(district.stays[2]);
    });

    test('stays away from home at night: not at the home given, not within the daytime', async () => {
      const nights = { nightStartHour: 22, nightEndHour: 7, utcOffsetMinutes: 8 * 60 };
      const week = { from: t('2022-07-29T00:00:00+08:00'), to: t('2022-08-05T00:00:00+08:00') };
      // P1 spent the night of 30 July aboard B1 (kept) and a morning at the market (not); P3 was
      // aboard from 04:00, before the night ended (kept), and at the market by day (not).
      const away = await store.staysAwayAtNight(
        [
          { id: 'P1', ...week, homeId: 'H1' },
          { id: 'P3', ...week, homeId: null },
        ],
        nights,
      );
      expect(byKey(away, stayKey).map(stayKey)).toEqual(
        byKey([district.stays[0]!, district.stays[1]!], stayKey).map(stayKey),
      );
      expect(away.find((s) => s.subjectId === 'P1')).toEqual(district.stays[0]);
      // The boat as P3's home: nothing of P3's is away from it at night.
      expect(await store.staysAwayAtNight([{ id: 'P3', ...week, homeId: 'B1' }], nights)).toEqual([]);
      // With a daytime of 08:00 to 10:30, only P3's market visit (09:30 to 11:00) reaches out of it.
      const lateNights = { nightStartHour: 10.5, nightEndHour: 8, utcOffsetMinutes: 8 * 60 };
      const market = { from: t('2022-08-01T00:00:00+08:00'), to: t('2022-08-01T23:00:00+08:00') };
      expect(
        (
          await store.staysAwayAtNight(
            [
              { id: 'P1', ...market, homeId: 'H1' },
              { id: 'P3', ...market, homeId: 'H2' },
            ],
            lateNights,
          )
        ).map(stayKey),
      ).toEqual([stayKey(district.stays[3]!)]);
      // The same hours an hour west: P1's visit (09:00 to 10:00 at +08:00) is 08:00 to 09:00 there.
      expect(
        (
          await store.staysAwayAtNight([{ id: 'P1', ...market, homeId: 'H1' }], {
            ...lateNights,
            utcOffsetMinutes: 7 * 60,
          })
        ).map(stayKey),
      ).toEqual([]);
      expect(
        (
          await store.staysAwayAtNight([{ id: 'P1', ...market, homeId: 'H1' }], {
            ...lateNights,
            utcOffsetMinutes: 6 * 60,
          })
        ).map(stayKey),
      ).toEqual([stayKey(district.stays[2]!)]);
      expect(await store.staysAwayAtNight([], nights)).toEqual([]);
    });

    test('a stay overlapping several windows of its subject or host comes once', async () => {
      // P1 was aboard B1 from 30 July 04:00 to 31 July 18:00: across both windows and the gap.
      const mornings = [
        { id: 'P1', from: t('2022-07-30T05:00:00+08:00'), to: t('2022-07-30T06:00:00+08:00') },
        { id: 'P1', from: t('2022-07-31T05:00:00+08:00'), to: t('2022-07-31T06:00:00+08:00') },
        { id: 'P1', from: t('2022-07-30T05:30:00+08:00'), to: t('2022-07-30T07:00:00+08:00') },
      ];
      expect(await store.staysOfSubjects(mornings)).toEqual([district.stays[0]]);
      expect(
        (await store.staysAtHosts(mornings.map((w) => ({ ...w, id: 'B1' })))).map(stayKey).sort(),
      ).toEqual([district.stays[0]!, district.stays[1]!].map(stayKey).sort());
      const nights = { nightStartHour: 22, nightEndHour: 7, utcOffsetMinutes: 8 * 60 };
      expect(
        await store.staysAwayAtNight(
          mornings.map((w) => ({ ...w, homeId: 'H1' })),
          nights,
        ),
      ).toEqual([district.stays[0]]);
    });

    test('stays at hosts: many windows of one host, in any order, among long and short stays', async () => {
      // At PORT: one stay of eight days, and stays of one to seventeen hours every five hours.
      const HOUR = 3_600_000;
      const base = t('2022-07-20T00:00:00+08:00');
      const stays = [
        { subjectId: 'P2', hostId: 'PORT', start: base + 5 * HOUR, end: base + 197 * HOUR },
        ...Array.from({ length: 40 }, (_, i) => ({
          subjectId: ['P1', 'P3', 'P4'][i % 3]!,
          hostId: 'PORT',
          start: base + i * 5 * HOUR,
          end: base + i * 5 * HOUR + (1 + ((i * 7) % 17)) * HOUR,
        })),
      ];
      await store.write({ stays });
      const all = [...district.stays, ...stays].filter((s) => s.hostId === 'PORT');
      // Windows nested, overlapping, touching, apart, unsorted; one inside another's span.
      const spans: [number, number][] = [
        [150, 151],
        [3, 4],
        [10, 60],
        [20, 22],
        [59, 70],
        [70, 70],
        [120, 121],
        [100, 101],
        [199, 230],
        [-1000, -999],
      ];
      const windows = spans.map(([from, to]) => ({
        id: 'PORT',
        from: base + from * HOUR,
        to: base + to * HOUR,
      }));
      const expected = all.filter((s) => windows.some((w) => s.start <= w.to && s.end >= w.from));
      const found = await store.staysAtHosts(windows);
      expect(found.map(stayKey).sort()).toEqual(expected.map(stayKey).sort());
      expect(new Set(found.map(stayKey)).size).toBe(found.length);
      // Each window alone, as the brute force has it.
      for (const w of windows) {
        const one = all.filter((s) => s.start <= w.to && s.end >= w.from);
        expect((await store.staysAtHosts([w])).map(stayKey).sort()).toEqual(one.map(stayKey).sort());
      }
    });

    test('stays at hosts: boundaries touch, windows are per host', async () => {
      // [09:00,10:00] and the window starting at 10:00 share an instant: they overlap.
      const touching = await store.staysAtHosts([
        { id: 'MKT', from: t('2022-08-01T10:00:00+08:00'), to: t('2022-08-01T10:00:00+08:00') },
      ]);
      expect(touching.map((s) => s.subjectId).sort()).toEqual(['P1', 'P3']);
      const aboard = await store.staysAtHosts([
        { id: 'B1', from: t('2022-07-30T13:00:00+08:00'), to: t('2022-07-30T14:00:00+08:00') },
        { id: 'PORT', from: t('2022-08-01T00:00:00+08:00'), to: t('2022-08-01T01:00:00+08:00') },
      ]);
      expect(aboard.map(stayKey).sort()).toEqual([
        'B1|PORT|' + t('2022-07-31T18:00:00+08:00'),
        'P1|B1|' + t('2022-07-30T04:00:00+08:00'),
      ]);
      expect(
        await store.staysAtHosts([
          { id: 'MKT', from: t('2022-09-01T00:00:00+08:00'), to: t('2022-09-02T00:00:00+08:00') },
        ]),
      ).toEqual([]);
    });

    test('residents of homes', async () => {
      const residents = await store.residentsOf(['H1', 'H2']);
      expect(residents.map((p) => p.id).sort()).toEqual(['P1', 'P2', 'P3']);
      expect(await store.residentsOf(['MKT'])).toEqual([]);
    });

    test('residents counted by home, each home once, homes where nobody lives left out', async () => {
      const counts = await store.residentCounts(['H2', 'H1', 'MKT', 'H1', 'NOWHERE']);
      expect(byKey(counts, (c) => c.homeId)).toEqual([
        { homeId: 'H1', residents: 2 },
        { homeId: 'H2', residents: 1 },
      ]);
      expect(await store.residentCounts([])).toEqual([]);
    });

    test('contacts and handlings within windows, from either side', async () => {
      const win = { from: t('2022-08-02T00:00:00+08:00'), to: t('2022-08-03T00:00:00+08:00') };
      expect(await store.contactsOf([{ id: 'P4', ...win }])).toEqual(district.contacts);
      expect(await store.contactsOf([{ id: 'P1', ...win }])).toEqual(district.contacts);
      expect(
        await store.contactsOf([
          { id: 'P1', from: t('2022-08-05T00:00:00+08:00'), to: t('2022-08-06T00:00:00+08:00') },
        ]),
      ).toEqual([]);
      const hwin = { from: t('2022-07-29T00:00:00+08:00'), to: t('2022-07-30T00:00:00+08:00') };
      expect(await store.handlingsBy([{ id: 'P3', ...hwin }])).toEqual(district.handlings);
      expect(await store.handlingsOf([{ id: 'L1', ...hwin }])).toEqual(district.handlings);
      expect(
        await store.handlingsOf([
          { id: 'L1', from: t('2022-07-30T00:00:00+08:00'), to: t('2022-07-31T00:00:00+08:00') },
        ]),
      ).toEqual([]);
    });

    test('places of a kind and person search', async () => {
      expect(await store.placesOfKind(['quarantine_site'])).toEqual([district.places[5]]);
      expect((await store.searchPersons('陈', 10)).map((p) => p.id).sort()).toEqual(['P1', 'P2']);
      expect((await store.searchPersons('li w', 10)).map((p) => p.id)).toEqual(['P3']);
      expect((await store.searchPersons('0000333', 10)).map((p) => p.id)).toEqual(['P3']);
      expect((await store.searchPersons('4602001977', 10)).map((p) => p.id)).toEqual(['P1']);
      expect(await store.searchPersons('陈', 1)).toHaveLength(1);
    });

    test('scan pages through every record in a stable order', async () => {
      const pages: NonNullable<RecordBatch['stays']>[] = [];
      for await (const page of store.scan('stays', 3)) pages.push(page);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(byKey(pages.flat(), stayKey)).toEqual(byKey(district.stays, stayKey));
      const persons: NonNullable<RecordBatch['persons']>[] = [];
      for await (const page of store.scan('persons', 100)) persons.push(page);
      expect(byKey(persons.flat(), (p) => p.id)).toEqual(byKey(district.persons, (p) => p.id));
    });

    test('a committed import writes everything and leaves nothing unfinished', async () => {
      const before = await store.counts();
      const session = await store.beginImport('bundles/p9');
      await session.write({ persons: [{ ...district.persons[3]!, id: 'P9' }] });
      await session.commit();
      expect((await store.counts()).persons).toBe(before.persons + 1);
      expect(await store.unfinishedImports()).toEqual([]);
    });

    test('an aborted import keeps the batch it wrote, recorded as unfinished, exactly when its session says it keeps them', async () => {
      const before = await store.counts();
      const session = await store.beginImport('bundles/p10');
      const keeps = session.keepsWrittenBatchesOnAbort;
      expect(typeof keeps).toBe('boolean');
      const person = { ...district.persons[3]!, id: 'P10' };
      await session.write({ persons: [person] });
      await session.abort();
      expect(await store.persons(['P10'])).toEqual([keeps ? person : null]);
      expect((await store.counts()).persons).toBe(before.persons + (keeps ? 1 : 0));
      expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual(
        keeps ? [path.resolve('bundles/p10')] : [],
      );
    });

    test('forgetting an unfinished import removes its record alone, named by any path to its folder; what it wrote stays', async () => {
      let keeps = false;
      for (const id of ['P11', 'P12']) {
        const session = await store.beginImport(`bundles/${id.toLowerCase()}`);
        keeps = session.keepsWrittenBatchesOnAbort;
        await session.write({ persons: [{ ...district.persons[3]!, id }] });
        await session.abort();
      }
      const recorded = (await store.unfinishedImports()).map((u) => u.bundle);
      const before = await store.counts();
      const p11 = await store.persons(['P11']);
      expect(recorded).toEqual(
        keeps ? expect.arrayContaining([path.resolve('bundles/p11'), path.resolve('bundles/p12')]) : [],
      );

      // By its absolute path, as the warning names it.
      expect(await store.forgetUnfinishedImport(path.resolve('bundles/p11'))).toBe(keeps);
      expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual(
        recorded.filter((bundle) => bundle !== path.resolve('bundles/p11')),
      );
      expect(await store.counts()).toEqual(before);
      expect(await store.persons(['P11'])).toEqual(p11);
      // None is left of that folder, and none was ever made of another.
      expect(await store.forgetUnfinishedImport('bundles/p11')).toBe(false);
      expect(await store.forgetUnfinishedImport('bundles/never-imported')).toBe(false);
      // By a relative path.
      expect(await store.forgetUnfinishedImport('bundles/p12')).toBe(keeps);
      expect((await store.unfinishedImports()).map((u) => u.bundle)).toEqual(
        recorded.filter((bundle) => !bundle.endsWith('/p11') && !bundle.endsWith('/p12')),
      );
    });

    test('the import lock: records already stored are written while it is held; released, the next import takes it', async () => {
      const lock = await store.lockImports();
      const renamed = { ...district.persons[0]!, name: 'renamed while an import holds the lock' };
      await store.write({ persons: [renamed] });
      expect(await store.persons([renamed.id])).toEqual([renamed]);
      await lock.release();
      // Releasing again does nothing.
      await lock.release();
      const next = await store.lockImports();
      await next.release();
      await store.write({ persons: [district.persons[0]!] });
    });

    test('clear removes everything', async () => {
      await store.clear();
      expect(Object.values(await store.counts()).every((n) => n === 0)).toBe(true);
      expect(await store.unfinishedImports()).toEqual([]);
    });
  });
}
