#!/usr/bin/env node
// The `tracegraph` command: runs the compiled command line (dist/, built by `npm run build`).
'use strict';
const path = require('node:path');

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
