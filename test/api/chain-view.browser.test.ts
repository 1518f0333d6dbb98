/**
 * The chain view served by the API server, in a real browser (Debian's chromium through
 * playwright-core), over the demo district: the page asks for a key, draws one node per case,
 * shows a clicked case's infector candidates, and every request stays on 127.0.0.1; every node
 * is labelled, inside the canvas, crossing no edge where a spot beside it crosses none, at the
 * narrowest phone's size, a phone's, a narrow window's and a wide one's, and after the window is
 * resized.
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
import {
  drawn,
  inside,
  labelCanvas,
  labelProblems,
  RECORD_LABEL_TEXTS,
  type DrawnText,
  type LabelHandle,
} from '../report/chain-view-labels';

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

    // Every node is labelled (at least with its id), inside the canvas, covering no other.
    await expect(labelProblems(page)).resolves.toEqual([]);

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

  // Sigma drew every label right of its node: in a narrow stage (768x1024, beside the panel) the
  // rightmost chain's labels ran past the canvas's right edge and 7 of 21 nodes had none; at a
  // phone's width (360 px) the panel left the graph no width and the page drew nothing. At 320 px
  // P0000522, between two chains' columns, had no spot left above, below, right or left of it.
  // Labels above and below nodes crossed the edges of their chains (at 360 and 768 px).
  test.each([
    [320, 640],
    [360, 640],
    [768, 1024],
    [1400, 900],
  ])(
    'at %ix%i every node is labelled inside the canvas, across no edge where it need not be, and so is a selected one',
    async (width, height) => {
      const context = await browser.newContext({ viewport: { width, height } });
      await context.addInitScript({ content: RECORD_LABEL_TEXTS });
      const page = await context.newPage();
      await page.goto(`${running.url}/chains`);
      await enterKey(page, KEY);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      // From 768 px wide on, every label of the demo has a spot crossing no edge.
      await expect(labelProblems(page, { noCrossing: width >= 768 })).resolves.toEqual([]);

      // The rightmost case, clicked: its whole label, in the hover box, lies inside the canvas too.
      const { key, position, label } = await page.evaluate(() => {
        const { chainView } = globalThis as unknown as LabelHandle;
        const rightmost = chainView.graph
          .nodes()
          .map((k) => ({ key: k, position: chainView.viewportPositionOf(k) }))
          .sort((a, b) => b.position.x - a.position.x || a.position.y - b.position.y)[0]!;
        return { ...rightmost, label: chainView.graph.getNodeAttribute(rightmost.key, 'info').label };
      });
      await page.locator('#graph').scrollIntoViewIfNeeded();
      const canvas = await labelCanvas(page);
      const box = (await page.locator('#graph').boundingBox())!;
      await page.evaluate(
        () => void ((globalThis as unknown as { drawnLabels: DrawnText[] }).drawnLabels.length = 0),
      );
      await page.mouse.click(box.x + position.x, box.y + position.y);
      await page.waitForSelector(`#panel[data-selected="${key}"]`);
      await drawn(page);
      const hovered = await page.evaluate(() =>
        (globalThis as unknown as { drawnLabels: DrawnText[] }).drawnLabels.filter(
          (d) => d.layer === 'hovers',
        ),
      );
      expect(hovered.map((d) => d.text)).toContain(label);
      for (const d of hovered)
        expect([d.text, inside(d.box, canvas.width, canvas.height)]).toEqual([d.text, true]);
      await expect(labelProblems(page)).resolves.toEqual([]);

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: path.join(OUTPUT, `chain-view-${width}x${height}.png`), fullPage: true });
      await context.close();
    },
  );

  test('after the window is resized, from wide to narrow and back, every node is labelled inside the canvas', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript({ content: RECORD_LABEL_TEXTS });
    const page = await context.newPage();
    await page.goto(`${running.url}/chains`);
    await enterKey(page, KEY);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    for (const [width, height] of [
      [480, 800],
      [900, 700],
      [1400, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect(labelProblems(page)).resolves.toEqual([]);
    }
    await context.close();
  });

  test('an id wider than the whole canvas is drawn shortened with an ellipsis, inside the canvas', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    await context.addInitScript({ content: RECORD_LABEL_TEXTS });
    const page = await context.newPage();
    // P0000379's id (the last of its chain, with room beside it), as the page receives it once the
    // key is taken, made 500-odd pixels wide.
    const longId =
      'P0000379, Sanya Central Hospital, isolation block B, ward 3, bed 12, transferred from Yazhou';
    await page.route(`${running.url}/chains/data.json`, async (route) => {
      const response = await route.fetch();
      if (!response.ok()) return route.fulfill({ response });
      const data = (await response.json()) as ChainViewData;
      const node = data.nodes.find((n) => n.key === 'P0000379')!;
      Object.assign(node, { id: longId, label: `${longId} ${node.name}` });
      await route.fulfill({ json: data });
    });
    await page.goto(`${running.url}/chains`);
    await enterKey(page, KEY);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await expect(labelProblems(page)).resolves.toEqual([]);
    const shortened = await page.evaluate(() =>
      (globalThis as unknown as { drawnLabels: DrawnText[] }).drawnLabels.filter(
        (d) => d.layer === 'labels' && d.text.endsWith('…'),
      ),
    );
    expect(shortened).toHaveLength(1);
    expect(longId.startsWith(shortened[0]!.text.slice(0, -1))).toBe(true);
    // Half the canvas's width, or just under.
    const { width } = await labelCanvas(page);
    const drawnWidth = shortened[0]!.box.right - shortened[0]!.box.left;
    expect([drawnWidth > width / 2 - 20, drawnWidth <= width / 2]).toEqual([true, true]);
    await context.close();
  });
});
