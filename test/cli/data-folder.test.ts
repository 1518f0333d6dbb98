/**
 * A data folder (`--data`, `TRACEGRAPH_DATA`, `./data`) that is a file, or lies under one, is
 * refused by every command before any work, naming what chose it: `stats` said to import into it,
 * and `import` validated the whole bundle before failing as a store that cannot be reached.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/store/neo4j/launcher';
import { FIXTURE_BUNDLES, suiteTemps } from '../import/temp-bundle';
import { runCli } from './run-cli';

const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');
const temp = suiteTemps('tracegraph-data-folder-');

const refusal = (source: string, named: string) => ({
  code: 1,
  stdout: '',
  stderr: `${source}: ${named} is not a folder; name the folder of the embedded store (made if missing)\n`,
});

test('--data naming a file is refused by every command, exit 1, the file left as it was', async () => {
  const file = path.join(temp(), 'quarantine.csv');
  writeFileSync(file, 'person_id\n');
  const expected = refusal('--data', `"${file}"`);
  for (const args of [
    ['import', DISTRICT],
    ['stats'],
    ['report', '--format', 'csv'],
    ['export', path.join(temp(), 'out')],
    ['start', '--no-serve'],
    ['serve', '--port', String(await freePort())],
  ]) {
    expect(await runCli(['--data', file, ...args], { timeoutMs: 60_000 })).toEqual(expected);
  }
  expect(readFileSync(file, 'utf8')).toBe('person_id\n');
}, 300_000);

test('under a file, from TRACEGRAPH_DATA, or the default ./data: the refusal names the file and the setting', async () => {
  const cwd = temp();
  const file = path.join(cwd, 'notes.txt');
  writeFileSync(file, '');
  const under = path.join(file, 'store');
  expect(await runCli(['stats', '--data', under])).toEqual(refusal('--data', `"${under}": ${file}`));
  expect(await runCli(['import', DISTRICT], { env: { TRACEGRAPH_DATA: file } })).toEqual(
    refusal('TRACEGRAPH_DATA', `"${file}"`),
  );
  writeFileSync(path.join(cwd, 'data'), '');
  expect(await runCli(['stats'], { cwd })).toEqual(
    refusal('the default data folder (--data, TRACEGRAPH_DATA)', '"./data"'),
  );
  // A folder that is missing is still made by import.
  mkdirSync(path.join(cwd, 'stores'));
  expect((await runCli(['import', DISTRICT, '--data', path.join(cwd, 'stores', 'new')])).code).toBe(0);
}, 120_000);
