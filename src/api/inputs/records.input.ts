/**
 * Mutation inputs: one per file of the import format, field for field (camelCase of the CSV
 * column), so the mutations validate through the import's own row specs (src/domain/records.ts).
 * Timestamps are DateTime; fields that also accept a date alone (as in the import) are strings.
 */
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import type { CaseClassification, ContactSetting, SampleMethod, SampleResult, Sex } from '../../domain/types';
import { DateTimeScalar } from '../types/date-time.scalar';
import {
  CaseClassificationEnum,
  ContactSettingEnum,
  SampleMethodEnum,
  SampleResultEnum,
  SexEnum,
} from '../types/enums';

const DATE_OR_TIMESTAMP =
  'ISO 8601 timestamp with offset (2022-08-01T09:30:00+08:00) or a date (2022-08-01).';

@InputType('PersonInput', { description: 'A row of persons.csv.' })
export class PersonInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => SexEnum, { nullable: true }) sex?: Sex | null;
  @Field(() => Int, { nullable: true }) age?: number | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) idNumber?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'A place of kind home: persons who share it are one household. A place of another kind is refused.',
  })
  homeId?: string | null;
  @Field(() => String, { nullable: true }) occupation?: string | null;
}

@InputType('PlaceInput', { description: 'A row of places.csv.' })
export class PlaceInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { description: 'home, village, market, ... or any other word (letters, digits, _).' })
  kind!: string;
  @Field(() => Float, { nullable: true }) lat?: number | null;
  @Field(() => Float, { nullable: true }) lon?: number | null;
  @Field(() => Int, { nullable: true, description: 'Beds, for a quarantine site.' }) capacity?: number | null;
}

@InputType('BoatInput', { description: 'A row of boats.csv.' })
export class BoatInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) registration?: string | null;
  @Field(() => ID, { nullable: true, description: 'A place.' }) homePortId?: string | null;
}

@InputType('ColdChainItemInput', { description: 'A row of items.csv.' })
export class ColdChainItemInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) product?: string | null;
  @Field(() => String, { nullable: true }) lot?: string | null;
  @Field(() => String, { nullable: true }) origin?: string | null;
  @Field(() => String, { nullable: true, description: DATE_OR_TIMESTAMP }) arrivedAt?: string | null;
}

@InputType('StayInput', { description: 'A row of stays.csv.' })
export class StayInput {
  @Field(() => ID, { description: 'A person, cold-chain lot or boat.' }) subjectId!: string;
  @Field(() => ID, { description: 'A place or boat.' }) hostId!: string;
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
}

@InputType('ContactInput', { description: 'A row of contacts.csv.' })
export class ContactInput {
  @Field(() => ID) personA!: string;
  @Field(() => ID) personB!: string;
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field(() => ContactSettingEnum) setting!: ContactSetting;
}

@InputType('HandlingInput', { description: 'A row of handlings.csv.' })
export class HandlingInput {
  @Field(() => ID) personId!: string;
  @Field(() => ID) itemId!: string;
  @Field(() => DateTimeScalar) at!: Date;
}

@InputType('SampleInput', { description: 'A row of samples.csv.' })
export class SampleInput {
  @Field(() => ID, { description: 'A person, or a lot, place or boat.' }) subjectId!: string;
  @Field(() => DateTimeScalar) sampledAt!: Date;
  @Field(() => SampleResultEnum) result!: SampleResult;
  @Field(() => SampleMethodEnum) method!: SampleMethod;
  @Field(() => Float, { nullable: true, description: 'PCR cycle threshold, 0 to 60.' }) ct?: number | null;
}

@InputType('CaseInput', { description: 'A row of cases.csv.' })
export class CaseInput {
  @Field(() => ID) personId!: string;
  @Field(() => CaseClassificationEnum) classification!: CaseClassification;
  @Field(() => String, {
    nullable: true,
    description: `Symptom onset (none when asymptomatic): ${DATE_OR_TIMESTAMP}`,
  })
  onset?: string | null;
  @Field(() => String, { nullable: true, description: DATE_OR_TIMESTAMP }) confirmedAt?: string | null;
}
