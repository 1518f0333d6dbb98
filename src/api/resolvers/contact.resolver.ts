/** Contact and Handling: the persons and lots they join. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ColdChainItem, Contact, Handling, Person } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { ColdChainItemType } from '../types/cold-chain-item.type';
import { ContactType } from '../types/contact.type';
import { HandlingType } from '../types/handling.type';
import { PersonType } from '../types/person.type';

@Resolver(() => ContactType)
export class ContactResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  personA(@Root() contact: Contact, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(contact.personA);
  }

  @FieldResolver(() => PersonType, { nullable: true })
  personB(@Root() contact: Contact, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(contact.personB);
  }
}

@Resolver(() => HandlingType)
export class HandlingResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() handling: Handling, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(handling.personId);
  }

  @FieldResolver(() => ColdChainItemType, { nullable: true })
  item(@Root() handling: Handling, @Ctx() ctx: ApiContext): Promise<ColdChainItem | null> {
    return ctx.loaders.items.load(handling.itemId);
  }
}
