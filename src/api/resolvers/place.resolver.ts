/** Place: lookup, name (a home's masked or audited), visitors in a window, residents of a home, samples. */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { compareCodeUnits } from '../../domain/code-units';
import type { Person, Place, Sample, Stay } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import type { ApiContext } from '../context.type';
import { primePersons } from '../loaders';
import type { Page } from '../pagination';
import { placeName } from '../personal-data';
import { StayConnection } from '../types/connections';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { SampleType } from '../types/sample.type';
import {
  listComplexity,
  LOOKUP_ID_RULE,
  lookupId,
  pagedComplexity,
  RequiredWindowPageArgs,
  windowOf,
} from './args';
import { bySampledAt } from './person.resolver';
import { stayPage } from './stay-pages';

@Resolver(() => PlaceType)
export class PlaceResolver {
  @Authorized()
  @Query(() => PlaceType, {
    nullable: true,
    description: `A place by id; null when there is none. ${LOOKUP_ID_RULE}`,
  })
  place(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return ctx.loaders.places.load(lookupId(id, 'id', "a place's"));
  }

  // Every Place the API returns (a person's home, a stay's host, a risk area, an exposure's host,
  // a source, ...) resolves its name here.
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A home's name is an address: masked for the cdc role (first character kept), audited otherwise. Other places' names are not personal data.",
  })
  name(@Root() place: Place, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): string | null {
    return placeName(place, ctx, info);
  }

  @FieldResolver(() => StayConnection, {
    description:
      'Stays at this place overlapping [from, to]: persons, lots stored here and boats docked here, by start.',
    complexity: pagedComplexity,
  })
  async visitors(
    @Root() place: Scoped<Place>,
    @Args(() => RequiredWindowPageArgs) args: RequiredWindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    const stays = await ctx.loaders.staysAtHost.load({ id: place.id, ...windowOf(args) });
    return stayPage(place, stays, args);
  }

  @FieldResolver(() => [PersonType], {
    description: 'People whose home this is (empty for other kinds of place).',
    complexity: listComplexity(5),
  })
  async residents(@Root() place: Scoped<Place>, @Ctx() ctx: ApiContext): Promise<Person[]> {
    const residents = await ctx.loaders.residentsOf.load(place.id);
    primePersons(ctx.loaders, residents);
    // Reached through an analysis, the residents answer from the same analysis.
    return inScopeOf(
      place,
      [...residents].sort((a, b) => compareCodeUnits(a.id, b.id)),
    );
  }

  @FieldResolver(() => [SampleType], {
    description: 'Environmental samples taken here, by time.',
    complexity: listComplexity(5),
  })
  async samples(@Root() place: Scoped<Place>, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return inScopeOf(place, bySampledAt(await ctx.loaders.samplesOf.load(place.id)));
  }
}
