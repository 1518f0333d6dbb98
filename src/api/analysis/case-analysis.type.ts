/** What analysis adds to a case: its infectious window and its estimated infection time. */
import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../types/date-time.scalar';

@ObjectType('InfectiousWindow', {
  description:
    'When the people around the case become close contacts (9th edition): from 2 days before the date of onset or first positive, at midnight district time (or the last negative, for a screened case) to isolation.',
})
export class InfectiousWindowType {
  @Field(() => DateTimeScalar)
  from!: number;

  @Field(() => DateTimeScalar)
  to!: number;

  @Field(() => String, { description: 'What opened and what closed the window.' })
  basis!: string;
}

@ObjectType('InfectionTime', {
  description: 'When the case was most likely infected, bounded by samples, onset and the incubation period.',
})
export class InfectionTimeType {
  @Field(() => DateTimeScalar)
  mean!: number;

  @Field(() => DateTimeScalar)
  lower!: number;

  @Field(() => DateTimeScalar)
  upper!: number;

  @Field(() => String)
  basis!: string;
}
