/**
 * The report as JSON: the analysis report itself, narrowed to the requested cases and masked when
 * asked, with a `problems` list added only when something asked for could not be reported.
 */
import type { AnalysisReport } from '../analysis/report-model';
import { prepareReport } from './select';

export interface JsonOptions {
  caseIds?: string[];
  mask?: boolean;
  problems?: string[];
}

export type JsonReport = AnalysisReport & { problems?: string[] };

/** The narrowed (and masked) report as a value. */
export function jsonReport(report: AnalysisReport, options: JsonOptions = {}): JsonReport {
  const { shown, problems } = prepareReport(report, options);
  return problems.length ? { ...shown, problems } : shown;
}

export function renderJson(report: AnalysisReport, options: JsonOptions = {}): string {
  return `${JSON.stringify(jsonReport(report, options), null, 2)}\n`;
}
