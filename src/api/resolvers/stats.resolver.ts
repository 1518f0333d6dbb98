/**
 * Stats and the audit log: store counts, and an import left unfinished, for everyone; personal-data
 * reads for admins.
 */
import { Args, Authorized, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import type { Counts } from '../../domain/types';
import type { UnfinishedImport } from '../../store/port';
import type { AuditEntry } from '../audit-log';
import type { ApiContext } from '../context.type';
import { badUserInput } from '../errors';
import { encodeCursor, decodeCursor, pageSize, type Page } from '../pagination';
import { AuditEntryConnection } from '../types/connections';
import { StatsType } from '../types/stats.type';
import { UnfinishedImportType } from '../types/unfinished-import.type';
import { PageArgs } from './args';

@Resolver(() => StatsType)
export class StatsResolver {
  @Authorized()
  @Query(() => StatsType, { description: 'How many records of each kind the store holds.' })
  stats(@Ctx() ctx: ApiContext): Promise<Counts> {
    return ctx.store.counts();
  }

  @FieldResolver(() => [UnfinishedImportType], {
    description:
      'The imports that left the store holding part of their bundle, one per bundle folder, oldest ' +
      'first, without one running now; empty when there is none (always on the embedded store, ' +
      'whose import is one transaction).',
  })
  unfinishedImports(@Ctx() ctx: ApiContext): Promise<UnfinishedImport[]> {
    return ctx.store.unfinishedImports();
  }

  @Authorized(['admin'])
  @Query(() => AuditEntryConnection, {
    description: 'Reads of unmasked personal data, newest first (admin only).',
  })
  auditLog(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: ApiContext): Page<AuditEntry> {
    const first = pageSize(args.first);
    let before: number | undefined;
    if (args.after !== null && args.after !== undefined) {
      const key = decodeCursor(args.after, [0]);
      if (!key) throw badUserInput([{ path: 'after', reason: 'is not a cursor of this list' }]);
      before = key[0] as number;
    }
    const { entries, hasMore } = ctx.audit.page(first, before);
    const edges = entries.map((node) => ({ node, cursor: encodeCursor([node.seq]) }));
    return {
      edges,
      pageInfo: { hasNextPage: hasMore, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: ctx.audit.size,
    };
  }
}
