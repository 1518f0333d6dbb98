/**
 * `tracegraph report`: runs the analysis and writes the trace report (HTML, Markdown, the
 * quarantine list as CSV, or JSON) for the district or for chosen cases.
 */
import { Command, Option } from 'commander';
import { analyseOutbreak } from '../../analysis/analyse';
import { toReport } from '../../analysis/report';
import { REPORT_FORMATS, terminalProgress, writeReport, type ReportFormat } from '../../report/batch';
import { DEFAULT_MAX_CONTACTS } from '../../report/view';
import {
  addAnalysisOptions,
  asOfFrom,
  capacityFrom,
  parametersFrom,
  type AnalysisFlags,
} from '../analysis-options';
import { UsageError, withStore, type CliIo } from '../context';

interface ReportFlags extends AnalysisFlags {
  format: ReportFormat;
  cases?: string;
  out?: string;
  role?: string;
  maxContacts: string;
}

/** `--max-contacts`: a whole number, 0 or `all` (no cap). */
export function maxContactsFrom(text: string): number {
  const value = text.trim().toLowerCase();
  if (value === 'all') return 0;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`--max-contacts: "${text}" is not a whole number of contacts, 0 or "all"`);
  return Number(value);
}

export function reportCommand(io: CliIo): Command {
  const command = new Command('report')
    .description(
      'analyse the outbreak and write the trace report: exposures, who infected whom, chains, sources, quarantine list, risk areas',
    )
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('json'))
    .option(
      '--cases <ids>',
      'only these cases (comma-separated person ids); unknown ids are reported and the rest still completes',
    )
    .option('--out <file>', 'write to this file (default: standard output)')
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
        '  tracegraph report --format html --max-contacts all --cases P0000943 --out case.html\n' +
        '  tracegraph report --format csv --role cdc --out quarantine.csv --capacity 200',
    )
    .action(async (flags: ReportFlags, cmd: Command) => {
      const params = parametersFrom(flags);
      const capacity = capacityFrom(flags);
      const caseIds = flags.cases
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (flags.cases !== undefined && !caseIds?.length) throw new UsageError('--cases: no case id given');
      const maxContacts = maxContactsFrom(flags.maxContacts);
      await withStore(cmd, io, async (store) => {
        const asOf = await asOfFrom(flags, store);
        const analysis = await analyseOutbreak(store, params, { asOf, capacity });
        const report = toReport(analysis);
        const progress = terminalProgress(io.stderr as NodeJS.WriteStream);
        try {
          const result = await writeReport(report, {
            format: flags.format,
            caseIds,
            out: flags.out,
            mask: flags.role === 'cdc',
            maxContacts,
            onProgress: progress.onProgress,
          });
          progress.stop();
          for (const problem of result.problems) io.stderr.write(`${problem}\n`);
          if (result.text !== undefined)
            io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
          else io.stderr.write(`wrote ${result.file}\n`);
        } finally {
          progress.stop();
        }
      });
    });
}
