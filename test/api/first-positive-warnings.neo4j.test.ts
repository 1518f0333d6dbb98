import { openTestNeo4j } from '../import/import-setup';
import { describeFirstPositiveWarnings } from './first-positive-warnings-suite';

jest.setTimeout(120_000);

describeFirstPositiveWarnings('Neo4j', openTestNeo4j);
