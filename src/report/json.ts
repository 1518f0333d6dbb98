/**
 * The report as JSON: the analysis report itself, narrowed to the requested cases and masked when
 * asked, with a `problems` list added only when something asked for could not be reported.
 *
 * The CLI streams the report (`streamJsonReport`; into a file through src/report/stream.ts): each
 * top-level field, and the items of its arrays and the entity labels a batch at a time, are
 * serialised on their own, into the same bytes `JSON.stringify(report)` gives (with `pretty`,
 * `JSON.stringify(report, null, 2)`). At a million persons the document is 1.5 GB (2.2 GB
 * indented), more than the longest string V8 can hold; streamed, the contacts are built as they are
 * written (src/analysis/report.ts `toLazyReport`).
 *
 * Compact is the default: the indentation is a third of the bytes of a large report, and about a
 * fifth of the time writing it (at a million persons, see bench/README.md); nobody reads a 2 GB
 * file by eye, and `jq` indents what it prints anyway.
 */
import { collectContacts } from '../analysis/report';
import type { AnalysisReport, LazyAnalysisReport } from '../analysis/report-model';
import { maskReport } from './mask';
import { prepareReport } from './select';
import type { TextSink } from './stream';
import { reportAllDone, type ProgressListener } from './view';

export interface JsonOptions {
  caseIds?: string[];
  mask?: boolean;
  problems?: string[];
  /** Indented by two spaces, as `JSON.stringify(…, null, 2)`; compact (one line) otherwise. */
  pretty?: boolean;
}

export type JsonReport = AnalysisReport & { problems?: string[] };

/** The narrowed (and masked) report as a value. */
export function jsonReport(report: AnalysisReport, options: JsonOptions = {}): JsonReport {
  const { shown, problems } = prepareReport(report, options);
  return problems.length ? { ...shown, problems } : shown;
}

/** The report as one string: for small reports and tests (the CLI streams, see `streamJsonReport`). */
export function renderJson(report: AnalysisReport, options: JsonOptions = {}): string {
  return `${JSON.stringify(jsonReport(report, options), null, options.pretty ? 2 : undefined)}\n`;
}

/**
 * Hands text to the sink a piece at a time: small text (keys, brackets, commas) waits, and goes
 * just before the next piece, as a write of its own. Joined to the piece, it would make a new
 * string that the sink copies whole before encoding it (a piece is a slice of what
 * `JSON.stringify` returned, which needs no copy): at a million persons 1.5 GB copied, 5–6 s of a
 * 30 s document (bench/README.md).
 */
class PieceWriter {
  private pending = '';

  constructor(private readonly sink: TextSink) {}

  /** Small text, sent before the next piece. */
  add(text: string): void {
    this.pending += text;
  }

  /** Sends any small text added before `text`, then `text`. */
  async send(text: string): Promise<void> {
    await this.flush();
    await this.sink.write(text);
  }

  async end(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending) return;
    const pending = this.pending;
    this.pending = '';
    await this.sink.write(pending);
  }
}

/**
 * Items (or entries) are stringified this many at a time: one `JSON.stringify` per item costs
 * more than one over many (at 100,000 persons there are ~75,000 contacts and as many entity
 * labels), and so, measured, do batches of hundreds: their text outgrows the young generation.
 */
const BATCH_ITEMS = 64;

/**
 * How a document is laid out: the text between its parts, and the text of a batch of items (or
 * entries) of a top-level field and of a value written whole, as `JSON.stringify` gives them there.
 */
interface Layout {
  /** Before each top-level key (after `{` or `,`). */
  field: string;
  /** Between a key and its value. */
  colon: string;
  /** Before each item or entry of a top-level field (after `[`, `{` or `,`). */
  item: string;
  /** Before the closing bracket of a top-level field that has items. */
  fieldEnd: string;
  /** Before the document's closing brace. */
  end: string;
  items(items: readonly unknown[]): string;
  entries(entries: object): string;
  value(value: unknown): string;
}

/**
 * Indented: each batch is stringified inside a one-item array and the wrapper's text cut off
 * (`[\n  [\n    ` before, `\n  ]\n]` after), so the indentation of a field one level below the top
 * comes out right without rewriting the text.
 */
const PRETTY: Layout = {
  field: '\n  ',
  colon: ': ',
  item: '\n    ',
  fieldEnd: '\n  ',
  end: '\n',
  items: (items) => JSON.stringify([items], null, 2).slice(10, -6),
  entries: (entries) => JSON.stringify([entries], null, 2).slice(10, -6),
  // A top-level value (`[\n  ` before, `\n]` after).
  value: (value) => JSON.stringify([value], null, 2).slice(4, -2),
};

const COMPACT: Layout = {
  field: '',
  colon: ':',
  item: '',
  fieldEnd: '',
  end: '',
  items: (items) => JSON.stringify(items).slice(1, -1),
  entries: (entries) => JSON.stringify(entries).slice(1, -1),
  // Inside an array, as a field's value: `undefined` and functions become null there too.
  value: (value) => JSON.stringify([value]).slice(1, -1),
};

/** What JSON.stringify leaves out of an object. */
const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

const isIterable = (value: object): value is Iterable<unknown> =>
  typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';

/** An array (or other iterable) as a top-level field's value, a batch of items at a time. */
async function writeItems(items: Iterable<unknown>, out: PieceWriter, layout: Layout): Promise<void> {
  let batch: unknown[] = [];
  let first = true;
  const emit = async () => {
    const text = layout.items(batch);
    batch = [];
    out.add(`${first ? '[' : ','}${layout.item}`);
    await out.send(text);
    first = false;
  };
  for (const item of items) {
    batch.push(item);
    if (batch.length === BATCH_ITEMS) await emit();
  }
  if (batch.length > 0) await emit();
  out.add(first ? '[]' : `${layout.fieldEnd}]`);
}

/** An object as a top-level field's value (the entity labels), a batch of entries at a time. */
async function writeEntries(
  object: Record<string, unknown>,
  out: PieceWriter,
  layout: Layout,
): Promise<void> {
  // Without a prototype, a `__proto__` key is an entry like any other.
  const newBatch = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;
  let batch = newBatch();
  let size = 0;
  let first = true;
  const emit = async () => {
    const text = layout.entries(batch);
    batch = newBatch();
    size = 0;
    out.add(`${first ? '{' : ','}${layout.item}`);
    await out.send(text);
    first = false;
  };
  // Object.keys lists the keys in the order JSON.stringify does (integer-like keys first), so
  // each batch keeps them in that order too.
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (omitted(value)) continue;
    batch[key] = value;
    if (++size === BATCH_ITEMS) await emit();
  }
  if (size > 0) await emit();
  out.add(first ? '{}' : `${layout.fieldEnd}}`);
}

/**
 * Writes a plain JSON object as `JSON.stringify(document)` (with `pretty`,
 * `JSON.stringify(document, null, 2)`) followed by a newline would read, but in pieces: top-level
 * arrays and iterables (a lazy report's contacts) a batch of items at a time, top-level objects a
 * batch of entries at a time. Everything else is written whole.
 */
export async function writeJsonDocument(
  document: object,
  sink: TextSink,
  options: { pretty?: boolean } = {},
): Promise<void> {
  const layout = options.pretty ? PRETTY : COMPACT;
  const out = new PieceWriter(sink);
  let first = true;
  // Each value read when its turn comes: a lazy report's entity labels are complete once its
  // contacts, written before them, have been built (src/analysis/report.ts).
  for (const key of Object.keys(document)) {
    const value: unknown = (document as Record<string, unknown>)[key];
    if (omitted(value)) continue;
    out.add(`${first ? '{' : ','}${layout.field}${JSON.stringify(key)}${layout.colon}`);
    first = false;
    if (value === null || typeof value !== 'object' || 'toJSON' in value) out.add(layout.value(value));
    else if (isIterable(value)) await writeItems(value, out, layout);
    else await writeEntries(value as Record<string, unknown>, out, layout);
  }
  out.add(first ? '{}\n' : `${layout.end}}\n`);
  await out.end();
}

export interface WriteJsonOptions extends JsonOptions {
  /** Called once per case reported: `done` of `total`. */
  onProgress?: ProgressListener;
}

/**
 * Streams the report as JSON into `sink`: a lazy report's contacts are built while they are
 * written, masked or not (masking reads the labels and the cases' timelines only). Narrowing to
 * cases needs the whole report, so with it the contacts are collected first. Returns the problems
 * reported (unknown case ids).
 */
export async function streamJsonReport(
  report: LazyAnalysisReport | AnalysisReport,
  sink: TextSink,
  options: WriteJsonOptions = {},
): Promise<{ problems: string[] }> {
  const narrowed = Boolean(options.caseIds?.length || options.problems?.length);
  const document: LazyAnalysisReport | JsonReport = narrowed
    ? jsonReport(
        Array.isArray(report.contacts) ? (report as AnalysisReport) : collectContacts(report),
        options,
      )
    : options.mask
      ? maskReport(report)
      : report;
  await writeJsonDocument(document, sink, { pretty: options.pretty });
  const problems = (document as JsonReport).problems ?? [];
  reportAllDone(document.cases, options.onProgress);
  return { problems };
}
