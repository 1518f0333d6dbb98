/** QuarantineAssignment: what assigning a person to a quarantine site recorded, and the beds left. */
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType('QuarantineAssignment', {
  description: 'A person assigned to a quarantine site over an interval (recorded as their stay there).',
})
export class QuarantineAssignmentType {
  @Field(() => DateTimeScalar)
  start!: number;

  @Field(() => DateTimeScalar, { description: 'The planned release.' })
  end!: number;

  @Field(() => Int, { description: "The site's beds." })
  capacity!: number;

  @Field(() => Int, {
    description:
      'Beds at the site still free over the whole interval, this assignment included: its capacity less the most persons there at once.',
  })
  freeBeds!: number;
}
