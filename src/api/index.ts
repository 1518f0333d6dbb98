/** The GraphQL API: server, schema and settings. */
export { createApiServer, startApiServer } from './server';
export type { ApiServer, ApiServerOptions, ListenOptions, RunningApiServer } from './server';
export { buildApiSchema, printApiSchema } from './schema';
export { apiSettingsFromEnv } from './config';
export type { ApiEnvSettings } from './config';
export { parseApiKeys, keyId } from './api-keys';
export type { ApiKey } from './api-keys';
export { AuditLog } from './audit-log';
export type { AuditEntry } from './audit-log';
export { DEFAULT_LIMITS } from './limits';
export type { ApiLimits } from './limits';
export { createContext, flushPersonalDataReads, ROLES } from './context.type';
export type { ApiContext, Role, Viewer } from './context.type';

import type { Logger } from 'pino';
import type { RunningApiServer } from './server';

/** Stops the server gracefully on SIGTERM/SIGINT (a second signal exits at once). */
export function stopOnSignals(
  running: RunningApiServer,
  logger?: Logger,
  signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  let stopping = false;
  for (const signal of signals) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      logger?.info({ signal }, 'stopping: finishing requests in flight');
      running.stop().then(
        () => {
          logger?.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger?.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
}
