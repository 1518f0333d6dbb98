/**
 * Analysis steps: tracegraph's exposure derivation against the plain Cypher co-presence query
 * (bench/contacts-cypher.ts) on the same Neo4j, and the full analysis as `tracegraph report
 * --format json` runs it, on either store. The as-of instant is the CLI's default.
 */
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import neo4j from 'neo4j-driver';
import { analyseOutbreak } from '../../src/analysis/analyse';
import { loadOutbreakWithExposures } from '../../src/analysis/load';
import { toLazyReport } from '../../src/analysis/report';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { resolveParameters } from '../../src/domain/parameters';
import { streamJsonReport } from '../../src/report/json';
import { fdSink } from '../../src/report/stream';
import type { Neo4jConnection } from '../../src/store/neo4j';
import { stoppedByLimit } from '../time-limit';
import { CO_PRESENCE_QUERY, coPresenceParameters, coPresencePairs, pairKey } from '../contacts-cypher';
import { secondsSince } from '../protocol';
import { withStore, type StoreTarget } from './store-target';

/** tracegraph's exposures of every case in the protocol's windows: load the neighbourhood, derive. */
export async function contactsTracegraphStep(args: { target: StoreTarget; pairsFile: string }) {
  const params = resolveParameters();
  return withStore(args.target, async (store) => {
    const asOf = await latestCaseAsOf(store);
    const started = process.hrtime.bigint();
    // The load derives the exposures as it goes (it needs them to find the exposed persons), as
    // the analysis takes them: its time is the whole of tracegraph's.
    const { data, exposures } = await loadOutbreakWithExposures(store, params, asOf);
    const seconds = secondsSince(started);
    const loadSeconds = seconds;
    const pairs = coPresencePairs(exposures);
    await writeFile(args.pairsFile, JSON.stringify(pairs));
    return {
      seconds,
      loadSeconds,
      asOf,
      cases: data.cases.length,
      staysLoaded: data.stays.length,
      exposures: exposures.length,
      pairs: pairs.length,
    };
  });
}

/** The plain Cypher co-presence query, on the same Neo4j and as-of instant. */
export async function contactsCypherStep(args: {
  connection: Neo4jConnection;
  pairsFile: string;
  limitSeconds?: number | null;
}) {
  const { connection } = args;
  const params = resolveParameters();
  const asOf = await withStore({ kind: 'neo4j', connection }, (store) => latestCaseAsOf(store));
  const driver = neo4j.driver(connection.uri, neo4j.auth.basic(connection.user, connection.password));
  const limit = args.limitSeconds ?? null;
  try {
    const started = process.hrtime.bigint();
    let result;
    try {
      result = await driver.executeQuery(CO_PRESENCE_QUERY, coPresenceParameters(params, asOf), {
        database: connection.database,
        routing: neo4j.routing.READ,
        ...(limit === null ? {} : { transactionConfig: { timeout: limit * 1000 } }),
      });
    } catch (err) {
      // Stopped by Neo4j at the limit: the time is a lower bound, and there are no pairs.
      const elapsed = secondsSince(started);
      if (stoppedByLimit(err, limit === null ? null : limit * 1000, elapsed * 1000))
        return { seconds: elapsed, asOf, stopped: true };
      throw err;
    }
    const seconds = secondsSince(started);
    const pairs = result.records
      .map((r) => pairKey(r.get('caseId') as string, r.get('personId') as string, r.get('hostId') as string))
      .sort();
    await writeFile(args.pairsFile, JSON.stringify(pairs));
    return { seconds, asOf, pairs: pairs.length };
  } finally {
    await driver.close();
  }
}

/**
 * `tracegraph report --format json > /dev/null`: analyse, build the report, stream it as JSON (as
 * the CLI does, contacts built while written) to /dev/null, as the CLI writes standard output
 * redirected to a file (src/report/stream.ts, `fdSink`), counting its bytes.
 */
export async function analysisStep(args: { target: StoreTarget }) {
  const params = resolveParameters();
  return withStore(args.target, async (store) => {
    const asOf = await latestCaseAsOf(store);
    const phases: Record<string, number> = {};
    // CPU time of the whole process (getrusage): this thread, the workers and the garbage
    // collector's threads, so that set against the time it shows how much of two cores was used.
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const analysis = await analyseOutbreak(store, params, {
      asOf,
      onPhase: (phase, phaseSeconds) => (phases[phase] = phaseSeconds),
    });
    const analyseSeconds = secondsSince(started);
    const devNull = openSync('/dev/null', 'w');
    const sink = fdSink(devNull, '/dev/null');
    try {
      await streamJsonReport(toLazyReport(analysis), sink);
    } finally {
      closeSync(devNull);
    }
    const seconds = secondsSince(started);
    const cpu = process.cpuUsage(cpuBefore);
    phases['JSON report'] = seconds - analyseSeconds;
    return {
      seconds,
      analyseSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      phases,
      asOf,
      cases: analysis.data.cases.length,
      exposures: analysis.exposures.length,
      staysLoaded: analysis.data.stays.length,
      reportBytes: sink.bytes,
    };
  });
}
