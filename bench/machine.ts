/**
 * The machine a benchmark ran on, so figures from different machines are never compared blind:
 * cores, memory, CPU model, load at the start, Node and Java versions, the date and the commit.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  memoryBytes: number;
  cpuModel: string;
  /** 1-minute load average when the run started: above the core count means a shared, busy machine. */
  loadAverage: number;
  platform: string;
  node: string;
  java: string | null;
  date: string;
  commit: string | null;
  /** Files changed and not committed when the run started. */
  dirty: boolean;
}

/** The first line of `java -version` (it prints to stderr), or null when there is no java. */
export function javaVersion(): string | null {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return null;
  return (java.stderr || java.stdout).split('\n')[0]?.trim() ?? null;
}

function git(args: string[], cwd: string): string | null {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.error || r.status !== 0 ? null : r.stdout.trim();
}

export function machineInfo(repoDir: string, now = new Date()): MachineInfo {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no'], repoDir);
  return {
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    loadAverage: os.loadavg()[0] ?? 0,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: javaVersion(),
    date: now.toISOString(),
    commit: git(['rev-parse', 'HEAD'], repoDir),
    dirty: status !== null && status !== '',
  };
}
