/** `tracegraph serve`: the GraphQL API, explorer and chain view over the configured store. */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer, isIP } from 'node:net';
import { Command } from 'commander';
import pino from 'pino';
import type { RunningApiServer } from '../../api';
import type { ApiKey } from '../../api/api-keys';
import { apiSettingsFromEnv, checkAuditFile, LOG_LEVELS, type ApiEnvSettings } from '../../api/config';
import type { TraceStore } from '../../store/port';
import type { StoreConfig } from '../../store';
import {
  openConfiguredStore,
  storeConfigFor,
  UsageError,
  warnOfUnfinishedImport,
  type CliIo,
} from '../context';
import { wholeNumber } from '../whole-number';

export interface ServeFlags {
  /** Unset: env PORT, else 4000. */
  port?: string;
  host: string;
}

const DEFAULT_PORT = 4000;

export function addServeOptions(command: Command): Command {
  return command
    .option('--port <port>', `HTTP port (default: env PORT, else ${DEFAULT_PORT})`)
    .option('--host <host>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1');
}

/** What serving needs from the flags and the environment, every part checked. */
export interface ServeSettings {
  port: number;
  /** Where the port came from, to name it in messages: `--port` or `PORT`. */
  portSource: string;
  host: string;
  api: ApiEnvSettings;
}

/**
 * Reads and checks everything serving needs, before any work (`start` imports and analyses first):
 * the port and host, that the port can be listened on there, TRACEGRAPH_API_KEYS,
 * TRACEGRAPH_INTROSPECTION, LOG_LEVEL and that the TRACEGRAPH_AUDIT_FILE can be appended to. Each
 * refusal names its flag or variable.
 */
export async function serveSettingsFrom(flags: ServeFlags, io: CliIo): Promise<ServeSettings> {
  const fromEnv = flags.port === undefined && io.env.PORT?.trim() ? io.env.PORT : undefined;
  const portSource = fromEnv === undefined ? '--port' : 'PORT';
  const portText = flags.port ?? fromEnv ?? String(DEFAULT_PORT);
  const port = wholeNumber(portText);
  if (port === null || port > 65535)
    throw new UsageError(`${portSource}: "${portText}" is not a port number`);
  const host = flags.host;
  // A name is looked up to refuse it naming --host; an address needs no resolver, however slow.
  if (isIP(host) === 0) {
    try {
      await lookup(host);
    } catch (err) {
      throw new UsageError(`--host: "${host}" is not an address (${(err as Error).message})`);
    }
  }
  const settings: ServeSettings = { port, portSource, host, api: apiSettingsFromEnv(io.env) };
  if (settings.api.auditFile) await checkAuditFile(settings.api.auditFile);
  await probePort(settings);
  return settings;
}

/**
 * Listens on the port for a moment and lets it go, so that a port in use (or not allowed) is
 * refused now rather than after `start`'s import and analysis. Port 0 takes any free one: nothing
 * to check. Another process may still take the port before the server listens (see listenError).
 */
async function probePort(settings: ServeSettings): Promise<void> {
  if (settings.port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(settings.port, settings.host, resolve);
    });
  } catch (err) {
    throw listenError(err, settings);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** The failures of listening (the probe's or the server's), named by the flag or variable to change. */
function listenError(err: unknown, settings: ServeSettings): unknown {
  const { port, portSource, host } = settings;
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new UsageError(`${portSource}: port ${port} on ${host} is already in use`);
    case 'EACCES':
      return new UsageError(
        `${portSource}: port ${port} on ${host} needs privileges this process does not have`,
      );
    case 'EADDRNOTAVAIL':
      return new UsageError(`--host: "${host}" is not an address of this machine`);
    default:
      return err;
  }
}

/**
 * Starts the API on an open store and keeps it running until SIGINT/SIGTERM. Without
 * TRACEGRAPH_API_KEYS, keys for this run are made and printed, so a fresh machine can use it.
 * `storeConfig`, the configuration the store was opened with, lets analyses run in worker threads.
 */
export async function serveStore(
  store: TraceStore,
  storeConfig: StoreConfig,
  settings: ServeSettings,
  io: CliIo,
): Promise<RunningApiServer> {
  let apiKeys: ApiKey[] = settings.api.apiKeys;
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
  // The API (Apollo, type-graphql) is loaded only to serve: it was over a third of every command's start-up.
  const { startApiServer } = await import('../../api');
  const running = await startApiServer(
    {
      store,
      storeConfig,
      apiKeys,
      introspection: settings.api.introspection,
      auditFile: settings.api.auditFile,
      logger: pino({ level: settings.api.logLevel }, pino.destination(2)),
    },
    { port: settings.port, host: settings.host },
  ).catch((err: unknown) => {
    throw listenError(err, settings);
  });
  io.stderr.write(
    `tracegraph API on ${store.location}\n  GraphQL and explorer: ${running.url}/graphql\n` +
      `  chain view: ${running.url}/chains\n  health: ${running.url}/health, readiness: ${running.url}/ready\n`,
  );
  return running;
}

/** The environment variables of serving, for `serve --help` and `start --help`. */
export const SERVE_ENVIRONMENT = [
  'Environment:',
  '  TRACEGRAPH_API_KEYS       "key1:admin,key2:investigator,key3:cdc" (unset: keys made for this run)',
  '  TRACEGRAPH_AUDIT_FILE     append each read of unmasked personal data to this file (JSON lines)',
  '  TRACEGRAPH_INTROSPECTION  false turns GraphQL introspection off',
  '  PORT                      the port when --port is not given',
  `  LOG_LEVEL                 the request log's level (${LOG_LEVELS.join(', ')}; default info)`,
  "  TRACEGRAPH_ASSETS_DIR     where the chain view's built script is (default: dist-assets/)",
].join('\n');

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
    .addHelpText('after', `\n${SERVE_ENVIRONMENT}\nExample:\n  tracegraph serve --port 4000`)
    .action(async (flags: ServeFlags, command: Command) => {
      const storeConfig = storeConfigFor(command, io);
      const settings = await serveSettingsFrom(flags, io);
      const store = await openConfiguredStore(storeConfig, io);
      const running = await warnOfUnfinishedImport(store, io)
        .then(() => serveStore(store, storeConfig, settings, io))
        .catch(async (err: unknown) => {
          await store.close().catch(() => undefined);
          throw err;
        });
      await untilStopped(running, io);
    });
}
