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
  // Neo4j Community has one database: suites that use it must not run at the same time.
  maxWorkers: 1,
  testTimeout: 60_000,
};
