/**
 * The chain view served by the API server, in a real browser (Debian's chromium through
 * playwright-core), over the demo district: the page asks for a key, draws one node per case,
 * shows a clicked case's infector candidates, and every request stays on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadExamples } from '../../src/api/explorer/examples';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { importBundle } from '../../src/import/import';
import type { ChainViewData } from '../../src/report/chain-view';
import { openEmbeddedStore } from '../../src/store/embedded';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAssets } = require('../../scripts/build-assets.js') as {
  buildAssets(options: { outdir: string }): Promise<string[]>;
};

const KEY = 'investigator-key-chain-view-1';
const DEMO = path.resolve(__dirname, '../../seeds/demo');
const OUTPUT = path.resolve(__dirname, '../../test-output');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** What the page's window.chainView offers the tests. */
interface ChainViewHandle {
  chainView: {
    graph: { nodes(): string[]; getNodeAttribute(key: string, name: string): { kind: string } };
    viewportPositionOf(key: string): { x: number; y: number };
  };
}

/** A text drawn on sigma's label canvas, with where and how wide. */
interface DrawnText {
  text: string;
  x: number;
  y: number;
  width: number;
}

/**
 * Records the texts drawn on the labels canvas (the node labels) in `drawnLabels`: run in the page
 * before its script, so that what the page draws is checked, not how it chose to.
 */
const RECORD_LABEL_TEXTS = `
  const drawn = (globalThis.drawnLabels = []);
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    if (this.canvas.classList.contains('sigma-labels'))
      drawn.push({ text, x, y, width: this.measureText(text).width });
    return fillText.call(this, text, x, y, ...rest);
  };
`;

/** What the label check reads of the page's window.chainView. */
interface LabelHandle {
  chainView: {
    graph: { nodes(): string[]; getNodeAttribute(key: string, name: string): { id: string; label: string } };
    renderer: {
      refresh(): void;
      scaleSize(size: number): number;
      getNodeDisplayData(key: string): { size: number };
    };
    viewportPositionOf(key: string): { x: number; y: number };
  };
}

/** As the page writes a probability. */
const percent = (p: number): string => (p > 0 && p < 0.005 ? '<1%' : `${Math.round(p * 100)}%`);

describe('the chain view on the API server, in a browser', () => {
  let dir: string;
  let assets: string;
  let running: RunningApiServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-chain-view-live-'));
    assets = mkdtempSync(path.join(tmpdir(), 'tracegraph-chain-view-assets-'));
    await buildAssets({ outdir: assets });
    const store = await openEmbeddedStore(dir);
    await store.migrate();
    await importBundle(store, DEMO);
    running = await startApiServer(
      {
        store,
        apiKeys: [{ key: KEY, role: 'investigator' }],
        logger: pino({ level: 'silent' }),
        assetsDir: assets,
      },
      { port: 0 },
    );
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(assets, { recursive: true, force: true });
  });

  async function enterKey(page: Page, key: string): Promise<void> {
    await page.waitForSelector('body[data-ready="key"]');
    await page.fill('#api-key', key);
    await page.click('#use-key');
  }

  test('asks for a key, draws one node per case, shows a clicked case; nothing leaves 127.0.0.1', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript({ content: RECORD_LABEL_TEXTS });
    const requested: string[] = [];
    context.on('request', (request) => void requested.push(request.url()));
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => void pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        pageErrors.push(message.text());
    });

    await page.goto(`${running.url}/chains`);
    await enterKey(page, 'not-the-key');
    await page.waitForSelector('#key-form:has-text("That key was refused")');
    await enterKey(page, KEY);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });

    const caseIds = readFileSync(path.join(DEMO, 'cases.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    const caseNodes = await page.evaluate(() => {
      const { graph } = (globalThis as unknown as ChainViewHandle).chainView;
      return graph.nodes().filter((key) => graph.getNodeAttribute(key, 'info').kind === 'case');
    });
    expect([...caseNodes].sort()).toEqual([...caseIds].sort());
    await expect(page.locator('#status').textContent()).resolves.toBe(
      `${caseIds.length} of ${caseIds.length} cases shown`,
    );

    // Every node is labelled (at least with its id) and no label covers another or another node.
    const labels = await page.evaluate(() => {
      const view = globalThis as unknown as { drawnLabels: DrawnText[] } & LabelHandle;
      view.drawnLabels.length = 0;
      view.chainView.renderer.refresh();
      const { graph, renderer } = view.chainView;
      return {
        drawn: [...view.drawnLabels],
        nodes: graph.nodes().map((key) => {
          const { id, label } = graph.getNodeAttribute(key, 'info');
          const { x, y } = view.chainView.viewportPositionOf(key);
          return { id, label, x, y, r: renderer.scaleSize(renderer.getNodeDisplayData(key).size) };
        }),
      };
    });
    expect(labels.nodes).toHaveLength(21);
    for (const node of labels.nodes) {
      const own = labels.drawn.filter((d) => d.text === node.id || d.text === node.label);
      expect([node.id, own.length]).toEqual([node.id, 1]);
    }
    // A label's box: from its baseline, 9 px up and 3 px down at 12 px.
    const labelBox = (d: DrawnText) => ({ left: d.x, right: d.x + d.width, top: d.y - 9, bottom: d.y + 3 });
    const overlap = (a: ReturnType<typeof labelBox>, b: ReturnType<typeof labelBox>) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const crossings: string[] = [];
    labels.drawn.forEach((a, i) => {
      for (const b of labels.drawn.slice(i + 1))
        if (overlap(labelBox(a), labelBox(b))) crossings.push(`${a.text} / ${b.text}`);
      for (const n of labels.nodes) {
        if (a.text === n.id || a.text === n.label) continue;
        const disc = { left: n.x - n.r, right: n.x + n.r, top: n.y - n.r, bottom: n.y + n.r };
        if (overlap(labelBox(a), disc)) crossings.push(`${a.text} / node ${n.id}`);
      }
    });
    expect(crossings).toEqual([]);

    // The case of the explorer's first example, with its candidates as the data has them.
    const caseId = JSON.parse(
      loadExamples().find((e) => e.name === 'CaseInfectorAndContacts')!.variables!,
    ).personId;
    const data = (await (
      await fetch(`${running.url}/chains/data.json`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()) as ChainViewData;
    const node = data.nodes.find((n) => n.key === caseId)!;
    expect(node.candidates.length).toBeGreaterThan(0);

    const position = await page.evaluate(
      (key) => (globalThis as unknown as ChainViewHandle).chainView.viewportPositionOf(key),
      caseId,
    );
    const box = (await page.locator('#graph').boundingBox())!;
    await page.mouse.click(box.x + position.x, box.y + position.y);
    await page.waitForSelector(`#panel[data-selected="${caseId}"]`);
    await expect(page.locator('#panel h2').textContent()).resolves.toContain(`${caseId} ${node.name}`);
    const rows = await page
      .locator('#panel table.candidates tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-candidate-id'), tr.querySelector('td.num')!.textContent]),
      );
    expect(rows).toEqual(node.candidates.map((c) => [c.id, percent(c.probability)]));

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'chain-view-live.png') });

    // The key stays with the tab: a reload draws at once.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });

    // The page passes its own caseIds (and asOf) on to the data: only that case's chain.
    const chain = data.chains.find((c) => c.id === node.chainId)!;
    await page.goto(`${running.url}/chains?caseIds=${caseId}&asOf=${encodeURIComponent(data.asOf)}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await expect(page.locator('#status').textContent()).resolves.toBe(
      `${chain.size} of ${chain.size} cases shown`,
    );

    // A refused request shows the server's own message.
    await page.goto(`${running.url}/chains?asOf=2022-13-01`);
    await page.waitForSelector('body[data-ready="error"]', { timeout: 60_000 });
    await expect(page.locator('#graph .error').textContent()).resolves.toMatch(
      /^Could not load the chains: \/chains\/data\.json\?asOf=2022-13-01: 400 Bad Request: asOf: "2022-13-01" is not an ISO 8601 timestamp/,
    );

    const origin = new URL(running.url).origin;
    expect(requested).toContain(`${origin}/chains/data.json`);
    expect(requested).toContain(
      `${origin}/chains/data.json?asOf=${encodeURIComponent(data.asOf)}&caseIds=${caseId}`,
    );
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(requested.every((u) => u.startsWith('data:') || new URL(u).hostname === '127.0.0.1')).toBe(true);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
