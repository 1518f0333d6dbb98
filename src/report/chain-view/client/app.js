// @ts-check
/**
 * Chain view (browser): draws the transmission chains with sigma.js on a graphology graph,
 * colours nodes by generation or by setting, filters by chain, date range and setting, and shows
 * a clicked case with its infector candidates in the side panel. The data may need an API key: it
 * is asked for on a 401 and kept in the tab (sessionStorage, as the API explorer keeps it). Bundled by
 * scripts/build-assets.js; type-checked with ./tsconfig.json.
 */
import Graph from 'graphology';
import Sigma from 'sigma';

/** @typedef {import('../data').ChainViewData} ChainViewData */
/** @typedef {import('../data').ChainViewNode} ChainViewNode */
/** @typedef {import('../data').ChainViewEdge} ChainViewEdge */

/** Generation colours: a sequential ramp that stays readable on white. */
const GENERATION_COLOURS = ['#08306b', '#2171b5', '#41b6c4', '#78c679', '#f0a830', '#e6550d', '#a50f15'];
const SOURCE_COLOUR = '#455a64';
const UNKNOWN_COLOUR = '#b0bec5';
const DIMMED = '#e3e7eb';
/** Room kept right of the rightmost node for its label, in layout units. */
const LABEL_ROOM = 140;
const LABEL_FONT = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
const LABEL_SIZE = 12;
/** Space kept clear around a label, in pixels. */
const LABEL_MARGIN = 2;

/** @param {number} generation */
function generationColour(generation) {
  return GENERATION_COLOURS[Math.min(generation, GENERATION_COLOURS.length - 1)] ?? SOURCE_COLOUR;
}

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return /** @type {T} */ (element);
}

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 */
function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

/** @param {number} p */
function percent(p) {
  return p > 0 && p < 0.005 ? '<1%' : `${Math.round(p * 100)}%`;
}

/** @param {string | null} iso */
function when(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** @param {ChainViewData} data */
function buildGraph(data) {
  const graph = new Graph({ multi: true, type: 'directed' });
  for (const node of data.nodes) {
    graph.addNode(node.key, {
      x: node.x,
      y: node.y,
      size: node.kind === 'case' ? 9 : 11,
      label: node.label,
      color: SOURCE_COLOUR,
      info: node,
    });
  }
  for (const edge of data.edges) {
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    graph.addDirectedEdgeWithKey(edge.key, edge.source, edge.target, {
      size: 1 + 3 * edge.probability,
      color: edge.colour,
      label: `${percent(edge.probability)}${edge.flags.length ? ' !' : ''}`,
      info: edge,
    });
  }
  return graph;
}

/** @param {ChainViewData} data */
function start(data) {
  const state = {
    colourBy: /** @type {'generation' | 'setting'} */ ('generation'),
    chain: '',
    from: '',
    to: '',
    settings: new Set(data.settings.map((s) => s.key)),
    selected: /** @type {string | null} */ (null),
  };
  const colourOfSetting = new Map(data.settings.map((s) => [s.key, s.colour]));
  const graph = buildGraph(data);

  /** @param {ChainViewNode} node */
  function nodeColour(node) {
    if (node.kind === 'unknown' || node.kind === 'person') return UNKNOWN_COLOUR;
    if (node.kind !== 'case') return SOURCE_COLOUR;
    if (state.colourBy === 'setting') return colourOfSetting.get(node.setting) ?? SOURCE_COLOUR;
    return generationColour(node.generation ?? 0);
  }

  /** Cases pass the filters on their own; a source is shown when a case it infected is. */
  function computeVisible() {
    /** @type {Set<string>} */
    const visible = new Set();
    for (const node of data.nodes) {
      if (node.kind !== 'case') continue;
      if (state.chain && node.chainId !== state.chain) continue;
      if (!state.settings.has(node.setting)) continue;
      if (state.from && (!node.date || node.date < state.from)) continue;
      if (state.to && (!node.date || node.date > state.to)) continue;
      visible.add(node.key);
    }
    for (const edge of data.edges) {
      const source = graph.getNodeAttribute(edge.source, 'info');
      if (source.kind !== 'case' && visible.has(edge.target)) visible.add(edge.source);
    }
    return visible;
  }
  let visible = computeVisible();
  /** Bumped when `visible` or the selection changes: the labels are placed again. */
  let visibleVersion = 0;

  const container = byId('graph');
  container.replaceChildren();
  const renderer = new Sigma(graph, container, {
    defaultEdgeType: 'arrow',
    renderEdgeLabels: true,
    // Every visible node's label is offered (forceLabel below, and no label grid): placeLabels
    // chooses which are drawn, and how much of each.
    labelDensity: 0,
    labelRenderedSizeThreshold: 0,
    labelFont: LABEL_FONT,
    labelSize: LABEL_SIZE,
    edgeLabelFont: 'system-ui, sans-serif',
    edgeLabelSize: 11,
    edgeLabelColor: { color: '#37474f' },
    stagePadding: 40,
    zIndex: true,
    nodeReducer: (key, attributes) => {
      /** @type {ChainViewNode} */
      const node = attributes.info;
      const result = { ...attributes, color: nodeColour(node), zIndex: 1, forceLabel: true };
      if (!visible.has(key)) return { ...result, hidden: true };
      if (state.selected === key) return { ...result, highlighted: true, zIndex: 2 };
      return result;
    },
    edgeReducer: (key, attributes) => {
      const source = graph.source(key);
      const target = graph.target(key);
      if (!visible.has(source) || !visible.has(target)) return { ...attributes, hidden: true };
      if (state.selected && source !== state.selected && target !== state.selected) {
        return { ...attributes, color: DIMMED, label: '' };
      }
      return attributes;
    },
  });

  const measure = /** @type {CanvasRenderingContext2D} */ (document.createElement('canvas').getContext('2d'));
  measure.font = `normal ${LABEL_SIZE}px ${LABEL_FONT}`;
  /** @type {Map<string, number>} */
  const textWidths = new Map();
  /** @param {string} text */
  function textWidth(text) {
    let width = textWidths.get(text);
    if (width === undefined) textWidths.set(text, (width = measure.measureText(text).width));
    return width;
  }

  /**
   * What each visible node's label says at the current zoom: sigma's own choice (one label per
   * 100-pixel cell) hid labels that overlapped nothing, such as two cases of a chain in rows
   * close enough to share a cell, and drew overlapping ones, such as neighbours in a row. Here a
   * label, drawn right of its node, is kept only where it covers no other node and no label
   * already kept: first every node's id (the selected node first, then top to bottom and left to
   * right), then, where there is room, the whole label (id and name). Zooming in makes room;
   * hovering or clicking a node shows its whole label in any case.
   * @returns {Map<string, string>}
   */
  function placeLabels() {
    /** @typedef {{ left: number, right: number, top: number, bottom: number }} Box */
    /** @type {{ key: string, x: number, y: number, r: number, id: string, label: string }[]} */
    const nodes = [];
    for (const key of visible) {
      const display = renderer.getNodeDisplayData(key);
      if (!display) continue;
      const { x, y } = renderer.framedGraphToViewport(display);
      /** @type {ChainViewNode} */
      const info = graph.getNodeAttribute(key, 'info');
      nodes.push({ key, x, y, r: renderer.scaleSize(display.size), id: info.id, label: info.label });
    }
    nodes.sort(
      (a, b) => Number(b.key === state.selected) - Number(a.key === state.selected) || a.y - b.y || a.x - b.x,
    );
    /** @param {{ x: number, y: number, r: number }} node @param {string} text @returns {Box} */
    const labelBox = (node, text) => ({
      left: node.x + node.r + 3 - LABEL_MARGIN,
      right: node.x + node.r + 3 + textWidth(text) + LABEL_MARGIN,
      top: node.y - LABEL_SIZE / 2 - LABEL_MARGIN,
      bottom: node.y + LABEL_SIZE / 2 + LABEL_MARGIN,
    });
    /** @param {Box} a @param {Box} b */
    const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const discs = nodes.map((n) => ({
      key: n.key,
      box: { left: n.x - n.r, right: n.x + n.r, top: n.y - n.r, bottom: n.y + n.r },
    }));
    /** @type {Map<string, { text: string, box: Box }>} */
    const kept = new Map();
    /** @param {string} key @param {Box} box */
    const fits = (key, box) =>
      discs.every((d) => d.key === key || !overlap(d.box, box)) &&
      [...kept].every(([other, label]) => other === key || !overlap(label.box, box));
    for (const node of nodes) {
      const box = labelBox(node, node.id);
      if (fits(node.key, box)) kept.set(node.key, { text: node.id, box });
    }
    for (const node of nodes) {
      if (!kept.has(node.key) || node.label === node.id) continue;
      const box = labelBox(node, node.label);
      if (fits(node.key, box)) kept.set(node.key, { text: node.label, box });
    }
    return new Map([...kept].map(([key, label]) => [key, label.text]));
  }

  /** The placed labels, and what they were placed for (a zoom, a stage size, a visible set). */
  let placed = { for: '', labels: /** @type {Map<string, string>} */ (new Map()) };
  renderer.setSetting('defaultDrawNodeLabel', (context, data, settings) => {
    const { width, height } = renderer.getDimensions();
    const placedFor = `${renderer.getCamera().ratio} ${width}x${height} ${visibleVersion}`;
    if (placed.for !== placedFor) placed = { for: placedFor, labels: placeLabels() };
    // Sigma passes the node's key along with its display data.
    const text = placed.labels.get(/** @type {{ key: string }} */ (/** @type {unknown} */ (data)).key);
    if (!text) return;
    context.fillStyle = settings.labelColor.color ?? '#000';
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    context.fillText(text, data.x + data.size + 3, data.y + settings.labelSize / 3);
  });

  /** Frames the visible nodes, with room on the right for their labels. */
  function fitToVisible() {
    const keys = [...visible];
    if (keys.length === 0) return;
    const xs = keys.map((k) => /** @type {number} */ (graph.getNodeAttribute(k, 'x')));
    const ys = keys.map((k) => /** @type {number} */ (graph.getNodeAttribute(k, 'y')));
    renderer.setCustomBBox({
      x: [Math.min(...xs), Math.max(...xs) + LABEL_ROOM],
      y: [Math.min(...ys), Math.max(...ys)],
    });
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
  }

  function refresh() {
    visible = computeVisible();
    visibleVersion++;
    if (state.selected && !visible.has(state.selected)) showPanel(null);
    renderer.refresh();
    renderLegend();
    const cases = [...visible].filter((key) => graph.getNodeAttribute(key, 'info').kind === 'case').length;
    byId('status').textContent =
      `${cases} of ${data.nodes.filter((n) => n.kind === 'case').length} cases shown`;
  }

  function renderLegend() {
    const legend = byId('legend');
    legend.replaceChildren();
    /** @type {[string, string][]} */
    const items = [];
    if (state.colourBy === 'generation') {
      for (let g = 0; g <= data.maxGeneration; g++) items.push([generationColour(g), `generation ${g}`]);
    } else {
      const used = new Set(data.nodes.filter((n) => n.kind === 'case').map((n) => n.setting));
      for (const s of data.settings) if (used.has(s.key)) items.push([s.colour, s.label]);
    }
    items.push([SOURCE_COLOUR, 'boat / lot / place']);
    items.push([UNKNOWN_COLOUR, 'unknown source']);
    for (const [colour, label] of items) {
      legend.append(el('span', {}, [el('span', { class: 'swatch', style: `background:${colour}` }), label]));
    }
  }

  /** @param {string | null} key */
  function showPanel(key) {
    state.selected = key;
    visibleVersion++;
    const panel = byId('panel');
    panel.replaceChildren();
    if (key === null) {
      panel.append(
        el('p', { class: 'hint' }, [
          'Click a case to see its infector candidates and the evidence behind them.',
        ]),
      );
      renderer.refresh();
      return;
    }
    /** @type {ChainViewNode} */
    const node = graph.getNodeAttribute(key, 'info');
    panel.dataset.selected = node.id;
    const heading = el('h2', {}, [node.label, ' ']);
    if (node.classification)
      heading.append(el('span', { class: `badge ${node.classification}` }, [node.classification]));
    panel.append(heading);
    for (const flag of node.flags) panel.append(el('span', { class: 'badge flag' }, [flag]), ' ');

    /** @type {[string, string][]} */
    const facts =
      node.kind === 'case'
        ? [
            ['Chain', node.chainId],
            ['Generation', String(node.generation ?? '—')],
            ['Infected via', node.settingLabel],
            ['Onset', when(node.onset)],
            ['Confirmed', when(node.confirmedAt)],
            ['Offspring', String(node.offspring ?? 0)],
            [
              'Infector',
              node.infector ? `${node.infector.label} (${percent(node.infector.probability)})` : '—',
            ],
          ]
        : [
            ['Kind', node.settingLabel],
            ['Chain', node.chainId],
            ['Detail', node.detail ?? '—'],
            [
              'Infected',
              graph
                .outNeighbors(key)
                .map((k) => graph.getNodeAttribute(k, 'info').id)
                .join(', ') || '—',
            ],
          ];
    panel.append(
      el(
        'dl',
        {},
        facts.flatMap(([k, v]) => [el('dt', {}, [k]), el('dd', {}, [v])]),
      ),
    );

    if (node.kind === 'case') {
      panel.append(el('h3', {}, ['Infector candidates']));
      if (node.candidates.length === 0) panel.append(el('p', { class: 'hint' }, ['None recorded.']));
      else {
        const rows = node.candidates.map((c) =>
          el('tr', { 'data-candidate-id': c.id }, [
            el('td', {}, [
              c.label,
              el('div', { class: 'evidence' }, [
                c.setting ? `${c.settingLabel} · ${c.evidence}` : c.evidence,
              ]),
            ]),
            el('td', { class: 'num' }, [percent(c.probability)]),
          ]),
        );
        panel.append(
          el('table', { class: 'candidates' }, [
            el('thead', {}, [el('tr', {}, [el('th', {}, ['Candidate']), el('th', {}, ['Probability'])])]),
            el('tbody', {}, rows),
          ]),
        );
      }
    }
    renderer.refresh();
  }

  renderer.on('clickNode', ({ node }) => showPanel(node));
  renderer.on('clickStage', () => showPanel(null));
  renderer.on('enterNode', () => {
    container.style.cursor = 'pointer';
  });
  renderer.on('leaveNode', () => {
    container.style.cursor = '';
  });

  // Controls.
  byId('as-of').textContent = `as of ${when(data.asOf)}`;
  /** @type {HTMLSelectElement} */
  const chainSelect = byId('chain-filter');
  for (const chain of data.chains) {
    const text = `${chain.id}: ${chain.rootLabel} (${chain.size} case${chain.size === 1 ? '' : 's'}${chain.active ? '' : ', ended'})`;
    chainSelect.append(el('option', { value: chain.id }, [text]));
  }
  chainSelect.addEventListener('change', () => {
    state.chain = chainSelect.value;
    refresh();
    fitToVisible();
  });
  for (const input of document.querySelectorAll('input[name=colour]')) {
    input.addEventListener('change', (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target);
      state.colourBy = target.value === 'setting' ? 'setting' : 'generation';
      refresh();
    });
  }
  /** @type {HTMLInputElement} */
  const from = byId('date-from');
  /** @type {HTMLInputElement} */
  const to = byId('date-to');
  const dates = data.nodes
    .map((n) => n.date)
    .filter((d) => d !== null)
    .sort();
  if (dates.length) {
    from.min = to.min = /** @type {string} */ (dates[0]);
    from.max = to.max = /** @type {string} */ (dates[dates.length - 1]);
  }
  from.addEventListener('change', () => {
    state.from = from.value;
    refresh();
  });
  to.addEventListener('change', () => {
    state.to = to.value;
    refresh();
  });
  const settingFilter = byId('setting-filter');
  const usedSettings = new Set(data.nodes.filter((n) => n.kind === 'case').map((n) => n.setting));
  for (const setting of data.settings) {
    if (!usedSettings.has(setting.key)) continue;
    const box = el('input', { type: 'checkbox', value: setting.key, checked: '' });
    box.addEventListener('change', () => {
      const checkbox = /** @type {HTMLInputElement} */ (box);
      if (checkbox.checked) state.settings.add(setting.key);
      else state.settings.delete(setting.key);
      refresh();
    });
    settingFilter.append(
      el('label', {}, [
        box,
        ' ',
        el('span', { class: 'swatch', style: `background:${setting.colour}` }),
        setting.label,
      ]),
    );
  }
  byId('reset').addEventListener('click', () => {
    state.chain = chainSelect.value = '';
    state.from = from.value = '';
    state.to = to.value = '';
    state.settings = new Set(data.settings.map((s) => s.key));
    for (const box of settingFilter.querySelectorAll('input')) box.checked = true;
    /** @type {HTMLInputElement} */ (document.querySelector('input[name=colour][value=generation]')).checked =
      true;
    state.colourBy = 'generation';
    showPanel(null);
    refresh();
    fitToVisible();
  });

  refresh();
  fitToVisible();
  renderer.refresh();

  // A handle for the browser console and for the end-to-end tests.
  /** @type {any} */ (window).chainView = {
    graph,
    renderer,
    /** @param {string} key */
    viewportPositionOf(key) {
      const { x, y } = renderer.getNodeDisplayData(key) ?? { x: 0, y: 0 };
      return renderer.framedGraphToViewport({ x, y });
    },
    visibleNodeKeys() {
      return [...visible];
    },
  };
}

/** Where the API key is kept: the tab's sessionStorage, shared with the API explorer. */
const KEY_STORAGE = 'tracegraph.apiKey';

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

/** @param {string} key */
function storeKey(key) {
  try {
    sessionStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage refused (private mode): the key lasts until the page is left.
  }
}

/** The data URL: the page's own `asOf` and `caseIds` are passed on. */
function dataUrl() {
  const source = document.body.dataset.source ?? 'data.json';
  const page = new URLSearchParams(window.location.search);
  const params = new URLSearchParams();
  for (const name of ['asOf', 'caseIds']) for (const value of page.getAll(name)) params.append(name, value);
  const query = params.toString();
  return query ? `${source}?${query}` : source;
}

/**
 * Asks for an API key in place of the graph; resolves with it once given.
 * @param {string} message
 * @returns {Promise<string>}
 */
function askForKey(message) {
  return new Promise((resolve) => {
    const input = /** @type {HTMLInputElement} */ (
      el('input', { type: 'password', id: 'api-key', autocomplete: 'off', placeholder: 'paste your key' })
    );
    const form = el('form', { class: 'key-form', id: 'key-form', style: 'padding:16px' }, [
      el('p', {}, [message]),
      el('label', { for: 'api-key' }, ['API key ']),
      input,
      ' ',
      el('button', { type: 'submit', id: 'use-key' }, ['Show chains']),
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      storeKey(key);
      resolve(key);
    });
    byId('graph').replaceChildren(form);
    document.body.dataset.ready = 'key';
    input.focus();
  });
}

/** Longest server message shown, in characters: enough for any of ours, not a whole page. */
const MAX_SERVER_MESSAGE = 500;

/**
 * What the server said about a refused request: the messages of a JSON error body
 * (`{ errors: [{ message }] }` or `{ error }`), or a plain-text body; nothing for other bodies
 * (an HTML error page of a proxy) or an unreadable one. Shown as text, never as HTML.
 * @param {Response} response
 * @returns {Promise<string>}
 */
async function serverMessage(response) {
  const type = response.headers.get('content-type') ?? '';
  let text;
  try {
    text = await response.text();
  } catch {
    return '';
  }
  let message = '';
  if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    try {
      const body = JSON.parse(text);
      if (Array.isArray(body?.errors)) {
        message = body.errors
          .map((/** @type {any} */ e) => (typeof e?.message === 'string' ? e.message : ''))
          .filter(Boolean)
          .join('; ');
      } else if (typeof body?.error === 'string') message = body.error;
    } catch {
      return '';
    }
  } else if (/^text\/plain\b/i.test(type)) message = text;
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE - 1)}…` : message;
}

async function main() {
  const source = dataUrl();
  try {
    let key = storedKey();
    for (;;) {
      /** @type {Record<string, string>} */
      const headers = { accept: 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await fetch(source, { headers, credentials: 'omit' });
      if (response.status === 401) {
        key = await askForKey(
          key
            ? 'That key was refused. Enter a valid API key.'
            : 'The chains need an API key (the same as for the API explorer).',
        );
        continue;
      }
      if (!response.ok) {
        const reason = await serverMessage(response);
        throw new Error(`${source}: ${response.status} ${response.statusText}${reason ? `: ${reason}` : ''}`);
      }
      byId('graph').replaceChildren();
      start(/** @type {ChainViewData} */ (await response.json()));
      document.body.dataset.ready = 'true';
      return;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    byId('graph').replaceChildren(el('p', { class: 'error' }, [`Could not load the chains: ${message}`]));
    document.body.dataset.ready = 'error';
  }
}

main();
