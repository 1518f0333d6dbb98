/** The outbreak summary at asOf and for a bed capacity (from the analysis report) and its spreaders' cases. */
import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AnalysisReport, SpreaderReport } from '../../analysis/report-model';
import type { Case } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { listComplexity } from '../resolvers/args';
import { CaseType } from '../types/case.type';
import { AsOfCapacityArgs } from './args';
import { OutbreakSummaryType, SpreaderType } from './outbreak-summary.type';
import { inScopeOf, caseIn, outbreakFor, scoped, type Scoped } from './scope';

type SummaryRecord = AnalysisReport['summary'] & {
  asOf: number;
  protocol: string;
  pathogen: string;
  waitingForBeds: number;
  epiCurve: AnalysisReport['epiCurve'];
  rByGeneration: AnalysisReport['rByGeneration'];
  superspreaders: SpreaderReport[];
};

@Resolver(() => OutbreakSummaryType)
export class OutbreakSummaryResolver {
  @Authorized()
  @Query(() => OutbreakSummaryType, {
    // Null, with the error at this field, when its analysis is refused or fails: the other
    // fields of the request are answered all the same (a non-null root field nulls them all).
    nullable: true,
    description:
      'Counts, epidemic curve, reproduction number by generation and spreaders at asOf; the quarantine beds under `capacity`, as quarantinePriority(capacity) allocates them.',
    complexity: 50,
  })
  async outbreakSummary(
    @Args(() => AsOfCapacityArgs) args: AsOfCapacityArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Scoped<SummaryRecord>> {
    const outbreak = await outbreakFor(ctx, null, args);
    const report = outbreak.report();
    return scoped(
      {
        ...report.summary,
        asOf: outbreak.key.asOf,
        protocol: report.parameters.protocol,
        pathogen: report.parameters.pathogen,
        parameterChanges: report.parameters.changed,
        waitingForBeds: outbreak.analysis.quarantine.waiting,
        epiCurve: report.epiCurve,
        rByGeneration: report.rByGeneration,
        superspreaders: report.superspreaders,
      },
      outbreak.key,
    );
  }

  @FieldResolver(() => [SpreaderType], {
    description: 'Cases that drive transmission, most offspring first.',
    complexity: listComplexity(10),
  })
  superspreaders(@Root() summary: Scoped<SummaryRecord>): Scoped<SpreaderReport>[] {
    return inScopeOf(summary, summary.superspreaders);
  }
}

@Resolver(() => SpreaderType)
export class SpreaderResolver {
  @FieldResolver(() => CaseType, { nullable: true })
  async case(@Root() spreader: Scoped<SpreaderReport>, @Ctx() ctx: ApiContext): Promise<Case | null> {
    return caseIn(await outbreakFor(ctx, spreader), spreader.personId);
  }
}
