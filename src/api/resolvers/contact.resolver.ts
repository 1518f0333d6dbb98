/** Contact and Handling: the persons and lots they join, in the analysis scope the record came from. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ColdChainItem, Contact, Handling, Person } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import type { ApiContext } from '../context.type';
import { ColdChainItemType } from '../types/cold-chain-item.type';
import { ContactType } from '../types/contact.type';
import { HandlingType } from '../types/handling.type';
import { PersonType } from '../types/person.type';

@Resolver(() => ContactType)
export class ContactResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  async personA(@Root() contact: Scoped<Contact>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return inScopeOf(contact, await ctx.loaders.persons.load(contact.personA));
  }

  @FieldResolver(() => PersonType, { nullable: true })
  async personB(@Root() contact: Scoped<Contact>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return inScopeOf(contact, await ctx.loaders.persons.load(contact.personB));
  }
}

@Resolver(() => HandlingType)
export class HandlingResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  async person(@Root() handling: Scoped<Handling>, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return inScopeOf(handling, await ctx.loaders.persons.load(handling.personId));
  }

  @FieldResolver(() => ColdChainItemType, { nullable: true })
  async item(@Root() handling: Scoped<Handling>, @Ctx() ctx: ApiContext): Promise<ColdChainItem | null> {
    return inScopeOf(handling, await ctx.loaders.items.load(handling.itemId));
  }
}
