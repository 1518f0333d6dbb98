/**
 * Worker threads (the API's analyses, the contact network's measures): where their code is, and
 * their errors carried back.
 */
import path from 'node:path';
import { ownEntry } from './own-entries';

/**
 * Young generation of a worker thread: as `node --max-semi-space-size=64` gives the CLI
 * (bin/tracegraph.js; V8's young generation is three semi-spaces). An analysis allocates millions
 * of short-lived objects, and with the default size scavenges took a third of its time.
 */
export const WORKER_YOUNG_GENERATION_MB = 192;

/**
 * Where a worker thread's code is: the file named `name` beside the module that starts it, as
 * compiled JavaScript in dist/, or as TypeScript under ts-jest and tsx, which a Worker can only
 * load through tsx's require hook.
 */
export function workerEntry(
  /** The starting module's `__filename`. */
  callerFile: string,
  name: string,
): { file: string; execArgv: string[] | undefined } {
  const extension = path.extname(callerFile);
  const file = path.join(path.dirname(callerFile), `${name}${extension}`);
  return extension === '.ts'
    ? { file, execArgv: ['--require', require.resolve('tsx/cjs')] }
    : { file, execArgv: undefined };
}

/** An error as a worker posts it back (an Error itself does not survive structured cloning whole). */
export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
}

/** What a worker posts back for an error it caught. */
export function workerError(err: unknown): WorkerError {
  const error = err instanceof Error ? err : new Error(String(err));
  return { name: error.name, message: error.message, stack: error.stack };
}

/**
 * The worker's error as this thread's: same name, message and stack, and an instance of the class
 * of that name among `classes` (else a plain Error), so that callers can tell errors apart as if
 * thrown here.
 */
export function errorFromWorker(
  error: WorkerError,
  classes: Record<string, new (message: string) => Error> = {},
): Error {
  const ErrorClass = ownEntry(classes, error.name) ?? Error;
  const err = new ErrorClass(error.message);
  err.name = error.name;
  if (error.stack) err.stack = error.stack;
  return err;
}
