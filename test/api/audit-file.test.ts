/**
 * The audit file over HTTP: a server refuses to start on a file it cannot append to, and while
 * running, a read of unmasked personal data whose entry cannot be written is answered with an
 * error, never with the data (GraphQL and the chain view's data); other requests are answered.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { maskName } from '../../src/domain/masking';
import { openEmbeddedStore } from '../../src/store/embedded';
import { smallDistrict } from '../store/fixtures';
import { suiteTempDirs } from './helpers';
import { errorCodes, postGraphQL } from './http';

const KEYS = { admin: 'admin-key-audit-1', cdc: 'cdc-key-audit-2' };
const apiKeys = [
  { key: KEYS.admin, role: 'admin' as const },
  { key: KEYS.cdc, role: 'cdc' as const },
];
const PERSON = { query: '{ person(id: "P1") { id name phone } }' };
const NAME = '陈大明';

const freshDir = suiteTempDirs();
const silent = pino({ level: 'silent' });

test('a server does not start on an audit file it cannot append to', async () => {
  const store = await openEmbeddedStore(freshDir('tracegraph-audit-store-'));
  try {
    const auditFile = path.join(freshDir('tracegraph-audit-'), 'no-such-folder', 'audit.jsonl');
    await expect(
      startApiServer({ store, apiKeys, logger: silent, auditFile, closeStore: false }, { port: 0 }),
    ).rejects.toThrow(`auditFile: cannot append to "${auditFile}": ENOENT`);
  } finally {
    await store.close();
  }
});

describe('an audit file that can no longer be written', () => {
  let running: RunningApiServer;
  let auditFile: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const store = await openEmbeddedStore(freshDir('tracegraph-audit-store-'));
    await store.migrate();
    await store.write(smallDistrict());
    auditFile = path.join(freshDir('tracegraph-audit-'), 'audit.jsonl');
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    running = await startApiServer({ store, apiKeys, logger, auditFile }, { port: 0 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  const chainData = (key: string) =>
    fetch(`${running.url}/chains/data.json`, { headers: { authorization: `Bearer ${key}` } });

  test('unmasked reads are refused with AUDIT_UNAVAILABLE, masked and impersonal ones answered, until it can be written again', async () => {
    const before = await postGraphQL(running.url, KEYS.admin, PERSON);
    expect(before.status).toBe(200);
    expect(before.body.data.person.name).toBe(NAME);
    const chainsBefore = await chainData(KEYS.admin);
    expect(chainsBefore.status).toBe(200);
    expect(await chainsBefore.text()).toContain(NAME);
    const linesBefore = readFileSync(auditFile, 'utf8').trimEnd().split('\n').length;
    expect(linesBefore).toBe(2);

    // A folder in the file's place: appending fails whoever the process runs as.
    rmSync(auditFile);
    mkdirSync(auditFile);

    const refused = await postGraphQL(running.url, KEYS.admin, PERSON);
    expect(refused.status).toBe(503);
    expect(errorCodes(refused.body)).toEqual(['AUDIT_UNAVAILABLE']);
    expect(refused.body.data).toBeUndefined();
    expect(JSON.stringify(refused.body)).not.toContain(NAME);
    expect(JSON.stringify(refused.body)).not.toContain('13800001111');
    // The same read within a batch: the whole batch is withheld.
    const batch = await postGraphQL(running.url, KEYS.admin, [{ query: '{ stats { persons } }' }, PERSON]);
    expect(batch.status).toBe(503);
    expect(JSON.stringify(batch.body)).not.toContain(NAME);

    const chainsRefused = await chainData(KEYS.admin);
    expect(chainsRefused.status).toBe(503);
    const chainsBody = await chainsRefused.text();
    expect(chainsBody).not.toContain(NAME);
    expect(errorCodes(JSON.parse(chainsBody))).toEqual(['AUDIT_UNAVAILABLE']);

    // Nothing to audit: answered as usual.
    const masked = await postGraphQL(running.url, KEYS.cdc, PERSON);
    expect(masked.status).toBe(200);
    expect(masked.body.data.person.name).toBe(maskName(NAME));
    expect((await chainData(KEYS.cdc)).status).toBe(200);
    const counts = await postGraphQL(running.url, KEYS.admin, { query: '{ stats { persons } }' });
    expect([counts.status, counts.body.data]).toEqual([200, { stats: { persons: 4 } }]);
    // The server's log says why.
    expect(errors.some((line) => JSON.parse(line).msg === 'cannot append to the audit file')).toBe(true);

    // Writable again: the read is answered and written.
    rmSync(auditFile, { recursive: true });
    const after = await postGraphQL(running.url, KEYS.admin, PERSON);
    expect(after.status).toBe(200);
    expect(after.body.data.person.name).toBe(NAME);
    expect(readFileSync(auditFile, 'utf8')).toContain('"personIds":["P1"]');
  });
});
