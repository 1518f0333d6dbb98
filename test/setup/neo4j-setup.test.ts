import globalSetup from './global-setup';
import { neo4jTestConfig, neo4jTestVariables } from './neo4j';

/** Runs `body` with `vars` set in the environment (undefined: unset), then puts them back. */
async function withEnv(vars: Record<string, string | undefined>, body: () => unknown): Promise<void> {
  const before = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const set = (values: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(vars);
  try {
    await body();
  } finally {
    set(before);
  }
}

describe('the Neo4j servers of the test run', () => {
  test('each jest worker is pointed at its own server, by its JEST_WORKER_ID', async () => {
    const servers = {
      ...neo4jTestVariables(1, { uri: 'bolt://127.0.0.1:1001', user: 'neo4j', password: 'one' }),
      ...neo4jTestVariables(2, { uri: 'bolt://127.0.0.1:1002', user: 'neo4j', password: 'two' }),
    };
    await withEnv({ ...servers, JEST_WORKER_ID: '2' }, () =>
      expect(neo4jTestConfig()).toEqual({ uri: 'bolt://127.0.0.1:1002', user: 'neo4j', password: 'two' }),
    );
    await withEnv({ ...servers, JEST_WORKER_ID: '1' }, () =>
      expect(neo4jTestConfig().uri).toBe('bolt://127.0.0.1:1001'),
    );
    await withEnv({ ...servers, JEST_WORKER_ID: '3' }, () =>
      expect(() => neo4jTestConfig()).toThrow('No Neo4j for jest worker 3'),
    );
  });

  test('one server named by NEO4J_URI is refused to more than one worker, before anything runs', async () => {
    await withEnv({ NEO4J_URI: 'bolt://127.0.0.1:1', TRACEGRAPH_TEST_NEO4J_URI_1: undefined }, async () => {
      await expect(globalSetup({ maxWorkers: 2 })).rejects.toThrow(
        'NEO4J_URI names one Neo4j, whose database the Neo4j suites clear, and jest would run 2 workers at once',
      );
      expect(process.env.TRACEGRAPH_TEST_NEO4J_URI_1).toBeUndefined();
    });
  });
});
