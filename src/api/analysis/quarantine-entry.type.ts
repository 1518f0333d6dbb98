/**
 * QuarantineEntry: one exposed person's place in the quarantine priority list (probability of
 * infection weighted by onward risk and vulnerability), their bed, release and PCR days; the
 * QuarantinePlan is the list as a connection, with the sites' bed use.
 */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { Placement } from '../../analysis/quarantine';
import type { ContactTier } from '../../analysis/tiers';
import { connectionOf } from '../types/connections';
import { DateTimeScalar } from '../types/date-time.scalar';
import { ContactTierEnum, PlacementEnum } from './enums';
import { ExposureSpanFields } from './exposure-span.type';
import { QuarantineSiteType } from './quarantine-site.type';

@ObjectType('ContactEvidence', {
  description: 'Why a person is in a contact tier: one exposure and the rule it meets.',
})
export class ContactEvidenceType extends ExposureSpanFields {
  @Field(() => ContactTierEnum)
  tier!: ContactTier;

  @Field(() => ID, {
    description:
      'The case or contaminated source; for a contact of a close contact, the close contact; for an upgraded close contact (tier close_contact, sourceKind close_contact), the close contact who turned positive.',
  })
  sourceId!: string;

  @Field(() => String, { description: '`case`, `item`, `boat`, `place` or `close_contact`.' })
  sourceKind!: string;

  // Written from ids, kinds, numbers and dates, never a name: read as it is (see personal-data.ts).
  @Field(() => String, {
    description: 'Who, where, when, how long, and which rule it meets; persons and places by id.',
  })
  reason!: string;
}

@ObjectType('QuarantineEntry', { description: "An exposed person's place in the quarantine priority list." })
export class QuarantineEntryType {
  @Field(() => Int, {
    description:
      '1 = first to quarantine. The contacts (entries with a tier) are numbered 1, 2, 3, … without gaps, those whose quarantine is over (placement COMPLETED) after the others; a person exposed below every tier (tier null) comes after every contact.',
  })
  priority!: number;

  @Field(() => ContactTierEnum, { nullable: true, description: 'Null: exposed below every tier.' })
  tier!: ContactTier | null;

  @Field(() => Float, { description: 'Probability of being infected now.' })
  probability!: number;

  @Field(() => Float, { description: 'Probability weighted by onward risk and vulnerability.' })
  score!: number;

  @Field(() => PlacementEnum)
  placement!: Placement;

  @Field(() => Int, { description: 'Exposed persons sharing the home (the person included).' })
  householdSize!: number;

  @Field(() => Float, {
    description:
      'PageRank in the contact network (close-contact exposures, every exposure of a case, households and reported contacts), the highest being 1.',
  })
  centrality!: number;

  @Field(() => DateTimeScalar)
  lastExposure!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'End of quarantine: last exposure plus the quarantine days.',
  })
  releaseOn!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  homeMonitoringUntil!: number | null;

  @Field(() => [DateTimeScalar], { description: 'Midnight (+08:00) of each PCR day in quarantine.' })
  pcrDates!: number[];

  @Field(() => [DateTimeScalar], { description: 'Midnight (+08:00) of each PCR day of home monitoring.' })
  homePcrDates!: number[];

  // Written from ids, kinds, numbers and dates, never a name: read as it is (see personal-data.ts).
  @Field(() => String, { description: 'The score explained in words and numbers; persons and places by id.' })
  reasons!: string;
}

const QuarantineEntryConnectionBase = connectionOf('QuarantineEntry', () => QuarantineEntryType);

@ObjectType('QuarantinePlan', {
  description: 'The quarantine priority list (a connection, by priority) and the bed use of the sites.',
})
export class QuarantinePlanType extends QuarantineEntryConnectionBase {
  @Field(() => DateTimeScalar)
  asOf!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The cap on beds asked for; null: the sites' own capacity.",
  })
  capacity!: number | null;

  @Field(() => Int, {
    description:
      'Beds at all quarantine sites, whatever the capacity asked for (outbreakSummary.quarantineBeds is the fewer of the two).',
  })
  beds!: number;

  @Field(() => Int, { description: 'Beds taken at asOf by persons already staying at the sites.' })
  occupied!: number;

  @Field(() => Int, {
    description:
      "Beds assigned by the plan to persons not yet at their site. The plan keeps no earlier day's assignment: a person counts here each day until a stay at the site is imported.",
  })
  assigned!: number;

  @Field(() => Int, { description: 'Persons due for a bed who got none.' })
  waiting!: number;

  @Field(() => [QuarantineSiteType])
  sites!: QuarantineSiteType[];
}
