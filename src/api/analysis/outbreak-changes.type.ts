/** OutbreakChanges: what changed between two instants, as `tracegraph report --since` gives it. */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../types/date-time.scalar';
import { CaseClassificationEnum } from '../types/enums';
import { ContactTierEnum, PlacementEnum, RiskLevelEnum } from './enums';

@ObjectType('NewCase', { description: 'A case by asOf that was none at since.' })
export class NewCaseType {
  @Field(() => ID)
  personId!: string;

  @Field(() => CaseClassificationEnum)
  classification!: string;

  @Field(() => ContactTierEnum, {
    nullable: true,
    description: 'Their tier as a contact at since; null: not a contact.',
  })
  tierThen!: string | null;
}

@ObjectType('CaseReclassification', {
  description: 'A case whose classification changed (an asymptomatic case with an onset since is confirmed).',
})
export class CaseReclassificationType {
  @Field(() => ID)
  personId!: string;

  @Field(() => CaseClassificationEnum)
  from!: string;

  @Field(() => CaseClassificationEnum)
  to!: string;
}

@ObjectType('PlacementState', { description: 'Where a contact stood in the quarantine plan.' })
export class PlacementStateType {
  @Field(() => PlacementEnum)
  placement!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The site of their bed (SITE), or the site they were still at (COMPLETED: due for release).',
  })
  siteId!: string | null;
}

@ObjectType('NewContact', {
  description: 'A contact by asOf who was none at since, with their tier and placement.',
})
export class NewContactType extends PlacementStateType {
  @Field(() => ID)
  personId!: string;

  @Field(() => ContactTierEnum)
  tier!: string;
}

@ObjectType('ContactTierChange', { description: 'A contact at both instants whose tier changed.' })
export class ContactTierChangeType {
  @Field(() => ID)
  personId!: string;

  @Field(() => ContactTierEnum)
  from!: string;

  @Field(() => ContactTierEnum)
  to!: string;
}

@ObjectType('LeftContact', { description: 'A contact at since who is none by asOf.' })
export class LeftContactType {
  @Field(() => ID)
  personId!: string;

  @Field(() => ContactTierEnum)
  tierThen!: string;

  @Field(() => Boolean, {
    description:
      "True when they are a case by asOf; false: no exposure in a case's infectious window any more (a record changed).",
  })
  becameCase!: boolean;
}

@ObjectType('PlacementChange', {
  description:
    'A contact at both instants whose placement or site changed (a bed given, a quarantine ended…).',
})
export class PlacementChangeType {
  @Field(() => ID)
  personId!: string;

  @Field(() => PlacementStateType)
  from!: PlacementStateType;

  @Field(() => PlacementStateType)
  to!: PlacementStateType;
}

@ObjectType('RiskAreaChange', { description: 'A risk area whose level changed.' })
export class RiskAreaChangeType {
  @Field(() => ID)
  placeId!: string;

  @Field(() => RiskLevelEnum, { nullable: true, description: 'The level at since; null: no risk area then.' })
  from!: string | null;

  @Field(() => RiskLevelEnum, { nullable: true, description: 'The level at asOf; null: no risk area now.' })
  to!: string | null;
}

@ObjectType('OutbreakChanges', {
  description:
    'What changed from since to asOf, each list sorted by id. The counts at each instant: outbreakSummary(asOf: since) and outbreakSummary(asOf).',
})
export class OutbreakChangesType {
  @Field(() => DateTimeScalar)
  since!: Date;

  @Field(() => DateTimeScalar)
  asOf!: Date;

  @Field(() => [NewCaseType])
  newCases!: NewCaseType[];

  @Field(() => [CaseReclassificationType])
  reclassifiedCases!: CaseReclassificationType[];

  @Field(() => [NewContactType])
  newContacts!: NewContactType[];

  @Field(() => [ContactTierChangeType])
  tierChanges!: ContactTierChangeType[];

  @Field(() => [LeftContactType])
  leftContacts!: LeftContactType[];

  @Field(() => [PlacementChangeType])
  placementChanges!: PlacementChangeType[];

  @Field(() => [RiskAreaChangeType])
  riskAreaChanges!: RiskAreaChangeType[];
}
