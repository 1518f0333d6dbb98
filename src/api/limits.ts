/**
 * Limits on what one operation may ask for: selection depth, number of aliases, and a cost
 * estimate (graphql-query-complexity: each field costs 1, a list or connection multiplies what is
 * under it by its page size). Introspection (`__schema`, `__type`, `__typename`) counts towards
 * the aliases and the cost like any other field: its lists are priced by this schema's own sizes
 * (all its types, their fields on average, ...), so that an estimate follows the size of the
 * answer, and one operation holds at most two full introspections (the explorer's one is about
 * 8,000). Only depth leaves introspection out: a type reference nests `ofType` seven levels deep,
 * and graphql-js's MaxIntrospectionDepthRule already bounds how deep introspection may go.
 */
import {
  GraphQLError,
  isAbstractType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isEnumType,
  isWrappingType,
  Kind,
  type GraphQLType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
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
      // An alias of an introspection field (even of `__typename`) is an alias like any other.
      if (selection.alias) aliases++;
      const inner = measure(selection.selectionSet, fragments, measured);
      if (!selection.name.value.startsWith('__')) depth = Math.max(depth, 1 + inner.depth);
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

/**
 * How many items each list of the introspection types holds in this schema, on average where it
 * is asked of every type or field (`types { fields { args } }`); `__Type.ofType`: the share of type
 * references wrapped once more (NonNull, List), so that a chain of `ofType` costs what it returns.
 */
function introspectionSizes(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  let fields = 0;
  let fieldArgs = 0;
  let interfaces = 0;
  let possibleTypes = 0;
  let enumValues = 0;
  let inputFields = 0;
  let references = 0;
  let wrappers = 0;
  const reference = (type: GraphQLType) => {
    references++;
    for (let t: GraphQLType = type; isWrappingType(t); t = t.ofType) wrappers++;
  };
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      interfaces += type.getInterfaces().length;
      for (const field of Object.values(type.getFields())) {
        fields++;
        fieldArgs += field.args.length;
        reference(field.type);
        for (const arg of field.args) reference(arg.type);
      }
    }
    if (isAbstractType(type)) possibleTypes += schema.getPossibleTypes(type).length;
    if (isEnumType(type)) enumValues += type.getValues().length;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        inputFields++;
        reference(field.type);
      }
    }
  }
  let directiveArgs = 0;
  for (const directive of directives) {
    directiveArgs += directive.args.length;
    for (const arg of directive.args) reference(arg.type);
  }
  const perType = (n: number) => n / Math.max(1, types.length);
  return new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', directives.length],
    ['__Type.fields', perType(fields)],
    ['__Type.interfaces', perType(interfaces)],
    ['__Type.possibleTypes', perType(possibleTypes)],
    ['__Type.enumValues', perType(enumValues)],
    ['__Type.inputFields', perType(inputFields)],
    ['__Type.ofType', wrappers / Math.max(1, references + wrappers)],
    ['__Field.args', fieldArgs / Math.max(1, fields)],
    ['__Directive.args', directiveArgs / Math.max(1, directives.length)],
  ]);
}

const introspectionEstimators = new WeakMap<GraphQLSchema, ComplexityEstimator>();

/** Prices the lists of the introspection types by their sizes in this schema (other fields: undefined). */
function introspectionEstimator(schema: GraphQLSchema): ComplexityEstimator {
  let estimator = introspectionEstimators.get(schema);
  if (!estimator) {
    const sizes = introspectionSizes(schema);
    estimator = ({ type, field, childComplexity }) => {
      const size = sizes.get(`${type.name}.${field.name}`);
      return size === undefined ? undefined : Math.ceil(1 + childComplexity * size);
    };
    introspectionEstimators.set(schema, estimator);
  }
  return estimator;
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
        estimators: [
          introspectionEstimator(schema),
          fieldExtensionsEstimator(),
          simpleEstimator({ defaultComplexity: 1 }),
        ],
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
