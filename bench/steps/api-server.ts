/**
 * The API server of the API benchmark, in its own process so the load generator does not share
 * its event loop and its peak memory is its own: tracegraph's GraphQL API over an embedded store,
 * on 127.0.0.1 only, until standard input closes.
 */
import { parse } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import pino from 'pino';
import { buildApiSchema, startApiServer } from '../../src/api';
import { DEFAULT_LIMITS } from '../../src/api/limits';
import { openEmbeddedStore } from '../../src/store/embedded';
import { PERSONS_WITH_STAYS } from '../api-queries';
import { formatResultLine, peakRssBytes } from '../protocol';

export const READY_PREFIX = 'BENCH_READY ';

export interface ApiServerArgs {
  dataDir: string;
  apiKey: string;
  /** Persons in the large query: its cost decides the complexity limit. */
  largePersons: number;
}

export interface ApiServerReady {
  url: string;
  /** The large query's cost as the API prices it (src/api/limits.ts). */
  largeQueryCost: number;
  /** The limit the server runs with: the default, or raised to the large query's cost. */
  maxComplexity: number;
}

/** The cost of the large query for `persons` ids, priced as the API prices it. */
export function largeQueryCost(persons: number): number {
  return getComplexity({
    schema: buildApiSchema(),
    query: parse(PERSONS_WITH_STAYS),
    variables: { ids: Array.from({ length: persons }, (_, i) => `P${i}`) },
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** Serves until stdin closes (or SIGTERM), then prints peak memory and the audit entries written. */
export async function serveApi(args: ApiServerArgs): Promise<void> {
  const cost = largeQueryCost(args.largePersons);
  const maxComplexity = Math.max(DEFAULT_LIMITS.maxComplexity, cost);
  const store = await openEmbeddedStore(args.dataDir);
  // Warnings and errors only, to stderr: a log line per request would measure the terminal.
  const logger = pino({ name: 'tracegraph-api', level: 'warn' }, pino.destination(2));
  const running = await startApiServer(
    {
      store,
      // As deployed: analyses run in a worker thread on their own connection to the same store.
      storeConfig: { dataDir: args.dataDir, neo4j: null },
      apiKeys: [{ key: args.apiKey, role: 'investigator' }],
      logger,
      limits: { maxComplexity },
    },
    { port: 0, host: '127.0.0.1' },
  );
  const ready: ApiServerReady = { url: running.url, largeQueryCost: cost, maxComplexity };
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(ready)}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const auditEntries = running.api.audit.size;
    await running.stop();
    process.stdout.write(`${formatResultLine({ peakRssBytes: peakRssBytes(), auditEntries })}\n`);
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
}
