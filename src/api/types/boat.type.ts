/** Boat: a fishing boat, with its crew, cargo and dockings as field resolvers. */
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('Boat', { description: 'A fishing boat.' })
export class BoatType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  registration!: string | null;
}
