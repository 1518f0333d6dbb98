/**
 * The audit log of personal-data reads: who (key id and role) read whose name, phone or id number,
 * or which home's name (an address), in which operation and when. Kept in memory up to a cap
 * (oldest dropped first) and, when a file is configured, appended to it as JSON lines in the order
 * the reads happened. A response that holds unmasked personal data is sent only once its entries
 * are in the file (`auditedResponse`): if one cannot be written, the response is withheld.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFile } from 'node:fs/promises';
import type { Instant } from '../domain/types';
import type { Role } from './context.type';
import type { PersonalField } from './personal-data';

export interface AuditEntry {
  /** Increases by one per entry, from 1; the cursor of the audit log. */
  seq: number;
  at: Instant;
  keyId: string;
  role: Role;
  operationName: string | null;
  personIds: string[];
  /**
   * Homes whose name (an address) was read; empty for reads of persons alone. Added later:
   * `append` takes it optional and the file's line leaves it out when empty, so callers and lines
   * of persons' reads alone are as they were before.
   */
  placeIds: string[];
  /** Which of name, phone, idNumber were read, of the persons and the homes together. */
  fields: PersonalField[];
}

/** What `append` takes: an entry without its number, the homes read optional. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'placeIds'> & { placeIds?: string[] };

export interface AuditLogOptions {
  /** Entries kept in memory (default 10,000). */
  capacity?: number;
  /** A JSON-lines file to append every entry to. */
  file?: string | null;
  /** Called when the file cannot be written (the entry stays in memory). */
  onFileError?: (err: unknown) => void;
}

/** An entry of the work `auditedResponse` ran could not be appended to the audit file. */
export class AuditFileError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`cannot append to the audit file ${file}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'AuditFileError';
  }
}

export const DEFAULT_AUDIT_CAPACITY = 10_000;

export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  private nextSeq = 1;
  private readonly capacity: number;
  private writes: Promise<void> = Promise.resolve();
  /** The file writes begun inside each run of `auditedResponse`, by async context. */
  private readonly writesOfWork = new AsyncLocalStorage<Promise<void>[]>();

  constructor(private readonly options: AuditLogOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_AUDIT_CAPACITY);
  }

  append(entry: NewAuditEntry): AuditEntry {
    const { placeIds = [], ...rest } = entry;
    const stored: AuditEntry = { seq: this.nextSeq++, ...rest, placeIds };
    this.entries.push(stored);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    const file = this.options.file;
    if (file) {
      const { placeIds: homes, ...line } = { ...stored, at: new Date(stored.at).toISOString() };
      const text = JSON.stringify(homes.length ? { ...line, placeIds: homes } : line) + '\n';
      // Chained so lines land in order without blocking the request; a failed line does not stop
      // the lines after it.
      const written = this.writes.then(() => appendFile(file, text, 'utf8'));
      this.writes = written.catch((err) => this.options.onFileError?.(err));
      this.writesOfWork.getStore()?.push(written);
    }
    return stored;
  }

  /**
   * Runs `work` (which builds a response) and resolves with its result once every entry it
   * appended is in the file. If one could not be written it rejects with AuditFileError, so the
   * caller withholds the response: no unmasked read goes out unaudited. The entries are found by
   * async context, so the appends may be anywhere inside `work` (Apollo's hooks, the chain view).
   */
  async auditedResponse<T>(work: () => Promise<T>): Promise<T> {
    const file = this.options.file;
    // Without a file there is no write to wait for, and no async context to keep.
    if (!file) return work();
    const writes: Promise<void>[] = [];
    const result = await this.writesOfWork.run(writes, work);
    try {
      await Promise.all(writes);
    } catch (err) {
      throw new AuditFileError(file, err);
    }
    return result;
  }

  /** Newest first: up to `first` entries older than the entry numbered `beforeSeq`. */
  page(first: number, beforeSeq?: number): { entries: AuditEntry[]; hasMore: boolean } {
    const older = beforeSeq === undefined ? this.entries : this.entries.filter((e) => e.seq < beforeSeq);
    const newestFirst = older.slice(Math.max(0, older.length - first)).reverse();
    return { entries: newestFirst, hasMore: older.length > first };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Resolves when every entry so far is in the file. */
  async flush(): Promise<void> {
    await this.writes;
  }
}
