import { SettingError, StoreUnavailableError } from '../../src/domain/errors';
import { createNeo4jExecutor, describeResult, type Neo4jExecutor } from '../../src/store/neo4j/executor';
import { integer } from '../../src/store/neo4j/convert';
import { neo4jTestConfig } from '../setup/neo4j';

describe('neo4j executor', () => {
  let stderr: jest.SpyInstance;
  const opened: Neo4jExecutor[] = [];
  const executor = (env: NodeJS.ProcessEnv, database = 'neo4j'): Neo4jExecutor => {
    const e = createNeo4jExecutor({ ...neo4jTestConfig(), database }, env);
    opened.push(e);
    return e;
  };
  const logged = (): string => stderr.mock.calls.map((call) => String(call[0])).join('');

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());
  afterAll(async () => {
    for (const e of opened) await e.close();
  });

  test('runs a statement in a read transaction; integers cross as driver integers', async () => {
    const [row] = await executor({}).readQuery('RETURN $n + 1 AS n', { n: integer(41) });
    expect(row!.get('n').toNumber()).toBe(42);
  });

  test('logs no Cypher by default', async () => {
    await executor({ DEBUG: 'express:*' }).readQuery('RETURN $n AS n', { n: integer(7) });
    expect(logged()).toBe('');
  });

  test('logs Cypher and parameters when DEBUG names tracegraph:cypher, long lists cut', async () => {
    const rows = [1, 2, 3, 4, 5, 6, 7].map((n) => integer(n));
    await executor({ DEBUG: 'other,tracegraph:cypher' }).writeQuery(
      'UNWIND $rows AS n RETURN sum(n) AS total',
      { rows },
    );
    expect(logged()).toMatch(
      new RegExp(
        '^tracegraph:cypher UNWIND \\$rows AS n RETURN sum\\(n\\) AS total\n' +
          '  params \\{"rows":\\["1","2","3","4","5","\\.\\.\\. 2 more"\\]\\}\n' +
          '  1 row in \\d+ ms; the server: first row after \\d+ ms, the last streamed \\d+ ms later\n$',
      ),
    );
  });

  test("logs each statement's rows and times as its result comes, in every kind of transaction", async () => {
    const e = executor({ DEBUG: 'tracegraph:cypher' });
    await e.readQuery('UNWIND range(1, 3) AS n RETURN n');
    await e.autoCommit('RETURN 1 AS n');
    const open = await e.begin({ purpose: 'test' });
    await open.query('UNWIND range(1, 0) AS n RETURN n');
    await open.rollback();
    const results = logged()
      .split('\n')
      .filter((line) => line.startsWith('  ') && !line.startsWith('  params'));
    expect(results.map((line) => line.replace(/\d+ ms/g, 'T ms'))).toEqual([
      '  3 rows in T ms; the server: first row after T ms, the last streamed T ms later',
      '  1 row in T ms; the server: first row after T ms, the last streamed T ms later',
      '  0 rows in T ms; the server: first row after T ms, the last streamed T ms later',
    ]);
  });

  test('a failed statement is logged without a result line', async () => {
    await expect(executor({ DEBUG: 'tracegraph:cypher' }).readQuery('RETURN nosuchvar')).rejects.toThrow();
    expect(logged()).toMatch(/^tracegraph:cypher RETURN nosuchvar\n  params \{\}\n$/);
  });

  test('a result line says when the server gave no times, and reads driver integers', () => {
    expect(describeResult(2, 12.4, { resultAvailableAfter: integer(3), resultConsumedAfter: 5 })).toBe(
      '2 rows in 12 ms; the server: first row after 3 ms, the last streamed 5 ms later',
    );
    expect(describeResult(1, 0.4, { resultAvailableAfter: undefined, resultConsumedAfter: 5 })).toBe(
      '1 row in 0 ms; the server gave no times',
    );
  });

  test('a database that does not exist is named in the error', async () => {
    const failure = executor({}, 'nosuchdb').readQuery('RETURN 1');
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toThrow(`Neo4j at ${neo4jTestConfig().uri} has no database "nosuchdb"`);
  });

  test('a URI the driver cannot use is a setting to correct, reported with the URI, not a server that is down', () => {
    for (const uri of ['http//nowhere', 'http://nowhere', 'bolt://[bad']) {
      const make = () => createNeo4jExecutor({ uri, user: 'neo4j', password: 'x', database: 'neo4j' });
      expect(make).toThrow(SettingError);
      expect(make).toThrow(`Neo4j at ${uri} cannot be used: "${uri}" `);
    }
  });
});
