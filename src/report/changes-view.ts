/**
 * The pages' "Since …" section (`report --since`): the summary's counts then and now, and what
 * changed in words, one list per kind, each capped as the contact lists are. The HTML and the
 * Markdown render this one model, so that they say the same.
 */
import type { AnalysisReport, ReportChanges, RiskLevel } from '../analysis/report-model';
import { bedsTaken, count, describe, formatWhen, placementWords, TIER_SHORT as TIER_WORDS } from './view';

export interface ChangeCount {
  label: string;
  then: number;
  now: number;
  /** `+3`, `−1` (a minus sign), or `0`. */
  change: string;
}

export interface ChangeList {
  heading: string;
  lines: string[];
  /** Lines left out by the cap. */
  hidden: number;
}

export interface ChangesView {
  /** `Since 2022-08-11 23:59`. */
  title: string;
  counts: ChangeCount[];
  /** Only the kinds with something in them. */
  lists: ChangeList[];
}

const signed = (n: number): string => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0');

function riskAreaWords(from: RiskLevel | null, to: RiskLevel | null): string {
  if (from === null) return `declared ${to!} risk`;
  if (to === null) return `no longer listed (was ${from})`;
  return `${from} → ${to}`;
}

/** The section's model, or null when the report has no `changes`. `maxItems` 0: no cap. */
export function changesView(report: AnalysisReport, maxItems: number): ChangesView | null {
  const changes: ReportChanges | undefined = report.changes;
  if (!changes) return null;
  const then = changes.summaryThen;
  const now = report.summary;
  const row = (label: string, a: number, b: number): ChangeCount => ({
    label,
    then: a,
    now: b,
    change: signed(b - a),
  });
  const counts = [
    row('Cases', then.cases, now.cases),
    row('confirmed', then.confirmed, now.confirmed),
    row('asymptomatic', then.asymptomatic, now.asymptomatic),
    row('Transmission chains', then.chains, now.chains),
    row('active', then.activeChains, now.activeChains),
    row('Close contacts', then.closeContacts, now.closeContacts),
    row('Contacts of close contacts', then.contactsOfCloseContacts, now.contactsOfCloseContacts),
    row('Venue-exposed', then.venueExposed, now.venueExposed),
    row('Quarantine beds taken', bedsTaken(then), bedsTaken(now)),
    row('due for release', then.dueForReleaseBeds, now.dueForReleaseBeds),
    row('High-risk areas', then.highRiskAreas, now.highRiskAreas),
    row('Medium-risk areas', then.mediumRiskAreas, now.mediumRiskAreas),
  ];

  const name = (id: string) => describe(report, id);
  const list = (heading: string, lines: string[]): ChangeList => {
    const shown = maxItems > 0 ? lines.slice(0, maxItems) : lines;
    return {
      heading: `${heading} (${count(lines.length)})`,
      lines: shown,
      hidden: lines.length - shown.length,
    };
  };
  const lists = [
    list(
      'New cases',
      changes.newCases.map(
        (c) =>
          `${name(c.personId)}: ${c.classification}; ${c.tierThen ? `${TIER_WORDS[c.tierThen]} before` : 'not a contact before'}`,
      ),
    ),
    list(
      'Cases reclassified',
      changes.reclassifiedCases.map((c) => `${name(c.personId)}: ${c.from} → ${c.to}`),
    ),
    list(
      'Risk areas',
      changes.riskAreaChanges.map((a) => `${name(a.placeId)}: ${riskAreaWords(a.from, a.to)}`),
    ),
    list(
      'New contacts',
      changes.newContacts.map((c) => `${name(c.personId)}: ${TIER_WORDS[c.tier]}, ${placementWords(c)}`),
    ),
    list(
      'Contacts whose tier changed',
      changes.tierChanges.map((c) => `${name(c.personId)}: ${TIER_WORDS[c.from]} → ${TIER_WORDS[c.to]}`),
    ),
    list(
      'Quarantine changes',
      changes.placementChanges.map(
        (c) => `${name(c.personId)}: ${placementWords(c.from)} → ${placementWords(c.to)}`,
      ),
    ),
    list(
      'No longer contacts',
      changes.leftContacts.map(
        (c) =>
          `${name(c.personId)}: ${TIER_WORDS[c.tierThen]} before; ${c.becameCase ? 'now a case' : 'no exposure in a case’s infectious window now'}`,
      ),
    ),
  ].filter((l) => l.lines.length > 0);
  return { title: `Since ${formatWhen(changes.since)}`, counts, lists };
}

/** The sentence a capped change list ends with. */
export function moreChangesNote(hidden: number): string {
  return `… and ${count(hidden)} more; the JSON report (tracegraph report --format json --since …) lists them all.`;
}
