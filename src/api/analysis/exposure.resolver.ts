/** Exposure: the exposed person, the source (and its case), and where it happened. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Exposure } from '../../analysis/model';
import type { Case, Person } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { CaseType } from '../types/case.type';
import type { Entity } from '../types/entity';
import { PersonType } from '../types/person.type';
import { EntityUnion, StayHost } from '../types/unions';
import { ExposureType } from './exposure.type';
import { entityIn, keyOfParent, outbreakFor, caseIn, personIn, type Scoped } from './scope';

/** Exposures as a connection: by start, then end, source, person and host (unique, so cursors are stable). */
export const exposureSortKey = (e: Exposure): [number, number, string, string, string, string] => [
  e.start,
  e.end,
  e.sourceId,
  e.personId,
  e.hostId ?? '',
  e.setting,
];

@Resolver(() => ExposureType)
export class ExposureResolver {
  @FieldResolver(() => PersonType, { nullable: true, description: 'The exposed person.' })
  person(@Root() exposure: Scoped<Exposure>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return personIn(ctx, keyOfParent(exposure), exposure.personId);
  }

  @FieldResolver(() => EntityUnion, {
    nullable: true,
    description: 'The case (its person), or the contaminated lot, boat or place.',
  })
  source(@Root() exposure: Scoped<Exposure>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(exposure), exposure.sourceId);
  }

  @FieldResolver(() => CaseType, {
    nullable: true,
    description: 'The source case, when the source is a case.',
  })
  async sourceCase(@Root() exposure: Scoped<Exposure>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    if (exposure.sourceKind !== 'case') return null;
    return caseIn(await outbreakFor(ctx, exposure), exposure.sourceId);
  }

  @FieldResolver(() => StayHost, {
    nullable: true,
    description: 'Where: the place or boat (the home, for a household); null for a reported contact.',
  })
  host(@Root() exposure: Scoped<Exposure>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(exposure), exposure.hostId);
  }
}
