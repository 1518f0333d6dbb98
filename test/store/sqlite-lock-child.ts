/**
 * Child process holding a lock on a SQLite file with a plain better-sqlite3 connection, not the
 * store (which would upgrade an older file as it opens it): argv[2] is the database file, argv[3]
 * the lock. `write` holds the write lock (BEGIN IMMEDIATE), as another process's import does;
 * `exclusive` holds the whole file (`PRAGMA locking_mode = EXCLUSIVE` and a write), so that no other
 * connection can even read it. It says `locked`, then holds the lock until killed or sent
 * `release` (it then rolls back, closes, says `released` and exits).
 */
import Database from 'better-sqlite3';

function main(): void {
  const [file, lock] = process.argv.slice(2);
  if (!file || (lock !== 'write' && lock !== 'exclusive'))
    throw new Error('usage: sqlite-lock-child.ts FILE write|exclusive');
  const db = new Database(file);
  if (lock === 'exclusive') {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } else {
    db.exec('BEGIN IMMEDIATE');
  }
  process.send?.('locked');
  process.on('message', (message) => {
    if (message !== 'release') return;
    db.exec('ROLLBACK');
    db.close();
    process.send?.('released', () => process.exit(0));
  });
  // Hold the lock until killed or told to release it.
  setInterval(() => undefined, 60_000);
}

try {
  main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
