/** Shared test fixtures for the API suites: a real embedded store, contexts per role, a counting store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphql, type ExecutionResult, type GraphQLSchema } from 'graphql';
import pino from 'pino';
import { AuditLog } from '../../src/api/audit-log';
import {
  createContext,
  flushPersonalDataReads,
  type ApiContext,
  type Role,
} from '../../src/api/context.type';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import type { RecordBatch } from '../../src/domain/types';
import type { TraceStore } from '../../src/store/port';
import { smallDistrict } from '../store/fixtures';
import { embeddedStoreWith, type TempStore } from '../store/temp-store';

export { embeddedStoreWith, type TempStore };

/** A suite's temporary folders: `freshDir(prefix)` makes one; all are removed after the suite. */
export function suiteTempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** An HTTP server on a free loopback port over an embedded store; `stop` ends both. */
export interface ServedStore {
  temp: TempStore;
  running: RunningApiServer;
  stop(): Promise<void>;
}

/** Serves `records` from a fresh embedded store, with one API key of the investigator role. */
export async function serveRecords(records: RecordBatch, prefix: string, key: string): Promise<ServedStore> {
  const temp = await embeddedStoreWith(records, prefix);
  const running = await startApiServer(
    {
      store: temp.store,
      apiKeys: [{ key, role: 'investigator' }],
      logger: pino({ level: 'silent' }),
      closeStore: false,
    },
    { port: 0 },
  );
  return {
    temp,
    running,
    async stop() {
      await running.stop();
      await temp.dispose();
    },
  };
}

/** A response as JSON, read in the shape the operation asked for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** An embedded store in a fresh temp dir holding the small district of the store contract. */
export function districtStore(): Promise<TempStore> {
  return embeddedStoreWith(smallDistrict(), 'tracegraph-api-');
}

export function contextFor(store: TraceStore, role: Role | null, audit = new AuditLog()): ApiContext {
  return createContext({ store, viewer: role ? { keyId: `key-${role}`, role } : null, audit });
}

/**
 * Executes an operation against the schema as the server would, including the audit flush; data
 * is returned as it travels (JSON), so DateTime values are ISO 8601 strings.
 */
export async function run(
  schema: GraphQLSchema,
  context: ApiContext,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<ExecutionResult> {
  const result = await graphql({ schema, source, contextValue: context, variableValues });
  flushPersonalDataReads(context, 0);
  return result.data ? { ...result, data: JSON.parse(JSON.stringify(result.data)) } : result;
}

/** The error codes of a result, in order. */
export const codes = (result: ExecutionResult): unknown[] =>
  (result.errors ?? []).map((e) => e.extensions?.code);

/** A store that counts calls per method (and can be switched "down") in front of a real one. */
export function countingStore(inner: TraceStore): {
  store: TraceStore;
  calls: Map<string, number>;
  reset(): void;
} {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls, reset: () => calls.clear() };
}
