/** Clusters at asOf: case components first, then exposure communities; each with its members and cases. */
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Cluster } from '../../analysis/clusters';
import type { Case, Person } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { paginate, type Page, type PageArgs } from '../pagination';
import { listComplexity, pagedComplexity, PageArgs as PageArgsType } from '../resolvers/args';
import { CaseType } from '../types/case.type';
import { AsOfArgs } from './args';
import { ClusterType, PersonConnection } from './cluster.type';
import { ClusterKindEnum } from './enums';
import { caseIn, keyOfParent, outbreakFor, personIn, scoped, type Scoped } from './scope';

@Resolver(() => ClusterType)
export class ClusterResolver {
  @Authorized()
  @Query(() => [ClusterType], {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description:
      'Clusters at asOf: connected components of the case graph (links of probability 0.1 or more), then communities of the contact network (close-contact exposures and every exposure of a case), each largest first.',
    complexity: listComplexity(20),
  })
  async clusters(
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Arg('kind', () => ClusterKindEnum, { nullable: true, description: 'Only clusters of this kind.' })
    kind: Cluster['kind'] | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<Cluster>[]> {
    const outbreak = await outbreakFor(ctx, null, args);
    return outbreak.analysis.clusters
      .filter((c) => !kind || c.kind === kind)
      .map((c) => scoped(c, outbreak.key));
  }

  @FieldResolver(() => PersonConnection, {
    description:
      'Its members who are persons, by id (an exposure community also counts the lots, boats and places among `memberIds`).',
    complexity: pagedComplexity,
  })
  async members(
    @Root() cluster: Scoped<Cluster>,
    @Args(() => PageArgsType) args: PageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Person>> {
    // Persons first, then the page: a page of first: N then holds N persons while there are more,
    // its endCursor is the last person in it, and totalCount counts what the pages walk.
    const outbreak = await outbreakFor(ctx, cluster);
    const page = paginate(outbreak.index.personsIn(cluster), args, (id): [string] => [id], ['']);
    const key = keyOfParent(cluster);
    const persons = await Promise.all(page.edges.map((e) => personIn(ctx, key, e.node)));
    return {
      ...page,
      edges: page.edges.flatMap((e, i) => (persons[i] ? [{ node: persons[i]!, cursor: e.cursor }] : [])),
    };
  }

  @FieldResolver(() => [CaseType], {
    description: 'Its members who are cases.',
    complexity: listComplexity(10),
  })
  async cases(@Root() cluster: Scoped<Cluster>, @Ctx() ctx: ApiContext): Promise<Case[]> {
    const outbreak = await outbreakFor(ctx, cluster);
    return cluster.memberIds.map((id) => caseIn(outbreak, id)).filter((c): c is Scoped<Case> => c !== null);
  }
}
