/**
 * `tracegraph start` (`npm start`): the main job on a fresh machine. Loads the demo district
 * into the store when it is empty, prints what the store holds and an outbreak summary, then
 * serves the API.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { toLazyReport } from '../../analysis/report';
import type { AnalysisReport } from '../../analysis/report-model';
import { resolveParameters } from '../../domain/parameters';
import { formatDateTime } from '../../domain/time';
import type { ImportSummary } from '../../import/import';
import type { StoreConfig } from '../../store';
import type { TraceStore } from '../../store/port';
import { bedsTaken } from '../../report/view';
import { asOfFrom, capacityFrom } from '../analysis-options';
import { openAndImport } from '../checked-import';
import { storeConfigFor, UsageError, warnOfUnfinishedImport, type CliIo } from '../context';
import { formatImportWarnings, formatRowCounts, formatSkippedRepeats } from '../format';
import {
  addServeOptions,
  SERVE_ENVIRONMENT,
  serveSettingsFrom,
  serveStore,
  untilStopped,
  type ServeFlags,
} from './serve';

/** The committed demo bundle (1,000 persons, seed 2022). */
export const DEMO_BUNDLE = path.resolve(__dirname, '../../../..', 'seeds', 'demo');

export function startCommand(io: CliIo): Command {
  return addServeOptions(
    new Command('start').description(
      'load the demo district if the store is empty, print a summary, and serve the API',
    ),
  )
    .option('--bundle <dir>', 'bundle to load into an empty store', DEMO_BUNDLE)
    .option('--capacity <beds>', "at most this many quarantine beds in all (default: the sites' capacity)")
    .option('--no-serve', 'print the summary and exit')
    .addHelpText(
      'after',
      '\nA refused bundle, or one whose write fails, leaves a folder with no store as it was, as import does.\n' +
        'A store that holds data already is left as it is: a --bundle given then is not loaded (saying so;\n' +
        'import adds it), and one that is not a folder is refused.\n\n' +
        `${SERVE_ENVIRONMENT}\nExample:\n  tracegraph --data ./data start --bundle ./bundles/2022-08-05 --port 4000 --capacity 200`,
    )
    .action(async (flags: StartFlags, command: Command) => {
      const storeConfig = storeConfigFor(command, io);
      // The flags and the serving variables are checked before the import and the analysis, which
      // take seconds to minutes.
      const capacity = capacityFrom(flags);
      const serveSettings = flags.serve ? await serveSettingsFrom(flags, io) : null;
      const { store, imported } = await openAndImport(storeConfig, io, flags.bundle, {
        onlyIntoEmpty: true,
        onLoading: () => void io.stderr.write(`the store is empty: loading ${flags.bundle}\n`),
      });
      let serving = false;
      try {
        if (imported) reportImport(io, imported);
        else if (command.getOptionValueSource('bundle') !== 'default')
          leaveBundleOut(flags.bundle, store, storeConfig, io);
        await warnOfUnfinishedImport(store, io);
        await printSummary(store, io, capacity);
        if (!serveSettings) return;
        const running = await serveStore(store, storeConfig, serveSettings, io);
        serving = true;
        await untilStopped(running, io);
      } finally {
        if (!serving) await store.close().catch(() => undefined);
      }
    });
}

interface StartFlags extends ServeFlags {
  bundle: string;
  capacity?: string;
  serve: boolean;
}

/**
 * A `--bundle` given for a store that holds data already is not loaded (the demo bundle, loaded by
 * default, is left out quietly): says so, or refuses one that is not a folder, a mistake that
 * would otherwise pass unseen.
 */
function leaveBundleOut(dir: string, store: TraceStore, config: StoreConfig, io: CliIo): void {
  if (!isFolder(dir))
    throw new UsageError(`--bundle: "${dir}" is not a folder (a bundle is a folder of CSV files)`);
  const data = config.neo4j ? '' : `--data ${config.dataDir} `;
  io.stderr.write(
    `--bundle: ${dir} is not loaded: ${store.location} already holds data, and start loads a bundle only ` +
      `into an empty store (tracegraph ${data}import ${dir} adds it)\n`,
  );
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function reportImport(io: CliIo, summary: ImportSummary): void {
  io.stderr.write(
    `imported ${summary.total} records (${formatRowCounts(summary.records)}) in ${summary.seconds.toFixed(1)} s` +
      `${formatSkippedRepeats(summary.repeats)}\n`,
  );
  io.stderr.write(formatImportWarnings(summary));
}

/** What the store holds, and the outbreak summary and likeliest sources as of its latest case. */
async function printSummary(store: TraceStore, io: CliIo, capacity: number | null): Promise<void> {
  const counts = await store.counts();
  io.stdout.write(
    `${store.location}: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}\n`,
  );
  const asOf = await asOfFrom({}, store);
  // The summary and the sources only: no contact is built.
  const { analyseOutbreak } = await import('../../analysis/analyse');
  const report = toLazyReport(await analyseOutbreak(store, resolveParameters(), { asOf, capacity }));
  const s = report.summary;
  io.stdout.write(
    `as of ${formatDateTime(asOf)}: ${s.cases} cases (${s.confirmed} confirmed, ${s.asymptomatic} asymptomatic) in ` +
      `${s.chains} chains (${s.activeChains} active); ${s.closeContacts} close contacts, ` +
      `${s.contactsOfCloseContacts} contacts of close contacts, ${s.venueExposed} venue-exposed; ` +
      `${bedsTakenLine(s)}; ${s.highRiskAreas} high- and ${s.mediumRiskAreas} medium-risk areas\n`,
  );
  const top = report.sources.slice(0, 3).map((src) => `${src.id} (${src.kind}, ${src.score.toFixed(2)})`);
  if (top.length) io.stdout.write(`likely sources: ${top.join(', ')}\n`);
}

/**
 * `8/10 quarantine beds taken`, then `(2 due for release)` when contacts whose quarantine is over
 * still hold beds: those beds are free once they leave, as the pages say.
 */
function bedsTakenLine(s: AnalysisReport['summary']): string {
  const due = s.dueForReleaseBeds > 0 ? ` (${s.dueForReleaseBeds} due for release)` : '';
  return `${bedsTaken(s)}/${s.quarantineBeds} quarantine beds taken${due}`;
}
