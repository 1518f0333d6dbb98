/** Case: a confirmed (symptomatic) or asymptomatic infection of a person. */
import { Field, ID, ObjectType } from 'type-graphql';
import type { CaseClassification } from '../../domain/types';
import { DateTimeScalar } from './date-time.scalar';
import { CaseClassificationEnum } from './enums';

@ObjectType('Case', { description: 'A confirmed (symptomatic) or asymptomatic case.' })
export class CaseType {
  @Field(() => ID, { description: 'The id of the person who is the case.' })
  personId!: string;

  @Field(() => CaseClassificationEnum)
  classification!: CaseClassification;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Symptom onset; null for an asymptomatic case.',
  })
  onset!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  confirmedAt!: number | null;
}
