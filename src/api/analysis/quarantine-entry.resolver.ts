/**
 * The quarantine priority list (quarantinePriority), each entry's person, site, household and
 * reasons, and the evidence behind a contact tier.
 */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { QuarantineEntry, SiteUsage } from '../../analysis/quarantine';
import { closeContactOf, closeContactsMet, type ContactTier, type TierEvidence } from '../../analysis/tiers';
import type { Id, Instant, Person, Place } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { paginate, type Page } from '../pagination';
import { listComplexity, pagedComplexity } from '../resolvers/args';
import type { Entity } from '../types/entity';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { EntityUnion, StayHost } from '../types/unions';
import { AsOfCapacityPageArgs, onlyThese } from './args';
import { ContactTierEnum } from './enums';
import { ContactEvidenceType, QuarantineEntryType, QuarantinePlanType } from './quarantine-entry.type';
import { entityIn, keyOfParent, outbreakFor, personIn, placeIn, scoped, type Scoped } from './scope';

export interface QuarantinePlanRecord extends Page<Scoped<QuarantineEntry>> {
  asOf: Instant;
  capacity: number | null;
  beds: number;
  occupied: number;
  assigned: number;
  waiting: number;
  sites: Scoped<SiteUsage>[];
}

@Resolver(() => QuarantinePlanType)
export class QuarantinePlanResolver {
  @Authorized()
  @Query(() => QuarantinePlanType, {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description:
      'Exposed persons in quarantine priority order (1 first): probability of infection from attack rate, dose and source infectiousness, weighted by household size, centrality and vulnerability; beds at quarantine sites keep households together.',
    complexity: pagedComplexity,
  })
  async quarantinePriority(
    @Args(() => AsOfCapacityPageArgs) args: AsOfCapacityPageArgs,
    @Arg('tiers', () => [ContactTierEnum], {
      nullable: true,
      description:
        'Only these tiers, at least one (default: every tier; persons exposed below every tier are left out).',
    })
    tiers: ContactTier[] | null,
    @Ctx() ctx: ApiContext,
  ): Promise<QuarantinePlanRecord> {
    const wanted = onlyThese(tiers, 'tiers', 'tier');
    const outbreak = await outbreakFor(ctx, null, args);
    const plan = outbreak.analysis.quarantine;
    const entries = plan.entries
      .filter((e) => e.tier !== null && (!wanted || wanted.has(e.tier)))
      .map((e) => scoped(e, outbreak.key));
    return {
      ...paginate(entries, args, (e): [number, string] => [e.priority, e.personId], [0, '']),
      asOf: outbreak.key.asOf,
      capacity: outbreak.key.capacity,
      beds: plan.sites.reduce((sum, s) => sum + s.capacity, 0),
      occupied: plan.sites.reduce((sum, s) => sum + s.occupied, 0),
      assigned: plan.sites.reduce((sum, s) => sum + s.assigned, 0),
      waiting: plan.waiting,
      sites: plan.sites.map((s) => scoped(s, outbreak.key)),
    };
  }
}

@Resolver(() => QuarantineEntryType)
export class QuarantineEntryResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() entry: Scoped<QuarantineEntry>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return personIn(ctx, keyOfParent(entry), entry.personId);
  }

  @FieldResolver(() => PlaceType, {
    nullable: true,
    description:
      'The quarantine site of the bed assigned (placement SITE); for placement COMPLETED, the site the person is still at on asOf: due for release.',
  })
  site(@Root() entry: Scoped<QuarantineEntry>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return placeIn(ctx, keyOfParent(entry), entry.assignedSiteId);
  }

  @FieldResolver(() => PlaceType, {
    nullable: true,
    description: 'The home shared with other exposed persons, if any.',
  })
  household(@Root() entry: Scoped<QuarantineEntry>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return placeIn(ctx, keyOfParent(entry), entry.householdId);
  }

  @FieldResolver(() => [ID], {
    description:
      'Whose close contact the person is: the cases (by person id), lots, boats and places whose exposures make them one, and the close contacts who turned positive that upgraded them; sorted, empty unless tier is CLOSE_CONTACT. A venue exposure to another case does not list it.',
  })
  async closeContactOf(
    @Root() entry: Scoped<QuarantineEntry>,
    @Ctx() ctx: ApiContext,
  ): Promise<readonly Id[]> {
    const outbreak = await outbreakFor(ctx, entry);
    return closeContactOf(outbreak.index.tierOf(entry.personId));
  }

  @FieldResolver(() => [ID], {
    description:
      'For a contact of a close contact, the close contacts through whom (sorted); empty for the other tiers.',
  })
  async closeContactsMet(
    @Root() entry: Scoped<QuarantineEntry>,
    @Ctx() ctx: ApiContext,
  ): Promise<readonly Id[]> {
    const outbreak = await outbreakFor(ctx, entry);
    return closeContactsMet(outbreak.index.tierOf(entry.personId));
  }

  @FieldResolver(() => [ContactEvidenceType], {
    description: 'The exposures behind the tier: those of the tier first, then any lower-tier ones.',
    complexity: listComplexity(5),
  })
  async evidence(
    @Root() entry: Scoped<QuarantineEntry>,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<TierEvidence>[]> {
    const outbreak = await outbreakFor(ctx, entry);
    return (outbreak.index.tierOf(entry.personId)?.evidence ?? []).map((e) => scoped(e, outbreak.key));
  }
}

@Resolver(() => ContactEvidenceType)
export class ContactEvidenceResolver {
  @FieldResolver(() => EntityUnion, {
    nullable: true,
    description: 'The case (its person), close contact, lot, boat or place.',
  })
  source(@Root() evidence: Scoped<TierEvidence>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(evidence), evidence.sourceId);
  }

  @FieldResolver(() => StayHost, { nullable: true, description: 'Where; null for a reported contact.' })
  host(@Root() evidence: Scoped<TierEvidence>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(evidence), evidence.hostId);
  }
}
