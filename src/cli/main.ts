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
    .addHelpText(
      'after',
      [
        '',
        'Environment (an empty variable counts as unset):',
        '  TRACEGRAPH_DATA       folder of the embedded store when there is no --data',
        '  NEO4J_URI             use the Neo4j server at this address (bolt://, neo4j:// and their +s, +ssc)',
        '  NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE   its credentials and database',
        '  TRACEGRAPH_DEBUG      any value: print the stack of an unexpected error',
        '  DEBUG                 tracegraph:cypher prints each Cypher statement, its parameters, its rows and times',
        '  serve and start read more: see tracegraph serve --help',
      ].join('\n'),
    )
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

/**
 * Lets output to a reader that went away (`tracegraph help report | head -1`) end quietly, as
 * `report | head` does: the write's EPIPE is dropped rather than thrown as an unhandled 'error'
 * event. Any other error of the stream is still thrown unless something else listens for it
 * (a report's sink does, and fails the command naming standard output).
 */
export function endQuietlyOnClosedPipe(stdout: CliIo['stdout']): void {
  const stream = stdout as Partial<NodeJS.WritableStream>;
  if (typeof stream.on !== 'function' || typeof stream.listenerCount !== 'function') return;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err?.code === 'EPIPE') return;
    if (stream.listenerCount!('error') <= 1) throw err;
  };
  stream.on('error', onError);
}

/** Runs the command line (`argv` as in process.argv) and resolves with the exit code. */
export async function run(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  endQuietlyOnClosedPipe(io.stdout);
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
