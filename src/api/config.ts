/**
 * API settings from the environment: TRACEGRAPH_API_KEYS ("key:role,key:role"),
 * TRACEGRAPH_INTROSPECTION (default true), TRACEGRAPH_AUDIT_FILE (JSON lines, optional).
 */
import { parseApiKeys, type ApiKey } from './api-keys';

export interface ApiEnvSettings {
  apiKeys: ApiKey[];
  introspection: boolean;
  auditFile: string | null;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${name}: "${value}" is not true or false`);
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiEnvSettings {
  return {
    apiKeys: parseApiKeys(env.TRACEGRAPH_API_KEYS),
    introspection: flag('TRACEGRAPH_INTROSPECTION', env.TRACEGRAPH_INTROSPECTION, true),
    auditFile: env.TRACEGRAPH_AUDIT_FILE?.trim() || null,
  };
}
