/**
 * The Markdown trace report: the content of the HTML report as tables and lists, with each
 * transmission chain written as an indented tree from its root (for chat, tickets and diffs).
 */
import type {
  AnalysisReport,
  CaseReport,
  ChainReport,
  ContactReport,
  RiskLevel,
} from '../analysis/report-model';
import { contactCap, type RenderOptions } from './html';
import { changesView, moreChangesNote } from './changes-view';
import { prepareReport } from './select';
import {
  bedsTaken,
  bedsTakenParts,
  byPriority,
  capList,
  chainTree,
  cappedContactsByCase,
  count,
  cutLinkNote,
  decimal,
  describe,
  formatWhen,
  liftWords,
  reportSubtitle,
  percent,
  settingLabel,
  SOURCE_KIND_LABELS,
  TIER_LABELS,
  TIER_SHORT,
  TIERS,
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

/** What a list left out, as an italic line, or '' when it shows everything. */
function moreRows(
  list: { shown: unknown[]; total: number; hidden: number },
  what: string,
  order: string,
): string {
  return list.hidden
    ? `\n\n_The first ${count(list.shown.length)} of ${count(list.total)} ${what} are listed, ${order}; the JSON report has every one._`
    : '';
}

/**
 * Text from the records (ids, names, phones, reasons, evidence, labels built from them) as Markdown
 * that shows it as written, wherever it stands: a line break of any kind (LF, CR, CRLF, U+2028,
 * U+2029) flattened to a space, so no record can end a table row, a list item or a heading and
 * start a block of its own; and a backslash before every character that would start markup: the
 * inline marks (`\\`, `` ` ``, `*`, `~`, `[`, `]`, `|`, `#`, `$`; `_` unless inside a word, where
 * it marks nothing: `cold_storage` stays), `<` and `&` where they
 * would open an HTML tag, a comment or an entity, `>` (a quote), and a list marker at the start
 * (`- `, `+ `, `1. `). CommonMark shows a backslash-escaped punctuation character as itself, so
 * `[x](javascript:…)` stays text and `<script>` is shown, not run.
 */
export function md(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\\`*~\[\]|#$>]|_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])_|<(?=[A-Za-z/!?])|&(?=[A-Za-z#])/gu, '\\$&')
    .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A table; every cell of a row is text (`md`), the headers are the renderer's own. */
function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = headers.map((_, i) => (rightAligned.has(i) ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map((row) => line(row.map(md)))].join('\n');
}

function treeLines(
  full: AnalysisReport,
  node: ChainTreeNode,
  depth: number,
  selected: ReadonlySet<string> | null,
): string[] {
  const indent = '  '.repeat(depth);
  let text: string;
  if (node.kind === 'case') {
    const c = full.cases.find((x) => x.personId === node.id);
    const parts = [
      c ? `generation ${c.generation}` : null,
      c ? c.classification : null,
      node.link ? `via ${settingLabel(node.link.setting)} ${percent(node.link.probability)}` : null,
      node.link?.flags.length ? `⚠ ${node.link.flags.join('; ')}` : null,
      selected?.has(node.id) ? 'selected' : null,
    ].filter(Boolean);
    text = `**${md(describe(full, node.id))}** — ${md(parts.join(', '))}`;
  } else if (node.kind === 'unknown') {
    text = 'unknown source (outside the recorded network)';
  } else {
    const via = node.link
      ? ` — via ${settingLabel(node.link.setting)} ${percent(node.link.probability)}`
      : '';
    text = md(`${describe(full, node.id, node.kind)} (${SOURCE_KIND_LABELS[node.kind]})${via}`);
  }
  return [
    `${indent}- ${text}`,
    ...node.children.flatMap((child) => treeLines(full, child, depth + 1, selected)),
  ];
}

function chainSection(
  full: AnalysisReport,
  chain: ChainReport,
  selected: ReadonlySet<string> | null,
): string {
  const meta = [
    `root: ${SOURCE_KIND_LABELS[chain.rootKind]} ${describe(full, chain.rootId, chain.rootKind)}`,
    `${chain.size} case${chain.size === 1 ? '' : 's'}`,
    `generations 0–${chain.length}`,
    `${chain.firstDate} to ${chain.lastDate} (${chain.durationDays} d)`,
    chain.active ? 'active' : 'ended',
  ].join(' · ');
  const tree = chainTree(chain).flatMap((root) => treeLines(full, root, 0, selected));
  const r = chain.rByGeneration.length
    ? `\n\n${table(
        ['Generation', 'Cases', 'Mean offspring'],
        chain.rByGeneration.map((g) => [String(g.generation), String(g.cases), decimal(g.meanOffspring, 2)]),
        new Set([0, 1, 2]),
      )}`
    : '';
  return `### Chain ${md(chain.id)}\n\n${md(meta)}\n\n${tree.join('\n')}${r}`;
}

/** The site of a contact's bed (and whether they are due for release), or where else they stand. */
function quarantineCell(full: AnalysisReport, c: ContactReport): string {
  const { siteId, words } = quarantineWhere(c);
  if (!siteId) return words;
  return words ? `${describe(full, siteId)}, ${words}` : describe(full, siteId);
}

function contactTable(full: AnalysisReport, contacts: ContactReport[]): string {
  return table(
    ['Priority', 'Person', 'Probability', 'Score', 'Quarantine site', 'Release on', 'Reasons'],
    contacts.map((c) => [
      String(c.priority),
      describe(full, c.personId),
      percent(c.probability),
      decimal(c.score),
      quarantineCell(full, c),
      c.releaseOn ?? '—',
      c.reasons,
    ]),
    new Set([0, 2, 3]),
  );
}

function caseSection(
  full: AnalysisReport,
  c: CaseReport,
  cappedOf: ReturnType<typeof cappedContactsByCase>,
  maxContacts: number,
): string {
  const person = full.entities[c.personId];
  const who = [person?.age != null ? `${person.age} y` : null, person?.sex ?? null, person?.detail ?? null]
    .filter(Boolean)
    .join(', ');
  const { infector, cut } = mostLikelyInfector(c);
  const infectorText = infector
    ? `${describe(full, infector.id, infector.kind)} (${SOURCE_KIND_LABELS[infector.kind]}, ${percent(infector.probability)})` +
      (cut ? `; ${cutLinkNote(full, c)}` : '')
    : '—';
  const facts = [
    ['Classification', c.classification],
    ['Person', who || '—'],
    ...(person?.phone ? [['Phone', person.phone]] : []),
    ['Home', person?.homeId ? describe(full, person.homeId) : '—'],
    ['Onset', formatWhen(c.onset)],
    ['Confirmed', formatWhen(c.confirmedAt)],
    [
      'Infectious window',
      `${formatWhen(c.infectiousWindow.from)} – ${formatWhen(c.infectiousWindow.to)} (${c.infectiousWindow.basis})`,
    ],
    ['Chain', `${c.chainId}, generation ${c.generation}, offspring ${c.offspring}`],
    ['Most likely infector', infectorText],
    ...(c.flags.length ? [['Flags', c.flags.join('; ')]] : []),
  ];
  const events = capList(
    [...c.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    MAX_TIMELINE_ROWS,
  );
  const timeline = events.total
    ? table(
        ['When', 'Event', 'Until', 'Where'],
        events.shown.map((e) => [
          formatWhen(e.at),
          e.label,
          e.end ? formatWhen(e.end) : '',
          e.hostId ? describe(full, e.hostId) : '',
        ]),
      ) + moreRows(events, 'events', 'earliest first')
    : '_No events recorded._';
  const candidates = c.candidates.length
    ? table(
        ['Candidate', 'Kind', 'Setting', 'Where', 'Gap (d)', 'Probability', 'Evidence'],
        [...c.candidates]
          .sort((a, b) => b.probability - a.probability)
          .map((k) => [
            describe(full, k.id, k.kind),
            SOURCE_KIND_LABELS[k.kind],
            k.setting ? settingLabel(k.setting) : '—',
            k.hostId ? describe(full, k.hostId) : '—',
            k.gapDays === null ? '—' : decimal(k.gapDays, 1),
            percent(k.probability),
            k.evidence,
          ]),
        new Set([4, 5]),
      )
    : '_No infector candidates._';
  const unlisted = unlistedCandidatesNote(c);
  const capped = cappedOf(c.personId);
  const tiers = TIERS.filter((tier) => capped.byTier[tier].total > 0)
    .map((tier) => {
      const list = capped.byTier[tier];
      const heading = `**${TIER_LABELS[tier]} (${list.hidden ? `${count(list.shown.length)} of ${count(list.total)}` : count(list.total)})**`;
      return list.shown.length
        ? `${heading}\n\n${contactTable(full, list.shown)}`
        : `${heading}\n\n_${noneOfTierShown(maxContacts)}_`;
    })
    .join('\n\n');
  const contacts =
    tiers && capped.hidden
      ? `${tiers}\n\n_${moreContactsNote(capped.hidden, capped.total, CASE_CONTACTS_ORDER)}_`
      : tiers;
  return [
    `### ${md(describe(full, c.personId))}`,
    facts.map(([k, v]) => `- **${k}:** ${md(v!)}`).join('\n'),
    `#### Timeline\n\n${timeline}`,
    `#### Infector candidates\n\n${candidates}${unlisted ? `\n\n_${md(unlisted)}_` : ''}`,
    `#### Contacts\n\n${contacts || '_No contacts traced from this case._'}`,
  ].join('\n\n');
}

const LEVEL_ORDER: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

/** The widest bar of the epidemic curve, about this many blocks: a day of 343 cases is not a 343-character cell. */
const MAX_BAR_BLOCKS = 40;

/** Cases per block: one while the busiest day fits in `MAX_BAR_BLOCKS`. */
function casesPerBlock(days: readonly { confirmed: number; asymptomatic: number }[]): number {
  const busiest = days.reduce((max, d) => Math.max(max, d.confirmed + d.asymptomatic), 0);
  return Math.max(1, Math.ceil(busiest / MAX_BAR_BLOCKS));
}

/** Blocks for `cases`: at least one for any case, so a day with few is not drawn as none. */
function blocks(cases: number, perBlock: number): number {
  return cases === 0 ? 0 : Math.max(1, Math.round(cases / perBlock));
}

/** Renders the report as Markdown (GitHub-flavoured tables). */
export function renderMarkdown(report: AnalysisReport, options: RenderOptions = {}): string {
  const { full, shown, selected, problems } = prepareReport(report, options);
  const s = shown.summary;
  const out: string[] = [];
  out.push(`# ${md(options.title ?? 'Trace report')}`);
  out.push(md(reportSubtitle(report, shown.cases.length, selected !== null, Boolean(options.mask))));
  if (problems.length) {
    out.push(
      `> **${problems.length === 1 ? '1 problem' : `${problems.length} problems`} with this report**\n>\n${problems.map((p) => `> - ${md(p)}`).join('\n')}`,
    );
  }

  out.push('## District summary');
  out.push(
    table(
      ['Measure', 'Value'],
      [
        [
          'Cases',
          `${count(s.cases)} (${count(s.confirmed)} confirmed, ${count(s.asymptomatic)} asymptomatic)`,
        ],
        ['Transmission chains', `${count(s.chains)} (${count(s.activeChains)} active)`],
        ['Close contacts', count(s.closeContacts)],
        ['Contacts of close contacts', count(s.contactsOfCloseContacts)],
        ['Venue-exposed', count(s.venueExposed)],
        [
          'Quarantine beds taken',
          `${count(bedsTaken(s))} / ${count(s.quarantineBeds)} (${bedsTakenParts(s)})`,
        ],
        ['High-risk areas', count(s.highRiskAreas)],
        ['Medium-risk areas', count(s.mediumRiskAreas)],
      ],
    ),
  );
  if (shown.rByGeneration.length) {
    out.push(
      table(
        ['Generation', 'Cases', 'Mean offspring'],
        shown.rByGeneration.map((g) => [String(g.generation), String(g.cases), decimal(g.meanOffspring, 2)]),
        new Set([0, 1, 2]),
      ),
    );
  }

  const changes = changesView(shown, contactCap(options.maxContacts));
  if (changes) {
    out.push(`## ${md(changes.title)}`);
    out.push(
      table(
        ['Measure', 'Then', 'Now', 'Change'],
        changes.counts.map((c) => [c.label, count(c.then), count(c.now), c.change]),
        new Set([1, 2, 3]),
      ),
    );
    for (const list of changes.lists) {
      const more = list.hidden ? [`- _${md(moreChangesNote(list.hidden))}_`] : [];
      out.push(
        `#### ${md(list.heading)}\n\n${[...list.lines.map((line) => `- ${md(line)}`), ...more].join('\n')}`,
      );
    }
    if (changes.lists.length === 0) out.push('_Nothing else changed._');
  }

  out.push('## Epidemic curve');
  if (shown.epiCurve.length) {
    const perBlock = casesPerBlock(shown.epiCurve);
    out.push(
      table(
        ['Date', 'Confirmed', 'Asymptomatic', 'By onset', ''],
        shown.epiCurve.map((d) => [
          d.date,
          String(d.confirmed),
          String(d.asymptomatic),
          String(d.byOnset),
          '█'.repeat(blocks(d.confirmed, perBlock)) + '░'.repeat(blocks(d.asymptomatic, perBlock)),
        ]),
        new Set([1, 2, 3]),
      ),
    );
    if (perBlock > 1)
      out.push(`_Each █ (confirmed) or ░ (asymptomatic) stands for about ${perBlock} cases._`);
  } else out.push('_No cases by day yet._');

  out.push('## Transmission chains');
  out.push(
    shown.chains.length
      ? shown.chains.map((chain) => chainSection(full, chain, selected)).join('\n\n')
      : '_No chains._',
  );

  out.push('## Cases');
  if (shown.cases.length === 0) out.push('_No cases to report._');
  const maxContacts = contactCap(options.maxContacts);
  const cappedOf = cappedContactsByCase(shown, maxContacts);
  shown.cases.forEach((c, i) => {
    out.push(caseSection(full, c, cappedOf, maxContacts));
    options.onProgress?.(i + 1, shown.cases.length, c.personId);
  });

  /** With `--cases`, the part of the district's list a section holds; nothing for all. */
  const scope = (kept: number, all: number, what: string, which: string): void => {
    const note = selectionNote(kept, all, what, which);
    if (note) out.push(`_${md(note)}_`);
  };
  out.push('## Likely sources');
  scope(shown.sources.length, full.sources.length, 'likely sources', SELECTED_SOURCES);
  const sources = capList(
    [...shown.sources].sort((a, b) => b.score - a.score),
    MAX_TABLE_ROWS,
  );
  out.push(
    sources.total
      ? table(
          ['Source', 'Kind', 'Score', 'Chains', 'Reasons'],
          sources.shown.map((src) => [
            describe(full, src.id, src.kind),
            SOURCE_KIND_LABELS[src.kind],
            decimal(src.score),
            src.chainIds.join(', '),
            src.reasons.join('; '),
          ]),
          new Set([2]),
        ) + moreRows(sources, 'likely sources', 'best first')
      : '_No likely sources._',
  );

  out.push('## Risk areas');
  scope(shown.riskAreas.length, full.riskAreas.length, 'risk areas', SELECTED_RISK_AREAS);
  const areas = capList(
    [...shown.riskAreas].sort(
      (a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.placeId.localeCompare(b.placeId),
    ),
    MAX_TABLE_ROWS,
  );
  out.push(
    areas.total
      ? table(
          ['Place', 'Level', 'Last infection', 'Can be lowered on', 'Reason'],
          areas.shown.map((a) => [
            describe(full, a.placeId),
            a.level,
            a.lastInfection,
            liftWords(a),
            a.reason,
          ]),
        ) + moreRows(areas, 'risk areas', RISK_AREA_ORDER)
      : '_No risk areas._',
  );

  out.push('## Quarantine list');
  scope(shown.contacts.length, full.contacts.length, 'contacts', SELECTED_CONTACTS);
  const quarantine = capList([...shown.contacts].sort(byPriority), maxContacts);
  out.push(
    quarantine.total
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
            'Home monitoring until',
            'PCR dates',
            'Reasons',
          ],
          quarantine.shown.map((c) => [
            String(c.priority),
            describe(full, c.personId),
            full.entities[c.personId]?.phone ?? '—',
            TIER_SHORT[c.tier],
            percent(c.probability),
            decimal(c.score),
            quarantineCell(full, c),
            formatWhen(c.lastExposure),
            c.releaseOn ?? '—',
            c.homeMonitoringUntil ?? '—',
            c.pcrDates.join(', '),
            c.reasons,
          ]),
          new Set([0, 4, 5]),
        ) + (quarantine.hidden ? `\n\n_${moreContactsNote(quarantine.hidden, quarantine.total)}_` : '')
      : '_Nobody to quarantine._',
  );
  if (shown.quarantineSites.length) {
    out.push(
      table(
        ['Quarantine site', 'Beds', 'Occupied', 'Due for release', 'Assigned', 'Free'],
        shown.quarantineSites.map((q) => [
          describe(full, q.id),
          String(q.capacity),
          String(q.occupied),
          String(q.dueForRelease),
          String(q.assigned),
          String(Math.max(0, q.capacity - q.occupied - q.assigned)),
        ]),
        new Set([1, 2, 3, 4, 5]),
      ),
    );
  }
  return `${out.join('\n\n')}\n`;
}
