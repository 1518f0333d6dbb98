/**
 * The API's error vocabulary: every error a client sees carries `extensions.code`
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, UNAVAILABLE, query limit codes, or
 * INTERNAL_SERVER_ERROR with no detail), and store outages never crash a request.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { StoreUnavailableError } from '../domain/errors';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAVAILABLE: 'UNAVAILABLE',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST: 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/** One problem with one input field, by its argument path (e.g. `stays[3].end`). */
export interface InputProblem {
  path: string;
  reason: string;
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

/** A StoreUnavailableError, also when it crossed a module boundary (matched by name). */
export function isStoreUnavailable(err: unknown): boolean {
  return (
    err instanceof StoreUnavailableError || (err instanceof Error && err.name === 'StoreUnavailableError')
  );
}

/** Store outages become UNAVAILABLE errors where they happen, so the rest of the response survives. */
export const storeErrorsAsGraphQLErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (err) {
    if (isStoreUnavailable(err)) throw unavailable();
    throw err;
  }
};

/**
 * What a client may see of an error: our coded errors and GraphQL's own pass; anything else is
 * an internal error, reported without its message (which could hold data) and passed to `onInternal`.
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
  if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (original instanceof GraphQLError && !original.originalError) return formatted;
  onInternal(original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
