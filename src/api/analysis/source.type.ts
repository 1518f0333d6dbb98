/** Source: a likely origin of the outbreak or of a chain, ranked by backward tracing. */
import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { SourceKind } from '../../analysis/sources';
import { SourceKindEnum } from './enums';

@ObjectType('Source', {
  description:
    'A likely origin of chains: a person, lot, boat or place, scored by backward tracing over the early cases (Endo et al. 2021; Bradshaw et al. 2021) and positive environmental samples.',
})
export class SourceType {
  @Field(() => ID)
  id!: string;

  @Field(() => SourceKindEnum)
  kind!: SourceKind;

  @Field(() => Float, {
    description:
      "Overall: the cases it explains (chain size times its share of the chain's scores); per chain: its raw score.",
  })
  score!: number;

  @Field(() => [ID])
  chainIds!: string[];

  // Written from ids, kinds, numbers and dates, never a name: read as it is (see personal-data.ts).
  @Field(() => [String], { description: 'Why, in words and numbers; persons and places by id.' })
  reasons!: string[];
}
