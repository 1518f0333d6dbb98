/** CaseContact: the exposed person, the exposures behind the tier, and their quarantine entry. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { QuarantineEntry } from '../../analysis/quarantine';
import type { TierEvidence } from '../../analysis/tiers';
import type { Person } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { listComplexity } from '../resolvers/args';
import { PersonType } from '../types/person.type';
import type { CaseContact } from './analysis-index';
import { CaseContactType } from './case-contact.type';
import { ContactEvidenceType, QuarantineEntryType } from './quarantine-entry.type';
import { inScopeOf, keyOfParent, outbreakFor, personIn, scopedOrNull, type Scoped } from './scope';

@Resolver(() => CaseContactType)
export class CaseContactResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() contact: Scoped<CaseContact>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return personIn(ctx, keyOfParent(contact), contact.personId);
  }

  @FieldResolver(() => [ContactEvidenceType], {
    description: "This case's exposures of the person.",
    complexity: listComplexity(3),
  })
  evidence(@Root() contact: Scoped<CaseContact>): Scoped<TierEvidence>[] {
    return inScopeOf(contact, contact.evidence);
  }

  @FieldResolver(() => QuarantineEntryType, { nullable: true, description: "The person's quarantine entry." })
  async quarantine(
    @Root() contact: Scoped<CaseContact>,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<QuarantineEntry> | null> {
    const outbreak = await outbreakFor(ctx, contact);
    return scopedOrNull(outbreak.index.quarantineOf(contact.personId), outbreak.key);
  }
}
