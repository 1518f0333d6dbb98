/**
 * The import lock on Neo4j. An import's batches commit one by one, so a record the store refused
 * half-way would leave the batches before it written. The store refuses a record of a validated
 * bundle only when another writer changed what it was validated against: made one of its ids an
 * entity of another kind. So an import holds a write lock on the one `(:ImportLock)` node from
 * before it validates until it has written, in a transaction of its own that changes nothing, and
 * every writer that could make it refuse a record takes the same lock first: a second import waits
 * for the first, and a write adding entities waits until a few seconds after it was asked for,
 * then is refused. Clearing the store, and a migration that rewrites stored records, take it too:
 * between two of an import's batches they would leave it half written.
 * The server drops that transaction, and its lock, when its connection closes: a process that
 * dies leaves no lock behind.
 * It also ends it while the holder goes on (TERMINATE TRANSACTIONS, a transaction timeout, a
 * broken connection): so each holder, once it has the lock, writes a token of its own on the
 * `(:ImportLock {id: 'holder'})` node, and each of an import's batches begins by checking, in its
 * own transaction, that the token is still its import's, write-locking it until it commits. A new
 * holder's token waits for that batch, which then commits before anything the new holder does; a
 * batch that finds another token writes nothing. The batch also asks the lock's transaction
 * whether it is still alive, so that an import stops at its next batch however the lock was lost,
 * and says how. A clear or a migration checks the same before each of its statements.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';
import { formatUtcSecond } from '../../domain/time';
import type { ImportLock } from '../port';
import * as cypher from './cypher';
import { errorCode, type Neo4jExecutor, type Transaction } from './executor';

/** How long an import waits for the lock before it is told who holds it. */
export const IMPORT_WAIT_NOTICE_MS = 1_000;

/** How long a write adding entities waits for the import lock before it is refused. */
export const LOCK_WAIT_MS = 5_000;

/** What holds the import lock for as long as it runs. */
export type LockingWork = 'import' | 'clear' | 'migration' | 'forget';

/** Who holds the import lock, as its holder marked its transaction. */
export interface ImportLockHolder {
  /** When it asked for the lock (began to wait for it), ISO 8601 UTC. */
  since: string;
  /** `pid 4711 on host-name`. */
  heldBy: string;
  heldFor: LockingWork;
}

/** An import lock taken, which can say whether its holder still has it. */
export interface HeldImportLock extends ImportLock {
  /** The token written on taking it (SET_IMPORT_LOCK_TOKEN), which the batches it covers check. */
  readonly token: string;
  /** Null while the lock's transaction lives; once it has ended, how the lock was lost, in words. */
  lost(): Promise<string | null>;
}

/**
 * The import lock was lost while its holder wrote: the holder stopped before its next write. The
 * message says how it was lost and what became of the store.
 */
export class ImportLockLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportLockLostError';
  }
}

/** What was committed of an import when it lost its lock. */
export interface CommittedBatches {
  batches: number;
  rows: number;
}

/** The error of an import of the bundle folder `bundle` that lost its lock after `committed`. */
export function importLockLost(
  location: string,
  loss: string,
  bundle: string,
  committed: CommittedBatches,
): ImportLockLostError {
  if (committed.batches === 0) {
    return new ImportLockLostError(
      `the import lock on ${location} was lost (${loss}) before any batch of ${bundle} had committed; ` +
        `the import stopped there, writing none of the bundle: import ${bundle} again (the store ` +
        `records the import as unfinished until then)`,
    );
  }
  const batches = `${committed.batches} batch${committed.batches === 1 ? '' : 'es'}`;
  const rows = `${committed.rows} row${committed.rows === 1 ? '' : 's'}`;
  return new ImportLockLostError(
    `the import lock on ${location} was lost (${loss}) after ${batches} (${rows}) of ${bundle} had ` +
      `committed; the import stopped there, so the store holds part of the bundle and records the ` +
      `import as unfinished: import ${bundle} again to complete it (every write is a merge)`,
  );
}

/**
 * Throws ImportLockLostError when `lock` was lost, before its holder goes on `doing` (`clearing
 * it`); `left` says what that leaves of the store and what to do.
 */
export async function ensureHeld(
  lock: HeldImportLock,
  location: string,
  doing: string,
  left: string,
): Promise<void> {
  const loss = await lock.lost();
  if (loss !== null)
    throw new ImportLockLostError(
      `the import lock on ${location} was lost (${loss}) while ${doing}; ${left}`,
    );
}

/**
 * How a batch written under `locks` (those its import holds) finds it lost: null when one of them
 * still holds it. Run first in the batch's transaction: the token it reads stays write-locked, so
 * no new holder can come in, until the batch has committed. One statement in the batch's
 * transaction and one in each lock's, at once: a round trip per batch.
 */
export async function lossBeforeBatch(
  tx: Transaction,
  locks: readonly HeldImportLock[],
): Promise<string | null> {
  const [[row], ...losses] = await Promise.all([
    tx.query(cypher.CHECK_IMPORT_LOCK_TOKEN),
    ...locks.map((lock) => lock.lost()),
  ]);
  const loss = losses.find((l) => l !== null);
  if (loss) return loss;
  const token = row?.get('token') as unknown;
  if (!locks.some((lock) => lock.token === token))
    return 'another import, clear, migration or write has taken it since';
  return null;
}

/** How the lock's transaction ended, from the error its next statement failed with. */
function howLost(err: unknown): string {
  const code = errorCode(err);
  if (terminated(err)) return `the server terminated its transaction: ${code}`;
  if (code?.startsWith('Neo.ClientError.Transaction.TransactionTimedOut'))
    return `its transaction timed out on the server: ${code}`;
  // The executor reports a broken connection as StoreUnavailableError (mapNeo4jError); the
  // driver's own words (`Connection was closed by server`) say it better than "could not be reached".
  if (err instanceof StoreUnavailableError) {
    const driverError = err.cause instanceof Error ? err.cause : err;
    return `its connection closed: ${driverError.message}`;
  }
  return `its transaction failed: ${err instanceof Error ? err.message : String(err)}`;
}

const LOCKING_WORK: readonly string[] = ['import', 'clear', 'migration', 'forget'] satisfies LockingWork[];

/** The import (or clear, or migration) holding the lock, or null when none is found (a write holds it, or none). */
export async function importLockHolder(executor: Neo4jExecutor): Promise<ImportLockHolder | null> {
  try {
    const [row] = await executor.readQuery(cypher.IMPORT_LOCK_HOLDER);
    if (!row) return null;
    const heldFor = row.get('heldFor') as unknown;
    return {
      since: String(row.get('since')),
      heldBy: String(row.get('heldBy')),
      // A holder that does not say is an import (as every holder once was).
      heldFor:
        typeof heldFor === 'string' && LOCKING_WORK.includes(heldFor) ? (heldFor as LockingWork) : 'import',
    };
  } catch {
    // A user who may not list others' transactions still gets the lock, without the name.
    return null;
  }
}

/** Who holds the lock on the store at `location`, in words. */
export function describeHolder(location: string, holder: ImportLockHolder | null): string {
  if (!holder) return `another import or write holds the import lock on ${location}`;
  switch (holder.heldFor) {
    case 'clear':
      return `${holder.heldBy} has been clearing ${location} since ${holder.since}`;
    case 'migration':
      return `${holder.heldBy} has been migrating ${location} since ${holder.since}`;
    case 'forget':
      return `${holder.heldBy} has been removing the record of an unfinished import from ${location} since ${holder.since}`;
    case 'import':
      return `another import has been running on ${location} since ${holder.since} (${holder.heldBy})`;
  }
}

/**
 * How many times a wait for the import lock is begun, in all, when the server ends the waiting
 * transaction. Waits were seen ended as a killed holder's transaction was; that was most likely
 * `tx.setMetaData`, which fails at times while a terminated transaction is still open
 * (IMPORT_LOCK_HOLDER) and is no longer used. A waiter is owed the lock, not an error, all the same.
 */
const LOCK_WAIT_ATTEMPTS = 5;

/**
 * Takes the import lock for `work`, waiting for whoever holds it; `onWait` is told who that is (once)
 * when the wait lasts more than IMPORT_WAIT_NOTICE_MS. A wait the server ends (TERMINATE, or as it
 * ends a dead holder's transaction) is begun again, up to LOCK_WAIT_ATTEMPTS in all.
 */
export async function takeImportLock(
  executor: Neo4jExecutor,
  location: string,
  onWait?: (holder: string) => void,
  work: LockingWork = 'import',
): Promise<HeldImportLock> {
  let told = false;
  const tellOnce =
    onWait &&
    ((holder: string): void => {
      if (told) return;
      told = true;
      onWait(holder);
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitForImportLock(executor, location, tellOnce, work);
    } catch (err) {
      if (!terminated(err) || attempt >= LOCK_WAIT_ATTEMPTS) throw err;
    }
  }
}

/** One wait for the import lock, in one transaction (see takeImportLock). */
async function waitForImportLock(
  executor: Neo4jExecutor,
  location: string,
  onWait: ((holder: string) => void) | undefined,
  work: LockingWork,
): Promise<HeldImportLock> {
  // Marked as it begins, for SHOW TRANSACTIONS (IMPORT_LOCK_HOLDER): `since` is when the wait began.
  const since = formatUtcSecond(Date.now());
  const heldBy = `pid ${process.pid} on ${hostname()}`;
  const tx = await executor.begin({ importLock: true, since, heldBy, heldFor: work });
  const token = randomUUID();
  let waiting = true;
  const notice =
    onWait &&
    setTimeout(() => {
      void importLockHolder(executor).then((holder) => {
        if (waiting) onWait(describeHolder(location, holder));
      });
    }, IMPORT_WAIT_NOTICE_MS);
  try {
    await tx.query(cypher.TAKE_IMPORT_LOCK);
    // Committed at once, while the lock's transaction holds the lock: a batch of a holder that
    // lost it finds this token, not its own, and writes nothing (or commits before this does).
    await executor.writeQuery(cypher.SET_IMPORT_LOCK_TOKEN, { token });
  } catch (err) {
    await tx.rollback();
    throw err;
  } finally {
    waiting = false;
    clearTimeout(notice);
  }
  let released: Promise<void> | null = null;
  // Once lost, lost for good: a transaction that failed a statement fails every later one.
  let loss: string | null = null;
  return {
    token,
    release: () => (released ??= tx.rollback()),
    lost: async () => {
      if (loss !== null) return loss;
      try {
        await tx.query(cypher.IMPORT_LOCK_ALIVE);
      } catch (err) {
        loss ??= howLost(err);
      }
      return loss;
    },
  };
}

/** Whether a driver error says the server ended the transaction (TERMINATE TRANSACTIONS). */
function terminated(err: unknown): boolean {
  const code = errorCode(err);
  return (
    code === 'Neo.ClientError.Transaction.LockClientStopped' ||
    code === 'Neo.ClientError.Transaction.Terminated'
  );
}

/** The first pause, and the longest, between two looks for a write that has not begun to wait yet. */
const FIRST_LOOK_PAUSE_MS = 25;
const LONGEST_LOOK_PAUSE_MS = 1_000;

/**
 * Ends the transaction marked `importLockWait: wait` once it waits for the lock: one look when its
 * wait was up while it waited. One not waiting yet (its statement still on its way to the server,
 * as when its wait was up before it began) is looked for again, after a pause growing from
 * FIRST_LOOK_PAUSE_MS, for as long as `stillWaiting()`: one that has taken the lock meanwhile goes
 * on. A failed look leaves it waiting for the lock until the import ends.
 */
async function stopWaiting(
  executor: Neo4jExecutor,
  wait: string,
  stillWaiting: () => boolean,
): Promise<void> {
  let pause = FIRST_LOOK_PAUSE_MS;
  try {
    while (stillWaiting()) {
      const [row] = await executor.readQuery(cypher.LOCK_WAITERS, { wait });
      const ids = (row?.get('ids') as string[] | undefined) ?? [];
      if (ids.length) {
        await executor.autoCommit(cypher.TERMINATE_TRANSACTIONS, { ids });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, LONGEST_LOOK_PAUSE_MS);
    }
  } catch {
    // Nothing more can be done: the write waits for the lock until the import ends.
  }
}

/**
 * Runs `work` in a write transaction that first takes the import lock. When the lock is still held
 * LOCK_WAIT_MS after `waitFrom` (default: now), the transaction is ended and StoreBusyError thrown:
 * nothing was written. So the writes of one mutation, given the same `waitFrom`, wait no longer in
 * all than one: a write whose wait is already up tries the lock once and, finding it held, is
 * refused at once. The wait alone is bounded; once the lock is taken, `work` takes the time it takes.
 */
export async function writeUnderImportLock(
  executor: Neo4jExecutor,
  location: string,
  work: (tx: Transaction) => Promise<void>,
  waitFrom: number = Date.now(),
): Promise<void> {
  const wait = randomUUID();
  const deadline = waitFrom + LOCK_WAIT_MS;
  let gaveUp = false;
  try {
    await executor.write(
      async (tx) => {
        let waiting = true;
        const timer = setTimeout(
          () => {
            gaveUp = true;
            void stopWaiting(executor, wait, () => waiting);
          },
          Math.max(0, deadline - Date.now()),
        );
        try {
          await tx.query(cypher.TAKE_IMPORT_LOCK);
        } finally {
          waiting = false;
          clearTimeout(timer);
        }
        // An import that lost the lock finds, at its next batch, that it is no longer the holder.
        await tx.query(cypher.SET_IMPORT_LOCK_TOKEN, { token: randomUUID() });
        await work(tx);
      },
      { metadata: { importLockWait: wait } },
    );
  } catch (err) {
    if (!(gaveUp && terminated(err))) throw err;
    const holder = await importLockHolder(executor);
    throw new StoreBusyError(
      `${describeHolder(location, holder)}; persons, places, boats and lots new to the store can be ` +
        `written when it ends (nothing was written)`,
      // Since when an import has written; a clear or a migration is no import.
      holder?.heldFor === 'import' ? holder.since : null,
      err,
    );
  }
}
