/** Errors tracegraph reports to its users: each names where the problem is. */

/** One problem with one field of one record: file/line/column for a bundle, a path for the API. */
export interface FieldProblem {
  /** File name within a bundle (e.g. `stays.csv`), or the GraphQL argument path. */
  file: string;
  /** 1-based line in the file (the header is line 1); 0 when the problem is with the whole file. */
  line: number;
  /** The column (CSV header name) or input field. */
  column: string;
  reason: string;
}

export function describeProblem(p: FieldProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  // One problem a line: a line break quoted into a value is shown as \n, not as a new line.
  const reason = p.reason.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return p.column ? `${where}: column "${p.column}": ${reason}` : `${where}: ${reason}`;
}

/** Input that breaks the import format; nothing of it was written. */
export class ValidationError extends Error {
  constructor(
    readonly problems: FieldProblem[],
    /** How many problems there were in all (problems may be capped). */
    readonly total = problems.length,
    /** What became of the store. */
    written = 'nothing was written',
  ) {
    // Every problem carried is listed: those who find them cap them (the import at 100).
    const shown = problems.map(describeProblem).join('\n  ');
    const more = total > problems.length ? `\n  ... and ${total - problems.length} more` : '';
    super(`${total} problem${total === 1 ? '' : 's'} found; ${written}:\n  ${shown}${more}`);
    this.name = 'ValidationError';
  }
}

/**
 * A setting tracegraph cannot use, given in an environment variable (`NEO4J_URI`, `LOG_LEVEL`,
 * `TRACEGRAPH_API_KEYS`, …): the message names the variable. Reported before any work is done.
 */
export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}

/** The configured store cannot be reached (e.g. Neo4j is down). */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Which writes another writer holds back: only those adding persons, places, boats or lots not yet
 * stored (Neo4j's import lock), or every write (the embedded store's write lock).
 */
export type HeldBackWrites = 'new-entities' | 'every-write';

/**
 * Another writer holds the store (an import is running): nothing was written, or (`refused` 'read')
 * nothing could be read; try again when it ends.
 */
export class StoreBusyError extends Error {
  constructor(
    message: string,
    /** Since when an import has held the store, ISO 8601, when known. */
    readonly since: string | null = null,
    override readonly cause?: unknown,
    readonly heldBack: HeldBackWrites = 'new-entities',
    /** What was refused: a write (nothing was written) or a read (nothing was read). */
    readonly refused: 'write' | 'read' = 'write',
  ) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

/** A lookup named something that does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
