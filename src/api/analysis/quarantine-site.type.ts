/** QuarantineSite: a quarantine site's beds, those already taken and those the plan assigned. */
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('QuarantineSite', { description: "A quarantine site's beds in the quarantine plan." })
export class QuarantineSiteType {
  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, { description: 'Beds taken at asOf by persons already staying there.' })
  occupied!: number;

  @Field(() => Int, {
    description:
      "Beds assigned by the plan to persons not yet at the site. The plan keeps no earlier day's assignment: a person counts here each day until a stay at the site is imported.",
  })
  assigned!: number;

  @Field(() => Int, {
    description:
      'Beds among occupied held by contacts whose quarantine had ended by asOf (placement COMPLETED, with this site as their site): free once they leave. Occupants who are not contacts are not counted.',
  })
  dueForRelease!: number;
}
