/** The checked-in SDL (schema/schema.graphql) is exactly what the code builds. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildApiSchema, printApiSchema } from '../../src/api/schema';

test('schema/schema.graphql matches the schema built from src/api', () => {
  const file = path.resolve(__dirname, '../../schema/schema.graphql');
  const checkedIn = readFileSync(file, 'utf8');
  const built = printApiSchema(buildApiSchema());
  if (checkedIn !== built) {
    throw new Error(
      'schema/schema.graphql is out of date with src/api: run `npm run schema` and commit the result.',
    );
  }
  expect(checkedIn).toContain('type Query {');
});
