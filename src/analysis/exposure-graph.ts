/**
 * Exposure graph: persons and environmental sources as nodes, exposures as edges, for centrality
 * (onward risk in quarantine priority) and community detection (clusters).
 *
 * Undirected and simple: all exposures between the same two nodes merge into one edge carrying
 * their settings, summed minutes and community weight (the direction, source to exposed person, is
 * kept in `sources`). With `data`, persons with a reported contact are also linked, and so are the
 * residents of each home where one of them is in the graph, since that is where an exposed person
 * would pass the infection on. Homes with no one in the graph stay out: the data holds the
 * households of everyone loaded (most of a district, at city scale), and they are no part of the
 * network of the exposures.
 *
 * Nodes and edges are keyed by number in the order first seen ("0", "1", …), each node carrying
 * its id, each edge from its end first given: algorithms whose result depends on node and edge
 * order (Louvain, PageRank) give what a graph keyed by id gives. Numbers rather than ids because
 * graphology keeps each node's neighbours in an object keyed by the neighbour's key: array-index
 * keys go to that object's elements, while ids give each node's object a new hidden class per
 * neighbour; and numbered edge keys spare graphology generating and checking a key per edge.
 *
 * The graph can be built in two steps (`ExposureGraphBuilder`): the exposures' edges, on which
 * communities are found (src/analysis/clusters.ts), then the links added to the same graph for
 * centrality. At a million persons the graph has ~4M edges and building it is most of its cost
 * (graphology's edge records and adjacency), so the analysis builds it once rather than once per
 * algorithm. The two steps give the graph one build gives: the same nodes and edges, numbered and
 * added in the same order.
 */
import { UndirectedGraph } from 'graphology';
import type { Id } from '../domain/types';
import { residentsOf } from './exposures';
import type { Exposure, ExposureSetting, OutbreakData } from './model';
import { addNumbered, grownTo, NodePairs } from './node-pairs';

export type ExposureLink = 'household' | 'contact';

export type ExposureNodeKind = 'case' | 'person' | 'item' | 'boat' | 'place';

export interface ExposureNodeAttributes {
  /** The person's or source's id (the node's key is its number, see above). */
  id: Id;
  kind: ExposureNodeKind;
}

export interface ExposureEdgeAttributes {
  /** Settings of the exposures along this edge, sorted, each once (shared between edges: read only). */
  settings: readonly ExposureSetting[];
  /** Summed exposure minutes. */
  minutes: number;
  /**
   * Louvain's weight: the exposures' minutes summed, each at least 1 (an instant handling of a lot
   * still ties the two); 0 on an edge of links alone.
   */
  weight: number;
  /** How many exposures merged into this edge. */
  exposures: number;
  /** The node(s) that were the source of an exposure along this edge, sorted (read only). */
  sources: readonly Id[];
  /** Links from the data rather than from an exposure: shared home, reported contact (read only). */
  links: readonly ExposureLink[];
}

export type ExposureGraph = UndirectedGraph<ExposureNodeAttributes, ExposureEdgeAttributes>;

export interface ExposureGraphOptions {
  /** Link the residents of each home (from the persons of the data) where one of them is in the graph. */
  householdLinks: boolean;
  /** Link the two persons of every reported contact in the data. */
  contactLinks: boolean;
}

export const DEFAULTS: ExposureGraphOptions = {
  householdLinks: true,
  contactLinks: true,
};

const SETTINGS: readonly ExposureSetting[] = ['boat', 'cold_chain', 'contact', 'household', 'place'];
const LINKS: readonly ExposureLink[] = ['contact', 'household'];

/**
 * Every subset of `names` (sorted, each once) by bit mask: bit i set when names[i] is in. Edges
 * share these frozen arrays, so that a 1M-person district's ~4M edges do not each carry their own.
 */
function subsetsByMask<T extends string>(names: readonly T[]): readonly (readonly T[])[] {
  return Array.from({ length: 1 << names.length }, (_, mask) =>
    Object.freeze(names.filter((_name, i) => mask & (1 << i))),
  );
}

const SETTINGS_BY_MASK = subsetsByMask(SETTINGS);
const LINKS_BY_MASK = subsetsByMask(LINKS);
const SETTING_BITS = new Map(SETTINGS.map((setting, i) => [setting, 1 << i]));
const linkBit = (link: ExposureLink): number => 1 << LINKS.indexOf(link);

/**
 * The graph's nodes and merged edges as plain arrays, filled exposure by exposure (then link by
 * link) and handed to a graphology graph: each node and edge added once, in the order of first
 * appearance, with no attribute object rebuilt per exposure.
 */
class GraphDraft {
  private readonly numbering: NodePairs;
  private readonly kinds: ExposureNodeKind[] = [];
  /**
   * Per edge (pair number), in typed arrays as long as the numbering's (`capacity`), grown with
   * them: at a million persons 5.7M edges, pushed onto plain arrays, took seconds of growing.
   */
  private minutes: Float64Array;
  private weights: Float64Array;
  private exposures: Int32Array;
  private settingMasks: Uint8Array;
  /** Bit 1: end A was a source of an exposure along the edge; bit 2: end B was. */
  private sourceMasks: Uint8Array;
  private linkMasks: Uint8Array;
  /** A single source's list of sources, shared by all its edges. */
  private readonly singles = new Map<number, readonly Id[]>();

  private graph: ExposureGraph | null = null;
  /** Nodes and edges already in `graph` (numbers below these). */
  private nodesInGraph = 0;
  private edgesInGraph = 0;
  /** Edges of the graph whose links changed since they were added. */
  private relinked: number[] = [];

  /** `expectedEdges`: about how many edges there will be (see NodePairs). */
  constructor(expectedEdges: number) {
    this.numbering = new NodePairs(expectedEdges);
    const capacity = this.numbering.capacity;
    this.minutes = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
    this.exposures = new Int32Array(capacity);
    this.settingMasks = new Uint8Array(capacity);
    this.sourceMasks = new Uint8Array(capacity);
    this.linkMasks = new Uint8Array(capacity);
  }

  /** Whether the node is in the graph. */
  has(id: Id): boolean {
    return this.numbering.has(id);
  }

  /** The node's number; a case stays a case even if first seen as an exposed person. */
  node(id: Id, kind: ExposureNodeKind): number {
    const n = this.numbering.node(id);
    if (n === this.kinds.length) this.kinds.push(kind);
    else if (kind === 'case') this.kinds[n] = 'case';
    return n;
  }

  /** The number of the edge between nodes a and b, adding an empty one first if new. */
  private edge(a: number, b: number): number {
    const edge = this.numbering.pair(a, b);
    // A new edge is zero everywhere: the arrays start zeroed, and grow zeroed.
    if (this.minutes.length < this.numbering.capacity) {
      this.minutes = grownTo(this.minutes, this.numbering.capacity);
      this.weights = grownTo(this.weights, this.numbering.capacity);
      this.exposures = grownTo(this.exposures, this.numbering.capacity);
      this.settingMasks = grownTo(this.settingMasks, this.numbering.capacity);
      this.sourceMasks = grownTo(this.sourceMasks, this.numbering.capacity);
      this.linkMasks = grownTo(this.linkMasks, this.numbering.capacity);
    }
    return edge;
  }

  addExposure(person: number, source: number, settingBit: number, minutes: number): void {
    const edge = this.edge(person, source);
    this.minutes[edge] += minutes;
    this.weights[edge] += Math.max(1, minutes);
    this.exposures[edge] += 1;
    this.settingMasks[edge] |= settingBit;
    this.sourceMasks[edge] |= source === this.numbering.endA[edge] ? 1 : 2;
  }

  addLink(a: number, b: number, link: ExposureLink): void {
    const edge = this.edge(a, b);
    const mask = this.linkMasks[edge]!;
    const bit = linkBit(link);
    if (mask & bit) return;
    this.linkMasks[edge] = mask | bit;
    if (edge < this.edgesInGraph) this.relinked.push(edge);
  }

  /**
   * The graph: built on the first call, then brought up to date with the nodes, edges and links
   * numbered since, in numbering order, so that it is the graph one build would give. (A node's
   * kind is settled by then: links name persons, a case or not as their exposures had them.)
   */
  toGraph(): ExposureGraph {
    const { ids, pairCount } = this.numbering;
    const graph = (this.graph ??= new UndirectedGraph({ allowSelfLoops: false }));
    for (const edge of this.relinked) {
      graph.setEdgeAttribute(String(edge), 'links', LINKS_BY_MASK[this.linkMasks[edge]!]!);
    }
    addNumbered(graph, this.numbering, [this.nodesInGraph, ids.length], [this.edgesInGraph, pairCount], {
      node: (node) => ({ id: ids[node]!, kind: this.kinds[node]! }),
      edge: (edge) => this.attributesOf(edge),
    });
    this.nodesInGraph = ids.length;
    this.edgesInGraph = pairCount;
    this.relinked = [];
    return graph;
  }

  private attributesOf(edge: number): ExposureEdgeAttributes {
    return {
      settings: SETTINGS_BY_MASK[this.settingMasks[edge]!]!,
      minutes: this.minutes[edge]!,
      weight: this.weights[edge]!,
      exposures: this.exposures[edge]!,
      sources: this.sourcesOf(edge),
      links: LINKS_BY_MASK[this.linkMasks[edge]!]!,
    };
  }

  /** The edge's sources (sorted). */
  private sourcesOf(edge: number): readonly Id[] {
    const { ids, endA, endB } = this.numbering;
    const sourceMask = this.sourceMasks[edge]!;
    if (sourceMask === 0) return NO_SOURCES;
    if (sourceMask === 1) return this.single(endA[edge]!);
    if (sourceMask === 2) return this.single(endB[edge]!);
    return [ids[endA[edge]!]!, ids[endB[edge]!]!].sort();
  }

  /** The list of one source, shared by all its edges. */
  private single(node: number): readonly Id[] {
    let list = this.singles.get(node);
    if (list === undefined) this.singles.set(node, (list = Object.freeze([this.numbering.ids[node]!])));
    return list;
  }
}

const NO_SOURCES: readonly Id[] = Object.freeze([]);

/**
 * Builds the exposure graph in two steps on one graph: `exposures()` gives the graph of the
 * exposures' edges alone; `withLinks(data)` then adds the household and contact links to that same
 * graph. The result is the graph `buildExposureGraph(exposures, data)` gives.
 */
export class ExposureGraphBuilder {
  private readonly draft: GraphDraft;
  private readonly caseIds: ReadonlySet<Id>;

  constructor(
    exposures: readonly Exposure[],
    /** Marks which persons are cases. */
    caseIds: ReadonlySet<Id> = new Set(),
  ) {
    this.caseIds = caseIds;
    // At most an edge an exposure; the numbering leaves room for the links added later (households,
    // reported contacts: 4% more at a million persons), so that the arrays need not grow then.
    const draft = (this.draft = new GraphDraft(exposures.length));
    exposures.forEach((e, i) => {
      if (e.personId === e.sourceId) {
        throw new RangeError(`exposure graph: exposures[${i}]: person ${e.personId} is their own source`);
      }
      const settingBit = SETTING_BITS.get(e.setting);
      if (settingBit === undefined) {
        throw new RangeError(
          `exposure graph: exposures[${i}]: field "setting" is not one of ${SETTINGS.join(', ')}`,
        );
      }
      const person = draft.node(e.personId, this.personKind(e.personId));
      const source = draft.node(e.sourceId, e.sourceKind === 'case' ? 'case' : e.sourceKind);
      draft.addExposure(person, source, settingBit, e.minutes);
    });
  }

  private personKind(id: Id): ExposureNodeKind {
    return this.caseIds.has(id) ? 'case' : 'person';
  }

  /** The graph of the exposures alone. */
  exposures(): ExposureGraph {
    return this.draft.toGraph();
  }

  /**
   * The same graph (the one `exposures()` returned, now changed) with the links of `data` added:
   * persons with a reported contact, and the residents of each home where one of them is in the
   * graph.
   */
  withLinks(data: OutbreakData, options: Partial<ExposureGraphOptions> = {}): ExposureGraph {
    this.addLinks(data, options);
    return this.draft.toGraph();
  }

  /** Numbers the links of `data` (see `withLinks`). */
  private addLinks(data: OutbreakData, options: Partial<ExposureGraphOptions>): void {
    const { draft } = this;
    // Numbered as they come, before any of them is added: the graph `exposures()` gave may not
    // be built yet, and then it is built whole by `withLinks`.
    forEachLink(
      data,
      options,
      (id) => draft.has(id),
      (a, b, kind) =>
        draft.addLink(draft.node(a, this.personKind(a)), draft.node(b, this.personKind(b)), kind),
    );
  }
}

/**
 * The links of `data`, in the order the graph and the network's records number them: each reported
 * contact's two persons, then every two residents of each home where one of them is in the network
 * (`inNetwork`, asked after the contacts' links are numbered), never a person with themselves.
 */
export function forEachLink(
  data: OutbreakData,
  options: Partial<ExposureGraphOptions>,
  inNetwork: (id: Id) => boolean,
  link: (a: Id, b: Id, kind: ExposureLink) => void,
): void {
  const { householdLinks, contactLinks } = { ...DEFAULTS, ...options };
  const linkApart = (a: Id, b: Id, kind: ExposureLink): void => {
    if (a !== b) link(a, b, kind);
  };
  if (contactLinks) for (const c of data.contacts) linkApart(c.personA, c.personB, 'contact');
  if (householdLinks) {
    // Residents gathered only for the homes in the network: at city scale most homes are not.
    const homes = new Set<Id>();
    for (const p of data.persons.values()) if (p.homeId !== null && inNetwork(p.id)) homes.add(p.homeId);
    for (const members of residentsOf(data, homes).values()) {
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) linkApart(members[i]!.id, members[j]!.id, 'household');
      }
    }
  }
}

/** Builds the exposure graph; `data` (optional) marks cases and adds household and contact links. */
export function buildExposureGraph(
  exposures: readonly Exposure[],
  data: OutbreakData | null = null,
  options: Partial<ExposureGraphOptions> = {},
): ExposureGraph {
  const builder = new ExposureGraphBuilder(exposures, new Set(data?.cases.map((c) => c.personId) ?? []));
  return data ? builder.withLinks(data, options) : builder.exposures();
}
