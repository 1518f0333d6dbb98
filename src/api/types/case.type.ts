/** Case: a confirmed (symptomatic) or asymptomatic infection of a person. */
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { CaseClassification } from '../../domain/types';
import { CaseClassificationEnum } from './enums';

@ObjectType('Case', { description: 'A confirmed (symptomatic) or asymptomatic case.' })
export class CaseType {
  @Field(() => ID, { description: 'The id of the person who is the case.' })
  personId!: string;

  @Field(() => CaseClassificationEnum)
  classification!: CaseClassification;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'Symptom onset; null for an asymptomatic case.',
  })
  onset!: number | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  confirmedAt!: number | null;
}
