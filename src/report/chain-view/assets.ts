/**
 * The chain view's bundled browser code: `scripts/build-assets.js` bundles it with esbuild into
 * `dist-assets/` at build time; the API server serves it from here under `/chains/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ownEntry } from '../../domain/own-entries';

export interface ChainViewAsset {
  /** Content-Type to send. */
  type: string;
  body: Buffer;
}

/** Asset names the page asks for, and the bundled files they are. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'app.js': { file: 'chain-view.js', type: 'text/javascript; charset=utf-8' },
};

/** The project root: the nearest folder above this file with tracegraph's package.json. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tracegraph')
          return dir;
      } catch {
        // Not a readable manifest: keep looking above.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** TRACEGRAPH_ASSETS_DIR, else dist-assets/ of the project; empty counts as unset, as other variables do. */
export function assetsDir(): string {
  const dir = process.env.TRACEGRAPH_ASSETS_DIR;
  return dir?.trim() ? dir : path.join(projectRoot(), 'dist-assets');
}

const cache = new Map<string, ChainViewAsset>();

/**
 * The asset of that name (e.g. `app.js`), or null when there is no such asset or it has not been
 * built (`npm run build`).
 */
export function chainViewAsset(name: string, dir: string = assetsDir()): ChainViewAsset | null {
  const spec = ownEntry(ASSETS, name);
  if (!spec) return null;
  const file = path.join(dir, spec.file);
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) return null;
  const asset = { type: spec.type, body: readFileSync(file) };
  cache.set(file, asset);
  return asset;
}
