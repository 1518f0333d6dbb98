/** Query limits: depth (fragments expanded), aliases, and the cost estimate with page sizes. */
import { getIntrospectionQuery, parse } from 'graphql';
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

  test('introspection fields do not count towards depth', () => {
    expect(
      check(
        '{ __type(name: "Person") { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } }',
      ),
    ).toEqual([]);
  });

  // 1000 aliases of `__schema` in one query used to pass (21 MB), and
  // ten such operations in one batch held the server for 70 s.
  test('aliases of introspection fields count like any other, __typename too', () => {
    expect(check('{ a: __schema { queryType { name } } b: __type(name: "Person") { name } }')).toEqual([]);
    expect(
      check(
        '{ a: __schema { queryType { name } } b: __schema { queryType { name } } c: __schema { t: types { name } } }',
      ),
    ).toEqual([['TOO_MANY_ALIASES', 'The query uses 4 aliases; at most 2 are allowed.']]);
    expect(check('{ a: __typename b: __typename c: __typename }')).toEqual([
      ['TOO_MANY_ALIASES', 'The query uses 3 aliases; at most 2 are allowed.'],
    ]);
    const many = Array.from({ length: 31 }, (_, i) => `a${i}: __schema { types { name } }`).join(' ');
    expect(
      operationLimitErrors(schema, parse(`{ ${many} }`), undefined, {}, DEFAULT_LIMITS).map(
        (e) => e.extensions.code,
      ),
    ).toEqual(['TOO_MANY_ALIASES']);
  });

  test("introspection is priced by the schema's sizes: the explorer's fits, three full ones do not", () => {
    const full = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const defaults = (source: string) =>
      operationLimitErrors(schema, parse(source), undefined, {}, DEFAULT_LIMITS).map((e) => e.message);
    expect(defaults(full)).toEqual([]);
    // The same selection three times under aliases (within the alias limit): over the cost limit.
    const body = full.slice(full.indexOf('__schema'), full.indexOf('fragment'));
    const selection = body.slice(0, body.lastIndexOf('}'));
    const thrice = full.replace(body, ['a', 'b', 'c'].map((a) => `${a}: ${selection}`).join('\n') + '}');
    expect(defaults(thrice)).toEqual([
      expect.stringMatching(/^The query would cost \d+; at most 20000 is allowed\.$/),
    ]);
    // Every type's fields: priced as many lists as there are types, not as one list of 1.
    const costOf = (source: string) => {
      const [error] = operationLimitErrors(
        schema,
        parse(source),
        undefined,
        {},
        {
          ...DEFAULT_LIMITS,
          maxComplexity: 0,
        },
      );
      return Number(/cost (\d+);/.exec(error?.message ?? '')?.[1]);
    };
    const types = Object.keys(schema.getTypeMap()).length;
    expect(costOf('{ __schema { types { name } } }')).toBe(1 + 1 + types * 1);
    expect(costOf('{ __schema { types { fields { name } } } }')).toBeGreaterThan(types * 4);
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

  test('a first or ids over the most a field takes is priced at that most, so the field refuses it by name', () => {
    // sources (at most 100) and searchPersons (at most 100): 1 + 100 x 1 = 101, not 1 + 100000 x 1.
    expect(check('{ sources(first: 100000) { id } }')).toEqual([]);
    expect(check('{ searchPersons(text: "13", first: 100000) { id } }')).toEqual([]);
    expect(check('query ($n: Int) { sources(first: $n) { id } }', { n: 1e6 })).toEqual([]);
    // persons (at most 1,000 ids): 1 + 1000 x 5, however many are sent (5000 would be 25001).
    const ids = Array.from({ length: 5000 }, (_, i) => `P${i}`);
    expect(
      operationLimitErrors(
        schema,
        parse('query ($ids: [ID!]!) { persons(ids: $ids) { id name phone home { id } } }'),
        undefined,
        { ids },
        DEFAULT_LIMITS,
      ),
    ).toEqual([]);
    // Within the most, the page size still multiplies: 1 + 100 x (1 id + stays(1 + 50 x 3)) = 15201.
    expect(
      check('{ searchPersons(text: "13", first: 100) { id stays { edges { node { start } } } } }'),
    ).toEqual([['QUERY_TOO_COMPLEX', 'The query would cost 15201; at most 1000 is allowed.']]);
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
