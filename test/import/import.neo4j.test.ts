import { openTestNeo4j } from './import-setup';
import { describeImport } from './import-suite';

// Several imports per test against a real server: allow for a busy machine.
jest.setTimeout(240_000);

describeImport('Neo4j', openTestNeo4j);
