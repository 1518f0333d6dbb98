/** Person: lookups, search, personal data (masked or audited) and relationships. */
import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Int,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { compareCodeUnits } from '../../domain/code-units';
import type { Case, Contact, Handling, Person, Place, Sample } from '../../domain/types';
import { inScopeOf, keyOfParent, placeIn, type Scoped } from '../analysis/scope';
import { UNMASKED_READERS } from '../auth-checker';
import type { ApiContext } from '../context.type';
import { badUserInput } from '../errors';
import { primePersons } from '../loaders';
import type { Page } from '../pagination';
import { noteSearchMatches, personalField } from '../personal-data';
import { CaseType } from '../types/case.type';
import { StayConnection } from '../types/connections';
import { ContactType } from '../types/contact.type';
import { HandlingType } from '../types/handling.type';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { SampleType } from '../types/sample.type';
import type { Stay } from '../../domain/types';
import {
  firstSizedComplexity,
  listComplexity,
  LOOKUP_ID_RULE,
  lookupId,
  pagedComplexity,
  WindowArgs,
  windowOf,
  WindowPageArgs,
} from './args';
import { stayPage } from './stay-pages';

export const MAX_IDS_PER_LOOKUP = 1000;
export const MAX_SEARCH_RESULTS = 100;

/**
 * Whether `needle` is worth a search: two characters, or a single Chinese character, which is
 * how a surname (陈, 李) is written; one Latin letter or digit would match nearly everyone.
 */
function longEnoughToSearch(needle: string): boolean {
  const characters = [...needle];
  return characters.length >= 2 || (characters.length === 1 && /\p{Script=Han}/u.test(characters[0]!));
}

@Resolver(() => PersonType)
export class PersonResolver {
  @Authorized()
  @Query(() => PersonType, {
    nullable: true,
    description: `A person by id; null when there is none. ${LOOKUP_ID_RULE}`,
  })
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(lookupId(id, 'id', "a person's"));
  }

  @Authorized()
  @Query(() => [PersonType], {
    nullable: 'items',
    description: `Persons by id, in the order asked, null where there is none (at most ${MAX_IDS_PER_LOOKUP}). ${LOOKUP_ID_RULE}`,
    // Priced at most at the ids a call may ask for: more are refused by the field, naming ids.
    complexity: ({ args, childComplexity }) =>
      1 +
      childComplexity *
        Math.max(1, Math.min((args.ids as unknown[] | undefined)?.length ?? 1, MAX_IDS_PER_LOOKUP)),
  })
  persons(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: ApiContext): Promise<(Person | null)[]> {
    if (ids.length > MAX_IDS_PER_LOOKUP) {
      throw badUserInput([
        { path: 'ids', reason: `at most ${MAX_IDS_PER_LOOKUP} ids per call (got ${ids.length})` },
      ]);
    }
    const problems = ids.flatMap((id, i) =>
      id.trim() === ''
        ? [{ path: `ids[${i}]`, reason: `is ${id === '' ? 'empty' : 'blank'}: give a person's id` }]
        : [],
    );
    if (problems.length) throw badUserInput(problems);
    return Promise.all(ids.map((id) => ctx.loaders.persons.load(id.trim())));
  }

  @Authorized(UNMASKED_READERS)
  @Query(() => [PersonType], {
    description:
      'Persons whose name, phone or id number contains the text (case-insensitive): at least 2 characters, or one Chinese character (a surname).',
    complexity: firstSizedComplexity(20, MAX_SEARCH_RESULTS),
  })
  async searchPersons(
    @Arg('text', () => String) text: string,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: 20,
      description: `At most ${MAX_SEARCH_RESULTS}.`,
    })
    first: number | null,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person[]> {
    const needle = text.trim();
    first ??= 20;
    if (!longEnoughToSearch(needle))
      throw badUserInput([{ path: 'text', reason: 'needs at least 2 characters, or one Chinese character' }]);
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_RESULTS) {
      throw badUserInput([
        { path: 'first', reason: `must be a whole number from 1 to ${MAX_SEARCH_RESULTS}` },
      ]);
    }
    const found = await ctx.store.searchPersons(needle, first);
    noteSearchMatches(found, needle, ctx, info);
    primePersons(ctx.loaders, found);
    return found;
  }

  @FieldResolver(() => String, { nullable: true })
  name(@Root() person: Person, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): string | null {
    return personalField(person, 'name', ctx, info);
  }

  @FieldResolver(() => String, { nullable: true })
  phone(@Root() person: Person, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): string | null {
    return personalField(person, 'phone', ctx, info);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Resident identity card number.' })
  idNumber(@Root() person: Person, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): string | null {
    return personalField(person, 'idNumber', ctx, info);
  }

  @FieldResolver(() => PlaceType, { nullable: true, description: 'The home (a place of kind home).' })
  home(@Root() person: Scoped<Person>, @Ctx() ctx: ApiContext): Promise<Place | null> {
    // Reached through an analysis, the home answers from the same analysis (its risk area, ...).
    return placeIn(ctx, keyOfParent(person), person.homeId);
  }

  @FieldResolver(() => [PersonType], {
    description: 'The other residents of the same home.',
    complexity: listComplexity(5),
  })
  async household(@Root() person: Scoped<Person>, @Ctx() ctx: ApiContext): Promise<Person[]> {
    if (!person.homeId) return [];
    const residents = await ctx.loaders.residentsOf.load(person.homeId);
    primePersons(ctx.loaders, residents);
    return inScopeOf(
      person,
      residents.filter((p) => p.id !== person.id).sort((a, b) => compareCodeUnits(a.id, b.id)),
    );
  }

  @FieldResolver(() => StayConnection, {
    description: 'Stays of this person (at places, aboard boats) overlapping the window, by start.',
    complexity: pagedComplexity,
  })
  async stays(
    @Root() person: Scoped<Person>,
    @Args(() => WindowPageArgs) args: WindowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Stay>> {
    const stays = await ctx.loaders.staysOfSubject.load({ id: person.id, ...windowOf(args) });
    return stayPage(person, stays, args);
  }

  @FieldResolver(() => CaseType, { nullable: true, description: 'The case, if this person is one.' })
  async case(@Root() person: Scoped<Person>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    // A person reached through an analysis hands their case the same analysis.
    return inScopeOf(person, await ctx.loaders.caseOf.load(person.id));
  }

  @FieldResolver(() => [SampleType], {
    description: 'Tests of this person, by time.',
    complexity: listComplexity(5),
  })
  async samples(@Root() person: Scoped<Person>, @Ctx() ctx: ApiContext): Promise<Sample[]> {
    return inScopeOf(person, bySampledAt(await ctx.loaders.samplesOf.load(person.id)));
  }

  @FieldResolver(() => [ContactType], {
    description: 'Reported contacts of this person overlapping the window, by start.',
    complexity: listComplexity(10),
  })
  async contacts(
    @Root() person: Scoped<Person>,
    @Args(() => WindowArgs) args: WindowArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Contact[]> {
    const contacts = await ctx.loaders.contactsOf.load({ id: person.id, ...windowOf(args) });
    return inScopeOf(
      person,
      [...contacts].sort((a, b) => a.start - b.start || a.end - b.end),
    );
  }

  @FieldResolver(() => [HandlingType], {
    description: 'Cold-chain lots this person handled within the window, by time.',
    complexity: listComplexity(10),
  })
  async handlings(
    @Root() person: Scoped<Person>,
    @Args(() => WindowArgs) args: WindowArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Handling[]> {
    const handlings = await ctx.loaders.handlingsBy.load({ id: person.id, ...windowOf(args) });
    return inScopeOf(
      person,
      [...handlings].sort((a, b) => a.at - b.at || compareCodeUnits(a.itemId, b.itemId)),
    );
  }
}

export function bySampledAt(samples: readonly Sample[]): Sample[] {
  return [...samples].sort((a, b) => a.sampledAt - b.sampledAt || compareCodeUnits(a.method, b.method));
}
