/**
 * The `tracegraph` command line: a global `--data <dir>` (accepted before or after the command)
 * and one command per file under ./commands. The store is Neo4j when NEO4J_URI is set, otherwise
 * the embedded store in the data folder.
 */
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { processIo, reportError, type CliIo } from './context';

/** The program with every command; tests and other commands may add to it. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('tracegraph')
    .description(
      'Contact tracing and transmission-chain analysis over persons, places, boats and cold-chain lots.',
    )
    .option('--data <dir>', 'folder of the embedded store (default: env TRACEGRAPH_DATA, else ./data)')
    .showHelpAfterError('(run tracegraph --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  for (const build of COMMANDS) {
    const command = build(io);
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    program.addCommand(command);
  }
  return program;
}

/** Runs the command line (`argv` as in process.argv) and resolves with the exit code. */
export async function run(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    // Commander has already printed help or the usage mistake.
    if (err instanceof CommanderError) return err.exitCode;
    return reportError(err, io);
  }
}

if (require.main === module) {
  void run().then((code) => process.exit(code));
}
