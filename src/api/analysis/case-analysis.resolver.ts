/**
 * What analysis adds to a Case: its infector and candidates, the persons it exposed with their
 * tiers, its chain, generation and offspring, its infectious window and infection time. A case the
 * analysis does not know (not yet a case at asOf) has null or empty answers.
 */
import { Arg, Args, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { TransmissionChain } from '../../analysis/chains';
import type { InfectiousWindow } from '../../analysis/infectious-window';
import type { InfectorInference } from '../../analysis/infector';
import { TIER_RANK, type ContactTier } from '../../analysis/tiers';
import type { Case } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { paginate, type Page } from '../pagination';
import { listComplexity, pagedComplexity } from '../resolvers/args';
import { CaseType } from '../types/case.type';
import type { CaseContact } from './analysis-index';
import { AsOfArgs, AsOfPageArgs, onlyThese } from './args';
import { InfectionTimeType, InfectiousWindowType } from './case-analysis.type';
import { CaseContactConnection } from './case-contact.type';
import { ContactTierEnum } from './enums';
import { candidatesOf } from './infector-candidate.resolver';
import { InfectorCandidateType, type CandidateRecord } from './infector-candidate.type';
import { caseIn, outbreakFor, scoped, scopedOrNull, type Scoped } from './scope';
import { TransmissionChainType } from './transmission-chain.type';

@Resolver(() => CaseType)
export class CaseAnalysisResolver {
  @FieldResolver(() => InfectorCandidateType, {
    nullable: true,
    description:
      'The most likely infector (a case, lot, boat or place); null when that is an unrecorded source.',
  })
  async infector(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<CandidateRecord> | null> {
    const outbreak = await outbreakFor(ctx, c, args);
    const best = outbreak.index.inferenceOf(c.personId)?.best;
    if (!best || best.kind === 'unknown') return null;
    return candidatesOf(outbreak, c.personId).find((k) => k.id === best.id && k.kind === best.kind) ?? null;
  }

  @FieldResolver(() => [InfectorCandidateType], {
    description:
      'Possible infectors at or above the threshold (5%), most likely first; UNKNOWN stands for outside the recorded network.',
    complexity: listComplexity(5),
  })
  async infectorCandidates(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<CandidateRecord>[]> {
    return candidatesOf(await outbreakFor(ctx, c, args), c.personId);
  }

  @FieldResolver(() => CaseContactConnection, {
    description:
      'Persons this case exposed, with the tier each exposure gives: most serious tier first, then by id.',
    complexity: pagedComplexity,
  })
  async contacts(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Arg('tiers', () => [ContactTierEnum], {
      nullable: true,
      description: 'Only these tiers (at least one; leave it out for every tier).',
    })
    tiers: ContactTier[] | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<CaseContact>>> {
    const wanted = onlyThese(tiers, 'tiers', 'tier');
    const outbreak = await outbreakFor(ctx, c, args);
    // Not a case as of then: the persons it exposed are no case's contacts.
    const known = outbreak.index.caseOf(c.personId) !== null;
    const contacts = (known ? outbreak.index.contactsOfCase(c.personId) : [])
      .filter((k) => !wanted || wanted.has(k.tier))
      .map((k) => scoped(k, outbreak.key));
    return paginate(contacts, args, (k): [number, string] => [-TIER_RANK[k.tier], k.personId], [0, '']);
  }

  @FieldResolver(() => TransmissionChainType, { nullable: true })
  async chain(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<TransmissionChain> | null> {
    const outbreak = await outbreakFor(ctx, c, args);
    const chainId = outbreak.index.chainCaseOf(c.personId)?.chainId;
    return chainId ? scopedOrNull(outbreak.index.chain(chainId), outbreak.key) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Generation in its chain (the root is 0).' })
  async generation(@Root() c: Scoped<Case>, @Args(() => AsOfArgs) args: AsOfArgs, @Ctx() ctx: ApiContext) {
    return (await outbreakFor(ctx, c, args)).index.chainCaseOf(c.personId)?.generation ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Cases whose most likely infector this case is.' })
  async offspring(@Root() c: Scoped<Case>, @Args(() => AsOfArgs) args: AsOfArgs, @Ctx() ctx: ApiContext) {
    return (await outbreakFor(ctx, c, args)).index.chainCaseOf(c.personId)?.offspring ?? null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Sum of the probabilities that this case infected each other case (Wallinga & Teunis).',
  })
  async expectedOffspring(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ) {
    return (await outbreakFor(ctx, c, args)).index.chainCaseOf(c.personId)?.expectedOffspring ?? null;
  }

  @FieldResolver(() => [CaseType], {
    description: 'Cases whose most likely infector this case is, in chain order.',
    complexity: listComplexity(3),
  })
  async infectees(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Case[]> {
    const outbreak = await outbreakFor(ctx, c, args);
    return outbreak.index
      .infecteesOf(c.personId)
      .map((k) => caseIn(outbreak, k.personId))
      .filter((k): k is Scoped<Case> => k !== null);
  }

  @FieldResolver(() => [String], {
    description:
      'Consistency flags on the link to its most likely infector (those of TransmissionLink.flags), and ' +
      'cut-to-break-cycle when that link closed a cycle of most likely links and was cut: the case is then the root of its chain.',
  })
  async flags(@Root() c: Scoped<Case>, @Args(() => AsOfArgs) args: AsOfArgs, @Ctx() ctx: ApiContext) {
    return (await outbreakFor(ctx, c, args)).index.caseReportOf(c.personId)?.flags ?? [];
  }

  @FieldResolver(() => InfectiousWindowType, { nullable: true })
  async infectiousWindow(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<InfectiousWindow | null> {
    return (await outbreakFor(ctx, c, args)).analysis.windows.get(c.personId) ?? null;
  }

  @FieldResolver(() => InfectionTimeType, { nullable: true })
  async infectionTime(
    @Root() c: Scoped<Case>,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<InfectorInference['infectionTime'] | null> {
    return (await outbreakFor(ctx, c, args)).index.inferenceOf(c.personId)?.infectionTime ?? null;
  }
}
