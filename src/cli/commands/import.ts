/** `tracegraph import <dir>`: validates a bundle folder and writes it into the store. */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import type { ImportProgress } from '../../import/import';
import { storeExists, type StoreConfig } from '../../store';
import { openAndImport } from '../checked-import';
import { openConfiguredStore, storeConfigFor, UsageError, type CliIo } from '../context';
import { formatImportWarnings, formatRowCounts, formatSkippedRepeats } from '../format';

export function importCommand(io: CliIo): Command {
  return new Command('import')
    .description('check a bundle folder of CSV files and, if every row is valid, add it to the store')
    .argument('<dir>', 'bundle folder (persons.csv, places.csv, stays.csv, ...)')
    .option(
      '--forget-unfinished',
      "import nothing: remove the store's record of an import of <dir> that did not finish, for a " +
        'folder moved or deleted (what that import wrote stays, the rest of its bundle stays missing)',
    )
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
        'On Neo4j an import cut off part-way is recorded in the store, and commands warn of it until\n' +
        'the same folder is imported again; --forget-unfinished ends the warning where that cannot be.\n' +
        'Example:\n  tracegraph --data ./data import ./bundles/2022-08-05',
    )
    .action(async (dir: string, options: { forgetUnfinished?: boolean }, command: Command) => {
      if (options.forgetUnfinished) return forgetUnfinished(storeConfigFor(command, io), io, dir);
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

/**
 * `--forget-unfinished`: removes the record of an unfinished import of `dir` (named as the warning
 * names it, or by any path to it), saying so; refused, naming the records there are, when there is none.
 */
async function forgetUnfinished(config: StoreConfig, io: CliIo, dir: string): Promise<void> {
  const bundle = path.resolve(dir);
  if (!storeExists(config))
    throw new UsageError(
      `--forget-unfinished: there is no store in ${config.dataDir}, so no import of ${bundle} to forget`,
    );
  const store = await openConfiguredStore(config, io);
  try {
    const onWait = (holder: string): void =>
      void io.stderr.write(
        `${holder}: waiting for it to end before forgetting the unfinished import of ${bundle} ` +
          '(Ctrl-C stops this; nothing is removed until then)\n',
      );
    if (await store.forgetUnfinishedImport(bundle, onWait)) {
      io.stdout.write(
        `forgot the unfinished import of ${bundle} in ${store.location}: no command warns of it any more; ` +
          'what it wrote stays, and the rest of its bundle is missing\n',
      );
      return;
    }
    const recorded = (await store.unfinishedImports()).map((u) => u.bundle);
    throw new UsageError(
      `--forget-unfinished: ${store.location} records no unfinished import of ${bundle}; ` +
        (recorded.length > 0 ? `it records those of ${recorded.join(', ')}` : 'it records none'),
    );
  } finally {
    await store.close().catch(() => undefined);
  }
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
