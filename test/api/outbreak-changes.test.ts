/**
 * `outbreakChanges` on the demo district (seeds/demo): what changed from 11 to 12 August is what
 * the two days' own analyses differ by (worked out here from `quarantinePriority`, the chains' cases and
 * `riskAreas` at each instant), and what `tracegraph report --since` gives; a `since` that is not
 * before `asOf` is refused at `since`.
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
  store = await openEmbeddedStore(freshDir('tracegraph-api-changes-'));
  await importBundle(store, DEMO);
}, 60_000);
afterAll(() => store?.close());

const THEN = '2022-08-11T23:59:59.999+08:00';
const NOW = '2022-08-12T23:59:59.999+08:00';

const CHANGES = `query Changes($since: DateTime!, $asOf: DateTime) {
  outbreakChanges(since: $since, asOf: $asOf) {
    since asOf
    newCases { personId classification tierThen }
    reclassifiedCases { personId from to }
    newContacts { personId tier placement siteId }
    tierChanges { personId from to }
    leftContacts { personId tierThen becameCase }
    placementChanges { personId from { placement siteId } to { placement siteId } }
    riskAreaChanges { placeId from to }
  }
}`;

const STATE = `query State($asOf: DateTime, $after: String) {
  transmissionChains(first: 500, asOf: $asOf) { edges { node { cases(first: 500) { edges { node { personId classification } } } } } }
  riskAreas(asOf: $asOf) { place { id } level }
  quarantinePriority(asOf: $asOf, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { tier placement person { id } site { id } } }
  }
}`;

interface State {
  cases: Map<string, string>;
  areas: Map<string, string>;
  contacts: Map<string, { tier: string; placement: string; siteId: string | null }>;
}

/** One instant's cases, risk areas and contacts, as the API's lists give them. */
async function stateAt(asOf: string): Promise<State> {
  const context = contextFor(store, 'investigator');
  const state: State = { cases: new Map(), areas: new Map(), contacts: new Map() };
  let after: string | null = null;
  for (;;) {
    const result = await run(schema, context, STATE, { asOf, after });
    expect(result.errors).toBeUndefined();
    const data = result.data as Json;
    for (const e of data.transmissionChains.edges)
      for (const c of e.node.cases.edges) state.cases.set(c.node.personId, c.node.classification);
    for (const a of data.riskAreas) state.areas.set(a.place.id, a.level);
    for (const e of data.quarantinePriority.edges)
      if (e.node.tier !== null && e.node.placement !== 'NONE')
        state.contacts.set(e.node.person.id, {
          tier: e.node.tier,
          placement: e.node.placement,
          siteId: e.node.site?.id ?? null,
        });
    if (!data.quarantinePriority.pageInfo.hasNextPage) return state;
    after = data.quarantinePriority.pageInfo.endCursor;
  }
}

const sorted = (...maps: Map<string, unknown>[]) =>
  [...new Set(maps.flatMap((m) => [...m.keys()]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

test('outbreakChanges lists what the two instants differ by, sorted by id', async () => {
  const result = await run(schema, contextFor(store, 'investigator'), CHANGES, { since: THEN, asOf: NOW });
  expect(result.errors).toBeUndefined();
  const changes = (result.data as Json).outbreakChanges;
  const [then, now] = [await stateAt(THEN), await stateAt(NOW)];

  expect(changes.since).toBe('2022-08-11T15:59:59.999Z');
  expect(changes.asOf).toBe('2022-08-12T15:59:59.999Z');
  expect(changes.newCases).toEqual(
    sorted(now.cases)
      .filter((id) => !then.cases.has(id))
      .map((id) => ({
        personId: id,
        classification: now.cases.get(id),
        tierThen: then.contacts.get(id)?.tier ?? null,
      })),
  );
  expect(changes.reclassifiedCases).toEqual(
    sorted(now.cases)
      .filter((id) => then.cases.has(id) && then.cases.get(id) !== now.cases.get(id))
      .map((id) => ({ personId: id, from: then.cases.get(id), to: now.cases.get(id) })),
  );
  const ids = sorted(then.contacts, now.contacts);
  expect(changes.newContacts).toEqual(
    ids.filter((id) => !then.contacts.has(id)).map((id) => ({ personId: id, ...now.contacts.get(id) })),
  );
  expect(changes.leftContacts).toEqual(
    ids
      .filter((id) => !now.contacts.has(id))
      .map((id) => ({ personId: id, tierThen: then.contacts.get(id)!.tier, becameCase: now.cases.has(id) })),
  );
  const both = ids.filter((id) => then.contacts.has(id) && now.contacts.has(id));
  expect(changes.tierChanges).toEqual(
    both
      .filter((id) => then.contacts.get(id)!.tier !== now.contacts.get(id)!.tier)
      .map((id) => ({ personId: id, from: then.contacts.get(id)!.tier, to: now.contacts.get(id)!.tier })),
  );
  const placementOf = (s: State, id: string) => ({
    placement: s.contacts.get(id)!.placement,
    siteId: s.contacts.get(id)!.siteId,
  });
  expect(changes.placementChanges).toEqual(
    both
      .filter((id) => JSON.stringify(placementOf(then, id)) !== JSON.stringify(placementOf(now, id)))
      .map((id) => ({ personId: id, from: placementOf(then, id), to: placementOf(now, id) })),
  );
  expect(changes.riskAreaChanges).toEqual(
    sorted(then.areas, now.areas)
      .filter((id) => then.areas.get(id) !== now.areas.get(id))
      .map((id) => ({ placeId: id, from: then.areas.get(id) ?? null, to: now.areas.get(id) ?? null })),
  );
  // The demo's 12 August, as `report --since` gives it.
  expect(changes.newCases).toEqual([
    { personId: 'P0000526', classification: 'ASYMPTOMATIC', tierThen: 'CLOSE_CONTACT' },
  ]);
  expect(changes.riskAreaChanges).toEqual([{ placeId: 'TS005', from: null, to: 'MEDIUM' }]);
  expect(changes.placementChanges).toHaveLength(28);
}, 120_000);

test('a since that is not before asOf is refused at since', async () => {
  const result = await run(schema, contextFor(store, 'investigator'), CHANGES, { since: NOW, asOf: NOW });
  expect(result.data).toEqual({ outbreakChanges: null });
  expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.problems])).toEqual([
    [
      'BAD_USER_INPUT',
      [{ path: 'since', reason: '2022-08-12T15:59:59.999Z is not before asOf (2022-08-12T15:59:59.999Z)' }],
    ],
  ]);
}, 120_000);

test('outbreakChanges needs a key like every analysis', async () => {
  const result = await run(schema, contextFor(store, null), CHANGES, { since: THEN, asOf: NOW });
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
});
