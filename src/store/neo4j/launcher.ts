/**
 * Neo4j launcher: starts Neo4j 5.26 LTS Community from Maven Central in a child JVM (see
 * neo4j-launcher/), with Bolt on a loopback port and its data under a folder we name. Used by
 * `npm test`, `npm run neo4j` and the benchmarks, so none of them need Docker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { makeFolders } from '../../fs/folders';

export const LAUNCHER_DIR = path.resolve(__dirname, '../../../..', 'neo4j-launcher');
const launcherDir = (): string =>
  // Works both from src/ (ts-jest) and from dist/src/ (compiled).
  [path.resolve(__dirname, '../../..', 'neo4j-launcher'), LAUNCHER_DIR].find((d) =>
    existsSync(path.join(d, 'pom.xml')),
  ) ?? LAUNCHER_DIR;

// The JVM flags Neo4j's own neo4j.conf sets for Java 17.
const JVM_OPENS = [
  'java.base/java.nio',
  'java.base/java.lang',
  'java.base/sun.nio.ch',
  'java.base/java.io',
  'java.base/java.util',
  'java.base/java.util.concurrent',
  'java.base/java.lang.invoke',
  'java.base/java.lang.reflect',
  'java.base/java.net',
  'java.base/jdk.internal.misc',
].flatMap((p) => ['--add-opens', `${p}=ALL-UNNAMED`]);

export interface LaunchOptions {
  /** Where Neo4j keeps its data (created if missing). */
  home: string;
  /** Bolt port on 127.0.0.1; a free one is chosen when omitted. */
  port?: number;
  password?: string;
  heap?: string;
  pageCache?: string;
  /** Lines of the server's output are passed here (default: dropped). */
  log?: (line: string) => void;
  /** How long to wait for the server (default 180 s; the first run also downloads jars). */
  timeoutMs?: number;
}

export interface RunningNeo4j {
  uri: string;
  user: string;
  password: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function newer(a: string, b: string): boolean {
  return !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;
}

/** Resolves Neo4j's jars (Maven) and compiles the launcher when needed; returns the classpath. */
export function prepareLauncher(log: (line: string) => void = () => {}): string {
  const dir = launcherDir();
  const pom = path.join(dir, 'pom.xml');
  const cpFile = path.join(dir, 'target', 'classpath.txt');
  if (newer(pom, cpFile)) {
    log('resolving Neo4j from Maven Central (first run downloads ~150 MB into ~/.m2)');
    const mvn = spawnSync('mvn', ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (mvn.error || mvn.status !== 0) {
      throw new Error(
        `could not resolve Neo4j with Maven (mvn exit ${mvn.status ?? mvn.error?.message}):\n${mvn.stdout}${mvn.stderr}`,
      );
    }
  }
  const source = path.join(dir, 'src/main/java/tracegraph/Neo4jLauncher.java');
  const classes = path.join(dir, 'target', 'classes');
  const compiled = path.join(classes, 'tracegraph', 'Neo4jLauncher.class');
  const classpath = readFileSync(cpFile, 'utf8').trim();
  if (newer(source, compiled)) {
    makeFolders(classes);
    const javac = spawnSync('javac', ['-d', classes, '-cp', classpath, source], { encoding: 'utf8' });
    if (javac.error || javac.status !== 0) {
      throw new Error(
        `could not compile the Neo4j launcher:\n${javac.stdout}${javac.stderr}${javac.error ?? ''}`,
      );
    }
  }
  return `${classes}${path.delimiter}${classpath}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts Neo4j and resolves once it accepts Bolt connections. */
export async function launchNeo4j(options: LaunchOptions): Promise<RunningNeo4j> {
  const log = options.log ?? (() => {});
  const classpath = prepareLauncher(log);
  const port = options.port ?? (await freePort());
  const password = options.password ?? 'tracegraph-test';
  makeFolders(options.home);
  const args = [
    `-Xmx${options.heap ?? '1g'}`,
    ...JVM_OPENS,
    '-cp',
    classpath,
    'tracegraph.Neo4jLauncher',
    '--home',
    path.resolve(options.home),
    '--port',
    String(port),
    '--password',
    password,
    '--pagecache',
    options.pageCache ?? '256m',
  ];
  // stdin stays a pipe: when this process dies the pipe closes and the server stops itself.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `Neo4j did not start within ${(options.timeoutMs ?? 180_000) / 1000} s:\n${output.slice(-30).join('\n')}`,
        ),
      );
    }, options.timeoutMs ?? 180_000);
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        output.push(line);
        if (output.length > 200) output.shift();
        log(line);
        const ready = /^TRACEGRAPH_NEO4J_READY (\S+)/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run java to start Neo4j: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Neo4j exited before it was ready (code ${code}, signal ${signal}):\n${output.slice(-30).join('\n')}`,
        ),
      );
    });
  });
  child.removeAllListeners('exit');
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { uri, user: 'neo4j', password, process: child, stop };
}
