import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { LazyAnalysisReport } from '../../src/analysis/report-model';
import { jsonReport, renderJson, streamJsonReport, writeJsonDocument } from '../../src/report/json';
import { fdSink, streamSink, writeFileStreamed, writesBlock, type TextSink } from '../../src/report/stream';
import { analysisReportFixture } from './fixtures';

describe('renderJson', () => {
  it('prints the whole report as it is when nothing is asked', () => {
    const text = renderJson(analysisReportFixture());
    expect(JSON.parse(text)).toEqual(analysisReportFixture());
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('narrows to the asked cases and lists the unknown ids', () => {
    const report = JSON.parse(renderJson(analysisReportFixture(), { caseIds: ['P09', 'nope'] }));
    expect(report.cases.map((c: { personId: string }) => c.personId)).toEqual(['P09']);
    expect(report.chains.map((c: { id: string }) => c.id)).toEqual(['C3']);
    expect(report.contacts.map((c: { personId: string }) => c.personId)).toEqual(['K06']);
    expect(report.sources.map((s: { id: string }) => s.id)).toEqual(['M01']);
    expect(report.riskAreas.map((a: { placeId: string }) => a.placeId)).toEqual(['M01']);
    expect(report.problems).toEqual([
      'unknown case id "nope": not a case in this report (as of 2022-08-10 20:00)',
    ]);
  });

  it('adds no problems field when there are none, and masks when asked', () => {
    const report = jsonReport(analysisReportFixture(), { caseIds: ['P01'], mask: true });
    expect('problems' in report).toBe(false);
    expect(report.entities.K01).toEqual({
      kind: 'person',
      name: '何**',
      detail: 'fisherman',
      phone: '138****1234',
      age: 67,
      sex: 'M',
      homeId: 'H04',
    });
    expect(report.entities.P07).toBeUndefined();
  });
});

/** A sink that keeps what it is given, chunk by chunk. */
function collectingSink(): TextSink & { chunks: string[]; text(): string } {
  const chunks: string[] = [];
  return {
    chunks,
    write(chunk) {
      chunks.push(chunk);
      return Promise.resolve();
    },
    text: () => chunks.join(''),
  };
}

async function streamed(document: object, pretty = false): Promise<string> {
  const sink = collectingSink();
  await writeJsonDocument(document, sink, { pretty });
  return sink.text();
}

/** What `JSON.stringify` gives for a document, in either layout, with the newline after it. */
const stringified = (document: unknown, pretty = false): string =>
  `${pretty ? JSON.stringify(document, null, 2) : JSON.stringify(document)}\n`;

const LAYOUTS = [
  ['compact', false],
  ['indented', true],
] as const;

/** The fixture with its contacts as a generator, as toLazyReport gives them. */
function lazyFixture(): LazyAnalysisReport {
  const report = analysisReportFixture();
  const contacts = report.contacts;
  return {
    ...report,
    contacts: {
      *[Symbol.iterator]() {
        yield* contacts;
      },
    },
  };
}

describe.each(LAYOUTS)('writeJsonDocument, %s', (_layout, pretty) => {
  it('writes the bytes JSON.stringify gives, for the report and for edge cases', async () => {
    const report = analysisReportFixture();
    expect(await streamed(report, pretty)).toBe(stringified(report, pretty));
    const edges = [
      {},
      { a: [], b: {}, c: undefined, d: null, e: 'two\nlines "quoted"', f: 1.5e-7, g: -0, h: '中文 ✓' },
      { list: [undefined, 1, { x: undefined, y: [[], {}] }, () => 1], fn: () => 1, text: 'x' },
      { nested: { deep: { deeper: [1, { k: 'v' }] }, skipped: undefined }, last: [{ a: 1 }, { b: [2, 3] }] },
      { at: new Date(Date.UTC(2022, 7, 1)), n: 0 },
      // Integer-like keys come first; `__proto__` is an own key of parsed JSON.
      JSON.parse('{"labels": {"b": 1, "10": 2, "__proto__": {"x": 3}, "2": 4, "a": null}}') as object,
      { many: Array.from({ length: 300 }, (_, i) => ({ i, odd: i % 2 ? undefined : [i] })) },
      {
        labels: Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [`K${i}`, i % 3 ? { i } : undefined]),
        ),
      },
    ];
    for (const document of edges)
      expect(await streamed(document, pretty)).toBe(stringified(document, pretty));
  });

  it('writes an iterable field as the array of its items', async () => {
    const lazy = lazyFixture();
    expect(await streamed(lazy, pretty)).toBe(stringified(analysisReportFixture(), pretty));
    const empty = { before: 1, items: (function* () {})(), after: 2 };
    expect(await streamed(empty, pretty)).toBe(stringified({ before: 1, items: [], after: 2 }, pretty));
  });

  it('hands a long document on in bounded chunks', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `P${i}`, reasons: 'x'.repeat(100) }));
    const sink = collectingSink();
    await writeJsonDocument({ items }, sink, { pretty });
    expect(sink.text()).toBe(stringified({ items }, pretty));
    expect(sink.chunks.length).toBeGreaterThan(5);
    for (const chunk of sink.chunks) expect(chunk.length).toBeLessThan(70_000);
  });

  it('hands each batch of items on by itself, the brackets and commas around it apart', async () => {
    // Joined to the text before it, a batch would be a new string the sink must copy whole.
    const items = Array.from({ length: 150 }, (_, i) => ({ id: `P${i}` }));
    const entries = Object.fromEntries(items.map(({ id }, i) => [id, { i }]));
    const sink = collectingSink();
    await writeJsonDocument({ items, entries }, sink, { pretty });
    const batches = <T>(list: T[]): T[][] => [list.slice(0, 64), list.slice(64, 128), list.slice(128)];
    const itemTexts = batches(items).map((batch) => JSON.stringify([batch], null, pretty ? 2 : undefined));
    const entryTexts = batches(Object.entries(entries)).map((batch) =>
      JSON.stringify([Object.fromEntries(batch)], null, pretty ? 2 : undefined),
    );
    const texts = pretty
      ? [...itemTexts, ...entryTexts].map((t) => t.slice(10, -6))
      : [...itemTexts, ...entryTexts].map((t) => t.slice(2, -2));
    expect(sink.chunks.filter((chunk) => chunk.includes('P'))).toEqual(texts);
    expect(sink.text()).toBe(stringified({ items, entries }, pretty));
  });
});

describe('streamJsonReport', () => {
  it('streams a lazy report as renderJson renders the whole one', async () => {
    const sink = collectingSink();
    const { problems } = await streamJsonReport(lazyFixture(), sink);
    expect(problems).toEqual([]);
    expect(sink.text()).toBe(renderJson(analysisReportFixture()));
  });

  it('is one line unless asked to indent, and indents as JSON.stringify(…, null, 2) with pretty', async () => {
    const compact = collectingSink();
    await streamJsonReport(lazyFixture(), compact);
    expect(compact.text()).toBe(stringified(analysisReportFixture()));
    expect(compact.text().indexOf('\n')).toBe(compact.text().length - 1);
    const indented = collectingSink();
    await streamJsonReport(lazyFixture(), indented, { pretty: true });
    expect(indented.text()).toBe(stringified(analysisReportFixture(), true));
    expect(indented.text()).toBe(renderJson(analysisReportFixture(), { pretty: true }));
  });

  it('masked, still builds the contacts as it writes them, into the bytes renderJson gives', async () => {
    const report = lazyFixture();
    const contacts = report.contacts;
    let pulled = 0;
    const counted: LazyAnalysisReport = {
      ...report,
      contacts: {
        *[Symbol.iterator]() {
          for (const contact of contacts) {
            pulled += 1;
            yield contact;
          }
        },
      },
    };
    const sink = collectingSink();
    const pulledAtWrite: number[] = [];
    const write = sink.write.bind(sink);
    sink.write = (chunk) => {
      pulledAtWrite.push(pulled);
      return write(chunk);
    };
    await streamJsonReport(counted, sink, { mask: true });
    expect(sink.text()).toBe(renderJson(analysisReportFixture(), { mask: true }));
    // Written before the first contact was built: collected first, every write would see them all.
    expect(pulled).toBe(analysisReportFixture().contacts.length);
    expect(pulledAtWrite[0]).toBe(0);
  });

  it('narrows and masks as renderJson does, returning the problems', async () => {
    const options = { caseIds: ['P09', 'nope'], mask: true };
    const sink = collectingSink();
    const calls: string[] = [];
    const { problems } = await streamJsonReport(lazyFixture(), sink, {
      ...options,
      onProgress: (done, total, caseId) => calls.push(`${done}/${total} ${caseId}`),
    });
    expect(sink.text()).toBe(renderJson(analysisReportFixture(), options));
    expect(problems).toEqual(['unknown case id "nope": not a case in this report (as of 2022-08-10 20:00)']);
    expect(calls).toEqual(['1/1 P09']);
  });
});

/** A writable that takes a while over each chunk. */
function slowWritable(highWaterMark: number): Writable & { received: string[] } {
  const received: string[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      received.push(chunk);
      setTimeout(done, 1);
    },
  });
  return Object.assign(stream, { received });
}

describe('streamSink', () => {
  it('waits for the stream to drain before taking more', async () => {
    const stream = slowWritable(16 * 1024);
    const sink = streamSink(stream, 'out.json');
    const chunk = 'x'.repeat(10 * 1024);
    for (let i = 0; i < 20; i++) {
      await sink.write(chunk);
      expect(stream.writableLength).toBeLessThan(stream.writableHighWaterMark);
    }
    await sink.settled();
    expect(stream.writableLength).toBe(0);
    expect(stream.received.join('')).toBe(chunk.repeat(20));
    sink.release();
  });

  it('fails with the name of what it writes to when the stream fails', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    const sink = streamSink(stream, '/reports/out.json');
    const writing = (async () => {
      for (let i = 0; i < 10; i++) await sink.write('x'.repeat(20_000));
      await sink.settled();
    })();
    await expect(writing).rejects.toThrow(
      'cannot write the report to /reports/out.json: no space left on device',
    );
    await expect(writing).rejects.toMatchObject({ code: 'ENOSPC' });
    sink.release();
  });
});

describe('fdSink', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-fd-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every chunk whole, in order: longer than its buffer, multi-byte, surrogate pairs at the cuts', async () => {
    const file = path.join(dir, 'out.json');
    const fd = openSync(file, 'w');
    // A buffer of 12 bytes takes pieces of 4 code units: cuts fall inside the pairs of 🦠 and 𝒳.
    const sink = fdSink(fd, file, 12);
    const chunks = ['{"a":', '"海南三亚崖州"', ',"b":"🦠🦠x🦠𝒳𝒳"', ',"c":"' + 'é'.repeat(1000) + '"}', ''];
    try {
      for (const chunk of chunks) await sink.write(chunk);
      await sink.settled();
    } finally {
      closeSync(fd);
      sink.release();
    }
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(chunks.join(''));
    expect(sink.bytes).toBe(Buffer.byteLength(written));
    expect(JSON.parse(written).b).toBe('🦠🦠x🦠𝒳𝒳');
    expect(readFileSync(file)).toEqual(Buffer.from(chunks.join(''), 'utf8'));
  });

  it('fails with the name of what it writes to, keeping the system error code', async () => {
    const fd = openSync(path.join(dir, 'closed.json'), 'w');
    closeSync(fd);
    const sink = fdSink(fd, 'standard output');
    await expect(sink.write('{}')).rejects.toThrow(/^cannot write the report to standard output: EBADF/);
    await expect(sink.write('{}')).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('is used for file descriptors whose writes block: files and /dev/null, not pipes', () => {
    const fd = openSync(path.join(dir, 'out.json'), 'w');
    const devNull = openSync('/dev/null', 'w');
    // A named pipe, opened for reading and writing so that opening it does not wait for a reader.
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const pipe = openSync(fifo, 'r+');
    try {
      expect([writesBlock(fd), writesBlock(devNull), writesBlock(pipe)]).toEqual([true, true, false]);
    } finally {
      for (const d of [fd, devNull, pipe]) closeSync(d);
    }
  });
});

describe('writeFileStreamed (a JSON report)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-json-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the report into a new folder, with nothing left beside it', async () => {
    const out = path.join(dir, 'reports', 'report.json');
    const { file, value } = await writeFileStreamed(out, (sink) => streamJsonReport(lazyFixture(), sink));
    expect(file).toBe(out);
    expect(value.problems).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe(renderJson(analysisReportFixture()));
    expect(readdirSync(path.join(dir, 'reports'))).toEqual(['report.json']);
  });

  it('a write that fails half way reports its own error and leaves no file behind', async () => {
    const out = path.join(dir, 'report.json');
    const failing = writeFileStreamed(out, async (sink) => {
      for (let i = 0; i < 50; i++) await sink.write(`{"chunk":${i}}`);
      throw new Error('the analysis failed');
    });
    await expect(failing).rejects.toThrow('the analysis failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the file when it cannot be written, and leaves no file behind', async () => {
    const out = path.join(dir, 'report.json');
    mkdirSync(`${out}.${process.pid}.partial`); // the partial file cannot be opened
    await expect(writeFileStreamed(out, (sink) => streamJsonReport(lazyFixture(), sink))).rejects.toThrow(
      `cannot write the report to ${out}: EISDIR`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
