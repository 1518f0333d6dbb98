/** What analysis adds to a case: its infectious window and its estimated infection time. */
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('InfectiousWindow', {
  description:
    'When the people around the case become close contacts (9th edition): from 2 days before the date of onset or first positive, at midnight district time (or the last negative, for a screened case) to isolation.',
})
export class InfectiousWindowType {
  @Field(() => GraphQLDateTime)
  from!: number;

  @Field(() => GraphQLDateTime)
  to!: number;

  @Field(() => String, { description: 'What opened and what closed the window.' })
  basis!: string;
}

@ObjectType('InfectionTime', {
  description: 'When the case was most likely infected, bounded by samples, onset and the incubation period.',
})
export class InfectionTimeType {
  @Field(() => GraphQLDateTime)
  mean!: number;

  @Field(() => GraphQLDateTime)
  lower!: number;

  @Field(() => GraphQLDateTime)
  upper!: number;

  @Field(() => String)
  basis!: string;
}
