/** Handling: a person handled a cold-chain lot at an instant. */
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('Handling', { description: 'A person handled a cold-chain lot.' })
export class HandlingType {
  @Field(() => GraphQLDateTime)
  at!: number;
}
