/** The Neo4j that global-setup started (or NEO4J_URI named), for suites that need a real one. */
export interface Neo4jTestConfig {
  uri: string;
  user: string;
  password: string;
}

export function neo4jTestConfig(): Neo4jTestConfig {
  const uri = process.env.TRACEGRAPH_TEST_NEO4J_URI;
  if (!uri) {
    throw new Error(
      'No Neo4j for the Neo4j suites: run them through `npm test` (or `npx jest`), whose global setup starts one.',
    );
  }
  return {
    uri,
    user: process.env.TRACEGRAPH_TEST_NEO4J_USER ?? 'neo4j',
    password: process.env.TRACEGRAPH_TEST_NEO4J_PASSWORD ?? '',
  };
}

/** The variables that point the command line (`bin/tracegraph.js`) at this Neo4j. */
export function neo4jCliEnv(config: Neo4jTestConfig = neo4jTestConfig()): Record<string, string> {
  return { NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password };
}
