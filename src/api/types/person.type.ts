/** Person: a resident or worker of the district. Personal data (name, phone, id number) and the
 *  relationships are field resolvers in person.resolver.ts. */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Sex } from '../../domain/types';
import { SexEnum } from './enums';

@ObjectType('Person', {
  description:
    'A person. name, phone and idNumber are personal data: masked for the cdc role, audited otherwise.',
})
export class PersonType {
  @Field(() => ID)
  id!: string;

  @Field(() => SexEnum, { nullable: true })
  sex!: Sex | null;

  @Field(() => Int, { nullable: true })
  age!: number | null;

  @Field(() => String, { nullable: true })
  occupation!: string | null;
}
