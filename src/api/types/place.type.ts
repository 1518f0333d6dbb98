/**
 * Place: a home, venue, port, cold storage, quarantine site or any other location. The name is a
 * field resolver in place.resolver.ts: a home's is personal data.
 */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('Place', {
  description:
    "A place: a home, venue, fishing port, cold storage, quarantine site, ... A home's name is an address, personal data of its household: masked for the cdc role, audited otherwise.",
})
export class PlaceType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: 'home, village, community, fishing_port, cold_storage, market, ... or any other word.',
  })
  kind!: string;

  @Field(() => Float, { nullable: true })
  lat!: number | null;

  @Field(() => Float, { nullable: true })
  lon!: number | null;

  @Field(() => Int, { nullable: true, description: 'Beds, for a quarantine site.' })
  capacity!: number | null;
}
