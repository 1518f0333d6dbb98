/** Transmission chains: the list (filtered, paged) and one by id; a chain's root, links, cases and sources. */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { TransmissionChain } from '../../analysis/chains';
import type { Case } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { badUserInput } from '../errors';
import { paginate, type Page, type PageArgs } from '../pagination';
import {
  listComplexity,
  LOOKUP_ID_RULE,
  lookupId,
  pagedComplexity,
  PageArgs as PageArgsType,
} from '../resolvers/args';
import type { AnalysedOutbreak } from '../services/analysis.service';
import { CaseType } from '../types/case.type';
import type { Entity } from '../types/entity';
import { EntityUnion } from '../types/unions';
import { AsOfArgs, AsOfPageArgs, narrowingId } from './args';
import { sourceRecords } from './source.resolver';
import { SourceType } from './source.type';
import {
  CaseConnection,
  ChainFilterInput,
  ChainRootSourceType,
  GenerationRType,
  TransmissionChainConnection,
  TransmissionChainType,
  TransmissionLinkType,
  type LinkRecord,
} from './transmission-chain.type';
import { inScopeOf, caseIn, entityIn, keyOfParent, outbreakFor, scoped, type Scoped } from './scope';

/** The chains with a case of this id, or with a case this person was exposed to. */
function chainIdsOfPerson(outbreak: AnalysedOutbreak, personId: string): Set<string> {
  const { index } = outbreak;
  const ids = new Set<string>();
  const own = index.chainCaseOf(personId);
  if (own) ids.add(own.chainId);
  const sources = [
    ...index.exposuresOfPerson(personId).map((e) => e.sourceId),
    ...(index.tierOf(personId)?.evidence.map((e) => e.sourceId) ?? []),
  ];
  for (const id of sources) {
    const chainCase = index.chainCaseOf(id);
    if (chainCase) ids.add(chainCase.chainId);
  }
  return ids;
}

/** Largest first, then the earliest, then by id. */
const chainSortKey = (c: TransmissionChain): [number, number, string] => [-c.size, c.firstAt, c.id];

@Resolver(() => TransmissionChainType)
export class TransmissionChainResolver {
  @Authorized()
  @Query(() => TransmissionChainConnection, {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description: 'Transmission chains, largest first (then earliest, then by id).',
    complexity: pagedComplexity,
  })
  async transmissionChains(
    @Arg('filter', () => ChainFilterInput, { nullable: true }) filter: ChainFilterInput | null,
    @Args(() => AsOfPageArgs) args: AsOfPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Scoped<TransmissionChain>>> {
    if (filter?.minSize !== null && filter?.minSize !== undefined && filter.minSize < 0) {
      throw badUserInput([{ path: 'filter.minSize', reason: 'must be 0 or more' }]);
    }
    const includesPerson = narrowingId(filter?.includesPerson, 'filter.includesPerson', {
      a: 'a person',
      leftOut: 'every chain',
    });
    const outbreak = await outbreakFor(ctx, null, args);
    // An unknown id filters too: it matches no chain.
    const inPerson = includesPerson !== null ? chainIdsOfPerson(outbreak, includesPerson) : null;
    const chains = outbreak.analysis.chains.chains.filter(
      (c) =>
        (filter?.active === null || filter?.active === undefined || c.active === filter.active) &&
        c.size >= (filter?.minSize ?? 0) &&
        (!inPerson || inPerson.has(c.id)),
    );
    return paginate(
      chains.map((c) => scoped(c, outbreak.key)),
      args,
      chainSortKey,
      [0, 0, ''],
    );
  }

  @Authorized()
  @Query(() => TransmissionChainType, {
    nullable: true,
    description: `A chain by id; null when there is none. ${LOOKUP_ID_RULE}`,
  })
  async chain(
    @Arg('id', () => ID) id: string,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<TransmissionChain> | null> {
    const chainId = lookupId(id, 'id', "a chain's");
    const outbreak = await outbreakFor(ctx, null, args);
    const chain = outbreak.index.chain(chainId);
    return chain && scoped(chain, outbreak.key);
  }

  @FieldResolver(() => CaseType, { nullable: true, description: 'The root case (generation 0).' })
  async root(@Root() chain: Scoped<TransmissionChain>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    return caseIn(await outbreakFor(ctx, chain), chain.rootId);
  }

  @FieldResolver(() => ChainRootSourceType, {
    description: 'Where the root case most likely came from (a lot, boat or place, or unknown).',
  })
  rootSource(@Root() chain: Scoped<TransmissionChain>): Scoped<TransmissionChain['rootSource']> {
    return inScopeOf(chain, chain.rootSource);
  }

  @FieldResolver(() => Int, { description: 'Number of generations (length + 1).' })
  generations(@Root() chain: Scoped<TransmissionChain>): number {
    return chain.length + 1;
  }

  @FieldResolver(() => [TransmissionLinkType], {
    description:
      'The tree, infector to infectee; a chain rooted in a lot, boat or place starts with a link from it.',
    complexity: listComplexity(20),
  })
  links(@Root() chain: Scoped<TransmissionChain>): Scoped<LinkRecord>[] {
    const key = keyOfParent(chain);
    const links: LinkRecord[] = [];
    const { rootSource } = chain;
    if (rootSource.kind !== 'unknown' && rootSource.kind !== 'case') {
      links.push({
        chainId: chain.id,
        from: rootSource.id,
        fromKind: rootSource.kind,
        to: chain.rootId,
        probability: rootSource.probability,
        setting: rootSource.setting ?? rootSource.kind,
        serialIntervalDays: null,
        flags: [],
      });
    }
    for (const link of chain.links) {
      links.push({
        chainId: chain.id,
        from: link.infectorId,
        fromKind: 'case',
        to: link.infecteeId,
        probability: link.probability,
        setting: link.setting,
        serialIntervalDays: link.serialIntervalDays,
        flags: link.flags,
      });
    }
    return key ? links.map((l) => scoped(l, key)) : links;
  }

  @FieldResolver(() => CaseConnection, {
    description: 'The cases of the chain: root first, then by generation and time.',
    complexity: pagedComplexity,
  })
  async cases(
    @Root() chain: Scoped<TransmissionChain>,
    @Args(() => PageArgsType) args: PageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Case>> {
    const outbreak = await outbreakFor(ctx, chain);
    const cases = chain.caseIds
      .map((id) => caseIn(outbreak, id))
      .filter((c): c is Scoped<Case> => c !== null);
    return paginate(cases, args, (c): [number] => [outbreak.index.chainOrder(c.personId)], [0]);
  }

  @FieldResolver(() => [GenerationRType], { complexity: listComplexity(5) })
  rByGeneration(@Root() chain: Scoped<TransmissionChain>): TransmissionChain['rByGeneration'] {
    return chain.rByGeneration;
  }

  @FieldResolver(() => [SourceType], {
    description: 'Likely origins of this chain, best first (raw per-chain scores).',
    complexity: listComplexity(5),
  })
  async sources(@Root() chain: Scoped<TransmissionChain>, @Ctx() ctx: ApiContext) {
    const outbreak = await outbreakFor(ctx, chain);
    return sourceRecords(outbreak, outbreak.analysis.sources.byChain.get(chain.id) ?? []);
  }
}

@Resolver(() => ChainRootSourceType)
export class ChainRootSourceResolver {
  @FieldResolver(() => EntityUnion, {
    nullable: true,
    description: 'The lot, boat or place; null when unknown.',
  })
  source(
    @Root() rootSource: Scoped<TransmissionChain['rootSource']>,
    @Ctx() ctx: ApiContext,
  ): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(rootSource), rootSource.id);
  }
}

@Resolver(() => TransmissionLinkType)
export class TransmissionLinkResolver {
  @FieldResolver(() => CaseType, {
    nullable: true,
    description: 'The infecting case; null when the link starts at a lot, boat or place.',
  })
  async infector(@Root() link: Scoped<LinkRecord>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    if (link.fromKind !== 'case') return null;
    return caseIn(await outbreakFor(ctx, link), link.from);
  }

  @FieldResolver(() => EntityUnion, {
    nullable: true,
    description: "The infecting case's person, or the lot, boat or place.",
  })
  source(@Root() link: Scoped<LinkRecord>, @Ctx() ctx: ApiContext): Promise<Entity | null> {
    return entityIn(ctx, keyOfParent(link), link.from);
  }

  @FieldResolver(() => CaseType, { nullable: true, description: 'The infected case.' })
  async infectee(@Root() link: Scoped<LinkRecord>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    return caseIn(await outbreakFor(ctx, link), link.to);
  }
}
