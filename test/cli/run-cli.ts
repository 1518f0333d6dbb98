/**
 * Runs the built `tracegraph` command (bin/tracegraph.js → dist/) in a child process, as a user
 * would. `npm test` builds dist first; for runs of jest alone, the global setup calls
 * `ensureBuilt()`, which rebuilds it when src is newer, once before any worker starts: two workers
 * building at once would each run the command while the other rewrites it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tracegraph.js');
const BUILT_MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist when it is missing or older than src (the build emits even if unrelated files have type errors). */
export function ensureBuilt(): void {
  if (existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return;
  spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  if (!existsSync(BUILT_MAIN)) throw new Error(`could not build ${BUILT_MAIN}`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of the test run without any store settings, plus `env`. */
export function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD', 'NEO4J_DATABASE', 'TRACEGRAPH_DATA'])
    delete base[key];
  return { ...base, ...env };
}

/**
 * Runs `node bin/tracegraph.js ...args` (or another script) and collects its output. With
 * `timeoutMs`, a run still going then is ended (SIGTERM, which bin/tracegraph.js passes on to the
 * command it restarted as, then exits 143), so that a command that hangs fails its test. With
 * `fileSizeLimitBlocks`, it runs under `ulimit -f` (the shell's blocks of 512 or 1,024 bytes): a
 * write past it fails with EFBIG, as on a full disk. With `unprivileged`, a test run as root runs
 * the command without the capability to listen on a port below 1024 (CAP_NET_BIND_SERVICE, taken
 * from its inheritable and bounding sets by util-linux's `setpriv`). It stays root otherwise, so it
 * reads the checkout wherever it is (another user could not enter a folder made by `mktemp -d`).
 * With `withoutCapabilities`, a test run as root runs the command with none at all, so that a
 * file's mode binds it as it binds another user.
 */
export function runCli(
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    script?: string;
    timeoutMs?: number;
    fileSizeLimitBlocks?: number;
    unprivileged?: boolean;
    withoutCapabilities?: boolean;
  } = {},
): Promise<CliResult> {
  const node = [process.execPath, options.script ?? BIN, ...args];
  const root = process.getuid?.() === 0;
  const asUser =
    options.withoutCapabilities && root
      ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', ...node]
      : options.unprivileged && root
        ? ['setpriv', '--inh-caps=-net_bind_service', '--bounding-set=-net_bind_service', ...node]
        : node;
  const [command, ...commandArgs] =
    options.fileSizeLimitBlocks === undefined
      ? asUser
      : ['sh', '-c', 'ulimit -f "$0" && exec "$@"', String(options.fileSizeLimitBlocks), ...asUser];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, commandArgs, {
      cwd: options.cwd ?? ROOT,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
