/**
 * `tracegraph start` (`npm start`): the main job on a fresh machine. Loads the demo district
 * into the store when it is empty, prints what the store holds and an outbreak summary, then
 * serves the API.
 */
import path from 'node:path';
import { Command } from 'commander';
import { analyseOutbreak } from '../../analysis/analyse';
import { toLazyReport } from '../../analysis/report';
import { resolveParameters } from '../../domain/parameters';
import { formatInstant } from '../../domain/time';
import { importBundle } from '../../import/import';
import { openStore } from '../../store';
import { asOfFrom } from '../analysis-options';
import { migrationReporter, storeConfigFor, type CliIo } from '../context';
import { formatRowCounts } from '../format';
import { waitingNotice } from './import';
import { addServeOptions, serveStore, untilStopped, type ServeFlags } from './serve';

/** The committed demo bundle (1,000 persons, seed 2022). */
export const DEMO_BUNDLE = path.resolve(__dirname, '../../../..', 'seeds', 'demo');

export function startCommand(io: CliIo): Command {
  return addServeOptions(
    new Command('start').description(
      'load the demo district if the store is empty, print a summary, and serve the API',
    ),
  )
    .option('--bundle <dir>', 'bundle to load into an empty store', DEMO_BUNDLE)
    .option('--no-serve', 'print the summary and exit')
    .action(async (flags: ServeFlags & { bundle: string; serve: boolean }, command: Command) => {
      const storeConfig = storeConfigFor(command, io);
      const store = await openStore(storeConfig, migrationReporter(storeConfig, io));
      let serving = false;
      try {
        const before = await store.counts();
        if (before.persons === 0) {
          io.stderr.write(`the store is empty: loading ${flags.bundle}\n`);
          const summary = await importBundle(store, flags.bundle, {
            onWait: (holder) => io.stderr.write(waitingNotice(holder, flags.bundle)),
          });
          io.stderr.write(
            `imported ${summary.total} rows (${formatRowCounts(summary.rows)}) in ${summary.seconds.toFixed(1)} s\n`,
          );
        }
        const counts = await store.counts();
        io.stdout.write(
          `${store.location}: ${Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}\n`,
        );
        const asOf = await asOfFrom({}, store);
        // The summary and the sources only: no contact is built.
        const report = toLazyReport(await analyseOutbreak(store, resolveParameters(), { asOf }));
        const s = report.summary;
        io.stdout.write(
          `as of ${formatInstant(asOf)}: ${s.cases} cases (${s.confirmed} confirmed, ${s.asymptomatic} asymptomatic) in ` +
            `${s.chains} chains (${s.activeChains} active); ${s.closeContacts} close contacts, ` +
            `${s.contactsOfCloseContacts} contacts of close contacts, ${s.venueExposed} venue-exposed; ` +
            `${s.occupiedBeds + s.assignedBeds}/${s.quarantineBeds} quarantine beds taken; ${s.highRiskAreas} high- and ${s.mediumRiskAreas} medium-risk areas\n`,
        );
        const top = report.sources
          .slice(0, 3)
          .map((src) => `${src.id} (${src.kind}, ${src.score.toFixed(2)})`);
        if (top.length) io.stdout.write(`likely sources: ${top.join(', ')}\n`);
        if (!flags.serve) return;
        const running = await serveStore(store, storeConfig, flags, io);
        serving = true;
        await untilStopped(running, io);
      } finally {
        if (!serving) await store.close().catch(() => undefined);
      }
    });
}
