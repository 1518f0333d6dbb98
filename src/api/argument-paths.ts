/**
 * Names where a value written in an operation sits, for the errors GraphQL's validation reports
 * about it: those say what is wrong and give a line and column, not which argument is meant.
 * A path is the field's response path as written (aliases, as `pathText` names response paths),
 * then the argument, list positions and input fields: `upsertPersons.persons[2].age`,
 * `boat.crew.from`. In a fragment the path starts at the fragment (`...Crew.crew.from`); a
 * directive's argument follows the field it is on (`person@include.if`); a variable's default
 * value is named by the variable (`$since`, `$persons[1].age`), as GraphQL names variable paths.
 * The errors of a bad variable and of an argument a resolver refuses are named in the same notation
 * when they are formatted (`withArgumentPath`).
 */
import {
  BREAK,
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLFormattedError,
} from 'graphql';

function isAstNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

/**
 * The path of the last of `chain` (the document down to the node, arrays between included), if it
 * lies in an argument or a variable's default value; `keys[i]` leads from `chain[i]` to `chain[i + 1]`.
 */
function valuePath(chain: readonly unknown[], keys: readonly (string | number)[]): string | undefined {
  let text = '';
  let inValue = false;
  const child = (name: string) => (text = text ? `${text}.${name}` : name);
  chain.forEach((node, i) => {
    if (!isAstNode(node)) return;
    switch (node.kind) {
      case Kind.OPERATION_DEFINITION:
        text = '';
        break;
      case Kind.FRAGMENT_DEFINITION:
        text = `...${node.name.value}`;
        break;
      case Kind.VARIABLE_DEFINITION:
        text = `$${node.variable.name.value}`;
        inValue = keys[i] === 'defaultValue';
        break;
      case Kind.FIELD:
        child((node.alias ?? node.name).value);
        break;
      case Kind.DIRECTIVE:
        text += `@${node.name.value}`;
        break;
      case Kind.ARGUMENT:
        child(node.name.value);
        inValue = true;
        break;
      case Kind.OBJECT_FIELD:
        child(node.name.value);
        break;
      case Kind.LIST:
        // keys[i] is 'values'; the next key is the item's position in the list.
        if (i + 2 < chain.length) text += `[${keys[i + 1]}]`;
        break;
      default:
        break;
    }
  });
  return inValue ? text : undefined;
}

/**
 * The value path of each of `errors` that points into an argument or a variable's default value:
 * that of its first node that does (GraphQL's validation errors carry the AST nodes of `document`
 * they are about). One walk of the document, ended once every node is found.
 */
export function argumentPathsOf(
  document: DocumentNode,
  errors: readonly GraphQLError[],
): Map<GraphQLError, string> {
  const pending = new Set<ASTNode>(errors.flatMap((e) => e.nodes ?? []));
  const pathOfNode = new Map<ASTNode, string>();
  if (pending.size > 0) {
    visit(document, {
      enter(node, _key, parent, keys, ancestors) {
        if (!pending.has(node)) return undefined;
        pending.delete(node);
        const path = parent === undefined ? undefined : valuePath([...ancestors, parent, node], keys);
        if (path !== undefined) pathOfNode.set(node, path);
        return pending.size === 0 ? BREAK : undefined;
      },
    });
  }
  const paths = new Map<GraphQLError, string>();
  for (const error of errors) {
    const path = (error.nodes ?? []).map((n) => pathOfNode.get(n)).find((p) => p !== undefined);
    if (path !== undefined) paths.set(error, path);
  }
  return paths;
}

/**
 * Prefixes the message of each validation error about a written value with its path and sets
 * `extensions.argumentPath`. Called from Apollo's validation end hook, where the errors are still
 * GraphQL's own (Apollo's suggestion-hiding plugin edits their messages there too), before Apollo
 * wraps them as GRAPHQL_VALIDATION_FAILED, copying message and extensions.
 */
export function nameArgumentPaths(document: DocumentNode, errors: readonly Error[]): void {
  const graphQLErrors = errors.filter((e): e is GraphQLError => e instanceof GraphQLError);
  for (const [error, path] of argumentPathsOf(document, graphQLErrors)) {
    error.message = `${path}: ${error.message}`;
    error.extensions.argumentPath = path;
  }
}

/**
 * A field's response path as the operation writes it, without the positions of the lists it lies
 * in: the argument belongs to the field as written (`cases.contacts` for `["cases", 0, "contacts"]`).
 */
export function writtenFieldPath(path: readonly (string | number)[]): string {
  return path.filter((key): key is string => typeof key === 'string').join('.');
}

/** `field`, then `relative`, an argument path from the field (`first`, `persons[2].age`, or none). */
export function joinArgumentPath(field: string, relative: string): string {
  if (!relative || !field) return field || relative;
  return relative.startsWith('[') ? `${field}${relative}` : `${field}.${relative}`;
}

/** ` at "persons[2].age"` at the end of a text: the variable's name, then the path in it. */
const VARIABLE_PATH_AT_END = / at "([_A-Za-z][_0-9A-Za-z]*)((?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)"$/;

/**
 * The value path of an error GraphQL raised coercing a variable (`$persons[2].age`, or `$persons`
 * for the whole value), if `error` is one. GraphQL gives the path only in the message,
 * `Variable "$persons" got invalid value <value> at "persons[2].age"; <reason>`, where the reason
 * is the message of the original error and the value may hold any text (an object's keys are
 * printed unquoted): the path is read only right before the reason, where no value can end so.
 */
export function variablePathOf(error: GraphQLError): string | undefined {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = node.variable.name.value;
  const reason = error.originalError === error ? undefined : error.originalError?.message;
  if (
    reason === undefined ||
    !error.message.startsWith(`Variable "$${name}" got invalid value `) ||
    !error.message.endsWith(`; ${reason}`)
  )
    return `$${name}`;
  const match = VARIABLE_PATH_AT_END.exec(error.message.slice(0, -(reason.length + 2)));
  return match?.[1] === name ? `$${name}${match[2]}` : `$${name}`;
}

interface ProblemShape {
  path: string;
  argumentPath?: unknown;
}

function isProblem(value: unknown): value is ProblemShape {
  return typeof value === 'object' && value !== null && typeof (value as ProblemShape).path === 'string';
}

/**
 * A BAD_USER_INPUT error as formatted, with `extensions.argumentPath`: a bad variable's path, or,
 * for an argument a resolver refused, each problem's path after the field's (the problem then
 * carries it too) and the first problem's as the error's. An error already naming its argument
 * path, or naming none that can be told, is returned as it is.
 */
export function withArgumentPath(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  if (extensions.argumentPath !== undefined) return formatted;
  const variablePath = error instanceof GraphQLError ? variablePathOf(error) : undefined;
  if (variablePath !== undefined) {
    return { ...formatted, extensions: { ...extensions, argumentPath: variablePath } };
  }
  if (!formatted.path || !Array.isArray(extensions.problems)) return formatted;
  const field = writtenFieldPath(formatted.path);
  const problems: unknown[] = extensions.problems.map((p: unknown) =>
    isProblem(p) && p.argumentPath === undefined
      ? { ...p, argumentPath: joinArgumentPath(field, p.path) }
      : p,
  );
  const first = problems[0];
  if (!isProblem(first)) return formatted;
  return { ...formatted, extensions: { ...extensions, argumentPath: first.argumentPath, problems } };
}
