/**
 * A bundle file that cannot be read (no read permission) is one of the bundle's problems, named
 * by file, with nothing written: the import said only `EACCES: permission denied, open '…'`.
 */
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { bundleFrom, removeTemp, suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';

const temp = suiteTemps('tracegraph-unreadable-');
const bundles: string[] = [];
afterAll(() => bundles.forEach((dir) => removeTemp(dir)));

test('an unreadable stays.csv is listed as a problem of the bundle, exit 1, no store made', async () => {
  const bundle = bundleFrom('district');
  bundles.push(bundle);
  const stays = path.join(bundle, 'stays.csv');
  chmodSync(stays, 0o000);
  const data = path.join(temp(), 'data');
  try {
    // Run as root, the command is given no capabilities, so that the file's mode binds it too.
    const result = await runCli(['import', bundle, '--data', data], { withoutCapabilities: true });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '1 problem found; nothing was written:\n  stays.csv: cannot be read: EACCES: permission denied\n',
    });
    expect(existsSync(data)).toBe(false);
  } finally {
    chmodSync(stays, 0o644);
  }
});
