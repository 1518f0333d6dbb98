/**
 * `tracegraph restore-bundle <dir>`: puts back the bundle a folder held before an export or seed
 * into it was interrupted (killed while it put its files in place), without writing a new one.
 */
import { Command } from 'commander';
import { BundleWriteError, restoreInterruptedWrite, SWAP_JOURNAL } from '../../fs/staged-bundle';
import { UsageError, type CliIo } from '../context';

export function restoreBundleCommand(io: CliIo): Command {
  return new Command('restore-bundle')
    .description(
      'put back the bundle a folder held before an export or seed into it was interrupted (import refuses such a folder)',
    )
    .argument('<dir>', `bundle folder holding ${SWAP_JOURNAL}, the record of the interrupted write`)
    .addHelpText(
      'after',
      "\nIt takes the folder's write lock (a folder an export or seed is writing is refused), puts back\n" +
        'each file the interrupted write replaced, removes those it added, then the temporary files of\n' +
        'writes no longer running. A folder with no interrupted write is left as it is.\n' +
        'Example:\n  tracegraph restore-bundle ./backup/2022-08-05\n  tracegraph import ./backup/2022-08-05',
    )
    .action((dir: string) => {
      let restored;
      try {
        restored = restoreInterruptedWrite(dir, {
          onTakeOver: (message) => io.stderr.write(`${message}\n`),
        });
      } catch (err) {
        throw err instanceof BundleWriteError ? new UsageError(err.message) : err;
      }
      if (!restored) {
        io.stdout.write(
          `nothing to put back: no write into ${dir} was interrupted (it holds no ${SWAP_JOURNAL}); nothing was changed\n`,
        );
        return;
      }
      const { pid, putBack, removed, leftovers } = restored;
      const lines = [
        putBack.length > 0
          ? `put back the bundle ${dir} held before the write of pid ${pid} into it was interrupted: ${putBack.join(', ')}`
          : `${dir} held no bundle file before the write of pid ${pid} into it was interrupted`,
      ];
      if (removed.length > 0)
        lines.push(`removed what that write added where there was none: ${removed.join(', ')}`);
      if (leftovers.length > 0)
        lines.push(`removed the temporary files of writes no longer running: ${leftovers.join(', ')}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
