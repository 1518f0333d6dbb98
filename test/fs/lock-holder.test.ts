/**
 * The holder a bundle folder's lock file names: when its process started, as /proc says, and
 * whether it is known to be gone, a later process given the same pid included.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  mayBeRunning,
  parseHolder,
  processStartOf,
  startInStat,
  type LockHolder,
} from '../../src/fs/lock-holder';

const onLinux = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
const linuxOnly = onLinux ? test : test.skip;

/** A /proc/<pid>/stat line whose fields after the command are 3, 4, 5, …: field 22 is `22`. */
const statLine = (command: string): string =>
  `4711 (${command}) ${Array.from({ length: 50 }, (_, i) => String(i + 3)).join(' ')}\n`;

describe('startInStat', () => {
  test('reads field 22 of a plain line', () => {
    expect(startInStat(statLine('node'))).toBe(22);
  });

  test('reads it after the last parenthesis: the command may hold spaces and parentheses', () => {
    expect(startInStat(statLine('a) b (c) d'))).toBe(22);
    expect(startInStat(statLine(') ) ) 1 2 3'))).toBe(22);
  });

  test('says nothing of a line that does not have it', () => {
    expect(startInStat('')).toBeNull();
    expect(startInStat('4711 node S 1 2 3')).toBeNull();
    expect(startInStat('4711 (node) S 1 2 3\n')).toBeNull();
    expect(startInStat(statLine('node').replace(' 22 ', ' x '))).toBeNull();
  });
});

/** A child that sleeps until it is killed. */
let sleeper: ChildProcess;
beforeAll(() => {
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill('SIGKILL');
});

const bootId = (): string | null =>
  onLinux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : null;

const holder = (fields: Partial<LockHolder>): LockHolder => ({
  pid: sleeper.pid!,
  host: hostname(),
  started: '2022-08-05T01:02:03Z',
  boot: bootId(),
  processStart: processStartOf(sleeper.pid!),
  ...fields,
});

linuxOnly(
  'processStartOf: a running process’s start, the same each time; none for a process that has ended',
  () => {
    const start = processStartOf(sleeper.pid!);
    expect(Number.isSafeInteger(start)).toBe(true);
    expect(processStartOf(sleeper.pid!)).toBe(start);
    // This process started before its child.
    expect(processStartOf(process.pid)!).toBeLessThanOrEqual(start!);
    expect(processStartOf(spawnSync(process.execPath, ['-e', '']).pid!)).toBeNull();
  },
);

describe('mayBeRunning', () => {
  linuxOnly('a holder whose pid is running with the start it recorded may be running', () => {
    expect(mayBeRunning(holder({}), false)).toBe(true);
  });

  linuxOnly(
    'one whose pid is running but started at another time is known gone (its pid given to a later process)',
    () => {
      const start = processStartOf(sleeper.pid!)!;
      expect(mayBeRunning(holder({ processStart: start + 1 }), false)).toBe(false);
      expect(mayBeRunning(holder({ processStart: Math.max(0, start - 100) }), false)).toBe(false);
    },
  );

  linuxOnly(
    'without a start (a file written before it was recorded), or a boot to compare it in, a running pid may be running',
    () => {
      expect(mayBeRunning(holder({ processStart: null }), false)).toBe(true);
      const start = processStartOf(sleeper.pid!)!;
      expect(mayBeRunning(holder({ processStart: start + 1, boot: null }), false)).toBe(true);
    },
  );

  test('of another host, it may be running whatever its pid', () => {
    expect(mayBeRunning(holder({ host: 'elsewhere.example', processStart: 1 }), false)).toBe(true);
  });

  test('this process only when it holds the file itself', () => {
    const self = holder({ pid: process.pid, processStart: processStartOf(process.pid) });
    expect(mayBeRunning(self, true)).toBe(true);
    expect(mayBeRunning(self, false)).toBe(false);
  });

  test('one that does not say may be running', () => {
    expect(mayBeRunning(null, false)).toBe(true);
  });
});

describe('parseHolder', () => {
  const base = { pid: 4711, host: 'host', started: '2022-08-05T01:02:03Z', boot: null };

  test('reads the process start, and takes a file without one as written before it was recorded', () => {
    expect(parseHolder(JSON.stringify({ ...base, processStart: 12345 }))).toEqual({
      ...base,
      processStart: 12345,
    });
    expect(parseHolder(JSON.stringify(base))).toEqual({ ...base, processStart: null });
    expect(parseHolder(JSON.stringify({ ...base, processStart: null }))).toEqual({
      ...base,
      processStart: null,
    });
  });

  test('a process start that is not a whole number of ticks is an edited file: it does not say', () => {
    for (const processStart of ['12345', -1, 1.5])
      expect(parseHolder(JSON.stringify({ ...base, processStart }))).toBeNull();
  });
});
