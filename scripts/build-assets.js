#!/usr/bin/env node
// Bundles the browser code of the chain view (sigma.js + graphology, from node_modules only)
// into dist-assets/chain-view.js with esbuild. Run by `npm run build`; `--check` also
// type-checks the browser code against the DOM first.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const clientDir = path.join(root, 'src', 'report', 'chain-view', 'client');

/**
 * Builds every browser asset into `outdir` (default dist-assets/). Resolves to the files written.
 * @param {{ outdir?: string, minify?: boolean }} [options]
 */
async function buildAssets(options = {}) {
  const esbuild = require('esbuild');
  const outdir = options.outdir ?? path.join(root, 'dist-assets');
  const outfile = path.join(outdir, 'chain-view.js');
  await esbuild.build({
    entryPoints: [path.join(clientDir, 'app.js')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: options.minify ?? true,
    legalComments: 'eof',
    absWorkingDir: root,
    logLevel: 'warning',
  });
  return [outfile];
}

function typeCheckClient() {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['-p', path.join(clientDir, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('type errors in the chain view browser code');
}

module.exports = { buildAssets };

if (require.main === module) {
  (async () => {
    if (process.argv.includes('--check')) typeCheckClient();
    const files = await buildAssets();
    for (const file of files) process.stderr.write(`built ${path.relative(root, file)}\n`);
  })().catch((err) => {
    process.stderr.write(`build-assets: ${err.message}\n`);
    process.exit(1);
  });
}
