import { execFileSync } from 'node:child_process';
import fs, {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OutTargetError, outTarget, readyOutTarget, writeFileStreamed } from '../../src/report/stream';
import { readFifo } from './read-fifo';

/** Writes `text` through `writeFileStreamed` in two pieces. */
const writeText = (out: string, text: string) =>
  writeFileStreamed(out, async (sink) => {
    await sink.write(text.slice(0, 3));
    await sink.write(text.slice(3));
  });

describe('writeFileStreamed and outTarget: what stands at the path', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-out-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a regular file (beside it, then renamed), and makes a missing one with its folders', async () => {
    const file = path.join(dir, 'report.md');
    writeFileSync(file, 'old');
    await expect(outTarget(file)).resolves.toEqual({ file, straight: false });
    await expect(writeText(file, '# new\n')).resolves.toMatchObject({ file });
    expect(readFileSync(file, 'utf8')).toBe('# new\n');
    const deep = path.join(dir, 'a', 'b', 'report.md');
    await writeText(deep, 'x');
    expect(readFileSync(deep, 'utf8')).toBe('x');
    expect(readdirSync(dir).sort()).toEqual(['a', 'report.md']);
  });

  it('writes into a FIFO straight, leaving it a FIFO', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(outTarget(fifo)).resolves.toEqual({ file: fifo, straight: true });
    const reader = readFifo(fifo);
    try {
      await expect(writeText(fifo, '{"report":"海南"}\n')).resolves.toMatchObject({ file: fifo });
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(await reader.text).toBe('{"report":"海南"}\n');
    } finally {
      reader.close();
    }
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('follows a symbolic link: the file it names is written, the link stays a link', async () => {
    mkdirSync(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'target.json');
    writeFileSync(target, 'old');
    const link = path.join(dir, 'link.json');
    symlinkSync(path.join('real', 'target.json'), link);
    await expect(outTarget(link)).resolves.toEqual({ file: target, straight: false });
    await expect(writeText(link, '{"new":1}')).resolves.toMatchObject({ file: link });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(path.join('real', 'target.json'));
    expect(readFileSync(target, 'utf8')).toBe('{"new":1}');
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['target.json']);

    // A link to a file not yet there: that file is made, through a chain of two links.
    const dangling = path.join(dir, 'dangling.json');
    symlinkSync('link2.json', dangling);
    symlinkSync(path.join('real', 'new.json'), path.join(dir, 'link2.json'));
    await writeText(dangling, 'made');
    expect(readFileSync(path.join(dir, 'real', 'new.json'), 'utf8')).toBe('made');
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
  });

  it('writes into a character device straight', async () => {
    await expect(outTarget('/dev/null')).resolves.toEqual({ file: '/dev/null', straight: true });
  });

  it('refuses an empty path, a folder and a path through a file, naming the path as given', async () => {
    await expect(outTarget('')).rejects.toThrow(new OutTargetError('"" is not a file name'));
    await expect(outTarget(' ')).rejects.toThrow('" " is not a file name');
    await expect(outTarget(dir)).rejects.toThrow(`"${dir}" is a folder: give a file name`);
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    await expect(outTarget(path.join(file, 'x', 'report.json'))).rejects.toThrow(
      `"${path.join(file, 'x', 'report.json')}": ${file} is not a folder`,
    );
    // writeFileStreamed refuses them too, before writing anything.
    await expect(writeText(dir, 'x')).rejects.toBeInstanceOf(OutTargetError);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('refuses a folder above the file that cannot be looked into, naming the path and the folder', async () => {
    // Only a user without the right is refused a folder's stat (EACCES), and the tests may run as
    // root: the error is made for the one folder.
    const locked = path.join(dir, 'locked');
    const out = path.join(locked, 'report.json');
    const realStat = fs.statSync;
    const denied = jest.spyOn(fs, 'statSync').mockImplementation(((
      at: string,
      options?: fs.StatSyncOptions,
    ) => {
      if (at !== locked) return realStat(at, options);
      throw Object.assign(new Error(`EACCES: permission denied, stat '${at}'`), {
        code: 'EACCES',
        syscall: 'stat',
        path: at,
      });
    }) as typeof fs.statSync);
    try {
      const refused = new OutTargetError(
        `"${out}": cannot use the folder ${locked}: EACCES: permission denied`,
      );
      await expect(outTarget(out)).rejects.toThrow(refused);
      await expect(writeText(out, 'x')).rejects.toThrow(refused);
    } finally {
      denied.mockRestore();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  // procfs makes no folders: mkdir says ENOENT though the parent exists, on which Node's recursive
  // mkdir retried for ever at full CPU. Linux alone has it.
  (existsSync('/proc/self/status') ? it : it.skip)(
    'refuses at once, naming it, a folder that cannot be made (/proc/nope)',
    async () => {
      const out = '/proc/nope/deeper/report.json';
      const refused = new OutTargetError(
        `"${out}": cannot make the folder /proc/nope: ENOENT: no such file or directory`,
      );
      // Raced against a timer, so that a write that never ends fails rather than hangs the suite.
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('still making folders after 5 s')), 5_000);
      });
      try {
        await expect(Promise.race([writeText(out, 'x'), hung])).rejects.toThrow(refused);
        await expect(Promise.race([readyOutTarget(out), hung])).rejects.toThrow(refused);
      } finally {
        clearTimeout(timer);
      }
      await expect(outTarget(out)).resolves.toEqual({ file: out, straight: false });
    },
  );
});
