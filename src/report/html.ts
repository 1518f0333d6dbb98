/**
 * The HTML trace report: one self-contained file (inline CSS and SVG, nothing fetched) with the
 * district summary, the epidemic curve, the drawn transmission chains, one printable page per
 * case (timeline, infector candidates, contacts by tier), likely sources, risk areas and the
 * quarantine list.
 */
import type {
  AnalysisReport,
  CaseReport,
  ChainReport,
  ContactReport,
  RiskLevel,
  SourceKind,
} from '../analysis/report-model';
import { changesView, moreChangesNote } from './changes-view';
import { prepareReport } from './select';
import {
  escapeXml as esc,
  NARROW_EPI_CURVE,
  NARROW_TIMELINE,
  renderChainSvg,
  renderEpiCurveSvg,
  renderTimelineSvg,
  WIDE_EPI_CURVE,
  WIDE_TIMELINE,
} from './svg';
import {
  bedsTaken,
  bedsTakenParts,
  byPriority,
  capList,
  chainTree,
  colourOfSetting,
  cappedContactsByCase,
  count,
  cutLinkNote,
  DEFAULT_MAX_CONTACTS,
  decimal,
  describe,
  formatWhen,
  liftWords,
  reportSubtitle,
  percent,
  SETTING_CATEGORIES,
  SETTING_CATEGORY_LABELS,
  SETTING_COLOURS,
  settingLabel,
  SOURCE_KIND_LABELS,
  TIER_LABELS,
  TIER_SHORT,
  TIERS,
  MAX_DRAWN_CHAIN_CASES,
  MAX_TABLE_ROWS,
  MAX_TIMELINE_ROWS,
  moreContactsNote,
  noneOfTierShown,
  CASE_CONTACTS_ORDER,
  mostLikelyInfector,
  quarantineWhere,
  RISK_AREA_ORDER,
  selectionNote,
  SELECTED_CONTACTS,
  SELECTED_RISK_AREAS,
  SELECTED_SOURCES,
  unlistedCandidatesNote,
  type ChainTreeNode,
} from './view';

export interface RenderOptions {
  /** Only these cases (and the chains they belong to); unknown ids become problems. */
  caseIds?: string[];
  /** Mask names and phones (for roles that may not see personal data). */
  mask?: boolean;
  title?: string;
  /** Shown in a box at the top, e.g. case ids of a batch that are not cases. */
  problems?: string[];
  /** Called after each case is rendered. */
  onProgress?: (done: number, total: number, caseId: string) => void;
  /**
   * Contacts listed per case and in the quarantine table, highest priority first (default 50);
   * 0 or Infinity lists them all. The CSV and JSON reports always list everyone.
   */
  maxContacts?: number;
}

const CSS = `
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#d9dee4; --band:#f4f6f8; --accent:#0b5394; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px; }
header.report { background: var(--accent); color: #fff; padding: 20px 24px; }
header.report h1 { margin: 0 0 4px; font-size: 24px; max-width: 1072px; margin-inline: auto; }
header.report p { margin: 0; opacity: .9; max-width: 1072px; margin-inline: auto; }
h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 17px; margin: 20px 0 8px; }
h5 { font-size: 13px; margin: 10px 0 4px; }
h4 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
nav.toc { display: flex; flex-wrap: wrap; gap: 2px 12px; margin: 16px 0; padding: 10px 14px; background: var(--band); border-radius: 6px; font-size: 13px; }
nav.toc a { color: var(--accent); text-decoration: none; white-space: nowrap; }
.problems { margin: 16px 0; padding: 12px 16px; border: 2px solid #c62828; background: #fdecea; border-radius: 6px; }
.problems strong { color: #b71c1c; }
.problems ul { margin: 6px 0 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
@media (max-width: 720px) { .cards { grid-template-columns: repeat(2, 1fr); } }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fff; }
.card .value { font-size: 24px; font-weight: 700; }
.card .label { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
table.compact { width: auto; min-width: 320px; }
table.wide { font-size: 12px; }
table.wide td { padding: 4px 6px; }
td .nowrap, .nowrap { white-space: nowrap; }
.scroll { overflow-x: auto; }
.timeline-legend { font-size: 11px; color: var(--muted); margin: 2px 0 6px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; vertical-align: middle; }
.badge.confirmed { background: #c62828; color: #fff; }
.badge.asymptomatic { background: #f4a3a3; color: #5d1010; }
.badge.high { background: #c62828; color: #fff; }
.badge.medium { background: #ef8f00; color: #fff; }
.badge.low { background: #2e7d32; color: #fff; }
.badge.active { background: #0b5394; color: #fff; }
.badge.ended { background: #cfd8dc; color: #37474f; }
.badge.flag { background: #fff3cd; color: #7a4f00; border: 1px solid #e0b84c; }
.prob { display: inline-flex; align-items: center; gap: 6px; }
.prob .bar { display: inline-block; width: 60px; height: 8px; background: #eceff1; border-radius: 4px; overflow: hidden; }
.prob .bar span { display: block; height: 100%; background: var(--accent); }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; vertical-align: -1px; margin-right: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; color: var(--muted); margin: 4px 0 10px; }
figure.chain { margin: 14px 0 24px; padding: 12px; border: 1px solid var(--line); border-radius: 8px; break-inside: avoid; }
figure.chain figcaption { font-weight: 600; margin-bottom: 8px; }
figure.chain figcaption .meta { font-weight: 400; color: var(--muted); }
.diagram { overflow-x: auto; text-align: center; }
.chain-body { display: flex; gap: 24px; align-items: flex-start; }
.chain-body .diagram { flex: 1; }
.chain-r h4 { margin-top: 0; }
@media (max-width: 720px) { .chain-body { flex-direction: column; } }
svg { max-width: 100%; height: auto; }
.epi-narrow, .timeline-narrow { display: none; }
svg text { font-family: inherit; }
svg .node-id { font-size: 11px; font-weight: 700; fill: #1f2933; }
svg .node-name { font-size: 10px; fill: #5f6b7a; }
svg .glyph { font-size: 11px; font-weight: 700; }
svg .edge-label { font-size: 10px; fill: #37474f; }
svg .axis { font-size: 11px; fill: #5f6b7a; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 4px 14px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.more { color: var(--muted); font-size: 12px; margin: 2px 0 10px; padding-left: 8px; border-left: 3px solid var(--line); }
ul.chain-tree { margin: 4px 0; padding-left: 18px; text-align: left; font-size: 12px; }
ul.chain-tree ul { padding-left: 18px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
a { color: var(--accent); }
/* A narrow window or a phone: the page no wider than the screen, wide tables scrolled within it. */
@media screen and (max-width: 960px) {
  dl.facts { grid-template-columns: max-content 1fr; }
  table { display: block; overflow-x: auto; }
}
@media screen and (max-width: 560px) {
  main { padding: 0 12px 32px; }
  header.report { padding: 16px 12px; }
  table.compact { min-width: 0; }
}
/*
 * The drawings' text scales with them: the wide ones (760 and 720 units) keep 11 px labels only
 * where the page is 760 px wide (840 less the margins and a scroll bar); below, the narrow ones
 * (296 units, the page's width on a 320 px phone) do. Paper has the wide ones.
 */
@media screen and (max-width: 839px) {
  .epi-wide, .timeline-wide { display: none; }
  .epi-narrow, .timeline-narrow { display: block; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  header.report { background: none; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  nav.toc { display: none; }
  article.case { break-before: page; }
  section.after-cases { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  figure.chain, .card, table { break-inside: auto; }
  .diagram, .scroll { overflow: visible; }
  table.wide { font-size: 9px; }
  table.wide .nowrap { white-space: normal; }
  table.wide .prob .bar { display: none; }
  dl.facts { grid-template-columns: max-content 1fr; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function probability(p: number): string {
  const width = Math.max(0, Math.min(100, Math.round(p * 100)));
  return `<span class="prob"><span class="bar"><span style="width:${width}%"></span></span>${esc(percent(p))}</span>`;
}

/**
 * The fragment id of a case or chain: letters and digits of any script and `-` kept, every other
 * character written `_<hex code point>_`. No two ids share an anchor (`P-1`, `P_1` and `P 1` give
 * `P-1`, `P_5f_1`, `P_20_1`; 病例甲 stays 病例甲), and the anchor holds no space or markup.
 */
export function anchorId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^\p{L}\p{N}-]/gu, (ch) => `_${ch.codePointAt(0)!.toString(16)}_`)}`;
}

/** An infector or candidate: linked to its case's page when it is a case shown in the report. */
function caseLink(
  report: AnalysisReport,
  id: string,
  kind: SourceKind,
  shownCases: ReadonlySet<string>,
): string {
  const text = esc(describe(report, id, kind));
  return kind === 'case' && shownCases.has(id) ? `<a href="#${anchorId('case', id)}">${text}</a>` : text;
}

function table(
  headers: string[],
  rows: string[][],
  numeric: ReadonlySet<number> = new Set(),
  style: 'compact' | 'wide' | null = null,
): string {
  const head = headers.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('');
  const html = `<table${style ? ` class="${style}"` : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  return style === 'wide' ? `<div class="scroll">${html}</div>` : html;
}

function problemsBox(problems: string[]): string {
  if (problems.length === 0) return '';
  return (
    `<div class="problems" role="alert"><strong>${problems.length === 1 ? '1 problem' : `${problems.length} problems`} with this report</strong>` +
    `<ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`
  );
}

function summarySection(report: AnalysisReport): string {
  const s = report.summary;
  const card = (value: string | number, label: string) =>
    `<div class="card"><div class="value">${esc(typeof value === 'number' ? count(value) : value)}</div><div class="label">${esc(label)}</div></div>`;
  const cards = [
    card(s.cases, `cases (${count(s.confirmed)} confirmed, ${count(s.asymptomatic)} asymptomatic)`),
    card(s.chains, `transmission chains (${count(s.activeChains)} active)`),
    card(s.closeContacts, 'close contacts'),
    card(s.contactsOfCloseContacts, 'contacts of close contacts'),
    card(s.venueExposed, 'venue-exposed'),
    card(
      `${count(bedsTaken(s))} / ${count(s.quarantineBeds)}`,
      `quarantine beds taken (${bedsTakenParts(s)})`,
    ),
    card(s.highRiskAreas, 'high-risk areas'),
    card(s.mediumRiskAreas, 'medium-risk areas'),
  ];
  const r = report.rByGeneration.length
    ? `<h4>Mean offspring by generation</h4>${table(
        ['Generation', 'Cases', 'Mean offspring'],
        report.rByGeneration.map((g) => [String(g.generation), String(g.cases), decimal(g.meanOffspring, 2)]),
        new Set([0, 1, 2]),
        'compact',
      )}`
    : '';
  return `<section id="summary"><h2>District summary</h2><div class="cards">${cards.join('')}</div>${r}</section>`;
}

/** What changed since `report --since`; nothing without it. */
function changesSection(report: AnalysisReport, maxItems: number): string {
  const view = changesView(report, maxItems);
  if (!view) return '';
  const counts = table(
    ['Measure', 'Then', 'Now', 'Change'],
    view.counts.map((c) => [esc(c.label), count(c.then), count(c.now), esc(c.change)]),
    new Set([1, 2, 3]),
    'compact',
  );
  const lists = view.lists
    .map(
      (l) =>
        `<h4>${esc(l.heading)}</h4><ul class="changes">${l.lines.map((line) => `<li>${esc(line)}</li>`).join('')}` +
        `${l.hidden ? `<li class="muted">${esc(moreChangesNote(l.hidden))}</li>` : ''}</ul>`,
    )
    .join('');
  return `<section id="changes"><h2>${esc(view.title)}</h2>${counts}${lists || '<p class="empty">Nothing else changed.</p>'}</section>`;
}

function epiCurveSection(report: AnalysisReport): string {
  const body = report.epiCurve.length
    ? `<div class="diagram epi-wide">${renderEpiCurveSvg(report.epiCurve, WIDE_EPI_CURVE)}</div>` +
      `<div class="diagram epi-narrow">${renderEpiCurveSvg(report.epiCurve, NARROW_EPI_CURVE)}</div>`
    : '<p class="empty">No cases by day yet.</p>';
  return `<section id="epi-curve"><h2>Epidemic curve</h2><p class="muted">Cases by day of confirmation; dots: cases by day of symptom onset.</p>${body}</section>`;
}

function chainLegend(): string {
  const settings = SETTING_CATEGORIES.map(
    (c) =>
      `<span><span class="swatch" style="background:${SETTING_COLOURS[c]}"></span>${esc(SETTING_CATEGORY_LABELS[c])}</span>`,
  ).join('');
  const shapes = [
    '<span>● case (filled: confirmed, ring: asymptomatic; number: generation)</span>',
    '<span>⬢ boat</span>',
    '<span>◆ cold-chain lot</span>',
    '<span>▬ place</span>',
    '<span>◌ unknown source</span>',
    '<span>edge label: probability of the link</span>',
  ].join('');
  return `<div class="legend"><strong>Colour = setting of the infecting link:</strong>${settings}</div><div class="legend"><strong>Shapes:</strong>${shapes}</div>`;
}

function chainFigure(
  full: AnalysisReport,
  chain: ChainReport,
  index: number,
  selected: ReadonlySet<string> | null,
): string {
  const root = `${SOURCE_KIND_LABELS[chain.rootKind]} ${describe(full, chain.rootId, chain.rootKind)}`;
  const meta = [
    `root: ${root}`,
    `${chain.size} case${chain.size === 1 ? '' : 's'}`,
    `generations 0–${chain.length}`,
    `${chain.firstDate} to ${chain.lastDate} (${chain.durationDays} d)`,
  ].join(' · ');
  const r = chain.rByGeneration.length
    ? table(
        ['Generation', 'Cases', 'Mean offspring'],
        chain.rByGeneration.map((g) => [String(g.generation), String(g.cases), decimal(g.meanOffspring, 2)]),
        new Set([0, 1, 2]),
        'compact',
      )
    : '';
  return (
    `<figure class="chain" id="${anchorId('chain', chain.id)}"><figcaption>Chain ${esc(chain.id)} ` +
    `<span class="badge ${chain.active ? 'active' : 'ended'}">${chain.active ? 'active' : 'ended'}</span> ` +
    `<span class="meta">${esc(meta)}</span></figcaption>` +
    `<div class="chain-body"><div class="diagram">${chainDrawing(full, chain, index, selected)}</div>` +
    `${r ? `<div class="chain-r"><h4>Mean offspring by generation</h4>${r}</div>` : ''}</div></figure>`
  );
}

/**
 * The chain's diagram; a chain of more cases than a page can draw legibly is written as an
 * indented tree instead, saying so.
 */
function chainDrawing(
  full: AnalysisReport,
  chain: ChainReport,
  index: number,
  selected: ReadonlySet<string> | null,
): string {
  if (chain.caseIds.length <= MAX_DRAWN_CHAIN_CASES) return renderChainSvg(full, chain, index, selected);
  const generationOf = new Map(full.cases.map((c) => [c.personId, c.generation]));
  const item = (node: ChainTreeNode): string => {
    const what =
      node.kind === 'case'
        ? `<strong>${esc(describe(full, node.id))}</strong>${generationOf.has(node.id) ? ` <span class="muted">generation ${generationOf.get(node.id)}</span>` : ''}`
        : node.kind === 'unknown'
          ? 'unknown source (outside the recorded network)'
          : `${esc(describe(full, node.id, node.kind))} <span class="muted">(${esc(SOURCE_KIND_LABELS[node.kind])})</span>`;
    const via = node.link
      ? ` <span class="swatch" style="background:${colourOfSetting(node.link.setting)}"></span>${esc(settingLabel(node.link.setting))} ${esc(percent(node.link.probability))}`
      : '';
    const ring = selected?.has(node.id) ? ' <span class="badge flag">selected</span>' : '';
    const children = node.children.length ? `<ul>${node.children.map(item).join('')}</ul>` : '';
    return `<li>${what}${via}${ring}${children}</li>`;
  };
  return (
    `<p class="more chain-too-large">${count(chain.caseIds.length)} cases: more than the ${MAX_DRAWN_CHAIN_CASES} a drawn diagram keeps legible, so the chain is written as a tree (each case under its most likely infector). The chain view of the API server (/chains) draws it interactively.</p>` +
    `<ul class="chain-tree">${chainTree(chain).map(item).join('')}</ul>`
  );
}

function chainsSection(
  full: AnalysisReport,
  shown: AnalysisReport,
  selected: ReadonlySet<string> | null,
): string {
  const figures = shown.chains.map((chain, i) => chainFigure(full, chain, i, selected)).join('');
  const note = selected
    ? '<p class="muted">Chains of the selected cases; selected cases are ringed in amber.</p>'
    : '';
  return `<section id="chains"><h2>Transmission chains</h2>${note}${chainLegend()}${figures || '<p class="empty">No chains.</p>'}</section>`;
}

/**
 * The site of a contact's bed as `site` draws it (and whether they are due for release), or where
 * else they stand, muted.
 */
function quarantineCell(c: ContactReport, site: (siteId: string) => string): string {
  const { siteId, words } = quarantineWhere(c);
  if (!siteId) return `<span class="muted">${esc(words)}</span>`;
  return words ? `${site(siteId)} <span class="muted">${esc(words)}</span>` : site(siteId);
}

function contactRows(report: AnalysisReport, contacts: ContactReport[]): string[][] {
  return contacts.map((c) => [
    String(c.priority),
    esc(describe(report, c.personId)),
    probability(c.probability),
    decimal(c.score),
    quarantineCell(c, (siteId) => esc(describe(report, siteId))),
    esc(c.releaseOn ?? '—'),
    esc(c.reasons),
  ]);
}

function caseArticle(
  full: AnalysisReport,
  c: CaseReport,
  shownCases: ReadonlySet<string>,
  cappedOf: ReturnType<typeof cappedContactsByCase>,
  maxContacts: number,
): string {
  const person = full.entities[c.personId];
  const { infector: likeliest, cut } = mostLikelyInfector(c);
  const infector = likeliest
    ? `${caseLink(full, likeliest.id, likeliest.kind, shownCases)} (${esc(SOURCE_KIND_LABELS[likeliest.kind])}, ${esc(percent(likeliest.probability))})` +
      (cut ? `; <span class="muted">${esc(cutLinkNote(full, c))}</span>` : '')
    : '—';
  const who = [person?.age != null ? `${person.age} y` : null, person?.sex ?? null, person?.detail ?? null]
    .filter(Boolean)
    .join(', ');
  const facts: [string, string][] = [
    ['Person', esc(who || '—')],
    ['Home', person?.homeId ? esc(describe(full, person.homeId)) : '—'],
    ['Onset', esc(formatWhen(c.onset))],
    ['Confirmed', esc(formatWhen(c.confirmedAt))],
    [
      'Infectious window',
      `${esc(formatWhen(c.infectiousWindow.from))} – ${esc(formatWhen(c.infectiousWindow.to))} <span class="muted">(${esc(c.infectiousWindow.basis)})</span>`,
    ],
    ['Chain', `<a href="#${anchorId('chain', c.chainId)}">${esc(c.chainId)}</a>, generation ${c.generation}`],
    ['Most likely infector', infector],
    ['Offspring', String(c.offspring)],
  ];
  if (person?.phone) facts.splice(1, 0, ['Phone', esc(person.phone)]);
  const flags = c.flags.length
    ? ` ${c.flags.map((f) => `<span class="badge flag">${esc(f)}</span>`).join(' ')}`
    : '';

  const events = capList(
    [...c.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    MAX_TIMELINE_ROWS,
  );
  const moreEvents = events.hidden
    ? `<p class="more">The first ${count(events.shown.length)} of ${count(events.total)} events are listed (the strip above draws them all); the JSON report has every one.</p>`
    : '';
  const timeline = events.total
    ? `<div class="timeline-wide">${renderTimelineSvg(c, WIDE_TIMELINE)}</div>` +
      `<div class="timeline-narrow">${renderTimelineSvg(c, NARROW_TIMELINE)}</div><div class="timeline-legend">shaded: infectious window · bars: stays · ▲ onset · ○ sample · ■ confirmed</div>${table(
        ['When', 'Event', 'Until', 'Where'],
        events.shown.map((e) => [
          `<span class="nowrap">${esc(formatWhen(e.at))}</span>`,
          esc(e.label),
          e.end ? `<span class="nowrap">${esc(formatWhen(e.end))}</span>` : '',
          e.hostId ? esc(describe(full, e.hostId)) : '',
        ]),
      )}${moreEvents}`
    : '<p class="empty">No events recorded.</p>';

  const candidates = c.candidates.length
    ? table(
        ['Candidate', 'Kind', 'Setting', 'Where', 'Gap (d)', 'Probability', 'Evidence'],
        [...c.candidates]
          .sort((a, b) => b.probability - a.probability)
          .map((k) => [
            caseLink(full, k.id, k.kind, shownCases),
            esc(SOURCE_KIND_LABELS[k.kind]),
            k.setting
              ? `<span class="swatch" style="background:${colourOfSetting(k.setting)}"></span>${esc(settingLabel(k.setting))}`
              : '—',
            k.hostId ? esc(describe(full, k.hostId)) : '—',
            k.gapDays === null ? '—' : decimal(k.gapDays, 1),
            probability(k.probability),
            esc(k.evidence),
          ]),
        new Set([4]),
      )
    : '<p class="empty">No infector candidates.</p>';
  const unlisted = unlistedCandidatesNote(c);

  const capped = cappedOf(c.personId);
  const contacts = TIERS.map((tier) => {
    const list = capped.byTier[tier];
    if (list.total === 0) return '';
    const heading = `${esc(TIER_LABELS[tier])} (${list.hidden ? `${count(list.shown.length)} of ${count(list.total)}` : count(list.total)})`;
    if (list.shown.length === 0)
      return `<h5>${heading}</h5><p class="more">${esc(noneOfTierShown(maxContacts))}</p>`;
    return `<h5>${heading}</h5>${table(
      ['Priority', 'Person', 'Probability', 'Score', 'Quarantine site', 'Release on', 'Reasons'],
      contactRows(full, list.shown),
      new Set([0, 3]),
    )}`;
  }).join('');
  const moreContacts = capped.hidden
    ? `<p class="more contacts-capped">${esc(moreContactsNote(capped.hidden, capped.total, CASE_CONTACTS_ORDER))}</p>`
    : '';

  return (
    `<article class="case" id="${anchorId('case', c.personId)}">` +
    `<h3>${esc(describe(full, c.personId))} <span class="badge ${c.classification}">${c.classification}</span>${flags}</h3>` +
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>` +
    `<h4>Timeline</h4>${timeline}` +
    `<h4>Infector candidates</h4>${candidates}${unlisted ? `<p class="more">${esc(unlisted)}</p>` : ''}` +
    `<h4>Contacts</h4>${contacts ? `${contacts}${moreContacts}` : '<p class="empty">No contacts traced from this case.</p>'}` +
    '</article>'
  );
}

/** With `--cases`, the part of the district's list a section holds, as a muted line; '' for all. */
function selectionLine(kept: number, all: number, what: string, which: string): string {
  const note = selectionNote(kept, all, what, which);
  return note ? `<p class="muted">${esc(note)}</p>` : '';
}

/** What a table of the district left out, or '' when it shows every row. */
function moreRows<T>(
  list: { shown: T[]; total: number; hidden: number },
  what: string,
  order: string,
): string {
  return list.hidden
    ? `<p class="more">The first ${count(list.shown.length)} of ${count(list.total)} ${what} are listed, ${order}; the JSON report has every one.</p>`
    : '';
}

function sourcesSection(full: AnalysisReport, shown: AnalysisReport): string {
  const sources = capList(
    [...shown.sources].sort((a, b) => b.score - a.score),
    MAX_TABLE_ROWS,
  );
  const drawn = new Set(shown.chains.map((chain) => chain.id));
  const rows = sources.shown.map((s) => [
    esc(describe(full, s.id, s.kind)),
    esc(SOURCE_KIND_LABELS[s.kind]),
    decimal(s.score),
    // Linked only where the chain is drawn on the page (`--cases` leaves others out).
    s.chainIds
      .map((id) => (drawn.has(id) ? `<a href="#${anchorId('chain', id)}">${esc(id)}</a>` : esc(id)))
      .join(', '),
    esc(s.reasons.join('; ')),
  ]);
  const body = rows.length
    ? `${table(['Source', 'Kind', 'Score', 'Chains', 'Reasons'], rows, new Set([2]))}${moreRows(sources, 'likely sources', 'best first')}`
    : '<p class="empty">No likely sources.</p>';
  const scope = selectionLine(shown.sources.length, full.sources.length, 'likely sources', SELECTED_SOURCES);
  return `<section id="sources" class="after-cases"><h2>Likely sources</h2>${scope}${body}</section>`;
}

const LEVEL_ORDER: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

function riskAreasSection(full: AnalysisReport, shown: AnalysisReport): string {
  const areas = capList(
    [...shown.riskAreas].sort(
      (a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.placeId.localeCompare(b.placeId),
    ),
    MAX_TABLE_ROWS,
  );
  const rows = areas.shown.map((a) => [
    esc(describe(full, a.placeId)),
    `<span class="badge ${a.level}">${a.level}</span>`,
    esc(a.lastInfection),
    esc(liftWords(a)),
    esc(a.reason),
  ]);
  const body = rows.length
    ? `${table(['Place', 'Level', 'Last infection', 'Can be lowered on', 'Reason'], rows)}${moreRows(areas, 'risk areas', RISK_AREA_ORDER)}`
    : '<p class="empty">No risk areas.</p>';
  const scope = selectionLine(
    shown.riskAreas.length,
    full.riskAreas.length,
    'risk areas',
    SELECTED_RISK_AREAS,
  );
  return `<section id="risk-areas"><h2>Risk areas</h2>${scope}${body}</section>`;
}

function quarantineSection(full: AnalysisReport, shown: AnalysisReport, maxContacts: number): string {
  const nowrap = (text: string) => `<span class="nowrap">${esc(text)}</span>`;
  const contacts = capList([...shown.contacts].sort(byPriority), maxContacts);
  const rows = contacts.shown.map((c) => [
    String(c.priority),
    nowrap(describe(full, c.personId)),
    nowrap(full.entities[c.personId]?.phone ?? '—'),
    esc(TIER_SHORT[c.tier]),
    probability(c.probability),
    decimal(c.score),
    quarantineCell(c, (siteId) => `<span title="${esc(describe(full, siteId))}">${esc(siteId)}</span>`),
    nowrap(formatWhen(c.lastExposure)),
    nowrap(c.releaseOn ?? '—'),
    nowrap(c.homeMonitoringUntil ?? '—'),
    // Month-day is enough within one quarantine; the full dates are in the CSV list.
    esc(c.pcrDates.map((d) => d.slice(5)).join(' ')),
    esc(c.reasons),
  ]);
  const list = rows.length
    ? table(
        [
          '#',
          'Person',
          'Phone',
          'Tier',
          'Probability',
          'Score',
          'Site',
          'Last exposure',
          'Release on',
          'Home until',
          'PCR days',
          'Reasons',
        ],
        rows,
        new Set([0, 5]),
        'wide',
      ) +
      (contacts.hidden
        ? `<p class="more contacts-capped">${esc(moreContactsNote(contacts.hidden, contacts.total))}</p>`
        : '')
    : '<p class="empty">Nobody to quarantine.</p>';
  const sites = shown.quarantineSites.length
    ? `<h4>Quarantine sites</h4>${table(
        ['Site', 'Beds', 'Occupied', 'Due for release', 'Assigned', 'Free'],
        shown.quarantineSites.map((s) => [
          esc(describe(full, s.id)),
          String(s.capacity),
          String(s.occupied),
          String(s.dueForRelease),
          String(s.assigned),
          String(Math.max(0, s.capacity - s.occupied - s.assigned)),
        ]),
        new Set([1, 2, 3, 4, 5]),
        'compact',
      )}`
    : '';
  const scope = selectionLine(shown.contacts.length, full.contacts.length, 'contacts', SELECTED_CONTACTS);
  return `<section id="quarantine"><h2>Quarantine list</h2><p class="muted">In priority order (1 = first to quarantine).</p>${scope}${list}${sites}</section>`;
}

/** The contact cap asked for: the default when absent; 0, Infinity or a negative number: no cap. */
export function contactCap(maxContacts: number | undefined): number {
  if (maxContacts === undefined) return DEFAULT_MAX_CONTACTS;
  if (!Number.isFinite(maxContacts) || maxContacts <= 0) return 0;
  return Math.floor(maxContacts);
}

/** Renders the report as one self-contained HTML document. */
export function renderHtml(report: AnalysisReport, options: RenderOptions = {}): string {
  const { full, shown, selected, problems } = prepareReport(report, options);
  const title = options.title ?? 'Trace report';
  const shownCases = new Set(shown.cases.map((c) => c.personId));
  const subtitle = reportSubtitle(report, shown.cases.length, selected !== null, Boolean(options.mask));

  const maxContacts = contactCap(options.maxContacts);
  const cappedOf = cappedContactsByCase(shown, maxContacts);
  const articles: string[] = [];
  shown.cases.forEach((c, i) => {
    articles.push(caseArticle(full, c, shownCases, cappedOf, maxContacts));
    options.onProgress?.(i + 1, shown.cases.length, c.personId);
  });

  const toc = [
    '<a href="#summary">Summary</a>',
    ...(shown.changes ? [`<a href="#changes">${esc(`Since ${formatWhen(shown.changes.since)}`)}</a>`] : []),
    '<a href="#epi-curve">Epidemic curve</a>',
    '<a href="#chains">Chains</a>',
    '<a href="#cases">Cases</a>',
    '<a href="#sources">Sources</a>',
    '<a href="#risk-areas">Risk areas</a>',
    '<a href="#quarantine">Quarantine list</a>',
    ...shown.cases.map((c) => `<a href="#${anchorId('case', c.personId)}">${esc(c.personId)}</a>`),
  ].join('');

  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">' +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>` +
    `<header class="report"><h1>${esc(title)}</h1><p>${esc(subtitle)}</p></header><main>` +
    problemsBox(problems) +
    `<nav class="toc">${toc}</nav>` +
    summarySection(shown) +
    changesSection(shown, maxContacts) +
    epiCurveSection(shown) +
    chainsSection(full, shown, selected) +
    `<section id="cases"><h2>Cases</h2>${articles.join('') || '<p class="empty">No cases to report.</p>'}</section>` +
    sourcesSection(full, shown) +
    riskAreasSection(full, shown) +
    quarantineSection(full, shown, maxContacts) +
    `<footer>tracegraph trace report · as of ${esc(formatWhen(report.asOf))} · ${esc(report.parameters.protocol)} / ${esc(report.parameters.pathogen)}</footer>` +
    '</main></body></html>\n'
  );
}
