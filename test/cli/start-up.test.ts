/**
 * What the command line loads before it runs a command: every command starts from the same
 * main module, so a heavy module loaded there (the API, the Neo4j driver, the analysis) slows
 * every `tracegraph` run, however small its work. They are loaded by the commands that use them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './run-cli';

const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** The files under node_modules/ and dist/ that requiring the main module (and running `argv`) loads. */
function loadedBy(argv: string[] | null, env: NodeJS.ProcessEnv = {}): string[] {
  const script =
    argv === null
      ? `require(${JSON.stringify(MAIN)});`
      : `require(${JSON.stringify(MAIN)}).run(${JSON.stringify(['node', 'tracegraph', ...argv])})`;
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      `${script}; process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } },
  );
  const last = run.stderr.trim().split('\n').pop() ?? '';
  return (JSON.parse(last) as string[]).map((file) => path.relative(ROOT, file));
}

const loads = (files: string[], what: string): boolean => files.some((file) => file.includes(what));

describe('start-up', () => {
  test('the main module loads neither the API, the Neo4j driver nor the analysis', () => {
    const files = loadedBy(null);
    expect(loads(files, 'dist/src/cli/commands/serve.js')).toBe(true);
    expect(loads(files, 'node_modules/@apollo/server/')).toBe(false);
    expect(loads(files, 'node_modules/type-graphql/')).toBe(false);
    expect(loads(files, 'node_modules/neo4j-driver/')).toBe(false);
    expect(loads(files, 'dist/src/analysis/analyse.js')).toBe(false);
  });

  test('a command on Neo4j loads the driver when it opens the store', () => {
    // Nothing listens on port 1: the command fails to connect, after loading the driver.
    const files = loadedBy(['stats'], { NEO4J_URI: 'bolt://127.0.0.1:1', TRACEGRAPH_DATA: '' });
    expect(loads(files, 'node_modules/neo4j-driver/')).toBe(true);
    expect(loads(files, 'node_modules/@apollo/server/')).toBe(false);
  });
});
