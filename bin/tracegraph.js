#!/usr/bin/env node
// The `tracegraph` command: runs the compiled command line (dist/, built by `npm run build`).
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

// Analysis allocates millions of short-lived objects (stays, exposures, evidence); with V8's
// default 16 MB semi-space, scavenges took a third of a district report's time. V8 reads the size
// only at start-up, so unless the caller chose one the command restarts itself with it.
const YOUNG_GENERATION_FLAG = '--max-semi-space-size';
const YOUNG_GENERATION_MB = 64;

function youngGenerationChosen() {
  const nodeOptions = (process.env.NODE_OPTIONS || '').split(/\s+/);
  return [...process.execArgv, ...nodeOptions].some((arg) => arg.startsWith(YOUNG_GENERATION_FLAG));
}

function restartWithYoungGeneration() {
  const child = spawn(
    process.execPath,
    [
      `${YOUNG_GENERATION_FLAG}=${YOUNG_GENERATION_MB}`,
      ...process.execArgv,
      __filename,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the child too (same process group): wait for it. A process manager's SIGTERM or
  // SIGHUP reaches this process only: pass it on.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`error: could not start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) =>
    process.exit(code ?? (signal ? 128 + (require('node:os').constants.signals[signal] || 0) : 1)),
  );
}

function runCli() {
  const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
  let cli;
  try {
    cli = require(main);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(main)) {
      process.stderr.write(
        `tracegraph is not built (${path.relative(process.cwd(), main) || main} is missing): run npm run build first\n`,
      );
      process.exit(1);
    }
    throw err;
  }
  cli.run(process.argv).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`error: ${err && err.message ? err.message : err}\n`);
      process.exit(1);
    },
  );
}

if (youngGenerationChosen()) runCli();
else restartWithYoungGeneration();
