/**
 * `--peer-limit`: a peer (LOAD CSV, the Cypher co-presence query) that would run for hours at 1M
 * is stopped by Neo4j itself, through the transaction timeout its client gives, so nothing of it
 * keeps the server busy after the step ends. A stopped run reports its time as a lower bound.
 */

/** Neo4j's codes for a transaction that outlived its timeout (the client's, or the server's). */
const TIMED_OUT_CODES: ReadonlySet<string> = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.ClientError.Transaction.TransactionTimedOut',
]);

export function isTimedOut(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TIMED_OUT_CODES.has(code);
}

/**
 * Neo4j's codes for a transaction terminated, whoever terminated it. A timeout that strikes while
 * an inner transaction of `CALL { } IN TRANSACTIONS` waits for a lock comes back as one of these
 * ("The transaction has been terminated, so no more locks can be acquired"), not as a timeout.
 * The driver reports some as client errors, the server as transient ones.
 */
const TERMINATED_CODES: ReadonlySet<string> = new Set(
  ['LockClientStopped', 'Terminated'].flatMap((name) => [
    `Neo.TransientError.Transaction.${name}`,
    `Neo.ClientError.Transaction.${name}`,
  ]),
);

/**
 * Whether `err` is the limit stopping a statement given `limitMs` to run, after `elapsedMs`: a
 * timeout, or a termination once the limit had passed (then nothing else is to blame).
 */
export function stoppedByLimit(err: unknown, limitMs: number | null, elapsedMs: number): boolean {
  if (isTimedOut(err)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return limitMs !== null && elapsedMs >= limitMs && typeof code === 'string' && TERMINATED_CODES.has(code);
}

/** Milliseconds left of a limit started at `startedMs` (Date.now()); null when there is no limit. */
export function millisecondsLeft(
  limitSeconds: number | null,
  startedMs: number,
  nowMs = Date.now(),
): number | null {
  if (limitSeconds === null) return null;
  return Math.max(0, startedMs + limitSeconds * 1000 - nowMs);
}
