#!/usr/bin/env node
// The `tracegraph` command: runs the compiled command line (dist/, built by `npm run build`).
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

// Analysis allocates millions of short-lived objects (stays, exposures, evidence); with V8's
// default 16 MB semi-space, scavenges took a third of a district report's time. And Node's default
// heap (at most about 4 GB on 64-bit, however much memory the machine has) is too small for a
// million-person district (a 6.3 GB peak): V8 would abort. V8 reads both sizes only at start-up, so unless the caller
// chose them the command restarts itself with them. Restarting, it also exposes the garbage
// collector, so that a large analysis can collect its garbage as its load and as the analysis end,
// rather than peak on top of it (src/analysis/collect-garbage.ts); without a restart V8 collects on
// its own, as usual.
const YOUNG_GENERATION_FLAG = '--max-semi-space-size';
const YOUNG_GENERATION_MB = 64;
const HEAP_FLAG = '--max-old-space-size';
/** The share of the machine's memory (or of the container's limit) the heap may grow to. */
const HEAP_SHARE = 0.75;
const EXPOSE_GC_FLAG = '--expose-gc';

/** Whether the node flags or NODE_OPTIONS set `flag` (V8 takes `_` for `-` in flag names). */
function chosen(flag) {
  const nodeOptions = (process.env.NODE_OPTIONS || '').split(/\s+/);
  return [...process.execArgv, ...nodeOptions].some((arg) =>
    arg.split('=')[0].replace(/_/g, '-').startsWith(flag),
  );
}

/** The heap size to give, in MB, or null where Node's own default is as large. */
function heapMb() {
  const os = require('node:os');
  const v8 = require('node:v8');
  // A container's memory limit, where there is one (Node reports 2^64 or 0 where there is none).
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const memory = constrained > 0 ? Math.min(constrained, os.totalmem()) : os.totalmem();
  const mb = Math.floor((memory * HEAP_SHARE) / 2 ** 20);
  return mb > v8.getHeapStatistics().heap_size_limit / 2 ** 20 ? mb : null;
}

/** The flags to restart with: those the caller did not choose. */
function missingFlags() {
  const flags = [];
  if (!chosen(YOUNG_GENERATION_FLAG)) flags.push(`${YOUNG_GENERATION_FLAG}=${YOUNG_GENERATION_MB}`);
  if (!chosen(HEAP_FLAG)) {
    const mb = heapMb();
    if (mb !== null) flags.push(`${HEAP_FLAG}=${mb}`);
  }
  return flags;
}

function restartWith(flags) {
  const child = spawn(
    process.execPath,
    [...flags, ...process.execArgv, __filename, ...process.argv.slice(2)],
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

const flags = missingFlags();
if (flags.length === 0) runCli();
else restartWith(chosen(EXPOSE_GC_FLAG) ? flags : [...flags, EXPOSE_GC_FLAG]);
