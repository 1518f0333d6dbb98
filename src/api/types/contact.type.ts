/** Contact: a contact between two persons reported in an interview. */
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { ContactSetting } from '../../domain/types';
import { ContactSettingEnum } from './enums';

@ObjectType('Contact', { description: 'A contact between two persons reported in an interview.' })
export class ContactType {
  @Field(() => GraphQLDateTime)
  start!: number;

  @Field(() => GraphQLDateTime)
  end!: number;

  @Field(() => ContactSettingEnum)
  setting!: ContactSetting;
}
