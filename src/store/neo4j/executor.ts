/**
 * Neo4j executor: the one way the Neo4j store runs Cypher, modelled on @neo4j/graphql's
 * Executor: explicit database, managed read or write transactions chosen by mode, the session
 * always closed, transaction metadata naming the app, and driver errors mapped to ours.
 * Set DEBUG=tracegraph:cypher to log each statement, its parameters, and its rows and times to stderr.
 */
import neo4j, {
  isInt,
  type Driver,
  type ManagedTransaction,
  type QueryResult,
  type Record as Neo4jRecord,
} from 'neo4j-driver';
import { SettingError, StoreUnavailableError } from '../../domain/errors';
import { neo4jUriProblem } from './uri';

export type AccessMode = 'READ' | 'WRITE';
export type Parameters = Record<string, unknown>;

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  database: string;
}

/** Neo4j answered but refused the user name or password. */
export class CredentialsRefusedError extends StoreUnavailableError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'CredentialsRefusedError';
  }
}

/** Set on every transaction, so SHOW TRANSACTIONS tells tracegraph's apart. */
export const TRANSACTION_METADATA = { app: 'tracegraph' };

/**
 * Records pulled per request: all of them. Every caller reads a result whole, and pulling it in
 * the driver's default batches of 1,000 cost a round trip per batch, the server waiting on each
 * (1,700 of them for the million stays and samples an analysis at 100,000 persons reads).
 */
const FETCH_ALL = -1;

// Fail fast when the server is down: a few seconds to connect, a few more of retries.
const DRIVER_CONFIG = {
  connectionTimeout: 5_000,
  connectionAcquisitionTimeout: 15_000,
  maxTransactionRetryTime: 5_000,
  userAgent: 'tracegraph',
};

const NETWORK_ERROR_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

/** The driver's (or the socket's) error code, if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost cause's message, which names the real problem (e.g. `connect ECONNREFUSED ...`). */
function rootMessage(err: Error): string {
  let current: unknown = err;
  let message = err.message;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  // The driver appends the socket error to a paragraph of generic advice; keep the socket error.
  const causedBy = message.lastIndexOf('Caused by: ');
  return causedBy >= 0 ? message.slice(causedBy + 'Caused by: '.length) : message;
}

/** Translates a driver or socket error into the error tracegraph reports. */
export function mapNeo4jError(
  err: unknown,
  connection: Pick<Neo4jConnection, 'uri' | 'user' | 'database'>,
): unknown {
  if (!(err instanceof Error) || err instanceof StoreUnavailableError) return err;
  const code = errorCode(err) ?? '';
  if (
    code.startsWith('Neo.ClientError.Security.Unauthorized') ||
    code === 'Neo.ClientError.Security.AuthenticationRateLimit'
  ) {
    return new CredentialsRefusedError(
      `Neo4j at ${connection.uri} refused the credentials of user "${connection.user}" ` +
        `(check NEO4J_USER and NEO4J_PASSWORD): ${err.message}`,
      err,
    );
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new StoreUnavailableError(
      `Neo4j at ${connection.uri} has no database "${connection.database}" (check NEO4J_DATABASE): ${err.message}`,
      err,
    );
  }
  if (
    NETWORK_ERROR_CODES.has(code) ||
    NETWORK_ERROR_CODES.has(errorCode((err as { cause?: unknown }).cause) ?? '')
  ) {
    return new StoreUnavailableError(
      `Neo4j at ${connection.uri} could not be reached: ${rootMessage(err)}`,
      err,
    );
  }
  return err;
}

function cypherDebugEnabled(env: NodeJS.ProcessEnv): boolean {
  return (env.DEBUG ?? '').includes('tracegraph:cypher');
}

/** Parameters for the log: driver integers as numbers, long lists cut to their first rows. */
function describeParameters(params: Parameters): string {
  return JSON.stringify(params, (_key, value: unknown) => {
    if (isInt(value)) return value.toString();
    if (Array.isArray(value) && value.length > 5)
      return [...value.slice(0, 5), `... ${value.length - 5} more`];
    return value;
  });
}

/** A summary's time in milliseconds (the driver gives an Integer or a number; -1 when unknown). */
function milliseconds(value: unknown): number {
  if (isInt(value)) return value.toNumber();
  return typeof value === 'number' ? value : -1;
}

/**
 * One statement's result for the log: its rows, the time from sending it to holding every row,
 * and the server's times from its summary (the first row ready, then every row streamed).
 */
export function describeResult(
  rows: number,
  ms: number,
  summary: { resultAvailableAfter: unknown; resultConsumedAfter: unknown },
): string {
  const available = milliseconds(summary.resultAvailableAfter);
  const consumed = milliseconds(summary.resultConsumedAfter);
  const server =
    available < 0 || consumed < 0
      ? 'the server gave no times'
      : `the server: first row after ${available} ms, the last streamed ${consumed} ms later`;
  return `${rows} ${rows === 1 ? 'row' : 'rows'} in ${Math.round(ms)} ms; ${server}`;
}

/** A statement runner inside one managed transaction. */
export interface Transaction {
  query(cypher: string, params?: Parameters): Promise<Neo4jRecord[]>;
}

/** An explicit transaction left open until `rollback`: it holds its locks until then. */
export interface OpenTransaction extends Transaction {
  /** Undoes the transaction, releasing its locks, and closes its session; never throws. */
  rollback(): Promise<void>;
}

/** What a write transaction may set besides its work. */
export interface WriteOptions {
  /** Added to the app's metadata, for SHOW TRANSACTIONS. */
  metadata?: Record<string, unknown>;
}

export class Neo4jExecutor {
  private readonly debug: boolean;
  /** Set once the server has answered; cleared when a check fails so the next call checks again. */
  private reached: Promise<void> | null = null;

  constructor(
    private readonly driver: Driver,
    readonly connection: Pick<Neo4jConnection, 'uri' | 'user' | 'database'>,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.debug = cypherDebugEnabled(env);
  }

  /** Runs `work` in one managed read transaction (retried by the driver on transient errors). */
  read<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.execute('READ', work);
  }

  /** Runs `work` in one managed write transaction: it commits when `work` resolves. */
  write<T>(work: (tx: Transaction) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.execute('WRITE', work, options);
  }

  /**
   * Begins a write transaction that stays open, whatever the server's default transaction
   * timeout, until `rollback` or until the connection closes (the process ends): the server then
   * drops it and its locks. `metadata` is added to the app's, for SHOW TRANSACTIONS.
   */
  async begin(metadata: Record<string, unknown>): Promise<OpenTransaction> {
    await this.reachServer();
    const session = this.driver.session({
      database: this.connection.database,
      defaultAccessMode: neo4j.session.WRITE,
      fetchSize: FETCH_ALL,
    });
    // A timeout of 0 asks the server (5.3 and later) never to end it on its own.
    const tx = session.beginTransaction({ metadata: { ...TRANSACTION_METADATA, ...metadata }, timeout: 0 });
    return {
      query: async (cypher, params = {}) => {
        try {
          return await this.run(cypher, params, () => tx.run(cypher, params));
        } catch (err) {
          throw mapNeo4jError(err, this.connection);
        }
      },
      rollback: async () => {
        // A transaction the server already dropped (its connection broke) has nothing to undo.
        if (tx.isOpen()) await tx.rollback().catch(() => undefined);
        await this.closeSession(session);
      },
    };
  }

  /** One statement in its own read transaction. */
  readQuery(cypher: string, params: Parameters = {}): Promise<Neo4jRecord[]> {
    return this.read((tx) => tx.query(cypher, params));
  }

  /** One statement in its own write transaction. */
  writeQuery(cypher: string, params: Parameters = {}): Promise<Neo4jRecord[]> {
    return this.write((tx) => tx.query(cypher, params));
  }

  /**
   * One statement in an auto-commit transaction: the only kind that may run
   * `CALL { ... } IN TRANSACTIONS`.
   */
  async autoCommit(cypher: string, params: Parameters = {}): Promise<Neo4jRecord[]> {
    await this.reachServer();
    const session = this.driver.session({
      database: this.connection.database,
      defaultAccessMode: neo4j.session.WRITE,
    });
    try {
      return await this.run(cypher, params, () =>
        session.run(cypher, params, { metadata: TRANSACTION_METADATA }),
      );
    } catch (err) {
      throw mapNeo4jError(err, this.connection);
    } finally {
      await this.closeSession(session);
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private async execute<T>(
    mode: AccessMode,
    work: (tx: Transaction) => Promise<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    await this.reachServer();
    const session = this.driver.session({
      database: this.connection.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      fetchSize: FETCH_ALL,
    });
    const unitOfWork = (tx: ManagedTransaction): Promise<T> =>
      work({
        query: (cypher, params = {}) => this.run(cypher, params, () => tx.run(cypher, params)),
      });
    const config = { metadata: { ...TRANSACTION_METADATA, ...options.metadata } };
    try {
      return mode === 'READ'
        ? await session.executeRead(unitOfWork, config)
        : await session.executeWrite(unitOfWork, config);
    } catch (err) {
      throw mapNeo4jError(err, this.connection);
    } finally {
      await this.closeSession(session);
    }
  }

  /**
   * The driver retries a failed transaction for several seconds, which helps when a server that
   * was up blips, but only delays the answer when it was never up: so the first call checks
   * the server once, without retries.
   */
  private reachServer(): Promise<void> {
    this.reached ??= this.driver
      .verifyConnectivity({ database: this.connection.database })
      .then(() => undefined)
      .catch((err: unknown) => {
        this.reached = null;
        throw mapNeo4jError(err, this.connection);
      });
    return this.reached;
  }

  private async closeSession(session: { close(): Promise<void> }): Promise<void> {
    // The transaction has already committed or failed; a broken socket at close changes nothing.
    await session.close().catch(() => undefined);
  }

  /**
   * Runs one statement through `send`; with the Cypher log on, the statement and its parameters
   * are logged before it runs and, once its rows are in, how many came and how long they took,
   * beside the server's own times: where a slow read spends its time, in the server or in this
   * process decoding rows (bench/README.md, Findings of 7 December, noon).
   */
  private async run(
    cypher: string,
    params: Parameters,
    send: () => Promise<QueryResult>,
  ): Promise<Neo4jRecord[]> {
    if (!this.debug) return (await send()).records;
    process.stderr.write(`tracegraph:cypher ${cypher.trim()}\n  params ${describeParameters(params)}\n`);
    const started = process.hrtime.bigint();
    const { records, summary } = await send();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(`  ${describeResult(records.length, ms, summary)}\n`);
    return records;
  }
}

/** A driver for the given server with tracegraph's timeouts; it connects lazily. */
export function createNeo4jExecutor(
  connection: Neo4jConnection,
  env: NodeJS.ProcessEnv = process.env,
): Neo4jExecutor {
  // An address the driver cannot use is a setting to correct, not a server that is down.
  const problem = neo4jUriProblem(connection.uri);
  if (problem) throw new SettingError(`Neo4j at ${connection.uri} cannot be used: ${problem}`);
  let driver: Driver;
  try {
    driver = neo4j.driver(
      connection.uri,
      neo4j.auth.basic(connection.user, connection.password),
      DRIVER_CONFIG,
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SettingError(`Neo4j at ${connection.uri} cannot be used: ${reason}`);
  }
  return new Neo4jExecutor(driver, connection, env);
}
