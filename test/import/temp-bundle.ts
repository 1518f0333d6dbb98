/** Bundles for tests: a copy of a fixture bundle in a temporary folder, with files replaced. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FIXTURE_BUNDLES = path.join(__dirname, '..', 'fixtures', 'bundles');

/** The names of the nine files of a full bundle, sorted, as a folder listing gives them. */
export const BUNDLE_FILE_NAMES = [
  'boats.csv',
  'cases.csv',
  'contacts.csv',
  'handlings.csv',
  'items.csv',
  'persons.csv',
  'places.csv',
  'samples.csv',
  'stays.csv',
];

/** A fresh temporary folder; removed by `removeTemp`. */
export function tempDir(prefix = 'tracegraph-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeTemp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A suite's temporary folders: each call of the function returned makes one; all go after the suite. */
export function suiteTemps(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTemp));
  return () => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
}

/**
 * Copies fixture bundle `name` (or starts empty when null) into a temporary folder, then writes
 * each file in `files` (text as UTF-8, a Buffer as is) or deletes it when null.
 */
export function bundleFrom(name: string | null, files: Record<string, string | Buffer | null> = {}): string {
  const dir = tempDir('tracegraph-bundle-');
  if (name) cpSync(path.join(FIXTURE_BUNDLES, name), dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    if (content === null) rmSync(target, { force: true });
    else writeFileSync(target, content);
  }
  return dir;
}

/** Every entry of a folder: a file's bytes, or 'folder'; to see that a folder is as it was. */
export function folderState(dir: string): Record<string, Buffer | 'folder'> {
  const state: Record<string, Buffer | 'folder'> = {};
  for (const name of readdirSync(dir).sort()) {
    const entry = path.join(dir, name);
    state[name] = statSync(entry).isDirectory() ? 'folder' : readFileSync(entry);
  }
  return state;
}
