/**
 * The quarantine plan of the demo district (seeds/demo) through the API on 5 August 2022: two close
 * contacts whose quarantine ended (P0000193 on 4 August, P0000603 on 5 August) are still at
 * quarantine site QS001. They keep placement COMPLETED, are named at QS001 (due for release), and
 * are numbered after every contact still to act on; the site counts their beds as due for release.
 */
import path from 'node:path';
import { buildApiSchema } from '../../src/api/schema';
import { importBundle } from '../../src/import/import';
import { openEmbeddedStore } from '../../src/store/embedded';
import type { TraceStore } from '../../src/store/port';
import { contextFor, run, suiteTempDirs, type Json } from './helpers';

const DEMO = path.resolve(__dirname, '../../seeds/demo');
const freshDir = suiteTempDirs();
const schema = buildApiSchema();
let store: TraceStore;

beforeAll(async () => {
  store = await openEmbeddedStore(freshDir('tracegraph-api-release-'));
  await importBundle(store, DEMO);
}, 60_000);
afterAll(() => store?.close());

const PLAN = `query Plan($asOf: DateTime, $after: String) {
  quarantinePriority(asOf: $asOf, first: 500, after: $after) {
    totalCount occupied assigned
    sites { place { id } capacity occupied dueForRelease assigned free }
    pageInfo { hasNextPage endCursor }
    edges { node { priority placement person { id } site { id } reasons } }
  }
}`;

/** Every entry of the plan as of `asOf` (null: the default), page after page, and its sites. */
async function planAsOf(asOf: string | null): Promise<{ sites: Json[]; occupied: number; entries: Json[] }> {
  const context = contextFor(store, 'investigator');
  const entries: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const result = await run(schema, context, PLAN, { asOf, after });
    expect(result.errors).toBeUndefined();
    const plan = (result.data as Json).quarantinePriority;
    entries.push(...plan.edges.map((e: Json) => e.node));
    if (!plan.pageInfo.hasNextPage) {
      expect(entries).toHaveLength(plan.totalCount);
      return { sites: plan.sites, occupied: plan.occupied, entries };
    }
    after = plan.pageInfo.endCursor;
  }
}

test('on 5 August, contacts still at QS001 after their quarantine are due for release, numbered last', async () => {
  const { sites, occupied, entries } = await planAsOf('2022-08-05T23:59:59+08:00');
  const byId = new Map(entries.map((e) => [e.person.id, e]));
  for (const [id, ended] of [
    ['P0000193', '2022-08-04'],
    ['P0000603', '2022-08-05'],
  ] as const) {
    const entry = byId.get(id);
    expect(entry).toMatchObject({ placement: 'COMPLETED', site: { id: 'QS001' } });
    expect(entry.reasons).toMatch(
      new RegExp(`; quarantine ended on ${ended}, still at QS001: due for release$`),
    );
  }
  // The site's 10 beds are all taken, 2 of them by these two; none is free to assign.
  expect(sites).toEqual([
    { place: { id: 'QS001' }, capacity: 10, occupied: 10, dueForRelease: 2, assigned: 0, free: 0 },
  ]);
  expect(occupied).toBe(10);
  // Every exposed person at the site is among its entries now: they add up to its occupied beds.
  const atSite = entries.filter((e) => e.site?.id === 'QS001');
  expect(atSite).toHaveLength(10);
  expect(
    atSite
      .filter((e) => e.placement === 'COMPLETED')
      .map((e) => e.person.id)
      .sort(),
  ).toEqual(['P0000193', 'P0000603']);
  // Priorities 1 … n without gaps, every completed contact after every other.
  expect(entries.map((e) => e.priority)).toEqual(entries.map((_, i) => i + 1));
  const firstCompleted = entries.findIndex((e) => e.placement === 'COMPLETED');
  expect(firstCompleted).toBeGreaterThan(0);
  expect(entries.slice(firstCompleted).every((e) => e.placement === 'COMPLETED')).toBe(true);
});

test('as of the default instant the beds are as they were: 8 of the 10 assigned, none due for release', async () => {
  const { sites, entries } = await planAsOf(null);
  expect(sites).toEqual([
    { place: { id: 'QS001' }, capacity: 10, occupied: 0, dueForRelease: 0, assigned: 8, free: 2 },
  ]);
  expect(entries.filter((e) => e.placement === 'SITE')).toHaveLength(8);
  // The completed contacts, once among the first (from priority 5), now follow all the others.
  const firstCompleted = entries.findIndex((e) => e.placement === 'COMPLETED');
  expect(firstCompleted).toBeGreaterThan(8);
  expect(entries.slice(firstCompleted).every((e) => e.placement === 'COMPLETED')).toBe(true);
  expect(entries.map((e) => e.priority)).toEqual(entries.map((_, i) => i + 1));
});

test('the outbreak summary counts the beds due for release among those occupied, as the sites do', async () => {
  const context = contextFor(store, 'investigator');
  const query = `query Summary($asOf: DateTime) {
    outbreakSummary(asOf: $asOf) { quarantineBeds occupiedBeds dueForReleaseBeds assignedBeds }
  }`;
  const onFifth = await run(schema, context, query, { asOf: '2022-08-05T23:59:59+08:00' });
  expect(onFifth.errors).toBeUndefined();
  expect((onFifth.data as Json).outbreakSummary).toEqual({
    quarantineBeds: 10,
    occupiedBeds: 10,
    dueForReleaseBeds: 2,
    assignedBeds: 0,
  });
  const latest = await run(schema, context, query, { asOf: null });
  expect((latest.data as Json).outbreakSummary).toMatchObject({ occupiedBeds: 0, dueForReleaseBeds: 0 });
});
