import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  countsDiffer,
  expectedCounts,
  failureReason,
  generatorDigest,
  readPreviousResults,
  reportMeasures,
} from '../../bench/run';

const ROOT = path.resolve(__dirname, '..', '..');

describe('runner', () => {
  it('names the error and where it was thrown from the stderr of a failed step', () => {
    const stderr = [
      'some progress line',
      'RangeError: Maximum call stack size exceeded',
      '    at node:internal/whatever:1:1',
      `    at loadOutbreak (${ROOT}/src/analysis/load.ts:302:9)`,
      `    at async main (${ROOT}/bench/step.ts:40:18)`,
      '',
    ].join('\n');
    expect(failureReason(stderr, 'exit 1')).toBe(
      'RangeError: Maximum call stack size exceeded (loadOutbreak (src/analysis/load.ts:302:9))',
    );
    expect(failureReason('killed\n', 'exit 1')).toBe('killed');
    expect(failureReason('', 'exit 137')).toBe('exit 137');
  });

  it('expects one stored record per bundle row and names the counts that differ', () => {
    const expected = expectedCounts({ rows: { 'persons.csv': 3, 'stays.csv': 6, 'cases.csv': 2 } });
    expect(expected).toEqual({
      persons: 3,
      places: 0,
      boats: 0,
      items: 0,
      stays: 6,
      contacts: 0,
      handlings: 0,
      samples: 0,
      cases: 2,
    });
    expect(countsDiffer({ ...expected }, expected)).toBeNull();
    expect(countsDiffer({ ...expected, stays: 5 }, expected)).toBe('stays 5 (expected 6)');
    expect(countsDiffer(undefined, expected)).toBe(
      'persons ? (expected 3), places ? (expected 0), boats ? (expected 0), items ? (expected 0), stays ? (expected 6), ' +
        'contacts ? (expected 0), handlings ? (expected 0), samples ? (expected 0), cases ? (expected 2)',
    );
  });
});

describe('readPreviousResults (--merge)', () => {
  it('names the file when it is missing, not JSON or not a results.json', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-bench-merge-'));
    try {
      const file = path.join(dir, 'results.json');
      expect(() => readPreviousResults(file)).toThrow(`--merge: cannot read ${file}`);
      writeFileSync(file, '{"sizes": [');
      expect(() => readPreviousResults(file)).toThrow(`--merge: ${file} is not JSON`);
      writeFileSync(file, '{"rows": []}');
      expect(() => readPreviousResults(file)).toThrow(`--merge: ${file} has no "sizes" list`);
      writeFileSync(file, '{"machine": {"commit": "abc"}, "sizes": []}');
      expect(readPreviousResults(file).sizes).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generatorDigest', () => {
  it('changes with the content of any source file of the generator, and only with that', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-generator-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
      writeFileSync(path.join(dir, 'b.ts'), 'export const b = 2;\n');
      const first = generatorDigest(dir);
      expect(first).toMatch(/^[0-9a-f]{8}$/);
      writeFileSync(path.join(dir, 'notes.md'), 'not source\n');
      expect(generatorDigest(dir)).toBe(first);
      writeFileSync(path.join(dir, 'b.ts'), 'export const b = 3;\n');
      expect(generatorDigest(dir)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reportMeasures', () => {
  it('gives the HTML its own time and memory, and the others the shared analysis plus their rendering', () => {
    const measures = reportMeasures({
      seconds: 12.5,
      peakRssBytes: 900,
      analyseSeconds: 10,
      asOf: '2022-08-10T23:59:59+08:00',
      cases: 3,
      contacts: 40,
      formats: {
        html: { renderSeconds: 2.5, bytes: 1000, peakRssBytes: 700 },
        md: { renderSeconds: 1, bytes: 600, peakRssBytes: 800 },
        csv: { renderSeconds: 0.5, bytes: 300, peakRssBytes: 900 },
      },
    });
    expect(measures.map(([id, r]) => [id, r.seconds, r.peakRssBytes, r.bytes])).toEqual([
      ['report.html.embedded', 12.5, 700, 1000],
      ['report.md.embedded', 11, 800, 600],
      ['report.csv.embedded', 10.5, 900, 300],
    ]);
    expect(measures[1]![1]).toMatchObject({ analyseSeconds: 10, renderSeconds: 1, cases: 3, contacts: 40 });
  });

  it('fails naming the format a step left out', () => {
    expect(() => reportMeasures({ seconds: 1, analyseSeconds: 1, formats: {} })).toThrow(
      'step report failed: no figures for the html report',
    );
  });
});
