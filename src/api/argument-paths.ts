/**
 * Names where a value written in an operation sits, for the errors GraphQL's validation reports
 * about it: those say what is wrong and give a line and column, not which argument is meant.
 * A path is the field's response path as written (aliases, as `pathText` names response paths),
 * then the argument, list positions and input fields: `upsertPersons.persons[2].age`,
 * `boat.crew.from`. In a fragment the path starts at the fragment (`...Crew.crew.from`); a
 * directive's argument follows the field it is on (`person@include.if`); a variable's default
 * value is named by the variable (`$since`, `$persons[1].age`), as GraphQL names variable paths.
 */
import { BREAK, GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

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
