/**
 * A text passed as `after` that is no cursor of the list is refused the same way on every paged
 * field, whatever the list holds: an empty list too (BAD_USER_INPUT at the field's `after`). Over
 * HTTP, on the embedded store holding the small district.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import pino from 'pino';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { smallDistrict, t } from '../store/fixtures';
import { embeddedStoreWith, type Json, type TempStore } from './helpers';
import { postGraphQL } from './http';

const KEYS = { admin: 'admin-key-2c94e1', investigator: 'investigator-key-8b03d7' };
let temp: TempStore;
let running: RunningApiServer;

beforeAll(async () => {
  const district = smallDistrict();
  // The lot L1 aboard the boat B1 for a day, so that a boat's cargo can hold something.
  const cargo = {
    subjectId: 'L1',
    hostId: 'B1',
    start: t('2022-08-06T08:00:00+08:00'),
    end: t('2022-08-06T20:00:00+08:00'),
  };
  temp = await embeddedStoreWith(
    { ...district, stays: [...district.stays, cargo] },
    'tracegraph-api-cursors-',
  );
  running = await startApiServer(
    {
      store: temp.store,
      apiKeys: [
        { key: KEYS.admin, role: 'admin' },
        { key: KEYS.investigator, role: 'investigator' },
      ],
      logger: pino({ level: 'silent' }),
      closeStore: false,
    },
    { port: 0 },
  );
});
afterAll(async () => {
  await running?.stop();
  await temp?.dispose();
});

/** Before anything happened in the district: analyses then hold no case, exposure or contact. */
const EARLY = 'asOf: "2000-01-01T00:00:00+08:00"';
/** A window in which nothing stayed anywhere. */
const OLD_WINDOW = 'from: "1990-01-01T00:00:00Z", to: "1990-01-02T00:00:00Z"';
const WHOLE_WINDOW = 'from: "2022-07-01T00:00:00Z", to: "2022-09-01T00:00:00Z"';

/** Arguments as written after a field: none, or in parentheses. */
const inParens = (args: string) => (args ? `(${args})` : '');

interface PagedField {
  /** `Type.field`, as the schema names it. */
  field: string;
  /** The field's path in the operation, as argument paths name it. */
  path: string;
  /** The operation, given the field's arguments; it selects `totalCount` (`id` of a plain list). */
  query: (args: string) => string;
  /** The arguments that make the list empty, and those that fill it (null when none can). */
  empty: string | null;
  full: string | null;
}

const pagedFields: PagedField[] = [
  {
    field: 'Person.stays',
    path: 'person.stays',
    query: (a) => `{ person(id: "P1") { stays${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: '',
  },
  {
    field: 'Person.exposures',
    path: 'person.exposures',
    query: (a) => `{ person(id: "P4") { exposures${inParens(a)} { totalCount } } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Place.visitors',
    path: 'place.visitors',
    query: (a) => `{ place(id: "MKT") { visitors${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: WHOLE_WINDOW,
  },
  {
    field: 'Place.exposures',
    path: 'place.exposures',
    query: (a) => `{ place(id: "MKT") { exposures${inParens(a)} { totalCount } } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Boat.crew',
    path: 'boat.crew',
    query: (a) => `{ boat(id: "B1") { crew${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: WHOLE_WINDOW,
  },
  {
    field: 'Boat.cargo',
    path: 'boat.cargo',
    query: (a) => `{ boat(id: "B1") { cargo${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: WHOLE_WINDOW,
  },
  {
    field: 'Boat.dockings',
    path: 'boat.dockings',
    query: (a) => `{ boat(id: "B1") { dockings${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: '',
  },
  {
    field: 'Boat.crewExposures',
    path: 'boat.crewExposures',
    query: (a) => `{ boat(id: "B1") { crewExposures${inParens(a)} { totalCount } } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'ColdChainItem.storage',
    path: 'coldChainItem.storage',
    query: (a) => `{ coldChainItem(id: "L1") { storage${inParens(a)} { totalCount } } }`,
    empty: OLD_WINDOW,
    full: '',
  },
  {
    field: 'ColdChainItem.exposures',
    path: 'coldChainItem.exposures',
    query: (a) => `{ coldChainItem(id: "L1") { exposures${inParens(a)} { totalCount } } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Case.contacts',
    path: 'case.contacts',
    query: (a) => `{ case(personId: "P1") { contacts${inParens(a)} { totalCount } } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Query.quarantinePriority',
    path: 'quarantinePriority',
    query: (a) => `{ quarantinePriority${inParens(a)} { totalCount } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Query.transmissionChains',
    path: 'transmissionChains',
    query: (a) => `{ transmissionChains${inParens(a)} { totalCount } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Query.sources',
    path: 'sources',
    query: (a) => `{ sources${inParens(a)} { id } }`,
    empty: EARLY,
    full: '',
  },
  {
    field: 'Query.auditLog',
    path: 'auditLog',
    query: (a) => `{ auditLog${inParens(a)} { totalCount } }`,
    // Empty until a read of personal data is audited: the test reads one first.
    empty: null,
    full: '',
  },
  // A chain holds its cases and a cluster its members: neither list can be empty.
  {
    field: 'TransmissionChain.cases',
    path: 'transmissionChains.edges.node.cases',
    query: (a) =>
      `{ transmissionChains(first: 1) { edges { node { cases${inParens(a)} { totalCount } } } } }`,
    empty: null,
    full: '',
  },
  {
    field: 'Cluster.members',
    path: 'clusters.members',
    query: (a) => `{ clusters(kind: CASE_COMPONENT) { members${inParens(a)} { totalCount } } }`,
    empty: null,
    full: '',
  },
];

/** Every `Type.field` of the schema that takes `after`. */
function fieldsTakingAfter(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((f) => f.args.some((a) => a.name === 'after' && getNamedType(a.type).name === 'String'))
        .map((f) => `${type.name}.${f.name}`),
    );
}

const post = async (query: string) => (await postGraphQL(running.url, KEYS.admin, { query })).body;

/** How many items the lists of an answer hold: their totalCount, or a plain list's records. */
function countOf(value: Json): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item: Json) => sum + countOf(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  if ('totalCount' in value) return value.totalCount;
  if ('id' in value) return 1;
  return Object.values(value).reduce((sum: number, item: Json) => sum + countOf(item), 0);
}

/** The errors of `after: "<after>"` with `args`, as [code, argumentPath, message]. */
async function refusal(paged: PagedField, args: string, after: string): Promise<unknown[][]> {
  const query = paged.query([args, `after: ${JSON.stringify(after)}`].filter(Boolean).join(', '));
  const body = await post(query);
  return (body.errors ?? []).map((e: Json) => [e.extensions?.code, e.extensions?.argumentPath, e.message]);
}

test('the table below names every field of the schema that takes `after`', () => {
  expect(pagedFields.map((p) => p.field).sort()).toEqual(fieldsTakingAfter(running.api.schema).sort());
});

test.each(pagedFields.map((p) => [p.field, p] as const))(
  '%s: a text that is no cursor is refused at after, on an empty list as on a full one',
  async (_field, paged) => {
    if (paged.field === 'Query.auditLog') {
      // An unmasked read, audited: the audit log is no longer empty.
      expect((await post('{ person(id: "P1") { name } }')).errors).toBeUndefined();
    }
    const refused = [['BAD_USER_INPUT', `${paged.path}.after`, 'after: is not a cursor of this list']];
    for (const [args, holds] of [
      [paged.empty, 'empty'],
      [paged.full, 'full'],
    ] as const) {
      if (args === null) continue;
      const list = await post(paged.query(args));
      expect([holds, list.errors]).toEqual([holds, undefined]);
      expect([holds, countOf(list.data) > 0]).toEqual([holds, holds === 'full']);
      for (const after of ['garbage', '', 'eyJhIjoxfQ']) {
        expect([holds, after, await refusal(paged, args, after)]).toEqual([holds, after, refused]);
      }
    }
  },
);
