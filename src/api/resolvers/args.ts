/** Arguments shared by list fields: a page (first/after) and a time window (from/to). */
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { ArgsType, Field, Int } from 'type-graphql';
import { badUserInput } from '../errors';
import { ALL_TIME } from '../loaders';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination';
import { DateTimeScalar } from '../types/date-time.scalar';

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The endCursor of the previous page. A text that is no cursor of this list is refused (BAD_USER_INPUT), on an empty list too.',
  })
  after?: string | null;
}

@ArgsType()
export class WindowArgs {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Window start (inclusive); open when omitted.',
  })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Window end (inclusive); open when omitted.' })
  to?: Date | null;
}

@ArgsType()
export class WindowPageArgs extends PageArgs {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Window start (inclusive); open when omitted.',
  })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Window end (inclusive); open when omitted.' })
  to?: Date | null;
}

@ArgsType()
export class RequiredWindowPageArgs extends PageArgs {
  @Field(() => DateTimeScalar, { description: 'Window start (inclusive).' })
  from!: Date;

  @Field(() => DateTimeScalar, { description: 'Window end (inclusive).' })
  to!: Date;
}

/** What the lookups by id say of the ids they take. */
export const LOOKUP_ID_RULE =
  'Spaces around an id are ignored, as writes ignore them; an empty or blank id is refused (BAD_USER_INPUT).';

/**
 * An id to look a record up by, read as a write reads it: without the spaces around it (records are
 * stored with their ids trimmed, so `"P1 "` names P1). An empty or blank one is refused with
 * BAD_USER_INPUT at `path`: no record has such an id, and the null it would give reads as "there is
 * none", not as a mistake.
 */
export function lookupId(id: string, path: string, what: string): string {
  const trimmed = id.trim();
  if (trimmed !== '') return trimmed;
  throw badUserInput([{ path, reason: `is ${id === '' ? 'empty' : 'blank'}: give ${what} id` }]);
}

/** The window as epoch milliseconds; an omitted end is open. */
export function windowOf(args: { from?: Date | null; to?: Date | null }): { from: number; to: number } {
  const from = args.from ? args.from.getTime() : ALL_TIME.from;
  const to = args.to ? args.to.getTime() : ALL_TIME.to;
  if (to < from) throw badUserInput([{ path: 'to', reason: 'is before from' }]);
  return { from, to };
}

/** A connection costs its page size times what each node costs. */
export const pagedComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(1, Math.min(first, MAX_PAGE_SIZE));
};

/**
 * A list of at most `max` items, sized by its `first` (default `defaultSize`): priced at that size,
 * but never above `max`, so that a `first` over the limit reaches the field, which refuses it
 * naming `first`, rather than being refused as a whole query too costly to run.
 */
export const firstSizedComplexity =
  (defaultSize: number, max: number): ComplexityEstimator =>
  ({ args, childComplexity }) => {
    const first = typeof args.first === 'number' ? args.first : defaultSize;
    return 1 + childComplexity * Math.max(1, Math.min(first, max));
  };

/** An unpaged list is priced as if it held this many items. */
export const listComplexity =
  (typicalLength: number): ComplexityEstimator =>
  ({ childComplexity }) =>
    1 + childComplexity * typicalLength;
