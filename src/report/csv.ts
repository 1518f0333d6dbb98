/**
 * The quarantine list as CSV, the sheet quarantine teams work from: one row per contact in
 * priority order (1 = first to quarantine), with name and phone from the report's entity labels,
 * masked for roles that may not see them. A cell a spreadsheet would run as a formula is written
 * as text (see `csvText`).
 */
import { stringify } from 'csv-stringify/sync';
import type { AnalysisReport, ContactReport, LazyAnalysisReport } from '../analysis/report-model';
import { BYTE_ORDER_MARK } from '../domain/byte-order-mark';
import { maskName, maskPhone } from '../domain/masking';
import type { TextSink } from './stream';
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
  'placement',
  'release_on',
  'home_monitoring_until',
  'pcr_dates',
  'close_contact_of',
  'reasons',
] as const;

export interface QuarantineCsvOptions {
  mask?: boolean;
  /** Start with a UTF-8 byte order mark so spreadsheet programs read Chinese names correctly. */
  bom?: boolean;
}

/**
 * One row per contact. `assigned_site` is the site's id (for a contact whose quarantine is over,
 * the site they are still at); `placement` is the plan's (`site`, `waiting`, `home`, `monitoring`,
 * `completed`); `pcr_dates` are the test dates joined with `;`, and `close_contact_of` the ids of
 * whose close contact the person is (empty for the other tiers); score and probability keep three
 * decimals.
 */
export function renderQuarantineCsv(report: AnalysisReport, options: QuarantineCsvOptions = {}): string {
  const rows = [...report.contacts].sort(byPriority).map((c) => quarantineRow(c, report.entities, options));
  return (options.bom ? BYTE_ORDER_MARK : '') + csvText([[...QUARANTINE_COLUMNS], ...rows]);
}

/**
 * Rows stringified this many at a time when streamed: one call per row costs more, and a whole
 * district's list at once is the memory streaming saves.
 */
const BATCH_ROWS = 256;

/**
 * The same text as `renderQuarantineCsv`, written into `sink` a batch of rows at a time, the
 * contacts of a lazy report built as they are written: at a million persons the list has 583,453
 * rows, and the whole report with every contact's evidence costs gigabytes more than the rows. A
 * lazy report's contacts come in priority order; they are checked to.
 */
export async function streamQuarantineCsv(
  report: LazyAnalysisReport | AnalysisReport,
  sink: TextSink,
  options: QuarantineCsvOptions = {},
): Promise<void> {
  const contacts = Array.isArray(report.contacts)
    ? [...(report.contacts as ContactReport[])].sort(byPriority)
    : report.contacts;
  await sink.write((options.bom ? BYTE_ORDER_MARK : '') + csvText([[...QUARANTINE_COLUMNS]]));
  let batch: string[][] = [];
  let previous: ContactReport | null = null;
  for (const contact of contacts) {
    if (previous !== null && byPriority(previous, contact) > 0) {
      throw new Error(
        `quarantine list: contact ${contact.personId} (priority ${contact.priority}) comes after ${previous.personId} (priority ${previous.priority})`,
      );
    }
    previous = contact;
    batch.push(quarantineRow(contact, report.entities, options));
    if (batch.length === BATCH_ROWS) {
      await sink.write(csvText(batch));
      batch = [];
    }
  }
  if (batch.length > 0) await sink.write(csvText(batch));
}

/**
 * Rows as CSV, each ending with a line feed. A cell that begins like a formula (`=`, `+`, `-`, `@`,
 * their full-width forms, a tab or a carriage return) gets a leading apostrophe (csv-stringify's
 * `escape_formulas`), which spreadsheets read as "text follows" and do not show. Names and phones
 * come from registrations anyone could fill in, and a name such as `=HYPERLINK(...)` would
 * otherwise run when the list is opened (OWASP, "CSV Injection"). The values tracegraph writes
 * itself (tiers, numbers, dates) never begin so. A cell with a line feed or a carriage return is
 * quoted (`quote_record_delimiter`: with `record_delimiter` set, csv-stringify would quote only the
 * line feed, and a lone carriage return in a name ends the row for most CSV readers).
 */
const csvText = (rows: string[][]): string =>
  stringify(rows, { record_delimiter: 'unix', quote_record_delimiter: true, escape_formulas: true });

function quarantineRow(
  c: ContactReport,
  entities: AnalysisReport['entities'],
  options: QuarantineCsvOptions,
): string[] {
  const person = entities[c.personId];
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
    c.placement,
    c.releaseOn ?? '',
    c.homeMonitoringUntil ?? '',
    c.pcrDates.join(';'),
    c.closeContactOf.join(';'),
    c.reasons,
  ];
}
