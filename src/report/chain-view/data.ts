/**
 * The chain view's data: every case and source of the transmission chains as positioned nodes
 * (dagre's layered layout, one generation per row, chains side by side) and every link as an
 * edge, with what the side panel shows of each case (its infector candidates and evidence).
 */
import type { AnalysisReport, CaseReport, SourceKind } from '../../analysis/report-model';
import { layoutChain } from '../layout';
import { prepareReport } from '../select';
import {
  colourOfSetting,
  describe,
  SETTING_CATEGORIES,
  SETTING_CATEGORY_LABELS,
  SETTING_COLOURS,
  settingCategory,
  settingLabel,
  SOURCE_KIND_LABELS,
  type SettingCategory,
} from '../view';

export interface ChainViewCandidate {
  id: string;
  label: string;
  kind: SourceKind;
  probability: number;
  setting: string | null;
  settingLabel: string;
  gapDays: number | null;
  evidence: string;
}

export interface ChainViewNode {
  /** Unique in the view: the person id for a case, `chain:id` for a source. */
  key: string;
  id: string;
  /** `case`, or the kind of source (boat, item, place, person, unknown). */
  kind: SourceKind;
  label: string;
  name: string | null;
  detail: string | null;
  chainId: string;
  generation: number | null;
  classification: CaseReport['classification'] | null;
  /** Setting family of the link that infected the case (`none` for sources). */
  setting: SettingCategory;
  settingLabel: string;
  onset: string | null;
  confirmedAt: string | null;
  /** The day the date filter uses: onset, else confirmation (cases only). */
  date: string | null;
  offspring: number | null;
  flags: string[];
  infector: { id: string; label: string; kind: SourceKind; probability: number } | null;
  candidates: ChainViewCandidate[];
  x: number;
  y: number;
}

export interface ChainViewEdge {
  key: string;
  source: string;
  target: string;
  chainId: string;
  probability: number;
  setting: SettingCategory;
  settingLabel: string;
  colour: string;
  flags: string[];
}

export interface ChainViewChain {
  id: string;
  rootId: string;
  rootLabel: string;
  rootKind: SourceKind;
  size: number;
  length: number;
  firstDate: string;
  lastDate: string;
  active: boolean;
}

export interface ChainViewData {
  asOf: string;
  chains: ChainViewChain[];
  nodes: ChainViewNode[];
  edges: ChainViewEdge[];
  settings: { key: SettingCategory; label: string; colour: string }[];
  maxGeneration: number;
}

export interface ChainViewDataOptions {
  /** Only the chains of these cases. */
  caseIds?: string[];
  mask?: boolean;
}

/** Horizontal gap between two chains, in layout units. */
const CHAIN_GAP = 150;

export function chainViewData(report: AnalysisReport, options: ChainViewDataOptions = {}): ChainViewData {
  const { full, shown } = prepareReport(report, options);
  const caseById = new Map(full.cases.map((c) => [c.personId, c]));
  const nodes: ChainViewNode[] = [];
  const edges: ChainViewEdge[] = [];
  let offsetX = 0;
  let maxGeneration = 0;

  for (const chain of shown.chains) {
    const layout = layoutChain(chain);
    const keyOf = (id: string) => (chain.caseIds.includes(id) ? id : `${chain.id}:${id}`);
    for (const node of layout.nodes) {
      const c = node.kind === 'case' ? caseById.get(node.id) : undefined;
      const entity = node.kind === 'unknown' ? undefined : full.entities[node.id];
      const setting = node.incoming?.setting ?? null;
      if (c) maxGeneration = Math.max(maxGeneration, c.generation);
      nodes.push({
        key: keyOf(node.id),
        id: node.id,
        kind: node.kind,
        label: describe(full, node.id, node.kind),
        name: entity?.name ?? null,
        detail: node.kind === 'unknown' ? 'infected outside the recorded network' : (entity?.detail ?? null),
        chainId: chain.id,
        generation: c?.generation ?? null,
        classification: c?.classification ?? null,
        setting: node.kind === 'case' ? settingCategory(setting) : 'none',
        settingLabel: node.kind === 'case' ? settingLabel(setting) : SOURCE_KIND_LABELS[node.kind],
        onset: c?.onset ?? null,
        confirmedAt: c?.confirmedAt ?? null,
        date: c ? ((c.onset ?? c.confirmedAt)?.slice(0, 10) ?? null) : null,
        offspring: c?.offspring ?? null,
        flags: c?.flags ?? [],
        infector: c?.infector
          ? {
              id: c.infector.id,
              label: describe(full, c.infector.id, c.infector.kind),
              kind: c.infector.kind,
              probability: c.infector.probability,
            }
          : null,
        candidates: (c?.candidates ?? [])
          .slice()
          .sort((a, b) => b.probability - a.probability)
          .map((k) => ({
            id: k.id,
            label: describe(full, k.id, k.kind),
            kind: k.kind,
            probability: k.probability,
            setting: k.setting,
            settingLabel: settingLabel(k.setting),
            gapDays: k.gapDays,
            evidence: k.evidence,
          })),
        // Sigma's y axis points up; dagre's points down.
        x: offsetX + node.x,
        y: -node.y,
      });
    }
    chain.links.forEach((link, i) => {
      edges.push({
        key: `${chain.id}#${i}`,
        source: keyOf(link.from),
        target: keyOf(link.to),
        chainId: chain.id,
        probability: link.probability,
        setting: settingCategory(link.setting),
        settingLabel: settingLabel(link.setting),
        colour: colourOfSetting(link.setting),
        flags: link.flags,
      });
    });
    offsetX += layout.width + CHAIN_GAP;
  }

  return {
    asOf: report.asOf,
    chains: shown.chains.map((chain) => ({
      id: chain.id,
      rootId: chain.rootId,
      rootLabel: describe(full, chain.rootId, chain.rootKind),
      rootKind: chain.rootKind,
      size: chain.size,
      length: chain.length,
      firstDate: chain.firstDate,
      lastDate: chain.lastDate,
      active: chain.active,
    })),
    nodes,
    edges,
    settings: SETTING_CATEGORIES.map((key) => ({
      key,
      label: SETTING_CATEGORY_LABELS[key],
      colour: SETTING_COLOURS[key],
    })),
    maxGeneration,
  };
}
