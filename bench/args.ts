/**
 * Benchmark options: what `npm run bench -- ...` accepts, with the defaults that keep the 10k +
 * 100k run bounded on a small machine.
 */
import { MAX_PERSONS, MIN_PERSONS } from '../seeds/generator';
import { isNeo4jMeasure, MEASURES, type MeasureId } from './results';

export const PARTS = ['import', 'contacts', 'analysis', 'report', 'api'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  /** District sizes (persons), ascending. */
  sizes: number[];
  /** Runs of each measurement; the table shows their median and min–max. */
  runs: number;
  /** Runs of each import into Neo4j (minutes each, so fewer by default). */
  neo4jRuns: number;
  /** Largest size measured on Neo4j (import, contacts, analysis); larger ones run on the embedded store only. */
  neo4jMax: number;
  parts: Part[];
  /** Minutes after which Neo4j stops a peer (LOAD CSV, the Cypher query); null: no limit. */
  peerLimitMinutes: number | null;
  /** Only these measures of the parts run (null: all); a store a part needs is still loaded. */
  measures: MeasureId[] | null;
  seed: number;
  /** District the API is served from (default: the smallest size). */
  apiSize: number;
  apiConnections: number;
  apiSeconds: number;
  /** Persons in the one large API query. */
  apiLargePersons: number;
  /** Folder for RESULTS.md and results.json (default bench/). */
  out: string | null;
  /** V8 stack size (KB) of every step process (node --stack-size); null: Node's default. */
  stackSizeKb: number | null;
  /** Keep what the previous results.json holds for sizes (and the API) this run does not measure. */
  merge: boolean;
  /** V8 old-space limit (MB) of every step process (node --max-old-space-size); null: Node's default. */
  maxOldSpaceMb: number | null;
  /** JVM heap of the Neo4j the benchmark starts (Java size: 2g, 512m). */
  neo4jHeap: string;
  /** Page cache of the Neo4j the benchmark starts: a store larger than it is read from disk. */
  neo4jPageCache: string;
}

export const DEFAULTS: Omit<BenchOptions, 'apiSize'> = {
  sizes: [10_000, 100_000],
  runs: 3,
  neo4jRuns: 1,
  neo4jMax: 100_000,
  parts: [...PARTS],
  measures: null,
  peerLimitMinutes: null,
  seed: 2022,
  apiConnections: 50,
  apiSeconds: 30,
  apiLargePersons: 200,
  out: null,
  stackSizeKb: null,
  merge: false,
  maxOldSpaceMb: null,
  neo4jHeap: '2g',
  neo4jPageCache: '1g',
};

export const USAGE = `usage: npm run bench -- [options]
  --sizes N,N,...      district sizes in persons (default 10000,100000; up to 1000000)
  --runs N             runs per measurement (default 3)
  --neo4j-runs N       runs per import into Neo4j (default 1: each takes minutes)
  --neo4j-max N        largest size measured on Neo4j (default 100000; 10000 for a shorter run)
  --only LIST          parts to run, of import,contacts,analysis,report,api (default all)
  --measures LIST      only these measures of the parts run, e.g. import.tracegraph.neo4j (default
                       all; the ids are those of results.json: ${Object.keys(MEASURES).join(', ')})
  --peer-limit MIN     Neo4j stops LOAD CSV and the Cypher query after MIN minutes (default: no
                       limit); the table then shows the time as a lower bound ("> MIN min")
  --seed N             generator seed (default 2022)
  --api-size N         district the API serves (default: the smallest size)
  --api-connections N  concurrent connections of the load test (default 50)
  --api-seconds N      duration of the load test (default 30)
  --api-large N        persons in the large API query (default 200)
  --out DIR            write RESULTS.md and results.json there (default bench/)
  --stack-size KB      run every step with node --stack-size=KB (default: Node's own, about 984)
  --max-old-space MB   run every step with node --max-old-space-size=MB (default: Node's own, about
                       4 GB here): to measure a size whose analysis needs more than that
  --neo4j-heap SIZE    JVM heap of the Neo4j the benchmark starts (default 2g)
  --neo4j-page-cache SIZE
                       its page cache (default 1g: enough for 100k; give a 1M run 8g, as its
                       store is about ten times larger)
  --merge              keep what the previous results.json holds that this run does not measure
                       (sizes, measures left out by --only, the API run), each marked with the
                       date and commit it was measured at
Environment: NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) uses that server
instead of starting one under bench/work/neo4j.`;

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

/** A Java memory size as Neo4j's settings take it: digits and k, m or g. */
function memorySize(flag: string, text: string): string {
  if (!/^[1-9]\d*[kmg]$/i.test(text)) {
    throw new BenchUsageError(`${flag}: "${text}" is not a memory size such as 512m or 8g`);
  }
  return text.toLowerCase();
}

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(text) || !Number.isInteger(n) || n < min || n > max) {
    throw new BenchUsageError(`${flag}: "${text}" is not a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A comma-separated choice among `known`, in their fixed order; throws naming any unknown one. */
function someOf<T extends string>(flag: string, raw: string, known: readonly T[]): T[] {
  const chosen = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = chosen.filter((c) => !(known as readonly string[]).includes(c));
  if (unknown.length || chosen.length === 0) {
    throw new BenchUsageError(`${flag}: "${unknown.join(',') || raw}" is not one of ${known.join(', ')}`);
  }
  return known.filter((k) => chosen.includes(k));
}

/** Whether `--measures` (when given) selects this measure. */
export function selectsMeasure(options: Pick<BenchOptions, 'measures'>, id: MeasureId): boolean {
  return options.measures === null || options.measures.includes(id);
}

/** Whether the run measures anything on Neo4j: a Neo4j measure of a part it runs, that --measures keeps. */
export function measuresOnNeo4j(options: Pick<BenchOptions, 'parts' | 'measures'>): boolean {
  return (Object.keys(MEASURES) as MeasureId[]).some(
    (id) =>
      isNeo4jMeasure(id) && options.parts.includes(id.split('.')[0] as Part) && selectsMeasure(options, id),
  );
}

/** Reads the command line (without node and script). Throws BenchUsageError naming the flag. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: Omit<BenchOptions, 'apiSize'> & { apiSize?: number } = {
    ...DEFAULTS,
    sizes: [...DEFAULTS.sizes],
    parts: [...DEFAULTS.parts],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new BenchUsageError(`${flag}: a value is required`);
      return v;
    };
    switch (flag) {
      case '--sizes': {
        const sizes = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => wholeNumber('--sizes', s, MIN_PERSONS, MAX_PERSONS));
        if (sizes.length === 0) throw new BenchUsageError('--sizes: no size given');
        options.sizes = [...new Set(sizes)].sort((a, b) => a - b);
        break;
      }
      case '--runs':
        options.runs = wholeNumber(flag, value(), 1, 100);
        break;
      case '--neo4j-runs':
        options.neo4jRuns = wholeNumber(flag, value(), 0, 100);
        break;
      case '--neo4j-max':
        options.neo4jMax = wholeNumber(flag, value(), 0, MAX_PERSONS);
        break;
      case '--only':
        options.parts = someOf(flag, value(), PARTS);
        break;
      case '--measures':
        options.measures = someOf(flag, value(), Object.keys(MEASURES) as MeasureId[]);
        break;
      case '--peer-limit':
        options.peerLimitMinutes = wholeNumber(flag, value(), 1, 24 * 60);
        break;
      case '--seed':
        options.seed = wholeNumber(flag, value(), 0);
        break;
      case '--api-size':
        options.apiSize = wholeNumber(flag, value(), MIN_PERSONS, MAX_PERSONS);
        break;
      case '--api-connections':
        options.apiConnections = wholeNumber(flag, value(), 1, 1000);
        break;
      case '--api-seconds':
        options.apiSeconds = wholeNumber(flag, value(), 1, 600);
        break;
      case '--api-large':
        options.apiLargePersons = wholeNumber(flag, value(), 1, 1000);
        break;
      case '--out':
        options.out = value();
        break;
      case '--stack-size':
        // Above the thread's stack (ulimit -s, usually 8 MB) V8 would crash instead of throwing.
        options.stackSizeKb = wholeNumber(flag, value(), 100, 7800);
        break;
      case '--max-old-space':
        options.maxOldSpaceMb = wholeNumber(flag, value(), 256, 1_000_000);
        break;
      case '--neo4j-heap':
        options.neo4jHeap = memorySize(flag, value());
        break;
      case '--neo4j-page-cache':
        options.neo4jPageCache = memorySize(flag, value());
        break;
      case '--merge':
        if (inline !== undefined) throw new BenchUsageError('--merge: takes no value');
        options.merge = true;
        break;
      default:
        throw new BenchUsageError(`unknown argument ${arg}`);
    }
  }
  const apiSize = options.apiSize ?? options.sizes[0]!;
  if (options.parts.includes('api') && !options.sizes.includes(apiSize)) {
    throw new BenchUsageError(`--api-size: ${apiSize} is not one of --sizes (${options.sizes.join(',')})`);
  }
  return { ...options, apiSize };
}
