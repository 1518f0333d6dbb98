import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import { chainViewAsset, chainViewData, chainViewPage } from '../../src/report/chain-view';
import { analysisReportFixture, emptyReportFixture } from './fixtures';

// The bundler script is plain CommonJS (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAssets } = require('../../scripts/build-assets.js') as {
  buildAssets(options: { outdir: string }): Promise<string[]>;
};

describe('chainViewData', () => {
  const data = chainViewData(analysisReportFixture());
  const node = (key: string) => data.nodes.find((n) => n.key === key)!;

  it('has one node per case and one per source of each chain, and one edge per link', () => {
    expect(data.nodes.filter((n) => n.kind === 'case').map((n) => n.key)).toEqual([
      'P01',
      'P02',
      'P03',
      'P04',
      'P05',
      'P06',
      'P07',
      'P08',
      'P09',
    ]);
    expect(data.nodes.filter((n) => n.kind !== 'case').map((n) => [n.key, n.kind])).toEqual([
      ['C1:B01', 'boat'],
      ['C2:L01', 'item'],
      ['C3:unknown', 'unknown'],
    ]);
    expect(data.edges.map((e) => `${e.source}->${e.target}`)).toEqual([
      'C1:B01->P01',
      'C1:B01->P02',
      'P01->P03',
      'P02->P04',
      'P03->P05',
      'P04->P06',
      'C2:L01->P07',
      'P07->P08',
      'C3:unknown->P09',
    ]);
    expect(data.chains.map((c) => [c.id, c.rootLabel, c.size])).toEqual([
      ['C1', 'B01 琼三亚渔12345', 6],
      ['C2', 'L01 frozen shrimp lot 220728A', 2],
      ['C3', 'P09 Li Na', 1],
    ]);
    expect(data.maxGeneration).toBe(2);
  });

  it('carries what the panel and the filters need', () => {
    expect(node('P03')).toMatchObject({
      label: 'P03 黄丽',
      chainId: 'C1',
      generation: 1,
      classification: 'confirmed',
      setting: 'household',
      settingLabel: 'household',
      date: '2022-08-04',
      infector: { id: 'P01', label: 'P01 陈伟', kind: 'case', probability: 0.71 },
    });
    expect(node('P03').candidates.map((c) => [c.id, c.probability])).toEqual([
      ['P01', 0.71],
      ['unknown', 0.29],
    ]);
    // No onset: the date filter uses the day of confirmation.
    expect(node('P04').date).toBe('2022-08-05');
    expect(node('P09').setting).toBe('none');
    expect(data.edges.find((e) => e.target === 'P06')).toMatchObject({
      probability: 0.39,
      setting: 'place',
      flags: ['onset order reversed'],
    });
  });

  it('lays chains out side by side, one generation per row, root on top (y grows upwards)', () => {
    const xs = (chainId: string) => data.nodes.filter((n) => n.chainId === chainId).map((n) => n.x);
    expect(Math.min(...xs('C2'))).toBeGreaterThan(Math.max(...xs('C1')));
    expect(Math.min(...xs('C3'))).toBeGreaterThan(Math.max(...xs('C2')));
    expect(node('C1:B01').y).toBeGreaterThan(node('P01').y);
    expect(node('P01').y).toBe(node('P02').y);
    expect(node('P01').y).toBeGreaterThan(node('P03').y);
    expect(node('P03').y).toBeGreaterThan(node('P05').y);
  });

  it('keeps only the chains of the asked cases, masked when asked', () => {
    const narrowed = chainViewData(analysisReportFixture(), { caseIds: ['P08'], mask: true });
    expect(narrowed.nodes.map((n) => n.key)).toEqual(['P07', 'P08', 'C2:L01']);
    expect(narrowed.nodes[0]!.label).toBe('P07 王*');
    expect(narrowed.nodes[1]!.infector!.label).toBe('P07 王*');
  });
});

describe('chainViewData of an empty report', () => {
  it('has no nodes, edges or chains', () => {
    const data = chainViewData(emptyReportFixture());
    expect([data.nodes, data.edges, data.chains, data.maxGeneration]).toEqual([[], [], [], 0]);
  });
});

describe('chainViewPage', () => {
  it('loads the script and the data from below /chains only', () => {
    const html = chainViewPage();
    expect(html).toContain('<script src="/chains/app.js"></script>');
    expect(html).toContain('data-source="/chains/data.json"');
    expect(html).not.toMatch(/https?:\/\//);
    expect(chainViewPage({ base: '/x/chains/' })).toContain('<script src="/x/chains/app.js"></script>');
  });
});

describe('chainViewAsset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-assets-'));
    await buildAssets({ outdir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the bundled script as JavaScript that parses', () => {
    const asset = chainViewAsset('app.js', dir)!;
    expect(asset.type).toBe('text/javascript; charset=utf-8');
    expect(asset.body.length).toBeGreaterThan(50_000);
    expect(() => new Script(asset.body.toString('utf8'))).not.toThrow();
  });

  it('serves nothing else', () => {
    expect(chainViewAsset('data.json', dir)).toBeNull();
    expect(chainViewAsset('../package.json', dir)).toBeNull();
    expect(chainViewAsset('toString', dir)).toBeNull();
    expect(chainViewAsset('app.js', path.join(dir, 'missing'))).toBeNull();
  });
});
