/** CaseContact: a person a case exposed, with the contact tier of that exposure. */
import { Field, ObjectType } from 'type-graphql';
import type { ContactTier } from '../../analysis/tiers';
import { connectionOf } from '../types/connections';
import { DateTimeScalar } from '../types/date-time.scalar';
import { ContactTierEnum } from './enums';

@ObjectType('CaseContact', { description: 'A person the case exposed, and the contact tier it gives.' })
export class CaseContactType {
  @Field(() => ContactTierEnum, {
    description: "The highest tier among this case's exposures of the person.",
  })
  tier!: ContactTier;

  @Field(() => ContactTierEnum, { description: "The person's own tier, over every source." })
  overallTier!: ContactTier;

  @Field(() => DateTimeScalar, { description: 'The end of the last exposure to this case.' })
  lastExposure!: number;
}

export const CaseContactConnection = connectionOf('CaseContact', () => CaseContactType);
