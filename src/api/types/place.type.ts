/** Place: a home, venue, port, cold storage, quarantine site or any other location. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('Place', {
  description: 'A place: a home, venue, fishing port, cold storage, quarantine site, ...',
})
export class PlaceType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

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
