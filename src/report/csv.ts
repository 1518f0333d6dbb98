/**
 * The quarantine list as CSV, the sheet quarantine teams work from: one row per contact in
 * priority order (1 = first to quarantine), with name and phone from the report's entity labels,
 * masked for roles that may not see them.
 */
import { stringify } from 'csv-stringify/sync';
import type { AnalysisReport } from '../analysis/report-model';
import { maskName, maskPhone } from '../domain/masking';
import { byPriority, decimal } from './view';

export const QUARANTINE_COLUMNS = [
  'person_id',
  'name',
  'phone',
  'tier',
  'priority',
  'score',
  'probability',
  'assigned_site',
  'release_on',
  'home_monitoring_until',
  'pcr_dates',
  'reasons',
] as const;

export interface QuarantineCsvOptions {
  mask?: boolean;
  /** Start with a UTF-8 byte order mark so spreadsheet programs read Chinese names correctly. */
  bom?: boolean;
}

/**
 * One row per contact. `assigned_site` is the site's id; `pcr_dates` are the test dates joined
 * with `;`; score and probability keep three decimals.
 */
export function renderQuarantineCsv(report: AnalysisReport, options: QuarantineCsvOptions = {}): string {
  const rows = [...report.contacts].sort(byPriority).map((c) => {
    const person = report.entities[c.personId];
    const name = person?.name ?? null;
    const phone = person?.phone ?? null;
    return [
      c.personId,
      (options.mask ? maskName(name) : name) ?? '',
      (options.mask ? maskPhone(phone) : phone) ?? '',
      c.tier,
      String(c.priority),
      decimal(c.score),
      decimal(c.probability),
      c.assignedSiteId ?? '',
      c.releaseOn ?? '',
      c.homeMonitoringUntil ?? '',
      c.pcrDates.join(';'),
      c.reasons,
    ];
  });
  const text = stringify([[...QUARANTINE_COLUMNS], ...rows], { record_delimiter: 'unix' });
  return options.bom ? `\uFEFF${text}` : text;
}
