/**
 * TransmissionChain: the tree formed by each case's most likely infector, with its links, its
 * cases (root first, then by generation), generations and the reproduction number by generation.
 */
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { InfectorKind } from '../../analysis/infector';
import { CaseType } from '../types/case.type';
import { connectionOf } from '../types/connections';
import { DateTimeScalar } from '../types/date-time.scalar';
import { InfectorKindEnum } from './enums';

/** What the resolvers of TransmissionLink work from. */
export interface LinkRecord {
  chainId: string;
  from: string;
  fromKind: InfectorKind;
  to: string;
  probability: number;
  setting: string | null;
  serialIntervalDays: number | null;
  flags: string[];
}

@ObjectType('GenerationR', {
  description: 'Cases of one generation and their mean offspring (the last generation is censored).',
})
export class GenerationRType {
  @Field(() => Int, { description: 'Root cases are generation 0.' })
  generation!: number;

  @Field(() => Int)
  cases!: number;

  @Field(() => Float)
  meanOffspring!: number;
}

@ObjectType('ChainRootSource', { description: 'Where the root case of a chain most likely came from.' })
export class ChainRootSourceType {
  @Field(() => ID, { description: 'The lot, boat or place id, or `unknown` (outside the recorded network).' })
  id!: string;

  @Field(() => InfectorKindEnum)
  kind!: InfectorKind;

  @Field(() => Float)
  probability!: number;
}

@ObjectType('TransmissionLink', {
  description:
    'A most likely link of a chain: infector to infectee (the first link of a chain rooted in a lot, boat or place starts there).',
})
export class TransmissionLinkType {
  @Field(() => ID, { description: 'The infecting case, or the lot, boat or place.' })
  from!: string;

  @Field(() => InfectorKindEnum)
  fromKind!: InfectorKind;

  @Field(() => ID, { description: 'The infected case.' })
  to!: string;

  @Field(() => Float)
  probability!: number;

  @Field(() => String, {
    nullable: true,
    description: 'How they met, e.g. `household`, `boat`, `place:market`.',
  })
  setting!: string | null;

  @Field(() => Float, { nullable: true, description: 'Onset to onset in days, when both onsets are known.' })
  serialIntervalDays!: number | null;

  @Field(() => [String], {
    description:
      'Consistency flags: onset-order-reversed, implausible-serial-interval, exposure-outside-infectious-window, after-infector-isolation.',
  })
  flags!: string[];
}

@ObjectType('TransmissionChain', { description: "The tree formed by each case's most likely infector." })
export class TransmissionChainType {
  @Field(() => ID, { description: '`chain-<root case id>`: stable while the root stays the root.' })
  id!: string;

  @Field(() => [ID], { description: 'Root first, then by generation and time.' })
  caseIds!: string[];

  @Field(() => Int, { description: 'Number of cases.' })
  size!: number;

  @Field(() => Int, { description: 'Highest generation (the root is generation 0).' })
  length!: number;

  @Field(() => DateTimeScalar, { description: 'Earliest onset or confirmation of its cases.' })
  firstAt!: number;

  @Field(() => DateTimeScalar, { description: 'Latest onset or confirmation of its cases.' })
  lastAt!: number;

  @Field(() => Float)
  durationDays!: number;

  @Field(() => Boolean, {
    description: "A case was confirmed within the protocol's chainActiveDays of asOf.",
  })
  active!: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  lastConfirmedAt!: number | null;
}

@InputType('ChainFilter', { description: 'Keeps the chains that meet every condition given.' })
export class ChainFilterInput {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or only ended (false) chains.' })
  active?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'At least this many cases.' })
  minSize?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Chains with this case, or with a case this person was exposed to. An unknown id matches no chain; an empty or blank one is refused (BAD_USER_INPUT): leave the field out for every chain.',
  })
  includesPerson?: string | null;
}

export const TransmissionChainConnection = connectionOf('TransmissionChain', () => TransmissionChainType);
export const CaseConnection = connectionOf('Case', () => CaseType);
