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
  testTimeout: 60_000,
};
