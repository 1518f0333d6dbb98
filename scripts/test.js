#!/usr/bin/env node
// `npm test`: type-check everything, build the CLI, then run jest (whose global setup starts a
// real Neo4j unless NEO4J_URI is set). Extra arguments go to jest. Ends with one plain line
// `jest: N passed, N failed, N skipped`.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args) {
  process.stderr.write(`\n> ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.stderr.write(`\n${label} failed (exit ${r.status ?? r.signal})\n`);
  return r.status ?? 1;
}

if (run('type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);
if (run('build', bin('tsc'), ['-p', 'tsconfig.build.json']) !== 0) process.exit(1);
mkdirSync(path.join(root, 'test-output'), { recursive: true });
const results = path.join(root, 'test-output', 'jest-results.json');
const status = run('jest', bin('jest'), ['--json', `--outputFile=${results}`, ...process.argv.slice(2)]);
try {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numFailedTestSuites > 0) console.log(`jest: ${r.numFailedTestSuites} test suites failed`);
} catch (err) {
  console.log(`jest: results unreadable (${err.message})`);
}
process.exit(status);
