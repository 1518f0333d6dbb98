/**
 * Mutations: single records and small batches (at most 1,000), validated exactly as an import
 * is; a refused batch writes nothing. Investigators and admins only.
 */
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import {
  boatsSpec,
  casesSpec,
  contactsSpec,
  handlingsSpec,
  itemsSpec,
  personsSpec,
  placesSpec,
  samplesSpec,
  staysSpec,
} from '../../domain/records';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  Handling,
  Person,
  Place,
  Sample,
  Stay,
} from '../../domain/types';
import { WRITERS } from '../auth-checker';
import type { ApiContext } from '../context.type';
import {
  BoatInput,
  CaseInput,
  ColdChainItemInput,
  ContactInput,
  HandlingInput,
  PersonInput,
  PlaceInput,
  SampleInput,
  StayInput,
} from '../inputs/records.input';
import { MAX_RECORDS_PER_MUTATION, RecordsService } from '../services/records.service';
import { BoatType } from '../types/boat.type';
import { CaseType } from '../types/case.type';
import { ColdChainItemType } from '../types/cold-chain-item.type';
import { ContactType } from '../types/contact.type';
import { HandlingType } from '../types/handling.type';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { SampleType } from '../types/sample.type';
import { StayType } from '../types/stay.type';

/** A write returns what it wrote: priced once, not per record (the batch size is capped). */
const writeComplexity: ComplexityEstimator = ({ childComplexity }) => 10 + childComplexity;
const opts = (description: string) => ({
  description: `${description} At most ${MAX_RECORDS_PER_MUTATION} per call; returns what was written.`,
  complexity: writeComplexity,
});

/**
 * What an upsert of entities meets while another writer holds the store: on the embedded store,
 * SQLite's write lock, which holds back every write while another process writes (its import);
 * on Neo4j, the import lock, which holds back only writes adding ids not yet stored
 * (src/store/neo4j/index.ts).
 */
const WHILE_IMPORTING =
  'While another writer holds the store, a call waits for it up to 5 s, then is refused with STORE_BUSY, writing nothing. On the embedded store that is every call while another process writes to the store (an import there holds the store until it commits); on Neo4j, only a call adding an id not yet stored, while an import runs.';

const service = (ctx: ApiContext) =>
  new RecordsService(
    ctx.store,
    ctx.loaders,
    () => ctx.analysis.invalidate(),
    (warnings) => ctx.warnings.push(...warnings),
  );

@Resolver()
export class RecordsResolver {
  @Authorized(WRITERS)
  @Mutation(
    () => [PersonType],
    opts(
      `Adds or updates persons by id, each written whole, as a row of persons.csv: a field left out is empty. A homeId must name a place of kind home. ${WHILE_IMPORTING}`,
    ),
  )
  upsertPersons(
    @Arg('persons', () => [PersonInput]) persons: PersonInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<Person[]> {
    return service(ctx).write('persons', personsSpec, 'persons', persons);
  }

  @Authorized(WRITERS)
  @Mutation(
    () => [PlaceType],
    opts(
      `Adds or updates places by id, each written whole, as a row of places.csv: a field left out is empty. A place made a quarantine site (kind quarantine_site), or a site given fewer beds, must have the capacity to hold the most persons recorded there at once, counted as assignQuarantineSite counts beds, and a place made a site may not have a person there while at another site: otherwise the batch is refused. A site left as it is, or given more beds, is not checked again. A place of a kind other than home is refused while persons have it as their homeId (move them first with upsertPersons). ${WHILE_IMPORTING}`,
    ),
  )
  upsertPlaces(
    @Arg('places', () => [PlaceInput]) places: PlaceInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<Place[]> {
    return service(ctx).write('places', placesSpec, 'places', places);
  }

  @Authorized(WRITERS)
  @Mutation(
    () => [BoatType],
    opts(
      `Adds or updates boats by id, each written whole, as a row of boats.csv: a field left out is empty. ${WHILE_IMPORTING}`,
    ),
  )
  upsertBoats(@Arg('boats', () => [BoatInput]) boats: BoatInput[], @Ctx() ctx: ApiContext): Promise<Boat[]> {
    return service(ctx).write('boats', boatsSpec, 'boats', boats);
  }

  @Authorized(WRITERS)
  @Mutation(
    () => [ColdChainItemType],
    opts(
      `Adds or updates cold-chain lots by id, each written whole, as a row of items.csv: a field left out is empty. ${WHILE_IMPORTING}`,
    ),
  )
  upsertColdChainItems(
    @Arg('items', () => [ColdChainItemInput]) items: ColdChainItemInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<ColdChainItem[]> {
    return service(ctx).write('items', itemsSpec, 'items', items);
  }

  @Authorized(WRITERS)
  @Mutation(
    () => [StayType],
    opts(
      "Adds stays (a stay already recorded is not added twice). A person's stay at a quarantine site needs a bed free over all of it, counted as assignQuarantineSite counts them (with the batch's earlier stays), and may not overlap the person's stay at another quarantine site: otherwise the batch is refused.",
    ),
  )
  addStays(@Arg('stays', () => [StayInput]) stays: StayInput[], @Ctx() ctx: ApiContext): Promise<Stay[]> {
    return service(ctx).write('stays', staysSpec, 'stays', stays);
  }

  @Authorized(WRITERS)
  @Mutation(() => [ContactType], opts('Adds reported contacts.'))
  addContacts(
    @Arg('contacts', () => [ContactInput]) contacts: ContactInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<Contact[]> {
    return service(ctx).write('contacts', contactsSpec, 'contacts', contacts);
  }

  @Authorized(WRITERS)
  @Mutation(() => [HandlingType], opts('Adds handlings of cold-chain lots.'))
  addHandlings(
    @Arg('handlings', () => [HandlingInput]) handlings: HandlingInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<Handling[]> {
    return service(ctx).write('handlings', handlingsSpec, 'handlings', handlings);
  }

  @Authorized(WRITERS)
  @Mutation(
    () => [SampleType],
    opts('Adds samples; a sample of the same subject, instant and method is corrected.'),
  )
  addSamples(
    @Arg('samples', () => [SampleInput]) samples: SampleInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<Sample[]> {
    return service(ctx).write('samples', samplesSpec, 'samples', samples);
  }

  @Authorized(WRITERS)
  @Mutation(() => [CaseType], opts("Adds cases or updates a person's case."))
  upsertCases(@Arg('cases', () => [CaseInput]) cases: CaseInput[], @Ctx() ctx: ApiContext): Promise<Case[]> {
    return service(ctx).write('cases', casesSpec, 'cases', cases);
  }
}
