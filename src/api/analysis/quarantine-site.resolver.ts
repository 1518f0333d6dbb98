/** QuarantineSite: the site as a place, and its free beds. */
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SiteUsage } from '../../analysis/quarantine';
import type { Place } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { PlaceType } from '../types/place.type';
import { QuarantineSiteType } from './quarantine-site.type';
import { keyOfParent, placeIn, type Scoped } from './scope';

@Resolver(() => QuarantineSiteType)
export class QuarantineSiteResolver {
  @FieldResolver(() => PlaceType, { nullable: true })
  place(@Root() site: Scoped<SiteUsage>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return placeIn(ctx, keyOfParent(site), site.siteId);
  }

  @FieldResolver(() => Int, { description: 'Beds left: capacity less occupied and assigned beds.' })
  free(@Root() site: SiteUsage): number {
    return Math.max(0, site.capacity - site.occupied - site.assigned);
  }
}
