/** Arguments of analysis fields: the as-of instant (and bed capacity), alone or with a page. */
import { ArgsType, Field, Int } from 'type-graphql';
import { badUserInput } from '../errors';
import { PageArgs } from '../resolvers/args';
import { DateTimeScalar } from '../types/date-time.scalar';

const AS_OF =
  'Analyse what was known at this instant. Default: what the parent came from, else the end of the day of the latest case event.';
const CAPACITY = "At most this many quarantine beds in all. Default: the sites' own capacity.";

@ArgsType()
export class AsOfArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: AS_OF })
  asOf?: Date | null;
}

@ArgsType()
export class AsOfPageArgs extends PageArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: AS_OF })
  asOf?: Date | null;
}

@ArgsType()
export class AsOfCapacityArgs extends AsOfArgs {
  @Field(() => Int, { nullable: true, description: CAPACITY })
  capacity?: number | null;
}

@ArgsType()
export class AsOfCapacityPageArgs extends AsOfPageArgs {
  @Field(() => Int, { nullable: true, description: CAPACITY })
  capacity?: number | null;
}

/**
 * The id an analysis list is narrowed to (`filter.includesPerson`, `sources(chainId)`), or null when
 * none is given. An empty or blank one is refused with BAD_USER_INPUT at `path`: no record has
 * such an id, so it would match nothing, and an empty answer reads as "none", not as a mistake.
 */
export function narrowingId(
  id: string | null | undefined,
  path: string,
  means: { a: string; leftOut: string },
): string | null {
  if (id === null || id === undefined) return null;
  // Read as lookups read ids: without the spaces around it.
  if (id.trim() !== '') return id.trim();
  const what = id === '' ? 'empty' : 'blank';
  throw badUserInput([
    { path, reason: `is ${what}: give ${means.a} id, or leave it out for ${means.leftOut}` },
  ]);
}

/**
 * The values a list field is narrowed to (`tiers`, `levels`), or null when the argument is left
 * out. An empty list is refused with BAD_USER_INPUT at `path`: "only these" of none is no answer a
 * client means, and taking it as every value (as a missing argument is) would answer a filter with
 * nothing ticked with everything.
 */
export function onlyThese<T>(
  values: readonly T[] | null | undefined,
  path: string,
  what: string,
): Set<T> | null {
  if (values === null || values === undefined) return null;
  if (values.length) return new Set(values);
  throw badUserInput([
    { path, reason: `is empty: list at least one ${what}, or leave it out for every ${what}` },
  ]);
}
