/**
 * Waiting for another connection's lock without blocking the thread. SQLite's own wait (the busy
 * timeout) sleeps inside the call, so a server would answer nothing meanwhile; the store's writes
 * (for the write lock, ./transaction.ts) and reads (for a file another process holds, ./store.ts)
 * wait here instead, on a timer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, isBusy } from './connection';

/** The first pause between two tries, doubled after each try up to the longest. */
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 50;

/**
 * Runs `attempt` with SQLite's busy wait off and, while SQLite refuses it because another
 * connection holds a lock it needs (`isBusy`), runs it again on a timer, so that the event loop
 * serves other work meanwhile, until BUSY_TIMEOUT_MS after `waitFrom`; then rethrows SQLite's last
 * refusal for the caller to describe. Other errors pass at once. `check` runs before each try (it
 * may throw to give up); `onWait` is told once, before the first pause (so not when the first try
 * goes through, nor when no time is left). A refused try must have done nothing: one statement, or
 * a BEGIN.
 */
export async function retryWhileBusy<T>(
  db: Database.Database,
  waitFrom: number,
  attempt: () => T,
  check: () => void = () => undefined,
  onWait?: () => void,
): Promise<T> {
  const deadline = waitFrom + BUSY_TIMEOUT_MS;
  let pause = FIRST_PAUSE_MS;
  for (let first = true; ; first = false) {
    check();
    try {
      return withoutBusyWait(db, attempt);
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
    }
    if (first) onWait?.();
    await sleep(Math.min(pause, deadline - Date.now()));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

/**
 * Runs `attempt` with the connection's busy timeout at 0, and sets it back before returning: not
 * after a pause, when another try on the same connection may have begun and would take 0 for the
 * connection's own and leave it there.
 */
function withoutBusyWait<T>(db: Database.Database, attempt: () => T): T {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return attempt();
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
