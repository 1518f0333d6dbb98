/**
 * Inline SVG drawings for the HTML report: the transmission-chain diagram (nodes by generation,
 * coloured by the setting of the link that infected them), the epidemic curve (cases by day of
 * confirmation, confirmed vs asymptomatic, with onsets marked) and a case's timeline strip.
 */
import type { AnalysisReport, CaseReport, ChainReport, SourceKind } from '../analysis/report-model';
import { layoutChain, type LaidOutNode } from './layout';
import {
  colourOfSetting,
  colourOfSourceKind,
  describe,
  formatWhen,
  nameOf,
  percent,
  SETTING_COLOURS,
  settingCategory,
  settingLabel,
  SOURCE_KIND_LABELS,
} from './view';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const n = (x: number) => String(Math.round(x * 10) / 10);

/** Shortens a label to `max` characters (counting CJK characters as one each). */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Shape centre sits above the node's centre, leaving room for two lines of text below. */
const SHAPE_OFFSET = 12;
const SHAPE_RADIUS = 16;

function sourceShape(kind: SourceKind, cx: number, cy: number, fill: string): string {
  const r = SHAPE_RADIUS + 2;
  switch (kind) {
    case 'boat': {
      const points = [0, 60, 120, 180, 240, 300]
        .map((deg) => [cx + r * Math.cos((deg * Math.PI) / 180), cy + r * Math.sin((deg * Math.PI) / 180)])
        .map(([x, y]) => `${n(x!)},${n(y!)}`)
        .join(' ');
      return `<polygon class="shape" points="${points}" fill="${fill}" stroke="#263238" stroke-width="1.5"/>`;
    }
    case 'item':
      return `<polygon class="shape" points="${n(cx)},${n(cy - r)} ${n(cx + r)},${n(cy)} ${n(cx)},${n(cy + r)} ${n(cx - r)},${n(cy)}" fill="${fill}" stroke="#263238" stroke-width="1.5"/>`;
    case 'place':
      return `<rect class="shape" x="${n(cx - r)}" y="${n(cy - r * 0.75)}" width="${n(2 * r)}" height="${n(1.5 * r)}" rx="4" fill="${fill}" stroke="#263238" stroke-width="1.5"/>`;
    default:
      // Unknown or unrecorded infector: dashed outline, nothing known inside.
      return `<circle class="shape" cx="${n(cx)}" cy="${n(cy)}" r="${SHAPE_RADIUS}" fill="#ffffff" stroke="#616161" stroke-width="1.5" stroke-dasharray="4 3"/>`;
  }
}

const SOURCE_GLYPH: Partial<Record<SourceKind, string>> = {
  boat: 'B',
  item: 'L',
  place: 'P',
  unknown: '?',
  person: '?',
};

function renderNode(
  report: AnalysisReport,
  node: LaidOutNode,
  generationOf: Map<string, number>,
  selected: ReadonlySet<string> | null,
): string {
  const cx = node.x;
  const cy = node.y - SHAPE_OFFSET;
  // The source outside the network has no name, whatever is recorded under its id `unknown`.
  const name = node.kind === 'unknown' ? null : nameOf(report, node.id);
  const textY = node.y + SHAPE_OFFSET + 10;
  const lines: string[] = [];
  if (node.kind === 'case') {
    const c = report.cases.find((x) => x.personId === node.id);
    const setting = node.incoming?.setting ?? null;
    const colour = colourOfSetting(setting);
    const asymptomatic = c?.classification === 'asymptomatic';
    const generation = generationOf.get(node.id);
    const title = [
      describe(report, node.id),
      c ? c.classification : 'case',
      generation !== undefined ? `generation ${generation}` : '',
      node.incoming
        ? `infected via ${settingLabel(setting)} (${percent(node.incoming.probability)})`
        : 'no recorded infector',
    ]
      .filter(Boolean)
      .join(' · ');
    const highlight = selected?.has(node.id)
      ? `<circle class="selected-ring" cx="${n(cx)}" cy="${n(cy)}" r="${SHAPE_RADIUS + 5}" fill="none" stroke="#ffb300" stroke-width="3"/>`
      : '';
    const shape = asymptomatic
      ? `<circle class="shape" cx="${n(cx)}" cy="${n(cy)}" r="${SHAPE_RADIUS - 2}" fill="#ffffff" stroke="${colour}" stroke-width="4"/>`
      : `<circle class="shape" cx="${n(cx)}" cy="${n(cy)}" r="${SHAPE_RADIUS}" fill="${colour}" stroke="#263238" stroke-width="1"/>`;
    const glyph =
      generation !== undefined
        ? `<text x="${n(cx)}" y="${n(cy + 4)}" text-anchor="middle" class="glyph" fill="${asymptomatic ? colour : '#ffffff'}">${generation}</text>`
        : '';
    lines.push(
      `<text x="${n(cx)}" y="${n(textY)}" text-anchor="middle" class="node-id">${escapeXml(clip(node.id, 14))}</text>`,
    );
    if (name)
      lines.push(
        `<text x="${n(cx)}" y="${n(textY + 12)}" text-anchor="middle" class="node-name">${escapeXml(clip(name, 12))}</text>`,
      );
    return (
      `<g class="node case" data-case-id="${escapeXml(node.id)}" data-setting="${settingCategory(setting)}"` +
      `${generation !== undefined ? ` data-generation="${generation}"` : ''}><title>${escapeXml(title)}</title>` +
      `${highlight}${shape}${glyph}${lines.join('')}</g>`
    );
  }
  const fill = colourOfSourceKind(node.kind);
  const label = node.id;
  const title = `${describe(report, node.id, node.kind)} · ${SOURCE_KIND_LABELS[node.kind]}`;
  const glyphColour =
    node.kind === 'boat' || node.kind === 'item' || node.kind === 'place' ? '#ffffff' : '#616161';
  lines.push(
    `<text x="${n(cx)}" y="${n(textY)}" text-anchor="middle" class="node-id">${escapeXml(clip(label, 14))}</text>`,
  );
  if (name)
    lines.push(
      `<text x="${n(cx)}" y="${n(textY + 12)}" text-anchor="middle" class="node-name">${escapeXml(clip(name, 14))}</text>`,
    );
  return (
    `<g class="node source" data-source-id="${escapeXml(node.id)}" data-source-kind="${node.kind}"><title>${escapeXml(title)}</title>` +
    `${sourceShape(node.kind, cx, cy, fill)}<text x="${n(cx)}" y="${n(cy + 4)}" text-anchor="middle" class="glyph" fill="${glyphColour}">${SOURCE_GLYPH[node.kind] ?? ''}</text>${lines.join('')}</g>`
  );
}

/**
 * The diagram of one chain, laid out top to bottom by generation. `report` is the whole report
 * (every case of the chain is looked up in it); `selected` rings the cases a batch asked for.
 */
export function renderChainSvg(
  report: AnalysisReport,
  chain: ChainReport,
  index: number,
  selected: ReadonlySet<string> | null = null,
): string {
  const layout = layoutChain(chain);
  const generationOf = new Map(report.cases.map((c) => [c.personId, c.generation]));
  // One arrowhead per setting colour (a marker cannot take the colour of the line it ends).
  const markerOf = (setting: string | null) => `arrow-${index}-${settingCategory(setting)}`;
  const usedCategories = new Set(layout.edges.map((edge) => settingCategory(edge.link.setting)));
  const edges = layout.edges.map((edge) => {
    const colour = colourOfSetting(edge.link.setting);
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ');
    const flagged = edge.link.flags.length > 0;
    const text = `${percent(edge.link.probability)}${flagged ? ' !' : ''}`;
    const title = `${describe(report, edge.link.from, edge.link.fromKind)} → ${describe(report, edge.link.to, 'case')}: ${settingLabel(edge.link.setting)}, ${percent(edge.link.probability)}${flagged ? ` (${edge.link.flags.join('; ')})` : ''}`;
    const width = 8 + text.length * 6.2;
    return (
      `<g class="edge" data-from="${escapeXml(edge.link.from)}" data-to="${escapeXml(edge.link.to)}"><title>${escapeXml(title)}</title>` +
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${n(1 + 2.5 * edge.link.probability)}"${edge.link.setting === null ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#${markerOf(edge.link.setting)})"/>` +
      `<rect x="${n(edge.labelX - width / 2)}" y="${n(edge.labelY - 7)}" width="${n(width)}" height="14" rx="3" fill="#ffffff" stroke="${flagged ? '#c62828' : '#cfd8dc'}"/>` +
      `<text x="${n(edge.labelX)}" y="${n(edge.labelY + 3.5)}" text-anchor="middle" class="edge-label"${flagged ? ' fill="#c62828"' : ''}>${escapeXml(text)}</text></g>`
    );
  });
  const nodes = layout.nodes.map((node) => renderNode(report, node, generationOf, selected));
  return (
    `<svg class="chain-diagram" data-chain-id="${escapeXml(chain.id)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="Transmission chain ${escapeXml(chain.id)}">` +
    `<defs>${[...usedCategories]
      .map(
        (category) =>
          `<marker id="arrow-${index}-${category}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${SETTING_COLOURS[category]}"/></marker>`,
      )
      .join('')}</defs>` +
    `${edges.join('')}${nodes.join('')}</svg>`
  );
}

/**
 * The epidemic curve's two layouts. An SVG scales with the width it is shown at, its text with it:
 * the wide one, shown at a phone's 330 px, had axis labels 5 px high. The narrow one is drawn for
 * the narrowest phone's page (320 px less the page's margins), with fewer date labels and its
 * legend on three lines, so that its 11-unit labels are 11 px on any screen that shows it.
 */
export interface EpiCurveLayout {
  width: number;
  height: number;
  /** At most this many date labels under the axis; a longer curve labels every second day, third... */
  dateLabels: number;
  /** Where the legend's items start, each `[x, line]` (line 0 is the lowest). */
  legend: readonly [number, number][];
}

export const WIDE_EPI_CURVE: EpiCurveLayout = {
  width: 760,
  height: 250,
  dateLabels: 16,
  legend: [
    [0, 0],
    [170, 0],
    [290, 0],
  ],
};

export const NARROW_EPI_CURVE: EpiCurveLayout = {
  width: 296,
  height: 266,
  dateLabels: 6,
  legend: [
    [0, 2],
    [0, 1],
    [0, 0],
  ],
};

/** Bars of cases by day (confirmed below, asymptomatic stacked on top), onsets as dots. */
export function renderEpiCurveSvg(
  curve: AnalysisReport['epiCurve'],
  layout: EpiCurveLayout = WIDE_EPI_CURVE,
): string {
  const { width, height } = layout;
  const legendLines = Math.max(...layout.legend.map(([, line]) => line)) + 1;
  const margin = { left: 40, right: 12, top: 16, bottom: 32 + 16 * legendLines };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...curve.map((d) => Math.max(d.confirmed + d.asymptomatic, d.byOnset)));
  const step = max <= 10 ? 1 : Math.ceil(max / 8);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => margin.top + plotH - (v / top) * plotH;
  const slot = curve.length ? plotW / curve.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(curve.length / layout.dateLabels));

  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${v === 0 ? '#455a64' : '#e0e0e0'}"/>`,
    );
    parts.push(`<text x="${margin.left - 6}" y="${n(y(v) + 4)}" text-anchor="end" class="axis">${v}</text>`);
  }
  curve.forEach((day, i) => {
    const x = margin.left + i * slot + (slot - barW) / 2;
    const title = `${day.date}: ${day.confirmed} confirmed, ${day.asymptomatic} asymptomatic, ${day.byOnset} by onset`;
    parts.push(
      `<g class="day" data-date="${escapeXml(day.date)}"><title>${escapeXml(title)}</title>` +
        (day.confirmed > 0
          ? `<rect class="bar-confirmed" x="${n(x)}" y="${n(y(day.confirmed))}" width="${n(barW)}" height="${n(y(0) - y(day.confirmed))}" fill="#c62828"/>`
          : '') +
        (day.asymptomatic > 0
          ? `<rect class="bar-asymptomatic" x="${n(x)}" y="${n(y(day.confirmed + day.asymptomatic))}" width="${n(barW)}" height="${n(y(day.confirmed) - y(day.confirmed + day.asymptomatic))}" fill="#f4a3a3" stroke="#c62828" stroke-width="0.8"/>`
          : '') +
        (day.byOnset > 0
          ? `<circle class="onset" cx="${n(x + barW / 2)}" cy="${n(y(day.byOnset))}" r="4" fill="#263238"/>`
          : '') +
        '</g>',
    );
    if (i % labelEvery === 0) {
      const lx = margin.left + i * slot + slot / 2;
      parts.push(
        `<text x="${n(lx)}" y="${n(y(0) + 16)}" text-anchor="middle" class="axis">${escapeXml(day.date.slice(5))}</text>`,
      );
    }
  });
  const at = (item: number) => {
    const [dx, line] = layout.legend[item]!;
    return { x: margin.left + dx, y: height - 10 - 16 * line };
  };
  const confirmed = at(0);
  const asymptomatic = at(1);
  const onset = at(2);
  parts.push(
    `<g class="legend"><rect x="${confirmed.x}" y="${confirmed.y - 9}" width="12" height="10" fill="#c62828"/>` +
      `<text x="${confirmed.x + 16}" y="${confirmed.y}" class="axis">confirmed (symptomatic)</text>` +
      `<rect x="${asymptomatic.x}" y="${asymptomatic.y - 9}" width="12" height="10" fill="#f4a3a3" stroke="#c62828" stroke-width="0.8"/>` +
      `<text x="${asymptomatic.x + 16}" y="${asymptomatic.y}" class="axis">asymptomatic</text>` +
      `<circle cx="${onset.x + 6}" cy="${onset.y - 4}" r="4" fill="#263238"/>` +
      `<text x="${onset.x + 14}" y="${onset.y}" class="axis">cases by onset date</text></g>`,
  );
  return `<svg class="epi-curve" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Epidemic curve by day of confirmation">${parts.join('')}</svg>`;
}

const DAY_MS = 86_400_000;
/** Half a day label's width (`08-05` at 11 px), in the strip's units. */
const DAY_LABEL_HALF = 17;

/**
 * A case's timeline strip's two layouts, as the epidemic curve's: the wide one shown at a phone's
 * width had day labels 6 px high; the narrow one is as wide as the narrow curve.
 */
export interface TimelineLayout {
  width: number;
  /** At most this many day labels; a longer strip labels every second day, third... */
  dayLabels: number;
}

export const WIDE_TIMELINE: TimelineLayout = { width: 720, dayLabels: 18 };

export const NARROW_TIMELINE: TimelineLayout = { width: 296, dayLabels: 6 };

/** A case's days on one strip: the infectious window shaded, stays as bars, events as marks. */
export function renderTimelineSvg(c: CaseReport, layout: TimelineLayout = WIDE_TIMELINE): string {
  const times = [
    c.infectiousWindow.from,
    c.infectiousWindow.to,
    ...c.timeline.flatMap((e) => [e.at, e.end ?? e.at]),
  ]
    .map((t) => Date.parse(t.length === 10 ? `${t}T00:00:00+08:00` : t))
    .filter((t) => Number.isFinite(t));
  if (times.length === 0) return '';
  const offsetMs = 8 * 3_600_000;
  const startDay = Math.floor((Math.min(...times) + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const endDay = Math.ceil((Math.max(...times) + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const days = Math.max(1, Math.round((endDay - startDay) / DAY_MS));
  const { width } = layout;
  const labelEvery = Math.max(1, Math.ceil(days / layout.dayLabels));
  const left = 8;
  const right = 8;
  const x = (iso: string) => {
    const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00+08:00` : iso);
    return left + ((t - startDay) / (endDay - startDay)) * (width - left - right);
  };
  const parts: string[] = [];
  parts.push(
    `<rect class="window" x="${n(x(c.infectiousWindow.from))}" y="6" width="${n(Math.max(1, x(c.infectiousWindow.to) - x(c.infectiousWindow.from)))}" height="34" fill="#fff3cd" stroke="#e0b84c"/>`,
  );
  for (let d = 0; d <= days; d++) {
    const dx = left + (d / days) * (width - left - right);
    parts.push(`<line x1="${n(dx)}" x2="${n(dx)}" y1="4" y2="44" stroke="#eceff1"/>`);
    if (d < days && d % labelEvery === 0) {
      const date = new Date(startDay + d * DAY_MS + offsetMs).toISOString().slice(5, 10);
      // Centred on its day, but never cut by the strip's edge when a day is narrower than its label.
      const cx = Math.min(
        Math.max(dx + (width - left - right) / days / 2, DAY_LABEL_HALF),
        width - DAY_LABEL_HALF,
      );
      parts.push(`<text x="${n(cx)}" y="56" text-anchor="middle" class="axis">${date}</text>`);
    }
  }
  for (const e of c.timeline) {
    const ex = x(e.at);
    const when = `${formatWhen(e.at)}${e.end ? ` – ${formatWhen(e.end)}` : ''}`;
    const title = `<title>${escapeXml(`${when}: ${e.label}`)}</title>`;
    if (e.kind === 'stay') {
      const w = Math.max(3, x(e.end ?? e.at) - ex);
      parts.push(
        `<rect class="stay" x="${n(ex)}" y="16" width="${n(w)}" height="14" rx="2" fill="#1f78b4">${title}</rect>`,
      );
    } else if (e.kind === 'onset') {
      parts.push(
        `<polygon class="mark-onset" points="${n(ex)},10 ${n(ex + 6)},22 ${n(ex - 6)},22" fill="#c62828">${title}</polygon>`,
      );
    } else if (e.kind === 'sample') {
      parts.push(
        `<circle class="mark-sample" cx="${n(ex)}" cy="32" r="5" fill="#ffffff" stroke="#263238" stroke-width="2">${title}</circle>`,
      );
    } else if (e.kind === 'confirmed') {
      parts.push(
        `<rect class="mark-confirmed" x="${n(ex - 5)}" y="27" width="10" height="10" fill="#263238">${title}</rect>`,
      );
    }
  }
  return `<svg class="timeline" viewBox="0 0 ${width} 62" width="${width}" height="62" role="img" aria-label="Timeline of ${escapeXml(c.personId)}">${parts.join('')}</svg>`;
}
