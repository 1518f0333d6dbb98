/**
 * The explorer's preloaded operations, read from schema/examples.graphql: each operation becomes
 * one tab; a comment line `# variables: {...}` just above an operation gives its variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DefinitionNode } from 'graphql';

export interface ExampleOperation {
  name: string;
  query: string;
  /** JSON text, as the explorer's variables editor shows it. */
  variables?: string;
}

/** Finds a file of the project (e.g. `schema/examples.graphql`) from here, whether run from src or dist. */
export function projectFile(relative: string, from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} not found above ${from}`);
  }
}

export function parseExamples(text: string, file = 'examples.graphql'): ExampleOperation[] {
  const document = parse(text, { noLocation: false });
  const fragments = document.definitions
    .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => text.slice(d.loc!.start, d.loc!.end));
  const examples: ExampleOperation[] = [];
  let previousEnd = 0;
  for (const definition of document.definitions as DefinitionNode[]) {
    const start = definition.loc!.start;
    const between = text.slice(previousEnd, start);
    previousEnd = definition.loc!.end;
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error(`${file}: every example operation needs a name`);
    const variablesLine = between
      .split('\n')
      .map((line) => /^\s*#\s*variables:\s*(.+)$/.exec(line)?.[1])
      .filter((v): v is string => v !== undefined)
      .at(-1);
    let variables: string | undefined;
    if (variablesLine) {
      try {
        variables = JSON.stringify(JSON.parse(variablesLine), null, 2);
      } catch (err) {
        throw new Error(`${file}: variables of ${name} are not JSON: ${(err as Error).message}`);
      }
    }
    const body = text.slice(start, definition.loc!.end);
    const used = fragments.filter((f) => {
      const fragmentName = /^fragment\s+(\w+)/.exec(f)?.[1];
      return fragmentName !== undefined && body.includes(`...${fragmentName}`);
    });
    examples.push({ name, query: [body, ...used].join('\n\n') + '\n', ...(variables ? { variables } : {}) });
  }
  return examples;
}

/** The examples checked in at schema/examples.graphql. */
export function loadExamples(
  file = projectFile(path.join('schema', 'examples.graphql')),
): ExampleOperation[] {
  return parseExamples(readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}
