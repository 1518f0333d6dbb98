#!/usr/bin/env node
// `npm run bench`: tracegraph's benchmarks side by side with plain Cypher, LOAD CSV and csv-parse.
// Usage: npm run bench -- [--sizes 10000,100000,1000000] [--runs N] [--only import,contacts,analysis,api]
// (`npm run bench -- --help` lists every option). Runs bench/run.ts with tsx; each measurement runs
// in its own process so its peak memory is its own. Writes bench/RESULTS.md and bench/results.json.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench', 'run.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// Ctrl-C reaches the runner too (same process group); wait for it to save and stop Neo4j.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
