/** Cluster: cases joined by likely transmission, or a community of the exposure graph. */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionOf } from '../types/connections';
import { PersonType } from '../types/person.type';
import { ClusterKindEnum } from './enums';

@ObjectType('Cluster', {
  description:
    'Connected cases of the case graph, or a Louvain community of the contact network: close-contact exposures and every exposure of a case (Blondel et al., J Stat Mech 2008).',
})
export class ClusterType {
  @Field(() => ID, { description: '`component-<smallest member id>` or `community-<smallest member id>`.' })
  id!: string;

  @Field(() => ClusterKindEnum)
  kind!: 'case_component' | 'exposure_community';

  @Field(() => Int, {
    description:
      'How many members: of an exposure community, the lots, boats and places in it as well as its persons (`memberIds`, not `members`).',
  })
  size!: number;

  @Field(() => Int, { description: 'How many of its members are cases.' })
  caseCount!: number;

  @Field(() => [ID], {
    description:
      'Every member by id: persons, and of an exposure community the lots, boats and places that were sources of its exposures.',
  })
  memberIds!: string[];
}

export const PersonConnection = connectionOf('Person', () => PersonType);
