/**
 * Per-request context: who is asking (from the API key), the store behind the port, the request's
 * own DataLoaders, and the reads of personal data that the audit log will record.
 */
import type { TraceStore } from '../store/port';
import type { AuditLog } from './audit-log';
import { createLoaders, type Loaders } from './loaders';
import { PersonalDataReads } from './personal-data';

export const ROLES = ['admin', 'investigator', 'cdc'] as const;
/** `admin`: everything; `investigator`: read and write; `cdc`: read only, personal data masked. */
export type Role = (typeof ROLES)[number];

export interface Viewer {
  /** A short fingerprint of the API key (never the key itself), for logs and the audit log. */
  keyId: string;
  role: Role;
}

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
  audit: AuditLog;
  personalReads: PersonalDataReads;
  trace: RequestTrace;
}

export interface ContextInit {
  store: TraceStore;
  viewer: Viewer | null;
  audit: AuditLog;
}

/** A fresh context for one HTTP request (or one direct execution in tests). */
export function createContext({ store, viewer, audit }: ContextInit): ApiContext {
  return {
    store,
    viewer,
    audit,
    loaders: createLoaders(store),
    personalReads: new PersonalDataReads(),
    trace: { operations: [], errorCodes: new Set() },
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
      fields: read.fields,
    });
  }
}
