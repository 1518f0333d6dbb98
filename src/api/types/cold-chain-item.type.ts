/** ColdChainItem: a lot of frozen goods, with its handlers and storage as field resolvers. */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType('ColdChainItem', { description: 'A cold-chain lot (frozen goods).' })
export class ColdChainItemType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  product!: string | null;

  @Field(() => String, { nullable: true })
  lot!: string | null;

  @Field(() => String, { nullable: true })
  origin!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  arrivedAt!: number | null;
}
