import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { FILE_SPECS, type FileName, type RawRow } from '../../src/domain/records';
import { stayTypeOf, type EntityKind } from '../../src/domain/types';
import { generateDistrict, type DistrictSummary } from '../../seeds/generator';
import { DEMO } from '../../seeds/generate-demo';
import { isBundleReadMarker } from '../../src/fs/bundle-read-marker';

const root = mkdtempSync(path.join(tmpdir(), 'tracegraph-seeds-'));
const dir = (name: string) => path.join(root, name);

function read(bundle: string, file: FileName): RawRow[] {
  return parse(readFileSync(path.join(bundle, file)), { columns: true, skip_empty_lines: true }) as RawRow[];
}

/** Every file of a bundle, parsed with the import format's row specs. */
function load(bundle: string) {
  const rows = {} as Record<FileName, RawRow[]>;
  for (const spec of FILE_SPECS) rows[spec.file] = read(bundle, spec.file);
  return rows;
}

let first: DistrictSummary;
let again: DistrictSummary;
let other: DistrictSummary;
let bundle: Record<FileName, RawRow[]>;
const progress: [number, number][] = [];

beforeAll(async () => {
  first = await generateDistrict({
    persons: 1_000,
    seed: 'test',
    outDir: dir('a'),
    onProgress: (d, t) => progress.push([d, t]),
  });
  again = await generateDistrict({ persons: 1_000, seed: 'test', outDir: dir('a-again') });
  other = await generateDistrict({ persons: 1_000, seed: 'other', outDir: dir('b') });
  bundle = load(dir('a'));
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generateDistrict', () => {
  it('rejects sizes outside 1,000 to 1,000,000 persons before writing anything', async () => {
    for (const persons of [999, 1_000_001, 1_500.5, Number.NaN]) {
      await expect(generateDistrict({ persons, outDir: dir('rejected') })).rejects.toThrow(
        /persons: must be a whole number from 1,000 to 1,000,000/,
      );
    }
    expect(existsSync(dir('rejected'))).toBe(false);
  });

  it('rejects a start that is not an ISO date and a period out of range', async () => {
    await expect(generateDistrict({ persons: 1_000, outDir: dir('x'), start: '25/07/2022' })).rejects.toThrow(
      /start: "25\/07\/2022"/,
    );
    await expect(generateDistrict({ persons: 1_000, outDir: dir('x'), days: 3 })).rejects.toThrow(
      /days: must be a whole number from 7 to 60/,
    );
  });

  it('writes byte-identical files for the same seed and size', () => {
    for (const spec of FILE_SPECS) {
      const a = readFileSync(path.join(dir('a'), spec.file));
      const b = readFileSync(path.join(dir('a-again'), spec.file));
      expect({ file: spec.file, same: a.equals(b) }).toEqual({ file: spec.file, same: true });
    }
    expect(again).toEqual({ ...first, outDir: dir('a-again') });
  });

  it('writes different files for a different seed', () => {
    for (const file of ['persons.csv', 'stays.csv', 'samples.csv'] as const) {
      const a = readFileSync(path.join(dir('a'), file));
      const b = readFileSync(path.join(dir('b'), file));
      expect({ file, same: a.equals(b) }).toEqual({ file, same: false });
    }
    expect(other.indexCase).not.toBeNull();
  });

  it('writes exactly the persons asked for, and reports the rows of every file', () => {
    expect(bundle['persons.csv']).toHaveLength(1_000);
    for (const spec of FILE_SPECS)
      expect({ [spec.file]: first.rows[spec.file] }).toEqual({ [spec.file]: bundle[spec.file].length });
    expect(first.persons).toBe(1_000);
    expect(first.seed).toBe('test');
    expect(first.start).toBe('2022-07-25');
    expect(first.days).toBe(21);
    expect(first.cases).toBe(bundle['cases.csv'].length);
  });

  it('reports progress up to the total (the period in days plus setup and the end)', () => {
    expect(progress[progress.length - 1]).toEqual([23, 23]);
    expect(progress.every(([, total]) => total === 23)).toBe(true);
  });

  it('writes the header of the import format and rows that its parsers accept, with every reference resolved', () => {
    const kinds = new Map<string, EntityKind>();
    for (const spec of FILE_SPECS) {
      const header = readFileSync(path.join(dir('a'), spec.file), 'utf8').split('\n', 1)[0]!;
      expect(header).toBe(spec.columns.join(','));
      if (!spec.defines) continue;
      for (const row of bundle[spec.file]) {
        const id = row[spec.idColumn!]!;
        expect(kinds.has(id) ? `${id} defined twice` : id).toBe(id);
        kinds.set(id, spec.defines);
      }
    }
    for (const spec of FILE_SPECS) {
      const keys = new Set<string>();
      bundle[spec.file].forEach((row, i) => {
        const parsed = spec.parse(row);
        const where = `${spec.file}:${i + 2}`;
        expect({ where, problems: parsed.problems }).toEqual({ where, problems: [] });
        const key = spec.key(parsed.record as never);
        expect({ where, duplicate: keys.has(key) }).toEqual({ where, duplicate: false });
        keys.add(key);
        for (const ref of parsed.references) {
          const kind = kinds.get(ref.id);
          expect({ where, ref: ref.id, resolved: kind !== undefined && ref.kinds.includes(kind) }).toEqual({
            where,
            ref: ref.id,
            resolved: true,
          });
        }
        if (spec.file === 'stays.csv') {
          const type = stayTypeOf(kinds.get(row.subject_id!)!, kinds.get(row.host_id!)!);
          expect({ where, type: type === null ? null : 'ok' }).toEqual({ where, type: 'ok' });
        }
      });
    }
  });

  it('writes every instant in ISO 8601 with the +08:00 offset, to the minute', () => {
    const columns: Partial<Record<FileName, string[]>> = {
      'items.csv': ['arrived_at'],
      'stays.csv': ['start', 'end'],
      'contacts.csv': ['start', 'end'],
      'handlings.csv': ['at'],
      'samples.csv': ['sampled_at'],
      'cases.csv': ['onset', 'confirmed_at'],
    };
    for (const [file, names] of Object.entries(columns) as [FileName, string[]][]) {
      for (const row of bundle[file]) {
        for (const name of names) {
          if (file === 'cases.csv' && name === 'onset' && row.onset === '') continue;
          expect(row[name]).toMatch(/^2022-(07|08)-\d{2}T\d{2}:\d{2}:00\+08:00$/);
        }
      }
    }
  });

  it('places households of 1-6 persons in shared homes near their village, and lists no home stays', () => {
    const places = new Map(bundle['places.csv'].map((p) => [p.id!, p]));
    const residents = new Map<string, number>();
    for (const person of bundle['persons.csv']) {
      expect(places.get(person.home_id!)?.kind).toBe('home');
      residents.set(person.home_id!, (residents.get(person.home_id!) ?? 0) + 1);
    }
    const homes = bundle['places.csv'].filter((p) => p.kind === 'home');
    expect(residents.size).toBe(homes.length);
    const sizes = [...residents.values()];
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6);
    expect(sizes.filter((n) => n > 1).length).toBeGreaterThan(homes.length / 2);

    // The nearest village or community of every home is the one it is named after.
    const villages = bundle['places.csv'].filter((p) => p.kind === 'village' || p.kind === 'community');
    expect(villages.length).toBe(10);
    for (const home of homes) {
      const distance = (v: RawRow) =>
        Math.hypot(Number(v.lat) - Number(home.lat), Number(v.lon) - Number(home.lon));
      const nearest = villages.reduce((a, b) => (distance(b) < distance(a) ? b : a));
      const nameZh = nearest.name!.split(' ')[0]!;
      expect({ home: home.id, village: home.name!.startsWith(nameZh) }).toEqual({
        home: home.id,
        village: true,
      });
    }

    const homeIds = new Set(homes.map((h) => h.id));
    expect(bundle['stays.csv'].filter((s) => homeIds.has(s.host_id!))).toEqual([]);
  });

  it('gives persons Yazhou identity numbers, mobile numbers and the occupations of a fishing district', () => {
    const persons = bundle['persons.csv'];
    for (const p of persons) {
      expect(p.phone).toMatch(/^1[358]\d{9}$/);
      expect(p.id_number).toMatch(/^460204(19|20)\d{9}[\dX]$/);
      expect(p.name!.length).toBeGreaterThanOrEqual(2);
      // The birth year in the identity number agrees with the age on 2022-07-25.
      const born = p.id_number!.slice(6, 14);
      const age = 2022 - Number(born.slice(0, 4)) - (born.slice(4) > '0725' ? 1 : 0);
      expect({ id: p.id, age }).toEqual({ id: p.id, age: Number(p.age) });
    }
    expect(new Set(persons.map((p) => p.phone)).size).toBe(persons.length);
    expect(new Set(persons.map((p) => p.id_number)).size).toBe(persons.length);
    const occupations = new Set(persons.map((p) => p.occupation));
    for (const o of ['fisher', 'porter', 'cold-chain worker', 'vendor', 'teacher', 'student', 'retiree']) {
      expect(occupations).toContain(o);
    }
  });

  it('scales places and boats with the size: 25 boats, 10 quarantine beds (1%) at 1,000 persons', () => {
    expect(bundle['boats.csv']).toHaveLength(25);
    const quarantine = bundle['places.csv'].filter((p) => p.kind === 'quarantine_site');
    expect(quarantine.reduce((sum, p) => sum + Number(p.capacity), 0)).toBe(10);
    const named = new Set(bundle['places.csv'].map((p) => p.name!.split(' ')[0]));
    for (const name of [
      '崖州中心渔港',
      '崖州海鲜市场',
      '崖州站',
      'G98环岛高速崖州出口',
      '保港社区',
      '梅山社区',
    ]) {
      expect(named).toContain(name);
    }
  });

  it('records about 20 stays per person, boats at sea and in port, and lots carried, stored and handled', () => {
    const kinds = new Map<string, string>();
    for (const p of bundle['places.csv']) kinds.set(p.id!, 'place');
    for (const b of bundle['boats.csv']) kinds.set(b.id!, 'boat');
    for (const i of bundle['items.csv']) kinds.set(i.id!, 'item');
    for (const p of bundle['persons.csv']) kinds.set(p.id!, 'person');
    const perType = new Map<string, number>();
    for (const s of bundle['stays.csv']) {
      const type = stayTypeOf(kinds.get(s.subject_id!) as EntityKind, kinds.get(s.host_id!) as EntityKind)!;
      perType.set(type, (perType.get(type) ?? 0) + 1);
    }
    const perPerson = ((perType.get('STAYED_AT') ?? 0) + (perType.get('ABOARD') ?? 0)) / 1_000;
    expect(perPerson).toBeGreaterThan(16);
    expect(perPerson).toBeLessThan(24);
    expect(perType.get('ABOARD')).toBeGreaterThan(50);
    expect(perType.get('DOCKED_AT')).toBeGreaterThan(25);
    expect(perType.get('CARRIED_BY')).toBe(bundle['items.csv'].length);
    expect(perType.get('STORED_AT')).toBeGreaterThanOrEqual(bundle['items.csv'].length);
    expect(bundle['handlings.csv'].length).toBeGreaterThan(bundle['items.csv'].length);
  });

  it('never has a person in two places at once (boat, venue, hospital or quarantine hotel)', () => {
    const persons = new Set(bundle['persons.csv'].map((p) => p.id));
    const byPerson = new Map<string, [string, string][]>();
    for (const s of bundle['stays.csv']) {
      if (!persons.has(s.subject_id!)) continue;
      const list = byPerson.get(s.subject_id!) ?? [];
      list.push([s.start!, s.end!]);
      byPerson.set(s.subject_id!, list);
    }
    const overlaps: string[] = [];
    for (const [person, stays] of byPerson) {
      // Same offset everywhere, so the ISO strings sort as instants do.
      stays.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (let i = 1; i < stays.length; i++) {
        if (stays[i]![0] < stays[i - 1]![1]) overlaps.push(`${person} ${stays[i - 1]} / ${stays[i]}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('has cases found by testing, with positive samples, contacts named in interviews and a contaminated lot', () => {
    const cases = bundle['cases.csv'];
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(first.indexCase).toMatch(/^P\d{7}$/);
    expect(first.detectedOn).not.toBeNull();
    const persons = new Set(bundle['persons.csv'].map((p) => p.id));
    const samples = bundle['samples.csv'];
    const positive = samples.filter((s) => s.result === 'positive');
    for (const c of cases) {
      if (c.classification === 'asymptomatic') expect(c.onset).toBe('');
      // Confirmed after a positive sample with a Ct value.
      const own = positive.filter((s) => s.subject_id === c.person_id && s.sampled_at! <= c.confirmed_at!);
      expect({ person: c.person_id, positive: own.length > 0 && own.every((s) => Number(s.ct) > 0) }).toEqual(
        {
          person: c.person_id,
          positive: true,
        },
      );
    }
    // Negative samples of everyone else at the district-wide rounds.
    expect(samples.filter((s) => s.result === 'negative').length).toBeGreaterThan(5_000);
    // Environmental samples: the lot, the boat and places.
    const items = new Set(bundle['items.csv'].map((i) => i.id));
    const boats = new Set(bundle['boats.csv'].map((b) => b.id));
    const places = new Set(bundle['places.csv'].map((p) => p.id));
    expect(positive.filter((s) => items.has(s.subject_id!))).toHaveLength(1);
    expect(positive.filter((s) => boats.has(s.subject_id!))).toHaveLength(1);
    expect(positive.filter((s) => places.has(s.subject_id!)).length).toBeGreaterThanOrEqual(2);
    // Interviews name household members and some others; every contact involves a case.
    const caseIds = new Set(cases.map((c) => c.person_id));
    const contacts = bundle['contacts.csv'];
    expect(contacts.filter((c) => c.setting === 'household').length).toBeGreaterThan(0);
    expect(contacts.filter((c) => c.setting !== 'household').length).toBeGreaterThan(0);
    expect(contacts.every((c) => caseIds.has(c.person_a!))).toBe(true);
    // Quarantine hotels hold close contacts, never more at once than they have beds.
    const hotels = bundle['places.csv'].filter((p) => p.kind === 'quarantine_site');
    for (const hotel of hotels) {
      const stays = bundle['stays.csv'].filter((s) => s.host_id === hotel.id);
      expect(stays.length).toBeGreaterThan(0);
      expect(stays.every((s) => persons.has(s.subject_id!))).toBe(true);
      const changes = stays.flatMap(
        (s) =>
          [
            [s.start!, 1],
            [s.end!, -1],
          ] as [string, number][],
      );
      // Leavings before arrivals at the same instant.
      changes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      let occupied = 0;
      let most = 0;
      for (const [, change] of changes) most = Math.max(most, (occupied += change));
      expect(most).toBeLessThanOrEqual(Number(hotel.capacity));
    }
  });
});

describe('generateDistrict at 5,000 persons', () => {
  let summary: DistrictSummary;
  beforeAll(async () => {
    summary = await generateDistrict({ persons: 5_000, seed: 7, outDir: dir('five') });
  }, 120_000);

  it('scales everything with the size', () => {
    expect(read(dir('five'), 'persons.csv')).toHaveLength(5_000);
    expect(summary.rows['persons.csv']).toBe(5_000);
    expect(summary.rows['boats.csv']).toBe(125);
    const places = read(dir('five'), 'places.csv');
    const beds = places
      .filter((p) => p.kind === 'quarantine_site')
      .reduce((sum, p) => sum + Number(p.capacity), 0);
    expect(beds).toBe(50);
    expect(places.filter((p) => p.kind === 'market')).toHaveLength(2);
    expect(places.filter((p) => p.kind === 'workplace')).toHaveLength(20);
    expect(places.filter((p) => p.kind === 'restaurant')).toHaveLength(13);
    expect(summary.rows['stays.csv'] / 5_000).toBeGreaterThan(16);
    expect(summary.rows['stays.csv'] / 5_000).toBeLessThan(24);
    expect(summary.cases).toBeGreaterThanOrEqual(10);
  });
});

describe('the committed demo bundle (seeds/demo)', () => {
  it('is what the generator writes for 1,000 persons and seed 2022 (regenerate with seeds/generate-demo.ts)', async () => {
    const fresh = dir('demo');
    await generateDistrict({ ...DEMO, outDir: fresh });
    // Suites on the other jest worker import the demo meanwhile, each leaving its read marker there.
    const committedFiles = readdirSync(DEMO.outDir).filter((name) => !isBundleReadMarker(name));
    expect(committedFiles.sort()).toEqual(FILE_SPECS.map((s) => s.file).sort());
    for (const spec of FILE_SPECS) {
      const committed = readFileSync(path.join(DEMO.outDir, spec.file));
      const generated = readFileSync(path.join(fresh, spec.file));
      expect({ file: spec.file, inSync: committed.equals(generated) }).toEqual({
        file: spec.file,
        inSync: true,
      });
    }
  }, 120_000);
});
