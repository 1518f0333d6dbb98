/**
 * A date alone (`2022-08-12`) where a DateTime is asked for is refused, written in the operation
 * or sent in a variable, with the same words wherever it is: that it is a date without a time of
 * day, and an instant to write instead. Every argument and input field of the schema of type
 * DateTime is tried, over HTTP on the embedded store; nothing runs or is written.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { smallDistrict } from '../store/fixtures';
import { serveRecords, type Json, type ServedStore } from './helpers';
import { postGraphQL } from './http';

const KEY = 'investigator-key-61d0a8';
let served: ServedStore;

beforeAll(async () => {
  served = await serveRecords(smallDistrict(), 'tracegraph-api-date-alone-', KEY);
});
afterAll(() => served?.stop());

const DATE_ALONE = '2022-08-12';
const REFUSAL =
  'DateTime cannot represent "2022-08-12", a date without a time of day: give the time and UTC ' +
  'offset too, e.g. 2022-08-12T23:59:00+08:00.';
const AN_INSTANT = '2022-08-12T10:00:00+08:00';

/** How the operations reach a field of each type that has DateTime arguments. */
const ROUTES: Record<string, { operation: 'query' | 'mutation'; field: string | null }> = {
  Query: { operation: 'query', field: null },
  Mutation: { operation: 'mutation', field: null },
  Person: { operation: 'query', field: 'person(id: "P1")' },
  Place: { operation: 'query', field: 'place(id: "MKT")' },
  Boat: { operation: 'query', field: 'boat(id: "B1")' },
  ColdChainItem: { operation: 'query', field: 'coldChainItem(id: "L1")' },
  Case: { operation: 'query', field: 'case(personId: "P1")' },
};

/** Where a DateTime goes: an argument, or a field of an input object down an argument. */
interface DateTimePlace {
  type: GraphQLObjectType;
  field: GraphQLField<unknown, unknown>;
  arg: GraphQLArgument;
  /** The input field of `arg`'s input object type, if the DateTime is one. */
  inputField: string | null;
}

function dateTimePlaces(schema: GraphQLSchema): DateTimePlace[] {
  const places: DateTimePlace[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        const named = getNamedType(arg.type);
        if (named.name === 'DateTime') places.push({ type, field, arg, inputField: null });
        if (!isInputObjectType(named)) continue;
        for (const inputField of Object.values(named.getFields())) {
          if (getNamedType(inputField.type).name === 'DateTime')
            places.push({ type, field, arg, inputField: inputField.name });
        }
      }
    }
  }
  return places;
}

/** A value of `type` that GraphQL takes, as JSON: `dateTime` wherever a DateTime is asked for. */
function sampleValue(type: GraphQLInputType, dateTime = AN_INSTANT): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, dateTime);
  if (isListType(type)) return [sampleValue(type.ofType, dateTime)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sampleValue(f.type, dateTime)]),
    );
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (type.name === 'DateTime') return dateTime;
  if (type.name === 'Int' || type.name === 'Float') return 1;
  if (type.name === 'Boolean') return true;
  return 'X1';
}

/** A value as written in an operation (object keys bare, enums unquoted). */
function literal(type: GraphQLInputType, value: unknown): string {
  if (isNonNullType(type)) return literal(type.ofType, value);
  if (isListType(type)) return `[${(value as unknown[]).map((v) => literal(type.ofType, v)).join(', ')}]`;
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const entries = Object.entries(value as Record<string, unknown>);
    return `{ ${entries.map(([k, v]) => `${k}: ${literal(fields[k]!.type, v)}`).join(', ')} }`;
  }
  if (isEnumType(type)) return String(value);
  return JSON.stringify(value);
}

/** The argument's value with a date alone at the place: the DateTime itself, or its input field. */
function valueWithDateAlone(place: DateTimePlace): { value: unknown; pathInArg: string } {
  if (place.inputField === null) {
    return { value: DATE_ALONE, pathInArg: isListType(unwrapNonNull(place.arg.type)) ? '[0]' : '' };
  }
  const value = sampleValue(place.arg.type);
  let item = value as Json;
  let pathInArg = '';
  while (Array.isArray(item)) {
    item = item[0];
    pathInArg += '[0]';
  }
  item[place.inputField] = DATE_ALONE;
  return { value, pathInArg: `${pathInArg}.${place.inputField}` };
}

function unwrapNonNull(type: GraphQLInputType): GraphQLInputType {
  return isNonNullType(type) ? type.ofType : type;
}

/** The operation asking for the place's field with `argValue` for its argument (written as given). */
function operation(place: DateTimePlace, argText: string, variables = ''): string {
  const route = ROUTES[place.type.name];
  if (!route) throw new Error(`no route to ${place.type.name}: add one to ROUTES`);
  const args = place.field.args
    .filter((a) => a === place.arg || isNonNullType(a.type))
    .map((a) => `${a.name}: ${a === place.arg ? argText : literal(a.type, sampleValue(a.type))}`);
  const returned = getNamedType(place.field.type);
  const selection = isLeafType(returned) ? '' : ' { __typename }';
  const field = `${place.field.name}(${args.join(', ')})${selection}`;
  const body = route.field ? `${route.field} { ${field} }` : field;
  return `${route.operation}${variables} { ${body} }`;
}

function fieldPath(place: DateTimePlace): string {
  const route = ROUTES[place.type.name]!;
  const parent = route.field ? `${route.field.slice(0, route.field.indexOf('('))}.` : '';
  return `${parent}${place.field.name}.${place.arg.name}`;
}

const where = (place: DateTimePlace) =>
  `${place.type.name}.${place.field.name}(${place.arg.name}${place.inputField ? `.${place.inputField}` : ''})`;

/** Status, and per error its code, argument path and message. */
async function answer(query: string, variables?: Record<string, unknown>): Promise<unknown[]> {
  const result = await postGraphQL(served.running.url, KEY, { query, variables });
  return [
    result.status,
    (result.body.errors ?? []).map((e: Json) => [e.extensions?.code, e.extensions?.argumentPath, e.message]),
  ];
}

test('the schema has DateTime arguments and input fields of each kind, all reachable here', () => {
  const places = dateTimePlaces(served.running.api.schema).map(where);
  // Spot checks that the walk finds what the tests below are about.
  expect(places).toEqual(
    expect.arrayContaining([
      'Query.outbreakSummary(asOf)',
      'Query.outbreakChanges(since)',
      'Person.stays(from)',
      'Case.contacts(asOf)',
      'Mutation.assignQuarantineSite(start)',
      'Mutation.addStays(stays.end)',
      'Mutation.addSamples(samples.sampledAt)',
    ]),
  );
  for (const place of dateTimePlaces(served.running.api.schema))
    expect(ROUTES[place.type.name]).toBeDefined();
});

describe('a date alone is refused with the same words at every DateTime', () => {
  const places = () => dateTimePlaces(served.running.api.schema);

  test('written in the operation: GRAPHQL_VALIDATION_FAILED at its argument path', async () => {
    const before = await served.temp.store.counts();
    for (const place of places()) {
      const { value, pathInArg } = valueWithDateAlone(place);
      const path = `${fieldPath(place)}${pathInArg}`;
      const query = operation(place, literal(place.arg.type, value));
      expect([where(place), await answer(query)]).toEqual([
        where(place),
        [400, [['GRAPHQL_VALIDATION_FAILED', path, `${path}: ${REFUSAL}`]]],
      ]);
    }
    expect(await served.temp.store.counts()).toEqual(before);
  });

  test('sent in a variable: BAD_USER_INPUT at the path in the variable', async () => {
    const before = await served.temp.store.counts();
    for (const place of places()) {
      const { value, pathInArg } = valueWithDateAlone(place);
      const query = operation(place, '$v', `($v: ${String(place.arg.type)})`);
      const at = pathInArg ? ` at "v${pathInArg}"` : '';
      expect([where(place), await answer(query, { v: value })]).toEqual([
        where(place),
        [
          400,
          [
            [
              'BAD_USER_INPUT',
              `$v${pathInArg}`,
              `Variable "$v" got invalid value "${DATE_ALONE}"${at}; ${REFUSAL}`,
            ],
          ],
        ],
      ]);
    }
    expect(await served.temp.store.counts()).toEqual(before);
  });

  test('an instant with its offset is taken at each of them', async () => {
    for (const place of places()) {
      const query = operation(place, '$v', `($v: ${String(place.arg.type)})`);
      const result = await postGraphQL(served.running.url, KEY, {
        query,
        variables: { v: sampleValue(place.arg.type) },
      });
      // Refused or not by the field as it runs (unknown ids), the value itself is no type error.
      expect([where(place), result.status]).toEqual([where(place), 200]);
    }
  });
});
