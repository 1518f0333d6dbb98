import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countsDiffer, expectedCounts, failureReason, generatorDigest } from '../../bench/run';

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
