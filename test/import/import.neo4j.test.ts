import { openNeo4jStore } from '../../src/store/neo4j';
import { neo4jTestConfig } from '../setup/neo4j';
import { describeImport } from './import-suite';

// Several imports per test against a real server: allow for a busy machine.
jest.setTimeout(240_000);

describeImport('Neo4j', () => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' }));
