/** Stay: a subject at or in a host over an interval (health-code scans, port logs, ledgers). */
import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType('Stay', {
  description:
    'A person at a place or aboard a boat, a lot stored at a place or carried by a boat, or a boat docked at a place.',
})
export class StayType {
  @Field(() => DateTimeScalar)
  start!: number;

  @Field(() => DateTimeScalar)
  end!: number;
}
