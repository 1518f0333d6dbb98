/**
 * The GraphQL schema, built from the decorated types and resolvers (type-graphql), and its SDL as
 * checked in at schema/schema.graphql (printed from the lexicographically sorted schema).
 */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { analysisResolvers } from './analysis';
import { authChecker } from './auth-checker';
import { fieldInputErrors, storeErrorsAsGraphQLErrors } from './errors';
import { BoatResolver } from './resolvers/boat.resolver';
import { CaseResolver, SampleResolver } from './resolvers/case.resolver';
import { ColdChainItemResolver } from './resolvers/cold-chain-item.resolver';
import { ContactResolver, HandlingResolver } from './resolvers/contact.resolver';
import { PersonResolver } from './resolvers/person.resolver';
import { PlaceResolver } from './resolvers/place.resolver';
import { QuarantineAssignmentResolver } from './resolvers/quarantine-assignment.resolver';
import { RecordsResolver } from './resolvers/records.resolver';
import { StatsResolver } from './resolvers/stats.resolver';
import { StayResolver } from './resolvers/stay.resolver';
import { DateTimeScalar } from './types/date-time.scalar';

let built: GraphQLSchema | null = null;

/** The API schema (built once per process: type-graphql's metadata is global). */
export function buildApiSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [
      PersonResolver,
      PlaceResolver,
      BoatResolver,
      ColdChainItemResolver,
      StayResolver,
      ContactResolver,
      HandlingResolver,
      CaseResolver,
      SampleResolver,
      StatsResolver,
      RecordsResolver,
      QuarantineAssignmentResolver,
      ...analysisResolvers,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    validate: false,
    globalMiddlewares: [storeErrorsAsGraphQLErrors, fieldInputErrors],
    emitSchemaFile: false,
  });
  return built;
}

export const SCHEMA_HEADER =
  '# The tracegraph GraphQL API. Generated from src/api by `npm run schema`; do not edit by hand.\n\n';

/** The SDL as checked in: a header line, then the sorted schema. */
export function printApiSchema(schema: GraphQLSchema = buildApiSchema()): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
