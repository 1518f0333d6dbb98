/**
 * For command-line tests that hold the Neo4j import lock while a command waits for it: the command
 * runs in another process, so the server is asked when its wait has begun.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { IMPORT_WAIT_NOTICE_MS, type LockingWork } from '../../src/store/neo4j/import-lock';

/**
 * Resolves once a transaction waiting for the import lock (for `work`, or for anything) is blocked
 * on the server, and long enough after for its process to have said whom it waits for; throws,
 * naming `who`, when none has waited within a minute.
 */
export async function untilWaitingForImportLock(
  driver: Driver,
  who: string,
  work?: LockingWork,
): Promise<void> {
  const waiting = async (): Promise<number> => {
    const { records } = await driver.executeQuery(
      'SHOW TRANSACTIONS YIELD metaData, status ' +
        `WHERE metaData.importLock = true AND ($work IS NULL OR metaData.heldFor = $work) AND status STARTS WITH 'Blocked' ` +
        'RETURN count(*) AS n',
      { work: work ?? null },
      { database: 'neo4j' },
    );
    return neo4j.integer.toNumber(records[0]!.get('n') as number);
  };
  for (const deadline = Date.now() + 60_000; (await waiting()) === 0;) {
    if (Date.now() > deadline) throw new Error(`${who} never waited for the lock`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, IMPORT_WAIT_NOTICE_MS + 1_500));
}
