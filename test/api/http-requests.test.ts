/**
 * Abuses of the API that need the HTTP server (embedded store, the
 * three-case outbreak, analyses on the calling thread): limits on batched introspection, the
 * analyses a batched request may ask for, JSON bodies, persisted queries, the codes of Apollo's
 * own errors, and README's list of error codes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServerErrorCode, ApolloServerValidationErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode, formatApiError } from '../../src/api/errors';
import { serveRecords, type Json, type ServedStore } from './helpers';
import { errorCodes, postGraphQL } from './http';
import { threeCaseOutbreak } from './outbreak-fixture';

const KEY = 'investigator-key-3a7e51';
let served: ServedStore;
let url: string;

beforeAll(async () => {
  served = await serveRecords(threeCaseOutbreak(), 'tracegraph-api-http-', KEY);
  url = served.running.url;
});
afterAll(() => served?.stop());

describe('introspection under aliases, batched', () => {
  // A batch of 10 operations of 1000 aliased `__schema` each once took 210 MB and 70 s.
  test('each operation of a batch is refused for its aliases of __schema', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __schema { queryType { name } }`).join(' ')} }`;
    const result = await postGraphQL(url, KEY, [{ query }, { query }]);
    expect(result.body.map((r: Json) => [errorCodes(r), r.data])).toEqual([
      [['TOO_MANY_ALIASES'], undefined],
      [['TOO_MANY_ALIASES'], undefined],
    ]);
  });
});

describe('the analyses a request may ask for are counted over every operation of a batch', () => {
  const chainAsOf = (alias: string, day: number) =>
    `${alias}: chain(id: "chain-A", asOf: "2022-08-0${day}T00:00:00+08:00") { size }`;

  test('two others in the first operation; a third in the second is refused, then allowed alone', async () => {
    const analysesBefore = served.running.api.analysis.computations;
    const batch = await postGraphQL(url, KEY, [
      { query: `{ ${chainAsOf('a', 3)} ${chainAsOf('b', 4)} }` },
      { query: `{ ${chainAsOf('c', 5)} d: chain(id: "chain-A") { size } }` },
    ]);
    expect(batch.status).toBe(200);
    expect(batch.body[0]).toEqual({ data: { a: { size: 1 }, b: { size: 1 } } });
    expect(batch.body[1].data).toEqual({ c: null, d: { size: 3 } });
    expect(errorCodes(batch.body[1])).toEqual(['BAD_USER_INPUT']);
    expect(batch.body[1].errors[0].message).toMatch(/^c: asks for another analysis/);
    expect(served.running.api.analysis.computations - analysesBefore).toBe(3);

    const alone = await postGraphQL(url, KEY, { query: `{ ${chainAsOf('c', 5)} }` });
    expect(alone.body).toEqual({ data: { c: { size: 2 } } }); // as of 5 Aug: A and B
  });
});

describe('JSON bodies', () => {
  /** POSTs `body` (bytes) as JSON; the status and the parsed answer. */
  async function postBytes(body: Buffer): Promise<[number, Json]> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body,
    });
    return [response.status, await response.json()];
  }
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

  test('a body that starts with a byte-order mark is read as the JSON after it, a batch too', async () => {
    expect(await postBytes(Buffer.concat([BOM, json({ query: '{ stats { persons } }' })]))).toEqual([
      200,
      { data: { stats: { persons: 6 } } },
    ]);
    const batch = [{ query: '{ stats { boats } }' }, { query: '{ person(id: "A") { id } }' }];
    expect(await postBytes(Buffer.concat([BOM, json(batch)]))).toEqual([
      200,
      [{ data: { stats: { boats: 1 } } }, { data: { person: { id: 'A' } } }],
    ]);
  });

  test('a body that is not JSON is refused, with or without a byte-order mark, and so is a second mark', async () => {
    const notJson = {
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    };
    for (const body of [
      Buffer.from('{ stats { persons } }'),
      Buffer.concat([BOM, Buffer.from('{ stats { persons } }')]),
      Buffer.concat([BOM, BOM, json({ query: '{ stats { persons } }' })]),
    ]) {
      expect(await postBytes(body)).toEqual([400, notJson]);
    }
  });
});

describe('methods /graphql does not take', () => {
  test('DELETE, PUT, PATCH and OPTIONS: 405 naming the method, with Allow, key or no key', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH', 'OPTIONS']) {
      for (const headers of [{}, { authorization: `Bearer ${KEY}` }] as Record<string, string>[]) {
        const response = await fetch(`${url}/graphql`, { method, headers });
        expect([method, response.status, response.headers.get('allow')]).toEqual([
          method,
          405,
          'GET, HEAD, POST',
        ]);
        expect(await response.json()).toEqual({
          errors: [
            {
              message: `/graphql takes GET and POST requests, not ${method}.`,
              extensions: { code: 'BAD_REQUEST' },
            },
          ],
        });
      }
    }
  });
});

describe('persisted queries and the codes of errors Apollo raises', () => {
  const HASH = '0'.repeat(64);

  test('automatic persisted queries are off: PERSISTED_QUERY_NOT_SUPPORTED, whatever the hash', async () => {
    const persisted = { persistedQuery: { version: 1, sha256Hash: HASH } };
    for (const payload of [
      { query: '{ stats { persons } }', extensions: persisted },
      { extensions: persisted },
    ]) {
      const result = await postGraphQL(url, KEY, payload);
      expect(errorCodes(result.body)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
      expect(result.body.data).toBeUndefined();
    }
  });

  test('an operation that is not GraphQL: 400 GRAPHQL_PARSE_FAILED', async () => {
    const result = await postGraphQL(url, KEY, { query: '{ stats { persons ' });
    expect([result.status, result.body]).toEqual([
      400,
      {
        errors: [
          {
            message: 'Syntax Error: Expected Name, found <EOF>.',
            locations: [{ line: 1, column: 19 }],
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      },
    ]);
  });

  test('no operation to run: 400 OPERATION_RESOLUTION_FAILURE; in a batch the others are answered', async () => {
    const refusal = (message: string) => ({
      errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
    });
    const twoOperations = 'query A { stats { persons } } query B { stats { boats } }';
    const unknown = await postGraphQL(url, KEY, { query: twoOperations, operationName: 'C' });
    expect([unknown.status, unknown.body]).toEqual([400, refusal('Unknown operation named "C".')]);
    const unnamed = await postGraphQL(url, KEY, { query: twoOperations });
    expect([unnamed.status, unnamed.body]).toEqual([
      400,
      refusal('Must provide operation name if query contains multiple operations.'),
    ]);
    const batch = await postGraphQL(url, KEY, [
      { query: twoOperations, operationName: 'C' },
      { query: twoOperations, operationName: 'B' },
    ]);
    expect(batch.body).toEqual([refusal('Unknown operation named "C".'), { data: { stats: { boats: 1 } } }]);
  });

  test('a mutation sent by GET: 405 BAD_REQUEST, nothing written', async () => {
    const before = await served.temp.store.counts();
    const query = encodeURIComponent('mutation { upsertPersons(persons: [{ id: "G1" }]) { id } }');
    const response = await fetch(`${url}/graphql?query=${query}`, {
      headers: { authorization: `Bearer ${KEY}`, 'apollo-require-preflight': 'true' },
    });
    expect([response.status, await response.json()]).toEqual([
      405,
      {
        errors: [
          {
            message: 'GET requests only support query operations, not mutation operations',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    ]);
    expect(await served.temp.store.counts()).toEqual(before);
  });

  test("README's list of error codes holds every code the server can send, and no other", () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**Error codes.**'));
    const rows = section
      .slice(0, section.search(/\n\n(?!\|)/))
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const listed = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
    // Apollo's codes pass through formatApiError, but for PERSISTED_QUERY_NOT_FOUND: persisted
    // queries are off, so a request naming one is refused before any is looked up.
    const apollo = Object.values(ApolloServerErrorCode).filter(
      (code) => code !== 'PERSISTED_QUERY_NOT_FOUND',
    );
    const sendable = [...new Set([...Object.values(ErrorCode), ...apollo])];
    expect([...listed].sort()).toEqual(sendable.sort());
    const validation = rows.find((row) => row.startsWith('| `GRAPHQL_VALIDATION_FAILED`'));
    expect(validation).toContain(ApolloServerValidationErrorCode.INTROSPECTION_DISABLED);
  });

  test('an error without a code: BAD_REQUEST when it asks for a 4xx status, else no detail at all', () => {
    const internal: unknown[] = [];
    const format = (error: GraphQLError) =>
      formatApiError(
        { message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        error,
        (err) => internal.push(err),
      );
    const request = new GraphQLError('Unsupported persisted query version', {
      extensions: { http: { status: 400 } },
    });
    expect(format(request)).toEqual({
      message: 'Unsupported persisted query version',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(internal).toEqual([]);
    const own = new GraphQLError('Cannot return null for non-nullable field Person.id.');
    expect(format(own)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(internal).toEqual([own]);
  });
});

describe('values written although they look mistyped', () => {
  // Last in this file: it adds a person and a case to the served store.
  test('an onset weeks before the confirmation is written, and the response says so in extensions.warnings', async () => {
    const write = `mutation {
      upsertPersons(persons: [{ id: "W1" }]) { id }
      upsertCases(cases: [
        { personId: "W1", classification: CONFIRMED, onset: "2022-08-03", confirmedAt: "2022-08-04T12:00:00+08:00" },
        { personId: "W1", classification: CONFIRMED, onset: "2021-08-03", confirmedAt: "2022-08-04T12:00:00+08:00" }
      ]) { classification }
    }`;
    const refused = await postGraphQL(url, KEY, { query: write });
    // The same person twice with other fields: refused whole, so nothing written and no warning.
    expect(errorCodes(refused.body)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.extensions).toBeUndefined();

    const batch = await postGraphQL(url, KEY, [
      {
        query: `mutation {
          upsertCases(cases: [
            { personId: "W1", classification: CONFIRMED, onset: "2021-08-03", confirmedAt: "2022-08-04T12:00:00+08:00" }
          ]) { classification }
        }`,
      },
      { query: '{ stats { cases } }' },
    ]);
    expect(batch.body[0]).toEqual({
      data: { upsertCases: [{ classification: 'CONFIRMED' }] },
      extensions: {
        warnings: [
          {
            path: 'cases[0].onset',
            reason:
              '2021-08-03 is 366 days before confirmedAt (2022-08-04); accepted as given, but its ' +
              'infectious window opens before it: check the date',
          },
        ],
      },
    });
    // Each operation of a batch has its own warnings.
    expect(batch.body[1].extensions).toBeUndefined();
    expect(await served.temp.store.casesOf(['W1'])).toMatchObject([
      { personId: 'W1', onset: Date.parse('2021-08-03T00:00:00+08:00') },
    ]);
  });
});
