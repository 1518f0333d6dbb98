/**
 * The API's error vocabulary: every error a client sees carries `extensions.code`
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, UNAVAILABLE, STORE_BUSY, AUDIT_UNAVAILABLE, query
 * limit codes, Apollo's GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
 * OPERATION_RESOLUTION_FAILURE, BAD_REQUEST and PERSISTED_QUERY_NOT_SUPPORTED, or
 * INTERNAL_SERVER_ERROR with no detail; README's "Error codes" lists them, and a test checks that
 * list against these and Apollo's), and store outages never crash a request. Validation
 * errors about a value written in the operation, BAD_USER_INPUT about a variable and those a
 * resolver raises also name the value's `extensions.argumentPath` (src/api/argument-paths.ts).
 */
import { GraphQLError, responsePathAsArray, type GraphQLFormattedError } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import type { MiddlewareFn } from 'type-graphql';
import { StoreBusyError, StoreUnavailableError } from '../domain/errors';
import { withArgumentPath, writtenFieldPath } from './argument-paths';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAVAILABLE: 'UNAVAILABLE',
  STORE_BUSY: 'STORE_BUSY',
  /** Unmasked personal data was read but its audit entry could not be written: the data is withheld. */
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST: 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/**
 * One problem with one input field, by its argument path from the field (e.g. `stays[3].end`);
 * `argumentPath`, the path from the operation (`addStays.stays[3].end`), is added when the error
 * is formatted, where the field's path is known.
 */
export interface InputProblem {
  path: string;
  reason: string;
  argumentPath?: string;
}

export function badUserInput(problems: InputProblem[]): GraphQLError {
  const shown = problems.slice(0, 20).map((p) => `${p.path}: ${p.reason}`);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  return new GraphQLError(shown.join('; '), {
    extensions: { code: ErrorCode.BAD_USER_INPUT, problems: problems.slice(0, 100) },
  });
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError('A valid API key is required: send "Authorization: Bearer <key>".', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });
}

export function forbidden(what: string, role: string): GraphQLError {
  return new GraphQLError(`The ${role} role may not use ${what}.`, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

export function unavailable(): GraphQLError {
  return new GraphQLError('The store is unavailable; try again shortly.', {
    extensions: { code: ErrorCode.UNAVAILABLE },
  });
}

/**
 * A write refused while an import or another writer holds the store (StoreBusyError), saying which
 * writes wait for it, or a read refused while another process holds the store: said without the
 * store's address or the importing host, which are no business of the API's clients.
 */
export function storeBusy(err: StoreBusyError): GraphQLError {
  if (err.refused === 'read') {
    return new GraphQLError(
      'Another process is holding the store; nothing could be read: try again shortly.',
      {
        extensions: { code: ErrorCode.STORE_BUSY },
      },
    );
  }
  const holder = err.since
    ? `An import has been writing to the store since ${err.since}`
    : 'An import or another write is holding the store';
  const then =
    err.heldBack === 'every-write'
      ? 'try again when it ends'
      : 'persons, places, boats and lots not yet in it can be added when it ends';
  return new GraphQLError(`${holder}; ${then}. Nothing was written.`, {
    extensions: { code: ErrorCode.STORE_BUSY },
  });
}

/** A StoreUnavailableError, also when it crossed a module boundary (matched by name). */
export function isStoreUnavailable(err: unknown): boolean {
  return (
    err instanceof StoreUnavailableError || (err instanceof Error && err.name === 'StoreUnavailableError')
  );
}

/**
 * A refusal of the field being resolved, thrown where its path is not known (a helper shared by
 * many resolvers); `fieldInputErrors` turns it into BAD_USER_INPUT naming the field's path.
 */
export class FieldInputError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FieldInputError';
  }
}

/** A response path as the API names paths in errors: `a.edges[0].node.quarantine`. */
export function pathText(path: Path | undefined): string {
  let text = '';
  for (let p = path; p; p = p.prev) {
    text = typeof p.key === 'number' ? `[${p.key}]${text}` : `${p.prev ? '.' : ''}${p.key}${text}`;
  }
  return text;
}

/** FieldInputErrors become BAD_USER_INPUT errors naming the path of the field that threw them. */
export const fieldInputErrors: MiddlewareFn = async ({ info }, next) => {
  try {
    return await next();
  } catch (err) {
    if (err instanceof FieldInputError) {
      // The field itself is refused: its argument path is the field's own.
      const argumentPath = writtenFieldPath(responsePathAsArray(info.path));
      throw badUserInput([{ path: pathText(info.path), reason: err.reason, argumentPath }]);
    }
    throw err;
  }
};

/**
 * Store outages become UNAVAILABLE errors where they happen, so the rest of the response survives;
 * a write refused while an import or another writer holds the store becomes STORE_BUSY.
 */
export const storeErrorsAsGraphQLErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (err) {
    if (isStoreUnavailable(err)) throw unavailable();
    if (err instanceof StoreBusyError) throw storeBusy(err);
    throw err;
  }
};

/** The HTTP status an error raised by Apollo itself asks for (`extensions.http.status`), if any. */
function httpStatusOf(error: GraphQLError): number | undefined {
  const http = error.extensions.http as { status?: unknown } | undefined;
  return typeof http?.status === 'number' ? http.status : undefined;
}

/**
 * What a client may see of an error: coded errors (ours, GraphQL's and Apollo's: parse and
 * validation failures, BAD_REQUEST, PERSISTED_QUERY_NOT_SUPPORTED, ...) pass; an error Apollo
 * raises about the request without a code but with a 4xx status becomes BAD_REQUEST; anything else,
 * GraphQL's own errors without a code included, is an internal error, reported without its message
 * (which could hold data) and passed to `onInternal`.
 */
export function formatApiError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (err: unknown) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (isStoreUnavailable(original)) {
    return { ...formatted, message: unavailable().message, extensions: { code: ErrorCode.UNAVAILABLE } };
  }
  const code = formatted.extensions?.code;
  if (code === ErrorCode.BAD_USER_INPUT) return withArgumentPath(formatted, error);
  if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (original instanceof GraphQLError && !original.originalError) {
    const status = httpStatusOf(original);
    if (status !== undefined && status >= 400 && status < 500) {
      return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_REQUEST } };
    }
  }
  onInternal(original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
