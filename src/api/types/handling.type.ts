/** Handling: a person handled a cold-chain lot at an instant. */
import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType('Handling', { description: 'A person handled a cold-chain lot.' })
export class HandlingType {
  @Field(() => DateTimeScalar)
  at!: number;
}
