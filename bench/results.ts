/**
 * Benchmark results: the machine-readable record (bench/results.json) and its rendering as
 * bench/RESULTS.md, one table per part, each row the median of its runs with the min–max spread
 * and, where there is a peer, the ratio tracegraph / peer (above 1: tracegraph took longer).
 */
import type { BenchOptions } from './args';
import type { MachineInfo } from './machine';
import {
  formatBytes,
  formatCount,
  formatRatio,
  formatSeconds,
  formatSpread,
  rate,
  significant,
  summarise,
  type Spread,
} from './stats';

/** One thing measured at one size, over its runs. */
export interface Measure {
  seconds: number[];
  /** Peak RSS of the measuring process, per run. */
  peakRssBytes: number[];
  /** Everything else each run reported (counts, phases, ...). */
  runs: Record<string, unknown>[];
  /** Why runs failed, one entry per failed run. */
  failures?: string[];
  /** Seconds of the runs stopped at the time limit (`--peer-limit`): lower bounds, not times. */
  stoppedAfter?: number[];
  /** Set when the measure was kept from an earlier run (`--merge`). */
  measured?: Provenance;
}

export const MEASURES = {
  'import.tracegraph.neo4j': 'tracegraph import → Neo4j',
  'import.loadcsv.neo4j': 'LOAD CSV → Neo4j (peer)',
  'import.tracegraph.embedded': 'tracegraph import → embedded',
  'import.csvparse': 'csv-parse only (floor)',
  'contacts.tracegraph.neo4j': 'tracegraph exposures (load + derive) on Neo4j',
  'contacts.cypher.neo4j': 'Cypher co-presence query (peer)',
  'analysis.embedded': 'full analysis, embedded',
  'analysis.neo4j': 'full analysis, Neo4j',
  'report.html.embedded': 'tracegraph report --format html, embedded',
  'report.md.embedded': 'tracegraph report --format md, embedded',
  'report.csv.embedded': 'tracegraph report --format csv, embedded',
} as const;
export type MeasureId = keyof typeof MEASURES;

/** Whether a measure runs on Neo4j (its id says so). */
export const isNeo4jMeasure = (id: string): boolean => id.endsWith('.neo4j');

/** How the note that a size's Neo4j rows were not run (above --neo4j-max) begins. */
export const NEO4J_NOT_RUN = 'Neo4j rows not run';

export interface ContactComparison {
  tracegraphPairs: number;
  cypherPairs: number;
  common: number;
  onlyTracegraph: string[];
  onlyCypher: string[];
}

/** When and from what a figure was measured: set on sizes kept from an earlier run (`--merge`). */
export interface Provenance {
  date: string;
  commit: string | null;
  dirty: boolean;
  runs: number;
}

export interface SizeResult {
  persons: number;
  /** Set when the size was measured by an earlier run than the one in the header. */
  measured?: Provenance;
  rows: number;
  rowsByFile: Record<string, number>;
  cases: number;
  generation: { seconds: number; cached: boolean; generatedAt: string; peakRssBytes: number | null };
  measures: Partial<Record<MeasureId, Measure>>;
  contacts: ContactComparison | null;
  /** Why a part did not run at this size. */
  skipped: string[];
}

/** One operation under load. */
export interface ApiOperation {
  /** Seconds of the first request, alone (runs the analysis when it is not cached). */
  firstSeconds: number;
  firstGood: boolean;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  firstError: string | null;
}

export const API_OPERATIONS = {
  caseWithContacts:
    'case with contacts, from the analysis (window, infector, first 20 exposed persons with tiers)',
  personWithStays:
    "case's person from the records (case, samples, home, household, reported contacts, first 20 stays)",
} as const;

export interface ApiResult {
  persons: number;
  /** Set when the API was measured by an earlier run than the one in the header. */
  measured?: Provenance;
  connections: number;
  seconds: number;
  operations: Record<keyof typeof API_OPERATIONS, ApiOperation>;
  serverPeakRssBytes: number | null;
  large: {
    persons: number;
    stays: number;
    bytes: number;
    seconds: number[];
    errors: number;
    cost: number;
    maxComplexity: number;
    defaultMaxComplexity: number;
  };
}

export interface BenchResults {
  machine: MachineInfo;
  options: BenchOptions;
  neo4j: {
    mode: 'launched' | 'external' | 'not used';
    version: string;
    heap: string | null;
    pageCache: string | null;
    peakRssBytes: number | null;
  };
  /** Peak RSS of a step process that does nothing (node + tsx). */
  baselineRssBytes: number | null;
  startedAt: string;
  finishedAt: string | null;
  sizes: SizeResult[];
  api: ApiResult | null;
  notes: string[];
}

const provenanceOf = (results: BenchResults): Provenance => ({
  date: results.machine.date,
  commit: results.machine.commit,
  dirty: results.machine.dirty,
  runs: results.options.runs,
});

/**
 * `--merge`: this run's results, plus what `previous` holds that this run did not measure: whole
 * sizes, measures of a size this run measured only in part (`--only`), and the API run. Each kept
 * part is marked with the run it came from; sizes in ascending order.
 */
export function mergeResults(previous: BenchResults, current: BenchResults): BenchResults {
  const earlierRun = provenanceOf(previous);
  const byPersons = new Map(previous.sizes.map((s) => [s.persons, s]));
  const measuredNow = new Set(current.sizes.map((s) => s.persons));
  const completed = current.sizes.map((size) => {
    const old = byPersons.get(size.persons);
    if (!old) return size;
    const from = old.measured ?? earlierRun;
    const measures = { ...size.measures };
    for (const [id, m] of Object.entries(old.measures) as [MeasureId, Measure][]) {
      if (!measures[id]) measures[id] = { ...m, measured: m.measured ?? from };
    }
    // "Neo4j rows not run" is stale once Neo4j rows of this size are kept from an earlier run.
    const neo4jKept = Object.keys(measures).some(isNeo4jMeasure);
    const skipped = neo4jKept ? size.skipped.filter((why) => !why.startsWith(NEO4J_NOT_RUN)) : size.skipped;
    return { ...size, measures, skipped, contacts: size.contacts ?? old.contacts };
  });
  const kept = previous.sizes
    .filter((s) => !measuredNow.has(s.persons))
    .map((s): SizeResult => {
      if (s.measured) return s;
      const measures = Object.entries(s.measures) as [MeasureId, Measure][];
      // Measured whole by the earlier run: the size is marked with it. Partly kept by that run
      // from older ones: each measure keeps its own run, the others are marked with the earlier.
      if (measures.every(([, m]) => !m.measured)) return { ...s, measured: earlierRun };
      return {
        ...s,
        measures: Object.fromEntries(
          measures.map(([id, m]) => [id, { ...m, measured: m.measured ?? earlierRun }]),
        ) as SizeResult['measures'],
      };
    });
  const sizes = [...completed, ...kept].sort((a, b) => a.persons - b.persons);
  const api =
    current.api ?? (previous.api ? { ...previous.api, measured: previous.api.measured ?? earlierRun } : null);
  // The note that 1M was not run is stale once a kept size is 1M.
  const notes = sizes.some((s) => s.persons >= 1_000_000)
    ? current.notes.filter((n) => !n.startsWith('1M persons: not run'))
    : current.notes;
  return { ...current, sizes, api, notes };
}

const describeProvenance = (p: Provenance): string =>
  `${p.date} at commit ${p.commit ?? 'unknown'}${p.dirty ? ' (with uncommitted changes)' : ''}, ${p.runs} run${p.runs === 1 ? '' : 's'} per measurement`;

const sizeLabel = (persons: number): string =>
  persons >= 1_000_000 && persons % 1_000_000 === 0
    ? `${persons / 1_000_000}M`
    : persons >= 1000 && persons % 1000 === 0
      ? `${persons / 1000}k`
      : formatCount(persons);

/** What failed: `failed (3 of 3 runs)`, or '' when every run succeeded. */
function failedNote(m: Measure | undefined): string {
  const failed = m?.failures?.length ?? 0;
  if (!m || failed === 0) return '';
  return `failed (${failed} of ${runsOf(m)} run${runsOf(m) === 1 ? '' : 's'})`;
}

/** Every run of a measure: those with a time, those that failed and those stopped at the limit. */
function runsOf(m: Measure): number {
  return m.seconds.length + (m.failures?.length ?? 0) + (m.stoppedAfter?.length ?? 0);
}

/** Runs stopped at the time limit: `stopped at the limit (1 of 3 runs)`, or ''. */
function stoppedNote(m: Measure | undefined): string {
  const stopped = m?.stoppedAfter?.length ?? 0;
  if (!m || stopped === 0) return '';
  return runsOf(m) === 1 ? 'stopped at the limit' : `stopped at the limit (${stopped} of ${runsOf(m)} runs)`;
}

/** The shortest run stopped at the limit: every stopped run took at least this long. */
function lowerBound(m: Measure | undefined): number | null {
  return m?.stoppedAfter?.length ? Math.min(...m.stoppedAfter) : null;
}

/**
 * Median (min–max) of the runs that succeeded, with a note of the runs that failed; a measure
 * whose every run was stopped at the time limit shows that limit as a lower bound.
 */
function timeCell(m: Measure | undefined): string {
  const s = secondsOf(m);
  const notes = [failedNote(m), stoppedNote(m)].filter(Boolean).join('; ');
  const bound = lowerBound(m);
  if (!s && bound !== null) return `> ${formatSeconds(bound)} (${notes})`;
  if (!s) return notes || '–';
  return notes ? `${formatSpread(s)}; ${notes}` : formatSpread(s);
}

function secondsOf(m: Measure | undefined): Spread | null {
  return m && m.seconds.length ? summarise(m.seconds) : null;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function rowsPerSecond(rows: number, s: Spread): string {
  // The fastest run gives the highest rate: median (from slowest–fastest).
  const fmt = (seconds: number) => formatCount(rate(rows, seconds));
  return s.runs === 1 || s.min === s.max ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.max)}–${fmt(s.min)})`;
}

function peak(m: Measure | undefined): string {
  return m && m.peakRssBytes.length ? formatSpread(summarise(m.peakRssBytes), formatBytes) : '–';
}

function ratioOf(ours: Measure | undefined, theirs: Measure | undefined): string {
  const a = secondsOf(ours);
  const b = secondsOf(theirs);
  if (a && b) return formatRatio(a.median, b.median);
  // The peer was stopped at the limit in every run: it would have taken longer than that.
  const bound = lowerBound(theirs);
  return a && bound !== null ? `< ${formatRatio(a.median, bound)}` : '–';
}

function importTable(results: BenchResults): string {
  const rows: string[][] = [];
  const pairs: [MeasureId, MeasureId | null][] = [
    ['import.tracegraph.neo4j', 'import.loadcsv.neo4j'],
    ['import.loadcsv.neo4j', null],
    ['import.tracegraph.embedded', 'import.csvparse'],
    ['import.csvparse', null],
  ];
  for (const size of results.sizes) {
    for (const [id, peer] of pairs) {
      const m = size.measures[id];
      if (!m) continue;
      const s = secondsOf(m);
      const stored = storedWhenStopped(m);
      rows.push([
        sizeLabel(size.persons),
        MEASURES[id],
        stored && !s
          ? `${formatCount(size.rows)} (${formatCount(stored.rows)} stored when stopped)`
          : formatCount(size.rows),
        timeCell(m),
        s ? rowsPerSecond(size.rows, s) : stored ? formatCount(rate(stored.rows, stored.seconds)) : '–',
        peak(m),
        peer ? ratioOf(m, size.measures[peer]) : '',
      ]);
    }
  }
  if (!rows.length) return '_Not run._';
  return table(
    ['Size', 'What', 'Rows', 'Time, median (min–max)', 'Rows/s', 'Peak RSS (client)', 'tracegraph / peer'],
    rows,
  );
}

/** The records stored by the first run stopped at the limit, and its seconds. */
function storedWhenStopped(m: Measure): { rows: number; seconds: number } | null {
  // Stopped runs are recorded in the same order in runs and stoppedAfter.
  const first = m.runs.find((r) => r.stopped === true);
  const seconds = m.stoppedAfter?.[0];
  if (!first || typeof first.rowsStored !== 'number' || seconds === undefined) return null;
  return { rows: first.rowsStored, seconds };
}

/** Median seconds of each phase over the runs of a measure, slowest first. */
function medianPhases(m: Measure): (readonly [string, number])[] {
  const totals = new Map<string, number[]>();
  for (const run of m.runs) {
    for (const [phase, seconds] of Object.entries((run.phases ?? {}) as Record<string, number>)) {
      totals.set(phase, [...(totals.get(phase) ?? []), seconds]);
    }
  }
  return [...totals]
    .map(([phase, values]) => [phase, summarise(values).median] as const)
    .sort((a, b) => b[1] - a[1]);
}

/** Every phase of the full analysis at each size and store, slowest first. */
function analysisPhaseTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    for (const id of ['analysis.embedded', 'analysis.neo4j'] as const) {
      const m = size.measures[id];
      if (!m?.seconds.length) continue;
      const total = summarise(m.seconds).median;
      const phases = medianPhases(m);
      if (!phases.length) continue;
      rows.push([
        sizeLabel(size.persons),
        id === 'analysis.embedded' ? 'embedded' : 'Neo4j',
        phases
          .map(
            ([phase, seconds]) =>
              `${phase} ${formatSeconds(seconds)} (${significant((100 * seconds) / total)} %)`,
          )
          .join(', '),
      ]);
    }
  }
  if (!rows.length) return '';
  return `\nWhere the time goes (each phase, median over the runs, slowest first; where there is a \`network wait\`, the contact network's phases, from \`network edges\` to \`centrality\`, ran in a worker thread beside \`tiers\` to \`sources\`, so the shares add up to more than 100 %):\n\n${table(['Size', 'Store', 'Phases'], rows)}\n`;
}

/** The slowest phases of each import at the largest size where it ran. */
function phaseTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const id of [
    'import.tracegraph.neo4j',
    'import.loadcsv.neo4j',
    'import.tracegraph.embedded',
  ] as const) {
    const size = [...results.sizes].reverse().find((s) => s.measures[id]?.runs.length);
    const m = size?.measures[id];
    if (!size || !m) continue;
    const total = m.seconds.length ? summarise(m.seconds).median : lowerBound(m);
    if (total === null) continue;
    const phases = medianPhases(m).slice(0, 4);
    for (const [phase, seconds] of phases) {
      rows.push([
        sizeLabel(size.persons),
        MEASURES[id],
        phase,
        formatSeconds(seconds),
        `${significant((100 * seconds) / total)} %`,
      ]);
    }
  }
  if (!rows.length) return '';
  return `\nWhere the time goes (the four slowest phases, median over the runs):\n\n${table(['Size', 'Import', 'Phase', 'Time', 'Share'], rows)}\n`;
}

function contactsTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    const ours = size.measures['contacts.tracegraph.neo4j'];
    const theirs = size.measures['contacts.cypher.neo4j'];
    if (!ours && !theirs) continue;
    const c = size.contacts;
    const loads = ours?.runs.map((r) => Number(r.loadSeconds)).filter(Number.isFinite) ?? [];
    rows.push([
      sizeLabel(size.persons),
      timeCell(ours),
      loads.length ? formatSpread(summarise(loads)) : '–',
      timeCell(theirs),
      ratioOf(ours, theirs),
      peak(ours),
      c ? formatCount(c.tracegraphPairs) : '–',
      c ? formatCount(c.cypherPairs) : '–',
      c ? `${c.onlyTracegraph.length} / ${c.onlyCypher.length}` : '–',
    ]);
  }
  if (!rows.length) return '_Not run._';
  return table(
    [
      'Size',
      'tracegraph (load + derive)',
      'of which load',
      'Cypher query',
      'tracegraph / Cypher',
      'Peak RSS (tracegraph)',
      '(case, person, host) tracegraph',
      'Cypher',
      'only tracegraph / only Cypher',
    ],
    rows,
  );
}

/**
 * The CPU seconds of a measure's runs (`cpuSeconds`, every thread of the process) and, run by run,
 * how many cores that is over the run's time; '–' for runs measured before it was recorded.
 */
function coresCell(m: Measure): string {
  const cpu: number[] = [];
  const cores: number[] = [];
  // An analysis run is never stopped at a limit: its time and its record go in the same order.
  m.runs.forEach((run, i) => {
    const cpuSeconds = Number(run.cpuSeconds);
    const seconds = m.seconds[i];
    if (!Number.isFinite(cpuSeconds) || seconds === undefined || !(seconds > 0)) return;
    cpu.push(cpuSeconds);
    cores.push(cpuSeconds / seconds);
  });
  if (!cpu.length) return '–';
  return `${formatSpread(summarise(cpu))}, ${formatSpread(summarise(cores), (n) => n.toFixed(2))}`;
}

function analysisTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    for (const id of ['analysis.embedded', 'analysis.neo4j'] as const) {
      const m = size.measures[id];
      if (!m) continue;
      const last = m.runs.at(-1);
      const count = (key: string): string => (last ? formatCount(Number(last[key] ?? 0)) : '–');
      rows.push([
        sizeLabel(size.persons),
        id === 'analysis.embedded' ? 'embedded' : 'Neo4j',
        count('cases'),
        count('exposures'),
        count('staysLoaded'),
        timeCell(m),
        coresCell(m),
        peak(m),
        last ? formatBytes(Number(last.reportBytes ?? 0)) : '–',
      ]);
    }
  }
  if (!rows.length) return '_Not run._';
  return table(
    [
      'Size',
      'Store',
      'Cases',
      'Exposures',
      'Stays loaded',
      'Time, median (min–max)',
      'CPU time (all threads), cores used',
      'Peak RSS',
      'JSON report',
    ],
    rows,
  );
}

const REPORT_ROWS = [
  ['report.html.embedded', 'HTML'],
  ['report.md.embedded', 'Markdown'],
  ['report.csv.embedded', 'CSV (quarantine list)'],
] as const;

function reportTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    for (const [id, label] of REPORT_ROWS) {
      const m = size.measures[id];
      if (!m) continue;
      const values = (key: string): number[] => m.runs.map((r) => Number(r[key])).filter(Number.isFinite);
      const spread = (key: string, format?: (n: number) => string): string => {
        const v = values(key);
        return v.length ? formatSpread(summarise(v), format) : '–';
      };
      const last = m.runs.at(-1);
      rows.push([
        sizeLabel(size.persons),
        label,
        last ? formatCount(Number(last.cases ?? 0)) : '–',
        last ? formatCount(Number(last.contacts ?? 0)) : '–',
        timeCell(m),
        spread('renderSeconds'),
        peak(m),
        spread('bytes', formatBytes),
      ]);
    }
  }
  if (!rows.length) return '_Not run._';
  return table(
    [
      'Size',
      'Format',
      'Cases',
      'Contacts',
      'Time (analysis + render), median (min–max)',
      'of which render + write',
      'Peak RSS',
      'File',
    ],
    rows,
  );
}

function apiSection(results: BenchResults): string {
  const a = results.api;
  if (!a) return '_Not run._';
  const large = a.large.seconds.length ? formatSpread(summarise(a.large.seconds)) : '–';
  const limit =
    a.large.maxComplexity > a.large.defaultMaxComplexity
      ? ` The large query costs ${formatCount(a.large.cost)} by the API's pricing, over the default limit of ${formatCount(a.large.defaultMaxComplexity)}: the benchmark server runs with maxComplexity ${formatCount(a.large.maxComplexity)}.`
      : '';
  const errors = (Object.entries(a.operations) as [keyof typeof API_OPERATIONS, ApiOperation][])
    .filter(([, o]) => o.firstError)
    .map(([name, o]) => `\nFirst error of ${name}: ${o.firstError}`);
  return [
    `Embedded store, ${sizeLabel(a.persons)} district, 127.0.0.1, each operation cycling through the cases at ${a.connections} connections for ${a.seconds} s, after one request alone (which runs the analysis when nothing is cached).${limit} Server peak RSS over the whole part: ${a.serverPeakRssBytes === null ? '–' : formatBytes(a.serverPeakRssBytes)}.`,
    '',
    table(
      [
        'Operation',
        'First request',
        'Requests',
        'Requests/s',
        'p50',
        'p99',
        'non-2xx',
        'GraphQL errors',
        'connection errors / timeouts',
      ],
      (Object.entries(a.operations) as [keyof typeof API_OPERATIONS, ApiOperation][]).map(([name, o]) => [
        API_OPERATIONS[name],
        `${formatSeconds(o.firstSeconds)}${o.firstGood ? '' : ' (error)'}`,
        formatCount(o.requests),
        significant(o.requestsPerSecond),
        `${significant(o.p50Ms)} ms`,
        `${significant(o.p99Ms)} ms`,
        formatCount(o.non2xx),
        formatCount(o.graphqlErrors),
        `${formatCount(o.connectionErrors)} / ${formatCount(o.timeouts)}`,
      ]),
    ),
    ...errors,
    '',
    table(
      ['Large query', 'Stays returned', 'Response', 'Time, median (min–max)', 'Errors'],
      [
        [
          `${a.large.persons} persons with up to 100 stays each`,
          formatCount(a.large.stays),
          formatBytes(a.large.bytes),
          large,
          formatCount(a.large.errors),
        ],
      ],
    ),
  ].join('\n');
}

function generationTable(results: BenchResults): string {
  return table(
    ['Size', 'Rows', 'Cases', 'Generation', 'Peak RSS'],
    results.sizes.map((s) => [
      sizeLabel(s.persons),
      formatCount(s.rows),
      formatCount(s.cases),
      `${formatSeconds(s.generation.seconds)}${s.generation.cached ? ` (cached, ${s.generation.generatedAt.slice(0, 10)})` : ''}`,
      s.generation.peakRssBytes === null ? '–' : formatBytes(s.generation.peakRssBytes),
    ]),
  );
}

/** The node flags every step ran with beyond the CLI's own, as a note after the Node version. */
function stepFlags(o: BenchOptions): string {
  const flags = [
    ...(o.stackSizeKb == null ? [] : [`--stack-size=${o.stackSizeKb}`]),
    ...(o.maxOldSpaceMb == null ? [] : [`--max-old-space-size=${o.maxOldSpaceMb}`]),
  ];
  return flags.length ? ` (steps run with ${flags.join(' ')})` : '';
}

export function renderResultsMarkdown(results: BenchResults): string {
  const { machine: m, options: o, neo4j } = results;
  const sizes = o.sizes.map(sizeLabel).join(', ');
  const earlier = [
    ...results.sizes.flatMap((s) => {
      if (s.measured)
        return [`| ${sizeLabel(s.persons)} persons | all | ${describeProvenance(s.measured)} |`];
      const keptMeasures = (Object.entries(s.measures) as [MeasureId, Measure][]).filter(
        ([, m]) => m.measured,
      );
      return keptMeasures.map(
        ([id, m]) =>
          `| ${sizeLabel(s.persons)} persons | ${MEASURES[id]} | ${describeProvenance(m.measured!)} |`,
      );
    }),
    ...(results.api?.measured ? [`| API | all | ${describeProvenance(results.api.measured)} |`] : []),
  ];
  const earlierTable = earlier.length
    ? `\nKept from earlier runs (\`--merge\`), so measured at another commit and machine load:\n\n| Size | Rows | Measured |\n|---|---|---|\n${earlier.join('\n')}\n`
    : '';
  const skipped = results.sizes.flatMap((s) => s.skipped.map((why) => `- ${sizeLabel(s.persons)}: ${why}`));
  const failures = results.sizes.flatMap((s) =>
    (Object.entries(s.measures) as [MeasureId, Measure][]).flatMap(([id, m]) =>
      [...new Set(m.failures ?? [])].map(
        (why) => `- ${sizeLabel(s.persons)}, ${MEASURES[id]}: ${failedNote(m)}: ${why}`,
      ),
    ),
  );
  const notes = results.notes.map((n) => `- ${n}`);
  return `# tracegraph benchmarks

Generated by \`npm run bench\` (scripts/bench.js); machine-readable figures in [results.json](results.json).
What each row measures, and what is slow and why: [README.md](README.md).${results.finishedAt ? '' : '\n\n**This run did not finish: the tables hold what was measured before it stopped.**'}

| Machine | |
|---|---|
| Cores | ${m.cores} |
| Memory | ${formatBytes(m.memoryBytes)} |
| CPU | ${m.cpuModel} |
| Load average at start (1 min) | ${significant(m.loadAverage)}${m.loadAverage > m.cores ? ' (busy: other work shared the cores, figures are noisy)' : ''} |
| OS | ${m.platform} |
| Node | ${m.node}${stepFlags(o)} |
| Java | ${m.java ?? 'none'} |
| Neo4j | ${neo4j.mode === 'not used' ? 'not used' : `${neo4j.version} Community, ${neo4j.mode === 'launched' ? `started by the benchmark (heap ${neo4j.heap}, page cache ${neo4j.pageCache})` : 'external (NEO4J_URI)'}`} |
| Date | ${m.date} |
| Commit | ${m.commit ?? 'unknown'}${m.dirty ? ' (with uncommitted changes)' : ''} |
| Sizes | ${sizes} persons; ${o.runs} run${o.runs === 1 ? '' : 's'} per measurement, ${o.neo4jRuns} per Neo4j import${o.measures ? `; only ${o.measures.join(', ')}` : ''}${o.peerLimitMinutes ? `; LOAD CSV and the Cypher query limited to ${o.peerLimitMinutes} min (--peer-limit: Neo4j stops them there)` : ''} |
${earlierTable}
Times are wall-clock seconds of the work alone (not process start-up, opening the store or clearing it),
the median of the runs with the min–max spread. Peak RSS is the measuring process's high-water mark
(VmHWM)${results.baselineRssBytes === null ? '' : `; a step process that does nothing peaks at ${formatBytes(results.baselineRssBytes)}`}.${neo4j.peakRssBytes === null ? '' : ` The Neo4j server's own peak RSS over the whole run was ${formatBytes(neo4j.peakRssBytes)}.`}

## 1. Import

Same bundle files, same graph model; the database is cleared before each Neo4j run, the embedded
store starts empty. tracegraph reads each file twice (validation, then writing).

${importTable(results)}
${phaseTable(results)}
## 2. Contacts

Every case's place and boat co-presence in the protocol's infectious windows on the same Neo4j
and data: tracegraph's loadOutbreak + computeExposures against one plain Cypher query (see
bench/contacts-cypher.ts). Both must find the same (case, person, host) triples.

${contactsTable(results)}
${results.sizes
  .filter((s) => s.contacts && (s.contacts.onlyTracegraph.length || s.contacts.onlyCypher.length))
  .map(
    (s) =>
      `\n${sizeLabel(s.persons)}: found only by tracegraph: ${s.contacts!.onlyTracegraph.slice(0, 5).join(', ') || 'none'}; only by Cypher: ${s.contacts!.onlyCypher.slice(0, 5).join(', ') || 'none'}\n`,
  )
  .join('')}
## 3. Full analysis

\`tracegraph report --format json\`: analyseOutbreak + toReport + JSON, as of the end of the day of
the latest case, on each store. CPU time is the process's over the same span (every thread: this
one, the analysis's workers, the garbage collector's); cores used is that over the run's time, run
by run, so 2.00 would keep both cores of this machine busy throughout.

${analysisTable(results)}
${analysisPhaseTable(results)}
## 4. Reports

\`tracegraph report\` over every case of the district on the embedded store, as of the end of the
day of the latest case: the analysis, then the report rendered and written to a file (HTML and Markdown list the
first 50 contacts per case by priority; the CSV lists every contact). One process per run: the
HTML first, its time and peak RSS taken before the Markdown and the CSV are rendered from the same
analysis; their time is that analysis plus their own rendering, and their peak RSS includes the
HTML's.

${reportTable(results)}

## 5. API

${apiSection(results)}

## 6. Generation (informational)

${generationTable(results)}
${failures.length ? `\n## Failures\n\n${failures.join('\n')}\n` : ''}${skipped.length || notes.length ? `\n## Not run, and notes\n\n${[...skipped, ...notes].join('\n')}\n` : ''}`;
}
