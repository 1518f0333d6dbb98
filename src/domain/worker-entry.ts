/** Starting worker threads: the API's analyses, the contact network's measures. */
import path from 'node:path';

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
