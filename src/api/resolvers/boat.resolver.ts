/** Boat: lookup, home port, crew and cargo in a window, dockings, environmental samples. */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Boat, EntityKind, Place, Sample, Stay } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import type { ApiContext } from '../context.type';
import type { Page } from '../pagination';
import { BoatType } from '../types/boat.type';
import { StayConnection } from '../types/connections';
import { PlaceType } from '../types/place.type';
import { SampleType } from '../types/sample.type';
import {
  listComplexity,
  LOOKUP_ID_RULE,
  lookupId,
  pagedComplexity,
  RequiredWindowPageArgs,
  windowOf,
  WindowPageArgs,
} from './args';
import { bySampledAt } from './person.resolver';
import { stayPage } from './stay-pages';

/** Stays aboard the boat in the window whose subject is of the given kind. */
async function aboard(
  boat: Scoped<Boat>,
  args: RequiredWindowPageArgs,
  kind: EntityKind,
  ctx: ApiContext,
): Promise<Page<Stay>> {
  const stays = await ctx.loaders.staysAtHost.load({ id: boat.id, ...windowOf(args) });
  const kinds = await Promise.all(stays.map((s) => ctx.loaders.entityKinds.load(s.subjectId)));
  return stayPage(
    boat,
    stays.filter((_, i) => kinds[i] === kind),
    args,
  );
}

@Resolver(() => BoatType)
export class BoatResolver {
  @Authorized()
  @Query(() => BoatType, {
    nullable: true,
    description: `A boat by id; null when there is none. ${LOOKUP_ID_RULE}`,
  })
  boat(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Boat | null> {
    return ctx.loaders.boats.load(lookupId(id, 'id', "a boat's"));
  }

  @FieldResolver(() => PlaceType, { nullable: true })
  async homePort(@Root() boat: Scoped<Boat>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return boat.homePortId ? inScopeOf(boat, await ctx.loaders.places.load(boat.homePortId)) : null;
  }

  @FieldResolver(() => StayConnection, {
    description: 'Persons aboard overlapping [from, to], by start.',
    complexity: pagedComplexity,
  })
  crew(
    @Root() boat: Scoped<Boat>,
    @Args(() => RequiredWindowPageArgs) args: RequiredWindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    return aboard(boat, args, 'person', ctx);
  }

  @FieldResolver(() => StayConnection, {
    description: 'Cold-chain lots carried overlapping [from, to], by start.',
    complexity: pagedComplexity,
  })
  cargo(
    @Root() boat: Scoped<Boat>,
    @Args(() => RequiredWindowPageArgs) args: RequiredWindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    return aboard(boat, args, 'item', ctx);
  }

  @FieldResolver(() => StayConnection, {
    description: 'Where the boat was docked, overlapping the window, by start.',
    complexity: pagedComplexity,
  })
  async dockings(
    @Root() boat: Scoped<Boat>,
    @Args(() => WindowPageArgs) args: WindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    return stayPage(boat, await ctx.loaders.staysOfSubject.load({ id: boat.id, ...windowOf(args) }), args);
  }

  @FieldResolver(() => [SampleType], {
    description: 'Environmental samples of the boat, by time.',
    complexity: listComplexity(5),
  })
  async samples(@Root() boat: Scoped<Boat>, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return inScopeOf(boat, bySampledAt(await ctx.loaders.samplesOf.load(boat.id)));
  }
}
