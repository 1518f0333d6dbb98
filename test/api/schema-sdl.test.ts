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

test("the upserts' descriptions say which writes each store holds back while another writer holds it", () => {
  const mutations = buildApiSchema().getMutationType()!.getFields();
  for (const name of ['upsertPersons', 'upsertPlaces', 'upsertBoats', 'upsertColdChainItems']) {
    const description = mutations[name]!.description!;
    expect(description).toContain(
      'While another writer holds the store, a call waits for it up to 5 s, then is refused with STORE_BUSY, writing nothing.',
    );
    // The embedded store holds back every write, not only those adding ids (as on Neo4j).
    expect(description).toContain(
      'On the embedded store that is every call while another process writes to the store',
    );
    expect(description).toContain('on Neo4j, only a call adding an id not yet stored, while an import runs.');
  }
});
