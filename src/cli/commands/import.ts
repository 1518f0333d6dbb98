/** `tracegraph import <dir>`: validates a bundle folder and writes it into the store. */
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import type { ImportProgress } from '../../import/import';
import { openAndImport } from '../checked-import';
import { storeConfigFor, type CliIo } from '../context';
import { formatImportWarnings, formatRowCounts, formatSkippedRepeats } from '../format';

export function importCommand(io: CliIo): Command {
  return new Command('import')
    .description('check a bundle folder of CSV files and, if every row is valid, add it to the store')
    .argument('<dir>', 'bundle folder (persons.csv, places.csv, stays.csv, ...)')
    .addHelpText(
      'after',
      '\nNothing is written when any row is refused; each problem is listed as file:line: column,\n' +
        'in file then line order (the first 100, then how many more).\n' +
        'A value imported but likely mistyped (an onset weeks before the confirmation) is listed\n' +
        'the same way after the result, as a warning on standard error; so is a row that repeats the\n' +
        'id (or key) of an earlier row with the same fields, which is skipped: the result counts records.\n' +
        'Into a folder with no store, the store is made once the bundle is valid, and removed again\n' +
        'should writing fail all the same (a full disk).\n' +
        'On Neo4j imports run one at a time: an import waits for the one running, saying so.\n' +
        "On the embedded store an import waits up to 5 s for another process's write, saying so.\n" +
        'Example:\n  tracegraph --data ./data import ./bundles/2022-08-05',
    )
    .action(async (dir: string, _options: unknown, command: Command) => {
      const bar = io.stderr.isTTY ? progressBar(io) : null;
      try {
        const { store, imported } = await openAndImport(storeConfigFor(command, io), io, dir, {
          onProgress: bar ? (p: ImportProgress) => bar.update(p) : undefined,
        });
        try {
          bar?.stop();
          io.stdout.write(
            `imported ${imported.total} records (${formatRowCounts(imported.records)}) from ${dir} into ` +
              `${store.location} in ${imported.seconds.toFixed(1)} s${formatSkippedRepeats(imported.repeats)}\n`,
          );
          io.stderr.write(formatImportWarnings(imported));
        } finally {
          await store.close().catch(() => undefined);
        }
      } finally {
        bar?.stop();
      }
    });
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
