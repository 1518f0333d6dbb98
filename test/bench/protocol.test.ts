import { formatResultLine, parseResultLine, peakRssBytes, statusBytes } from '../../bench/protocol';

describe('step results', () => {
  it('throws when a step printed no result line', () => {
    expect(() => parseResultLine('starting\nno result here\n')).toThrow(
      'the step printed no BENCH_RESULT line',
    );
  });

  it('reads the last result line among other output', () => {
    const out = `progress 1\n${formatResultLine({ seconds: 1 })}\nnoise\n${formatResultLine({ seconds: 2.5, rows: 24 })}\n`;
    expect(parseResultLine(out)).toEqual({ seconds: 2.5, rows: 24 });
  });
});

describe('memory', () => {
  const status = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';

  it('reads VmHWM and VmRSS from /proc status text, in bytes', () => {
    expect(statusBytes(status, 'VmHWM')).toBe(204800 * 1024);
    expect(statusBytes(status, 'VmRSS')).toBe(102400 * 1024);
    expect(statusBytes('Name:\tnode\n', 'VmHWM')).toBeNull();
  });

  it("reads this process's own peak in bytes: above a buffer it filled", () => {
    const held = Buffer.alloc(64 * 1024 * 1024, 1);
    expect(peakRssBytes()).toBeGreaterThan(held.length);
    expect(held[held.length - 1]).toBe(1);
  });
});
