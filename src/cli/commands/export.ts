/** `tracegraph export <dir>`: writes everything in the store as an import bundle. */
import { Command } from 'commander';
import { exportBundle } from '../../export/export';
import { BundleWriteError } from '../../fs/staged-bundle';
import { UsageError, withStore, type CliIo } from '../context';
import { formatRowCounts } from '../format';

export function exportCommand(io: CliIo): Command {
  return new Command('export')
    .description(
      'write everything in the store to a bundle folder (the import format), one CSV file per kind',
    )
    .argument(
      '<dir>',
      'folder to write (created if missing; files of the same names are replaced, other files kept; ' +
        'a .csv file that is not a bundle file is refused; a failure leaves the folder as it was)',
    )
    .addHelpText('after', '\nExample:\n  tracegraph export ./backup/2022-08-05')
    .action(async (dir: string, _options: unknown, command: Command) => {
      await withStore(
        command,
        io,
        async (store) => {
          const onTakeOver = (message: string) => io.stderr.write(`${message}\n`);
          const summary = await exportBundle(store, dir, { onTakeOver }).catch((err: unknown) => {
            throw err instanceof BundleWriteError ? new UsageError(err.message) : err;
          });
          io.stdout.write(
            `exported ${summary.total} rows (${formatRowCounts(summary.rows)}) from ${store.location} to ${dir} ` +
              `in ${summary.seconds.toFixed(1)} s\n`,
          );
        },
        { existing: true },
      );
    });
}
