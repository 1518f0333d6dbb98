/** ColdChainItem: lookup, who handled the lot, where it was stored or carried, its samples. */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { compareCodeUnits } from '../../domain/code-units';
import type { ColdChainItem, Handling, Sample, Stay } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import type { ApiContext } from '../context.type';
import type { Page } from '../pagination';
import { ColdChainItemType } from '../types/cold-chain-item.type';
import { StayConnection } from '../types/connections';
import { HandlingType } from '../types/handling.type';
import { SampleType } from '../types/sample.type';
import {
  listComplexity,
  LOOKUP_ID_RULE,
  lookupId,
  pagedComplexity,
  WindowArgs,
  windowOf,
  WindowPageArgs,
} from './args';
import { bySampledAt } from './person.resolver';
import { stayPage } from './stay-pages';

@Resolver(() => ColdChainItemType)
export class ColdChainItemResolver {
  @Authorized()
  @Query(() => ColdChainItemType, {
    nullable: true,
    description: `A cold-chain lot by id; null when there is none. ${LOOKUP_ID_RULE}`,
  })
  coldChainItem(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<ColdChainItem | null> {
    return ctx.loaders.items.load(lookupId(id, 'id', "a lot's"));
  }

  @FieldResolver(() => [HandlingType], {
    description: 'Who handled this lot within the window, by time.',
    complexity: listComplexity(10),
  })
  async handlers(
    @Root() item: Scoped<ColdChainItem>,
    @Args(() => WindowArgs) args: WindowArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Handling[]> {
    const handlings = await ctx.loaders.handlingsOf.load({ id: item.id, ...windowOf(args) });
    return inScopeOf(
      item,
      [...handlings].sort((a, b) => a.at - b.at || compareCodeUnits(a.personId, b.personId)),
    );
  }

  @FieldResolver(() => StayConnection, {
    description: 'Where the lot was stored (places) or carried (boats), overlapping the window, by start.',
    complexity: pagedComplexity,
  })
  async storage(
    @Root() item: Scoped<ColdChainItem>,
    @Args(() => WindowPageArgs) args: WindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    return stayPage(item, await ctx.loaders.staysOfSubject.load({ id: item.id, ...windowOf(args) }), args);
  }

  @FieldResolver(() => [SampleType], {
    description: 'Environmental samples of the lot, by time.',
    complexity: listComplexity(5),
  })
  async samples(@Root() item: Scoped<ColdChainItem>, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return inScopeOf(item, bySampledAt(await ctx.loaders.samplesOf.load(item.id)));
  }
}
