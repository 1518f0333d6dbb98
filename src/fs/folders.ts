/**
 * Making folders one at a time. Not Node's `mkdir(dir, { recursive: true })`: where making a folder
 * fails with ENOENT though its parent exists (`/proc/nope`: procfs makes no folders), Node 20 makes
 * the parent again and retries, for ever, at full CPU.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { reasonOf } from './system-error';

/** A folder that is not there and cannot be made; `folder` is the one that failed. */
export class FolderError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly folder: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'FolderError';
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/**
 * The folders missing at and above `dir`, nearest first (none when `dir` is a folder). Throws a
 * FolderError (code ENOTDIR) when `dir` or the nearest existing folder above it is something else.
 */
export function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(at).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new FolderError(at, `cannot use the folder ${at}: ${reasonOf(err as Error)}`, err);
      missing.push(at);
      if (path.dirname(at) === at) return missing;
      continue;
    }
    if (isFolder) return missing;
    const notDir = Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    throw new FolderError(at, `${at} is not a folder`, notDir);
  }
}

/**
 * Makes `missing` (nearest first, as `missingFolders` lists them) from the outermost in, and
 * throws a FolderError naming the first that cannot be made. A folder made meanwhile by someone
 * else is as good.
 */
export function makeMissingFolders(missing: readonly string[]): void {
  for (const folder of [...missing].reverse()) {
    try {
      mkdirSync(folder);
    } catch (err) {
      let made = false;
      try {
        made = statSync(folder).isDirectory();
      } catch {
        // Not there: the mkdir's error says why.
      }
      if (!made)
        throw new FolderError(folder, `cannot make the folder ${folder}: ${reasonOf(err as Error)}`, err);
    }
  }
}

/** Makes `dir` and the folders missing above it; returns those it made, outermost first. */
export function makeFolders(dir: string): string[] {
  const missing = missingFolders(dir);
  makeMissingFolders(missing);
  return missing.reverse();
}
