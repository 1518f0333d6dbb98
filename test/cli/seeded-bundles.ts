/**
 * The bundles the bundle-write suites start from, written by the built `seed` command as a user
 * writes them: the earlier bundle a folder holds (`seed --seed 1`), and the later one a write puts
 * over it (`seed --seed 2`).
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './run-cli';
import { contents } from './stopped-write';

export interface EarlierBundle {
  /** The folder `seed --seed 1` wrote. */
  earlier: string;
  /** Its files (`contents`). */
  earlierContents: Record<string, string>;
}

export interface EarlierAndLaterBundles extends EarlierBundle {
  /** The files `seed --seed 2` writes (`contents`). */
  laterContents: Record<string, string>;
}

/** Writes `seed --seed <seed>` into a new folder `name` in a folder of `temp`; returns that folder. */
async function seeded(temp: () => string, name: string, seed: number): Promise<string> {
  const dir = path.join(temp(), name);
  expect((await runCli(['seed', '--seed', String(seed), '--out', dir])).code).toBe(0);
  return dir;
}

/** Writes the earlier bundle into a folder of `temp`. */
export async function seedEarlierBundle(temp: () => string): Promise<EarlierBundle> {
  const earlier = await seeded(temp, 'earlier', 1);
  return { earlier, earlierContents: contents(earlier) };
}

/** Builds the command, then writes the earlier and the later bundle into folders of `temp`. */
export async function seedEarlierAndLaterBundles(temp: () => string): Promise<EarlierAndLaterBundles> {
  const { earlier, earlierContents } = await seedEarlierBundle(temp);
  const later = await seeded(temp, 'later', 2);
  return { earlier, earlierContents, laterContents: contents(later) };
}

/** A copy of folder `from` in a new folder of `temp`. */
export function copyFolder(temp: () => string, from: string): string {
  const dir = path.join(temp(), 'bundle');
  cpSync(from, dir, { recursive: true });
  return dir;
}
