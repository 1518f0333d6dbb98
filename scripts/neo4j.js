#!/usr/bin/env node
// `npm run neo4j`: a local Neo4j 5.26 Community for tracegraph, without Docker.
// Usage: npm run neo4j -- [--home DIR] [--port 7687] [--password SECRET]
// Data stays under DIR (default ./.neo4j); stops cleanly on Ctrl-C or SIGTERM.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiledLauncher = path.join(root, 'dist', 'src', 'store', 'neo4j', 'launcher.js');

function usage(problem) {
  if (problem) process.stderr.write(`neo4j: ${problem}\n`);
  process.stderr.write('usage: npm run neo4j -- [--home DIR] [--port PORT] [--password SECRET]\n');
  process.exit(problem ? 2 : 0);
}

function parseArgs(argv) {
  const options = { home: path.join(root, '.neo4j'), port: 7687, password: 'tracegraph' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${name} needs a value`);
      return v;
    };
    if (name === '--home') options.home = path.resolve(value());
    else if (name === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        usage(`--port must be a port number from 1 to 65535`);
      options.port = port;
    } else if (name === '--password') {
      options.password = value();
      // Neo4j 5 refuses passwords shorter than 8 characters.
      if (options.password.length < 8) usage('--password must have at least 8 characters');
    } else if (name === '--help' || name === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  return options;
}

function loadLauncher() {
  if (!existsSync(compiledLauncher)) {
    process.stderr.write('building tracegraph (npx tsc -p tsconfig.build.json) ...\n');
    // The build may report type errors elsewhere and still emit the launcher; what matters is the file.
    spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (!existsSync(compiledLauncher)) {
      process.stderr.write(`neo4j: the build did not produce ${path.relative(root, compiledLauncher)}\n`);
      process.exit(1);
    }
  }
  return require(compiledLauncher);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { launchNeo4j } = loadLauncher();
  process.stderr.write(`starting Neo4j on 127.0.0.1:${options.port} with data in ${options.home} ...\n`);
  const started = Date.now();
  const neo4j = await launchNeo4j({
    home: options.home,
    port: options.port,
    password: options.password,
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  process.stderr.write(
    `Neo4j is ready after ${((Date.now() - started) / 1000).toFixed(1)} s. In another shell:\n`,
  );
  process.stdout.write(
    `export NEO4J_URI=${neo4j.uri}\nexport NEO4J_USER=${neo4j.user}\nexport NEO4J_PASSWORD=${neo4j.password}\n`,
  );
  process.stderr.write('Press Ctrl-C to stop.\n');

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping Neo4j ...\n`);
    neo4j.stop().then(
      () => {
        process.stderr.write('Neo4j stopped.\n');
        process.exit(0);
      },
      (err) => {
        process.stderr.write(`neo4j: could not stop cleanly: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  neo4j.process.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`neo4j: the server exited unexpectedly (code ${code}, signal ${signal})\n`);
    process.exit(1);
  });
}

main().catch((err) => {
  process.stderr.write(`neo4j: ${err.message}\n`);
  process.exit(1);
});
