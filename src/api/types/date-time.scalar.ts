/**
 * The API's DateTime: graphql-scalars' DateTime (an RFC 3339 date-time with its offset, read into
 * a Date, answered at UTC), except that a date alone is refused saying so, with the value to write
 * instead: the library's own message (`invalid date-time-string 2022-08-12`) gives no hint. The
 * one scalar serves every argument and input field of the type, written in the operation or sent
 * in a variable; a date alone stays refused, as it does not say which moment of the day it means.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { DAY, MINUTE, formatInstant, parseInstant } from '../../domain/time';

const DATE_ALONE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why `text` is no DateTime when it is a date alone (`2022-08-12`), with an example on that date
 * in the district's time; undefined for any other text, which the library's checks then refuse or
 * take.
 */
function dateAloneProblem(text: string): string | undefined {
  const midnight = DATE_ALONE.test(text) ? parseInstant(text, true) : null;
  if (midnight === null) return undefined;
  const example = formatInstant(midnight + DAY - MINUTE);
  return `DateTime cannot represent "${text}", a date without a time of day: give the time and UTC offset too, e.g. ${example}.`;
}

function refuseDateAlone(value: unknown, node?: ValueNode): void {
  const problem = typeof value === 'string' ? dateAloneProblem(value) : undefined;
  if (problem !== undefined) throw new GraphQLError(problem, { nodes: node });
}

export const DateTimeScalar = new GraphQLScalarType<Date, Date>({
  ...GraphQLDateTime.toConfig(),
  description:
    'An instant: an RFC 3339 date-time with its UTC offset, such as 2022-08-12T23:59:00+08:00 or ' +
    '2022-08-12T15:59:00Z; answered at UTC. A date alone (2022-08-12) is refused, as it does not ' +
    'say which moment of the day it means.',
  parseValue(value) {
    refuseDateAlone(value);
    return GraphQLDateTime.parseValue(value);
  },
  parseLiteral(node, variables) {
    // A node, so that the refusal of a value written in the operation names its place in it.
    if (node.kind === Kind.STRING) refuseDateAlone(node.value, node);
    return GraphQLDateTime.parseLiteral(node, variables);
  },
});
