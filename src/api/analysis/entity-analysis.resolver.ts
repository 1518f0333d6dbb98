/**
 * What analysis adds to persons, boats, lots and places: a person's exposures and quarantine
 * entry, the exposures aboard a boat, from a lot or at a place, and a place's risk area.
 */
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Exposure } from '../../analysis/model';
import type { QuarantineEntry } from '../../analysis/quarantine';
import type { RiskArea } from '../../analysis/risk-areas';
import type { Boat, ColdChainItem, Person, Place } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { paginate, type Page } from '../pagination';
import { pagedComplexity } from '../resolvers/args';
import { BoatType } from '../types/boat.type';
import { ColdChainItemType } from '../types/cold-chain-item.type';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { AsOfCapacityArgs, AsOfPageArgs, AsOfArgs } from './args';
import { ExposureConnection } from './exposure.type';
import { exposureSortKey } from './exposure.resolver';
import { QuarantineEntryType } from './quarantine-entry.type';
import { RiskAreaType } from './risk-area.type';
import { outbreakFor, scoped, scopedOrNull, type Scoped } from './scope';
import type { AnalysedOutbreak } from '../services/analysis.service';

function exposurePage(
  outbreak: AnalysedOutbreak,
  exposures: readonly Exposure[],
  args: AsOfPageArgs,
): Page<Scoped<Exposure>> {
  return paginate(
    exposures.map((e) => scoped(e, outbreak.key)),
    args,
    exposureSortKey,
    [0, 0, '', '', '', ''],
  );
}

@Resolver(() => PersonType)
export class PersonAnalysisResolver {
  @FieldResolver(() => ExposureConnection, {
    description: "This person's exposures to cases and contaminated lots, boats or places, by start.",
    complexity: pagedComplexity,
  })
  async exposures(
    @Root() person: Scoped<Person>,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<Exposure>>> {
    const outbreak = await outbreakFor(ctx, person, args);
    return exposurePage(outbreak, outbreak.index.exposuresOfPerson(person.id), args);
  }

  @FieldResolver(() => QuarantineEntryType, {
    nullable: true,
    description: "This person's entry in the quarantine priority list; null when not exposed.",
  })
  async quarantine(
    @Root() person: Scoped<Person>,
    @Args(() => AsOfCapacityArgs) args: AsOfCapacityArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<QuarantineEntry> | null> {
    const outbreak = await outbreakFor(ctx, person, args);
    return scopedOrNull(outbreak.index.quarantineOf(person.id), outbreak.key);
  }
}

@Resolver(() => BoatType)
export class BoatAnalysisResolver {
  @FieldResolver(() => ExposureConnection, {
    description:
      'Exposures aboard this boat (crew with a case aboard, or aboard while the boat was contaminated), by start.',
    complexity: pagedComplexity,
  })
  async crewExposures(
    @Root() boat: Scoped<Boat>,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<Exposure>>> {
    const outbreak = await outbreakFor(ctx, boat, args);
    return exposurePage(outbreak, outbreak.index.exposuresAt(boat.id), args);
  }
}

@Resolver(() => ColdChainItemType)
export class ColdChainItemAnalysisResolver {
  @FieldResolver(() => ExposureConnection, {
    description: 'Exposures to this lot while it was contaminated (its handlers), by start.',
    complexity: pagedComplexity,
  })
  async exposures(
    @Root() item: Scoped<ColdChainItem>,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<Exposure>>> {
    const outbreak = await outbreakFor(ctx, item, args);
    return exposurePage(outbreak, outbreak.index.exposuresAt(item.id), args);
  }
}

@Resolver(() => PlaceType)
export class PlaceAnalysisResolver {
  @FieldResolver(() => ExposureConnection, {
    description: 'Exposures that happened here (with a case, or while the place was contaminated), by start.',
    complexity: pagedComplexity,
  })
  async exposures(
    @Root() place: Scoped<Place>,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<Exposure>>> {
    const outbreak = await outbreakFor(ctx, place, args);
    return exposurePage(outbreak, outbreak.index.exposuresAt(place.id), args);
  }

  @FieldResolver(() => RiskAreaType, {
    nullable: true,
    description: 'The risk area this place is, at asOf; null when none.',
  })
  async riskArea(
    @Root() place: Scoped<Place>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<RiskArea> | null> {
    const outbreak = await outbreakFor(ctx, place, args);
    return scopedOrNull(outbreak.index.riskAreaOf(place.id), outbreak.key);
  }
}
