/**
 * End to end over HTTP on both stores: the example operations through a real client, keys and
 * roles, masking, validation, limits, the explorer, health and readiness, store outages.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pino from 'pino';
import { keyId } from '../../src/api/api-keys';
import { loadExamples } from '../../src/api/explorer/examples';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { StoreUnavailableError } from '../../src/domain/errors';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { DISTRICT_COUNTS, smallDistrict } from '../store/fixtures';
import { suiteTempDirs, type Json } from './helpers';
import { errorCodes, postGraphQL } from './http';

const KEYS = { admin: 'admin-key-7f3a9c', investigator: 'investigator-key-51be20', cdc: 'cdc-key-c0ffee42' };
const apiKeys = [
  { key: KEYS.admin, role: 'admin' as const },
  { key: KEYS.investigator, role: 'investigator' as const },
  { key: KEYS.cdc, role: 'cdc' as const },
];
const examples = Object.fromEntries(loadExamples().map((e) => [e.name, e]));
/** The examples' own variables name the demo district; here they name the small district's records. */
const SMALL_DISTRICT_VARIABLES: Record<string, Record<string, unknown>> = {
  PersonWithStays: { id: 'P1', first: 10 },
  PlaceVisitors: { id: 'MKT', from: '2022-08-01T00:00:00+08:00', to: '2022-08-01T23:59:59+08:00' },
  BoatCrew: { id: 'B1', from: '2022-07-30T00:00:00+08:00', to: '2022-07-31T23:59:59+08:00' },
  SearchByPhone: { text: '13800001111' },
};
const example = (name: string) => ({
  query: examples[name]!.query,
  operationName: name,
  variables: SMALL_DISTRICT_VARIABLES[name],
});

const freshDir = suiteTempDirs();

/** A store that can be switched off: every call then fails as an unreachable store would. */
function switchableStore(inner: TraceStore): { store: TraceStore; setDown(down: boolean): void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new StoreUnavailableError('connection refused'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setDown: (d) => (down = d) };
}

const stores: [string, () => Promise<TraceStore>][] = [
  ['embedded', () => openEmbeddedStore(freshDir('tracegraph-api-e2e-'))],
  ['neo4j', () => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' })],
];

describe.each(stores)('the HTTP API on the %s store', (kind, open) => {
  let running: RunningApiServer;
  let url: string;
  let switchable: ReturnType<typeof switchableStore>;
  let auditFile: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const store = await open();
    await store.migrate();
    await store.clear();
    await store.write(smallDistrict());
    switchable = switchableStore(store);
    auditFile = path.join(freshDir('tracegraph-api-audit-'), 'audit.jsonl');
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    running = await startApiServer({ store: switchable.store, apiKeys, logger, auditFile }, { port: 0 });
    url = running.url;
  });
  afterAll(async () => {
    await running?.stop();
  });

  test('health and readiness', async () => {
    const health = await fetch(`${url}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${url}/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', store: kind }]);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('no key, or an unknown key: 401 UNAUTHENTICATED', async () => {
    for (const key of [null, 'not-a-key']) {
      const result = await postGraphQL(url, key, example('Stats'));
      expect(result.status).toBe(401);
      expect(result.headers.get('www-authenticate')).toBe('Bearer realm="tracegraph"');
      expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
      expect(result.body.data).toBeUndefined();
    }
  });

  test('the example operations, as an investigator', async () => {
    const person = await postGraphQL(url, KEYS.investigator, example('PersonWithStays'));
    expect(person.status).toBe(200);
    expect(person.body.errors).toBeUndefined();
    expect(person.body.data.person).toMatchObject({
      id: 'P1',
      name: '陈大明',
      home: { id: 'H1', name: 'Home 1' },
      case: { classification: 'CONFIRMED', onset: '2022-07-31T16:00:00.000Z' },
      stays: { totalCount: 2, pageInfo: { hasNextPage: false } },
    });
    expect(person.body.data.person.stays.edges.map((e: Json) => [e.node.relation, e.node.host.id])).toEqual([
      ['ABOARD', 'B1'],
      ['STAYED_AT', 'MKT'],
    ]);

    const visitors = await postGraphQL(url, KEYS.investigator, example('PlaceVisitors'));
    expect(
      visitors.body.data.place.visitors.edges.map((e: Json) => [e.node.subject.id, e.node.subject.phone]),
    ).toEqual([
      ['P1', '13800001111'],
      ['P3', '13900003333'],
    ]);

    const crew = await postGraphQL(url, KEYS.investigator, example('BoatCrew'));
    expect(crew.body.data.boat).toMatchObject({
      id: 'B1',
      homePort: { id: 'PORT' },
      crew: { totalCount: 2 },
    });
    expect(crew.body.data.boat.crew.edges.map((e: Json) => e.node.subject.id)).toEqual(['P3', 'P1']);

    const search = await postGraphQL(url, KEYS.investigator, example('SearchByPhone'));
    expect(search.body.data.searchPersons).toEqual([
      {
        id: 'P1',
        name: '陈大明',
        phone: '13800001111',
        home: { id: 'H1' },
        case: { classification: 'CONFIRMED' },
      },
    ]);

    const stats = await postGraphQL(url, KEYS.cdc, example('Stats'));
    expect(stats.body.data.stats).toEqual({ ...DISTRICT_COUNTS, unfinishedImports: [] });
  });

  test('cdc: personal data masked, search and mutations FORBIDDEN', async () => {
    const person = await postGraphQL(url, KEYS.cdc, example('PersonWithStays'));
    expect(person.body.errors).toBeUndefined();
    expect(person.body.data.person).toMatchObject({ id: 'P1', name: '陈**', age: 45 });
    const visitors = await postGraphQL(url, KEYS.cdc, example('PlaceVisitors'));
    expect(visitors.body.data.place.visitors.edges.map((e: Json) => e.node.subject.phone)).toEqual([
      '138****1111',
      '139****3333',
    ]);

    const search = await postGraphQL(url, KEYS.cdc, example('SearchByPhone'));
    expect(errorCodes(search.body)).toEqual(['FORBIDDEN']);

    const mutation = await postGraphQL(url, KEYS.cdc, {
      query: 'mutation AddPerson { upsertPersons(persons: [{ id: "P9", name: "Wang" }]) { id } }',
    });
    expect(mutation.status).toBe(200);
    expect(errorCodes(mutation.body)).toEqual(['FORBIDDEN']);
    expect(mutation.body.data).toBeNull();
  });

  test('unmasked reads are in the audit log (admin only) and its file; logs hold no personal data or keys', async () => {
    await postGraphQL(url, KEYS.investigator, example('PersonWithStays'));
    const log = await postGraphQL(url, KEYS.admin, {
      query: '{ auditLog(first: 1) { edges { node { keyId role operationName personIds fields } } } }',
    });
    expect(log.body.data.auditLog.edges[0].node).toEqual({
      keyId: keyId(KEYS.investigator),
      role: 'INVESTIGATOR',
      operationName: 'PersonWithStays',
      personIds: ['P1'],
      fields: ['name'],
    });
    await running.api.audit.flush();
    const lines = readFileSync(auditFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({
      keyId: keyId(KEYS.investigator),
      operationName: 'PersonWithStays',
      personIds: ['P1'],
    });

    const requestLogs = logLines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'request' && l.path === '/graphql');
    expect(requestLogs.find((l) => l.operations?.[0] === 'PersonWithStays')).toMatchObject({
      method: 'POST',
      status: 200,
      role: 'investigator',
      keyId: keyId(KEYS.investigator),
    });
    expect(requestLogs.find((l) => l.status === 401)).toMatchObject({ errors: ['UNAUTHENTICATED'] });
    expect(requestLogs.every((l) => typeof l.durationMs === 'number')).toBe(true);
    const everything = logLines.join('\n');
    for (const secret of ['陈大明', '13800001111', '460200197701011234', ...Object.values(KEYS)]) {
      expect(everything).not.toContain(secret);
    }
  });

  test('an investigator writes; a refused batch says where and writes nothing', async () => {
    const refused = await postGraphQL(url, KEYS.investigator, {
      query: `mutation Stays($stays: [StayInput!]!) { addStays(stays: $stays) { start } }`,
      variables: {
        stays: [
          {
            subjectId: 'P2',
            hostId: 'MKT',
            start: '2022-08-05T09:00:00+08:00',
            end: '2022-08-05T10:00:00+08:00',
          },
          {
            subjectId: 'P2',
            hostId: 'MKT',
            start: '2022-08-05T12:00:00+08:00',
            end: '2022-08-05T11:00:00+08:00',
          },
        ],
      },
    });
    expect(refused.status).toBe(200);
    expect(refused.body.errors.map((e: Json) => [e.extensions.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'stays[1].end: is before start'],
    ]);
    const written = await postGraphQL(url, KEYS.investigator, {
      query: `mutation { addStays(stays: [{ subjectId: "P2", hostId: "MKT", start: "2022-08-05T09:00:00+08:00", end: "2022-08-05T10:00:00+08:00" }]) { relation } }`,
    });
    expect(written.body).toEqual({ data: { addStays: [{ relation: 'STAYED_AT' }] } });
    const stats = await postGraphQL(url, KEYS.investigator, { query: '{ stats { stays } }' });
    expect(stats.body.data.stats.stays).toBe(8);
  });

  test('wrong types are refused before anything runs; unknown ids are null', async () => {
    const literal = await postGraphQL(url, KEYS.investigator, {
      query: '{ boat(id: "B1") { crew(from: "yesterday", to: "2022-08-01T00:00:00Z") { totalCount } } }',
    });
    expect(literal.status).toBe(400);
    expect(errorCodes(literal.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const variable = await postGraphQL(url, KEYS.investigator, {
      query: 'query ($first: Int) { person(id: "P1") { stays(first: $first) { totalCount } } }',
      variables: { first: 'ten' },
    });
    expect(variable.status).toBe(400);
    expect(errorCodes(variable.body)).toEqual(['BAD_USER_INPUT']);

    const enumValue = await postGraphQL(url, KEYS.investigator, {
      query: 'mutation { upsertPersons(persons: [{ id: "P9", sex: X }]) { id } }',
    });
    expect(enumValue.status).toBe(400);

    const unknown = await postGraphQL(url, KEYS.investigator, {
      query:
        '{ person(id: "nobody") { id } place(id: "P1") { id } boat(id: "x") { id } coldChainItem(id: "x") { id } case(personId: "x") { onset } }',
    });
    expect(unknown.body).toEqual({
      data: { person: null, place: null, boat: null, coldChainItem: null, case: null },
    });
  });

  test('too deep, too costly, too many aliases, too large, too many batched: refused with 400/413', async () => {
    const deep = await postGraphQL(url, KEYS.investigator, {
      query: `{ person(id: "P1") { stays { edges { node { subject { ... on Person { stays { edges { node { host {
        ... on Boat { crew(from: "2022-07-30T00:00:00Z", to: "2022-07-31T00:00:00Z") { edges { node { start } } } } } } } } } } } } } } }`,
    });
    expect([deep.status, errorCodes(deep.body)]).toEqual([400, ['QUERY_TOO_DEEP']]);

    const ids = Array.from({ length: 1000 }, (_, i) => `P${i}`);
    const costly = await postGraphQL(url, KEYS.investigator, {
      query:
        'query ($ids: [ID!]!) { persons(ids: $ids) { stays(first: 500) { edges { node { start end } } } } }',
      variables: { ids },
    });
    expect([costly.status, errorCodes(costly.body)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);

    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: stats { persons }`).join(' ');
    const aliased = await postGraphQL(url, KEYS.investigator, { query: `{ ${aliases} }` });
    expect([aliased.status, errorCodes(aliased.body)]).toEqual([400, ['TOO_MANY_ALIASES']]);

    const huge = await postGraphQL(url, KEYS.investigator, {
      query: '{ stats { persons } }',
      variables: { pad: 'x'.repeat(1_100_000) },
    });
    expect([huge.status, errorCodes(huge.body)]).toEqual([413, ['PAYLOAD_TOO_LARGE']]);

    const tooMany = await postGraphQL(
      url,
      KEYS.investigator,
      Array.from({ length: 11 }, () => ({ query: '{ stats { persons } }' })),
    );
    expect([tooMany.status, errorCodes(tooMany.body)]).toEqual([400, ['BATCH_TOO_LARGE']]);

    const batch = await postGraphQL(url, KEYS.investigator, [
      { query: '{ stats { persons } }' },
      { query: '{ person(id: "P3") { id } }' },
    ]);
    expect(batch.status).toBe(200);
    expect(batch.body).toEqual([{ data: { stats: { persons: 4 } } }, { data: { person: { id: 'P3' } } }]);
  });

  test('the explorer: local assets only, examples preloaded', async () => {
    for (const [route, accept] of [
      ['/', '*/*'],
      ['/graphql', 'text/html,application/xhtml+xml'],
    ]) {
      const page = await fetch(`${url}${route}`, { headers: { accept } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const html = await page.text();
      expect(html.match(/https?:\/\/[^\s"'<>)]*/g)).toBeNull();
      expect(html.match(/(?:src|href)="[^"]*"/g)).toEqual([
        'href="data:,"',
        'href="/explorer/graphiql.min.css"',
        'href="/explorer/explorer.css"',
        'src="/explorer/react.production.min.js"',
        'src="/explorer/react-dom.production.min.js"',
        'src="/explorer/graphiql.min.js"',
        'src="/explorer/explorer.js"',
      ]);
      expect(html).toContain('query PersonWithStays');
    }
    for (const asset of [
      'graphiql.min.js',
      'graphiql.min.css',
      'react.production.min.js',
      'react-dom.production.min.js',
      'explorer.js',
    ]) {
      const response = await fetch(`${url}/explorer/${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const graphiql = await fetch(`${url}/explorer/graphiql.min.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const served = Buffer.from(await graphiql.arrayBuffer());
    const shipped = readFileSync(
      path.join(path.dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
    );
    expect(served.equals(shipped)).toBe(true);
    expect((await fetch(`${url}/explorer/../package.json`)).status).toBe(404);
    expect((await fetch(`${url}/explorer/nothing.js`)).status).toBe(404);
  });

  test('a store outage: UNAVAILABLE and /ready 503, then back to normal by itself', async () => {
    switchable.setDown(true);
    try {
      const result = await postGraphQL(url, KEYS.investigator, {
        query: '{ person(id: "P1") { id } place(id: "MKT") { id } }',
      });
      expect(result.status).toBe(200);
      expect(result.body.data).toEqual({ person: null, place: null });
      expect(errorCodes(result.body)).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
      expect(result.body.errors[0].message).toBe('The store is unavailable; try again shortly.');
      const ready = await fetch(`${url}/ready`);
      expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable', store: kind }]);
    } finally {
      switchable.setDown(false);
    }
    const again = await postGraphQL(url, KEYS.investigator, { query: '{ person(id: "P1") { id } }' });
    expect(again.body).toEqual({ data: { person: { id: 'P1' } } });
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });
});

describe('server settings and shutdown (embedded store)', () => {
  test('introspection can be switched off', async () => {
    const store = await openEmbeddedStore(freshDir('tracegraph-api-nointro-'));
    const running = await startApiServer(
      { store, apiKeys, introspection: false, logger: pino({ level: 'silent' }) },
      { port: 0 },
    );
    try {
      const result = await postGraphQL(running.url, KEYS.admin, {
        query: '{ __schema { queryType { name } } }',
      });
      expect(result.status).toBe(400);
      expect(errorCodes(result.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(result.body.errors[0].extensions.validationErrorCode).toBe('INTROSPECTION_DISABLED');
      const normal = await postGraphQL(running.url, KEYS.admin, { query: '{ stats { persons } }' });
      expect(normal.body).toEqual({ data: { stats: { persons: 0 } } });
    } finally {
      await running.stop();
    }
  });

  test('a body streamed without a length is cut at the cap with 413', async () => {
    const store = await openEmbeddedStore(freshDir('tracegraph-api-stream-'));
    const running = await startApiServer(
      { store, apiKeys, logger: pino({ level: 'silent' }), limits: { maxBodyBytes: 1000 } },
      { port: 0 },
    );
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${running.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        });
        req.on('error', reject);
        let sent = 0;
        const pump = (): void => {
          while (sent < 100_000) {
            sent += 500;
            if (!req.write('x'.repeat(500))) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
      expect(answer).toBe(
        '413 {"errors":[{"message":"The request body is over 1000 bytes.","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}',
      );
    } finally {
      await running.stop();
    }
  });

  test('Apollo handles no termination signal: the server stops on them itself, finishing requests', async () => {
    // Outside NODE_ENV=test Apollo stopped the server on SIGTERM and killed the process at once.
    const nodeEnv = process.env.NODE_ENV;
    const listeners = () => ['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s));
    const before = listeners();
    process.env.NODE_ENV = 'production';
    try {
      const store = await openEmbeddedStore(freshDir('tracegraph-api-signals-'));
      const running = await startApiServer(
        { store, apiKeys, logger: pino({ level: 'silent' }) },
        { port: 0 },
      );
      try {
        expect(listeners()).toEqual(before);
      } finally {
        await running.stop();
      }
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  test('stop: refuses new connections, finishes the request in flight, then closes the store', async () => {
    const inner = await openEmbeddedStore(freshDir('tracegraph-api-stop-'));
    await inner.write(smallDistrict());
    let closed = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const inPersons = new Promise<void>((resolve) => (reached = resolve));
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'persons') {
          return async (ids: readonly string[]) => {
            reached();
            await held;
            return target.persons(ids);
          };
        }
        if (prop === 'close') return () => ((closed += 1), target.close());
        return Reflect.get(target, prop, receiver);
      },
    });
    const running = await startApiServer({ store, apiKeys, logger: pino({ level: 'silent' }) }, { port: 0 });
    const inFlight = postGraphQL(running.url, KEYS.investigator, { query: '{ person(id: "P3") { id } }' });
    await inPersons;
    const stopped = running.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(0);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
    release();
    expect((await inFlight).body).toEqual({ data: { person: { id: 'P3' } } });
    await stopped;
    expect(closed).toBe(1);
  });
});
