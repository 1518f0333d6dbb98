/**
 * Chain layout: places the cases and sources of one transmission chain by generation, top to
 * bottom, with dagre's layered (Sugiyama) layout, for the drawn diagram and the chain view.
 */
import dagre from '@dagrejs/dagre';
import type { ChainLink, ChainReport, SourceKind } from '../analysis/report-model';

export interface LaidOutNode {
  id: string;
  /** `case` for a case of the chain; the source kind for a root or infector outside it. */
  kind: SourceKind;
  /** Centre of the node. */
  x: number;
  y: number;
  /** The link that infected this case (null for sources and cases with no recorded infector). */
  incoming: ChainLink | null;
}

export interface LaidOutEdge {
  link: ChainLink;
  points: { x: number; y: number }[];
  /** Where the probability label goes. */
  labelX: number;
  labelY: number;
}

export interface ChainLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  rankSep: number;
  nodeSep: number;
  margin: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 96,
  nodeHeight: 66,
  rankSep: 46,
  nodeSep: 24,
  margin: 12,
};

/** The nodes a chain draws: its cases, then its root and every infector outside the chain. */
export function chainNodes(chain: ChainReport): { id: string; kind: SourceKind }[] {
  const nodes = new Map<string, SourceKind>();
  for (const id of chain.caseIds) nodes.set(id, 'case');
  if (!nodes.has(chain.rootId)) nodes.set(chain.rootId, chain.rootKind);
  for (const link of chain.links) {
    if (!nodes.has(link.from)) nodes.set(link.from, link.fromKind);
    if (!nodes.has(link.to)) nodes.set(link.to, 'person');
  }
  return [...nodes].map(([id, kind]) => ({ id, kind }));
}

export function layoutChain(chain: ChainReport, options: Partial<LayoutOptions> = {}): ChainLayout {
  const o = { ...DEFAULT_LAYOUT, ...options };
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({
    rankdir: 'TB',
    ranksep: o.rankSep,
    nodesep: o.nodeSep,
    marginx: o.margin,
    marginy: o.margin,
  });
  graph.setDefaultEdgeLabel(() => ({}));

  const nodes = chainNodes(chain);
  // dagre keys its nodes in plain objects, where an id such as "constructor" finds an inherited
  // property: it lays out nodes named by their place in `nodes` instead.
  const keyOf = new Map(nodes.map((node, i) => [node.id, `n${i}`]));
  const key = (id: string): string => keyOf.get(id)!;
  for (const node of nodes) graph.setNode(key(node.id), { width: o.nodeWidth, height: o.nodeHeight });
  chain.links.forEach((link, i) => {
    graph.setEdge(
      key(link.from),
      key(link.to),
      { width: 36, height: 14, labelpos: 'c', minlen: 1 },
      `link${i}`,
    );
  });
  dagre.layout(graph);

  const incoming = new Map<string, ChainLink>();
  for (const link of chain.links) if (!incoming.has(link.to)) incoming.set(link.to, link);

  const label = graph.graph();
  return {
    width: Math.ceil(label.width ?? o.nodeWidth + 2 * o.margin),
    height: Math.ceil(label.height ?? o.nodeHeight + 2 * o.margin),
    nodes: nodes.map((node) => {
      const placed = graph.node(key(node.id));
      return { ...node, x: placed.x, y: placed.y, incoming: incoming.get(node.id) ?? null };
    }),
    edges: chain.links.map((link, i) => {
      const edge = graph.edge(key(link.from), key(link.to), `link${i}`);
      const points = edge.points.map((p) => ({ x: p.x, y: p.y }));
      const middle = points[Math.floor(points.length / 2)]!;
      return {
        link,
        points,
        labelX: typeof edge.x === 'number' ? edge.x : middle.x,
        labelY: typeof edge.y === 'number' ? edge.y : middle.y,
      };
    }),
  };
}
