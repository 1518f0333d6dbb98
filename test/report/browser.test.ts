/**
 * The HTML report and the chain view in a real browser (Debian's chromium via playwright-core):
 * what is drawn, what a click shows, and that nothing is fetched from outside the machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  chainViewAsset,
  chainViewData,
  chainViewPage,
  type ChainViewData,
  type ChainViewEdge,
  type ChainViewNode,
} from '../../src/report/chain-view';
import { renderHtml } from '../../src/report/html';
import { labelProblems, RECORD_LABEL_TEXTS } from './chain-view-labels';
import { analysisReportFixture } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAssets } = require('../../scripts/build-assets.js') as {
  buildAssets(options: { outdir: string }): Promise<string[]>;
};

const OUTPUT = path.resolve(__dirname, '../../test-output');

let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Every URL the page asks for, from the moment it is created. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

describe('HTML report in a browser', () => {
  it('draws one chain-diagram node per case, fetches nothing outside, and prints one case per page', async () => {
    const file = path.join(OUTPUT, 'report.html');
    writeFileSync(file, renderHtml(analysisReportFixture(), { title: 'Yazhou trace report' }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests = recordRequests(page);
    await page.goto(`file://${file}`);
    await page.waitForLoadState('load');

    expect(await page.locator('svg.chain-diagram [data-case-id]').count()).toBe(9);
    expect(await page.locator('svg.chain-diagram[data-chain-id="C1"] [data-case-id]').count()).toBe(6);
    expect(await page.locator('svg.chain-diagram [data-source-id]').count()).toBe(3);

    // No two nodes of a chain overlap on screen.
    for (const chain of ['C1', 'C2', 'C3']) {
      const boxes = await page
        .locator(`svg.chain-diagram[data-chain-id="${chain}"] g.node .shape`)
        .evaluateAll((shapes) =>
          shapes.map((s) => {
            const r = s.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }),
        );
      for (let i = 0; i < boxes.length; i++) {
        const a = boxes[i]!;
        expect(a.right - a.left).toBeGreaterThan(10);
        for (let j = i + 1; j < boxes.length; j++) {
          const b = boxes[j]!;
          const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
          expect(apart).toBe(true);
        }
      }
    }

    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url.startsWith('file://') || url.startsWith('data:')).toBe(true);

    const chainsBottom = await page
      .locator('#chains')
      .evaluate(
        (el) => el.getBoundingClientRect().bottom + (globalThis as unknown as { scrollY: number }).scrollY,
      );
    await page.screenshot({
      path: path.join(OUTPUT, 'report.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1200, height: Math.ceil(chainsBottom) },
    });

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length;
    // At least: the overview, one page per case (9), the lists after the cases.
    expect(pages).toBeGreaterThanOrEqual(11);
    await page.close();
  });

  it("fits a phone's width: no wider than the screen, the epidemic curve's labels readable; the wide curve on a desktop and on paper", async () => {
    const file = path.join(OUTPUT, 'report-phone.html');
    writeFileSync(file, renderHtml(analysisReportFixture(), { title: 'Yazhou trace report' }));
    /** The page's width, and the epidemic curves shown: their layout, width and smallest label's height. */
    const measure = async (page: Page) => ({
      pageWidth: await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      ),
      curves: await page.locator('svg.epi-curve').evaluateAll((svgs) =>
        svgs
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .map((svg) => ({
            viewBox: svg.getAttribute('viewBox'),
            width: Math.round(svg.getBoundingClientRect().width),
            smallestLabel: Math.min(
              ...[...svg.querySelectorAll('text.axis')].map((t) => t.getBoundingClientRect().height),
            ),
          })),
      ),
    });

    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await phone.goto(`file://${file}`);
    const onPhone = await measure(phone);
    // The table of contents wraps and wide tables scroll within the page.
    expect(onPhone.pageWidth).toBeLessThanOrEqual(360);
    expect(onPhone.curves.map((c) => c.viewBox)).toEqual(['0 0 296 266']);
    expect(onPhone.curves[0]!.width).toBeLessThanOrEqual(296);
    // 11 px labels shown at about a third of their size were 5 px high.
    expect(onPhone.curves[0]!.smallestLabel).toBeGreaterThanOrEqual(10);
    await phone.locator('#epi-curve').screenshot({ path: path.join(OUTPUT, 'report-epi-curve-360.png') });
    await phone.emulateMedia({ media: 'print' });
    const onPaper = await measure(phone);
    // Paper shows the wide curve, whatever the screen it is printed from.
    expect(onPaper.curves.map((c) => c.viewBox)).toEqual(['0 0 760 250']);
    expect(
      await phone
        .locator('svg.timeline')
        .evaluateAll((svgs) =>
          svgs
            .filter((svg) => svg.getBoundingClientRect().width > 0)
            .map((svg) => svg.getAttribute('viewBox')),
        ),
    ).toEqual(Array(9).fill('0 0 720 62'));
    await phone.close();

    const desktop = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await desktop.goto(`file://${file}`);
    const onDesktop = await measure(desktop);
    expect(onDesktop.pageWidth).toBeLessThanOrEqual(1200);
    expect(onDesktop.curves.map((c) => [c.viewBox, c.width])).toEqual([['0 0 760 250', 760]]);
    expect(onDesktop.curves[0]!.smallestLabel).toBeGreaterThanOrEqual(11);
    await desktop.close();
  });

  it("keeps the epidemic curve's and the timeline strips' labels 11 px or more from 320 to 1200 px wide", async () => {
    const file = path.join(OUTPUT, 'report-widths.html');
    writeFileSync(file, renderHtml(analysisReportFixture(), { title: 'Yazhou trace report' }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`file://${file}`);
    const seen: [number, string, string, number][] = [];
    for (const width of [320, 360, 414, 560, 561, 600, 700, 768, 800, 839, 840, 1024, 1200]) {
      await page.setViewportSize({ width, height: 900 });
      /** Each drawing shown: its kind, its viewBox and its labels' size in px (font size × its scale). */
      const shown = await page.locator('svg.epi-curve, svg.timeline').evaluateAll((svgs) =>
        svgs
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .map((svg) => {
            const viewBox = svg.getAttribute('viewBox')!;
            const scale = svg.getBoundingClientRect().width / Number(viewBox.split(' ')[2]);
            const sizes = [...svg.querySelectorAll('text.axis')].map(
              (t) =>
                parseFloat(
                  (
                    globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
                  ).getComputedStyle(t).fontSize,
                ) * scale,
            );
            return [svg.getAttribute('class')!, viewBox, Math.min(...sizes)] as const;
          }),
      );
      expect(shown.filter(([kind]) => kind === 'epi-curve')).toHaveLength(1);
      expect(shown.filter(([kind]) => kind === 'timeline')).toHaveLength(9);
      for (const [kind, viewBox, size] of shown) seen.push([width, kind, viewBox, size]);
    }
    await page.screenshot({ path: path.join(OUTPUT, 'report-widths-1200.png') });
    await page.close();
    expect(seen.filter(([, , , size]) => size < 10.99)).toEqual([]);
    // The narrow drawings up to 839 px, the wide ones from 840.
    const viewBoxes = (width: number) => [...new Set(seen.filter(([w]) => w === width).map(([, , v]) => v))];
    expect(viewBoxes(320)).toEqual(['0 0 296 266', '0 0 296 62']);
    expect(viewBoxes(839)).toEqual(['0 0 296 266', '0 0 296 62']);
    expect(viewBoxes(840)).toEqual(['0 0 760 250', '0 0 720 62']);
  });

  it('shows the unknown case ids of a batch in a visible box and only the chains asked for', async () => {
    const file = path.join(OUTPUT, 'report-batch.html');
    writeFileSync(file, renderHtml(analysisReportFixture(), { caseIds: ['P07', 'P999'] }));
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    await expect(page.locator('.problems').isVisible()).resolves.toBe(true);
    expect(await page.locator('.problems li').allTextContents()).toEqual([
      'unknown case id "P999": not a case in this report (as of 2022-08-10 20:00)',
    ]);
    expect(
      await page
        .locator('svg.chain-diagram [data-case-id]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-case-id'))),
    ).toEqual(['P07', 'P08']);
    await page.close();
  });
});

/**
 * A chain laid out by hand (in layout units; sigma's y axis points up, so a lower row has a smaller
 * y) so that the spot right of a node, where a label goes first, crosses an edge: boat B0001
 * infected P0000101, who infected P0000102 far to the right and P0000103 far to the left, a little
 * lower, so that both edges leave P0000101 almost level and reach P0000103 from its right;
 * P0000102 infected P0000104 straight below. Every label has a spot crossing no edge.
 */
function crossingChainData(): ChainViewData {
  const base = chainViewData(analysisReportFixture());
  const caseTemplate = base.nodes.find((n) => n.kind === 'case')!;
  const boatTemplate = base.nodes.find((n) => n.kind === 'boat')!;
  const edgeTemplate = base.edges[0]!;
  const chainId = 'chain-P0000101';
  const node = (template: ChainViewNode, id: string, name: string, x: number, y: number): ChainViewNode => ({
    ...template,
    key: id,
    id,
    name,
    label: `${id} ${name}`,
    chainId,
    candidates: [],
    x,
    y,
  });
  const nodes = [
    node(boatTemplate, 'B0001', 'Boat 1', 0, 0),
    node(caseTemplate, 'P0000101', 'Lin', 0, -60),
    node(caseTemplate, 'P0000102', 'Chen', 240, -75),
    node(caseTemplate, 'P0000103', 'Wu', -240, -75),
    node(caseTemplate, 'P0000104', 'Fu', 240, -135),
  ];
  const edge = (source: string, target: string): ChainViewEdge => ({
    ...edgeTemplate,
    key: `${source}->${target}`,
    source,
    target,
    chainId,
    probability: 0.9,
    flags: [],
  });
  return {
    ...base,
    chains: [{ ...base.chains[0]!, id: chainId, rootId: 'B0001', rootLabel: 'B0001 Boat 1', size: 4 }],
    nodes,
    edges: [
      edge('B0001', 'P0000101'),
      edge('P0000101', 'P0000102'),
      edge('P0000101', 'P0000103'),
      edge('P0000102', 'P0000104'),
    ],
  };
}

describe('chain view in a browser', () => {
  let assets: string;
  let server: http.Server;
  let origin: string;
  const notFound: string[] = [];

  beforeAll(async () => {
    assets = mkdtempSync(path.join(tmpdir(), 'tracegraph-chain-view-'));
    await buildAssets({ outdir: assets });
    const data = JSON.stringify(chainViewData(analysisReportFixture()));
    const crossing = JSON.stringify(crossingChainData());
    server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/chains') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(chainViewPage());
      } else if (url === '/chains/data.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(data);
      } else if (url === '/crossing/chains') {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(chainViewPage({ base: '/crossing/chains' }));
      } else if (url === '/crossing/chains/data.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(crossing);
      } else if (url === '/crossing/chains/app.js') {
        const asset = chainViewAsset('app.js', assets)!;
        res.writeHead(200, { 'content-type': asset.type }).end(asset.body);
      } else {
        const asset = url.startsWith('/chains/')
          ? chainViewAsset(url.slice('/chains/'.length), assets)
          : null;
        if (asset) res.writeHead(200, { 'content-type': asset.type }).end(asset.body);
        else {
          notFound.push(url);
          res.writeHead(404).end();
        }
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(assets, { recursive: true, force: true });
  });

  it('draws one node per case, filters, and shows a clicked case with its infector candidates', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requests = recordRequests(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/chains`);
    await page.waitForSelector('body[data-ready="true"]');

    const counts = await page.evaluate(() => {
      const { graph } = (
        globalThis as unknown as {
          chainView: {
            graph: { nodes(): string[]; getNodeAttribute(k: string, a: string): { kind: string } };
          };
        }
      ).chainView;
      const nodes = graph.nodes();
      return {
        all: nodes.length,
        cases: nodes.filter((k) => graph.getNodeAttribute(k, 'info').kind === 'case').length,
      };
    });
    expect(counts).toEqual({ all: 12, cases: 9 });
    await expect(page.locator('#status').textContent()).resolves.toBe('9 of 9 cases shown');

    const visible = () =>
      page.evaluate(() =>
        (globalThis as unknown as { chainView: { visibleNodeKeys(): string[] } }).chainView
          .visibleNodeKeys()
          .sort(),
      );

    // Filter by chain.
    await page.locator('#chain-filter').selectOption('C2');
    expect(await visible()).toEqual(['C2:L01', 'P07', 'P08']);
    await expect(page.locator('#status').textContent()).resolves.toBe('2 of 9 cases shown');
    await page.locator('#chain-filter').selectOption('');

    // Filter by date (onset, else confirmation) from 2022-08-05.
    await page.locator('#date-from').fill('2022-08-05');
    expect(await visible()).toEqual(['C3:unknown', 'P04', 'P05', 'P06', 'P08', 'P09']);
    await page.locator('#date-from').fill('');

    // Filter by setting: without household, P03 and P08 go.
    await page.locator('#setting-filter input[value="household"]').uncheck();
    expect(await visible()).toEqual([
      'C1:B01',
      'C2:L01',
      'C3:unknown',
      'P01',
      'P02',
      'P04',
      'P05',
      'P06',
      'P07',
      'P09',
    ]);
    await page.locator('#reset').click();
    expect(await visible()).toHaveLength(12);

    // Colour by setting: P03 was infected in its household.
    const colourOf = (key: string) =>
      page.evaluate(
        (k) =>
          (
            globalThis as unknown as {
              chainView: { renderer: { getNodeDisplayData(k: string): { color: string } } };
            }
          ).chainView.renderer.getNodeDisplayData(k).color,
        key,
      );
    await page.locator('input[name=colour][value=setting]').check();
    expect(await colourOf('P03')).toBe('#d95f02');
    await page.locator('input[name=colour][value=generation]').check();
    expect(await colourOf('P03')).toBe('#2171b5');

    // Click P03 on the canvas.
    const position = await page.evaluate(() =>
      (
        globalThis as unknown as { chainView: { viewportPositionOf(k: string): { x: number; y: number } } }
      ).chainView.viewportPositionOf('P03'),
    );
    const box = (await page.locator('#graph').boundingBox())!;
    await page.mouse.click(box.x + position.x, box.y + position.y);
    await page.waitForSelector('#panel h2');
    expect(await page.locator('#panel').getAttribute('data-selected')).toBe('P03');
    expect(await page.locator('#panel h2').textContent()).toBe('P03 黄丽 confirmed');
    const candidates = await page
      .locator('#panel table.candidates tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-candidate-id'), r.querySelector('td.num')!.textContent]),
      );
    expect(candidates).toEqual([
      ['P01', '71%'],
      ['unknown', '29%'],
    ]);
    await expect(page.locator('#panel').textContent()).resolves.toContain(
      'same household H01; generation interval density 0.21 at 2.6 d',
    );

    await page.screenshot({ path: path.join(OUTPUT, 'chain-view.png') });

    expect(errors).toEqual([]);
    expect(notFound).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const url of requests) expect(url.startsWith(`${origin}/`) || url.startsWith('data:')).toBe(true);
    await page.close();
  });

  // The label of P0000101 went right of it, across its edge to P0000102, and P0000103's right of
  // it, across the edge coming in from P0000101.
  it.each([
    [1280, 800],
    [360, 640],
  ])(
    'at %ix%i puts no label across an edge where a spot beside its node crosses none',
    async (width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.addInitScript({ content: RECORD_LABEL_TEXTS });
      await page.goto(`${origin}/crossing/chains`);
      await page.waitForSelector('body[data-ready="true"]');
      await expect(labelProblems(page, { noCrossing: true })).resolves.toEqual([]);
      await page.screenshot({
        path: path.join(OUTPUT, `chain-view-crossing-${width}x${height}.png`),
        fullPage: true,
      });
      await page.close();
    },
  );

  it('says so when the data cannot be loaded', async () => {
    const page = await browser.newPage();
    await page.route('**/chains/data.json', (route) =>
      route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Service down</h1>' }),
    );
    await page.goto(`${origin}/chains`);
    await page.waitForSelector('body[data-ready="error"]');
    // An HTML page (a proxy's) is not shown.
    await expect(page.locator('#graph .error').textContent()).resolves.toBe(
      'Could not load the chains: /chains/data.json: 503 Service Unavailable',
    );
    await page.close();
  });

  it('shows the server’s own message of a refusal, as text', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const message = 'asOf: "<img src=x onerror=alert(1)>" is not an ISO 8601 timestamp';
    await page.route('**/chains/data.json**', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }),
      }),
    );
    await page.goto(`${origin}/chains`);
    await page.waitForSelector('body[data-ready="error"]');
    await expect(page.locator('#graph .error').textContent()).resolves.toBe(
      `Could not load the chains: /chains/data.json: 400 Bad Request: ${message}`,
    );
    await expect(page.locator('#graph img').count()).resolves.toBe(0);

    // A plain-text body is shown too.
    await page.unroute('**/chains/data.json**');
    await page.route('**/chains/data.json**', (route) =>
      route.fulfill({ status: 502, contentType: 'text/plain', body: 'upstream  closed\n' }),
    );
    await page.reload();
    await page.waitForSelector('body[data-ready="error"]');
    await expect(page.locator('#graph .error').textContent()).resolves.toBe(
      'Could not load the chains: /chains/data.json: 502 Bad Gateway: upstream closed',
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
