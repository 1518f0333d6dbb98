/**
 * What every command shares: where output goes, the global `--data` option, opening and closing
 * the configured store, and turning errors into a message and an exit code.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { FolderError, missingFolders } from '../fs/folders';
import { SettingError, StoreUnavailableError, ValidationError } from '../domain/errors';
import { openStore, storeConfigFromEnv, storeExists, type StoreConfig, type TraceStore } from '../store';
import { describeUnfinishedImport } from '../store/unfinished-import';

/** Where a command writes, and the environment it reads (process.* unless a test says otherwise). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Builds one command; `buildProgram()` adds it under `tracegraph`. */
export type CommandFactory = (io: CliIo) => Command;

/**
 * Exit codes: 0 done, 1 bad input or usage (a flag, an environment variable, a file), 2 the store
 * cannot be reached.
 */
export const EXIT = { ok: 0, badInput: 1, storeUnavailable: 2 } as const;

/** A mistake of the person at the keyboard: reported as its message alone. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A failure after which the command put back (or could not put back) what it had made: reported
 * as `failure` is, with its exit code, then `undone` on a line of its own.
 */
export class UndoneError extends Error {
  constructor(
    readonly failure: unknown,
    readonly undone: string,
  ) {
    super(`${failure instanceof Error ? failure.message : String(failure)}\n${undone}`, { cause: failure });
    this.name = 'UndoneError';
  }
}

/** The store configuration for a command, from `--data` (before or after the command) and the environment. */
export function storeConfigFor(command: Command, io: CliIo): StoreConfig {
  const { data } = command.optsWithGlobals<{ data?: string }>();
  if (data !== undefined && data.trim() === '') throw new UsageError('--data: no folder given');
  const config = storeConfigFromEnv(io.env, data);
  if (!config.neo4j) checkDataNotAFile(config.dataDir, data !== undefined ? '--data' : dataSource(io.env));
  return config;
}

/** What chose the data folder when `--data` did not. */
const dataSource = (env: NodeJS.ProcessEnv): string =>
  env.TRACEGRAPH_DATA?.trim() ? 'TRACEGRAPH_DATA' : 'the default data folder (--data, TRACEGRAPH_DATA)';

/**
 * Refuses a data folder that is a file (anything but a folder), or lies under one, naming what
 * chose it, before any work: `stats` would otherwise say to import into it, and `import` would
 * validate the whole bundle before finding that it cannot make the store there. A folder that cannot be made for another
 * reason is left to opening the store, which names it (exit 2).
 */
function checkDataNotAFile(dataDir: string, source: string): void {
  try {
    missingFolders(dataDir);
  } catch (err) {
    if (!(err instanceof FolderError) || err.code !== 'ENOTDIR') return;
    const named = path.resolve(dataDir) === err.folder ? `"${dataDir}"` : `"${dataDir}": ${err.folder}`;
    throw new UsageError(
      `${source}: ${named} is not a folder; name the folder of the embedded store (made if missing)`,
    );
  }
}

/** Where the configured store is, for messages. */
export function describeStoreConfig(config: StoreConfig): string {
  return config.neo4j ? `Neo4j at ${config.neo4j.uri}` : `the embedded store in ${config.dataDir}`;
}

/** Writes each migration step that rewrites stored records to stderr, naming the store. */
export function migrationReporter(config: StoreConfig, io: CliIo): (step: string) => void {
  return (step) => io.stderr.write(`migrating ${describeStoreConfig(config)}: ${step}\n`);
}

/**
 * Opens the configured store, runs `work` with it and closes it whatever happens. A command that
 * only reads (`existing`) refuses an embedded store that was never made: a mistyped `--data` would
 * otherwise make an empty one and report an outbreak with no cases, exit code 0. A store holding
 * part of an import that did not finish is warned of before `work` (`warnOfUnfinishedImport`).
 */
export async function withStore<T>(
  command: Command,
  io: CliIo,
  work: (store: TraceStore) => Promise<T>,
  options: { existing?: boolean } = {},
): Promise<T> {
  const config = storeConfigFor(command, io);
  if (options.existing && !storeExists(config)) {
    throw new UsageError(
      `no store in ${config.dataDir}: import a bundle into it first ` +
        `(tracegraph --data ${config.dataDir} import DIR), or name the folder that holds one (--data, TRACEGRAPH_DATA)`,
    );
  }
  const store = await openConfiguredStore(config, io);
  try {
    await warnOfUnfinishedImport(store, io);
    return await work(store);
  } finally {
    await store.close().catch(() => undefined);
  }
}

/**
 * Writes a warning on stderr for each import that left the store holding part of its bundle
 * (Neo4j, whose import commits batch by batch): what it then reads lacks the rest of that bundle.
 * The command goes on, as a partial answer may be needed at once.
 */
export async function warnOfUnfinishedImport(store: TraceStore, io: CliIo): Promise<void> {
  for (const unfinished of await store.unfinishedImports()) {
    io.stderr.write(`warning: ${describeUnfinishedImport(store.location, unfinished)}\n`);
  }
}

/** Opens the configured store; if it cannot be reached, the error names it as configured. */
export async function openConfiguredStore(config: StoreConfig, io: CliIo): Promise<TraceStore> {
  try {
    return await openStore(config, migrationReporter(config, io));
  } catch (err) {
    if (err instanceof StoreUnavailableError)
      throw new StoreUnreachableError(describeStoreConfig(config), err);
    throw err;
  }
}

/** The store could not be opened; names it as configured. */
class StoreUnreachableError extends StoreUnavailableError {
  constructor(
    readonly target: string,
    cause: StoreUnavailableError,
  ) {
    super(cause.message, cause);
  }
}

/** System errors of reading and writing files, reported as their message alone (it names the file). */
const FILE_ERRORS = new Set([
  'ENOENT',
  'EACCES',
  'EPERM',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ENOSPC',
  'EROFS',
  'EFBIG',
  'EDQUOT',
  'EIO',
  'EBADF',
]);

/** Writes what went wrong to stderr and returns the exit code; a stack only with TRACEGRAPH_DEBUG. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UndoneError) {
    const code = reportError(err.failure, io);
    io.stderr.write(`${err.undone}\n`);
    return code;
  }
  if (err instanceof ValidationError) {
    io.stderr.write(`${err.message}\n`);
    return EXIT.badInput;
  }
  if (err instanceof StoreUnavailableError) {
    const target = err instanceof StoreUnreachableError ? err.target : 'the store';
    io.stderr.write(`cannot reach ${target}\n  ${err.message}\n`);
    return EXIT.storeUnavailable;
  }
  if (err instanceof UsageError || err instanceof SettingError) {
    io.stderr.write(`${err.message}\n`);
    return EXIT.badInput;
  }
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof Error && code && FILE_ERRORS.has(code)) {
    io.stderr.write(`${err.message}\n`);
    return EXIT.badInput;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`error: ${message}\n`);
  if (io.env.TRACEGRAPH_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT.badInput;
}
