/**
 * API settings from the environment: TRACEGRAPH_API_KEYS ("key:role,key:role"),
 * TRACEGRAPH_INTROSPECTION (default true), TRACEGRAPH_AUDIT_FILE (JSON lines, optional) and
 * LOG_LEVEL (the request log's pino level, default info). Each bad value is refused naming its
 * variable (SettingError), before the server does any work.
 */
import { appendFile } from 'node:fs/promises';
import pino from 'pino';
import { SettingError } from '../domain/errors';
import { parseApiKeys, type ApiKey } from './api-keys';

export interface ApiEnvSettings {
  apiKeys: ApiKey[];
  introspection: boolean;
  auditFile: string | null;
  logLevel: string;
}

/** pino's levels, and `silent`, which logs nothing. */
export const LOG_LEVELS: readonly string[] = [...Object.keys(pino.levels.values), 'silent'];

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new SettingError(`${name}: "${value}" is not true or false`);
}

function logLevel(value: string | undefined): string {
  const level = value?.trim() || 'info';
  if (!LOG_LEVELS.includes(level))
    throw new SettingError(`LOG_LEVEL: "${value}" is not a log level (known: ${LOG_LEVELS.join(', ')})`);
  return level;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiEnvSettings {
  return {
    apiKeys: parseApiKeys(env.TRACEGRAPH_API_KEYS),
    introspection: flag('TRACEGRAPH_INTROSPECTION', env.TRACEGRAPH_INTROSPECTION, true),
    auditFile: env.TRACEGRAPH_AUDIT_FILE?.trim() || null,
    logLevel: logLevel(env.LOG_LEVEL),
  };
}

/**
 * Refuses an audit file that cannot be appended to (its folder missing, a folder in its place, no
 * permission), naming the variable: a server that cannot audit its reads of personal data would
 * refuse every one of them. Makes the file when it does not exist, as the first entry would.
 */
export async function checkAuditFile(file: string, source = 'TRACEGRAPH_AUDIT_FILE'): Promise<void> {
  try {
    await appendFile(file, '', 'utf8');
  } catch (err) {
    throw new SettingError(`${source}: cannot append to "${file}": ${(err as Error).message}`);
  }
}
