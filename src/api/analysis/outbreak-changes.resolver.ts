/** What changed between two instants (the analysis at each), as `tracegraph report --since`. */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { changesSince } from '../../analysis/changes';
import type { ReportChanges } from '../../analysis/report-model';
import type { ApiContext } from '../context.type';
import { checkWithinYears } from '../services/analysis.service';
import { badUserInput } from '../errors';
import { DateTimeScalar } from '../types/date-time.scalar';
import { AsOfCapacityArgs } from './args';
import { OutbreakChangesType } from './outbreak-changes.type';
import { outbreakFor } from './scope';

type ChangesRecord = Omit<ReportChanges, 'since' | 'summaryThen'> & { since: Date; asOf: Date };

@Resolver(() => OutbreakChangesType)
export class OutbreakChangesResolver {
  @Authorized()
  @Query(() => OutbreakChangesType, {
    // Null, with the error at this field, when an analysis is refused or fails, as outbreakSummary.
    nullable: true,
    description:
      'What changed from since to asOf: new and reclassified cases, contacts new, gone or of another tier, placements and risk areas changed. Runs the analysis at both instants (each counts as one the request asks for).',
    complexity: 100,
  })
  async outbreakChanges(
    @Arg('since', () => DateTimeScalar, {
      description: 'The earlier instant, before asOf; a daily briefing gives the end of the day before.',
    })
    since: Date,
    @Args(() => AsOfCapacityArgs) args: AsOfCapacityArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ChangesRecord> {
    checkWithinYears(since.getTime(), 'since');
    const now = await outbreakFor(ctx, null, args);
    if (since.getTime() >= now.key.asOf)
      throw badUserInput([
        {
          path: 'since',
          reason: `${since.toISOString()} is not before asOf (${new Date(now.key.asOf).toISOString()})`,
        },
      ]);
    const then = await outbreakFor(ctx, null, { asOf: since, capacity: args.capacity });
    const { since: _since, summaryThen: _summary, ...lists } = changesSince(then.briefing(), now.briefing());
    return { since, asOf: new Date(now.key.asOf), ...lists };
  }
}
