/**
 * The report step: `tracegraph report --format html` over every case of the district, as the CLI
 * runs it (analyse, build the report, render, write the file), then the Markdown and the CSV
 * quarantine list written from the same analysis, the CSV streamed as the CLI streams a whole
 * district's list. The HTML's time and peak memory are taken before the other two start, so they
 * are those of the HTML command alone.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { analyseOutbreak } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { toLazyReport, toReport } from '../../src/analysis/report';
import { resolveParameters } from '../../src/domain/parameters';
import { writeReport, type ReportFormat } from '../../src/report/batch';
import { streamQuarantineCsv } from '../../src/report/csv';
import { writeFileStreamed } from '../../src/report/stream';
import { peakRssBytes, secondsSince } from '../protocol';
import { withStore, type StoreTarget } from './store-target';

/** The formats measured, the HTML first (its figures are the command's own). */
export const REPORT_STEP_FORMATS = ['html', 'md', 'csv'] as const satisfies readonly ReportFormat[];

export interface ReportFormatFigures {
  /** Seconds to render and write this format, after the analysis. */
  renderSeconds: number;
  /** Bytes of the file written. */
  bytes: number;
  /** Peak RSS of the process once this format was written (monotone: includes what came before). */
  peakRssBytes: number;
}

export async function reportStep(args: { target: StoreTarget; outDir: string; maxContacts?: number }) {
  const params = resolveParameters();
  return withStore(args.target, async (store) => {
    const asOf = await latestCaseAsOf(store);
    const started = process.hrtime.bigint();
    const analysis = await analyseOutbreak(store, params, { asOf });
    // As the CLI builds it for the pages (src/cli/commands/report.ts).
    const report = toReport(analysis, { evidenceOnRead: true });
    const analyseSeconds = secondsSince(started);
    const formats = {} as Record<(typeof REPORT_STEP_FORMATS)[number], ReportFormatFigures>;
    for (const format of REPORT_STEP_FORMATS) {
      const renderStarted = process.hrtime.bigint();
      const out = path.join(args.outDir, `report.${format}`);
      const { file } =
        format === 'csv'
          ? await writeFileStreamed(out, (sink) =>
              streamQuarantineCsv(toLazyReport(analysis), sink, { bom: true }),
            )
          : await writeReport(report, { format, out, maxContacts: args.maxContacts });
      formats[format] = {
        renderSeconds: secondsSince(renderStarted),
        bytes: (await stat(file!)).size,
        peakRssBytes: peakRssBytes(),
      };
    }
    return {
      // What `tracegraph report --format html` takes: the analysis and the HTML.
      seconds: analyseSeconds + formats.html.renderSeconds,
      analyseSeconds,
      asOf,
      cases: report.cases.length,
      contacts: report.contacts.length,
      chains: report.chains.length,
      formats,
    };
  });
}
