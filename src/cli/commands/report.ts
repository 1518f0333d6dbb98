/**
 * `tracegraph report`: runs the analysis and writes the trace report (HTML, Markdown, the
 * quarantine list as CSV, or JSON) for the district or for chosen cases.
 */
import { Command, Option } from 'commander';
import type { BriefingState } from '../../analysis/changes';
import type { ReportChanges } from '../../analysis/report-model';
import { formatDateTime, formatInstant } from '../../domain/time';
import type { Case, Instant, Sample } from '../../domain/types';
import type { TraceStore } from '../../store/port';
import { CaseIdListError, parseCaseIdList } from '../../domain/case-ids';
import type { Analysis } from '../../analysis/analyse';
import { toLazyReport, toReport } from '../../analysis/report';
import { REPORT_FORMATS, terminalProgress, writeReport, type ReportFormat } from '../../report/batch';
import { streamJsonReport, type WriteJsonOptions } from '../../report/json';
import { streamQuarantineCsv } from '../../report/csv';
import {
  fdSink,
  OutTargetError,
  readyOutTarget,
  streamSink,
  writeFileStreamed,
  writesBlock,
  type TextSink,
} from '../../report/stream';
import { DEFAULT_MAX_CONTACTS, reportAllDone, type ProgressListener } from '../../report/view';
import {
  addAnalysisOptions,
  asOfFrom,
  capacityFrom,
  instantOfFlag,
  parametersFrom,
  type AnalysisFlags,
} from '../analysis-options';
import { UsageError, withStore, type CliIo } from '../context';
import { wholeNumber } from '../whole-number';

interface ReportFlags extends AnalysisFlags {
  format: ReportFormat;
  since?: string;
  cases?: string;
  out?: string;
  role?: string;
  pretty?: boolean;
  maxContacts: string;
}

/** What a report command hands back: problems to print, and the file written if any. */
interface ReportWritten {
  problems: string[];
  text?: string;
  file?: string;
}

/**
 * Standard output as a sink: redirected to a file (or /dev/null), written to straight (`fdSink`);
 * otherwise with backpressure when it is a stream (it is, but for tests that capture it), so that
 * a report of hundreds of megabytes is never queued in memory whole.
 */
function stdoutSink(io: CliIo): TextSink & { settled(): Promise<void>; release(): void } {
  const { stdout } = io;
  const fd = (stdout as { fd?: unknown }).fd;
  if (typeof fd === 'number' && writesBlock(fd)) return fdSink(fd, 'standard output');
  if (typeof (stdout as Partial<NodeJS.WritableStream>).on === 'function')
    return streamSink(stdout as NodeJS.WritableStream, 'standard output');
  return {
    write: (chunk) => Promise.resolve(void stdout.write(chunk)),
    settled: () => Promise.resolve(),
    release() {},
  };
}

/**
 * Whether `err` says the reader of standard output went away (`tracegraph report | head`): the
 * report stops there, as other command-line tools do, and that is not an error of the report.
 */
function readerClosed(err: unknown, out: string | undefined): boolean {
  return out === undefined && (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/**
 * Streams what `write` writes into the `--out` file (beside it, then renamed) or to standard
 * output. Returns what `write` returned, and the file.
 */
async function streamTo<T>(
  io: CliIo,
  out: string | undefined,
  write: (sink: TextSink) => Promise<T>,
): Promise<{ value: T; file?: string }> {
  if (out !== undefined) return writeFileStreamed(out, write);
  const sink = stdoutSink(io);
  try {
    const value = await write(sink);
    await sink.settled();
    return { value };
  } finally {
    sink.release();
  }
}

/**
 * JSON is streamed, to the file or standard output, with the contacts built as they are written:
 * at a million persons the document is larger than any string V8 can hold.
 */
async function writeJson(
  analysis: Analysis,
  io: CliIo,
  out: string | undefined,
  options: WriteJsonOptions & { changes?: ReportChanges },
) {
  const report = toLazyReport(analysis, { changes: options.changes });
  const { value, file } = await streamTo(io, out, (sink) => streamJsonReport(report, sink, options));
  return { problems: value.problems, file };
}

/**
 * The quarantine list of the whole district is streamed too, its contacts built as they are
 * written (at a million persons the whole report costs gigabytes more than the list); a list
 * narrowed to cases (`--cases`) is rendered from the whole report, which the narrowing reads.
 */
async function writeCsv(
  analysis: Analysis,
  io: CliIo,
  out: string | undefined,
  options: { mask: boolean; onProgress?: ProgressListener },
): Promise<{ problems: string[]; file?: string }> {
  const report = toLazyReport(analysis);
  // A byte order mark in a file, for spreadsheet programs; none on standard output.
  const csvOptions = { mask: options.mask, bom: out !== undefined };
  const { file } = await streamTo(io, out, (sink) => streamQuarantineCsv(report, sink, csvOptions));
  reportAllDone(report.cases, options.onProgress);
  return { problems: [], file };
}

/**
 * `--out`: refused as a usage mistake, naming the path, when a report cannot go there; its missing
 * folders are made now, so that one that cannot be made fails before the analysis
 * (`readyOutTarget`).
 */
async function checkOut(out: string): Promise<void> {
  try {
    await readyOutTarget(out);
  } catch (err) {
    if (err instanceof OutTargetError) throw new UsageError(`--out: ${err.message}`);
    throw err;
  }
}

/**
 * `--since`: the instant (a date: the end of that day) a report's changes are counted from. Its
 * text is checked before the store is opened, its order against the as-of instant after
 * (`sinceBefore`).
 */
export function sinceFrom(text: string, format: ReportFormat): Instant {
  if (format === 'csv')
    throw new UsageError(
      '--since: the CSV quarantine list does not show changes; use --format html, md or json',
    );
  return instantOfFlag('--since', text);
}

/** `--since` must be earlier than the instant the report is made at. */
export function sinceBefore(since: Instant, asOf: Instant, text: string): void {
  if (since >= asOf)
    throw new UsageError(
      `--since: "${text}" (${formatInstant(since)}) is not before the report's as-of instant ${formatInstant(asOf)}`,
    );
}

/** When a case became known: at its confirmation, or, with none on record, at its onset. */
const knownAt = (c: Case): number => c.confirmedAt ?? c.onset ?? Infinity;

/** The earliest of `items` by `at`, or null when there is none. */
function earliest<T>(items: readonly T[], at: (item: T) => number): T | null {
  let first: T | null = null;
  for (const item of items) if (first === null || at(item) < at(first)) first = item;
  return first;
}

/**
 * Refuses an `--as-of` before anything in the store could be reported, before the analysis runs and
 * before anything is written: before the first case was known and before the first positive
 * environmental sample (whose lot, boat or place exposes its handlers, crew or visitors with no
 * case yet). A mistyped year (2021 for 2022) would otherwise give an empty briefing, exit 0. A store
 * with no case at all is reported as it is. `cases` are all the store's cases.
 */
export async function checkAsOfNotBeforeEverything(
  store: TraceStore,
  cases: readonly Case[],
  asOf: Instant,
  text: string,
): Promise<void> {
  const first = earliest(cases, knownAt);
  if (first === null || !Number.isFinite(knownAt(first)) || knownAt(first) <= asOf) return;
  const firstPositive = earliest(await store.positiveEnvironmentalSamples(), (s: Sample) => s.sampledAt);
  if (firstPositive !== null && firstPositive.sampledAt <= asOf) return;
  const known = first.confirmedAt !== null ? 'confirmed' : 'onset';
  const andPositive = firstPositive
    ? ` and its first positive environmental sample (${firstPositive.subjectId}, ${formatDateTime(firstPositive.sampledAt)})`
    : '';
  throw new UsageError(
    `--as-of: "${text}" (${formatDateTime(asOf)}) is before the first case in the store ` +
      `(${first.personId}, ${known} ${formatDateTime(knownAt(first))})${andPositive}, so the report would be empty; ` +
      'nothing was written',
  );
}

/**
 * Refuses a `--cases` of which no id is a case at the as-of instant, before the analysis runs and
 * before anything is written: a mistyped id would otherwise give an empty quarantine list, exit 0.
 * Some unknown among known ones are reported beside the report (`selectCases`). `cases` are all
 * the store's cases.
 */
export function checkSomeCaseKnown(cases: readonly Case[], asOf: Instant, caseIds: readonly string[]): void {
  const known = new Set(cases.filter((c) => knownAt(c) <= asOf).map((c) => c.personId));
  const asked = [...new Set(caseIds.map((id) => id.trim()))];
  if (asked.some((id) => known.has(id))) return;
  const named = asked.map((id) => `"${id}"`).join(', ');
  throw new UsageError(
    `--cases: ${asked.length === 1 ? `${named} is not a case` : `none of ${named} is a case`} as of ` +
      `${formatDateTime(asOf)}, so the report would hold no case; nothing was written`,
  );
}

/** `--max-contacts`: a whole number, 0 or `all` (no cap). */
export function maxContactsFrom(text: string): number {
  const value = text.trim().toLowerCase();
  if (value === 'all') return 0;
  const contacts = wholeNumber(value);
  if (contacts === null)
    throw new UsageError(`--max-contacts: "${text}" is not a whole number of contacts, 0 or "all"`);
  return contacts;
}

export function reportCommand(io: CliIo): Command {
  const command = new Command('report')
    .description(
      'analyse the outbreak and write the trace report: exposures, who infected whom, chains, sources, quarantine list, risk areas',
    )
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('json'))
    .option(
      '--cases <ids>',
      'only these cases (comma-separated person ids, read as one CSV record: an id with a comma in double quotes); unknown ids are reported and the rest still completes, and none known is refused',
    )
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--pretty', 'json: indent by two spaces (default: one line, a third smaller at scale)')
    .option(
      '--since <time>',
      'html, md and json: also say what changed since this earlier instant or date (a date: the end of that day), e.g. the day before --as-of; the analysis runs at both',
    )
    .option(
      '--max-contacts <n>',
      'html and md: contacts listed per case and in the quarantine table, highest priority first; 0 or "all" lists every one (csv and json always do)',
      String(DEFAULT_MAX_CONTACTS),
    )
    .addOption(
      new Option('--role <role>', 'mask personal data as this role may see it').choices([
        'admin',
        'investigator',
        'cdc',
      ]),
    );
  addAnalysisOptions(command);
  return command
    .addHelpText(
      'after',
      '\nExamples:\n  tracegraph report --format json --as-of 2022-08-05\n' +
        '  tracegraph report --format html --out briefing.html\n' +
        '  tracegraph report --format html --as-of 2022-08-12 --since 2022-08-11 --out briefing-0812.html\n' +
        '  tracegraph report --format html --max-contacts all --cases P0000943 --out case.html\n' +
        '  tracegraph report --format csv --role cdc --out quarantine.csv --capacity 200',
    )
    .action(async (flags: ReportFlags, cmd: Command) => {
      const params = parametersFrom(flags);
      const capacity = capacityFrom(flags);
      const caseIds = flags.cases === undefined ? undefined : caseIdsFrom(flags.cases);
      if (flags.cases !== undefined && !caseIds?.length) throw new UsageError('--cases: no case id given');
      const maxContacts = maxContactsFrom(flags.maxContacts);
      const since = flags.since === undefined ? undefined : sinceFrom(flags.since, flags.format);
      // A path the report cannot be written to fails now, not after the analysis.
      if (flags.out !== undefined) await checkOut(flags.out);
      await withStore(
        cmd,
        io,
        async (store) => {
          const asOf = await asOfFrom(flags, store);
          if (flags.asOf !== undefined || caseIds !== undefined) {
            const cases = await store.listCases();
            if (flags.asOf !== undefined) await checkAsOfNotBeforeEverything(store, cases, asOf, flags.asOf);
            if (caseIds !== undefined) checkSomeCaseKnown(cases, asOf, caseIds);
          }
          // The analysis is loaded only to run it: it was a sixth of every command's start-up.
          const { analyseOutbreak } = await import('../../analysis/analyse');
          const { briefingState, changesSince } = await import('../../analysis/changes');
          let then: BriefingState | undefined;
          if (since !== undefined) {
            sinceBefore(since, asOf, flags.since!);
            // Only what the comparison reads is kept of the earlier analysis, which is dropped
            // before the report's own is made: at scale each holds gigabytes.
            then = briefingState(await analyseOutbreak(store, params, { asOf: since, capacity }));
          }
          const analysis = await analyseOutbreak(store, params, { asOf, capacity });
          const changes = then === undefined ? undefined : changesSince(then, briefingState(analysis));
          const progress = terminalProgress(io.stderr as NodeJS.WriteStream);
          const mask = flags.role === 'cdc';
          try {
            const result: ReportWritten =
              flags.format === 'json'
                ? await writeJson(analysis, io, flags.out, {
                    changes,
                    caseIds,
                    mask,
                    pretty: flags.pretty,
                    onProgress: progress.onProgress,
                  })
                : flags.format === 'csv' && !caseIds
                  ? await writeCsv(analysis, io, flags.out, { mask, onProgress: progress.onProgress })
                  : await writeReport(toReport(analysis, { evidenceOnRead: true, changes }), {
                      format: flags.format,
                      caseIds,
                      out: flags.out,
                      mask,
                      maxContacts,
                      onProgress: progress.onProgress,
                    });
            progress.stop();
            for (const problem of result.problems) io.stderr.write(`${problem}\n`);
            if (result.text !== undefined) {
              // Written as JSON is, so that a write that fails (a full disk, a file size limit)
              // fails the command, naming standard output.
              const text = result.text.endsWith('\n') ? result.text : `${result.text}\n`;
              await streamTo(io, undefined, (sink) => sink.write(text));
            } else if (result.file !== undefined) io.stderr.write(`wrote ${result.file}\n`);
          } catch (err) {
            if (!readerClosed(err, flags.out)) throw err;
          } finally {
            progress.stop();
          }
        },
        { existing: true },
      );
    });
}

/**
 * The ids of `--cases`: one CSV record, so that an id with a comma (ids are any text) can be given
 * in double quotes, as in the bundle's files.
 */
export function caseIdsFrom(text: string): string[] {
  try {
    return parseCaseIdList(text);
  } catch (err) {
    if (err instanceof CaseIdListError) throw new UsageError(`--cases: ${err.message}`);
    throw err;
  }
}
