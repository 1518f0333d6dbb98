/** AuditEntry: one operation's reads of unmasked personal data (persons', and homes' names). */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Role } from '../context.type';
import { DateTimeScalar } from './date-time.scalar';
import { RoleEnum } from './enums';

@ObjectType('AuditEntry', {
  description:
    "One operation's reads of unmasked personal data: persons' names, phones and id numbers, and homes' names (addresses).",
})
export class AuditEntryType {
  @Field(() => Int, { description: 'Increases by one per entry.' })
  seq!: number;

  @Field(() => DateTimeScalar)
  at!: number;

  @Field(() => String, { description: 'Fingerprint of the API key used (never the key).' })
  keyId!: string;

  @Field(() => RoleEnum)
  role!: Role;

  @Field(() => String, { nullable: true })
  operationName!: string | null;

  @Field(() => [ID])
  personIds!: string[];

  @Field(() => [ID], { description: 'Homes (places of kind home) whose name was read.' })
  placeIds!: string[];

  @Field(() => [String], {
    description: "Which of name, phone, idNumber were read (a home's name counts as name).",
  })
  fields!: string[];
}
