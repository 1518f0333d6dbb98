/** Risk areas at asOf, highest first; each with its place, cases and reason. */
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RiskArea, RiskLevel } from '../../analysis/risk-areas';
import type { Case, Place } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { listComplexity } from '../resolvers/args';
import { CaseType } from '../types/case.type';
import { PlaceType } from '../types/place.type';
import { AsOfArgs, onlyThese } from './args';
import { RiskLevelEnum } from './enums';
import { RiskAreaType } from './risk-area.type';
import { caseIn, keyOfParent, outbreakFor, placeIn, scoped, type Scoped } from './scope';

@Resolver(() => RiskAreaType)
export class RiskAreaResolver {
  @Authorized()
  @Query(() => [RiskAreaType], {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description: 'Risk areas at asOf, highest level first (areas lowered to LOW included).',
    complexity: listComplexity(20),
  })
  async riskAreas(
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Arg('levels', () => [RiskLevelEnum], {
      nullable: true,
      description: 'Only these levels (at least one; leave it out for every level).',
    })
    levels: RiskLevel[] | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<RiskArea>[]> {
    const wanted = onlyThese(levels, 'levels', 'level');
    const outbreak = await outbreakFor(ctx, null, args);
    return outbreak.analysis.riskAreas
      .filter((a) => !wanted || wanted.has(a.level))
      .map((a) => scoped(a, outbreak.key));
  }

  @FieldResolver(() => PlaceType, { nullable: true })
  place(@Root() area: Scoped<RiskArea>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return placeIn(ctx, keyOfParent(area), area.placeId);
  }

  @FieldResolver(() => [CaseType], {
    description: 'The cases that made it a risk area.',
    complexity: listComplexity(5),
  })
  async cases(@Root() area: Scoped<RiskArea>, @Ctx() ctx: ApiContext): Promise<Case[]> {
    const outbreak = await outbreakFor(ctx, area);
    return area.caseIds.map((id) => caseIn(outbreak, id)).filter((c): c is Scoped<Case> => c !== null);
  }
}
