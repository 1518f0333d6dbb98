import { BenchUsageError, DEFAULTS, measuresOnNeo4j, parseBenchArgs } from '../../bench/args';

describe('parseBenchArgs', () => {
  it('throws naming the flag on bad input', () => {
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow('--runs: "0" is not a whole number from 1 to 100');
    expect(() => parseBenchArgs(['--sizes', '10000,abc'])).toThrow('--sizes: "abc" is not a whole number');
    expect(() => parseBenchArgs(['--sizes', '500'])).toThrow(
      '--sizes: "500" is not a whole number from 1000 to 1000000',
    );
    expect(() => parseBenchArgs(['--only', 'import,speed'])).toThrow(
      '--only: "speed" is not one of import, contacts, analysis, report, api',
    );
    expect(() => parseBenchArgs(['--runs'])).toThrow('--runs: a value is required');
    expect(() => parseBenchArgs(['--stack-size', '9000'])).toThrow(
      '--stack-size: "9000" is not a whole number from 100 to 7800',
    );
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--merge=yes'])).toThrow('--merge: takes no value');
    expect(() => parseBenchArgs(['--sizes', '10000', '--api-size', '100000'])).toThrow(
      '--api-size: 100000 is not one of --sizes (10000)',
    );
  });

  it('defaults to 10k and 100k, three runs, one Neo4j import run, Neo4j up to 10k, every part', () => {
    const options = parseBenchArgs([]);
    expect(options).toEqual({ ...DEFAULTS, apiSize: 10_000 });
    expect(options.sizes).toEqual([10_000, 100_000]);
    expect(options.runs).toBe(3);
    expect(options.neo4jRuns).toBe(1);
    expect(options.neo4jMax).toBe(100_000);
    expect(options.parts).toEqual(['import', 'contacts', 'analysis', 'report', 'api']);
  });

  it('sorts and de-duplicates sizes, accepts --flag=value and keeps the parts in their fixed order', () => {
    const options = parseBenchArgs([
      '--sizes=1000000,10000,10000,100000',
      '--runs',
      '5',
      '--only',
      'api,import',
      '--neo4j-max=1000000',
      '--api-size',
      '100000',
      '--out',
      'bench/work/x',
      '--stack-size',
      '4000',
    ]);
    expect(options.stackSizeKb).toBe(4000);
    expect(options.sizes).toEqual([10_000, 100_000, 1_000_000]);
    expect(options.runs).toBe(5);
    expect(options.parts).toEqual(['import', 'api']);
    expect(options.neo4jMax).toBe(1_000_000);
    expect(options.apiSize).toBe(100_000);
    expect(options.out).toBe('bench/work/x');
    expect(options.merge).toBe(false);
    expect(parseBenchArgs(['--merge']).merge).toBe(true);
    expect(options.maxOldSpaceMb).toBeNull();
    expect(parseBenchArgs(['--max-old-space', '20000']).maxOldSpaceMb).toBe(20_000);
    expect(() => parseBenchArgs(['--max-old-space', '100'])).toThrow(
      '--max-old-space: "100" is not a whole number from 256 to 1000000',
    );
  });

  it('takes the memory of the Neo4j it starts as Java sizes, and refuses anything else', () => {
    expect(parseBenchArgs([]).neo4jPageCache).toBe('1g');
    const options = parseBenchArgs(['--neo4j-page-cache', '8G', '--neo4j-heap=4g']);
    expect(options.neo4jPageCache).toBe('8g');
    expect(options.neo4jHeap).toBe('4g');
    expect(() => parseBenchArgs(['--neo4j-page-cache', '8'])).toThrow(
      '--neo4j-page-cache: "8" is not a memory size such as 512m or 8g',
    );
    expect(() => parseBenchArgs(['--neo4j-heap', '0g'])).toThrow('--neo4j-heap: "0g" is not a memory size');
  });

  it('selects measures by their results.json ids, in their fixed order, and names an unknown one', () => {
    expect(parseBenchArgs([]).measures).toBeNull();
    expect(parseBenchArgs(['--measures', 'import.loadcsv.neo4j, import.tracegraph.neo4j']).measures).toEqual([
      'import.tracegraph.neo4j',
      'import.loadcsv.neo4j',
    ]);
    expect(() => parseBenchArgs(['--measures', 'import.neo4j'])).toThrow(
      '--measures: "import.neo4j" is not one of import.tracegraph.neo4j, import.loadcsv.neo4j',
    );
    expect(() => parseBenchArgs(['--measures', ','])).toThrow('--measures: "," is not one of');
  });

  it('takes a time limit for the peers in whole minutes, up to a day', () => {
    expect(parseBenchArgs([]).peerLimitMinutes).toBeNull();
    expect(parseBenchArgs(['--peer-limit', '30']).peerLimitMinutes).toBe(30);
    expect(() => parseBenchArgs(['--peer-limit', '0'])).toThrow(
      '--peer-limit: "0" is not a whole number from 1 to 1440',
    );
  });

  it('allows an --api-size outside --sizes when the API part is not run', () => {
    expect(parseBenchArgs(['--sizes', '1000', '--only', 'import', '--api-size', '100000']).apiSize).toBe(
      100_000,
    );
  });

  it('knows whether a run measures anything on Neo4j, from its parts and --measures', () => {
    const on = (argv: string[]) => measuresOnNeo4j(parseBenchArgs(argv));
    expect(on([])).toBe(true);
    expect(on(['--only', 'report,api'])).toBe(false);
    expect(on(['--only', 'analysis'])).toBe(true);
    expect(on(['--only', 'import', '--measures', 'import.tracegraph.embedded,import.csvparse'])).toBe(false);
    expect(on(['--only', 'import', '--measures', 'import.csvparse,import.loadcsv.neo4j'])).toBe(true);
    // A Neo4j measure of a part the run leaves out measures nothing.
    expect(on(['--only', 'import', '--measures', 'analysis.neo4j,import.csvparse'])).toBe(false);
  });
});
