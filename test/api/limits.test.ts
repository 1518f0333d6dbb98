/** Query limits: depth (fragments expanded), aliases, and the cost estimate with page sizes. */
import { parse } from 'graphql';
import { DEFAULT_LIMITS, operationLimitErrors, type ApiLimits } from '../../src/api/limits';
import { buildApiSchema } from '../../src/api/schema';

const schema = buildApiSchema();
const limits: ApiLimits = { ...DEFAULT_LIMITS, maxDepth: 5, maxAliases: 2, maxComplexity: 1000 };
const check = (source: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationLimitErrors(schema, parse(source), operationName, variables, limits).map((e) => [
    e.extensions.code,
    e.message,
  ]);

describe('query limits', () => {
  test('depth counts fields, through inline fragments and named fragments', () => {
    // person(1) stays(2) edges(3) node(4) host(5) id(6)
    expect(
      check('{ person(id: "P1") { stays { edges { node { host { ... on Place { id } } } } } } }'),
    ).toEqual([['QUERY_TOO_DEEP', 'The query is 6 levels deep; at most 5 are allowed.']]);
    expect(check('{ person(id: "P1") { stays { edges { node { start } } } } }')).toEqual([]);
    expect(
      check(`query { person(id: "P1") { ...S } }
        fragment S on Person { stays { edges { ...N } } }
        fragment N on StayEdge { node { host { __typename ... on Boat { id } } } }`),
    ).toEqual([['QUERY_TOO_DEEP', 'The query is 6 levels deep; at most 5 are allowed.']]);
  });

  test('introspection fields are not counted', () => {
    expect(
      check('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }'),
    ).toEqual([]);
  });

  test('aliases are counted over the whole operation, fragments expanded', () => {
    expect(check('{ a: person(id: "P1") { id } b: person(id: "P2") { id } }')).toEqual([]);
    expect(
      check('{ a: person(id: "P1") { ...F } b: person(id: "P2") { ...F } } fragment F on Person { n: name }'),
    ).toEqual([['TOO_MANY_ALIASES', 'The query uses 4 aliases; at most 2 are allowed.']]);
  });

  test('cost multiplies by page size and by the number of ids asked', () => {
    // 1 (person) + [1 + 50 x (1 edges + 1 node + 1 start)] = 152
    expect(check('{ person(id: "P1") { stays { edges { node { start } } } } }')).toEqual([]);
    // persons: 1 + 10 x (1 id + stays(1 + 50 x 3)) = 1 + 10 x 152 = 1521
    const ids = Array.from({ length: 10 }, (_, i) => `P${i}`);
    expect(
      check('query ($ids: [ID!]!) { persons(ids: $ids) { id stays { edges { node { start } } } } }', { ids }),
    ).toEqual([['QUERY_TOO_COMPLEX', 'The query would cost 1521; at most 1000 is allowed.']]);
    // A smaller page brings it under: 1 + 10 x (1 + 1 + 5 x 3) = 171
    expect(
      check(
        'query ($ids: [ID!]!) { persons(ids: $ids) { id stays(first: 5) { edges { node { start } } } } }',
        { ids },
      ),
    ).toEqual([]);
  });

  test('only the operation that runs is checked; bad variables are left to execution', () => {
    const source = `query Small { stats { persons } }
      query Big { a: stats { persons } b: stats { places } c: stats { boats } }`;
    expect(check(source, {}, 'Small')).toEqual([]);
    expect(check(source, {}, 'Big')).toEqual([
      ['TOO_MANY_ALIASES', 'The query uses 3 aliases; at most 2 are allowed.'],
    ]);
    expect(check('query ($ids: [ID!]!) { persons(ids: $ids) { id } }', { ids: 5 })).toEqual([]);
  });
});
