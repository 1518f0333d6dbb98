/** `tracegraph seed`: writes a demo district bundle (modelled on Yazhou, August 2022). */
import { Command } from 'commander';
import { generateDistrict, DEFAULT_SEED, MAX_PERSONS, MIN_PERSONS } from '../../../seeds/generator';
import { BundleWriteError } from '../../fs/staged-bundle';
import { UsageError, type CliIo } from '../context';
import { formatRowCounts } from '../format';
import { wholeNumber } from '../whole-number';

export function seedCommand(io: CliIo): Command {
  return new Command('seed')
    .description('generate a demo district bundle (persons, places, boats, lots, stays, an outbreak)')
    .requiredOption(
      '--out <dir>',
      'folder to write the bundle to (created if missing; files of the same names are replaced, other ' +
        'files kept; a .csv file that is not a bundle file is refused; a failure leaves the folder as it was)',
    )
    .option('--persons <n>', `district size, ${MIN_PERSONS} to ${MAX_PERSONS}`, '1000')
    .option('--seed <seed>', 'random seed (same seed and size give the same files)', String(DEFAULT_SEED))
    .addHelpText(
      'after',
      '\nExample:\n  tracegraph seed --persons 100000 --out ./bundles/district-100k\n  tracegraph import ./bundles/district-100k',
    )
    .action(async (options: { out: string; persons: string; seed: string }) => {
      if (options.out.trim() === '') throw new UsageError('--out: no folder given to write the bundle to');
      const persons = wholeNumber(options.persons);
      if (persons === null) throw new UsageError(`--persons: "${options.persons}" is not a whole number`);
      if (persons < MIN_PERSONS || persons > MAX_PERSONS)
        throw new UsageError(
          `--persons: must be a whole number from ${MIN_PERSONS.toLocaleString('en')} to ${MAX_PERSONS.toLocaleString('en')} (got ${persons})`,
        );
      const started = Date.now();
      const summary = await generateDistrict({
        persons,
        seed: options.seed,
        outDir: options.out,
        onTakeOver: (message) => io.stderr.write(`${message}\n`),
      }).catch((err: unknown) => {
        throw err instanceof BundleWriteError ? new UsageError(`--out: ${err.message}`) : err;
      });
      io.stdout.write(
        `wrote a district of ${persons} persons with ${summary.cases} cases to ${options.out} ` +
          `(${formatRowCounts(summary.rows)}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
