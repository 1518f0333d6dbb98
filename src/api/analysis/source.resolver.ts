/**
 * Sources: the likely origins of the outbreak (or of one chain), best first; each with its chains.
 * A plain list (at most 100 a page) paged by `after` a source's `cursor`: a connection in its place
 * would break every query written for the list.
 */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { TransmissionChain } from '../../analysis/chains';
import { byRank, type RankedSource } from '../../analysis/sources';
import type { ApiContext } from '../context.type';
import { badUserInput } from '../errors';
import { decodeCursor, encodeCursor } from '../pagination';
import { firstSizedComplexity, listComplexity } from '../resolvers/args';
import type { AnalysedOutbreak } from '../services/analysis.service';
import type { Entity } from '../types/entity';
import { EntityUnion } from '../types/unions';
import { AsOfArgs, narrowingId } from './args';
import { entityIn, keyOfParent, outbreakFor, scoped, type Scoped } from './scope';
import { SourceType } from './source.type';
import { TransmissionChainType } from './transmission-chain.type';

export const MAX_SOURCES = 100;

/** A source's cursor: its score and id, the key the list is ranked by (see `pagination.ts`). */
export const sourceCursor = (source: Pick<RankedSource, 'score' | 'id'>): string =>
  encodeCursor([source.score, source.id]);

/** The score and id a cursor holds; BAD_USER_INPUT at `after` when it holds none. */
function afterSource(after: string): Pick<RankedSource, 'score' | 'id'> {
  const key = decodeCursor(after, [0, '']);
  if (!key) throw badUserInput([{ path: 'after', reason: 'is not a cursor of this list' }]);
  return { score: key[0] as number, id: key[1] as string };
}

/**
 * The sources ranked after `after`: by score and id rather than position, so that a page asked
 * for from a list that has changed since (a later default `asOf`) goes on from the same place.
 */
function rankedAfter(
  ranked: readonly RankedSource[],
  after: Pick<RankedSource, 'score' | 'id'> | null,
): readonly RankedSource[] {
  if (after === null) return ranked;
  const start = ranked.findIndex((s) => byRank(after, s) < 0);
  return start < 0 ? [] : ranked.slice(start);
}

export function sourceRecords(
  outbreak: AnalysedOutbreak,
  sources: readonly RankedSource[],
): Scoped<RankedSource>[] {
  return sources.map((s) => scoped(s, outbreak.key));
}

@Resolver(() => SourceType)
export class SourceResolver {
  @Authorized()
  @Query(() => [SourceType], {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description: 'Likely origins, best first: of the whole outbreak, or of one chain.',
    complexity: firstSizedComplexity(10, MAX_SOURCES),
  })
  async sources(
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: `At most ${MAX_SOURCES}.` })
    first: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Only the sources ranked after the one with this `cursor`: the next page.',
    })
    after: string | null,
    @Arg('chainId', () => ID, {
      nullable: true,
      description:
        'Only the sources of this chain (its own scores). An unknown id has none; an empty or blank one is refused (BAD_USER_INPUT): leave it out for the whole outbreak.',
    })
    chainId: string | null,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<RankedSource>[]> {
    first ??= 10;
    if (!Number.isInteger(first) || first < 0 || first > MAX_SOURCES) {
      throw badUserInput([{ path: 'first', reason: `must be a whole number from 0 to ${MAX_SOURCES}` }]);
    }
    const from = after === null || after === undefined ? null : afterSource(after);
    const ofChain = narrowingId(chainId, 'chainId', { a: 'a chain', leftOut: 'the whole outbreak' });
    const outbreak = await outbreakFor(ctx, null, args);
    // An unknown chain id selects too: it names no chain, so there are no sources.
    const ranked =
      ofChain !== null
        ? (outbreak.analysis.sources.byChain.get(ofChain) ?? [])
        : outbreak.analysis.sources.overall;
    return sourceRecords(outbreak, rankedAfter(ranked, from).slice(0, first));
  }

  @FieldResolver(() => String, {
    description: 'Opaque. Pass as `after` to get the sources ranked after this one.',
  })
  cursor(@Root() source: Scoped<RankedSource>): string {
    return sourceCursor(source);
  }

  @FieldResolver(() => EntityUnion, { nullable: true, description: 'The person, lot, boat or place.' })
  entity(@Root() source: Scoped<RankedSource>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(source), source.id);
  }

  @FieldResolver(() => [TransmissionChainType], {
    description: 'The chains it may have started.',
    complexity: listComplexity(5),
  })
  async chains(
    @Root() source: Scoped<RankedSource>,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<TransmissionChain>[]> {
    const outbreak = await outbreakFor(ctx, source);
    return source.chainIds
      .map((id) => outbreak.index.chain(id))
      .filter((c): c is TransmissionChain => c !== null)
      .map((c) => scoped(c, outbreak.key));
  }
}
