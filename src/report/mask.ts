/**
 * Masking of a whole analysis report for readers who may not see personal data (the `cdc` role,
 * lists handed on), with src/domain/masking.ts: in the entity labels, persons' names and phones,
 * and the names of homes, whose address names a household (the risk areas a reader needs are
 * villages, compounds and venues, places of other kinds; a home is one only where no village or
 * compound is near, and is then masked all the same).
 *
 * The free texts of the report name persons and homes by id, never by name; the one text made from
 * a label, a stay in a case's timeline (src/analysis/report.ts `stayLabel`), is made again from
 * its host's masked label. No text is searched for names: a person named like a place ("Seafood
 * Market") masked that place's name in every text that named the place.
 */
import { restayLabel, stayLabel } from '../analysis/report';
import type {
  AnalysisReport,
  CaseReport,
  EntityLabel,
  LazyAnalysisReport,
  TimelineEvent,
} from '../analysis/report-model';
import { maskName, maskPhone } from '../domain/masking';
import { recordById } from '../domain/own-entries';
import { HOME_KIND } from '../domain/types';

/** Whether a label is of a home (a place whose kind, its `detail`, is `home`). */
export const isHomeLabel = (label: EntityLabel): boolean =>
  label.kind === 'place' && label.detail === HOME_KIND;

/** The label as a reader who may not see personal data gets it; the very label when it has none. */
export function maskLabel(label: EntityLabel): EntityLabel {
  if (label.kind === 'person') {
    return {
      ...label,
      name: maskName(label.name),
      ...(label.phone !== undefined ? { phone: maskPhone(label.phone) } : {}),
    };
  }
  return isHomeLabel(label) ? { ...label, name: maskName(label.name) } : label;
}

/**
 * The case with each stay at a host whose label masking changed told anew with the masked label;
 * the very case when there is none.
 */
function maskTimeline(
  c: CaseReport,
  labels: AnalysisReport['entities'],
  masked: AnalysisReport['entities'],
): CaseReport {
  let timeline: TimelineEvent[] | null = null;
  for (const [i, event] of c.timeline.entries()) {
    const { hostId } = event;
    if (event.kind !== 'stay' || hostId === undefined || masked[hostId] === labels[hostId]) continue;
    timeline ??= [...c.timeline];
    timeline[i] = {
      ...event,
      // The line's time is kept as the report builder wrote it. A line it did not write (a report
      // made otherwise) is told from the stay's instants, never with the name unmasked: one
      // without an end as a stay of no time.
      label:
        restayLabel(event.label, labels[hostId], masked[hostId], hostId) ??
        stayLabel(masked[hostId], hostId, Date.parse(event.at), Date.parse(event.end ?? event.at)),
    };
  }
  return timeline === null ? c : { ...c, timeline };
}

/**
 * A masked copy; the report given is not changed. It costs a pass over the entity labels and the
 * cases' timelines: the contacts, their evidence and the other texts name no one by name, and are
 * the very objects of the report given (a lazy report's contacts stay lazy).
 */
export function maskReport<R extends LazyAnalysisReport>(report: R): R {
  const entities = recordById<EntityLabel>();
  for (const [id, label] of Object.entries(report.entities)) entities[id] = maskLabel(label);
  return {
    ...report,
    cases: report.cases.map((c) => maskTimeline(c, report.entities, entities)),
    entities,
  };
}
