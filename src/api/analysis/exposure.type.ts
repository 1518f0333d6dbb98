/** Exposure: one person exposed to one source (a case, or a contaminated lot, boat or place) over a span. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { Exposure, ExposureSetting } from '../../analysis/model';
import { connectionOf } from '../types/connections';
import { DateTimeScalar } from '../types/date-time.scalar';
import { ExposureSettingEnum, ExposureSourceKindEnum } from './enums';

@ObjectType('Exposure', {
  description:
    "A person exposed to a case or a contaminated lot, boat or place, within the source's infectious window.",
})
export class ExposureType {
  @Field(() => ID, { description: 'The case (person id) or the lot, boat or place.' })
  sourceId!: string;

  @Field(() => ExposureSourceKindEnum)
  sourceKind!: Exposure['sourceKind'];

  @Field(() => ExposureSettingEnum)
  setting!: ExposureSetting;

  @Field(() => String, { nullable: true, description: 'The kind of the shared place, for PLACE.' })
  placeKind!: string | null;

  @Field(() => String, { nullable: true, description: 'The reported setting, for CONTACT.' })
  contactSetting!: string | null;

  @Field(() => DateTimeScalar)
  start!: number;

  @Field(() => DateTimeScalar)
  end!: number;

  @Field(() => Float, { description: 'Minutes together (summed when several stays overlap).' })
  minutes!: number;

  @Field(() => Int, { nullable: true, description: 'Nights spent together, for HOUSEHOLD.' })
  nights?: number;
}

export const ExposureConnection = connectionOf('Exposure', () => ExposureType);
