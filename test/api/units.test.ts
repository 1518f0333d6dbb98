/** Small parts of the API: cursors, API keys, settings from the environment, the audit log, examples. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeyRing, keyId, parseApiKeys } from '../../src/api/api-keys';
import { AuditFileError, AuditLog } from '../../src/api/audit-log';
import { apiSettingsFromEnv } from '../../src/api/config';
import { SettingError } from '../../src/domain/errors';
import { loadExamples, parseExamples } from '../../src/api/explorer/examples';
import { decodeCursor, encodeCursor, paginate } from '../../src/api/pagination';
import { fullSpan } from '../../src/api/services/quarantine-beds';

describe('pagination', () => {
  const items = [{ k: 3 }, { k: 1 }, { k: 2 }, { k: 5 }, { k: 4 }];
  const keyOf = (i: { k: number }) => [i.k] as const;

  test('pages follow the sort key; cursors are opaque and round-trip', () => {
    const page1 = paginate(items, { first: 2 }, keyOf, [0]);
    expect(page1.edges.map((e) => e.node.k)).toEqual([1, 2]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(page1.totalCount).toBe(5);
    const page3 = paginate(items, { first: 2, after: encodeCursor([4]) }, keyOf, [0]);
    expect(page3.edges.map((e) => e.node.k)).toEqual([5]);
    expect(page3.pageInfo.hasNextPage).toBe(false);
    expect(decodeCursor(encodeCursor([7, 'x']), [0, ''])).toEqual([7, 'x']);
    expect(decodeCursor(encodeCursor(['7']), [0])).toBeNull();
    expect(decodeCursor('%%%', [0])).toBeNull();
  });

  test('a cursor past a deleted item still continues after it', () => {
    // The item with key 3 is gone; a cursor made from it continues at 4.
    const page = paginate(
      items.filter((i) => i.k !== 3),
      { first: 10, after: encodeCursor([3]) },
      keyOf,
      [0],
    );
    expect(page.edges.map((e) => e.node.k)).toEqual([4, 5]);
  });

  test('a text that is no cursor of the list is refused whatever the list holds, an empty list too', () => {
    for (const list of [items, []]) {
      for (const after of ['garbage', encodeCursor(['3']), encodeCursor([3, 'x'])]) {
        expect(() => paginate(list, { after }, keyOf, [0])).toThrow('after: is not a cursor of this list');
      }
      expect(paginate(list, { after: encodeCursor([9]) }, keyOf, [0]).edges).toEqual([]);
    }
  });

  test('page sizes out of range are refused', () => {
    expect(() => paginate(items, { first: 501 }, keyOf, [0])).toThrow(
      'first: must be a whole number from 0 to 500',
    );
    expect(() => paginate(items, { first: -1 }, keyOf, [0])).toThrow(
      'first: must be a whole number from 0 to 500',
    );
    expect(paginate(items, { first: 0 }, keyOf, [0]).edges).toEqual([]);
  });
});

describe('API keys', () => {
  test('parses key:role lists and refuses malformed ones with the entry number', () => {
    expect(parseApiKeys(' alpha-key:admin , beta:key:cdc,,gamma:investigator ')).toEqual([
      { key: 'alpha-key', role: 'admin' },
      { key: 'beta:key', role: 'cdc' },
      { key: 'gamma', role: 'investigator' },
    ]);
    expect(parseApiKeys(undefined)).toEqual([]);
    expect(() => parseApiKeys('a:admin,b')).toThrow('TRACEGRAPH_API_KEYS: entry 2 is not "key:role"');
    expect(() => parseApiKeys('a:root')).toThrow(
      'TRACEGRAPH_API_KEYS: entry 1 has role "root" (known: admin, investigator, cdc)',
    );
    expect(() => parseApiKeys('a:admin,a:cdc')).toThrow('TRACEGRAPH_API_KEYS: entry 2 repeats a key');
  });

  test('refuses a key that could never be sent as a bearer token, naming its entry and not the key', () => {
    for (const [text, entry] of [
      ['good-key:admin,my key:admin', 2],
      ['tab\tkey:cdc', 1],
      ['k1:cdc,k2:cdc,密钥:investigator', 3],
      ['caf\u00e9:cdc', 1],
    ] as const) {
      let message = '';
      try {
        parseApiKeys(text);
      } catch (err) {
        expect(err).toBeInstanceOf(SettingError);
        message = (err as Error).message;
      }
      expect(message).toBe(
        `TRACEGRAPH_API_KEYS: the key of entry ${entry} holds a space or a character that cannot be sent ` +
          'in "Authorization: Bearer <key>" (a key is letters, digits and ASCII punctuation)',
      );
      for (const key of text
        .split(',')
        .slice(entry - 1, entry)
        .map((e) => e.slice(0, e.lastIndexOf(':'))))
        expect(message).not.toContain(key);
    }
    // Every key it takes logs in as written.
    const keys = parseApiKeys('a!b#c$:admin,~x/y+z=:cdc,k:e:y:investigator');
    const ring = new KeyRing(keys);
    for (const { key, role } of keys) expect(ring.authenticate(`Bearer ${key}`)?.role).toBe(role);
  });

  test('a bearer key authenticates; the key id is a fingerprint, not the key', () => {
    const ring = new KeyRing([{ key: 's3cret-key', role: 'cdc' }]);
    expect(ring.authenticate('Bearer s3cret-key')).toEqual({ keyId: keyId('s3cret-key'), role: 'cdc' });
    expect(ring.authenticate('bearer   s3cret-key ')).toEqual({ keyId: keyId('s3cret-key'), role: 'cdc' });
    expect(ring.authenticate('Bearer s3cret-keyX')).toBeNull();
    expect(ring.authenticate('s3cret-key')).toBeNull();
    expect(ring.authenticate(undefined)).toBeNull();
    // sha256("s3cret-key") starts with these 8 hex digits.
    expect(keyId('s3cret-key')).toMatch(/^key-[0-9a-f]{8}$/);
    expect(keyId('s3cret-key')).not.toContain('s3cret');
    expect(keyId('s3cret-key')).not.toBe(keyId('s3cret-keyX'));
  });

  test('settings from the environment', () => {
    expect(apiSettingsFromEnv({})).toEqual({
      apiKeys: [],
      introspection: true,
      auditFile: null,
      logLevel: 'info',
    });
    expect(
      apiSettingsFromEnv({
        TRACEGRAPH_API_KEYS: 'k:cdc',
        TRACEGRAPH_INTROSPECTION: 'false',
        TRACEGRAPH_AUDIT_FILE: ' /tmp/a.jsonl ',
        LOG_LEVEL: 'warn',
      }),
    ).toEqual({
      apiKeys: [{ key: 'k', role: 'cdc' }],
      introspection: false,
      auditFile: '/tmp/a.jsonl',
      logLevel: 'warn',
    });
    expect(apiSettingsFromEnv({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(() => apiSettingsFromEnv({ TRACEGRAPH_INTROSPECTION: 'maybe' })).toThrow(
      'TRACEGRAPH_INTROSPECTION: "maybe" is not true or false',
    );
    // pino's own message ("default level:bogus must be included in custom levels") names no variable.
    expect(() => apiSettingsFromEnv({ LOG_LEVEL: 'bogus' })).toThrow(
      new SettingError(
        'LOG_LEVEL: "bogus" is not a log level (known: trace, debug, info, warn, error, fatal, silent)',
      ),
    );
  });
});

describe('audit log', () => {
  const entry = (operationName: string) => ({
    at: Date.UTC(2022, 7, 1),
    keyId: 'key-0000abcd',
    role: 'investigator' as const,
    operationName,
    personIds: ['P1'],
    fields: ['name' as const],
  });

  test('keeps the newest entries up to its capacity and appends every entry to the file as JSON lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-audit-'));
    try {
      const file = path.join(dir, 'audit.jsonl');
      const audit = new AuditLog({ capacity: 2, file });
      audit.append(entry('A'));
      audit.append(entry('B'));
      audit.append(entry('C'));
      expect(audit.size).toBe(2);
      expect(audit.page(10).entries.map((e) => [e.seq, e.operationName])).toEqual([
        [3, 'C'],
        [2, 'B'],
      ]);
      expect(audit.page(1, 3)).toEqual({ entries: [expect.objectContaining({ seq: 2 })], hasMore: false });
      await audit.flush();
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual(
        ['A', 'B', 'C'].map((op, i) => ({ ...entry(op), seq: i + 1, at: '2022-08-01T00:00:00.000Z' })),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a read of homes is written with its place ids; a line of persons alone is as it was before them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-audit-'));
    try {
      const file = path.join(dir, 'audit.jsonl');
      const audit = new AuditLog({ file });
      expect(audit.append(entry('Persons')).placeIds).toEqual([]);
      audit.append({ ...entry('Homes'), personIds: [], placeIds: ['H1', 'H2'] });
      await audit.flush();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toEqual([
        '{"seq":1,"at":"2022-08-01T00:00:00.000Z","keyId":"key-0000abcd","role":"investigator","operationName":"Persons","personIds":["P1"],"fields":["name"]}',
        '{"seq":2,"at":"2022-08-01T00:00:00.000Z","keyId":"key-0000abcd","role":"investigator","operationName":"Homes","personIds":[],"fields":["name"],"placeIds":["H1","H2"]}',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that cannot be written is reported, and the entry is kept in memory', async () => {
    const failures: unknown[] = [];
    const audit = new AuditLog({
      file: '/nonexistent-dir/audit.jsonl',
      onFileError: (err) => failures.push(err),
    });
    audit.append(entry('A'));
    await audit.flush();
    expect(failures).toHaveLength(1);
    expect(audit.size).toBe(1);
  });

  test('a response is handed over once the entries of its work are in the file, and withheld when one cannot be written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-audit-'));
    try {
      const file = path.join(dir, 'audit.jsonl');
      const audit = new AuditLog({ file });
      const response = await audit.auditedResponse(async () => {
        await Promise.resolve();
        audit.append(entry('Read'));
        return 'names';
      });
      expect(response).toBe('names');
      // In the file as the work's result is handed over, without a flush.
      expect(readFileSync(file, 'utf8')).toContain('"operationName":"Read"');

      // The file's place taken by a folder: every append fails, as for the root user too.
      rmSync(file);
      mkdirSync(file);
      const failed = audit.auditedResponse(async () => {
        audit.append(entry('Read'));
        return 'names';
      });
      await expect(failed).rejects.toBeInstanceOf(AuditFileError);
      await expect(failed).rejects.toThrow(`cannot append to the audit file ${file}: EISDIR`);
      // Work that read nothing personal appends nothing, and is handed over.
      await expect(audit.auditedResponse(async () => 'counts')).resolves.toBe('counts');
      // Another work's failed entry is not this one's: each waits for its own entries only.
      const other = audit.auditedResponse(async () => {
        audit.append(entry('Other'));
        return 'other';
      });
      const own = audit.auditedResponse(async () => 'own');
      await expect(other).rejects.toBeInstanceOf(AuditFileError);
      await expect(own).resolves.toBe('own');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('explorer examples', () => {
  test('one tab per operation, with the variables from the comment above it and the fragments it uses', () => {
    const examples = parseExamples(`# A comment that is not about variables.
# variables: {"id": "P1"}
query One($id: ID!) { person(id: $id) { ...Bits } }

query Two { stats { persons } }

fragment Bits on Person { id }
`);
    expect(examples).toEqual([
      {
        name: 'One',
        query: 'query One($id: ID!) { person(id: $id) { ...Bits } }\n\nfragment Bits on Person { id }\n',
        variables: '{\n  "id": "P1"\n}',
      },
      { name: 'Two', query: 'query Two { stats { persons } }\n' },
    ]);
    expect(() => parseExamples('# variables: {nope}\nquery X { stats { persons } }', 'ex.graphql')).toThrow(
      /^ex\.graphql: variables of X are not JSON/,
    );
    expect(() => parseExamples('{ stats { persons } }', 'ex.graphql')).toThrow(
      'ex.graphql: every example operation needs a name',
    );
  });

  test('the checked-in examples: the common investigations, then records, then the quarantine assignment', () => {
    const names = loadExamples().map((e) => e.name);
    expect(names).toEqual([
      'CaseInfectorAndContacts',
      'QuarantineToday',
      'ChainsIncludingPerson',
      'ChainTree',
      'BoatCrewExposures',
      'RiskAreas',
      'OutbreakSummary',
      'SinceYesterday',
      'PersonWithStays',
      'PlaceVisitors',
      'BoatCrew',
      'SearchByPhone',
      'Stats',
      'AssignQuarantineSite',
    ]);
  });
});

describe('fullSpan: when a site is full', () => {
  const at = (subjectId: string, start: number, end: number) => ({ subjectId, hostId: 'Q', start, end });

  test('the first span with that many there at once; a bed handed over at an instant stays taken', () => {
    const stays = [at('A', 10, 12), at('B', 12, 14), at('C', 11, 13), at('D', 20, 22), at('E', 21, 25)];
    // One bed: taken from 10 to 14 without a gap (B arrives as A leaves).
    expect(fullSpan(stays, 0, 30, 1)).toEqual({ start: 10, end: 14 });
    // Two: 11 to 13 (A or B, and C), the later span (21 to 22) not named.
    expect(fullSpan(stays, 0, 30, 2)).toEqual({ start: 11, end: 13 });
    // Within the interval asked about only; full until its end.
    expect(fullSpan(stays, 21.5, 24, 1)).toEqual({ start: 21.5, end: 24 });
    expect(fullSpan(stays, 0, 30, 3)).toBeNull();
    // A person with two overlapping stays counts once.
    expect(fullSpan([at('A', 0, 5), at('A', 3, 8)], 0, 10, 2)).toBeNull();
  });
});
