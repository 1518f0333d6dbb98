/** `tracegraph serve`: the GraphQL API, explorer and chain view over the configured store. */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import pino from 'pino';
import { apiSettingsFromEnv, startApiServer, type RunningApiServer } from '../../api';
import type { ApiKey } from '../../api/api-keys';
import type { TraceStore } from '../../store/port';
import { openStore, type StoreConfig } from '../../store';
import { migrationReporter, storeConfigFor, UsageError, type CliIo } from '../context';
import { wholeNumber } from '../whole-number';

export interface ServeFlags {
  port: string;
  host: string;
}

export function addServeOptions(command: Command): Command {
  return command
    .option('--port <port>', 'HTTP port', process.env.PORT ?? '4000')
    .option('--host <host>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1');
}

/**
 * Starts the API on an open store and keeps it running until SIGINT/SIGTERM. Without
 * TRACEGRAPH_API_KEYS, keys for this run are made and printed, so a fresh machine can use it.
 * `storeConfig`, the configuration the store was opened with, lets analyses run in worker threads.
 */
export async function serveStore(
  store: TraceStore,
  storeConfig: StoreConfig,
  flags: ServeFlags,
  io: CliIo,
): Promise<RunningApiServer> {
  const port = wholeNumber(flags.port);
  if (port === null || port > 65535) throw new UsageError(`--port: "${flags.port}" is not a port number`);
  const settings = apiSettingsFromEnv(io.env);
  let apiKeys: ApiKey[] = settings.apiKeys;
  if (apiKeys.length === 0) {
    apiKeys = (['admin', 'investigator', 'cdc'] as const).map((role) => ({
      key: randomBytes(18).toString('base64url'),
      role,
    }));
    io.stderr.write(
      'TRACEGRAPH_API_KEYS is not set: keys for this run only (send as "Authorization: Bearer <key>"):\n' +
        apiKeys.map((k) => `  ${k.role.padEnd(12)} ${k.key}`).join('\n') +
        '\n',
    );
  }
  const running = await startApiServer(
    {
      store,
      storeConfig,
      apiKeys,
      introspection: settings.introspection,
      auditFile: settings.auditFile,
      logger: pino({ level: io.env.LOG_LEVEL ?? 'info' }, pino.destination(2)),
    },
    { port, host: flags.host },
  );
  io.stderr.write(
    `tracegraph API on ${store.location}\n  GraphQL and explorer: ${running.url}/graphql\n` +
      `  chain view: ${running.url}/chains\n  health: ${running.url}/health, readiness: ${running.url}/ready\n`,
  );
  return running;
}

/** Resolves when the process is asked to stop, after the server has stopped gracefully. */
export function untilStopped(running: RunningApiServer, io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      io.stderr.write(`\n${signal}: stopping (finishing requests in flight)\n`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void running.stop().then(resolve);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function serveCommand(io: CliIo): Command {
  return addServeOptions(
    new Command('serve').description(
      'serve the GraphQL API (/graphql), the explorer, the chain view (/chains), /health and /ready',
    ),
  )
    .addHelpText(
      'after',
      '\nAPI keys: TRACEGRAPH_API_KEYS="key1:admin,key2:investigator,key3:cdc".\nExample:\n  tracegraph serve --port 4000',
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const storeConfig = storeConfigFor(command, io);
      const store = await openStore(storeConfig, migrationReporter(storeConfig, io));
      const running = await serveStore(store, storeConfig, flags, io).catch(async (err) => {
        await store.close().catch(() => undefined);
        throw err;
      });
      await untilStopped(running, io);
    });
}
