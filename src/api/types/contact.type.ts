/** Contact: a contact between two persons reported in an interview. */
import { Field, ObjectType } from 'type-graphql';
import type { ContactSetting } from '../../domain/types';
import { DateTimeScalar } from './date-time.scalar';
import { ContactSettingEnum } from './enums';

@ObjectType('Contact', { description: 'A contact between two persons reported in an interview.' })
export class ContactType {
  @Field(() => DateTimeScalar)
  start!: number;

  @Field(() => DateTimeScalar)
  end!: number;

  @Field(() => ContactSettingEnum)
  setting!: ContactSetting;
}
