/** `tracegraph import <dir>`: validates a bundle folder and writes it into the store. */
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { importBundle, validateForImport, writeBundle, type ImportProgress } from '../../import/import';
import { EMPTY_STORE } from '../../import/validate';
import { storeExists } from '../../store';
import { storeConfigFor, withStore, type CliIo } from '../context';
import { formatRowCounts } from '../format';

export function importCommand(io: CliIo): Command {
  return new Command('import')
    .description('check a bundle folder of CSV files and, if every row is valid, add it to the store')
    .argument('<dir>', 'bundle folder (persons.csv, places.csv, stays.csv, ...)')
    .addHelpText(
      'after',
      '\nNothing is written when any row is refused; each problem is listed as file:line: column.\n' +
        'On Neo4j imports run one at a time: an import waits for the one running, saying so.\n' +
        'Example:\n  tracegraph --data ./data import ./bundles/2022-08-05',
    )
    .action(async (dir: string, _options: unknown, command: Command) => {
      const bar = io.stderr.isTTY ? progressBar(io) : null;
      const options = {
        onProgress: bar ? (p: ImportProgress) => bar.update(p) : undefined,
        onWait: (holder: string) => io.stderr.write(waitingNotice(holder, dir)),
      };
      try {
        // A store never made holds nothing: the bundle is validated against that before the store
        // is made, so a refused import (a bad folder, any bad row) leaves no store behind for
        // stats or report to read as an outbreak with no cases. If another import makes and fills
        // the store meanwhile, writing validates again against it (writeBundle). Neo4j is a
        // server, not a folder: nothing is made there before the write.
        const validated = storeExists(storeConfigFor(command, io))
          ? null
          : await validateForImport(EMPTY_STORE, dir, options);
        await withStore(command, io, async (store) => {
          const summary = validated
            ? await writeBundle(store, validated, options)
            : await importBundle(store, dir, options);
          bar?.stop();
          io.stdout.write(
            `imported ${summary.total} rows (${formatRowCounts(summary.rows)}) from ${dir} into ${store.location} ` +
              `in ${summary.seconds.toFixed(1)} s\n`,
          );
        });
      } finally {
        bar?.stop();
      }
    });
}

/** What an import waiting for another says, before it has read or written anything. */
export function waitingNotice(holder: string, dir: string): string {
  return `${holder}: waiting for it to end before importing ${dir} (Ctrl-C stops this import; nothing is written until then)\n`;
}

/** A progress bar over both passes (validate, then write), on a terminal only. */
function progressBar(io: CliIo): { update(p: ImportProgress): void; stop(): void } {
  const bar = new SingleBar({
    stream: io.stderr as NodeJS.WritableStream,
    format: '{phase} {file} [{bar}] {percentage}% | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  let stopped = false;
  return {
    update(p) {
      const payload = { phase: p.phase === 'validate' ? 'checking' : 'writing', file: p.file.padEnd(13) };
      if (!started) {
        bar.start(Math.max(p.bytesTotal, 1), p.bytesDone, payload);
        started = true;
      } else {
        bar.update(p.bytesDone, payload);
      }
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
