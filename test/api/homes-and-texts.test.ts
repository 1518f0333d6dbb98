/**
 * Homes' names and the analysis' free texts, as the reports have them (src/report/mask.ts): a
 * home's name is an address, masked for a cdc key wherever a Place is returned and audited when an
 * investigator reads it; the texts (reasons, evidence, basis, flags) name persons and places by
 * id, so a cdc key reads them as written, and a person named like a place leaves them alone.
 *
 * The outbreak is test/api/outbreak-fixture.ts with: B and C's home HB without coordinates (so it
 * is a risk area itself) and a positive environmental sample there; A's home HA in village VIL; V, who visited HB that evening
 * and fell ill (HB is V's likely infector, and the source of V's chain); the market's id `Haitang`
 * (a place name, as some districts use); and a person G named `Haitang`.
 */
import type { RecordBatch } from '../../src/domain/types';
import { AuditLog } from '../../src/api/audit-log';
import { ChainViewRoutes } from '../../src/api/chain-view';
import { createContext, type ApiContext, type Role } from '../../src/api/context.type';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService } from '../../src/api/services/analysis.service';
import { maskName } from '../../src/domain/masking';
import type { ChainViewData } from '../../src/report/chain-view';
import type { TraceStore } from '../../src/store/port';
import { t } from '../store/fixtures';
import { embeddedStoreWith, run, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

const MARKET = 'Haitang';
const MARKET_NAME = 'Haitang Seafood Market';

function outbreak(): Required<RecordBatch> {
  const batch = threeCaseOutbreak();
  const market = (id: string) => (id === 'MKT' ? MARKET : id);
  return {
    ...batch,
    places: batch.places.map((p) =>
      p.id === 'MKT'
        ? { ...p, id: MARKET, name: MARKET_NAME }
        : p.id === 'HB'
          ? { ...p, name: '12 Harbour Road, Baogang', lat: null, lon: null }
          : // A's home in Baogang village: the village is A's risk area, and keeps its name.
            p.id === 'HA'
            ? { ...p, lat: 18.3312, lon: 109.1412 }
            : p,
    ),
    persons: [
      ...batch.persons,
      {
        id: 'V',
        name: '林秋',
        sex: 'F',
        age: 40,
        phone: null,
        idNumber: null,
        homeId: null,
        occupation: null,
      },
      {
        id: 'G',
        name: MARKET,
        sex: 'F',
        age: 33,
        phone: null,
        idNumber: null,
        homeId: null,
        occupation: null,
      },
    ],
    stays: [
      ...batch.stays.map((s) => ({ ...s, hostId: market(s.hostId) })),
      // G at the market with B: exposed, so in the analysis (whose persons are those it needs).
      {
        subjectId: 'G',
        hostId: MARKET,
        start: t('2022-08-02T09:00:00+08:00'),
        end: t('2022-08-02T09:30:00+08:00'),
      },
      {
        subjectId: 'V',
        hostId: 'HB',
        start: t('2022-08-05T19:00:00+08:00'),
        end: t('2022-08-05T21:00:00+08:00'),
      },
    ],
    samples: [
      ...batch.samples,
      {
        subjectId: 'HB',
        sampledAt: t('2022-08-05T12:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 30,
      },
      {
        subjectId: 'V',
        sampledAt: t('2022-08-09T10:00:00+08:00'),
        result: 'positive',
        method: 'pcr',
        ct: 26,
      },
    ],
    cases: [
      ...batch.cases,
      {
        personId: 'V',
        classification: 'confirmed',
        onset: t('2022-08-08'),
        confirmedAt: t('2022-08-09T20:00:00+08:00'),
      },
    ],
  };
}

const schema = buildApiSchema();
let temp: TempStore;
let store: TraceStore;
let service: AnalysisService;
const records = outbreak();
const placeById = new Map(records.places.map((p) => [p.id, p]));
const homes = records.places.filter((p) => p.kind === 'home');

beforeAll(async () => {
  temp = await embeddedStoreWith(records, 'tracegraph-api-homes-');
  store = temp.store;
  service = new AnalysisService(store);
});
afterAll(() => temp.dispose());

const as = (role: Role, audit = new AuditLog()): ApiContext =>
  createContext({ store, viewer: { keyId: `key-${role}`, role }, audit, analysis: service });

/** Every field that returns a Place or a free text, reached every way the fixture allows. */
const EVERYTHING = `
fragment P on Place { __typename id kind name }
fragment Evidence on ContactEvidence { reason host { ...P } source { ...P } }
query Everything {
  persons(ids: ["A", "B", "C", "D", "E", "F", "G", "V"]) {
    id
    home { ...P residents { id } }
    stays { edges { node { host { ...P } } } }
    exposures { edges { node { host { ...P } source { ...P } } } }
    quarantine { reasons household { ...P } site { ...P } evidence { ...Evidence } }
    case {
      flags
      infectiousWindow { basis }
      infectionTime { basis }
      infectorCandidates { evidence host { ...P } source { ...P } exposures { host { ...P } } }
      contacts { edges { node { evidence { ...Evidence } } } }
    }
  }
  place(id: "HB") { ...P visitors(from: "2022-07-01T00:00:00Z", to: "2022-09-01T00:00:00Z") { edges { node { host { ...P } } } } }
  riskAreas { reason place { ...P } }
  sources { reasons entity { ...P } }
  quarantinePriority { edges { node { reasons household { ...P } evidence { ...Evidence } } } }
  transmissionChains { edges { node { rootSource { source { ...P } } links { flags source { ...P } } sources { reasons entity { ...P } } } } }
}`;

/** The field names under which the analysis returns free text. */
const TEXT_FIELDS = new Set(['reasons', 'reason', 'evidence', 'basis', 'flags']);

/** Each Place in a response, with its path (field names, no indices). */
function placesIn(value: Json, path = ''): { path: string; place: Json }[] {
  if (Array.isArray(value)) return value.flatMap((v) => placesIn(v, path));
  if (value === null || typeof value !== 'object') return [];
  const here = value.__typename === 'Place' ? [{ path, place: value }] : [];
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, v]) => placesIn(v, path ? `${path}.${key}` : key)),
  ];
}

/** Each free text in a response, with its path. */
function textsIn(value: Json, path = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v) => textsIn(v, path));
  if (typeof value === 'string') return TEXT_FIELDS.has(path.split('.').at(-1)!) ? [[path, value]] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => textsIn(v, path ? `${path}.${key}` : key));
}

async function everything(role: Role, audit = new AuditLog()): Promise<Json> {
  const result = await run(schema, as(role, audit), EVERYTHING);
  expect(result.errors).toBeUndefined();
  return result.data;
}

/** Where a Place of kind home is returned: each way a home is reached. */
const HOME_PATHS = [
  'persons.home',
  'persons.stays.edges.node.host',
  'persons.exposures.edges.node.host',
  'persons.exposures.edges.node.source',
  'persons.quarantine.household',
  'persons.quarantine.evidence.host',
  'persons.case.infectorCandidates.host',
  'persons.case.infectorCandidates.source',
  'persons.case.infectorCandidates.exposures.host',
  'persons.case.contacts.edges.node.evidence.host',
  'place',
  'place.visitors.edges.node.host',
  'riskAreas.place',
  'sources.entity',
  'quarantinePriority.edges.node.household',
  'quarantinePriority.edges.node.evidence.host',
  'transmissionChains.edges.node.rootSource.source',
  'transmissionChains.edges.node.links.source',
  'transmissionChains.edges.node.sources.entity',
];

describe("homes' names", () => {
  test('a cdc key reads every home’s name masked, wherever a Place is returned; other places keep theirs', async () => {
    const audit = new AuditLog();
    const places = placesIn(await everything('cdc', audit));
    const atHomes = places.filter(({ place }) => place.kind === 'home');
    expect([...new Set(atHomes.map(({ path }) => path))].sort()).toEqual([...HOME_PATHS].sort());
    for (const { path, place } of atHomes) {
      const name = placeById.get(place.id)!.name;
      expect([path, place.id, place.name]).toEqual([path, place.id, maskName(name)]);
      expect(place.name).not.toBe(name);
    }
    const others = places.filter(({ place }) => place.kind !== 'home');
    expect(new Set(others.map(({ place }) => place.id))).toEqual(new Set([MARKET, 'VIL', 'QH']));
    for (const { place } of others) expect(place.name).toBe(placeById.get(place.id)!.name);
    expect(audit.size).toBe(0);
  });

  test('an investigator reads them as they are, and the read is audited with the homes read', async () => {
    const audit = new AuditLog();
    const places = placesIn(await everything('investigator', audit));
    for (const { place } of places) expect(place.name).toBe(placeById.get(place.id)!.name);
    const homesRead = [
      ...new Set(places.filter(({ place }) => place.kind === 'home').map(({ place }) => place.id)),
    ];
    expect(homesRead.sort()).toEqual(['HA', 'HB', 'HF']);
    expect(audit.page(10).entries).toEqual([
      expect.objectContaining({
        operationName: 'Everything',
        personIds: [],
        placeIds: ['HA', 'HB', 'HF'],
        fields: ['name'],
      }),
    ]);

    const log = await run(
      schema,
      as('admin', audit),
      '{ auditLog(first: 1) { edges { node { operationName personIds placeIds fields } } } }',
    );
    expect((log.data as Json).auditLog.edges[0].node).toEqual({
      operationName: 'Everything',
      personIds: [],
      placeIds: ['HA', 'HB', 'HF'],
      fields: ['name'],
    });

    // Only homes' names are personal: reading other places' names, or a home's id, is not audited.
    const quiet = new AuditLog();
    await run(
      schema,
      as('investigator', quiet),
      `{ place(id: "${MARKET}") { name } persons(ids: ["B"]) { home { id kind } } }`,
    );
    expect(quiet.size).toBe(0);
  });

  test('the chain view masks a home for a cdc key, and audits an investigator’s read of it', async () => {
    const audit = new AuditLog();
    const routes = new ChainViewRoutes(service, audit);
    const params = new URLSearchParams();
    // HB is V's likely infector: a node of V's chain, and V's first candidate.
    const labelsOfHB = (body: string | Buffer) => {
      const data = JSON.parse(String(body)) as ChainViewData;
      return [
        ...data.nodes.filter((n) => n.id === 'HB').map((n) => [n.label, n.name]),
        ...data.nodes.flatMap((n) => n.candidates.filter((c) => c.id === 'HB').map((c) => [c.label])),
      ];
    };
    const name = placeById.get('HB')!.name!;
    const cdc = await routes.data({ keyId: 'key-cdc', role: 'cdc' }, params, 0);
    expect(labelsOfHB(cdc.body)).toEqual([
      [`HB ${maskName(name)}`, maskName(name)],
      [`HB ${maskName(name)}`],
    ]);
    expect(audit.size).toBe(0);

    const investigator = await routes.data({ keyId: 'key-investigator', role: 'investigator' }, params, 0);
    expect(labelsOfHB(investigator.body)).toEqual([[`HB ${name}`, name], [`HB ${name}`]]);
    expect(audit.page(10).entries).toEqual([
      expect.objectContaining({ operationName: 'GET /chains/data.json', placeIds: ['HB'], fields: ['name'] }),
    ]);
  });
});

describe('free texts', () => {
  test('a person named like a place leaves the place’s id in every text a cdc key reads', async () => {
    const cdc = textsIn(await everything('cdc'));
    const investigator = textsIn(await everything('investigator'));
    const naming = (texts: [string, string][]) =>
      texts.filter(([, text]) => text.includes(`market ${MARKET}`));
    // The market is named in the evidence of E's exposure, in B's risk area, in quarantine reasons.
    expect(new Set(naming(investigator).map(([path]) => path))).toEqual(
      new Set([
        'persons.quarantine.reasons',
        'persons.quarantine.evidence.reason',
        'persons.case.contacts.edges.node.evidence.reason',
        'riskAreas.reason',
        'quarantinePriority.edges.node.reasons',
        'quarantinePriority.edges.node.evidence.reason',
      ]),
    );
    expect(naming(cdc)).toEqual(naming(investigator));
    expect(cdc.filter(([, text]) => text.includes(maskName(MARKET)!))).toEqual([]);
  });

  test('no text a cdc key reads names a person or a home: it reads what an investigator reads', async () => {
    const cdc = textsIn(await everything('cdc'));
    expect(cdc).toEqual(textsIn(await everything('investigator')));
    // Persons are named by id (`case B`).
    expect(cdc.filter(([, text]) => /\bcase B\b/.test(text)).length).toBeGreaterThan(2);
    // A name that is a place's id (G's) is in texts as the place's.
    const secret = [...records.persons.map((p) => p.name), ...homes.map((h) => h.name)].filter(
      (name): name is string => name !== null && !placeById.has(name),
    );
    expect(secret).toHaveLength(records.persons.length - 1 + homes.length);
    for (const [path, text] of cdc)
      for (const name of secret) expect([path, name, text.includes(name)]).toEqual([path, name, false]);
  });
});
