/**
 * Limits on what one operation may ask for: selection depth, number of aliases, and a cost
 * estimate (graphql-query-complexity: each field costs 1, a list or connection multiplies what is
 * under it by its page size). Introspection fields are not counted.
 */
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ErrorCode } from './errors';

export interface ApiLimits {
  /** Deepest nesting of fields (a connection's edges and node count as levels). */
  maxDepth: number;
  /** Aliased fields per operation. */
  maxAliases: number;
  /** Estimated cost per operation. */
  maxComplexity: number;
  /** Operations per batched HTTP request. */
  maxBatch: number;
  /** Bytes of request body. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxComplexity: 20_000,
  maxBatch: 10,
  maxBodyBytes: 1024 * 1024,
};

function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

interface Measure {
  depth: number;
  aliases: number;
}

/**
 * Depth and alias count of a selection set as executed (fragments expanded). A fragment's measure
 * does not depend on where it is spread, so it is computed once: a chain of fragments that each
 * spread the next several times stays linear.
 */
function measure(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  measured: Map<string, Measure>,
): Measure {
  let depth = 0;
  let aliases = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      if (selection.alias) aliases++;
      const inner = measure(selection.selectionSet, fragments, measured);
      depth = Math.max(depth, 1 + inner.depth);
      aliases += inner.aliases;
    } else {
      let inner: Measure;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet, fragments, measured);
      } else {
        const name = selection.name.value;
        const known = measured.get(name);
        const fragment = fragments.get(name);
        if (known) inner = known;
        else if (!fragment) continue;
        else {
          // Placeholder first: a (spec-invalid) cycle then ends instead of recursing forever.
          measured.set(name, { depth: 0, aliases: 0 });
          inner = measure(fragment.selectionSet, fragments, measured);
          measured.set(name, inner);
        }
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
  }
  return { depth, aliases };
}

function selectedOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
}

/** The errors (at most one per limit) of the operation that will run; empty when within limits. */
export function operationLimitErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  limits: ApiLimits,
): GraphQLError[] {
  const operation = selectedOperation(document, operationName);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const errors: GraphQLError[] = [];
  const { depth, aliases } = measure(operation.selectionSet, fragments, new Map());
  if (depth > limits.maxDepth) {
    errors.push(
      limitError(
        ErrorCode.QUERY_TOO_DEEP,
        `The query is ${depth} levels deep; at most ${limits.maxDepth} are allowed.`,
      ),
    );
  }
  if (aliases > limits.maxAliases) {
    errors.push(
      limitError(
        ErrorCode.TOO_MANY_ALIASES,
        `The query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`,
      ),
    );
  }
  if (!errors.length) {
    let cost: number;
    try {
      cost = getComplexity({
        schema,
        query: document,
        operationName: operation.name?.value,
        variables: variables ?? {},
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch (err) {
      // Variables that do not fit their types are reported by execution, with their paths.
      if (!/maximum allowed number of nodes/.test((err as Error).message)) return errors;
      return [limitError(ErrorCode.QUERY_TOO_COMPLEX, 'The query has too many fields to price.')];
    }
    if (cost > limits.maxComplexity) {
      errors.push(
        limitError(
          ErrorCode.QUERY_TOO_COMPLEX,
          `The query would cost ${cost}; at most ${limits.maxComplexity} is allowed.`,
        ),
      );
    }
  }
  return errors;
}
