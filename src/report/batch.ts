/**
 * Batch trace reports: renders all cases of an analysis report, or a list of them, in one of the
 * four formats and writes the result to a file (or hands it back for stdout). Case ids that are
 * not cases are reported, in the returned problems and in the report itself, and the rest is
 * still rendered.
 */
import cliProgress from 'cli-progress';
import type { AnalysisReport } from '../analysis/report-model';
import { renderQuarantineCsv } from './csv';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { selectCases } from './select';
import { writeFileStreamed } from './stream';
import { reportAllDone } from './view';

export const REPORT_FORMATS = ['html', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteReportOptions {
  format: ReportFormat;
  /** Only these cases; all cases when absent or empty. */
  caseIds?: string[];
  /** A file to write; without it the text is returned (for stdout). */
  out?: string;
  /** Mask names and phones. */
  mask?: boolean;
  title?: string;
  /**
   * HTML and Markdown: contacts listed per case and in the quarantine table, highest priority
   * first (default 50; 0 for all). CSV and JSON always list every contact.
   */
  maxContacts?: number;
  /** JSON: indented by two spaces (default: one line). */
  pretty?: boolean;
  /** Called once per case rendered: `done` of `total`. */
  onProgress?: (done: number, total: number, caseId: string) => void;
}

export interface WriteReportResult {
  /** Requested case ids that are not cases, one sentence each. */
  problems: string[];
  /** The rendered report when no `out` file was given. */
  text?: string;
  /** The file written, when `out` was given. */
  file?: string;
}

export async function writeReport(
  report: AnalysisReport,
  options: WriteReportOptions,
): Promise<WriteReportResult> {
  const { format, caseIds, mask = false, onProgress, maxContacts } = options;
  const selection = selectCases(report, caseIds);
  const problems = selection.problems;
  let text: string;
  switch (format) {
    case 'html':
      text = renderHtml(report, { caseIds, mask, title: options.title, onProgress, maxContacts });
      break;
    case 'md':
      text = renderMarkdown(report, { caseIds, mask, title: options.title, onProgress, maxContacts });
      break;
    case 'json':
      text = renderJson(report, { caseIds, mask, pretty: options.pretty });
      reportAllDone(selection.report.cases, onProgress);
      break;
    case 'csv':
      // The list carries no problem box: a spreadsheet must stay one table. Problems are returned.
      text = renderQuarantineCsv(selection.report, { mask, bom: options.out !== undefined });
      reportAllDone(selection.report.cases, onProgress);
      break;
    default:
      throw new Error(`unknown report format "${String(format)}": use one of ${REPORT_FORMATS.join(', ')}`);
  }

  if (options.out === undefined) return { problems, text };
  // Written beside the target and renamed, so a reader never sees half a report.
  const { file } = await writeFileStreamed(options.out, (sink) => sink.write(text));
  return { problems, file };
}

/**
 * A progress bar on a terminal (cli-progress), for the CLI: `onProgress` is undefined when the
 * stream is not a TTY, so piped output stays clean.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): {
  onProgress?: WriteReportOptions['onProgress'];
  stop(): void;
} {
  if (!stream.isTTY) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'rendering cases [{bar}] {value}/{total} {caseId}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total, caseId) {
      if (!started) {
        bar.start(total, 0, { caseId });
        started = true;
      }
      bar.update(done, { caseId });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
