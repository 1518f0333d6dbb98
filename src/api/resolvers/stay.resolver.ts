/** Stay: its subject and host (unions resolved through the entity-kind loader) and what it is. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { stayTypeOf, type Stay, type StayType as StayRelation } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import type { ApiContext } from '../context.type';
import { loadEntity, type Entity } from '../types/entity';
import { StayRelationEnum } from '../types/enums';
import { StayType } from '../types/stay.type';
import { StayHost, StaySubject } from '../types/unions';

@Resolver(() => StayType)
export class StayResolver {
  @FieldResolver(() => StaySubject, {
    nullable: true,
    description: 'Who or what stayed; null only if its record is missing.',
  })
  async subject(@Root() stay: Scoped<Stay>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return inScopeOf(stay, await loadEntity(ctx.loaders, stay.subjectId));
  }

  @FieldResolver(() => StayHost, {
    nullable: true,
    description: 'Where; null only if its record is missing.',
  })
  async host(@Root() stay: Scoped<Stay>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return inScopeOf(stay, await loadEntity(ctx.loaders, stay.hostId));
  }

  @FieldResolver(() => StayRelationEnum, { nullable: true })
  async relation(@Root() stay: Stay, @Ctx() ctx: ApiContext): Promise<StayRelation | null> {
    const [subject, host] = await Promise.all([
      ctx.loaders.entityKinds.load(stay.subjectId),
      ctx.loaders.entityKinds.load(stay.hostId),
    ]);
    return subject && host ? stayTypeOf(subject, host) : null;
  }
}
