/**
 * How a benchmark step talks to the runner: each step runs in its own process (so its peak memory
 * is its own) and ends by printing one line `BENCH_RESULT {json}` on standard output, with the
 * process's peak resident set size taken from the kernel's high-water mark (VmHWM).
 */
import { readFileSync } from 'node:fs';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** A `Vm...: N kB` line of /proc/PID/status, in bytes, or null. */
export function statusBytes(status: string, field: 'VmHWM' | 'VmRSS'): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Peak resident set size of this process in bytes: VmHWM from /proc, else Node's maxRSS. */
export function peakRssBytes(): number {
  try {
    const hwm = statusBytes(readFileSync('/proc/self/status', 'utf8'), 'VmHWM');
    if (hwm !== null) return hwm;
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Resident set size of another process (e.g. the Neo4j JVM) in bytes, now or at its peak; null if unknown. */
export function rssOfProcess(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmRSS'): number | null {
  try {
    return statusBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return null;
  }
}

export function formatResultLine(result: object): string {
  return `${RESULT_PREFIX}${JSON.stringify(result)}`;
}

/** The result a step printed: the last `BENCH_RESULT` line of its output. */
export function parseResultLine(stdout: string): Record<string, unknown> {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error('the step printed no BENCH_RESULT line');
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, unknown>;
}

/** Seconds since `started` (from process.hrtime.bigint()). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
