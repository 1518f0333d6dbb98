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
import { drawStraightEdgeLabel } from 'sigma/rendering';

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
/** Room kept around the nodes on the stage, in pixels. */
const STAGE_PADDING = 40;
/** At most how many times as far apart the rows of generations are spread on a tall stage. */
const MAX_ROW_STRETCH = 3;
const LABEL_FONT = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
const LABEL_SIZE = 12;
const EDGE_LABEL_FONT = 'system-ui, sans-serif';
const EDGE_LABEL_SIZE = 11;
/** Space kept clear around a label, in pixels. */
const LABEL_MARGIN = 2;
/** Space between a node and its label, in pixels (as sigma leaves it). */
const LABEL_GAP = 3;
/** Side of the squares in which placeLabels looks for a label's neighbours, in pixels. */
const GRID_CELL = 64;
/** Space between a hovered node and its white box, in pixels (as sigma leaves it). */
const HOVER_PADDING = 2;

/** @typedef {{ left: number, right: number, top: number, bottom: number }} Box */
/**
 * A node on the canvas: its centre and radius, the box of its disc, in viewport pixels, and the
 * texts of its label.
 * @typedef {{ key: string, x: number, y: number, r: number, disc: Box, id: string, label: string }} LabelledNode
 */
/**
 * A label's text, which of its node's spots it is at (labelSpots) and on which side of the node,
 * where it starts and its baseline (offsets from its node's centre), and the box it covers in
 * viewport pixels.
 * @typedef {{ text: string, spot: number, side: 'right' | 'left' | 'above' | 'below' | 'above-right' | 'below-right' | 'above-left' | 'below-left', dx: number, dy: number, box: Box }} PlacedLabel
 */
/**
 * An edge as drawn: the straight line between its nodes' centres, in viewport pixels.
 * @typedef {{ x1: number, y1: number, x2: number, y2: number }} Segment
 */
/**
 * The labels placed, by node key, and whether a box would cover one of them or a node.
 * @typedef {{ labels: Map<string, PlacedLabel>, covers(box: Box): boolean }} Placement
 */

/** @param {Box} a @param {Box} b */
function overlap(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** @param {Box} box @param {{ width: number, height: number }} canvas */
function insideCanvas(box, canvas) {
  return box.left >= 0 && box.top >= 0 && box.right <= canvas.width && box.bottom <= canvas.height;
}

/**
 * The part of the segment inside the box, as fractions of its length from its start (Liang and
 * Barsky's clipping); null where it misses the box. A segment touching the box's border meets it.
 * @param {Segment} s @param {Box} box
 * @returns {[number, number] | null}
 */
function clipSegment(s, box) {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, s.x1 - box.left],
    [dx, box.right - s.x1],
    [-dy, s.y1 - box.top],
    [dy, box.bottom - s.y1],
  ]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [t0, t1];
}

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
    edgeLabelFont: EDGE_LABEL_FONT,
    edgeLabelSize: EDGE_LABEL_SIZE,
    edgeLabelColor: { color: '#37474f' },
    stagePadding: STAGE_PADDING,
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

  /**
   * How wide texts are in that CSS font, in pixels, measured once each.
   * @param {string} font
   */
  function widthsIn(font) {
    const measure = /** @type {CanvasRenderingContext2D} */ (
      document.createElement('canvas').getContext('2d')
    );
    measure.font = font;
    /** @type {Map<string, number>} */
    const widths = new Map();
    /** @param {string} text */
    return (text) => {
      let width = widths.get(text);
      if (width === undefined) widths.set(text, (width = measure.measureText(text).width));
      return width;
    };
  }
  const textWidth = widthsIn(`normal ${LABEL_SIZE}px ${LABEL_FONT}`);
  const edgeLabelWidth = widthsIn(`normal ${EDGE_LABEL_SIZE}px ${EDGE_LABEL_FONT}`);

  /**
   * What each visible node's label says at the current zoom, and where it goes: sigma's own choice
   * (one label per 100-pixel cell, always right of the node) hid labels that overlapped nothing,
   * drew overlapping ones, and ran labels past the canvas's edges. Here a label is kept only at a
   * spot beside its node (see labelSpots) that lies wholly inside the canvas and covers no other
   * node and no label already kept; of those spots, the first that crosses no edge (the straight
   * line between two shown nodes' centres), else the one that crosses fewest. First every node's
   * id is placed (the selected node first, then top to bottom and left to right); a node left
   * without one may take a spot held by one other id that can move, and an id that crosses an edge
   * may take a spot that crosses fewer, held by one other id that can move to a spot crossing no
   * more than its own. Then the whole label (id and name) replaces the id where it has room at the
   * same spot, else at another, crossing no more edges than the id. An id wider than the whole
   * canvas is shortened with an ellipsis to half its width. Only nodes on the canvas are labelled.
   * Zooming in makes room; hovering or clicking a node shows its whole label in any case.
   * @returns {Placement}
   */
  function placeLabels() {
    const canvas = renderer.getDimensions();
    const canvasBox = { left: 0, top: 0, right: canvas.width, bottom: canvas.height };
    /** @type {Map<string, { x: number, y: number }>} */
    const positions = new Map();
    /** @type {LabelledNode[]} */
    const nodes = [];
    for (const key of visible) {
      const display = renderer.getNodeDisplayData(key);
      if (!display) continue;
      const { x, y } = renderer.framedGraphToViewport(display);
      positions.set(key, { x, y });
      const r = renderer.scaleSize(display.size);
      const disc = { left: x - r, right: x + r, top: y - r, bottom: y + r };
      if (!overlap(disc, canvasBox)) continue;
      /** @type {ChainViewNode} */
      const info = graph.getNodeAttribute(key, 'info');
      nodes.push({ key, x, y, r, disc, id: info.id, label: info.label });
    }
    nodes.sort(
      (a, b) => Number(b.key === state.selected) - Number(a.key === state.selected) || a.y - b.y || a.x - b.x,
    );
    /** @type {Map<string, PlacedLabel>} */
    const kept = new Map();
    // Which nodes' discs and labels lie in each square of the canvas, so that a spot is checked
    // against its neighbours only: at 2,000 nodes, checking each against all is too slow to pan.
    /** @type {Map<string, Set<LabelledNode>>} */
    const cells = new Map();
    /** @param {Box} box */
    function* cellsOf(box) {
      for (let i = Math.floor(box.left / GRID_CELL); i <= Math.floor(box.right / GRID_CELL); i++)
        for (let j = Math.floor(box.top / GRID_CELL); j <= Math.floor(box.bottom / GRID_CELL); j++)
          yield `${i} ${j}`;
    }
    /** @param {LabelledNode} node @param {Box} box */
    function index(node, box) {
      for (const cell of cellsOf(box)) {
        const here = cells.get(cell);
        if (here) here.add(node);
        else cells.set(cell, new Set([node]));
      }
    }
    // The edges drawn, each in the squares its part on the canvas passes through.
    /** @type {Map<string, Segment[]>} */
    const edgeCells = new Map();
    graph.forEachEdge((_edge, _attributes, source, target) => {
      const from = positions.get(source);
      const to = positions.get(target);
      if (!from || !to) return;
      const segment = { x1: from.x, y1: from.y, x2: to.x, y2: to.y };
      const onCanvas = clipSegment(segment, canvasBox);
      if (!onCanvas) return;
      const dx = segment.x2 - segment.x1;
      const dy = segment.y2 - segment.y1;
      const [a, b] = onCanvas.map((t) => ({ x: segment.x1 + t * dx, y: segment.y1 + t * dy }));
      const span = /** @type {Box} */ ({
        left: Math.min(a.x, b.x),
        right: Math.max(a.x, b.x),
        top: Math.min(a.y, b.y),
        bottom: Math.max(a.y, b.y),
      });
      for (let i = Math.floor(span.left / GRID_CELL); i <= Math.floor(span.right / GRID_CELL); i++)
        for (let j = Math.floor(span.top / GRID_CELL); j <= Math.floor(span.bottom / GRID_CELL); j++) {
          const cellBox = {
            left: i * GRID_CELL,
            right: (i + 1) * GRID_CELL,
            top: j * GRID_CELL,
            bottom: (j + 1) * GRID_CELL,
          };
          if (!clipSegment(segment, cellBox)) continue;
          const here = edgeCells.get(`${i} ${j}`);
          if (here) here.push(segment);
          else edgeCells.set(`${i} ${j}`, [segment]);
        }
    });
    /**
     * How many edges the box crosses.
     * @param {Box} box
     */
    function crossings(box) {
      /** @type {Set<Segment>} */
      const met = new Set();
      for (const cell of cellsOf(box))
        for (const segment of edgeCells.get(cell) ?? [])
          if (!met.has(segment) && clipSegment(segment, box)) met.add(segment);
      return met.size;
    }
    /**
     * Whether the box covers a node or a label kept, other than those of `except`.
     * @param {Box} box @param {LabelledNode | null} except
     */
    function covered(box, except) {
      for (const cell of cellsOf(box))
        for (const other of cells.get(cell) ?? []) {
          if (other === except) continue;
          const label = kept.get(other.key);
          if (overlap(other.disc, box) || (label && overlap(label.box, box))) return true;
        }
      return false;
    }
    /** @param {LabelledNode} node @param {Box} box */
    const fits = (node, box) => insideCanvas(box, canvas) && !covered(box, node);
    /**
     * Of the spots that fit, the first that crosses no edge, else the first of those that cross
     * fewest; none where none fits or where all cross more than `most` edges.
     * @param {LabelledNode} node @param {PlacedLabel[]} spots @param {number} [most]
     */
    function bestSpot(node, spots, most = Infinity) {
      /** @type {PlacedLabel | null} */
      let best = null;
      let fewest = most + 1;
      for (const spot of spots) {
        if (!fits(node, spot.box)) continue;
        const crossed = crossings(spot.box);
        if (crossed < fewest) {
          best = spot;
          fewest = crossed;
          if (crossed === 0) break;
        }
      }
      return best;
    }
    /**
     * The nodes whose labels kept the box covers, other than `except`'s; null where it covers a
     * node.
     * @param {Box} box @param {LabelledNode} except
     */
    function labelsCovered(box, except) {
      /** @type {Set<LabelledNode>} */
      const owners = new Set();
      for (const cell of cellsOf(box))
        for (const other of cells.get(cell) ?? []) {
          if (other === except) continue;
          if (overlap(other.disc, box)) return null;
          const label = kept.get(other.key);
          if (label && overlap(label.box, box)) owners.add(other);
        }
      return owners;
    }
    /** @param {LabelledNode} node @param {PlacedLabel} spot */
    function keep(node, spot) {
      kept.set(node.key, spot);
      index(node, spot.box);
    }
    /** @param {LabelledNode} node */
    const idSpots = (node) => {
      // A label as wide as the canvas would need a whole free band across it: half leaves room.
      const id =
        textWidth(node.id) > canvas.width - 2 * LABEL_MARGIN
          ? fittedText(node.id, canvas.width / 2)
          : node.id;
      return labelSpots(node, id, textWidth(id), canvas);
    };
    /**
     * Puts the node's id at the spot, where only one other id is in the way and that id can move
     * to another spot of its own node that fits and crosses at most `most` edges (by default no
     * more than it crosses now). Whether it did.
     * @param {LabelledNode} node @param {PlacedLabel} spot @param {number} [most]
     */
    function takeSpot(node, spot, most) {
      const owners = insideCanvas(spot.box, canvas) ? labelsCovered(spot.box, node) : null;
      if (owners?.size !== 1) return false;
      const [other] = owners;
      const otherId = /** @type {PlacedLabel} */ (kept.get(other.key));
      const ownId = kept.get(node.key);
      kept.delete(other.key);
      keep(node, spot);
      const moved = bestSpot(
        other,
        idSpots(other).filter((s) => s.spot !== otherId.spot),
        most ?? crossings(otherId.box),
      );
      if (moved) {
        keep(other, moved);
        return true;
      }
      if (ownId) kept.set(node.key, ownId);
      else kept.delete(node.key);
      kept.set(other.key, otherId);
      return false;
    }
    /**
     * The node's spots that cross fewer than `than` edges, fewest first.
     * @param {PlacedLabel[]} spots @param {number} than
     */
    const crossingFewer = (spots, than) =>
      spots
        .map((spot) => ({ spot, crossed: crossings(spot.box) }))
        .filter((s) => s.crossed < than)
        .sort((a, b) => a.crossed - b.crossed)
        .map((s) => s.spot);
    for (const node of nodes) index(node, node.disc);
    for (const node of nodes) {
      const spot = bestSpot(node, idSpots(node));
      if (spot) keep(node, spot);
    }
    // A node left without its id takes a spot where only one other id is in the way, where that
    // id can move to another free spot of its own node.
    for (const node of nodes) {
      if (kept.has(node.key)) continue;
      for (const spot of crossingFewer(idSpots(node), Infinity)) if (takeSpot(node, spot, Infinity)) break;
    }
    // An id that crosses an edge takes a spot that crosses fewer, where only one other id is in the
    // way, where that id can move to a spot crossing no more edges than its own.
    for (const node of nodes) {
      const id = kept.get(node.key);
      if (!id) continue;
      const crossed = crossings(id.box);
      if (crossed === 0) continue;
      for (const spot of crossingFewer(idSpots(node), crossed)) if (takeSpot(node, spot)) break;
    }
    // The whole label where it has room crossing no more edges than the id: at the id's spot where
    // that crosses fewest, else at the first other spot that does.
    for (const node of nodes) {
      const id = kept.get(node.key);
      if (!id || node.label === node.id) continue;
      const spots = labelSpots(node, node.label, textWidth(node.label), canvas);
      const same = spots[id.spot];
      const whole = bestSpot(
        node,
        same ? [same, ...spots.filter((s) => s !== same)] : spots,
        crossings(id.box),
      );
      if (whole) keep(node, whole);
    }
    // Last, a label that crosses an edge moves to a spot of its own that crosses fewer where one
    // has become free (a label that moved above may have left it); each move crosses fewer edges.
    for (let round = 0, moved = true; moved && round < 3; round++) {
      moved = false;
      for (const node of nodes) {
        const label = kept.get(node.key);
        if (!label) continue;
        const crossed = crossings(label.box);
        if (crossed === 0) continue;
        const better = bestSpot(
          node,
          labelSpots(node, label.text, textWidth(label.text), canvas),
          crossed - 1,
        );
        if (!better) continue;
        keep(node, better);
        moved = true;
      }
    }
    return { labels: kept, covers: (box) => covered(box, null) };
  }

  /**
   * Where a text may go beside its node, best first: right of it (where sigma draws labels), left
   * of it, then above and below it: centred on it, starting at its left edge, ending at its right
   * edge, starting just right of its centre and ending just left of it (clear of an edge straight
   * up or down from it), then at its four corners (above right, below right, above left, below
   * left). Those above and below are moved inward to lie inside the canvas. Each spot is the
   * text's start and baseline as offsets from the node's centre, and the box it covers (with
   * LABEL_MARGIN around it) in viewport pixels.
   * @param {{ x: number, y: number, r: number }} node
   * @param {string} text
   * @param {number} width
   * @param {{ width: number, height: number }} canvas
   * @returns {PlacedLabel[]}
   */
  function labelSpots(node, text, width, canvas) {
    /** @param {number} left */
    const inward = (left) => Math.min(Math.max(left, LABEL_MARGIN), canvas.width - LABEL_MARGIN - width);
    const above = node.y - node.r - LABEL_GAP - LABEL_SIZE / 2;
    const below = node.y + node.r + LABEL_GAP + LABEL_SIZE / 2;
    /** @type {[number, number, PlacedLabel['side']][]} the text's left and middle line, in viewport pixels */
    const spots = [
      [node.x + node.r + LABEL_GAP, node.y, 'right'],
      [node.x - node.r - LABEL_GAP - width, node.y, 'left'],
    ];
    const clear = LABEL_MARGIN + 1;
    for (const left of [
      node.x - width / 2,
      node.x - node.r,
      node.x + node.r - width,
      node.x + clear,
      node.x - clear - width,
    ]) {
      spots.push([inward(left), above, 'above']);
      spots.push([inward(left), below, 'below']);
    }
    // At a corner, the box's nearest corner is LABEL_GAP - LABEL_MARGIN pixels across and up (or
    // down) from the disc's point at 45 degrees, outside the disc.
    const corner = node.r * Math.SQRT1_2 + LABEL_GAP;
    spots.push(
      [node.x + corner, node.y - corner - LABEL_SIZE / 2, 'above-right'],
      [node.x + corner, node.y + corner + LABEL_SIZE / 2, 'below-right'],
      [node.x - corner - width, node.y - corner - LABEL_SIZE / 2, 'above-left'],
      [node.x - corner - width, node.y + corner + LABEL_SIZE / 2, 'below-left'],
    );
    return spots.map(([left, middle, side], spot) => ({
      text,
      spot,
      side,
      dx: left - node.x,
      dy: middle - node.y + LABEL_SIZE / 3,
      box: {
        left: left - LABEL_MARGIN,
        right: left + width + LABEL_MARGIN,
        top: middle - LABEL_SIZE / 2 - LABEL_MARGIN,
        bottom: middle + LABEL_SIZE / 2 + LABEL_MARGIN,
      },
    }));
  }

  /**
   * The text itself where it is no wider than `room` pixels, else its longest beginning that is,
   * with an ellipsis.
   * @param {string} text
   * @param {number} room
   */
  function fittedText(text, room) {
    if (textWidth(text) <= room) return text;
    const characters = [...text];
    let length = characters.length - 1;
    while (length > 1 && textWidth(`${characters.slice(0, length).join('')}…`) > room) length--;
    return `${characters.slice(0, length).join('')}…`;
  }

  /**
   * The placed labels, and what they were placed for: a camera, a stage size, a visible set and
   * selection, and the nodes' positions (sigma's processing of the graph, e.g. after framing).
   * @type {{ for: string, placement: Placement }}
   */
  let placed = { for: '', placement: { labels: new Map(), covers: () => false } };
  let processed = 0;
  renderer.on('afterProcess', () => void processed++);
  /** The labels placed for the current camera, stage size, visible set and positions. */
  function placement() {
    const { width, height } = renderer.getDimensions();
    const camera = renderer.getCamera().getState();
    const placedFor = `${camera.x} ${camera.y} ${camera.ratio} ${camera.angle} ${width}x${height} ${visibleVersion} ${processed}`;
    if (placed.for !== placedFor) placed = { for: placedFor, placement: placeLabels() };
    return placed.placement;
  }
  renderer.setSetting('defaultDrawNodeLabel', (context, data, settings) => {
    // Sigma passes the node's key along with its display data.
    const label = placement().labels.get(/** @type {{ key: string }} */ (/** @type {unknown} */ (data)).key);
    if (!label) return;
    context.fillStyle = settings.labelColor.color ?? '#000';
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    context.fillText(label.text, data.x + label.dx, data.y + label.dy);
  });

  // An edge's label (its probability) gives way to the nodes and their labels: sigma draws it
  // midway along the edge, where a label above or below a node may be.
  renderer.setSetting('defaultDrawEdgeLabel', (context, edge, source, target, settings) => {
    const box = edgeLabelBox(edge, source, target);
    if (box && placement().covers(box)) return;
    drawStraightEdgeLabel(context, edge, source, target, settings);
  });

  /**
   * The box an edge's label covers as drawStraightEdgeLabel draws it: along the edge between its
   * nodes' discs, centred midway, beside the line (taken on both sides, as the side depends on the
   * edge's direction). Null where there is no label or no room for one.
   * @param {{ label?: string | null, size: number }} edge
   * @param {{ x: number, y: number, size: number }} source
   * @param {{ x: number, y: number, size: number }} target
   * @returns {Box | null}
   */
  function edgeLabelBox(edge, source, target) {
    const dx = target.x - source.x;
    const dy = target.y - source.y;
    const distance = Math.hypot(dx, dy);
    if (!edge.label || distance <= source.size + target.size) return null;
    const along = { x: dx / distance, y: dy / distance };
    const length = Math.min(edgeLabelWidth(edge.label), distance - source.size - target.size);
    const middle = {
      x: (source.x + along.x * source.size + target.x - along.x * target.size) / 2,
      y: (source.y + along.y * source.size + target.y - along.y * target.size) / 2,
    };
    // The text's baseline is edge.size / 2 + EDGE_LABEL_SIZE off the line; its descent below that.
    const across = edge.size / 2 + EDGE_LABEL_SIZE * 1.25;
    const halfWidth = (Math.abs(along.x) * length) / 2 + Math.abs(along.y) * across;
    const halfHeight = (Math.abs(along.y) * length) / 2 + Math.abs(along.x) * across;
    return {
      left: middle.x - halfWidth,
      right: middle.x + halfWidth,
      top: middle.y - halfHeight,
      bottom: middle.y + halfHeight,
    };
  }

  // Hovering or selecting a node shows its whole label in sigma's white box, on the side its
  // placed label is on; on the other side where that would run past the canvas's edge, and cut
  // with an ellipsis where neither side has room.
  renderer.setSetting('defaultDrawNodeHover', (context, data, settings) => {
    const label = data.label ?? '';
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const radius = Math.max(data.size, size / 2) + HOVER_PADDING;
    /** Room for the box and its text (5 pixels wider, as sigma draws it) on either side. */
    const roomRight = renderer.getDimensions().width - data.x - radius - 5;
    const roomLeft = data.x - radius - 5;
    const placedSide = placement().labels.get(
      /** @type {{ key: string }} */ (/** @type {unknown} */ (data)).key,
    )?.side;
    const placedLeft = placedSide === 'left' || placedSide === 'above-left' || placedSide === 'below-left';
    const fitsRight = textWidth(label) <= roomRight;
    const fitsLeft = textWidth(label) <= roomLeft;
    const side = (placedLeft && fitsLeft) || (!fitsRight && (fitsLeft || roomLeft > roomRight)) ? -1 : 1;
    const text = fittedText(label, side > 0 ? roomRight : roomLeft);
    const width = textWidth(text);
    const boxWidth = Math.round(width + 5);
    const boxHeight = Math.round(size + 2 * HOVER_PADDING);
    const angle = Math.asin(boxHeight / 2 / radius);
    const xDelta = Math.sqrt(Math.abs(radius ** 2 - (boxHeight / 2) ** 2));
    context.fillStyle = '#FFF';
    context.shadowOffsetX = 0;
    context.shadowOffsetY = 0;
    context.shadowBlur = 8;
    context.shadowColor = '#000';
    context.beginPath();
    context.moveTo(data.x + side * xDelta, data.y + boxHeight / 2);
    context.lineTo(data.x + side * (radius + boxWidth), data.y + boxHeight / 2);
    context.lineTo(data.x + side * (radius + boxWidth), data.y - boxHeight / 2);
    context.lineTo(data.x + side * xDelta, data.y - boxHeight / 2);
    if (side > 0) context.arc(data.x, data.y, radius, angle, -angle);
    else context.arc(data.x, data.y, radius, Math.PI + angle, Math.PI - angle);
    context.closePath();
    context.fill();
    context.shadowBlur = 0;
    context.fillStyle = settings.labelColor.color ?? '#000';
    const start = side > 0 ? data.x + data.size + LABEL_GAP : data.x - data.size - LABEL_GAP - width;
    context.fillText(text, start, data.y + size / 3);
  });

  /**
   * Frames the visible nodes, with room on the right for their labels. On a stage taller than the
   * chains are for its width (a phone, a narrow window), the rows of generations are spread apart
   * to fill its height, up to MAX_ROW_STRETCH times as far: the labels get room above and below
   * their nodes. The camera is left as it is.
   */
  function frameVisible() {
    const nodes = [...visible].map(
      (key) => /** @type {ChainViewNode} */ (graph.getNodeAttribute(key, 'info')),
    );
    if (nodes.length === 0) return;
    const left = Math.min(...nodes.map((n) => n.x));
    const right = Math.max(...nodes.map((n) => n.x)) + LABEL_ROOM;
    const top = Math.min(...nodes.map((n) => n.y));
    const bottom = Math.max(...nodes.map((n) => n.y));
    // The container's size now: sigma measures it only when it next renders.
    const stageShape =
      (container.offsetHeight - 2 * STAGE_PADDING) / Math.max(container.offsetWidth - 2 * STAGE_PADDING, 1);
    const stretch =
      bottom > top
        ? Math.min(Math.max((stageShape * (right - left)) / (bottom - top), 1), MAX_ROW_STRETCH)
        : 1;
    graph.updateEachNodeAttributes(
      (_key, attributes) => ({ ...attributes, y: attributes.info.y * stretch }),
      {
        attributes: ['y'],
      },
    );
    renderer.setCustomBBox({ x: [left, right], y: [top * stretch, bottom * stretch] });
    // Sigma reads the box when it next processes the graph, not when it next renders.
    renderer.refresh();
  }

  /** Frames the visible nodes (frameVisible) and shows them all. */
  function fitToVisible() {
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    frameVisible();
  }
  // A resized window, or a legend that wraps onto more lines, resizes the stage.
  new ResizeObserver(() => frameVisible()).observe(container);

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
