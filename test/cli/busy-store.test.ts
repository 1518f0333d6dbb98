/**
 * Commands on an embedded store another process holds: one whose schema must be upgraded as it
 * opens while another process writes to it, and one that another process holds whole (exclusive
 * locking mode), so that not even a read gets through. Each is refused after SQLite's busy timeout
 * as `import` into a busy store is (test/import/import-into-busy-store.test.ts): one line saying
 * another process is writing and to try again, exit 1, not "cannot reach" (exit 2).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedStore } from '../../src/store/embedded';
import { MIGRATIONS } from '../../src/store/embedded/schema';
import { suiteTemps } from '../import/temp-bundle';
import { DISTRICT_COUNTS, smallDistrict } from '../store/fixtures';
import { lockingProcess, type LockingProcess } from '../store/locking-process';
import { runCli } from './run-cli';

jest.setTimeout(60_000);

const temp = suiteTemps('tracegraph-cli-busy-');

describe('a command on an embedded store another process holds', () => {
  let holder: LockingProcess | undefined;
  afterEach(async () => {
    await holder?.kill();
    holder = undefined;
  });

  test('an older store is not upgraded while another process writes to it: says it waits, then busy, try again, exit 1; upgraded once it has ended', async () => {
    const data = temp();
    mkdirSync(data, { recursive: true });
    const file = path.join(data, 'tracegraph.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.close();
    holder = await lockingProcess(file, 'write');

    const refused = await runCli(['stats', '--json', '--data', data], { timeoutMs: 30_000 });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `migrating the embedded store in ${data}: another process is writing to it (an import?): waiting up to 5 s ` +
        `for it to end before upgrading the schema from version 1 to ${MIGRATIONS.length}\n` +
        `error: ${file} is locked by another writer (an import in another process?), so its schema cannot be ` +
        `upgraded from version 1 to ${MIGRATIONS.length} now; nothing was changed: try again when it ends\n`,
    });

    await holder.release();
    const again = await runCli(['stats', '--json', '--data', data], { timeoutMs: 30_000 });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(
      `migrating the embedded store in ${data}: schema version 1 to ${MIGRATIONS.length} (once)\n`,
    );
  });

  test('a store held whole by another process cannot even be read: busy, try again, exit 1', async () => {
    const data = temp();
    const store = await openEmbeddedStore(data);
    await store.write(smallDistrict());
    await store.close();
    const file = path.join(data, 'tracegraph.db');
    holder = await lockingProcess(file, 'exclusive');

    const refused = await runCli(['stats', '--json', '--data', data], { timeoutMs: 30_000 });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${file} is locked by another process; nothing was read: try again when it ends\n`,
    });

    await holder.release();
    const again = await runCli(['stats', '--json', '--data', data], { timeoutMs: 30_000 });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(DISTRICT_COUNTS);
  });
});
