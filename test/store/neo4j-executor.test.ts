import { SettingError, StoreUnavailableError } from '../../src/domain/errors';
import { createNeo4jExecutor, type Neo4jExecutor } from '../../src/store/neo4j/executor';
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
    expect(logged()).toBe(
      'tracegraph:cypher UNWIND $rows AS n RETURN sum(n) AS total\n  params {"rows":["1","2","3","4","5","... 2 more"]}\n',
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
