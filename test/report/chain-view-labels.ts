/**
 * What the browser tests of the chain view check of the labels it draws: every shown node has one
 * label, each inside the canvas, covering no other label, node or edge label, and crossing no
 * edge where one of the spots beside its node would cross none (see labelProblems).
 */
import type { Page } from 'playwright-core';

/** A box on the canvas, in CSS pixels. */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A text drawn on one of sigma's canvases, with the box its line covers as drawn. */
export interface DrawnText {
  /**
   * `labels` (the node labels), `hovers` (a hovered or selected node's whole label) or
   * `edgeLabels` (the probabilities on the edges).
   */
  layer: string;
  text: string;
  /** Where the text starts, on its baseline (through the canvas's transform). */
  x: number;
  y: number;
  box: Box;
}

/**
 * Records the texts drawn on the labels, hovers and edge labels canvases in `drawnLabels`, each
 * with the box of its line (its advance width, the font's ascent and descent) through the canvas's
 * transform (an edge's label is turned along its edge): run in the page before its script, so
 * that what the page draws is checked, not how it chose to.
 */
export const RECORD_LABEL_TEXTS = `
  const drawn = (globalThis.drawnLabels = []);
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const layer = ['labels', 'hovers', 'edgeLabels'].find((name) => this.canvas.classList.contains('sigma-' + name));
    if (layer) {
      const metrics = this.measureText(text);
      const top = y - metrics.fontBoundingBoxAscent;
      const bottom = y + metrics.fontBoundingBoxDescent;
      const transform = this.getTransform();
      const corners = [[x, top], [x + metrics.width, top], [x, bottom], [x + metrics.width, bottom]]
        .map(([cx, cy]) => transform.transformPoint({ x: cx, y: cy }))
        .map((p) => ({ x: p.x / devicePixelRatio, y: p.y / devicePixelRatio }));
      const xs = corners.map((p) => p.x);
      const ys = corners.map((p) => p.y);
      const start = transform.transformPoint({ x, y });
      drawn.push({
        layer, text, x: start.x / devicePixelRatio, y: start.y / devicePixelRatio,
        box: { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) },
      });
    }
    return fillText.call(this, text, x, y, ...rest);
  };
`;

/** What the label check reads of the page's window.chainView. */
export interface LabelHandle {
  chainView: {
    graph: {
      nodes(): string[];
      edges(): string[];
      source(edge: string): string;
      target(edge: string): string;
      getNodeAttribute(key: string, name: string): { id: string; label: string };
    };
    renderer: {
      refresh(): void;
      scaleSize(size: number): number;
      getNodeDisplayData(key: string): { size: number };
    };
    viewportPositionOf(key: string): { x: number; y: number };
    visibleNodeKeys(): string[];
  };
}

export const overlap = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
export const inside = (a: Box, width: number, height: number) =>
  a.left >= 0 && a.top >= 0 && a.right <= width && a.bottom <= height;

/** Whether the text is the node's label: its id, its whole label, or its id shortened with `…`. */
export const ownLabel = (text: string, node: { id: string; label: string }) =>
  text === node.id || text === node.label || (text.endsWith('…') && node.id.startsWith(text.slice(0, -1)));

/** Waits until the page has drawn what it scheduled (sigma renders on an animation frame). */
export const drawn = (page: Page): Promise<unknown> =>
  page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');

/** The size of the canvas the node labels are drawn on, in CSS pixels. */
export async function labelCanvas(page: Page): Promise<{ width: number; height: number }> {
  const { width, height } = (await page.locator('#graph canvas.sigma-labels').boundingBox())!;
  return { width, height };
}

/** An edge as drawn: the line between its nodes' centres on the canvas. */
export interface Segment {
  name: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Whether the segment meets the box (Liang and Barsky's clipping; touching counts). */
export function crosses(s: Segment, box: Box): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, s.x1 - box.left],
    [dx, box.right - s.x1],
    [-dy, s.y1 - box.top],
    [dy, box.bottom - s.y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      t0 = Math.max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = Math.min(t1, t);
    }
  }
  return true;
}

/** The page's label metrics (app.js): font size, gap to the node, margin kept around a label. */
const LABEL_SIZE = 12;
const LABEL_GAP = 3;
const LABEL_MARGIN = 2;

/** The box a label keeps clear (its line, LABEL_SIZE high, and LABEL_MARGIN around it). */
const keptBox = (d: { x: number; y: number; width: number }): Box => ({
  left: d.x - LABEL_MARGIN,
  right: d.x + d.width + LABEL_MARGIN,
  top: d.y - LABEL_SIZE / 3 - LABEL_SIZE / 2 - LABEL_MARGIN,
  bottom: d.y - LABEL_SIZE / 3 + LABEL_SIZE / 2 + LABEL_MARGIN,
});

/**
 * The spots beside a node where the README says a label of that width may go, as the boxes they
 * keep clear: right, left; above and below it centred, starting at its left edge, ending at its
 * right edge, starting just right of its centre and ending just left of it (each moved inward to
 * lie inside the canvas); at its four corners.
 */
export function spotsBeside(
  node: { x: number; y: number; r: number },
  width: number,
  canvasWidth: number,
): { side: string; box: Box }[] {
  const inward = (left: number) => Math.min(Math.max(left, LABEL_MARGIN), canvasWidth - LABEL_MARGIN - width);
  const above = node.y - node.r - LABEL_GAP - LABEL_SIZE / 2;
  const below = node.y + node.r + LABEL_GAP + LABEL_SIZE / 2;
  const spots: [number, number, string][] = [
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
    spots.push([inward(left), above, 'above'], [inward(left), below, 'below']);
  }
  const corner = node.r * Math.SQRT1_2 + LABEL_GAP;
  spots.push(
    [node.x + corner, node.y - corner - LABEL_SIZE / 2, 'above right'],
    [node.x + corner, node.y + corner + LABEL_SIZE / 2, 'below right'],
    [node.x - corner - width, node.y - corner - LABEL_SIZE / 2, 'above left'],
    [node.x - corner - width, node.y + corner + LABEL_SIZE / 2, 'below left'],
  );
  return spots.map(([left, middle, side]) => ({
    side,
    box: {
      left: left - LABEL_MARGIN,
      right: left + width + LABEL_MARGIN,
      top: middle - LABEL_SIZE / 2 - LABEL_MARGIN,
      bottom: middle + LABEL_SIZE / 2 + LABEL_MARGIN,
    },
  }));
}

/** The box grown by a hundredth of a pixel on every side: a spot only just touching is taken. */
const grown = (box: Box): Box => ({
  left: box.left - 0.01,
  right: box.right + 0.01,
  top: box.top - 0.01,
  bottom: box.bottom + 0.01,
});

/**
 * What is wrong with the node labels the page draws now: a node without exactly one label (its id
 * or its whole label), a label not wholly inside the canvas, labels covering each other or another
 * node, an edge's label covering a node's label, a label crossing an edge (the line between its
 * nodes' centres) where a spot beside its node (spotsBeside) is free (inside the canvas, covering
 * no other label or node, crossing no edge), a page wider than the window. With `noCrossing`, a
 * label crossing an edge at all. Empty when all is well.
 */
export async function labelProblems(page: Page, options: { noCrossing?: boolean } = {}): Promise<string[]> {
  await drawn(page);
  const seen = await page.evaluate(() => {
    const view = globalThis as unknown as { drawnLabels: DrawnText[] } & LabelHandle;
    view.drawnLabels.length = 0;
    view.chainView.renderer.refresh();
    const { graph, renderer } = view.chainView;
    const visible = new Set(view.chainView.visibleNodeKeys());
    const nodes = graph
      .nodes()
      .filter((key) => visible.has(key))
      .map((key) => {
        const { id, label } = graph.getNodeAttribute(key, 'info');
        const { x, y } = view.chainView.viewportPositionOf(key);
        return { key, id, label, x, y, r: renderer.scaleSize(renderer.getNodeDisplayData(key).size) };
      });
    return {
      drawn: view.drawnLabels.filter((d) => d.layer === 'labels'),
      edgeLabels: view.drawnLabels.filter((d) => d.layer === 'edgeLabels'),
      nodes,
      edges: graph
        .edges()
        .filter((e) => visible.has(graph.source(e)) && visible.has(graph.target(e)))
        .map((e) => [graph.source(e), graph.target(e)] as const),
    };
  });
  const [pageWidth, windowWidth] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as [number, number];
  const problems: string[] = [];
  if (pageWidth > windowWidth) problems.push(`page ${pageWidth} px wide in a ${windowWidth} px window`);
  for (const node of seen.nodes) {
    const own = seen.drawn.filter((d) => ownLabel(d.text, node));
    if (own.length !== 1) problems.push(`${node.id}: ${own.length} labels`);
  }
  const { width, height } = await labelCanvas(page);
  const byKey = new Map(seen.nodes.map((n) => [n.key, n]));
  const segments: Segment[] = seen.edges.map(([from, to]) => {
    const a = byKey.get(from)!;
    const b = byKey.get(to)!;
    return { name: `${a.id}→${b.id}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y };
  });
  const disc = (n: { x: number; y: number; r: number }): Box => ({
    left: n.x - n.r,
    right: n.x + n.r,
    top: n.y - n.r,
    bottom: n.y + n.r,
  });
  seen.drawn.forEach((a, i) => {
    if (!inside(a.box, width, height)) problems.push(`${a.text}: outside the ${width}x${height} canvas`);
    for (const b of seen.drawn.slice(i + 1))
      if (overlap(a.box, b.box)) problems.push(`${a.text} / ${b.text}`);
    for (const n of seen.nodes) {
      if (ownLabel(a.text, n)) continue;
      if (overlap(a.box, disc(n))) problems.push(`${a.text} / node ${n.id}`);
    }
    for (const edge of seen.edgeLabels)
      if (overlap(a.box, edge.box)) problems.push(`${a.text} / edge label ${edge.text}`);
    const crossed = segments.filter((s) => crosses(s, a.box));
    if (crossed.length === 0) return;
    const names = crossed.map((s) => s.name).join(', ');
    const owner = seen.nodes.find((n) => ownLabel(a.text, n));
    if (!owner) return;
    const others = seen.drawn
      .filter((b) => b !== a)
      .map((b) => keptBox({ ...b, width: b.box.right - b.box.left }));
    const free = spotsBeside(owner, a.box.right - a.box.left, width).find(
      ({ box }) =>
        inside(grown(box), width, height) &&
        !others.some((b) => overlap(grown(box), b)) &&
        !seen.nodes.some((n) => n !== owner && overlap(grown(box), disc(n))) &&
        !segments.some((s) => crosses(s, grown(box))),
    );
    if (free)
      problems.push(`${a.text} crosses ${names}, though ${free.side} of ${owner.id} it would cross none`);
    else if (options.noCrossing) problems.push(`${a.text} crosses ${names}`);
  });
  return problems;
}
