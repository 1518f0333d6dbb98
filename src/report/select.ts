/**
 * Case selection for batch reports: narrows an analysis report to the requested cases, the
 * chains they belong to and what hangs off them (their contacts, sources, risk areas), and
 * lists the requested ids that are not cases so the report can say so.
 */
import type { AnalysisReport, ContactReport } from '../analysis/report-model';
import { recordById } from '../domain/own-entries';
import { maskReport } from './mask';
import { contactSources, formatWhen } from './view';

export interface Selection {
  report: AnalysisReport;
  /** One sentence per requested id that could not be used. */
  problems: string[];
}

const ENVIRONMENTAL_KINDS = new Set(['item', 'boat', 'place']);

/**
 * Keeps the requested cases (in the order asked) and, whole, the chains they belong to; the
 * district-wide parts (summary, epidemic curve, R by generation, quarantine sites) stay as they
 * are. Without `caseIds` (or with an empty list) the report is returned unchanged.
 *
 * The contacts kept are those exposed to a requested case, or to a lot, boat or place that is
 * the infector of a requested case or a likely source of its chain (`sources`), and the contacts
 * of those contacts, however far (a contact of a close contact names the close contact). With
 * every case requested, every contact is kept, as without `caseIds`: also those exposed only
 * where no case accounts for them (a contaminated place that is no chain's likely source).
 *
 * The risk areas kept are those of a requested case (an area's `caseIds`: its residence, most
 * often the village or community near its home rather than the home, and where it stayed while
 * infectious); the clusters, those with a requested case or a kept contact among their members.
 * With every case requested, that is every risk area and every cluster with a case or a contact.
 */
export function selectCases(report: AnalysisReport, caseIds?: readonly string[]): Selection {
  if (!caseIds || caseIds.length === 0) return { report, problems: [] };

  const byId = new Map(report.cases.map((c) => [c.personId, c]));
  const problems: string[] = [];
  const wanted: string[] = [];
  const seen = new Set<string>();
  for (const raw of caseIds) {
    const id = raw.trim();
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    if (byId.has(id)) wanted.push(id);
    else
      problems.push(`unknown case id "${id}": not a case in this report (as of ${formatWhen(report.asOf)})`);
  }

  const cases = wanted.map((id) => byId.get(id)!);
  const chainIds = new Set(cases.map((c) => c.chainId));
  const chains = report.chains.filter((chain) => chainIds.has(chain.id));
  const chainCaseIds = new Set(chains.flatMap((chain) => chain.caseIds));

  const sources = report.sources.filter((s) => s.chainIds.some((id) => chainIds.has(id)));
  // Every case asked for: the district's contacts, those that no case accounts for too.
  const everyCase = wanted.length > 0 && wanted.length === report.cases.length;
  const reached = everyCase
    ? null
    : contactsReachedFrom(report.contacts, [
        ...wanted,
        ...cases.flatMap((c) =>
          c.infector && ENVIRONMENTAL_KINDS.has(c.infector.kind) ? [c.infector.id] : [],
        ),
        ...sources.flatMap((s) => (ENVIRONMENTAL_KINDS.has(s.kind) ? [s.id] : [])),
      ]);
  const contacts = reached ? reached.contacts : report.contacts;

  const selectedIds = new Set(wanted);
  const riskAreas = report.riskAreas.filter((area) => area.caseIds.some((id) => selectedIds.has(id)));
  // With every case, every contact is kept: the clusters' counts say which have one, where a set of
  // the contacts' ids would take a pass over them all.
  const clusters = report.clusters.filter((k) =>
    reached
      ? k.memberIds.some((id) => selectedIds.has(id) || reached.contactIds.has(id))
      : k.caseCount > 0 || k.contactCount > 0,
  );
  const superspreaders = report.superspreaders.filter((s) => chainCaseIds.has(s.personId));

  const narrowed: AnalysisReport = {
    ...report,
    cases,
    chains,
    contacts,
    sources,
    riskAreas,
    clusters,
    superspreaders,
    entities: {},
  };
  narrowed.entities = pickEntities(report, referencedIds(narrowed));
  return { report: narrowed, problems };
}

/**
 * Contacts exposed to any of the seed ids, then contacts of those contacts (a contact of a close
 * contact names the close contact as its source), until nothing new is reached; with their ids.
 */
function contactsReachedFrom(
  all: ContactReport[],
  seeds: string[],
): { contacts: ContactReport[]; contactIds: Set<string> } {
  const reached = new Set(seeds);
  const kept = new Set<ContactReport>();
  const contactIds = new Set<string>();
  // Each contact's evidence read once: it may be built each time it is read (`evidenceOnRead`,
  // src/analysis/report.ts).
  const sourcesOf = new Map(all.map((contact) => [contact, contactSources(contact)]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const contact of all) {
      if (kept.has(contact)) continue;
      if (sourcesOf.get(contact)!.some((id) => reached.has(id))) {
        kept.add(contact);
        reached.add(contact.personId);
        contactIds.add(contact.personId);
        grew = true;
      }
    }
  }
  return { contacts: all.filter((c) => kept.has(c)), contactIds };
}

/** Every id the report mentions, so entity labels of the rest can be left out. */
export function referencedIds(report: AnalysisReport): Set<string> {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id) ids.add(id);
  };
  for (const c of report.cases) {
    add(c.personId);
    add(c.infector?.id);
    for (const candidate of c.candidates) {
      add(candidate.id);
      add(candidate.hostId);
    }
    for (const event of c.timeline) add(event.hostId);
  }
  for (const chain of report.chains) {
    add(chain.rootId);
    chain.caseIds.forEach(add);
    for (const link of chain.links) {
      add(link.from);
      add(link.to);
    }
  }
  for (const contact of report.contacts) {
    add(contact.personId);
    add(contact.assignedSiteId);
    for (const e of contact.evidence) {
      add(e.sourceId);
      add(e.hostId);
    }
  }
  report.sources.forEach((s) => add(s.id));
  for (const area of report.riskAreas) {
    add(area.placeId);
    area.caseIds.forEach(add);
  }
  report.clusters.forEach((k) => k.memberIds.forEach(add));
  report.superspreaders.forEach((s) => add(s.personId));
  report.quarantineSites.forEach((s) => add(s.id));
  // Homes of the persons named, so a household can still be recognised.
  for (const id of [...ids]) add(report.entities[id]?.homeId);
  return ids;
}

function pickEntities(report: AnalysisReport, ids: Set<string>): AnalysisReport['entities'] {
  const picked: AnalysisReport['entities'] = recordById();
  for (const [id, label] of Object.entries(report.entities)) if (ids.has(id)) picked[id] = label;
  return picked;
}

export interface PrepareOptions {
  caseIds?: readonly string[];
  mask?: boolean;
  /** Problems found before rendering (e.g. by the caller), shown with those of the selection. */
  problems?: readonly string[];
}

export interface Prepared {
  /** The whole report (masked when asked): chains are drawn with every case looked up here. */
  full: AnalysisReport;
  /** The part to render. */
  shown: AnalysisReport;
  /** The cases asked for, or null when the whole report is rendered. */
  selected: ReadonlySet<string> | null;
  problems: string[];
}

/** Masks (when asked) and selects, merging the caller's problems with the selection's. */
export function prepareReport(report: AnalysisReport, options: PrepareOptions): Prepared {
  const full = options.mask ? maskReport(report) : report;
  const selection = selectCases(full, options.caseIds);
  const selected =
    options.caseIds && options.caseIds.length > 0
      ? new Set(selection.report.cases.map((c) => c.personId))
      : null;
  return {
    full,
    shown: selection.report,
    selected,
    problems: [...new Set([...(options.problems ?? []), ...selection.problems])],
  };
}
