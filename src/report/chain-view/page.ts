/**
 * The chain view's page: a static HTML shell (inline CSS) that loads the bundled script and the
 * chain data from the server it came from; nothing is fetched from anywhere else.
 */

export interface ChainViewPageOptions {
  /** Where the view is mounted; the script and data are fetched below it. */
  base?: string;
  title?: string;
}

const CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; color: #1f2933; background: #f4f6f8;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
header.bar { background: #0b5394; color: #fff; padding: 8px 16px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header.bar h1 { font-size: 17px; margin: 0; }
header.bar .as-of { opacity: .85; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #d9dee4; }
.controls fieldset { border: 0; padding: 0; margin: 0; display: flex; align-items: center; gap: 8px; }
.controls legend { float: left; font-weight: 600; margin-right: 6px; padding: 0; }
.controls label { white-space: nowrap; cursor: pointer; }
.controls .group-label { font-weight: 600; }
.controls select, .controls input[type=date] { font: inherit; padding: 2px 4px; }
.controls button { font: inherit; padding: 3px 10px; border: 1px solid #b0bec5; border-radius: 4px; background: #fff; cursor: pointer; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.main { flex: 1; display: flex; min-height: 0; }
.stage { flex: 1; display: flex; flex-direction: column; min-width: 0; margin: 10px 0 10px 10px; background: #fff; border: 1px solid #d9dee4; border-radius: 6px; overflow: hidden; }
.stage-bar { display: flex; justify-content: space-between; gap: 12px; padding: 6px 10px; border-bottom: 1px solid #eceff1; font-size: 12px; }
#legend span { margin-right: 12px; white-space: nowrap; display: inline-block; }
#status { color: #5f6b7a; white-space: nowrap; }
#graph { flex: 1; position: relative; min-height: 300px; }
#chain-filter { max-width: 320px; }
aside#panel { width: 360px; margin: 10px; padding: 12px 14px; background: #fff; border: 1px solid #d9dee4; border-radius: 6px; overflow-y: auto; }
aside#panel h2 { font-size: 16px; margin: 0 0 6px; }
aside#panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5f6b7a; margin: 14px 0 4px; }
aside#panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
aside#panel dt { color: #5f6b7a; }
aside#panel dd { margin: 0; }
aside#panel table { border-collapse: collapse; width: 100%; }
aside#panel td, aside#panel th { text-align: left; vertical-align: top; border-bottom: 1px solid #eceff1; padding: 4px 4px; }
aside#panel td.num { text-align: right; white-space: nowrap; }
aside#panel .evidence { color: #5f6b7a; font-size: 12px; }
aside#panel .hint { color: #5f6b7a; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; }
.badge.confirmed { background: #c62828; color: #fff; }
.badge.asymptomatic { background: #f4a3a3; color: #5d1010; }
.badge.flag { background: #fff3cd; color: #7a4f00; border: 1px solid #e0b84c; }
.error { color: #b71c1c; padding: 16px; }
@media (max-width: 760px) {
  /* Too narrow for the graph and the panel side by side: the panel goes below, the page scrolls. */
  html, body { height: auto; }
  .main { flex-direction: column; }
  .stage { margin: 10px 10px 0; }
  #graph { flex: none; height: 70vh; min-height: 320px; }
  aside#panel { width: auto; }
  .controls fieldset { flex-wrap: wrap; }
  #chain-filter { max-width: calc(100vw - 100px); }
}
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page served at `/chains`: it loads `/chains/app.js`, which fetches `/chains/data.json`. */
export function chainViewPage(options: ChainViewPageOptions = {}): string {
  const base = (options.base ?? '/chains').replace(/\/+$/, '');
  const title = options.title ?? 'Transmission chains';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body data-source="${escapeHtml(base)}/data.json">
<header class="bar"><h1>${escapeHtml(title)}</h1><span class="as-of" id="as-of"></span></header>
<form class="controls" id="controls" onsubmit="return false">
  <fieldset id="colour-mode"><span class="group-label">Colour by</span>
    <label><input type="radio" name="colour" value="generation" checked> generation</label>
    <label><input type="radio" name="colour" value="setting"> setting</label>
  </fieldset>
  <label><span class="group-label">Chain</span> <select id="chain-filter"><option value="">all chains</option></select></label>
  <span><span class="group-label">Dates</span> <input type="date" id="date-from" aria-label="from"> – <input type="date" id="date-to" aria-label="to"></span>
  <fieldset id="setting-filter"><span class="group-label">Settings</span></fieldset>
  <button type="button" id="reset">Reset</button>
</form>
<div class="main">
  <div class="stage"><div class="stage-bar"><div id="legend"></div><div id="status"></div></div><div id="graph"></div></div>
  <aside id="panel"><p class="hint">Click a case to see its infector candidates and the evidence behind them.</p></aside>
</div>
<noscript><p class="error">The chain view needs JavaScript.</p></noscript>
<script src="${escapeHtml(base)}/app.js"></script>
</body>
</html>
`;
}
