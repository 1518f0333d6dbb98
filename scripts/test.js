#!/usr/bin/env node
// `npm test`: type-check everything, build the CLI, then run jest (whose global setup starts a
// real Neo4j unless NEO4J_URI is set). Extra arguments go to jest.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args) {
  process.stderr.write(`\n> ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`\n${label} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

run('type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
run('jest', bin('jest'), process.argv.slice(2));
