/**
 * Analysis scope across record links: a record reached through an analysis query as of some
 * instant hands that analysis to every record it links to (stays and their subject and host,
 * samples and their subject, contacts and handlings and their persons and lots, a boat's crew,
 * cargo, dockings and home port, a place's visitors and residents, ...), so their analysis fields
 * answer as of that instant, not from the latest analysis.
 *
 * On the three-case outbreak (test/api/outbreak-fixture.ts) with a lot, a docking, a reported
 * contact and environmental samples added: as of 3 Aug only A was a case (B was confirmed on 4
 * Aug), so most exposures, tiers and risk areas of the latest analysis did not exist yet. Each link
 * is followed from B's case asked as of 3 Aug; the analysis fields of the records it reaches must
 * be those each record gives when asked as of 3 Aug itself, and differ from the latest ones.
 */
import type { ApiContext } from '../../src/api/context.type';
import { createContext } from '../../src/api/context.type';
import { AuditLog } from '../../src/api/audit-log';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService } from '../../src/api/services/analysis.service';
import type { RecordBatch } from '../../src/domain/types';
import { t } from '../store/fixtures';
import { embeddedStoreWith, run, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

const AS_OF = '2022-08-03T00:00:00+08:00';

/**
 * The outbreak, plus: lot LOT1 carried by BT1 with A and B aboard and found positive on 4 Aug,
 * handled by E on 2 Aug; BT1 docked at the port, where B and E met on 2 Aug; B and E reported a
 * contact; negative environmental samples of the market and the boat.
 */
function outbreakWithLinks(): Required<RecordBatch> {
  const base = threeCaseOutbreak();
  return {
    ...base,
    items: [
      { id: 'LOT1', product: 'frozen squid', lot: 'SQ-9', origin: 'import', arrivedAt: t('2022-07-29') },
    ],
    stays: [
      ...base.stays,
      {
        subjectId: 'LOT1',
        hostId: 'BT1',
        start: t('2022-07-30T04:00:00+08:00'),
        end: t('2022-08-01T06:00:00+08:00'),
      },
      {
        subjectId: 'BT1',
        hostId: 'PORT',
        start: t('2022-08-01T06:00:00+08:00'),
        end: t('2022-08-02T04:00:00+08:00'),
      },
      {
        subjectId: 'B',
        hostId: 'PORT',
        start: t('2022-08-02T07:00:00+08:00'),
        end: t('2022-08-02T07:30:00+08:00'),
      },
      {
        subjectId: 'E',
        hostId: 'PORT',
        start: t('2022-08-02T07:00:00+08:00'),
        end: t('2022-08-02T07:30:00+08:00'),
      },
    ],
    contacts: [
      {
        personA: 'B',
        personB: 'E',
        start: t('2022-08-02T12:00:00+08:00'),
        end: t('2022-08-02T13:00:00+08:00'),
        setting: 'social',
      },
    ],
    handlings: [{ personId: 'E', itemId: 'LOT1', at: t('2022-08-02T10:00:00+08:00') }],
    samples: [
      ...base.samples,
      {
        subjectId: 'LOT1',
        sampledAt: t('2022-08-04T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 30,
      },
      {
        subjectId: 'MKT',
        sampledAt: t('2022-08-02T15:00:00+08:00'),
        result: 'negative',
        method: 'pcr',
        ct: null,
      },
      {
        subjectId: 'BT1',
        sampledAt: t('2022-08-01T08:00:00+08:00'),
        result: 'negative',
        method: 'pcr',
        ct: null,
      },
    ],
  };
}

const schema = buildApiSchema();
let temp: TempStore;
let service: AnalysisService;

beforeAll(async () => {
  temp = await embeddedStoreWith(outbreakWithLinks(), 'tracegraph-api-scope-');
  service = new AnalysisService(temp.store);
});
afterAll(() => temp.dispose());

const investigator = (): ApiContext =>
  createContext({
    store: temp.store,
    viewer: { keyId: 'key-investigator', role: 'investigator' },
    audit: new AuditLog(),
    analysis: service,
  });

async function data(source: string): Promise<Json> {
  const result = await run(schema, investigator(), source);
  expect(result.errors).toBeUndefined();
  return result.data;
}

type Kind = 'Person' | 'Place' | 'Boat' | 'ColdChainItem';

/** The analysis fields of a record of each kind, with `args` (as of some instant, or none). */
const ANALYSIS_FIELDS: Record<Kind, (args: string) => string> = {
  Person: (args) => `exposures${args} { totalCount } quarantine${args} { tier }`,
  Place: (args) => `exposures${args} { totalCount } riskArea${args} { level }`,
  Boat: (args) => `crewExposures${args} { totalCount }`,
  ColdChainItem: (args) => `exposures${args} { totalCount }`,
};
const ROOT_FIELD: Record<Kind, string> = {
  Person: 'person',
  Place: 'place',
  Boat: 'boat',
  ColdChainItem: 'coldChainItem',
};

/** The selection of a linked record of any of `kinds`: its kind, id and analysis fields (from its parent). */
const linked = (...kinds: Kind[]): string =>
  kinds.map((kind) => `... on ${kind} { kind: __typename id ${ANALYSIS_FIELDS[kind]('')} }`).join(' ');

/** Every linked record in a result (the objects with a `kind`), in document order. */
function linkedRecords(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap(linkedRecords);
  if (value === null || typeof value !== 'object') return [];
  if (typeof value.kind === 'string') return [value];
  return Object.values(value).flatMap(linkedRecords);
}

/** The same record's analysis fields asked of it directly, with `args`. */
async function askedDirectly(record: Json, args: string): Promise<Json> {
  const kind = record.kind as Kind;
  const result = await data(
    `{ r: ${ROOT_FIELD[kind]}(id: ${JSON.stringify(record.id)}) { kind: __typename id ${ANALYSIS_FIELDS[kind](args)} } }`,
  );
  return result.r;
}

const WINDOW = `from: "2022-07-01T00:00:00+08:00", to: "2022-09-01T00:00:00+08:00"`;
const B_AS_OF = (below: string) => `{ case(personId: "B", asOf: "${AS_OF}") { person { ${below} } } }`;
const atBoat = (below: string) => `stays { edges { node { host { ... on Boat { ${below} } } } } }`;
const atMarket = (below: string) => `stays { edges { node { host { ... on Place { id ${below} } } } } }`;
const toE = (below: string) => `contacts { personB { ${below} } }`;
const atLot = (below: string) =>
  atBoat(`cargo(${WINDOW}) { edges { node { subject { ... on ColdChainItem { ${below} } } } } }`);

/** Each link: a query from B's person as of 3 Aug to the records it links to, and their ids. */
const LINKS: [link: string, query: string, reaches: string[]][] = [
  [
    'Person.stays -> Stay.host',
    B_AS_OF(`stays { edges { node { host { ${linked('Place', 'Boat')} } } } }`),
    ['BT1', 'MKT', 'PORT'],
  ],
  [
    'Person.stays -> Stay.subject',
    B_AS_OF(`stays { edges { node { subject { ${linked('Person')} } } } }`),
    ['B'],
  ],
  [
    'Person.contacts -> Contact.personA/personB',
    B_AS_OF(`contacts { personA { ${linked('Person')} } personB { ${linked('Person')} } }`),
    ['B', 'E'],
  ],
  ['Person.samples -> Sample.subject', B_AS_OF(`samples { subject { ${linked('Person')} } }`), ['B']],
  [
    'Person.case -> Case.samples -> Sample.subject',
    B_AS_OF(`case { samples { subject { ${linked('Person')} } } }`),
    ['B'],
  ],
  [
    'Person.handlings -> Handling.item/person',
    B_AS_OF(toE(`handlings { item { ${linked('ColdChainItem')} } person { ${linked('Person')} } }`)),
    ['E', 'LOT1'],
  ],
  ['Person.home', B_AS_OF(`home { ${linked('Place')} }`), ['HB']],
  ['Person.household', B_AS_OF(`household { ${linked('Person')} }`), ['C', 'D']],
  ['Place.residents', B_AS_OF(`home { residents { ${linked('Person')} } }`), ['B', 'C', 'D']],
  [
    'Place.visitors -> Stay.subject',
    B_AS_OF(atMarket(`visitors(${WINDOW}) { edges { node { subject { ${linked('Person')} } } } }`)),
    ['B', 'E'],
  ],
  [
    'Place.samples -> Sample.subject',
    B_AS_OF(atMarket(`samples { subject { ${linked('Place')} } }`)),
    ['MKT'],
  ],
  [
    'Boat.crew -> Stay.subject',
    B_AS_OF(atBoat(`crew(${WINDOW}) { edges { node { subject { ${linked('Person')} } } } }`)),
    ['A', 'B', 'F'],
  ],
  [
    'Boat.cargo -> Stay.subject',
    B_AS_OF(atBoat(`cargo(${WINDOW}) { edges { node { subject { ${linked('ColdChainItem')} } } } }`)),
    ['LOT1'],
  ],
  [
    'Boat.dockings -> Stay.host',
    B_AS_OF(atBoat(`dockings { edges { node { host { ${linked('Place')} } } } }`)),
    ['PORT'],
  ],
  ['Boat.homePort', B_AS_OF(atBoat(`homePort { ${linked('Place')} }`)), ['PORT']],
  ['Boat.samples -> Sample.subject', B_AS_OF(atBoat(`samples { subject { ${linked('Boat')} } }`)), ['BT1']],
  [
    'ColdChainItem.handlers -> Handling.person',
    B_AS_OF(atLot(`handlers { person { ${linked('Person')} } }`)),
    ['E'],
  ],
  [
    'ColdChainItem.storage -> Stay.host',
    B_AS_OF(atLot(`storage { edges { node { host { ${linked('Boat')} } } } }`)),
    ['BT1'],
  ],
  [
    'ColdChainItem.samples -> Sample.subject',
    B_AS_OF(atLot(`samples { subject { ${linked('ColdChainItem')} } }`)),
    ['LOT1'],
  ],
];

describe('records linked from a record of an analysis answer from that analysis', () => {
  test.each(LINKS)('%s', async (_link, query, reaches) => {
    const reached = linkedRecords(await data(query));
    // The query follows the link to the records the fixture links (the test's own check).
    expect([...new Set(reached.map((r) => r.id as string))].sort()).toEqual(reaches);
    const asOfThen = await Promise.all(reached.map((r) => askedDirectly(r, `(asOf: "${AS_OF}")`)));
    const latest = await Promise.all(reached.map((r) => askedDirectly(r, '')));
    // The link is only tested where the analysis as of 3 Aug and the latest one differ.
    expect(asOfThen).not.toEqual(latest);
    expect(reached).toEqual(asOfThen);
  });

  test('without an analysis above them, linked records answer from the latest analysis', async () => {
    const reached = linkedRecords(
      await data(`{ person(id: "B") { stays { edges { node { host { ${linked('Place', 'Boat')} } } } } } }`),
    );
    expect(reached.length).toBeGreaterThan(0);
    expect(reached).toEqual(await Promise.all(reached.map((r) => askedDirectly(r, ''))));
  });

  test('the scoped copies leave the records the loaders share untouched', async () => {
    const ctx = investigator();
    const result = await run(
      schema,
      ctx,
      B_AS_OF(`stays { edges { node { host { ... on Boat { id } } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const boat = await ctx.loaders.boats.load('BT1');
    expect(Object.getOwnPropertySymbols(boat)).toEqual([]);
  });
});
