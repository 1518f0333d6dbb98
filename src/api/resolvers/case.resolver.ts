/** Case and Sample: a case by person, its person and samples; what a sample was taken from. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Case, Person, Sample } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { CaseType } from '../types/case.type';
import { loadEntity, type Entity } from '../types/entity';
import { PersonType } from '../types/person.type';
import { SampleType } from '../types/sample.type';
import { SampleSubject } from '../types/unions';
import { listComplexity } from './args';
import { bySampledAt } from './person.resolver';

@Resolver(() => CaseType)
export class CaseResolver {
  @Authorized()
  @Query(() => CaseType, {
    nullable: true,
    description: "A person's case; null when the person is not a case.",
  })
  case(@Arg('personId', () => ID) personId: string, @Ctx() ctx: ApiContext): Promise<Case | null> {
    return ctx.loaders.caseOf.load(personId);
  }

  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() c: Case, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(c.personId);
  }

  @FieldResolver(() => [SampleType], {
    description: "The person's tests, by time.",
    complexity: listComplexity(5),
  })
  async samples(@Root() c: Case, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return bySampledAt(await ctx.loaders.samplesOf.load(c.personId));
  }
}

@Resolver(() => SampleType)
export class SampleResolver {
  @FieldResolver(() => SampleSubject, { nullable: true })
  subject(@Root() sample: Sample, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return loadEntity(ctx.loaders, sample.subjectId);
  }
}
