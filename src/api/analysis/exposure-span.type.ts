/**
 * The fields that say how and when an exposure happened, shared by the evidence types
 * (ContactEvidence, InfectorEvidence); not a GraphQL type of its own.
 */
import { Field, Float, ObjectType } from 'type-graphql';
import type { ExposureSetting } from '../../analysis/model';
import { DateTimeScalar } from '../types/date-time.scalar';
import { ExposureSettingEnum } from './enums';

// Not referenced by any field, so the schema does not emit it.
@ObjectType()
export abstract class ExposureSpanFields {
  @Field(() => ExposureSettingEnum)
  setting!: ExposureSetting;

  @Field(() => String, { nullable: true })
  placeKind!: string | null;

  @Field(() => String, { nullable: true })
  contactSetting!: string | null;

  @Field(() => DateTimeScalar)
  start!: number;

  @Field(() => DateTimeScalar)
  end!: number;

  @Field(() => Float)
  minutes!: number;
}
