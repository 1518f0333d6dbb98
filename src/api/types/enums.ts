/**
 * Closed sets of the domain as GraphQL enums: GraphQL names are upper case, values are the
 * domain's own words (so `HOUSEHOLD` reaches resolvers as `household`).
 */
import { registerEnumType } from 'type-graphql';

export const SexEnum = { M: 'M', F: 'F' } as const;
registerEnumType(SexEnum, { name: 'Sex', description: 'M (male) or F (female).' });

export const ContactSettingEnum = {
  HOUSEHOLD: 'household',
  WORK: 'work',
  SOCIAL: 'social',
  TRANSPORT: 'transport',
  CARE: 'care',
  OTHER: 'other',
} as const;
registerEnumType(ContactSettingEnum, {
  name: 'ContactSetting',
  description: 'Where a reported contact happened.',
});

export const SampleResultEnum = { POSITIVE: 'positive', NEGATIVE: 'negative' } as const;
registerEnumType(SampleResultEnum, { name: 'SampleResult' });

export const SampleMethodEnum = { PCR: 'pcr', ANTIGEN: 'antigen' } as const;
registerEnumType(SampleMethodEnum, { name: 'SampleMethod' });

export const CaseClassificationEnum = { CONFIRMED: 'confirmed', ASYMPTOMATIC: 'asymptomatic' } as const;
registerEnumType(CaseClassificationEnum, {
  name: 'CaseClassification',
  description: 'CONFIRMED is a symptomatic case; ASYMPTOMATIC has no onset.',
});

export const StayRelationEnum = {
  STAYED_AT: 'STAYED_AT',
  ABOARD: 'ABOARD',
  STORED_AT: 'STORED_AT',
  CARRIED_BY: 'CARRIED_BY',
  DOCKED_AT: 'DOCKED_AT',
} as const;
registerEnumType(StayRelationEnum, {
  name: 'StayRelation',
  description: 'What a stay is, from the kinds of its subject and host.',
});

export const RoleEnum = { ADMIN: 'admin', INVESTIGATOR: 'investigator', CDC: 'cdc' } as const;
registerEnumType(RoleEnum, { name: 'Role' });
