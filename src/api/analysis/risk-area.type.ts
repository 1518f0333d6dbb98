/** RiskArea: a place designated high or medium risk, and when it may be lowered. */
import { Field, ID, ObjectType } from 'type-graphql';
import type { RiskLevel } from '../../analysis/risk-areas';
import { DateTimeScalar } from '../types/date-time.scalar';
import { RiskLevelEnum } from './enums';

@ObjectType('RiskArea', {
  description:
    "A risk area (9th edition): high for a case's residence (its village or community) and high-risk venues, medium for other places a case stayed; lowered after 7 days without a new infection.",
})
export class RiskAreaType {
  @Field(() => ID)
  placeId!: string;

  @Field(() => RiskLevelEnum, { description: 'The level at asOf, after any lowering.' })
  level!: RiskLevel;

  @Field(() => RiskLevelEnum, { description: 'The level first designated.' })
  designatedLevel!: RiskLevel;

  @Field(() => String, { nullable: true })
  placeKind!: string | null;

  @Field(() => DateTimeScalar, { description: 'The last infection linked to the area.' })
  lastInfection!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it may be lowered one level; null once low.',
  })
  liftOn!: number | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When it was lowered to LOW (the day its lift came, midnight in the district); null while HIGH or MEDIUM.',
  })
  liftedOn!: number | null;

  @Field(() => [ID])
  caseIds!: string[];

  // Written from ids, kinds, numbers and dates, never a name: read as it is (see personal-data.ts).
  @Field(() => String, {
    description:
      'Why: the cases and places that made it one, the day of its last infection, the day of each lowering so far (`lowered from high to medium on 2022-08-14 and to low on 2022-08-21`) and the day it may be lowered next; persons and places by id.',
  })
  reason!: string;
}
