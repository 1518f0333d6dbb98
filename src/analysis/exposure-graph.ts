/**
 * Exposure graph: persons and environmental sources as nodes, exposures as edges, for centrality
 * (onward risk in quarantine priority) and community detection (clusters).
 *
 * Undirected and simple: all exposures between the same two nodes merge into one edge carrying
 * their settings and summed minutes (the direction, source to exposed person, is kept in
 * `sources`). With `data`, persons who share a home and persons with a reported contact are also
 * linked, since that is where an exposed person would pass the infection on.
 */
import { UndirectedGraph } from 'graphology';
import type { Id } from '../domain/types';
import type { Exposure, ExposureSetting, OutbreakData } from './model';

export type ExposureNodeKind = 'case' | 'person' | 'item' | 'boat' | 'place';

export interface ExposureNodeAttributes {
  kind: ExposureNodeKind;
}

export interface ExposureEdgeAttributes {
  /** Settings of the exposures along this edge, sorted, each once. */
  settings: ExposureSetting[];
  /** Summed exposure minutes. */
  minutes: number;
  /** How many exposures merged into this edge. */
  exposures: number;
  /** The node(s) that were the source of an exposure along this edge. */
  sources: Id[];
  /** Links from the data rather than from an exposure: shared home, reported contact. */
  links: ('household' | 'contact')[];
}

export type ExposureGraph = UndirectedGraph<ExposureNodeAttributes, ExposureEdgeAttributes>;

export interface ExposureGraphOptions {
  /** Link residents of the same home among the persons of the data. */
  householdLinks: boolean;
  /** Link the two persons of every reported contact in the data. */
  contactLinks: boolean;
}

export const DEFAULTS: ExposureGraphOptions = {
  householdLinks: true,
  contactLinks: true,
};

function emptyEdge(): ExposureEdgeAttributes {
  return { settings: [], minutes: 0, exposures: 0, sources: [], links: [] };
}

/** Updates the edge between a and b, creating it first if needed. */
function updateEdge(
  graph: ExposureGraph,
  a: Id,
  b: Id,
  update: (edge: ExposureEdgeAttributes) => ExposureEdgeAttributes,
): void {
  const key = graph.edge(a, b) ?? graph.addEdge(a, b, emptyEdge());
  graph.replaceEdgeAttributes(key, update(graph.getEdgeAttributes(key)));
}

const withItem = <T extends string>(list: T[], value: T): T[] =>
  list.includes(value) ? list : [...list, value].sort();

function addNode(graph: ExposureGraph, id: Id, kind: ExposureNodeKind): void {
  // A case stays a case even if first seen as an exposed person.
  if (!graph.hasNode(id)) graph.addNode(id, { kind });
  else if (kind === 'case') graph.setNodeAttribute(id, 'kind', 'case');
}

/** Builds the exposure graph; `data` (optional) marks cases and adds household and contact links. */
export function buildExposureGraph(
  exposures: readonly Exposure[],
  data: OutbreakData | null = null,
  options: Partial<ExposureGraphOptions> = {},
): ExposureGraph {
  const { householdLinks, contactLinks } = { ...DEFAULTS, ...options };
  const caseIds = new Set(data?.cases.map((c) => c.personId) ?? []);
  const personKind = (id: Id): ExposureNodeKind => (caseIds.has(id) ? 'case' : 'person');
  const graph: ExposureGraph = new UndirectedGraph({ allowSelfLoops: false });

  exposures.forEach((e, i) => {
    if (e.personId === e.sourceId) {
      throw new RangeError(`exposure graph: exposures[${i}]: person ${e.personId} is their own source`);
    }
    addNode(graph, e.personId, personKind(e.personId));
    addNode(graph, e.sourceId, e.sourceKind === 'case' ? 'case' : e.sourceKind);
    updateEdge(graph, e.personId, e.sourceId, (edge) => ({
      ...edge,
      settings: withItem(edge.settings, e.setting),
      sources: withItem(edge.sources, e.sourceId),
      minutes: edge.minutes + e.minutes,
      exposures: edge.exposures + 1,
    }));
  });

  if (data) {
    const link = (a: Id, b: Id, kind: 'household' | 'contact'): void => {
      if (a === b) return;
      addNode(graph, a, personKind(a));
      addNode(graph, b, personKind(b));
      updateEdge(graph, a, b, (edge) => ({ ...edge, links: withItem(edge.links, kind) }));
    };
    if (householdLinks) {
      const byHome = new Map<Id, Id[]>();
      for (const p of data.persons.values()) {
        if (p.homeId === null) continue;
        const members = byHome.get(p.homeId);
        if (members) members.push(p.id);
        else byHome.set(p.homeId, [p.id]);
      }
      for (const members of byHome.values()) {
        for (let i = 0; i < members.length; i++) {
          for (let j = i + 1; j < members.length; j++) link(members[i]!, members[j]!, 'household');
        }
      }
    }
    if (contactLinks) for (const c of data.contacts) link(c.personA, c.personB, 'contact');
  }
  return graph;
}
