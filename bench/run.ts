/**
 * The benchmark runner behind `npm run bench`: generates (or reuses) the districts, starts Neo4j
 * unless NEO4J_URI is set, runs every measurement as its own process (bench/step.ts) and writes
 * bench/results.json and bench/RESULTS.md, after each part so a cut-off run still leaves its
 * figures. Loopback only; every loop is bounded by --runs and --api-seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Counts } from '../src/domain/types';
import type { Neo4jConnection } from '../src/store/neo4j';
import { launchNeo4j, type RunningNeo4j } from '../src/store/neo4j/launcher';
import {
  BenchUsageError,
  USAGE,
  measuresOnNeo4j,
  parseBenchArgs,
  selectsMeasure,
  type BenchOptions,
  type Part,
} from './args';
import { comparePairs } from './contacts-cypher';
import { machineInfo } from './machine';
import { parseResultLine, rssOfProcess, RESULT_PREFIX } from './protocol';
import {
  mergeResults,
  NEO4J_NOT_RUN,
  renderResultsMarkdown,
  type BenchResults,
  type Measure,
  type MeasureId,
  type SizeResult,
} from './results';
import { formatBytes, formatSeconds } from './stats';
import type { StoreTarget } from './steps/store-target';
import type { ApiLoadResult } from './steps/api-load';
import type { ApiServerReady } from './steps/api-server';
import type { CachedBundle } from './steps/generate';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, 'bench');
const WORK = path.join(BENCH, 'work');
const STEP = path.join(BENCH, 'step.ts');
const READY_PREFIX = 'BENCH_READY ';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * A short digest of the generator's source: a bundle cached by an older generator is not the
 * district this one makes, so it is generated again rather than reused.
 */
export function generatorDigest(dir = path.join(ROOT, 'seeds', 'generator')): string {
  const hash = createHash('sha1');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 8);
}

const GENERATOR = generatorDigest();
const keyOf = (persons: number, seed: number): string => `${persons}-${seed}-${GENERATOR}`;
const bundleDir = (persons: number, seed: number): string => path.join(WORK, 'bundles', keyOf(persons, seed));
const embeddedDir = (persons: number, seed: number): string =>
  path.join(WORK, 'embedded', keyOf(persons, seed));

type StepResult = Record<string, unknown> & { peakRssBytes?: number; seconds?: number };

/** Set on Ctrl-C: the step running gets the signal too, and no further step starts. */
let interrupted = false;

/** Node flags of every step process (e.g. a larger stack). */
let stepNodeFlags: string[] = [];

/** A step that exited with an error: its last line of stderr says why. */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`step ${step} failed: ${reason}`);
    this.name = 'StepFailure';
  }
}

/** The line of a failed step's stderr that says what went wrong (the error, not its stack). */
export function failureReason(stderr: string, fallback: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.find((l) => /^[A-Za-z]*Error\b|^Error:/.test(l));
  const where = error
    ? lines.slice(lines.indexOf(error) + 1).find((l) => l.startsWith('at ') && !l.includes('node:'))
    : undefined;
  return error
    ? `${error}${where ? ` (${where.replace(/^at /, '').replace(ROOT + path.sep, '')})` : ''}`
    : (lines.at(-1) ?? fallback);
}

/** Runs one step in its own process and resolves with what it printed; rejects with a StepFailure. */
function runStep(name: string, args: object = {}): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    if (interrupted) {
      reject(new StepFailure(name, 'interrupted'));
      return;
    }
    const child = spawn(
      process.execPath,
      [...stepNodeFlags, '--import', 'tsx', STEP, name, JSON.stringify(args)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new StepFailure(name, failureReason(stderr, `exit ${code ?? signal}`)));
        return;
      }
      try {
        resolve(parseResultLine(stdout) as StepResult);
      } catch (err) {
        reject(new StepFailure(name, (err as Error).message));
      }
    });
  });
}

/** The counts the store must hold once the bundle is imported: one per row of each file. */
export function expectedCounts(bundle: Pick<CachedBundle, 'rows'>): Counts {
  const rows = bundle.rows as Record<string, number | undefined>;
  const of = (file: string): number => rows[file] ?? 0;
  return {
    persons: of('persons.csv'),
    places: of('places.csv'),
    boats: of('boats.csv'),
    items: of('items.csv'),
    stays: of('stays.csv'),
    contacts: of('contacts.csv'),
    handlings: of('handlings.csv'),
    samples: of('samples.csv'),
    cases: of('cases.csv'),
  };
}

export function countsDiffer(actual: unknown, expected: Counts): string | null {
  const counts = actual as Partial<Counts> | undefined;
  const off = (Object.keys(expected) as (keyof Counts)[]).filter((k) => counts?.[k] !== expected[k]);
  return off.length
    ? off.map((k) => `${k} ${counts?.[k] ?? '?'} (expected ${expected[k]})`).join(', ')
    : null;
}

/** The results.json `--merge` adds to; a missing or unreadable file stops the run before it starts. */
export function readPreviousResults(file: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BenchUsageError(`--merge: cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BenchUsageError(`--merge: ${file} is not JSON: ${(err as Error).message}`);
  }
  const sizes = (parsed as { sizes?: unknown } | null)?.sizes;
  if (!Array.isArray(sizes) || !(parsed as { machine?: unknown }).machine) {
    throw new BenchUsageError(`--merge: ${file} has no "sizes" list and "machine" (not a results.json?)`);
  }
  return parsed as BenchResults;
}

function neo4jVersion(): string {
  const pom = readFileSync(path.join(ROOT, 'neo4j-launcher', 'pom.xml'), 'utf8');
  return /<neo4j\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
}

class Runner {
  readonly results: BenchResults;
  private neo4j: RunningNeo4j | null = null;
  private connection: Neo4jConnection | null = null;
  /** The results.json this run merges into (`--merge`). */
  private readonly previous: BenchResults | null;

  constructor(private readonly options: BenchOptions) {
    // The young generation and the exposed collector the CLI gives itself (bin/tracegraph.js), so
    // steps run as users run them.
    stepNodeFlags = [
      '--max-semi-space-size=64',
      '--expose-gc',
      ...(options.stackSizeKb === null ? [] : [`--stack-size=${options.stackSizeKb}`]),
      ...(options.maxOldSpaceMb === null ? [] : [`--max-old-space-size=${options.maxOldSpaceMb}`]),
    ];
    this.results = {
      machine: machineInfo(ROOT),
      options,
      neo4j: { mode: 'not used', version: neo4jVersion(), heap: null, pageCache: null, peakRssBytes: null },
      baselineRssBytes: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      sizes: [],
      api: null,
      notes: [],
    };
    this.previous = options.merge ? readPreviousResults(path.join(this.outDir, 'results.json')) : null;
  }

  private wants(part: Part): boolean {
    return this.options.parts.includes(part);
  }

  private selected(id: MeasureId): boolean {
    return selectsMeasure(this.options, id);
  }

  private onNeo4j(persons: number): boolean {
    return persons <= this.options.neo4jMax;
  }

  /** Where RESULTS.md and results.json go. */
  get outDir(): string {
    return this.options.out ? path.resolve(ROOT, this.options.out) : BENCH;
  }

  /** What `save` writes: this run's results, with `--merge` the earlier run's other sizes too. */
  get written(): BenchResults {
    return this.previous ? mergeResults(this.previous, this.results) : this.results;
  }

  save(): void {
    mkdirSync(this.outDir, { recursive: true });
    const results = this.written;
    writeFileSync(path.join(this.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(this.outDir, 'RESULTS.md'), renderResultsMarkdown(results));
  }

  async run(): Promise<void> {
    mkdirSync(WORK, { recursive: true });
    const { machine } = this.results;
    log(
      `machine: ${machine.cores} cores, ${formatBytes(machine.memoryBytes)}, ${machine.cpuModel}, load ${machine.loadAverage.toFixed(1)}`,
    );
    this.results.baselineRssBytes = (await runStep('baseline')).peakRssBytes ?? null;
    if (!this.options.sizes.includes(1_000_000)) {
      this.results.notes.push(
        '1M persons: not run this time (it takes hours on a 2-core machine); `npm run bench -- --sizes 10000,100000,1000000` includes it.',
      );
    }
    const needsNeo4j = this.options.sizes.some((s) => this.onNeo4j(s)) && measuresOnNeo4j(this.options);
    try {
      if (needsNeo4j) await this.startNeo4j();
      for (const persons of this.options.sizes) await this.runSize(persons);
    } finally {
      await this.stopNeo4j();
      this.save();
    }
    this.results.finishedAt = new Date().toISOString();
    this.save();
  }

  // ---- Neo4j ---------------------------------------------------------------------------------

  private async startNeo4j(): Promise<void> {
    const uri = process.env.NEO4J_URI?.trim();
    if (uri) {
      this.connection = {
        uri,
        user: process.env.NEO4J_USER ?? 'neo4j',
        password: process.env.NEO4J_PASSWORD ?? '',
        database: process.env.NEO4J_DATABASE ?? 'neo4j',
      };
      this.results.neo4j.mode = 'external';
      log(`Neo4j: ${uri} (NEO4J_URI); its database is cleared between import runs`);
      return;
    }
    const home = path.join(WORK, 'neo4j');
    const { neo4jHeap: heap, neo4jPageCache: pageCache } = this.options;
    log(`starting Neo4j (data in ${path.relative(ROOT, home)}, heap ${heap}, page cache ${pageCache}) ...`);
    const started = Date.now();
    const serverLog = path.join(WORK, 'neo4j-server.log');
    writeFileSync(serverLog, '');
    this.neo4j = await launchNeo4j({
      home,
      heap,
      pageCache,
      password: 'tracegraph-bench',
      timeoutMs: 600_000,
      log: (line) => appendFileSync(serverLog, `${line}\n`),
    });
    log(`Neo4j ready at ${this.neo4j.uri} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    this.connection = {
      uri: this.neo4j.uri,
      user: this.neo4j.user,
      password: this.neo4j.password,
      database: 'neo4j',
    };
    Object.assign(this.results.neo4j, { mode: 'launched', heap, pageCache });
  }

  private async stopNeo4j(): Promise<void> {
    if (!this.neo4j) return;
    const pid = this.neo4j.process.pid;
    if (pid !== undefined) this.results.neo4j.peakRssBytes = rssOfProcess(pid, 'VmHWM');
    log('stopping Neo4j ...');
    await this.neo4j.stop();
    this.neo4j = null;
  }

  private neo4jTarget(): StoreTarget {
    if (!this.connection) throw new Error('Neo4j is not running');
    return { kind: 'neo4j', connection: this.connection };
  }

  // ---- one size ------------------------------------------------------------------------------

  private async runSize(persons: number): Promise<void> {
    const { seed } = this.options;
    const dir = bundleDir(persons, seed);
    const size: SizeResult = {
      persons,
      rows: 0,
      rowsByFile: {},
      cases: 0,
      generation: { seconds: 0, cached: true, generatedAt: '', peakRssBytes: null },
      measures: {},
      contacts: null,
      skipped: [],
    };
    this.results.sizes.push(size);

    const { cachedBundle } = await import('./steps/generate');
    let bundle = cachedBundle(dir);
    if (bundle) {
      log(`[${persons}] bundle cached in ${path.relative(ROOT, dir)}`);
    } else {
      log(`[${persons}] generating the district ...`);
      await runStep('generate', { persons, seed, outDir: dir });
      bundle = cachedBundle(dir);
      if (!bundle) throw new Error(`the generator left no summary in ${dir}`);
      size.generation.cached = false;
      log(`[${persons}] generated in ${formatSeconds(bundle.seconds)}`);
    }
    size.generation.seconds = bundle.seconds;
    size.generation.peakRssBytes = bundle.peakRssBytes ?? null;
    size.generation.generatedAt = bundle.generatedAt;
    size.rowsByFile = bundle.rows as Record<string, number>;
    size.rows = Object.values(size.rowsByFile).reduce((sum, n) => sum + n, 0);
    size.cases = bundle.cases;
    const expected = expectedCounts(bundle);
    this.save();

    const neo4jHere = this.onNeo4j(persons);
    if (!neo4jHere && measuresOnNeo4j(this.options)) {
      size.skipped.push(
        `${NEO4J_NOT_RUN}: above --neo4j-max ${this.options.neo4jMax} (an import into Neo4j takes many minutes at this size; add --neo4j-max ${persons} to include them)`,
      );
    }
    if (this.wants('import')) await this.importPart(size, dir, expected, neo4jHere);
    if (this.wants('contacts')) {
      if (neo4jHere) await this.contactsPart(size, dir, expected);
    }
    if (this.wants('analysis')) await this.analysisPart(size, dir, expected, neo4jHere);
    if (this.wants('report')) await this.reportPart(size, dir, expected);
    if (this.wants('api') && persons === this.options.apiSize) await this.apiPart(persons, dir, expected);
  }

  private record(size: SizeResult, id: MeasureId, result: StepResult): void {
    const m: Measure = (size.measures[id] ??= { seconds: [], peakRssBytes: [], runs: [] });
    const { seconds, peakRssBytes, ...rest } = result;
    // A run stopped at the time limit has no time, only a lower bound.
    if (rest.stopped) (m.stoppedAfter ??= []).push(Number(seconds));
    else m.seconds.push(Number(seconds));
    m.peakRssBytes.push(Number(peakRssBytes));
    m.runs.push(rest);
    log(
      `[${size.persons}] ${id}: ${rest.stopped ? 'stopped at the limit after ' : ''}${formatSeconds(Number(seconds))}, peak RSS ${formatBytes(Number(peakRssBytes))}`,
    );
  }

  /** Runs a measured step; a failure is recorded with its reason and the benchmark goes on. */
  private async measure(
    size: SizeResult,
    id: MeasureId,
    step: string,
    args: object,
  ): Promise<StepResult | null> {
    if (!this.selected(id)) return null;
    try {
      const result = await runStep(step, args);
      this.record(size, id, result);
      return result;
    } catch (err) {
      if (!(err instanceof StepFailure) || err.reason === 'interrupted') throw err;
      const m: Measure = (size.measures[id] ??= { seconds: [], peakRssBytes: [], runs: [] });
      (m.failures ??= []).push(err.reason);
      log(`[${size.persons}] ${id}: FAILED: ${err.reason}`);
      return null;
    }
  }

  private checkCounts(size: SizeResult, what: string, counts: unknown, expected: Counts): void {
    const off = countsDiffer(counts, expected);
    if (off) {
      const note = `${size.persons}: after ${what} the store holds ${off}`;
      if (!this.results.notes.includes(note)) this.results.notes.push(note);
      log(`WARNING ${note}`);
    }
  }

  private async importPart(
    size: SizeResult,
    dir: string,
    expected: Counts,
    neo4jHere: boolean,
  ): Promise<void> {
    const { runs, neo4jRuns, seed } = this.options;
    const dataDir = embeddedDir(size.persons, seed);
    // Runs of the measures alternate, so a change in the machine's load hits them alike.
    for (let run = 0; run < runs; run++) {
      await this.measure(size, 'import.csvparse', 'csv-parse', { dir });
      const embedded = await this.measure(size, 'import.tracegraph.embedded', 'import-embedded', {
        dir,
        dataDir,
      });
      if (embedded) this.checkCounts(size, 'the embedded import', embedded.counts, expected);
      this.save();
    }
    if (!neo4jHere) return;
    // LOAD CSV first: the store the next parts find is then tracegraph's complete import, even
    // when the time limit stopped LOAD CSV half-way.
    for (let run = 0; run < neo4jRuns; run++) {
      const theirs = await this.measure(size, 'import.loadcsv.neo4j', 'load-csv', {
        dir,
        connection: this.connection,
        limitSeconds: this.peerLimitSeconds(),
      });
      if (theirs && !theirs.stopped) this.checkCounts(size, 'LOAD CSV', theirs.counts, expected);
      this.save();
      const ours = await this.measure(size, 'import.tracegraph.neo4j', 'import-neo4j', {
        dir,
        connection: this.connection,
      });
      if (ours) this.checkCounts(size, "tracegraph's import into Neo4j", ours.counts, expected);
      this.save();
    }
  }

  private peerLimitSeconds(): number | null {
    const { peerLimitMinutes } = this.options;
    return peerLimitMinutes === null ? null : peerLimitMinutes * 60;
  }

  /**
   * Makes sure the store holds this bundle, importing it (untimed) when it does not: into Neo4j
   * with tracegraph's import, the faster of the two from 100k persons up (1.8x at 100k), so that a
   * part run alone at 1M does not wait on `LOAD CSV`.
   */
  private async ensureLoaded(
    size: SizeResult,
    target: StoreTarget,
    dir: string,
    expected: Counts,
  ): Promise<void> {
    const { counts } = await runStep('counts', { target });
    if (!countsDiffer(counts, expected)) return;
    log(`[${size.persons}] loading the district into the ${target.kind} store (not timed) ...`);
    const loaded =
      target.kind === 'embedded'
        ? await runStep('import-embedded', { dir, dataDir: target.dataDir })
        : await runStep('import-neo4j', { dir, connection: target.connection });
    this.checkCounts(size, `loading the ${target.kind} store`, loaded.counts, expected);
  }

  private async contactsPart(size: SizeResult, dir: string, expected: Counts): Promise<void> {
    if (!this.selected('contacts.tracegraph.neo4j') && !this.selected('contacts.cypher.neo4j')) return;
    const target = this.neo4jTarget();
    await this.ensureLoaded(size, target, dir, expected);
    const pairsDir = path.join(WORK, 'pairs');
    mkdirSync(pairsDir, { recursive: true });
    const oursFile = path.join(pairsDir, `${keyOf(size.persons, this.options.seed)}-tracegraph.json`);
    const theirsFile = path.join(pairsDir, `${keyOf(size.persons, this.options.seed)}-cypher.json`);
    rmSync(oursFile, { force: true });
    rmSync(theirsFile, { force: true });
    let bothFound = false;
    for (let run = 0; run < this.options.runs; run++) {
      const a = await this.measure(size, 'contacts.tracegraph.neo4j', 'contacts-tracegraph', {
        target,
        pairsFile: oursFile,
      });
      const b = await this.measure(size, 'contacts.cypher.neo4j', 'contacts-cypher', {
        connection: this.connection,
        pairsFile: theirsFile,
        limitSeconds: this.peerLimitSeconds(),
      });
      bothFound ||= a !== null && b !== null && !b.stopped;
      this.save();
    }
    if (!bothFound) return;
    const ours = JSON.parse(readFileSync(oursFile, 'utf8')) as string[];
    const theirs = JSON.parse(readFileSync(theirsFile, 'utf8')) as string[];
    const diff = comparePairs(ours, theirs);
    size.contacts = { tracegraphPairs: ours.length, cypherPairs: theirs.length, ...diff };
    log(
      `[${size.persons}] contacts: ${ours.length} (case, person, host) triples by tracegraph, ${theirs.length} by Cypher; ` +
        `${diff.onlyTracegraph.length} only by tracegraph, ${diff.onlyCypher.length} only by Cypher`,
    );
    this.save();
  }

  private async analysisPart(
    size: SizeResult,
    dir: string,
    expected: Counts,
    neo4jHere: boolean,
  ): Promise<void> {
    const embedded: StoreTarget = { kind: 'embedded', dataDir: embeddedDir(size.persons, this.options.seed) };
    const onEmbedded = this.selected('analysis.embedded');
    const onNeo4j = neo4jHere && this.selected('analysis.neo4j');
    if (onEmbedded) await this.ensureLoaded(size, embedded, dir, expected);
    if (onNeo4j) await this.ensureLoaded(size, this.neo4jTarget(), dir, expected);
    for (let run = 0; run < this.options.runs; run++) {
      await this.measure(size, 'analysis.embedded', 'analysis', { target: embedded });
      if (onNeo4j) await this.measure(size, 'analysis.neo4j', 'analysis', { target: this.neo4jTarget() });
      this.save();
    }
  }

  /**
   * `tracegraph report` in HTML, Markdown and CSV on the embedded store: one process per run,
   * split into a measure per format (see reportMeasures).
   */
  private async reportPart(size: SizeResult, dir: string, expected: Counts): Promise<void> {
    const { seed, runs } = this.options;
    const target: StoreTarget = { kind: 'embedded', dataDir: embeddedDir(size.persons, seed) };
    // No store to load (minutes at 1M) when --measures selects no report.
    if (!REPORT_MEASURES.some((id) => this.selected(id))) return;
    await this.ensureLoaded(size, target, dir, expected);
    const outDir = path.join(WORK, 'reports', keyOf(size.persons, seed));
    mkdirSync(outDir, { recursive: true });
    for (let run = 0; run < runs; run++) {
      let result: StepResult;
      try {
        result = await runStep('report', { target, outDir });
      } catch (err) {
        if (!(err instanceof StepFailure) || err.reason === 'interrupted') throw err;
        for (const id of REPORT_MEASURES.filter((m) => this.selected(m))) {
          const m: Measure = (size.measures[id] ??= { seconds: [], peakRssBytes: [], runs: [] });
          (m.failures ??= []).push(err.reason);
        }
        log(`[${size.persons}] report: FAILED: ${err.reason}`);
        continue;
      }
      for (const [id, figures] of reportMeasures(result)) {
        if (!this.selected(id)) continue;
        this.record(size, id, figures);
        log(`[${size.persons}] ${id}: ${formatBytes(Number(figures.bytes))}`);
      }
      this.save();
    }
  }

  // ---- API -----------------------------------------------------------------------------------

  private async apiPart(persons: number, dir: string, expected: Counts): Promise<void> {
    const { seed, apiConnections, apiSeconds, apiLargePersons, runs } = this.options;
    const size = this.results.sizes.find((s) => s.persons === persons)!;
    const dataDir = embeddedDir(persons, seed);
    await this.ensureLoaded(size, { kind: 'embedded', dataDir }, dir, expected);
    const caseIds = (
      parse(readFileSync(path.join(dir, 'cases.csv')), { columns: true }) as { person_id: string }[]
    ).map((r) => r.person_id);
    const personIds = (
      parse(readFileSync(path.join(dir, 'persons.csv')), { columns: true }) as { id: string }[]
    ).map((r) => r.id);
    // Spread over the whole population, so the large query is not one village.
    const stride = Math.max(1, Math.floor(personIds.length / apiLargePersons));
    const largeIds = personIds.filter((_, i) => i % stride === 0).slice(0, apiLargePersons);
    const apiKey = `bench-${process.pid}-${Date.now()}`;

    log(`[${persons}] starting the API server ...`);
    const server = spawn(
      process.execPath,
      [
        ...stepNodeFlags,
        '--import',
        'tsx',
        STEP,
        'api-server',
        JSON.stringify({ dataDir, apiKey, largePersons: largeIds.length }),
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const { ready, done } = serverOutput(server);
    try {
      const up = await ready;
      log(`[${persons}] API at ${up.url}; autocannon: ${apiConnections} connections for ${apiSeconds} s ...`);
      const load = (await runStep('api-load', {
        url: up.url,
        apiKey,
        connections: apiConnections,
        seconds: apiSeconds,
        caseIds,
        largeIds,
        largeRuns: runs,
      })) as unknown as ApiLoadResult;
      server.stdin!.end();
      const serverResult = await done;
      const { DEFAULT_LIMITS } = await import('../src/api/limits');
      this.results.api = {
        persons,
        connections: apiConnections,
        seconds: apiSeconds,
        operations: load.operations,
        serverPeakRssBytes: Number(serverResult.peakRssBytes ?? NaN) || null,
        large: {
          persons: largeIds.length,
          stays: load.largeStays,
          bytes: load.largeBytes,
          seconds: load.largeSeconds,
          errors: load.largeErrors,
          cost: up.largeQueryCost,
          maxComplexity: up.maxComplexity,
          defaultMaxComplexity: DEFAULT_LIMITS.maxComplexity,
        },
      };
      for (const [name, o] of Object.entries(load.operations)) {
        log(
          `[${persons}] API ${name}: first request ${formatSeconds(o.firstSeconds)}, ${o.requestsPerSecond.toFixed(0)} requests/s, ` +
            `p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms, ${o.non2xx} non-2xx, ${o.graphqlErrors} GraphQL errors${o.firstError ? ` (${o.firstError})` : ''}`,
        );
      }
      this.save();
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    }
  }
}

const REPORT_MEASURES = ['report.html.embedded', 'report.md.embedded', 'report.csv.embedded'] as const;

/**
 * Splits the report step's result into one measure per format: the HTML's time and peak RSS are
 * its own (taken before the others ran); the Markdown's and the CSV's time is the same analysis
 * plus their own rendering, and their peak RSS the process's once they were written.
 */
export function reportMeasures(result: StepResult): [MeasureId, StepResult][] {
  const formats = (result.formats ?? {}) as Record<
    string,
    { renderSeconds: number; bytes: number; peakRssBytes: number } | undefined
  >;
  const analyseSeconds = Number(result.analyseSeconds);
  const measures: [MeasureId, StepResult][] = [];
  for (const id of REPORT_MEASURES) {
    const format = id.split('.')[1]!;
    const figures = formats[format];
    if (!figures) throw new StepFailure('report', `no figures for the ${format} report`);
    measures.push([
      id,
      {
        seconds: analyseSeconds + figures.renderSeconds,
        peakRssBytes: figures.peakRssBytes,
        analyseSeconds,
        renderSeconds: figures.renderSeconds,
        bytes: figures.bytes,
        cases: result.cases,
        contacts: result.contacts,
        asOf: result.asOf,
      },
    ]);
  }
  return measures;
}

/** The API server's ready line and its final result line. */
function serverOutput(server: ChildProcess): { ready: Promise<ApiServerReady>; done: Promise<StepResult> } {
  let stdout = '';
  let onReady: (r: ApiServerReady) => void = () => undefined;
  let failReady: (err: Error) => void = () => undefined;
  const ready = new Promise<ApiServerReady>((resolve, reject) => {
    onReady = resolve;
    failReady = reject;
  });
  const done = new Promise<StepResult>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (line) onReady(JSON.parse(line.slice(READY_PREFIX.length)) as ApiServerReady);
    });
    server.on('close', (code) => {
      failReady(new Error(`the API server exited before it was ready (exit ${code})`));
      if (stdout.includes(RESULT_PREFIX)) resolve(parseResultLine(stdout) as StepResult);
      else reject(new Error(`the API server exited without a result (exit ${code})`));
    });
  });
  done.catch(() => undefined);
  return { ready, done };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    log(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BenchUsageError) {
      log(`bench: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  let runner: Runner;
  try {
    runner = new Runner(options);
  } catch (err) {
    if (err instanceof BenchUsageError) {
      log(`bench: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: saving what was measured and stopping Neo4j (Ctrl-C again to quit at once)');
  });
  await runner.run();
  const out = path.relative(ROOT, runner.outDir) || '.';
  log(`done in ${formatSeconds((Date.now() - started) / 1000)}: ${out}/RESULTS.md, ${out}/results.json`);
  process.stdout.write(renderResultsMarkdown(runner.written));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    log(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
