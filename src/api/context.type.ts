/**
 * Per-request context: who is asking (from the API key), the store behind the port, the request's
 * own DataLoaders, the server's analysis service (shared by all requests, so analyses are cached
 * across them), the reads of personal data that the audit log will record, and the analyses the
 * request asked for. Apollo hands each operation of a batched request a shallow copy of the
 * context, so what its objects gather is the whole request's.
 */
import type { TraceStore } from '../store/port';
import type { AuditLog } from './audit-log';
import type { InputProblem } from './errors';
import { createLoaders, type Loaders } from './loaders';
import { PersonalDataReads } from './personal-data';
import { AnalysisService } from './services/analysis.service';

import type { Viewer } from './roles';

export { ROLES, type Role, type Viewer } from './roles';

/** What a request did, for its log line (shared by the operations of a batched request). */
export interface RequestTrace {
  operations: string[];
  errorCodes: Set<string>;
}

export interface ApiContext {
  store: TraceStore;
  /** Null when the request carried no valid key. */
  viewer: Viewer | null;
  loaders: Loaders;
  analysis: AnalysisService;
  audit: AuditLog;
  personalReads: PersonalDataReads;
  trace: RequestTrace;
  /**
   * The analyses (as-of instant and capacity, `AnalysisService.idOf`) this request has asked for,
   * shared by the operations of a batched request like `trace`: see `outbreakFor` (analysis/scope.ts).
   */
  analysesAsked: Set<string>;
  /**
   * Values this operation wrote although they look mistyped (an onset weeks before the
   * confirmation), by argument path: the response carries them in `extensions.warnings`.
   */
  warnings: InputProblem[];
}

export interface ContextInit {
  store: TraceStore;
  viewer: Viewer | null;
  audit: AuditLog;
  /** The server's analysis service; by default one shared by every context of the same store. */
  analysis?: AnalysisService;
}

const servicesOfStores = new WeakMap<TraceStore, AnalysisService>();

/** The analysis service shared by the contexts of one store that were given none. */
export function sharedAnalysisService(store: TraceStore): AnalysisService {
  let service = servicesOfStores.get(store);
  if (!service) servicesOfStores.set(store, (service = new AnalysisService(store)));
  return service;
}

/** A fresh context for one HTTP request (or one direct execution in tests). */
export function createContext({ store, viewer, audit, analysis }: ContextInit): ApiContext {
  return {
    store,
    viewer,
    audit,
    loaders: createLoaders(store),
    analysis: analysis ?? sharedAnalysisService(store),
    personalReads: new PersonalDataReads(),
    trace: { operations: [], errorCodes: new Set() },
    analysesAsked: new Set(),
    warnings: [],
  } satisfies ApiContext;
}

/** Writes the personal-data reads gathered so far to the audit log; call once the operation ends. */
export function flushPersonalDataReads(context: ApiContext, at: number = Date.now()): void {
  if (!context.viewer) return;
  for (const read of context.personalReads.drain()) {
    context.audit.append({
      at,
      keyId: context.viewer.keyId,
      role: context.viewer.role,
      operationName: read.operationName,
      personIds: read.personIds,
      placeIds: read.placeIds,
      fields: read.fields,
    });
  }
}
