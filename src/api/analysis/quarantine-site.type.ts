/** QuarantineSite: a quarantine site's beds and how many the plan assigned. */
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('QuarantineSite', { description: "A quarantine site's beds in the quarantine plan." })
export class QuarantineSiteType {
  @Field(() => Int)
  capacity!: number;

  @Field(() => Int)
  assigned!: number;
}
