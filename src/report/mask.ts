/**
 * Masking of a whole analysis report for readers who may not see personal data (the `cdc` role,
 * lists handed on): person names and phones in the entity labels are masked with
 * src/domain/masking.ts, and a person's full name is also masked where free text repeats it.
 */
import type { AnalysisReport, EntityLabel } from '../analysis/report-model';
import { maskName, maskPhone } from '../domain/masking';

/**
 * A copy of `object` with one field set, in its place: accessors are copied as accessors (a
 * spread would read them), so evidence built when read (src/analysis/report.ts
 * `evidenceOnRead`) stays so.
 */
function withField<T extends object, K extends keyof T>(object: T, key: K, value: T[K]): T {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(object)) as T;
  copy[key] = value;
  return copy;
}

/** A masked copy; the report given is not changed. */
export function maskReport(report: AnalysisReport): AnalysisReport {
  const entities: Record<string, EntityLabel> = {};
  const replacements: [string, string][] = [];
  for (const [id, label] of Object.entries(report.entities)) {
    if (label.kind !== 'person') {
      entities[id] = label;
      continue;
    }
    const name = maskName(label.name);
    // One-character names would mask unrelated characters in free text; they are masked in labels only.
    if (label.name && name && [...label.name.trim()].length > 1) replacements.push([label.name.trim(), name]);
    entities[id] = {
      ...label,
      name,
      ...(label.phone !== undefined ? { phone: maskPhone(label.phone) } : {}),
    };
  }
  replacements.sort((a, b) => b[0].length - a[0].length);
  const text = (s: string) => replacements.reduce((acc, [from, to]) => acc.split(from).join(to), s);

  return {
    ...report,
    cases: report.cases.map((c) => ({
      ...c,
      flags: c.flags.map(text),
      candidates: c.candidates.map((candidate) => ({ ...candidate, evidence: text(candidate.evidence) })),
      timeline: c.timeline.map((event) => ({ ...event, label: text(event.label) })),
    })),
    chains: report.chains.map((chain) => ({
      ...chain,
      links: chain.links.map((link) => ({ ...link, flags: link.flags.map(text) })),
    })),
    contacts: report.contacts.map((contact) => withField(contact, 'reasons', text(contact.reasons))),
    sources: report.sources.map((s) => ({ ...s, reasons: s.reasons.map(text) })),
    riskAreas: report.riskAreas.map((area) => ({ ...area, reason: text(area.reason) })),
    entities,
  };
}
