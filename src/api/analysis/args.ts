/** Arguments of analysis fields: the as-of instant (and bed capacity), alone or with a page. */
import { GraphQLDateTime } from 'graphql-scalars';
import { ArgsType, Field, Int } from 'type-graphql';
import { PageArgs } from '../resolvers/args';

const AS_OF =
  'Analyse what was known at this instant. Default: what the parent came from, else the end of the day of the latest case event.';
const CAPACITY = "At most this many quarantine beds in all. Default: the sites' own capacity.";

@ArgsType()
export class AsOfArgs {
  @Field(() => GraphQLDateTime, { nullable: true, description: AS_OF })
  asOf?: Date | null;
}

@ArgsType()
export class AsOfPageArgs extends PageArgs {
  @Field(() => GraphQLDateTime, { nullable: true, description: AS_OF })
  asOf?: Date | null;
}

@ArgsType()
export class AsOfCapacityArgs extends AsOfArgs {
  @Field(() => Int, { nullable: true, description: CAPACITY })
  capacity?: number | null;
}

@ArgsType()
export class AsOfCapacityPageArgs extends AsOfPageArgs {
  @Field(() => Int, { nullable: true, description: CAPACITY })
  capacity?: number | null;
}
