/**
 * The explorer in a real browser (Debian's chromium through playwright-core): enter a key, run
 * the first example, see its result; every request the page makes stays on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { loadExamples } from '../../src/api/explorer/examples';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { openEmbeddedStore } from '../../src/store/embedded';
import { smallDistrict } from '../store/fixtures';

const KEY = 'investigator-key-browser-1';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

describe('the explorer in a browser', () => {
  let dir: string;
  let running: RunningApiServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-api-browser-'));
    const store = await openEmbeddedStore(dir);
    await store.write(smallDistrict());
    // The checked-in examples, the person example first and on a person of the small district.
    const person = loadExamples().find((e) => e.name === 'PersonWithStays')!;
    const others = loadExamples().filter((e) => e.name !== 'PersonWithStays');
    const examples = [{ ...person, variables: JSON.stringify({ id: 'P1', first: 10 }, null, 2) }, ...others];
    running = await startApiServer(
      { store, apiKeys: [{ key: KEY, role: 'investigator' }], logger: pino({ level: 'silent' }), examples },
      { port: 0 },
    );
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('enter a key, run the first example, see the result; nothing leaves 127.0.0.1', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    context.on('request', (request) => void requested.push(request.url()));
    const pageErrors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (err) => void pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        pageErrors.push(message.text());
    });

    await page.goto(`${running.url}/`);
    await page.waitForSelector('.graphiql-container');
    await page.waitForSelector('#key-status:has-text("No key yet")');

    await page.fill('#api-key', KEY);
    await page.click('#use-key');
    await page.waitForSelector('#key-status:has-text("Key set")');
    expect(await page.inputValue('#api-key')).toBe('');

    // The first tab is the first example given to the server.
    await page.waitForSelector('.graphiql-query-editor .CodeMirror-code:has-text("query PersonWithStays")');
    await page.click('.graphiql-execute-button');
    const response = page.locator('.graphiql-response .CodeMirror-code');
    await response.locator('text=陈大明').waitFor({ timeout: 30_000 });
    const text = await response.innerText();
    expect(text).toContain('"id": "P1"');
    expect(text).toContain('"relation": "ABOARD"');
    expect(text).toContain('"totalCount": 2');

    mkdirSync(path.resolve(__dirname, '../../test-output'), { recursive: true });
    await page.screenshot({
      path: path.resolve(__dirname, '../../test-output/explorer.png'),
      fullPage: true,
    });

    const origin = new URL(running.url).origin;
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(requested.every((u) => u.startsWith('data:') || new URL(u).hostname === '127.0.0.1')).toBe(true);
    expect(requested).toContain(`${origin}/graphql`);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
