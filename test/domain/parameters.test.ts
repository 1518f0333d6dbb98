import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DELAY_BOUNDS,
  ParameterError,
  changesFromPresets,
  meanAndSd,
  resolveParameters,
  type ParameterChoice,
} from '../../src/domain/parameters';

function paramFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'params.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('resolveParameters', () => {
  test('presets, then the file, then the overrides', () => {
    expect(resolveParameters().protocol.name).toBe('cn-9th-2022');
    expect(resolveParameters({ protocol: 'cn-20-measures-2022' }).protocol.name).toBe('cn-20-measures-2022');
    const file = paramFile({ protocol: { preOnsetDays: 4 }, pathogen: { infectiousDaysAfterOnset: 8 } });
    const p = resolveParameters({ file, overrides: ['pathogen.infectiousDaysAfterOnset=6'] });
    expect(p.protocol.preOnsetDays).toBe(4);
    expect(p.pathogen.infectiousDaysAfterOnset).toBe(6);
  });

  test('changesFromPresets: what departs from the named presets, as path=value in path order', () => {
    expect(changesFromPresets(resolveParameters())).toEqual([]);
    expect(changesFromPresets(resolveParameters({ protocol: 'cn-20-measures-2022' }))).toEqual([]);
    const file = paramFile({ protocol: { preOnsetDays: 4 } });
    const changed = resolveParameters({
      file,
      overrides: [
        'pathogen.infectiousDaysAfterOnset=6',
        'protocol.closeContactPlaceKinds=["home","boat"]',
        // Set to the preset's own value: no change.
        'protocol.closeContactMinutes=15',
      ],
    });
    expect(changesFromPresets(changed)).toEqual([
      'protocol.closeContactPlaceKinds=["home","boat"]',
      'protocol.preOnsetDays=4',
      'pathogen.infectiousDaysAfterOnset=6',
    ]);
    // A file may rename a preset: then nothing is known to be as a preset has it.
    const renamed = changesFromPresets(
      resolveParameters({ file: paramFile({ protocol: { name: 'local' } }) }),
    );
    expect(renamed).toContain('protocol.name="local"');
    expect(renamed).toContain('protocol.preOnsetDays=2');
    expect(renamed.every((c) => c.startsWith('protocol.'))).toBe(true);
  });

  test('a file that starts with a UTF-8 byte-order mark (as Windows editors save it) reads as its text', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'params.json');
    writeFileSync(file, '\ufeff{\r\n  "protocol": { "preOnsetDays": 4 }\r\n}\r\n');
    expect(resolveParameters({ file }).protocol.preOnsetDays).toBe(4);
    // A syntax error after the mark is placed as an editor shows it, the mark no column.
    writeFileSync(file, '\ufeff{"protocol": {"preOnsetDays": 4,}}');
    expect(() => resolveParameters({ file })).toThrow(
      new ParameterError(
        `parameter file ${file}: line 1, column 33: Expected double-quoted property name in JSON`,
        { file },
        'line 1, column 33: Expected double-quoted property name in JSON',
      ),
    );
  });

  test('a byte-order mark anywhere but first (a second one, one between values or in a string) is refused at its line and column', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'params.json');
    const stray = (at: string): ParameterError => {
      const problem = `${at}: a stray byte-order mark (U+FEFF, which most editors do not show): only the first character of the file may be one; remove this one`;
      return new ParameterError(`parameter file ${file}: ${problem}`, { file }, problem);
    };
    // Two marks, as a file saved twice with one: the first is the encoding's, the second column 1.
    writeFileSync(file, '\ufeff\ufeff{"protocol": {"preOnsetDays": 4}}');
    expect(() => resolveParameters({ file })).toThrow(stray('line 1, column 1'));
    // No mark first: one further on is as stray.
    writeFileSync(file, '{\r\n  "protocol": {\r\n    \ufeff"preOnsetDays": 4\r\n  }\r\n}\r\n');
    expect(() => resolveParameters({ file })).toThrow(stray('line 3, column 5'));
    // One pasted after the JSON.
    writeFileSync(file, '\ufeff{"protocol": {"preOnsetDays": 4}}\n\ufeff\n');
    expect(() => resolveParameters({ file })).toThrow(stray('line 2, column 1'));
    // Inside a string JSON takes it, but it would be part of a name no editor shows.
    writeFileSync(file, '{"protocol": {"name": "local\ufeff"}}');
    expect(() => resolveParameters({ file })).toThrow(stray('line 1, column 29'));
    // A syntax error before the mark is the one named.
    writeFileSync(file, '{"protocol": {"preOnsetDays": 4,}}\ufeff');
    expect(() => resolveParameters({ file })).toThrow(
      'line 1, column 33: Expected double-quoted property name in JSON',
    );
  });

  test('a misspelt or unused parameter in a file is refused with its path and the file', () => {
    const file = paramFile({ pathogen: { infectiousDaysAfterOnsett: 8 } });
    expect(() => resolveParameters({ file })).toThrow(
      new RegExp(
        `invalid parameters \\(from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): pathogen: .*infectiousDaysAfterOnsett`,
      ),
    );
    // Nested groups too.
    expect(() =>
      resolveParameters({ file: paramFile({ pathogen: { attackRates: { ship: 0.5 } } }) }),
    ).toThrow(/pathogen\.attackRates: .*ship/);
  });

  test('an override of a parameter that does not exist, or a bad value, names the path', () => {
    expect(() => resolveParameters({ overrides: ['pathogen.riskPerHour=0.02'] })).toThrow(
      'parameter "pathogen.riskPerHour" does not exist',
    );
    expect(() => resolveParameters({ overrides: ['protocol.preOnsetDays=-1'] })).toThrow(
      /invalid parameters: protocol\.preOnsetDays: /,
    );
    expect(() => resolveParameters({ overrides: ['preOnsetDays'] })).toThrow('is not path=value');
  });

  test('names every object inherits are unknown names, in presets, files and overrides', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(() => resolveParameters({ protocol: name })).toThrow(`unknown protocol preset "${name}"`);
      expect(() => resolveParameters({ pathogen: name })).toThrow(`unknown pathogen preset "${name}"`);
      expect(() => resolveParameters({ overrides: [`protocol.${name}=1`] })).toThrow(
        `parameter "protocol.${name}" does not exist`,
      );
    }
    // Through an inherited name to what the prototype holds: refused, and nothing is changed.
    expect(() => resolveParameters({ overrides: ['protocol.__proto__.toString=1'] })).toThrow(
      'parameter "protocol.__proto__.toString": "__proto__" is not a group of parameters',
    );
    expect(() => resolveParameters({ overrides: ['constructor.name=x'] })).toThrow(
      /"constructor" is not a group/,
    );
    expect(typeof {}.toString).toBe('function');
    // Written as text: in a JavaScript literal "__proto__" would set the prototype, not a key.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'params.json');
    writeFileSync(file, '{"protocol": {"__proto__": {"preOnsetDays": 9}, "constructor": 1}}');
    expect(() => resolveParameters({ file })).toThrow(/protocol: .*"__proto__", "constructor"/);
  });

  test('delay distributions are bounded to plausible means and spreads, refused with their path (audit D6)', () => {
    // Regression: meanlog 30 (a mean of 10^13 days) passed and the analysis ran for ever.
    expect(() =>
      resolveParameters({
        overrides: ['pathogen.incubation={"family":"lognormal","meanlog":30,"sdlog":0.456}'],
      }),
    ).toThrow(
      'invalid parameters: pathogen.incubation: the mean must be between 0.25 and 30 days (got 1.19e+13, from meanlog 30 and sdlog 0.456)',
    );
    for (const [override, path] of [
      ['pathogen.incubation.meanlog=1000', 'pathogen.incubation'],
      ['pathogen.incubation.meanlog=8', 'pathogen.incubation'],
      ['pathogen.incubation.meanlog=-1000', 'pathogen.incubation'],
      ['pathogen.incubation.sdlog=3', 'pathogen.incubation'],
      ['pathogen.generationInterval.mean=31', 'pathogen.generationInterval'],
      ['pathogen.serialInterval.sd=0.01', 'pathogen.serialInterval'],
      ['pathogen.serialInterval.sd=45', 'pathogen.serialInterval'],
      ['pathogen.infectionToPositive.meanlog=-3', 'pathogen.infectionToPositive'],
    ] as const) {
      expect(() => resolveParameters({ overrides: [override] })).toThrow(
        new RegExp(
          `^invalid parameters: ${path.replace('.', '\\.')}: the (mean|standard deviation) must be between`,
        ),
      );
    }
    // From a file too, naming the file.
    const file = paramFile({ pathogen: { generationInterval: { family: 'gamma', mean: 300, sd: 2 } } });
    expect(() => resolveParameters({ file })).toThrow(/\(from .*\): pathogen\.generationInterval: the mean/);
    // The presets and plausible values pass, up to the bounds.
    expect(() => resolveParameters()).not.toThrow();
    expect(
      resolveParameters({
        overrides: [
          'pathogen.generationInterval={"family":"gamma","mean":30,"sd":30}',
          'pathogen.incubation={"family":"lognormal","meanlog":1.621,"sdlog":0.418}',
        ],
      }).pathogen.generationInterval,
    ).toEqual({ family: 'gamma', mean: 30, sd: 30 });
    expect(DELAY_BOUNDS).toEqual({ minMeanDays: 0.25, maxMeanDays: 30, minSdDays: 0.05, maxSdDays: 30 });
  });

  test('a file may give a delay distribution of another family, which replaces the preset one', () => {
    const file = paramFile({ pathogen: { incubation: { family: 'gamma', mean: 2.8, sd: 1.35 } } });
    expect(resolveParameters({ file }).pathogen.incubation).toEqual({ family: 'gamma', mean: 2.8, sd: 1.35 });
    // Of the same family, the fields given change and the others stay the preset's.
    const sameFamily = paramFile({ pathogen: { incubation: { family: 'lognormal', meanlog: 1 } } });
    expect(resolveParameters({ file: sameFamily }).pathogen.incubation).toEqual({
      family: 'lognormal',
      meanlog: 1,
      sdlog: 0.456,
    });
  });

  test('a fault is blamed on what made it: the file, or an override', () => {
    const good = paramFile({ protocol: { preOnsetDays: 4 } });
    let message = '';
    try {
      resolveParameters({ file: good, overrides: ['protocol.preOnsetDays=-1'] });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^invalid parameters: protocol\.preOnsetDays: /);
    expect(message).not.toContain(good);
    // A fault in the file that an override mends is no fault.
    const bad = paramFile({ protocol: { preOnsetDays: -3, closeContactMinutes: 10 } });
    expect(resolveParameters({ file: bad, overrides: ['protocol.preOnsetDays=3'] }).protocol).toMatchObject({
      preOnsetDays: 3,
      closeContactMinutes: 10,
    });
    // One it does not mend is the file's, named with it.
    expect(() => resolveParameters({ file: bad, overrides: ['protocol.closeContactMinutes=20'] })).toThrow(
      `invalid parameters (from ${bad}): protocol.preOnsetDays: `,
    );
    // Nor can an override inside a group remove a misspelt key the file put there.
    const misspelt = paramFile({ pathogen: { infectiousDaysAfterOnsett: 8 } });
    expect(() =>
      resolveParameters({ file: misspelt, overrides: ['pathogen.infectiousDaysAfterOnset=8'] }),
    ).toThrow(`invalid parameters (from ${misspelt}): pathogen: `);
  });

  test('a refusal gives what made the fault (the preset, the file or the overrides) and the fault alone', () => {
    const refusal = (choice: ParameterChoice): Pick<ParameterError, 'source' | 'problem'> => {
      try {
        resolveParameters(choice);
      } catch (err) {
        if (err instanceof ParameterError) return { source: err.source, problem: err.problem };
        throw err;
      }
      throw new Error('not refused');
    };
    expect(refusal({ protocol: 'nope' })).toEqual({
      source: { preset: 'protocol' },
      problem: 'unknown preset "nope" (known: cn-9th-2022, cn-20-measures-2022)',
    });
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'nope.json');
    expect(refusal({ file: missing })).toEqual({
      source: { file: missing },
      problem: 'ENOENT: no such file or directory',
    });
    // JSON.parse's position, as the line and column an editor shows.
    const notJson = path.join(mkdtempSync(path.join(tmpdir(), 'tracegraph-params-')), 'params.json');
    writeFileSync(notJson, '{\n  "protocol": {"preOnsetDays": 4 "closeContactMinutes": 20}\n}');
    expect(refusal({ file: notJson })).toEqual({
      source: { file: notJson },
      problem: "line 2, column 34: Expected ',' or '}' after property value in JSON",
    });
    // What the file gives is the file's, even beside overrides.
    const file = paramFile({ protocol: { preOnsetDays: -3 } });
    expect(refusal({ file, overrides: ['protocol.closeContactMinutes=20'] })).toEqual({
      source: { file },
      problem: 'protocol.preOnsetDays: Too small: expected number to be >=0',
    });
    expect(refusal({ overrides: ['protocol.preOnsetDays'] })).toEqual({
      source: { overrides: ['protocol.preOnsetDays'] },
      problem: 'is not path=value (e.g. protocol.preOnsetDays=4)',
    });
    expect(refusal({ overrides: ['protocol.preOnsetDays=3', 'protocol.nope=1'] })).toEqual({
      source: { overrides: ['protocol.nope=1'] },
      problem: 'parameter "protocol.nope" does not exist',
    });
    // Of overrides at fault, the first given, with its faults only; of two setting one value, the last.
    expect(
      refusal({
        overrides: [
          'protocol.preOnsetDays=3',
          'protocol.closeContactMinutes=-1',
          'pathogen.incubation.meanlog=1000',
        ],
      }),
    ).toEqual({
      source: { overrides: ['protocol.closeContactMinutes=-1'] },
      problem: 'protocol.closeContactMinutes: Too small: expected number to be >=0',
    });
    expect(refusal({ overrides: ['protocol.preOnsetDays=-1', 'protocol.preOnsetDays=-2'] })).toEqual({
      source: { overrides: ['protocol.preOnsetDays=-2'] },
      problem: 'protocol.preOnsetDays: Too small: expected number to be >=0',
    });
    // A fault of two values together (the hours of a night) is of the override that set either.
    expect(
      refusal({ overrides: ['protocol.preOnsetDays=3', 'protocol.householdNightEndHour=23'] }).source,
    ).toEqual({ overrides: ['protocol.householdNightEndHour=23'] });
  });

  test('the hours of a night, checked together, are mended by an override of either', () => {
    const file = paramFile({ protocol: { householdNightEndHour: 23 } });
    expect(() => resolveParameters({ file })).toThrow(
      `invalid parameters (from ${file}): protocol.householdNightStartHour: a night runs`,
    );
    const mended = resolveParameters({ file, overrides: ['protocol.householdNightEndHour=6'] }).protocol;
    expect([mended.householdNightStartHour, mended.householdNightEndHour]).toEqual([22, 6]);
  });

  test('meanAndSd: of a lognormal from meanlog and sdlog, of a gamma as given', () => {
    const { mean, sd } = meanAndSd({ family: 'lognormal', meanlog: 0.928, sdlog: 0.456 });
    // Li et al.: mean 2.81, SD 1.35.
    expect(mean).toBeCloseTo(2.81, 2);
    expect(sd).toBeCloseTo(1.35, 2);
    expect(meanAndSd({ family: 'gamma', mean: 3, sd: 1.7 })).toEqual({ mean: 3, sd: 1.7 });
  });
});
