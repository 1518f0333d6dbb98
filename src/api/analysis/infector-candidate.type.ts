/** InfectorCandidate: who or what may have infected a case, how likely, and the exposures behind it. */
import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { InfectorEvidence, InfectorKind } from '../../analysis/infector';
import { InfectorKindEnum } from './enums';
import { ExposureSpanFields } from './exposure-span.type';

/** What the resolvers of InfectorCandidate work from: the engine's candidate and the report's words for it. */
export interface CandidateRecord {
  caseId: string;
  id: string;
  kind: InfectorKind;
  probability: number;
  gapDays: number | null;
  setting: string | null;
  hostId: string | null;
  evidence: string;
  exposures: InfectorEvidence[];
}

@ObjectType('InfectorEvidence', {
  description: 'One exposure behind an infector candidate, and how it was weighed.',
})
export class InfectorEvidenceType extends ExposureSpanFields {
  @Field(() => String, {
    description: 'The attack-rate setting it was weighed as (household, boat, casual, ...).',
  })
  attackSetting!: string;

  @Field(() => Float, { description: 'Secondary attack rate of that setting.' })
  attackRate!: number;

  @Field(() => Float, {
    description: 'Transmission rate per hour of this exposure at typical infectiousness.',
  })
  ratePerHour!: number;

  @Field(() => Float, {
    description: "Days from the exposure's start to the case's onset (or first positive).",
  })
  daysBeforeOnset!: number;
}

@ObjectType('InfectorCandidate', {
  description:
    'A possible infector of a case: another case, a contaminated lot, boat or place, or UNKNOWN (outside the recorded network), with the probability that it was the one (Wallinga & Teunis 2004; exposures weighed as in outbreaker2, Campbell et al. 2019).',
})
export class InfectorCandidateType {
  @Field(() => ID, {
    description: "The infecting case's person id, the lot, boat or place id, or `unknown`.",
  })
  id!: string;

  @Field(() => InfectorKindEnum)
  kind!: InfectorKind;

  @Field(() => Float)
  probability!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Expected days between the candidate's and the case's infections (cases only).",
  })
  gapDays!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'How they met, e.g. `boat`, `household`, `place:market`, `cold_chain`, `contact:social`.',
  })
  setting!: string | null;

  // Written from ids, kinds, numbers and dates, never a name: read as it is (see personal-data.ts).
  @Field(() => String, { description: 'One sentence with the numbers behind the probability.' })
  evidence!: string;
}
