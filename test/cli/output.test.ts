/**
 * Where `tracegraph report` writes and what it accepts, run as a user would (bin/tracegraph.js):
 * write errors on standard output, the `--out` target, whole-number flags, and output to a reader
 * that went away.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { FIXTURE_BUNDLES, suiteTemps } from '../import/temp-bundle';
import { BIN, cliEnv, ROOT, runCli } from './run-cli';
import { readFifo } from '../report/read-fifo';

const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');

const temp = suiteTemps('tracegraph-cli-out-');

/** A store with the fixture district, imported once for the file. */
let data: string;
beforeAll(async () => {
  data = temp();
  expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
}, 300_000);

/** Runs the command with standard output on `fd`. */
function runWithStdout(args: string[], fd: number): { code: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: cliEnv(),
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
  });
  return { code: run.status, stderr: run.stderr };
}

describe('report to standard output that cannot be written', () => {
  test.each([
    ['html', []],
    ['md', []],
    ['csv', ['--cases', 'P1']],
    ['json', []],
  ])('--format %s %j fails with exit 1, naming standard output', (format, extra) => {
    // Standard output is a file opened for reading only: every write fails (EBADF), as on a full
    // disk or past a file size limit.
    const file = path.join(temp(), 'stdout');
    writeFileSync(file, '');
    const fd = openSync(file, 'r');
    try {
      const result = runWithStdout(['report', '--format', format, ...extra, '--data', data], fd);
      expect(result).toEqual({
        code: 1,
        stderr: 'cannot write the report to standard output: EBADF: bad file descriptor\n',
      });
    } finally {
      closeSync(fd);
    }
  });
});

describe('report --out', () => {
  test('a folder, an empty path or a path through a file fails at once, before the store is opened, naming the path', async () => {
    // The store cannot be opened (--data names a file): only a check made before it answers.
    const notAStore = path.join(temp(), 'file');
    writeFileSync(notAStore, 'x');
    const folder = temp();
    const cases: [string, string][] = [
      [folder, `--out: "${folder}" is a folder: give a file name\n`],
      ['', '--out: "" is not a file name\n'],
      [
        path.join(notAStore, 'r.html'),
        `--out: "${path.join(notAStore, 'r.html')}": ${notAStore} is not a folder\n`,
      ],
    ];
    for (const [out, stderr] of cases) {
      const result = await runCli(['report', '--format', 'html', '--out', out, '--data', notAStore]);
      expect(result).toEqual({ code: 1, stdout: '', stderr });
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  // procfs makes no folders: mkdir says ENOENT though the parent exists, on which Node's recursive
  // mkdir retried for ever at full CPU. Linux alone has it.
  const procfs = existsSync('/proc/self/status');
  (procfs ? test : test.skip)(
    'a folder that cannot be made (/proc/nope/x.json) fails at once, before the analysis, naming it',
    async () => {
      // The district's store, then one that cannot be opened (--data names a file): the check
      // answers before the store is opened. A run that hangs is ended after 15 s.
      const notAStore = path.join(temp(), 'file');
      writeFileSync(notAStore, 'x');
      const out = '/proc/nope/x.json';
      for (const [format, store] of [
        ['html', data],
        ['csv', data],
        ['json', notAStore],
      ] as const) {
        const result = await runCli(['report', '--format', format, '--out', out, '--data', store], {
          timeoutMs: 15_000,
        });
        expect([format, result]).toEqual([
          format,
          {
            code: 1,
            stdout: '',
            stderr: `--out: "${out}": cannot make the folder /proc/nope: ENOENT: no such file or directory\n`,
          },
        ]);
      }
    },
  );

  test('a folder no file can be made in (/sys) fails at once, before the store is opened, naming it, leaving nothing', async () => {
    // sysfs refuses a new file with EACCES, even to root. The store named is none (a file), so a
    // check made after the store is opened would be answered with that instead.
    const notAStore = path.join(temp(), 'file');
    writeFileSync(notAStore, 'x');
    for (const format of ['html', 'md', 'csv', 'json']) {
      const out = `/sys/tracegraph-report.${format}`;
      const result = await runCli(['report', '--format', format, '--out', out, '--data', notAStore], {
        timeoutMs: 15_000,
      });
      expect([format, result]).toEqual([
        format,
        { code: 1, stdout: '', stderr: `--out: "${out}": cannot write in /sys: EACCES: permission denied\n` },
      ]);
    }
    expect(readdirSync('/sys').filter((name) => name.startsWith('tracegraph-report'))).toEqual([]);
    // A folder that can be written keeps no trace of the check.
    const dir = temp();
    expect(
      (await runCli(['report', '--format', 'md', '--out', path.join(dir, 'r.md'), '--data', data])).code,
    ).toBe(0);
    expect(readdirSync(dir)).toEqual(['r.md']);
  });

  test('writes into a FIFO straight and through a symbolic link to its file, leaving both as they were', async () => {
    const printed = await runCli(['report', '--format', 'md', '--data', data]);
    expect(printed.code).toBe(0);

    const dir = temp();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = readFifo(fifo);
    try {
      const toFifo = await runCli(['report', '--format', 'md', '--out', fifo, '--data', data]);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(toFifo).toEqual({ code: 0, stdout: '', stderr: `wrote ${fifo}\n` });
      expect(await reader.text).toBe(printed.stdout);
    } finally {
      reader.close();
    }

    mkdirSync(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'target.md');
    writeFileSync(target, 'old');
    const link = path.join(dir, 'link.md');
    symlinkSync(target, link);
    const toLink = await runCli(['report', '--format', 'md', '--out', link, '--data', data]);
    expect(toLink).toEqual({ code: 0, stdout: '', stderr: `wrote ${link}\n` });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(printed.stdout);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'link.md', 'real']);
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['target.md']);
  });
});

describe('whole-number flags', () => {
  test.each(['', ' ', '0x10', '1e1', '1.5', '-1', '+3'])(
    'report --capacity %j and --max-contacts %j are refused',
    async (value) => {
      expect(await runCli(['report', '--capacity', value, '--data', data])).toEqual({
        code: 1,
        stdout: '',
        stderr: `--capacity: "${value}" is not a whole number of beds\n`,
      });
      expect(await runCli(['report', '--format', 'html', '--max-contacts', value, '--data', data])).toEqual({
        code: 1,
        stdout: '',
        stderr: `--max-contacts: "${value}" is not a whole number of contacts, 0 or "all"\n`,
      });
    },
  );

  test('--capacity 0 and " 2 " are beds; seed --persons and serve --port refuse "" and 0x10', async () => {
    for (const [value, beds] of [
      ['0', 0],
      [' 2 ', 2],
    ] as const) {
      const result = await runCli(['report', '--capacity', value, '--data', data]);
      expect(result.code).toBe(0);
      const { summary } = JSON.parse(result.stdout) as {
        summary: { occupiedBeds: number; assignedBeds: number };
      };
      expect(summary.occupiedBeds + summary.assignedBeds).toBeLessThanOrEqual(beds);
    }
    for (const value of ['', '0x10']) {
      const out = path.join(temp(), 'bundle');
      expect(await runCli(['seed', '--persons', value, '--out', out])).toEqual({
        code: 1,
        stdout: '',
        stderr: `--persons: "${value}" is not a whole number\n`,
      });
      expect(await runCli(['serve', '--port', value, '--data', temp()])).toEqual({
        code: 1,
        stdout: '',
        stderr: `--port: "${value}" is not a port number\n`,
      });
    }
    // A size out of range names the flag, as a user types it.
    expect(await runCli(['seed', '--persons', '999', '--out', path.join(temp(), 'small')])).toEqual({
      code: 1,
      stdout: '',
      stderr: '--persons: must be a whole number from 1,000 to 1,000,000 (got 999)\n',
    });
  });
});

describe('output to a reader that went away', () => {
  test.each([[['help', 'report']], [['report', '--help']], [['--help']]])(
    '%j ends quietly with exit code 0',
    async (args) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: cliEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The reader goes away before the command writes a byte.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    },
  );
});
