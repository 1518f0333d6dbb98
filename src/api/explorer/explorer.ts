/**
 * The offline explorer: GraphiQL 3.9 with React 18, all served from this server's own routes
 * (from node_modules, never a CDN), preloaded with schema/examples.graphql, with a field for the
 * API key (kept in the tab's sessionStorage and sent as `Authorization: Bearer <key>`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ExampleOperation } from './examples';

export const EXPLORER_PREFIX = '/explorer/';

interface Asset {
  contentType: string;
  body: Buffer;
  gzipped?: Buffer;
}

const packageDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));

/** Where each asset comes from. React 18 still ships UMD builds; GraphiQL 3.9 a single-file one. */
const ASSET_SOURCES: Record<string, { file: () => string; contentType: string }> = {
  'react.production.min.js': {
    file: () => path.join(packageDir('react'), 'umd', 'react.production.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    file: () => path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': {
    file: () => path.join(packageDir('graphiql'), 'graphiql.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.css': {
    file: () => path.join(packageDir('graphiql'), 'graphiql.min.css'),
    contentType: 'text/css; charset=utf-8',
  },
};

/** Runs in the browser: renders GraphiQL with a fetcher that adds the key. */
const BOOT_SCRIPT = `(function () {
  'use strict';
  var STORAGE_KEY = 'tracegraph.apiKey';
  var examples = JSON.parse(document.getElementById('tracegraph-examples').textContent);
  var input = document.getElementById('api-key');
  var status = document.getElementById('key-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function readKey() {
    try { return sessionStorage.getItem(STORAGE_KEY) || ''; } catch (e) { return ''; }
  }
  function makeFetcher(key) {
    return function (params, options) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (key) headers.Authorization = 'Bearer ' + key;
      var extra = (options && options.headers) || {};
      Object.keys(extra).forEach(function (name) { headers[name] = extra[name]; });
      return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
        .then(function (response) { return response.json(); });
    };
  }
  function render() {
    var key = readKey();
    status.textContent = key ? 'Key set for this tab.' : 'No key yet: every request is refused (401).';
    root.render(React.createElement(GraphiQL, {
      fetcher: makeFetcher(key),
      defaultTabs: examples.map(function (e) { return { query: e.query, variables: e.variables }; }),
      // GraphiQL fills the open tab's editors from these, not from defaultTabs.
      query: examples.length ? examples[0].query : undefined,
      variables: examples.length ? examples[0].variables : undefined,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false
    }));
  }
  document.getElementById('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    try { sessionStorage.setItem(STORAGE_KEY, input.value.trim()); } catch (e) { /* private mode */ }
    input.value = '';
    render();
  });
  render();
})();
`;

const PAGE_STYLE = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#key-form { display: flex; gap: 8px; align-items: center; padding: 6px 12px; border-bottom: 1px solid #ddd; font-size: 14px; }
#key-form strong { margin-right: 12px; }
#key-form input { width: 22em; }
#key-status { color: #666; }
#graphiql { flex: 1; min-height: 0; }
`;

function page(examples: readonly ExampleOperation[]): string {
  // JSON inside <script type="application/json">: escape "<" so no text can close the element.
  const data = JSON.stringify(examples).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tracegraph API explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_PREFIX}graphiql.min.css">
<link rel="stylesheet" href="${EXPLORER_PREFIX}explorer.css">
</head>
<body>
<form id="key-form" autocomplete="off">
<strong>tracegraph</strong>
<label for="api-key">API key</label>
<input id="api-key" name="api-key" type="password" autocomplete="off" placeholder="paste your key">
<button id="use-key" type="submit">Use key</button>
<span id="key-status"></span>
</form>
<div id="graphiql">Loading the explorer...</div>
<script id="tracegraph-examples" type="application/json">${data}</script>
<script src="${EXPLORER_PREFIX}react.production.min.js"></script>
<script src="${EXPLORER_PREFIX}react-dom.production.min.js"></script>
<script src="${EXPLORER_PREFIX}graphiql.min.js"></script>
<script src="${EXPLORER_PREFIX}explorer.js"></script>
</body>
</html>
`;
}

/** Same-origin only: the page can load and call nothing but this server. */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface ExplorerResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class Explorer {
  private readonly assets = new Map<string, Asset>();

  constructor(examples: readonly ExampleOperation[]) {
    for (const [name, source] of Object.entries(ASSET_SOURCES)) {
      this.assets.set(name, { contentType: source.contentType, body: readFileSync(source.file()) });
    }
    this.assets.set('explorer.js', {
      contentType: 'text/javascript; charset=utf-8',
      body: Buffer.from(BOOT_SCRIPT),
    });
    this.assets.set('explorer.css', {
      contentType: 'text/css; charset=utf-8',
      body: Buffer.from(PAGE_STYLE),
    });
    this.assets.set('', { contentType: 'text/html; charset=utf-8', body: Buffer.from(page(examples)) });
  }

  /** The page itself. */
  page(acceptEncoding?: string): ExplorerResponse {
    return this.respond('', acceptEncoding, 'no-cache')!;
  }

  /** An asset under /explorer/, or null when there is no such asset. */
  asset(name: string, acceptEncoding?: string): ExplorerResponse | null {
    return name ? this.respond(name, acceptEncoding, 'public, max-age=3600') : null;
  }

  private respond(
    name: string,
    acceptEncoding: string | undefined,
    cacheControl: string,
  ): ExplorerResponse | null {
    const asset = this.assets.get(name);
    if (!asset) return null;
    const headers: Record<string, string> = {
      'content-type': asset.contentType,
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': EXPLORER_CSP,
      vary: 'accept-encoding',
    };
    if (/\bgzip\b/.test(acceptEncoding ?? '') && asset.body.length > 1024) {
      asset.gzipped ??= gzipSync(asset.body);
      return { status: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: asset.gzipped };
    }
    return { status: 200, headers, body: asset.body };
  }
}
