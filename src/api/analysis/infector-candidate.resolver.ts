/** InfectorCandidate and InfectorEvidence: the candidate's record, its evidence in words, where they met. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { InfectorEvidence } from '../../analysis/infector';
import type { Case } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { listComplexity } from '../resolvers/args';
import { CaseType } from '../types/case.type';
import type { Entity } from '../types/entity';
import { EntityUnion, StayHost } from '../types/unions';
import type { AnalysedOutbreak } from '../services/analysis.service';
import { InfectorCandidateType, InfectorEvidenceType, type CandidateRecord } from './infector-candidate.type';
import { inScopeOf, caseIn, entityIn, keyOfParent, outbreakFor, scoped, type Scoped } from './scope';

/** The candidates of a case, most likely first, as the resolvers below take them. */
export function candidatesOf(outbreak: AnalysedOutbreak, caseId: string): Scoped<CandidateRecord>[] {
  const inference = outbreak.index.inferenceOf(caseId);
  const report = outbreak.index.caseReportOf(caseId);
  if (!inference || !report) return [];
  // The report lists the same candidates in the same order, with their evidence in words.
  return inference.candidates.map((candidate, i) => {
    const words = report.candidates[i]!;
    return scoped(
      {
        caseId,
        id: candidate.id,
        kind: candidate.kind,
        probability: candidate.probability,
        gapDays: candidate.gapDays,
        setting: words.setting,
        hostId: words.hostId,
        evidence: words.evidence,
        exposures: candidate.evidence,
      },
      outbreak.key,
    );
  });
}

@Resolver(() => InfectorCandidateType)
export class InfectorCandidateResolver {
  @FieldResolver(() => [InfectorEvidenceType], {
    description: 'The exposures behind the candidate, as weighed.',
    complexity: listComplexity(5),
  })
  exposures(@Root() candidate: Scoped<CandidateRecord>): Scoped<InfectorEvidence>[] {
    return inScopeOf(candidate, candidate.exposures);
  }

  @FieldResolver(() => EntityUnion, {
    nullable: true,
    description: "The infecting case's person, or the lot, boat or place; null for UNKNOWN.",
  })
  source(@Root() candidate: Scoped<CandidateRecord>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(candidate), candidate.id);
  }

  @FieldResolver(() => CaseType, { nullable: true, description: 'The infecting case, for kind CASE.' })
  async case(@Root() candidate: Scoped<CandidateRecord>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    if (candidate.kind !== 'case') return null;
    return caseIn(await outbreakFor(ctx, candidate), candidate.id);
  }

  @FieldResolver(() => StayHost, { nullable: true, description: 'Where the strongest exposure happened.' })
  host(@Root() candidate: Scoped<CandidateRecord>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(candidate), candidate.hostId);
  }
}

@Resolver(() => InfectorEvidenceType)
export class InfectorEvidenceResolver {
  @FieldResolver(() => StayHost, {
    nullable: true,
    description: 'Where (place or boat); null for a reported contact or a handled lot.',
  })
  host(@Root() evidence: Scoped<InfectorEvidence>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(evidence), evidence.hostId);
  }
}
