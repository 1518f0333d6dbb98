/** A hold for tests that run a command as a user runs it and look at the files it leaves at a point. */
import { writeSync } from 'node:fs';

/**
 * Test only: with TRACEGRAPH_TEST_STOP_AT set to `point`, the process says so on stderr and stops
 * itself (SIGSTOP) there, for a test to run other commands meanwhile, then let it go on or kill it.
 */
export function stopHereInTests(point: string): void {
  if (process.env.TRACEGRAPH_TEST_STOP_AT !== point) return;
  writeSync(2, `stopped at ${point} (pid ${process.pid})\n`);
  process.kill(process.pid, 'SIGSTOP');
}
