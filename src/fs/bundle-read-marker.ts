/**
 * An import's mark on the bundle folder it reads: while one is there, an export, seed or
 * restore-bundle into the folder is refused, so that the import's two passes read the same bundle.
 * Each reading process makes its own marker file (`.tracegraph-bundle-read.<pid>.<random>.lock`,
 * the random part so that a marker a killed import left is never in the way of a later process of
 * the same pid) with O_EXCL, naming its pid, host, start, boot and process start as a write lock
 * does (./lock-holder.ts), and removes it when the import ends, failed or not. The two sides share
 * nothing but the folder, so order makes it safe: an import makes its marker before it looks at
 * the write lock, and a write takes the lock before it looks for markers; of an import and a write
 * that start together, at least one sees the other. A marker whose import is known to be gone
 * (killed) is ignored, and removed by the next write.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  makeHolderFile,
  mayBeRunning,
  readHolderFile,
  removeHolderFile,
  type LockHolder,
} from './lock-holder';

const MARKER_NAME = /^\.tracegraph-bundle-read\.\d+\.[0-9a-f]+\.lock$/;

/** Whether a file name in a bundle folder is an import's read marker rather than the bundle's own. */
export const isBundleReadMarker = (name: string): boolean => MARKER_NAME.test(name);

const markerName = (): string =>
  `.tracegraph-bundle-read.${process.pid}.${randomBytes(4).toString('hex')}.lock`;

/** The marker files this process holds: one naming its own pid is otherwise an earlier process's. */
const heldHere = new Set<string>();

/** This process's mark on a bundle folder it reads, until `remove`. */
export class BundleReadMarker {
  private removed = false;

  private constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  /** Marks `dir` as being read by this process; throws the system's error when the file cannot be made. */
  static make(dir: string): BundleReadMarker {
    for (;;) {
      const file = path.join(dir, markerName());
      const text = makeHolderFile(file);
      // Null: the random part drew a name that is there already.
      if (text === null) continue;
      heldHere.add(path.resolve(file));
      return new BundleReadMarker(file, text);
    }
  }

  /** Removes the marker file, if it is still this process's; safe to call again. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    heldHere.delete(path.resolve(this.file));
    removeHolderFile(this.file, this.text);
  }
}

/** An import that may still be reading a bundle folder; the message names the folder and the import. */
export class BundleFolderReadError extends Error {
  constructor(
    readonly dir: string,
    /** The marker file. */
    readonly marker: string,
    /** Null when the marker does not say (empty, or edited). */
    readonly reader: LockHolder | null,
  ) {
    super(`${dir} ${describeRead(marker, reader)}`);
    this.name = 'BundleFolderReadError';
  }
}

function describeRead(marker: string, reader: LockHolder | null): string {
  if (!reader)
    return (
      `is being read by an import, or was: it holds ${path.basename(marker)}, which does not say by which ` +
      `process (it is empty or was edited; should no import or start be reading it, remove ${marker})`
    );
  const by = `is being read by an import (pid ${reader.pid} on ${reader.host} since ${reader.started}`;
  if (reader.host === hostname()) return `${by})`;
  // Whether a process of another host is running cannot be told from here.
  return `${by}; a process of another host cannot be checked: should that import have ended, remove ${marker})`;
}

interface FoundMarker {
  file: string;
  reader: LockHolder | null;
  /** False only when its import is known to be gone. */
  mayBeRunning: boolean;
}

function markersIn(dir: string): FoundMarker[] {
  const found: FoundMarker[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!isBundleReadMarker(name)) continue;
    const file = path.join(dir, name);
    const marker = readHolderFile(file);
    // Removed since the listing: its import ended.
    if (!marker) continue;
    found.push({
      file,
      reader: marker.holder,
      mayBeRunning: mayBeRunning(marker.holder, heldHere.has(path.resolve(file))),
    });
  }
  return found;
}

/** An import that may still be reading `dir` (the first, by marker name), or null when none may. */
export function runningReadOf(dir: string): BundleFolderReadError | null {
  const reading = markersIn(dir).find((marker) => marker.mayBeRunning);
  return reading ? new BundleFolderReadError(dir, reading.file, reading.reader) : null;
}

/**
 * Removes the markers of imports known to be gone, for a write holding the folder's lock: no import
 * that starts meanwhile reads the folder, and no later one can make a marker of the same name.
 * Returns the names removed.
 */
export function removeGoneReadMarkers(dir: string): string[] {
  const removed: string[] = [];
  for (const marker of markersIn(dir)) {
    if (marker.mayBeRunning) continue;
    rmSync(marker.file, { force: true });
    removed.push(path.basename(marker.file));
  }
  return removed;
}
