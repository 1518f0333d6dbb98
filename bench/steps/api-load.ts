/**
 * The load of the API benchmark: autocannon at N connections for S seconds on "case with
 * contacts" (cycling through the cases), then one large query timed run after run, all against a
 * server on 127.0.0.1 (bench/steps/api-server.ts).
 */
import autocannon from 'autocannon';
import { CASE_WITH_CONTACTS, PERSONS_WITH_STAYS, graphqlBody, isGoodGraphqlBody } from '../api-queries';
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

export interface ApiLoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  largeSeconds: number[];
  largeBytes: number;
  largeStays: number;
  largeErrors: number;
}

/** "Case with contacts" under load, then the large query run after run. */
export async function loadApi(args: ApiLoadArgs): Promise<ApiLoadResult> {
  if (!args.url.startsWith('http://127.0.0.1:')) throw new Error(`api load: ${args.url} is not on 127.0.0.1`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${args.apiKey}` };
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
          return { ...request, body: graphqlBody(CASE_WITH_CONTACTS, { id }) };
        },
      },
    ],
    // Counted in `mismatches`: a 200 that carries GraphQL errors is still an error.
    verifyBody: isGoodGraphqlBody,
  });

  const largeSeconds: number[] = [];
  let largeBytes = 0;
  let largeStays = 0;
  let largeErrors = 0;
  const body = graphqlBody(PERSONS_WITH_STAYS, { ids: args.largeIds });
  for (let run = 0; run < args.largeRuns; run++) {
    const started = process.hrtime.bigint();
    const response = await fetch(`${args.url}/graphql`, { method: 'POST', headers, body });
    const text = await response.text();
    largeSeconds.push(secondsSince(started));
    largeBytes = Buffer.byteLength(text);
    if (!response.ok || !isGoodGraphqlBody(text)) {
      largeErrors++;
      process.stderr.write(`large query: HTTP ${response.status}: ${text.slice(0, 300)}\n`);
      continue;
    }
    const persons = (JSON.parse(text) as { data: { persons: ({ stays: { edges: unknown[] } } | null)[] } }).data
      .persons;
    largeStays = persons.reduce((sum, p) => sum + (p?.stays.edges.length ?? 0), 0);
  }

  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    largeSeconds,
    largeBytes,
    largeStays,
    largeErrors,
  };
}
