/**
 * Jest: TypeScript through ts-jest, file by file (tsconfig's isolatedModules); type checking is
 * done once by `tsc` in `npm test`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Two workers, each with a Neo4j of its own (test/setup/global-setup.ts): Neo4j Community has one
  // database, which the Neo4j suites clear. A server named by NEO4J_URI is one: one worker.
  maxWorkers: process.env.NEO4J_URI ? 1 : 2,
  // A worker told to end emits 'exit' within milliseconds, with no handle, thread or file left
  // open, but a process of about 1 GB then takes just over the default 500 ms to be torn down on
  // two busy cores; jest killed it and warned of leaks there were none of. A real leak keeps a
  // worker alive for good, so it is still reported, after 5 s.
  workerGracefulExitTimeout: 5_000,
  testTimeout: 60_000,
};
