import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseResultLine } from '../../bench/protocol';
import { phaseTimer } from '../../bench/steps/import';
import { withStore } from '../../bench/steps/store-target';
import { ANALYSIS_PHASES, analyseOutbreak } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { toReport } from '../../src/analysis/report';
import { resolveParameters } from '../../src/domain/parameters';
import { renderJson } from '../../src/report/json';
import { HAND_BUNDLE_ROWS, writeHandBundle } from './hand-bundle';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs a step as the benchmark runner does: its own node process with tsx. */
function step(
  name: string,
  args: object,
): { status: number | null; result: Record<string, unknown> | null; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'step.ts'), name, JSON.stringify(args)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  let result: Record<string, unknown> | null = null;
  try {
    result = parseResultLine(r.stdout);
  } catch {
    result = null;
  }
  return { status: r.status, result, stderr: r.stderr };
}

describe('benchmark steps, each in its own process', () => {
  let bundle: string;
  let work: string;

  beforeAll(() => {
    bundle = writeHandBundle();
    work = mkdtempSync(path.join(tmpdir(), 'tracegraph-bench-work-'));
  });

  afterAll(() => {
    rmSync(bundle, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('fails with exit 1 and the reason on stderr for an unknown step', () => {
    const r = step('nope', {});
    expect(r.status).toBe(1);
    expect(r.result).toBeNull();
    expect(r.stderr).toContain('unknown step "nope"');
  });

  it('reports its peak memory in bytes', () => {
    const r = step('baseline', {});
    expect(r.status).toBe(0);
    expect(r.result!.seconds).toBe(0);
    // node alone holds well over 10 MB; a figure in kB would be far below.
    expect(r.result!.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('parses every row of the bundle with csv-parse', () => {
    const r = step('csv-parse', { dir: bundle });
    expect(r.status).toBe(0);
    expect(r.result!.rows).toBe(HAND_BUNDLE_ROWS);
    expect(r.result!.seconds).toBeGreaterThan(0);
  });

  it('imports the bundle into a fresh embedded store, with the time of each phase', () => {
    const dataDir = path.join(work, 'embedded');
    const r = step('import-embedded', { dir: bundle, dataDir });
    expect(r.status).toBe(0);
    expect(r.result!.rows).toBe(HAND_BUNDLE_ROWS);
    expect(r.result!.counts).toEqual({
      persons: 3,
      places: 4,
      boats: 1,
      items: 2,
      stays: 6,
      contacts: 1,
      handlings: 1,
      samples: 4,
      cases: 2,
    });
    expect(Object.keys(r.result!.phases as object)).toEqual(
      expect.arrayContaining(['validate persons.csv', 'write persons.csv', 'write stays.csv']),
    );
    // The store read back by the counts step is the one just imported.
    expect(step('counts', { target: { kind: 'embedded', dataDir } }).result!.counts).toEqual(
      r.result!.counts,
    );
  });

  it('writes the HTML, Markdown and CSV reports of every case from one analysis, with their figures', () => {
    const dataDir = path.join(work, 'embedded-report');
    expect(step('import-embedded', { dir: bundle, dataDir }).status).toBe(0);
    const outDir = path.join(work, 'reports');
    const r = step('report', { target: { kind: 'embedded', dataDir }, outDir });
    expect(r.status).toBe(0);
    const result = r.result!;
    expect(result.cases).toBe(2);
    const formats = result.formats as Record<
      string,
      { renderSeconds: number; bytes: number; peakRssBytes: number }
    >;
    expect(Object.keys(formats)).toEqual(['html', 'md', 'csv']);
    for (const [format, figures] of Object.entries(formats)) {
      expect(figures.bytes).toBe(statSync(path.join(outDir, `report.${format}`)).size);
      // Bytes, not kB: node alone holds well over 10 MB.
      expect(figures.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    }
    expect(result.seconds).toBeCloseTo((result.analyseSeconds as number) + formats.html!.renderSeconds, 6);
    expect(readFileSync(path.join(outDir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    // The CSV lists every contact of the analysis: a header and one line each.
    const csvLines = readFileSync(path.join(outDir, 'report.csv'), 'utf8').trim().split('\n');
    expect(csvLines).toHaveLength((result.contacts as number) + 1);
  });

  it('streams the full JSON report of the analysis and counts its bytes', async () => {
    const dataDir = path.join(work, 'embedded-analysis');
    expect(step('import-embedded', { dir: bundle, dataDir }).status).toBe(0);
    const r = step('analysis', { target: { kind: 'embedded', dataDir } });
    expect(r.status).toBe(0);
    const result = r.result!;
    expect(result.cases).toBe(2);
    // The bytes `renderJson` gives for the same analysis, made here in one piece.
    const expected = await withStore({ kind: 'embedded', dataDir }, async (store) => {
      const asOf = await latestCaseAsOf(store);
      const analysis = await analyseOutbreak(store, resolveParameters(), { asOf });
      return Buffer.byteLength(renderJson(toReport(analysis)));
    });
    expect(result.reportBytes).toBe(expected);
    expect(result.seconds as number).toBeGreaterThanOrEqual(result.analyseSeconds as number);
    // The process's CPU time over the same span: some, and no more than its threads could use.
    expect(result.cpuSeconds as number).toBeGreaterThan(0);
    expect(result.cpuSeconds as number).toBeLessThan((result.seconds as number) * 16 + 1);
    // Every phase of the analysis, then the JSON, adding up to the whole (the rest is glue). The
    // hand bundle's network and exposures are few: measured and inferred in this thread, nothing
    // overlaps and no waits; its load is too small for the collections of a large one.
    const phases = result.phases as Record<string, number>;
    expect(Object.keys(phases)).toEqual([
      ...ANALYSIS_PHASES.filter(
        (phase) =>
          phase !== 'load garbage' &&
          phase !== 'analysis garbage' &&
          phase !== 'network wait' &&
          phase !== 'infectors wait',
      ),
      'JSON report',
    ]);
    const sum = Object.values(phases).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual((result.seconds as number) + 1e-6);
    expect(sum).toBeGreaterThan((result.seconds as number) * 0.5);
  });
});

describe('phaseTimer', () => {
  it('adds up the time between changes of phase or file, ignoring repeats', () => {
    let clock = 0n;
    const timer = phaseTimer(() => clock);
    timer.onProgress({ phase: 'validate', file: 'persons.csv' });
    clock += 2_000_000_000n;
    timer.onProgress({ phase: 'validate', file: 'persons.csv' });
    clock += 1_000_000_000n;
    timer.onProgress({ phase: 'write', file: 'persons.csv' });
    clock += 500_000_000n;
    timer.onProgress({ phase: 'validate', file: 'persons.csv' });
    clock += 250_000_000n;
    expect(timer.phases()).toEqual({ 'validate persons.csv': 3.25, 'write persons.csv': 0.5 });
  });
});
