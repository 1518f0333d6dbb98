import { DEFAULTS } from '../../bench/args';
import { mergeResults, renderResultsMarkdown, type BenchResults } from '../../bench/results';

const MB = 1024 * 1024;

function results(): BenchResults {
  return {
    machine: {
      cores: 2,
      memoryBytes: 4 * 1024 * MB,
      cpuModel: 'Test CPU',
      loadAverage: 3.5,
      platform: 'Linux test x64',
      node: 'v20.0.0',
      java: 'openjdk version "17"',
      date: '2026-11-29T12:00:00.000Z',
      commit: 'abc123',
      dirty: false,
    },
    options: { ...DEFAULTS, sizes: [10_000], apiSize: 10_000 },
    neo4j: { mode: 'launched', version: '5.26.0', heap: '2g', pageCache: '1g', peakRssBytes: 3 * 1024 * MB },
    baselineRssBytes: 75 * MB,
    startedAt: '2026-11-29T12:00:00.000Z',
    finishedAt: '2026-11-29T12:30:00.000Z',
    sizes: [
      {
        persons: 10_000,
        rows: 1000,
        rowsByFile: { 'persons.csv': 400, 'stays.csv': 600 },
        cases: 21,
        generation: {
          seconds: 7.5,
          cached: true,
          generatedAt: '2026-11-28T09:00:00.000Z',
          peakRssBytes: 190 * MB,
        },
        measures: {
          'import.tracegraph.neo4j': {
            seconds: [30, 10, 20],
            peakRssBytes: [120 * MB, 100 * MB, 110 * MB],
            runs: [
              { phases: { 'write stays.csv': 20, 'validate stays.csv': 2 } },
              { phases: { 'write stays.csv': 6, 'validate stays.csv': 1 } },
              { phases: { 'write stays.csv': 14, 'validate stays.csv': 3 } },
            ],
          },
          'import.loadcsv.neo4j': { seconds: [5], peakRssBytes: [80 * MB], runs: [{}] },
          'contacts.tracegraph.neo4j': {
            seconds: [2, 4],
            peakRssBytes: [150 * MB, 150 * MB],
            runs: [{ loadSeconds: 1.5 }, { loadSeconds: 3.5 }],
          },
          'contacts.cypher.neo4j': { seconds: [1, 1], peakRssBytes: [90 * MB, 90 * MB], runs: [{}, {}] },
          'analysis.embedded': {
            seconds: [3],
            peakRssBytes: [200 * MB],
            runs: [
              {
                cases: 21,
                exposures: 1234,
                staysLoaded: 5678,
                reportBytes: 2 * MB,
                cpuSeconds: 4.5,
                phases: { load: 1.5, exposures: 0.3, quarantine: 0.9, 'JSON report': 0.3 },
              },
            ],
            failures: ['RangeError: Maximum call stack size exceeded (f (src/x.ts:1:2))'],
          },
          'report.html.embedded': {
            seconds: [40, 30, 50],
            peakRssBytes: [400 * MB, 500 * MB, 450 * MB],
            runs: [
              { cases: 21, contacts: 7584, renderSeconds: 0.5, bytes: 0.8 * MB },
              { cases: 21, contacts: 7584, renderSeconds: 0.7, bytes: 0.8 * MB },
              { cases: 21, contacts: 7584, renderSeconds: 0.6, bytes: 0.8 * MB },
            ],
          },
          'report.csv.embedded': {
            seconds: [42],
            peakRssBytes: [600 * MB],
            runs: [{ cases: 21, contacts: 7584, renderSeconds: 2, bytes: 3 * MB }],
          },
          'analysis.neo4j': {
            seconds: [],
            peakRssBytes: [],
            runs: [],
            failures: ['Error: boom', 'Error: boom'],
          },
        },
        contacts: {
          tracegraphPairs: 470,
          cypherPairs: 471,
          common: 470,
          onlyTracegraph: [],
          onlyCypher: ['C1|P9|MK'],
        },
        skipped: [],
      },
    ],
    api: null,
    notes: ['a note'],
  };
}

const API: NonNullable<BenchResults['api']> = {
  persons: 10_000,
  connections: 50,
  seconds: 30,
  operations: {
    caseWithContacts: {
      firstSeconds: 6.5,
      firstGood: true,
      requests: 3000,
      requestsPerSecond: 100,
      p50Ms: 450,
      p99Ms: 1200,
      non2xx: 0,
      graphqlErrors: 0,
      connectionErrors: 0,
      timeouts: 0,
      firstError: null,
    },
    personWithStays: {
      firstSeconds: 0.05,
      firstGood: false,
      requests: 600,
      requestsPerSecond: 20,
      p50Ms: 2000,
      p99Ms: 9000,
      non2xx: 3,
      graphqlErrors: 597,
      connectionErrors: 1,
      timeouts: 2,
      firstError: 'The query is too deep',
    },
  },
  serverPeakRssBytes: 300 * MB,
  large: {
    persons: 200,
    stays: 4000,
    bytes: 1.5 * MB,
    seconds: [2, 4, 3],
    errors: 0,
    cost: 200_601,
    maxComplexity: 200_601,
    defaultMaxComplexity: 20_000,
  },
};

describe('renderResultsMarkdown', () => {
  const md = renderResultsMarkdown(results());

  it('describes the machine, the Neo4j server and the runs', () => {
    expect(md).toContain('| Cores | 2 |');
    expect(md).toContain('| Memory | 4.00 GB |');
    expect(md).toContain(
      '| Load average at start (1 min) | 3.50 (busy: other work shared the cores, figures are noisy) |',
    );
    expect(md).toContain('| Neo4j | 5.26.0 Community, started by the benchmark (heap 2g, page cache 1g) |');
    expect(md).toContain('| Commit | abc123 |');
    expect(md).toContain('| Sizes | 10k persons; 3 runs per measurement, 1 per Neo4j import |');
    expect(md).toContain('a step process that does nothing peaks at 75.0 MB');
    expect(md).not.toContain('did not finish');
  });

  it('writes each import as median (min–max), rows/s from the median (slowest–fastest run) and the ratio to its peer', () => {
    expect(md).toContain(
      '| 10k | tracegraph import → Neo4j | 1,000 | 20.0 s (10.0 s–30.0 s) | 50 (33–100) | 110 MB (100 MB–120 MB) | 4.00× |',
    );
    expect(md).toContain('| 10k | LOAD CSV → Neo4j (peer) | 1,000 | 5.00 s | 200 | 80.0 MB |  |');
  });

  it('lists the slowest phases with their share of the median time', () => {
    expect(md).toContain('| 10k | tracegraph import → Neo4j | write stays.csv | 14.0 s | 70.0 % |');
    expect(md).toContain('| 10k | tracegraph import → Neo4j | validate stays.csv | 2.00 s | 10.0 % |');
  });

  it('compares the contact triples and names the differences', () => {
    expect(md).toContain(
      '| 10k | 3.00 s (2.00 s–4.00 s) | 2.50 s (1.50 s–3.50 s) | 1.00 s | 3.00× | 150 MB | 470 | 471 | 0 / 1 |',
    );
    expect(md).toContain('10k: found only by tracegraph: none; only by Cypher: C1|P9|MK');
  });

  it('writes the analysis with its counts and marks what did not run', () => {
    expect(md).toContain(
      '| 10k | embedded | 21 | 1,234 | 5,678 | 3.00 s; failed (1 of 2 runs) | 4.50 s, 1.50 | 200 MB | 2.00 MB |',
    );
    expect(md).toContain('| 10k | Neo4j | – | – | – | failed (2 of 2 runs) | – | – | – |');
    expect(md).toMatch(/## 5\. API\n\n_Not run\._/);
    expect(md).toContain('| 10k | 1,000 | 21 | 7.50 s (cached, 2026-11-28) | 190 MB |');
    expect(md).toContain('- a note');
  });

  it("gives each analysis run's CPU time and the cores it used over the run's time, '–' where it was not recorded", () => {
    const r = results();
    const run = (cpuSeconds?: number) => ({
      cases: 21,
      exposures: 1,
      staysLoaded: 1,
      reportBytes: MB,
      cpuSeconds,
    });
    r.sizes[0]!.measures = {
      // Cores run by run: 2.0, 1.0, 1.5; not the median CPU time over the median time (1.33).
      'analysis.embedded': {
        seconds: [10, 20, 30],
        peakRssBytes: [MB, MB, MB],
        runs: [run(20), run(20), run(45)],
      },
      'analysis.neo4j': { seconds: [40], peakRssBytes: [MB], runs: [run()] },
    };
    const text = renderResultsMarkdown(r);
    expect(text).toContain('| 20.0 s (10.0 s–30.0 s) | 20.0 s (20.0 s–45.0 s), 1.50 (1.00–2.00) | 1.00 MB |');
    expect(text).toMatch(/\| 10k \| Neo4j \| 21 \| 1 \| 1 \| 40\.0 s \| – \| 1\.00 MB \|/);
  });

  it('lists every phase of the analysis, slowest first, with its share of the median time', () => {
    expect(md).toContain(
      '| 10k | embedded | load 1.50 s (50.0 %), quarantine 900 ms (30.0 %), exposures 300 ms (10.0 %), JSON report 300 ms (10.0 %) |',
    );
    // A store with no successful run has no phases to show.
    expect(md).not.toMatch(/\| 10k \| Neo4j \| load/);
  });

  it('writes each report format with its time, rendering, peak memory and file size', () => {
    expect(md).toContain('## 4. Reports');
    expect(md).toContain(
      '| 10k | HTML | 21 | 7,584 | 40.0 s (30.0 s–50.0 s) | 600 ms (500 ms–700 ms) | 450 MB (400 MB–500 MB) | 0.800 MB |',
    );
    expect(md).toContain('| 10k | CSV (quarantine list) | 21 | 7,584 | 42.0 s | 2.00 s | 600 MB | 3.00 MB |');
    // Markdown was not measured: no row.
    expect(md).not.toContain('| 10k | Markdown |');
  });

  it('writes each API operation with its first request, throughput, latency and errors, and the large query', () => {
    const api = renderResultsMarkdown({ ...results(), api: API });
    expect(api).toContain('at 50 connections for 30 s');
    expect(api).toContain(
      'over the default limit of 20,000: the benchmark server runs with maxComplexity 200,601',
    );
    expect(api).toContain('Server peak RSS over the whole part: 300 MB');
    expect(api).toContain('| 6.50 s | 3,000 | 100 | 450 ms | 1200 ms | 0 | 0 | 0 / 0 |');
    expect(api).toContain('| 50.0 ms (error) | 600 | 20.0 | 2000 ms | 9000 ms | 3 | 597 | 1 / 2 |');
    expect(api).toContain('First error of personWithStays: The query is too deep');
    expect(api).toContain(
      '| 200 persons with up to 100 stays each | 4,000 | 1.50 MB | 3.00 s (2.00 s–4.00 s) | 0 |',
    );
  });

  it('lists each reason a measurement failed once', () => {
    expect(md).toContain(
      '## Failures\n\n- 10k, full analysis, embedded: failed (1 of 2 runs): RangeError: Maximum call stack size exceeded (f (src/x.ts:1:2))\n' +
        '- 10k, full analysis, Neo4j: failed (2 of 2 runs): Error: boom\n',
    );
  });

  it('names the node flags the steps ran with', () => {
    const r = results();
    expect(renderResultsMarkdown(r)).toContain('| Node | v20.0.0 |');
    const flagged = { ...r, options: { ...r.options, stackSizeKb: 4000, maxOldSpaceMb: 20_000 } };
    expect(renderResultsMarkdown(flagged)).toContain(
      '| Node | v20.0.0 (steps run with --stack-size=4000 --max-old-space-size=20000) |',
    );
  });

  it('shows a peer stopped at the time limit as a lower bound, with what it stored, and the ratio as an upper bound', () => {
    const r = results();
    const size = r.sizes[0]!;
    size.measures['import.loadcsv.neo4j'] = {
      seconds: [],
      stoppedAfter: [180],
      peakRssBytes: [80 * MB],
      runs: [
        {
          stopped: true,
          rowsStored: 360,
          phases: { 'load persons.csv': 60, 'load stays.csv (stopped)': 120 },
        },
      ],
    };
    size.measures['contacts.cypher.neo4j'] = {
      seconds: [],
      stoppedAfter: [1200, 1250],
      peakRssBytes: [90 * MB, 90 * MB],
      runs: [{ stopped: true }, { stopped: true }],
    };
    size.contacts = null;
    // A failed run beside a stopped one: each note counts every run.
    size.measures['contacts.cypher.neo4j'] = {
      ...size.measures['contacts.cypher.neo4j'],
      failures: ['Error: boom'],
    };
    r.options = {
      ...r.options,
      peerLimitMinutes: 3,
      measures: ['import.loadcsv.neo4j', 'contacts.cypher.neo4j'],
    };
    const stopped = renderResultsMarkdown(r);
    expect(stopped).toContain(
      '| Sizes | 10k persons; 3 runs per measurement, 1 per Neo4j import; only import.loadcsv.neo4j, contacts.cypher.neo4j; LOAD CSV and the Cypher query limited to 3 min (--peer-limit: Neo4j stops them there) |',
    );
    expect(stopped).toContain(
      '| 10k | LOAD CSV → Neo4j (peer) | 1,000 (360 stored when stopped) | > 180 s (stopped at the limit) | 2 | 80.0 MB |  |',
    );
    // 20 s against more than 180 s.
    expect(stopped).toContain(
      '| 10k | tracegraph import → Neo4j | 1,000 | 20.0 s (10.0 s–30.0 s) | 50 (33–100) | 110 MB (100 MB–120 MB) | < 0.111× |',
    );
    expect(stopped).toContain(
      '| 10k | LOAD CSV → Neo4j (peer) | load stays.csv (stopped) | 120 s | 66.7 % |',
    );
    expect(stopped).toContain(
      '| 10k | 3.00 s (2.00 s–4.00 s) | 2.50 s (1.50 s–3.50 s) | > 1200 s (failed (1 of 3 runs); stopped at the limit (2 of 3 runs)) | < 0.00250× | 150 MB | – | – | – |',
    );
  });

  it('says so when the run did not finish', () => {
    expect(renderResultsMarkdown({ ...results(), finishedAt: null })).toContain('**This run did not finish');
  });
});

describe('mergeResults (--merge)', () => {
  const earlier = (): BenchResults => {
    const r = results();
    const tenK = r.sizes[0]!;
    return {
      ...r,
      machine: { ...r.machine, date: '2026-12-01T05:00:00.000Z', commit: 'old111' },
      sizes: [tenK, { ...tenK, persons: 100_000, cases: 207 }],
      api: API,
      notes: ['1M persons: not run this time (it takes hours on a 2-core machine); ...'],
    };
  };
  const now = (): BenchResults => {
    const r = results();
    return {
      ...r,
      machine: { ...r.machine, date: '2026-12-02T08:00:00.000Z', commit: 'new222' },
      options: { ...r.options, sizes: [100_000, 1_000_000], runs: 1 },
      sizes: [
        { ...r.sizes[0]!, persons: 1_000_000, cases: 2096 },
        { ...r.sizes[0]!, persons: 100_000, cases: 208 },
      ],
      api: null,
      notes: [],
    };
  };

  it('keeps the earlier sizes this run did not measure, marked with their run, and replaces the others', () => {
    const merged = mergeResults(earlier(), now());
    expect(merged.sizes.map((s) => [s.persons, s.cases, s.measured?.commit ?? null])).toEqual([
      [10_000, 21, 'old111'],
      [100_000, 208, null],
      [1_000_000, 2096, null],
    ]);
    expect(merged.sizes[0]!.measured).toEqual({
      date: '2026-12-01T05:00:00.000Z',
      commit: 'old111',
      dirty: false,
      runs: 3,
    });
    expect(merged.machine.commit).toBe('new222');
  });

  it('keeps the earlier API run when this one has none, and says where each kept part comes from', () => {
    const merged = mergeResults(earlier(), now());
    expect(merged.api?.measured?.commit).toBe('old111');
    const md = renderResultsMarkdown(merged);
    expect(md).toContain('Kept from earlier runs (`--merge`)');
    expect(md).toContain(
      '| 10k persons | all | 2026-12-01T05:00:00.000Z at commit old111, 3 runs per measurement |',
    );
    expect(md).toContain('| API | all | 2026-12-01T05:00:00.000Z at commit old111, 3 runs per measurement |');
  });

  it('keeps the earlier measures of a size this run measured only in part, and names each', () => {
    const partial = now();
    const hundredK = partial.sizes[1]!;
    const { 'import.tracegraph.neo4j': redone } = hundredK.measures;
    partial.sizes[1] = { ...hundredK, measures: { 'import.tracegraph.neo4j': redone! }, contacts: null };
    const merged = mergeResults(earlier(), partial);
    const size = merged.sizes.find((s) => s.persons === 100_000)!;
    expect(size.measures['import.tracegraph.neo4j']).toEqual(redone);
    expect(size.measures['import.loadcsv.neo4j']?.measured?.commit).toBe('old111');
    expect(size.contacts).toEqual(earlier().sizes[1]!.contacts);
    const md = renderResultsMarkdown(merged);
    expect(md).toContain(
      '| 100k persons | LOAD CSV → Neo4j (peer) | 2026-12-01T05:00:00.000Z at commit old111, 3 runs per measurement |',
    );
    expect(md).not.toContain('| 100k persons | tracegraph import → Neo4j |');
  });

  it("drops a size's note that its Neo4j rows were not run once they are kept from an earlier run", () => {
    const embeddedOnly = now();
    const hundredK = embeddedOnly.sizes[1]!;
    const { 'analysis.embedded': embedded } = hundredK.measures;
    const skippedNow = ['Neo4j rows not run: above --neo4j-max 10000 (...)', 'something else'];
    embeddedOnly.sizes[1] = {
      ...hundredK,
      measures: { 'analysis.embedded': embedded! },
      skipped: skippedNow,
    };
    const kept = mergeResults(earlier(), embeddedOnly).sizes.find((s) => s.persons === 100_000)!;
    expect(kept.measures['import.tracegraph.neo4j']?.measured?.commit).toBe('old111');
    expect(kept.skipped).toEqual(['something else']);
    // With no Neo4j rows to keep, the note stays.
    const noNeo4jBefore = earlier();
    noNeo4jBefore.sizes[1] = {
      ...noNeo4jBefore.sizes[1]!,
      measures: { 'report.html.embedded': noNeo4jBefore.sizes[1]!.measures['report.html.embedded']! },
    };
    const notKept = mergeResults(noNeo4jBefore, embeddedOnly).sizes.find((s) => s.persons === 100_000)!;
    expect(notKept.skipped).toEqual(skippedNow);
  });

  it('drops the note that 1M was not run once 1M is among the sizes', () => {
    const merged = mergeResults(earlier(), now());
    expect(merged.notes).toEqual([]);
    const without1M = mergeResults(earlier(), {
      ...now(),
      sizes: now().sizes.slice(1),
      notes: ['1M persons: not run ...'],
    });
    expect(without1M.notes).toEqual(['1M persons: not run ...']);
  });

  it('keeps a provenance already recorded by an earlier merge', () => {
    const first = mergeResults(earlier(), now());
    const again = mergeResults(first, {
      ...now(),
      sizes: [now().sizes[0]!],
      machine: { ...now().machine, commit: 'third3' },
    });
    const tenK = again.sizes.find((s) => s.persons === 10_000)!;
    expect(tenK.measured?.commit).toBe('old111');
    const hundredK = again.sizes.find((s) => s.persons === 100_000)!;
    expect(hundredK.measured?.commit).toBe('new222');
  });

  it('keeps each measure its own run when a size kept whole was itself partly kept before', () => {
    // The 100k size: one measure redone by the second run, the others kept from the first.
    const partial = now();
    const hundredK = partial.sizes[1]!;
    const { 'import.tracegraph.neo4j': redone } = hundredK.measures;
    partial.sizes = [{ ...hundredK, measures: { 'import.tracegraph.neo4j': redone! } }];
    const second = mergeResults(earlier(), partial);
    // A third run measures only 10k: the 100k size is kept whole from the second.
    const third = mergeResults(second, {
      ...now(),
      machine: { ...now().machine, date: '2026-12-03T08:00:00.000Z', commit: 'third3' },
      sizes: [{ ...now().sizes[1]!, persons: 10_000 }],
    });
    const kept = third.sizes.find((s) => s.persons === 100_000)!;
    expect(kept.measured).toBeUndefined();
    expect(kept.measures['import.tracegraph.neo4j']?.measured?.commit).toBe('new222');
    expect(kept.measures['import.loadcsv.neo4j']?.measured?.commit).toBe('old111');
    const md = renderResultsMarkdown(third);
    expect(md).not.toContain('| 100k persons | all |');
    expect(md).toContain(
      '| 100k persons | LOAD CSV → Neo4j (peer) | 2026-12-01T05:00:00.000Z at commit old111, 3 runs per measurement |',
    );
    expect(md).toContain('at commit new222, 1 run per measurement |');
  });

  it('renders no provenance table for a run that merged nothing', () => {
    expect(renderResultsMarkdown(results())).not.toContain('Kept from earlier runs');
  });
});
