/** The Neo4j that global-setup started for this jest worker (or NEO4J_URI named), for suites that need a real one. */
export interface Neo4jTestConfig {
  uri: string;
  user: string;
  password: string;
}

/** The variables by which global-setup tells worker `worker` (JEST_WORKER_ID, from 1) its server. */
export function neo4jTestVariables(worker: number, config: Neo4jTestConfig): Record<string, string> {
  return {
    [`TRACEGRAPH_TEST_NEO4J_URI_${worker}`]: config.uri,
    [`TRACEGRAPH_TEST_NEO4J_USER_${worker}`]: config.user,
    [`TRACEGRAPH_TEST_NEO4J_PASSWORD_${worker}`]: config.password,
  };
}

export function neo4jTestConfig(): Neo4jTestConfig {
  // Jest runs a lone suite in its own process, without a worker id: the first server is its own.
  const worker = process.env.JEST_WORKER_ID ?? '1';
  const uri = process.env[`TRACEGRAPH_TEST_NEO4J_URI_${worker}`];
  if (!uri) {
    throw new Error(
      `No Neo4j for jest worker ${worker}: run the Neo4j suites through \`npm test\` (or \`npx jest\`), whose global setup starts one per worker.`,
    );
  }
  return {
    uri,
    user: process.env[`TRACEGRAPH_TEST_NEO4J_USER_${worker}`] ?? 'neo4j',
    password: process.env[`TRACEGRAPH_TEST_NEO4J_PASSWORD_${worker}`] ?? '',
  };
}

/** The variables that point the command line (`bin/tracegraph.js`) at this Neo4j. */
export function neo4jCliEnv(config: Neo4jTestConfig = neo4jTestConfig()): Record<string, string> {
  return { NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password };
}
