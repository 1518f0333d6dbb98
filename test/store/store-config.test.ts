/** The store settings of the environment: which store, where, and the form of NEO4J_URI. */
import { SettingError } from '../../src/domain/errors';
import { storeConfigFromEnv } from '../../src/store';

describe('storeConfigFromEnv', () => {
  test('the embedded store in --data, else TRACEGRAPH_DATA, else ./data; an empty variable counts as unset', () => {
    expect(storeConfigFromEnv({}, 'here')).toEqual({ dataDir: 'here', neo4j: null });
    expect(storeConfigFromEnv({ TRACEGRAPH_DATA: 'there' })).toEqual({ dataDir: 'there', neo4j: null });
    for (const empty of ['', '  '])
      expect(storeConfigFromEnv({ TRACEGRAPH_DATA: empty, NEO4J_URI: empty })).toEqual({
        dataDir: './data',
        neo4j: null,
      });
  });

  test.each([
    'bolt://127.0.0.1:7687',
    'bolt+s://db.example.org',
    'bolt+ssc://db.example.org:7687',
    'neo4j://localhost',
    'neo4j+s://abc123.databases.neo4j.io',
    'neo4j+ssc://[::1]:7687',
    'neo4j://db.example.org:7687?policy=eu',
  ])('takes the Neo4j address %s', (uri) => {
    expect(storeConfigFromEnv({ NEO4J_URI: ` ${uri} `, NEO4J_PASSWORD: 'pw' }).neo4j).toEqual({
      uri,
      user: 'neo4j',
      password: 'pw',
      database: 'neo4j',
    });
  });

  test.each([
    ['notauri', 'is not the address of a Neo4j server'],
    ['127.0.0.1:7687', 'is not the address of a Neo4j server'],
    ['BOLT://localhost', 'has the scheme "BOLT"'],
    ['https://localhost:7473', 'has the scheme "https"'],
    ['bolt://[bad', 'is not a valid address'],
    ['bolt://localhost:99999', 'is not a valid address'],
    ['neo4j://', 'names no host'],
  ])('refuses %s naming NEO4J_URI, before anything connects', (uri, problem) => {
    const read = () => storeConfigFromEnv({ NEO4J_URI: uri });
    expect(read).toThrow(SettingError);
    expect(read).toThrow(`NEO4J_URI: "${uri}" ${problem}`);
  });
});
