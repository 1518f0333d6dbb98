/** Sample: a test of a person, or an environmental sample of a lot, place or boat. */
import { Field, Float, ObjectType } from 'type-graphql';
import type { SampleMethod, SampleResult } from '../../domain/types';
import { DateTimeScalar } from './date-time.scalar';
import { SampleMethodEnum, SampleResultEnum } from './enums';

@ObjectType('Sample', {
  description: 'A test of a person, or an environmental sample of a lot, place or boat.',
})
export class SampleType {
  @Field(() => DateTimeScalar)
  sampledAt!: number;

  @Field(() => SampleResultEnum)
  result!: SampleResult;

  @Field(() => SampleMethodEnum)
  method!: SampleMethod;

  @Field(() => Float, { nullable: true, description: 'PCR cycle threshold.' })
  ct!: number | null;
}
