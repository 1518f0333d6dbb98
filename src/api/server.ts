/**
 * The HTTP server: GraphQL at /graphql (Apollo Server 5 driven from plain node:http through
 * `executeHTTPGraphQLRequest`), the offline explorer at / and on browser GETs of /graphql, the
 * chain view at /chains (src/api/chain-view.ts), /health and /ready, one structured log line per
 * request, and a graceful stop (stop accepting, finish what is in flight, then close the store).
 * One analysis service serves every request, so analyses are computed once and shared.
 */
import 'reflect-metadata';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import pino, { type Logger } from 'pino';
import { withoutByteOrderMark } from '../domain/byte-order-mark';
import type { StoreConfig } from '../store';
import type { TraceStore } from '../store/port';
import { describeUnfinishedImport } from '../store/unfinished-import';
import { KeyRing, type ApiKey } from './api-keys';
import { nameArgumentPaths } from './argument-paths';
import { AuditFileError, AuditLog } from './audit-log';
import { checkAuditFile } from './config';
import { CHAIN_DATA_PATH, CHAIN_VIEW_BASE, ChainViewRoutes, type RouteResponse } from './chain-view';
import { createContext, flushPersonalDataReads, type ApiContext } from './context.type';
import { ErrorCode, formatApiError, isStoreUnavailable, unavailable } from './errors';
import { loadExamples, type ExampleOperation } from './explorer/examples';
import { EXPLORER_PREFIX, Explorer, type ExplorerResponse } from './explorer/explorer';
import { DEFAULT_LIMITS, operationLimitErrors, type ApiLimits } from './limits';
import { buildApiSchema } from './schema';
import { AnalysisService, type AnalysisServiceOptions } from './services/analysis.service';

export interface ApiServerOptions {
  store: TraceStore;
  apiKeys: readonly ApiKey[];
  /** Schema introspection (default on). */
  introspection?: boolean;
  logger?: Logger;
  /** Append audit entries to this JSON-lines file as well. */
  auditFile?: string | null;
  /** Audit entries kept in memory. */
  auditCapacity?: number;
  limits?: Partial<ApiLimits>;
  /** The explorer's preloaded operations (default: schema/examples.graphql). */
  examples?: readonly ExampleOperation[];
  /** Close the store when the server stops (default true). */
  closeStore?: boolean;
  /**
   * The configuration `store` was opened with: analyses then run in worker threads that open
   * their own connection from it, so requests are answered while one is computed (unless
   * `analysis.analyse`, `analysis.inProcess` or `analysis.worker` says otherwise).
   */
  storeConfig?: StoreConfig;
  /** Parameters and cache settings of the analysis service. */
  analysis?: AnalysisServiceOptions;
  /** Where the chain view's bundled script is (default: dist-assets/, or TRACEGRAPH_ASSETS_DIR). */
  assetsDir?: string;
}

export interface ApiServer {
  readonly schema: GraphQLSchema;
  readonly audit: AuditLog;
  readonly limits: ApiLimits;
  /** The analyses behind the analysis queries and the chain view, cached per (asOf, capacity). */
  readonly analysis: AnalysisService;
  /** The node:http request listener. */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** From now on /ready answers 503 and responses close their connections. */
  drain(): void;
  /**
   * Stops Apollo, terminates analyses still running in workers, writes out the audit log and
   * closes the store; call after the HTTP server stopped.
   */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

/** What a client is told when the audit file could not take the entries of its reads. */
const AUDIT_UNAVAILABLE_MESSAGE =
  'Unmasked personal data is not served while its reads cannot be written to the audit log; try again once the server can write it.';

/**
 * Reads the body up to a size cap. Past the cap it stops reading (the stream stays paused and the
 * 413 response closes the connection), so an endless body costs no more than the cap.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body is over ${maxBytes} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(() => reject(tooLarge()));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', (err) => settle(() => reject(err)));
  });
}

/**
 * A JSON request body, read without the byte-order mark some Windows tools put before it (RFC 8259
 * lets a parser ignore one); an empty body is an empty object.
 */
function parseJsonBody(text: string): unknown {
  const json = withoutByteOrderMark(text);
  try {
    return json ? JSON.parse(json) : {};
  } catch {
    throw new HttpError(400, ErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
  }
}

/** The methods /graphql answers (HEAD as GET, for the explorer). */
const GRAPHQL_METHODS = ['GET', 'HEAD', 'POST'];

function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}

/**
 * Logs a warning when the store holds part of an import that did not finish: every answer then
 * comes from part of a bundle (`stats { unfinishedImports }` tells clients). A store that cannot be
 * read now does not stop the server, which answers UNAVAILABLE until it can.
 */
async function logUnfinishedImport(store: TraceStore, logger: Logger): Promise<void> {
  try {
    for (const unfinished of await store.unfinishedImports()) {
      logger.warn({ unfinishedImport: unfinished }, describeUnfinishedImport(store.location, unfinished));
    }
  } catch (err) {
    logger.warn({ err }, 'cannot tell whether the store holds part of an import that did not finish');
  }
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store } = options;
  const logger = options.logger ?? pino({ name: 'tracegraph-api' });
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const introspection = options.introspection ?? true;
  const keyRing = new KeyRing(options.apiKeys);
  if (keyRing.size === 0)
    logger.warn('no API keys configured (TRACEGRAPH_API_KEYS): every GraphQL request will be refused');
  // A file that cannot be appended to would withhold every unmasked read: refuse it at the start.
  if (options.auditFile) await checkAuditFile(options.auditFile, 'auditFile');
  const audit = new AuditLog({
    capacity: options.auditCapacity,
    file: options.auditFile ?? null,
    onFileError: (err) => logger.error({ err }, 'cannot append to the audit file'),
  });
  await logUnfinishedImport(store, logger);
  const schema = buildApiSchema();
  const explorer = new Explorer(options.examples ?? loadExamples());
  const analysis = new AnalysisService(store, {
    ...options.analysis,
    worker:
      options.analysis?.worker ?? (options.storeConfig ? { storeConfig: options.storeConfig } : undefined),
  });
  const chainView = new ChainViewRoutes(analysis, audit, options.assetsDir);
  let draining = false;

  const plugin: ApolloServerPlugin<ApiContext> = {
    async requestDidStart(rc) {
      // Each operation of a batched request gets a shallow copy of the context: its own warnings.
      rc.contextValue.warnings = [];
      return {
        async validationDidStart(rc) {
          // GraphQL's errors about a value written in the operation say only what is wrong and
          // where in the text: name the argument too, as variables' and resolvers' errors do.
          return async (validationErrors) => {
            if (validationErrors) nameArgumentPaths(rc.document, validationErrors);
          };
        },
        async didResolveOperation(rc) {
          // Apollo hands each operation a shallow copy of the context: the trace object is shared.
          rc.contextValue.trace.operations.push(rc.operationName ?? '(anonymous)');
          const errors = operationLimitErrors(
            schema,
            rc.document,
            rc.operationName,
            rc.request.variables,
            limits,
          );
          if (errors.length) throw errors[0];
        },
        async willSendResponse(rc) {
          flushPersonalDataReads(rc.contextValue);
          const body = rc.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          for (const e of errors ?? [])
            rc.contextValue.trace.errorCodes.add(String(e.extensions?.code ?? 'UNKNOWN'));
          const { warnings } = rc.contextValue;
          if (warnings.length && body.kind === 'single')
            body.singleResult.extensions = { ...body.singleResult.extensions, warnings };
        },
      };
    },
  };

  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    allowBatchedHttpRequests: true,
    // Automatic persisted queries are not part of the API: a request that names one is answered
    // PERSISTED_QUERY_NOT_SUPPORTED rather than by a query cache that anyone may fill.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // The server stops on signals itself (src/cli/commands/serve.ts), finishing requests in flight:
    // Apollo's own handlers (outside NODE_ENV=test) stopped it and then killed the process with the
    // signal again, cutting every request in flight.
    stopOnTerminationSignals: false,
    logger: logger.child({ component: 'apollo' }),
    plugins: [ApolloServerPluginLandingPageDisabled(), plugin],
    formatError: (formatted, error) =>
      formatApiError(formatted, error, (err) => logger.error({ err }, 'internal error while resolving')),
  });
  await apollo.start();

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string | Buffer,
  ): void {
    if (draining) headers = { ...headers, connection: 'close' };
    res.writeHead(status, headers);
    res.end(body);
  }

  function sendJson(
    res: ServerResponse,
    status: number,
    body: string,
    extra: Record<string, string> = {},
  ): void {
    send(
      res,
      status,
      { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
      body,
    );
  }

  function sendExplorer(res: ServerResponse, response: ExplorerResponse, head: boolean): void {
    send(res, response.status, response.headers, head ? '' : response.body);
  }

  async function sendGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [name, value] of response.headers) headers[name] = value;
    if (draining) headers.connection = 'close';
    res.writeHead(response.status ?? 200, headers);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function handleGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    log: Record<string, unknown>,
  ): Promise<void> {
    const viewer = keyRing.authenticate(req.headers.authorization);
    if (!viewer) {
      log.errors = [ErrorCode.UNAUTHENTICATED];
      req.resume();
      sendJson(
        res,
        401,
        errorBody(
          ErrorCode.UNAUTHENTICATED,
          'A valid API key is required: send "Authorization: Bearer <key>".',
        ),
        {
          'www-authenticate': 'Bearer realm="tracegraph"',
        },
      );
      return;
    }
    log.role = viewer.role;
    log.keyId = viewer.keyId;

    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req, limits.maxBodyBytes);
      const contentType = req.headers['content-type'] ?? '';
      body = contentType.includes('application/json') ? parseJsonBody(text) : text;
      if (Array.isArray(body) && body.length > limits.maxBatch) {
        throw new HttpError(
          400,
          ErrorCode.BATCH_TOO_LARGE,
          `The request batches ${body.length} operations; at most ${limits.maxBatch} are allowed.`,
        );
      }
    } else {
      req.resume();
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const context = createContext({ store, viewer, audit, analysis });
    let response: HTTPGraphQLResponse;
    try {
      // The reads of personal data are appended to the audit log as each operation ends
      // (willSendResponse): the response waits until they are in the file, and is withheld if not.
      response = await audit.auditedResponse(() =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: async () => context,
        }),
      );
    } catch (err) {
      if (err instanceof AuditFileError)
        throw new HttpError(503, ErrorCode.AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE);
      throw err;
    } finally {
      log.operations = context.trace.operations;
      if (context.trace.errorCodes.size) log.errors = [...context.trace.errorCodes];
    }
    await sendGraphQLResponse(res, response);
  }

  function sendRoute(
    res: ServerResponse,
    response: RouteResponse,
    head: boolean,
    log?: Record<string, unknown>,
  ): void {
    if (log && response.errorCode) log.errors = [response.errorCode];
    send(res, response.status, response.headers, head ? '' : response.body);
  }

  async function handleChainData(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    log: Record<string, unknown>,
  ): Promise<void> {
    req.resume();
    const viewer = keyRing.authenticate(req.headers.authorization);
    if (viewer) {
      log.role = viewer.role;
      log.keyId = viewer.keyId;
    }
    let response: RouteResponse;
    const unavailableResponse = (code: string, message: string): RouteResponse => ({
      status: 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: errorBody(code, message),
      errorCode: code,
    });
    try {
      // Names read unmasked are audited: the data is sent only once the entry is in the file.
      response = await audit.auditedResponse(() => chainView.data(viewer, url.searchParams));
    } catch (err) {
      if (err instanceof AuditFileError)
        response = unavailableResponse(ErrorCode.AUDIT_UNAVAILABLE, AUDIT_UNAVAILABLE_MESSAGE);
      else if (isStoreUnavailable(err))
        response = unavailableResponse(ErrorCode.UNAVAILABLE, unavailable().message);
      else throw err;
    }
    sendRoute(res, response, req.method === 'HEAD', log);
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    log: Record<string, unknown>,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    const path = url.pathname;
    if (path === '/health' && readOnly) {
      sendJson(res, 200, JSON.stringify({ status: 'ok' }));
    } else if (path === '/ready' && readOnly) {
      if (draining) {
        sendJson(res, 503, JSON.stringify({ status: 'stopping' }));
        return;
      }
      try {
        await store.ping();
        sendJson(res, 200, JSON.stringify({ status: 'ready', store: store.kind }));
      } catch (err) {
        log.storeError = (err as Error).name;
        sendJson(res, 503, JSON.stringify({ status: 'unavailable', store: store.kind }));
      }
    } else if ((path === '/' && readOnly) || (path === '/graphql' && readOnly && prefersHtml(req))) {
      sendExplorer(res, explorer.page(req.headers['accept-encoding']), method === 'HEAD');
    } else if (path.startsWith(EXPLORER_PREFIX) && readOnly) {
      const asset = explorer.asset(path.slice(EXPLORER_PREFIX.length), req.headers['accept-encoding']);
      if (asset) sendExplorer(res, asset, method === 'HEAD');
      else sendJson(res, 404, JSON.stringify({ error: 'not found' }));
    } else if ((path === CHAIN_VIEW_BASE || path === `${CHAIN_VIEW_BASE}/`) && readOnly) {
      req.resume();
      sendRoute(res, chainView.page(), method === 'HEAD');
    } else if (path === CHAIN_DATA_PATH && readOnly) {
      await handleChainData(req, res, url, log);
    } else if (path.startsWith(`${CHAIN_VIEW_BASE}/`) && readOnly) {
      req.resume();
      sendRoute(res, chainView.asset(path.slice(CHAIN_VIEW_BASE.length + 1)), method === 'HEAD', log);
    } else if (path === '/graphql' && !GRAPHQL_METHODS.includes(method)) {
      // Said here: Apollo would refuse a DELETE without a body as a cross-site request forgery.
      req.resume();
      log.errors = [ErrorCode.BAD_REQUEST];
      sendJson(
        res,
        405,
        errorBody(ErrorCode.BAD_REQUEST, `/graphql takes GET and POST requests, not ${method}.`),
        { allow: GRAPHQL_METHODS.join(', ') },
      );
    } else if (path === '/graphql') {
      await handleGraphQL(req, res, url, log);
    } else {
      req.resume();
      sendJson(res, 404, JSON.stringify({ error: 'not found' }));
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    // Only the path: a query string may carry variables, which may carry personal data.
    const log: Record<string, unknown> = { method: req.method, path: (req.url ?? '/').split('?')[0] };
    res.on('finish', () => {
      log.status = res.statusCode;
      log.durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      logger.info(log, 'request');
    });
    route(req, res, log).catch((err: unknown) => {
      if (err instanceof HttpError) {
        log.errors = [err.code];
        if (!res.headersSent)
          sendJson(res, err.status, errorBody(err.code, err.message), { connection: 'close' });
        req.resume();
        return;
      }
      logger.error({ err }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
      else res.destroy();
    });
  };

  return {
    schema,
    audit,
    limits,
    analysis,
    listener,
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      await apollo.stop();
      await analysis.close();
      await audit.flush();
      if (options.closeStore ?? true) await store.close();
    },
  };
}

export interface RunningApiServer {
  readonly api: ApiServer;
  readonly httpServer: http.Server;
  readonly host: string;
  readonly port: number;
  /** e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes everything. */
  stop(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  /** Default 127.0.0.1; use 0.0.0.0 in a container. */
  host?: string;
  /** Connections still open this long after stop() began are cut (default 10 s). */
  shutdownTimeoutMs?: number;
}

export async function startApiServer(
  options: ApiServerOptions,
  listen: ListenOptions,
): Promise<RunningApiServer> {
  const api = await createApiServer(options);
  const host = listen.host ?? '127.0.0.1';
  const httpServer = http.createServer(api.listener);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(listen.port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await api.close();
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      api.drain();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const force = setTimeout(() => httpServer.closeAllConnections(), listen.shutdownTimeoutMs ?? 10_000);
      force.unref();
      await closed;
      clearTimeout(force);
      await api.close();
    })());
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { api, httpServer, host, port, url: `http://${urlHost}:${port}`, stop };
}
