/** `tracegraph stats [--json]`: how many records of each kind the store holds. */
import { Command } from 'commander';
import { COUNT_KEYS } from '../../domain/types';
import { withStore, type CliIo } from '../context';

export function statsCommand(io: CliIo): Command {
  return new Command('stats')
    .description('count the records of each kind in the store')
    .option(
      '--json',
      'print one JSON object {persons, places, boats, items, stays, contacts, handlings, samples, cases}',
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(
        command,
        io,
        async (store) => {
          const counts = await store.counts();
          if (options.json) {
            const ordered = Object.fromEntries(COUNT_KEYS.map((key) => [key, counts[key]]));
            io.stdout.write(`${JSON.stringify(ordered)}\n`);
            return;
          }
          const width = Math.max(...COUNT_KEYS.map((key) => String(counts[key]).length));
          const lines = COUNT_KEYS.map((key) => `  ${key.padEnd(10)} ${String(counts[key]).padStart(width)}`);
          io.stdout.write(`${store.location}\n${lines.join('\n')}\n`);
        },
        { existing: true },
      );
    });
}
