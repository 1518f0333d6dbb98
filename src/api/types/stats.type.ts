/** Stats: how many records of each kind the store holds (and `unfinishedImports`, resolved apart). */
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('Stats', { description: 'How many records of each kind the store holds.' })
export class StatsType {
  @Field(() => Int) persons!: number;
  @Field(() => Int) places!: number;
  @Field(() => Int) boats!: number;
  @Field(() => Int) items!: number;
  @Field(() => Int) stays!: number;
  @Field(() => Int) contacts!: number;
  @Field(() => Int) handlings!: number;
  @Field(() => Int) samples!: number;
  @Field(() => Int) cases!: number;
}
