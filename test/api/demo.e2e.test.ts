/**
 * End to end over HTTP with the demo district (seeds/demo) on both stores: every example operation
 * of schema/examples.graphql runs without errors and finds the records it names, both stores give
 * the same answers, and the chain view is served at /chains with its data behind the API key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadExamples } from '../../src/api/explorer/examples';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { maskName } from '../../src/domain/masking';
import { parseInstant } from '../../src/domain/time';
import { importBundle } from '../../src/import/import';
import type { ChainViewData } from '../../src/report/chain-view';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { suiteTempDirs, type Json } from './helpers';
import { errorCodes, postGraphQL } from './http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAssets } = require('../../scripts/build-assets.js') as {
  buildAssets(options: { outdir: string }): Promise<string[]>;
};

const DEMO = path.resolve(__dirname, '../../seeds/demo');
const KEYS = { admin: 'admin-key-demo-1', investigator: 'investigator-key-demo-2', cdc: 'cdc-key-demo-3' };
const apiKeys = [
  { key: KEYS.admin, role: 'admin' as const },
  { key: KEYS.investigator, role: 'investigator' as const },
  { key: KEYS.cdc, role: 'cdc' as const },
];
const examples = loadExamples();
const variablesOf = (name: string): Json => {
  const text = examples.find((e) => e.name === name)!.variables;
  return text ? JSON.parse(text) : {};
};

/** Rows (without the header) of a file of the demo bundle. */
function demoRows(file: string): string[][] {
  const lines = readFileSync(path.join(DEMO, file), 'utf8').trimEnd().split('\n').slice(1);
  return lines.map((line) => line.split(','));
}

const freshDir = suiteTempDirs();
let assetsDir: string;
beforeAll(async () => {
  assetsDir = freshDir('tracegraph-demo-assets-');
  await buildAssets({ outdir: assetsDir });
});

/** Investigator answers to every example, by store kind, to compare the stores. */
const answers = new Map<string, Record<string, Json>>();

const stores: [string, () => Promise<TraceStore>][] = [
  ['embedded', () => openEmbeddedStore(freshDir('tracegraph-demo-e2e-'))],
  ['neo4j', () => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' })],
];

describe.each(stores)('the demo district over HTTP on the %s store', (kind, open) => {
  let running: RunningApiServer;
  let url: string;

  beforeAll(async () => {
    const store = await open();
    await store.migrate();
    await store.clear();
    await importBundle(store, DEMO);
    running = await startApiServer(
      { store, apiKeys, logger: pino({ level: 'silent' }), assetsDir },
      { port: 0 },
    );
    url = running.url;
  }, 600_000);
  afterAll(async () => {
    await running?.stop();
  });

  const runExample = (name: string, key: string) => {
    const example = examples.find((e) => e.name === name)!;
    return postGraphQL(url, key, { query: example.query, operationName: name, variables: variablesOf(name) });
  };

  test('every example operation runs without errors, for an investigator and (but a search or a write) for cdc', async () => {
    const mine: Record<string, Json> = {};
    for (const { name, query } of examples) {
      const write = /^\s*mutation\b/.test(query);
      const investigator = await runExample(name, KEYS.investigator);
      expect([name, investigator.status, investigator.body.errors]).toEqual([name, 200, undefined]);
      // A write's answer holds the time it ran: not compared between the stores.
      if (!write) mine[name] = investigator.body.data;
      const cdc = await runExample(name, KEYS.cdc);
      // Searching by personal data is for roles that may see it; writing is for investigators and admins.
      const refused = name === 'SearchByPhone' || write ? ['FORBIDDEN'] : [];
      expect([name, cdc.status, errorCodes(cdc.body)]).toEqual([name, 200, refused]);
    }
    answers.set(kind, mine);
    // Two analyses served them all: the default one, and the day before for SinceYesterday.
    expect(running.api.analysis.computations).toBe(2);
  });

  test('the examples find the demo records they name', async () => {
    const data = answers.get(kind)!;
    const cases = demoRows('cases.csv');
    const caseOf = data.CaseInfectorAndContacts.case;
    expect(caseOf.personId).toBe(variablesOf('CaseInfectorAndContacts').personId);
    expect(caseOf.person.name).toBe(demoRows('persons.csv').find((p) => p[0] === caseOf.personId)![1]);
    expect(caseOf.infector).not.toBeNull();
    expect(caseOf.infectorCandidates.length).toBeGreaterThan(0);
    expect(caseOf.contacts.totalCount).toBeGreaterThan(0);
    expect(caseOf.generation).toBeGreaterThan(0);

    // The briefing's changes: the case of 12 August, a close contact the day before.
    const since = data.SinceYesterday;
    expect(since.outbreakChanges.newCases).toEqual([
      { personId: 'P0000526', classification: 'ASYMPTOMATIC', tierThen: 'CLOSE_CONTACT' },
    ]);
    expect(since.now.cases - since.then.cases).toBe(since.outbreakChanges.newCases.length);

    const quarantine = data.QuarantineToday.quarantinePriority;
    expect(quarantine.totalCount).toBeGreaterThan(0);
    expect(quarantine.edges.map((e: Json) => e.node.priority)).toEqual(
      [...quarantine.edges.map((e: Json) => e.node.priority)].sort((a: number, b: number) => a - b),
    );
    // Each close contact on the list says whose close contact they are.
    const closeContacts = quarantine.edges.filter((e: Json) => e.node.tier === 'CLOSE_CONTACT');
    expect(closeContacts.length).toBeGreaterThan(0);
    expect(closeContacts.every((e: Json) => e.node.closeContactOf.length > 0)).toBe(true);
    // The beds are the demo's quarantine sites' beds.
    const beds = demoRows('places.csv')
      .filter((p) => p[2] === 'quarantine_site')
      .reduce((sum, p) => sum + Number(p[5]), 0);
    expect(quarantine.beds).toBe(beds);

    const chains = data.ChainsIncludingPerson.transmissionChains;
    expect(chains.totalCount).toBeGreaterThan(0);
    expect(data.ChainTree.chain.id).toBe(variablesOf('ChainTree').id);
    expect(data.ChainTree.chain.links.length).toBeGreaterThan(0);
    expect(data.BoatCrewExposures.boat.crewExposures.totalCount).toBeGreaterThan(0);
    expect(data.RiskAreas.riskAreas.length).toBeGreaterThan(0);
    expect(data.RiskAreas.place.riskArea).not.toBeNull();

    const summary = data.OutbreakSummary.outbreakSummary;
    expect(summary.cases).toBe(cases.length);
    expect(summary.confirmed).toBe(cases.filter((c) => c[1] === 'confirmed').length);
    expect(summary.asymptomatic).toBe(cases.filter((c) => c[1] === 'asymptomatic').length);
    expect(data.OutbreakSummary.sources.length).toBeGreaterThan(0);

    expect(data.PersonWithStays.person.stays.totalCount).toBeGreaterThan(0);
    expect(data.PlaceVisitors.place.visitors.totalCount).toBeGreaterThan(0);
    expect(data.BoatCrew.boat.crew.totalCount).toBeGreaterThan(0);
    expect(data.SearchByPhone.searchPersons).toHaveLength(1);
    expect(data.Stats.stats).toEqual({
      persons: demoRows('persons.csv').length,
      places: demoRows('places.csv').length,
      boats: demoRows('boats.csv').length,
      items: demoRows('items.csv').length,
      stays: demoRows('stays.csv').length,
      contacts: demoRows('contacts.csv').length,
      handlings: demoRows('handlings.csv').length,
      samples: demoRows('samples.csv').length,
      cases: cases.length,
      unfinishedImports: [],
    });
  });

  test('cdc reads the same analysis with names and phones masked', async () => {
    const investigator = (await runExample('CaseInfectorAndContacts', KEYS.investigator)).body.data.case;
    const cdc = (await runExample('CaseInfectorAndContacts', KEYS.cdc)).body.data.case;
    expect(cdc.person.name).toBe(maskName(investigator.person.name));
    expect(cdc.person.phone).not.toBe(investigator.person.phone);
    expect(cdc.person.phone).toMatch(/^\d{3}\*+\d{4}$/);
    expect(cdc.infectorCandidates).toEqual(investigator.infectorCandidates);
    expect(cdc.contacts.edges.map((e: Json) => [e.node.person.id, e.node.tier])).toEqual(
      investigator.contacts.edges.map((e: Json) => [e.node.person.id, e.node.tier]),
    );
  });

  test('/chains and its script are public; the page loads nothing from elsewhere', async () => {
    const page = await fetch(`${url}/chains`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('data-source="/chains/data.json"');
    expect(html.match(/(?:src|href)="[^"]*"/g)).toEqual(['href="data:,"', 'src="/chains/app.js"']);
    const script = await fetch(`${url}/chains/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect((await fetch(`${url}/chains/other.js`)).status).toBe(404);
    expect((await fetch(`${url}/chains/../package.json`)).status).toBe(404);
  });

  test('/chains/data.json needs a key in the Authorization header (not in the URL)', async () => {
    const anonymous = await fetch(`${url}/chains/data.json`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tracegraph"');
    expect(errorCodes(await anonymous.json())).toEqual(['UNAUTHENTICATED']);
    const inUrl = await fetch(`${url}/chains/data.json?key=${KEYS.investigator}`);
    expect(inUrl.status).toBe(401);
    const wrong = await fetch(`${url}/chains/data.json`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  test('/chains/data.json: one node per case, the chains of the API; masked for cdc; audited for others', async () => {
    const get = async (key: string, query = ''): Promise<{ status: number; body: Json }> => {
      const response = await fetch(`${url}/chains/data.json${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return { status: response.status, body: await response.json() };
    };
    const before = running.api.audit.size;
    const { status, body } = await get(KEYS.investigator);
    expect(status).toBe(200);
    const data = body as ChainViewData;
    const cases = demoRows('cases.csv').map((c) => c[0]!);
    expect(
      data.nodes
        .filter((n) => n.kind === 'case')
        .map((n) => n.id)
        .sort(),
    ).toEqual([...cases].sort());
    const chains = await postGraphQL(url, KEYS.investigator, {
      query: '{ transmissionChains(first: 500) { edges { node { id size } } } }',
    });
    const apiChains = chains.body.data.transmissionChains.edges.map((e: Json) => e.node);
    expect(data.chains.map((c) => [c.id, c.size]).sort()).toEqual(
      apiChains.map((c: Json) => [c.id, c.size]).sort(),
    );
    const names = new Map(demoRows('persons.csv').map((p) => [p[0]!, p[1]!]));
    for (const node of data.nodes.filter((n) => n.kind === 'case'))
      expect(node.name).toBe(names.get(node.id));

    const audited = running.api.audit.page(1).entries[0]!;
    expect(running.api.audit.size).toBe(before + 1);
    expect(audited).toMatchObject({
      role: 'investigator',
      operationName: 'GET /chains/data.json',
      fields: ['name'],
    });
    expect(audited.personIds).toEqual(expect.arrayContaining(cases));

    const masked = (await get(KEYS.cdc)).body as ChainViewData;
    expect(running.api.audit.size).toBe(before + 1);
    for (const node of masked.nodes.filter((n) => n.kind === 'case'))
      expect(node.name).toBe(maskName(names.get(node.id)!));
    expect(JSON.stringify(masked)).not.toContain(names.get(cases[0]!)!);

    // The chain of one case only.
    const smallest = [...data.chains].sort((a, b) => a.size - b.size || a.id.localeCompare(b.id))[0]!;
    const rootCase = data.nodes.find((n) => n.kind === 'case' && n.chainId === smallest.id)!;
    const one = (await get(KEYS.cdc, `?caseIds=${rootCase.id}`)).body as ChainViewData;
    expect(one.chains.map((c) => c.id)).toEqual([smallest.id]);
    expect(one.nodes.filter((n) => n.kind === 'case')).toHaveLength(smallest.size);
  });

  test('/chains/data.json as of an earlier day; bad instants and unknown cases refused', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${url}/chains/data.json${query}`, {
        headers: { authorization: `Bearer ${KEYS.cdc}` },
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const early = await get('?asOf=2022-08-03');
    expect(early.status).toBe(200);
    expect(early.body.asOf).toBe('2022-08-03T23:59:59.999+08:00');
    // A case is known once confirmed (or, without a confirmation, from its onset).
    const known = demoRows('cases.csv').filter(([, , onset, confirmedAt]) => {
      const at = parseInstant(confirmedAt || onset!, true);
      return at !== null && at <= Date.parse('2022-08-03T23:59:59.999+08:00');
    });
    expect(known.length).toBeGreaterThan(0);
    expect(early.body.nodes.filter((n: Json) => n.kind === 'case')).toHaveLength(known.length);

    const bad = await get('?asOf=yesterday');
    expect([bad.status, errorCodes(bad.body)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(bad.body.errors[0].message).toMatch(/^asOf: "yesterday" is not an ISO 8601 timestamp/);
    const latest = (await get('')).body.asOf;
    const caseId = variablesOf('CaseInfectorAndContacts').personId;
    const unknown = await get(`?caseIds=${caseId},NOBODY`);
    expect([unknown.status, unknown.body.errors[0].message]).toEqual([
      400,
      `caseIds: "NOBODY" is not a case as of ${latest}`,
    ]);
  });
});

test('both stores give the same answers to every example', () => {
  const embedded = answers.get('embedded');
  const neo4j = answers.get('neo4j');
  expect(embedded).toBeDefined();
  expect(neo4j).toEqual(embedded);
});
