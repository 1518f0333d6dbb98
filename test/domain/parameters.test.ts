import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveParameters } from '../../src/domain/parameters';

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
});
