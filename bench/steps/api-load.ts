/**
 * The load of the API benchmark, against a server on 127.0.0.1 (bench/steps/api-server.ts): for
 * each operation (a case from the analysis, a case's person from the records) one first request
 * (which runs the analysis when nothing is cached yet), then autocannon at N connections for S
 * seconds cycling through the cases; then one large query timed run after run.
 */
import autocannon from 'autocannon';
import {
  CASE_WITH_CONTACTS,
  PERSONS_WITH_STAYS,
  PERSON_WITH_STAYS,
  graphqlBody,
  isGoodGraphqlBody,
} from '../api-queries';
import { secondsSince } from '../protocol';

export interface ApiLoadArgs {
  url: string;
  apiKey: string;
  connections: number;
  seconds: number;
  /** Persons whose case is asked for, in turn. */
  caseIds: string[];
  /** Persons of the large query. */
  largeIds: string[];
  largeRuns: number;
}

export interface LoadFigures {
  /** Seconds of the first request, alone (runs the analysis when it is not cached). */
  firstSeconds: number;
  firstGood: boolean;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  /** The first error message a response carried, if any. */
  firstError: string | null;
}

export interface ApiLoadResult {
  operations: Record<'caseWithContacts' | 'personWithStays', LoadFigures>;
  largeSeconds: number[];
  largeBytes: number;
  largeStays: number;
  largeErrors: number;
}

function firstErrorOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string }[] };
    return parsed.errors?.[0]?.message ?? null;
  } catch {
    return body.slice(0, 200);
  }
}

async function post(url: string, headers: Record<string, string>, body: string) {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  const text = await response.text();
  return { seconds: secondsSince(started), ok: response.ok && isGoodGraphqlBody(text), text };
}

/**
 * Waits until the server answers /health promptly again: requests still queued from the load
 * before (an analysis that keeps failing is run again for each) must not be charged to the next
 * operation's first request. Gives up after ten minutes.
 */
async function waitUntilIdle(url: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  let prompt = 0;
  while (prompt < 2 && Date.now() < deadline) {
    const started = process.hrtime.bigint();
    await fetch(`${url}/health`).then((r) => r.text());
    prompt = secondsSince(started) < 0.25 ? prompt + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function load(args: ApiLoadArgs, headers: Record<string, string>, query: string): Promise<LoadFigures> {
  await waitUntilIdle(args.url);
  const first = await post(args.url, headers, graphqlBody(query, { id: args.caseIds[0] }));
  let firstError = first.ok ? null : firstErrorOf(first.text);
  let next = 0;
  const result = await autocannon({
    url: `${args.url}/graphql`,
    connections: args.connections,
    duration: args.seconds,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (request) => {
          const id = args.caseIds[next++ % args.caseIds.length]!;
          return { ...request, body: graphqlBody(query, { id }) };
        },
      },
    ],
    // Counted in `mismatches`: a 200 that carries GraphQL errors is still an error.
    verifyBody: (body) => {
      const good = isGoodGraphqlBody(body);
      if (!good && firstError === null) firstError = firstErrorOf(body);
      return good;
    },
  });
  return {
    firstSeconds: first.seconds,
    firstGood: first.ok,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    firstError,
  };
}

/** Both operations under load, then the large query run after run. */
export async function loadApi(args: ApiLoadArgs): Promise<ApiLoadResult> {
  if (!args.url.startsWith('http://127.0.0.1:')) throw new Error(`api load: ${args.url} is not on 127.0.0.1`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${args.apiKey}` };
  const operations = {
    caseWithContacts: await load(args, headers, CASE_WITH_CONTACTS),
    personWithStays: await load(args, headers, PERSON_WITH_STAYS),
  };

  const largeSeconds: number[] = [];
  let largeBytes = 0;
  let largeStays = 0;
  let largeErrors = 0;
  const body = graphqlBody(PERSONS_WITH_STAYS, { ids: args.largeIds });
  await waitUntilIdle(args.url);
  for (let run = 0; run < args.largeRuns; run++) {
    const { seconds, ok, text } = await post(args.url, headers, body);
    largeSeconds.push(seconds);
    largeBytes = Buffer.byteLength(text);
    if (!ok) {
      largeErrors++;
      process.stderr.write(`large query: ${text.slice(0, 300)}\n`);
      continue;
    }
    const persons = (JSON.parse(text) as { data: { persons: ({ stays: { edges: unknown[] } } | null)[] } })
      .data.persons;
    largeStays = persons.reduce((sum, p) => sum + (p?.stays.edges.length ?? 0), 0);
  }
  return { operations, largeSeconds, largeBytes, largeStays, largeErrors };
}
