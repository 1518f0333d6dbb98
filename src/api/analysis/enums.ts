/**
 * Closed sets of the analysis as GraphQL enums (upper-case names, the engine's own words as
 * values, as in src/api/types/enums.ts).
 */
import { registerEnumType } from 'type-graphql';

export const InfectorKindEnum = {
  CASE: 'case',
  ITEM: 'item',
  BOAT: 'boat',
  PLACE: 'place',
  UNKNOWN: 'unknown',
} as const;
registerEnumType(InfectorKindEnum, {
  name: 'InfectorKind',
  description:
    'What infected a case: another case, a contaminated cold-chain lot (ITEM), boat or place, or an unrecorded source (UNKNOWN).',
});

export const ExposureSourceKindEnum = { CASE: 'case', ITEM: 'item', BOAT: 'boat', PLACE: 'place' } as const;
registerEnumType(ExposureSourceKindEnum, {
  name: 'ExposureSourceKind',
  description: 'A case, or a contaminated cold-chain lot (ITEM), boat or place.',
});

export const ExposureSettingEnum = {
  HOUSEHOLD: 'household',
  BOAT: 'boat',
  COLD_CHAIN: 'cold_chain',
  CONTACT: 'contact',
  PLACE: 'place',
} as const;
registerEnumType(ExposureSettingEnum, {
  name: 'ExposureSetting',
  description:
    'How a person was exposed: at home, aboard a boat, handling a lot, a reported contact, or a shared place.',
});

export const ContactTierEnum = {
  CLOSE_CONTACT: 'close_contact',
  CONTACT_OF_CLOSE_CONTACT: 'contact_of_close_contact',
  VENUE_EXPOSED: 'venue_exposed',
} as const;
registerEnumType(ContactTierEnum, {
  name: 'ContactTier',
  description: 'Contact tiers of the COVID-19 protocol (China, 9th edition, June 2022).',
});

export const PlacementEnum = {
  SITE: 'site',
  WAITING: 'waiting',
  HOME: 'home',
  MONITORING: 'monitoring',
  COMPLETED: 'completed',
  NONE: 'none',
} as const;
registerEnumType(PlacementEnum, {
  name: 'Placement',
  description:
    'SITE: a bed at a quarantine site; WAITING: due for a bed, none left; HOME: home quarantine; MONITORING: health monitoring (venue-exposed); COMPLETED: quarantine over by asOf (with a site: still there, due for release); NONE: exposed below every tier.',
});

export const RiskLevelEnum = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' } as const;
registerEnumType(RiskLevelEnum, { name: 'RiskLevel' });

export const ClusterKindEnum = {
  CASE_COMPONENT: 'case_component',
  EXPOSURE_COMMUNITY: 'exposure_community',
} as const;
registerEnumType(ClusterKindEnum, {
  name: 'ClusterKind',
  description:
    'CASE_COMPONENT: cases joined by likely transmission links; EXPOSURE_COMMUNITY: a Louvain community of the contact network (close-contact exposures and every exposure of a case).',
});

export const SourceKindEnum = { PERSON: 'person', ITEM: 'item', BOAT: 'boat', PLACE: 'place' } as const;
registerEnumType(SourceKindEnum, {
  name: 'SourceKind',
  description: 'What a likely source of a chain is: a person, a cold-chain lot (ITEM), a boat or a place.',
});
