/** Case and Sample: a case by person, its person and samples; what a sample was taken from. The
 *  analysis fields of a case are in src/api/analysis/case-analysis.resolver.ts. */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { AsOfArgs } from '../analysis/args';
import { inScopeOf, keyOfParent, personIn, scoped, type Scoped } from '../analysis/scope';
import type { Case, Person, Sample } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { CaseType } from '../types/case.type';
import { loadEntity, type Entity } from '../types/entity';
import { PersonType } from '../types/person.type';
import { SampleType } from '../types/sample.type';
import { SampleSubject } from '../types/unions';
import { listComplexity, LOOKUP_ID_RULE, lookupId } from './args';
import { bySampledAt } from './person.resolver';

@Resolver(() => CaseType)
export class CaseResolver {
  @Authorized()
  @Query(() => CaseType, {
    nullable: true,
    description: `A person's case; null when the person is not a case. ${LOOKUP_ID_RULE} With asOf, its analysis fields answer as of then; its own fields (classification, onset, confirmedAt) are as stored now, and a case not yet known then (confirmed, or with onset, later) is still returned, its analysis fields null or empty.`,
  })
  async case(
    @Arg('personId', () => ID) personId: string,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Case | null> {
    const found = await ctx.loaders.caseOf.load(lookupId(personId, 'personId', "a person's"));
    if (!found || !args.asOf) return found;
    return scoped(found, await ctx.analysis.keyOf({ asOf: args.asOf.getTime() }));
  }

  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() c: Case, @Ctx() ctx: ApiContext): Promise<Person | null> {
    // A case reached through an analysis hands its person the same analysis.
    return personIn(ctx, keyOfParent(c), c.personId);
  }

  @FieldResolver(() => [SampleType], {
    description: "The person's tests, by time.",
    complexity: listComplexity(5),
  })
  async samples(@Root() c: Scoped<Case>, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return inScopeOf(c, bySampledAt(await ctx.loaders.samplesOf.load(c.personId)));
  }
}

@Resolver(() => SampleType)
export class SampleResolver {
  @FieldResolver(() => SampleSubject, { nullable: true })
  async subject(@Root() sample: Scoped<Sample>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return inScopeOf(sample, await loadEntity(ctx.loaders, sample.subjectId));
  }
}
