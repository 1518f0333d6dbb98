/**
 * Masking of a whole analysis report for readers who may not see personal data (the `cdc` role,
 * lists handed on): person names and phones in the entity labels are masked with
 * src/domain/masking.ts, and a person's full name is also masked where free text repeats it
 * (`nameMasker`).
 */
import type { AnalysisReport, EntityLabel } from '../analysis/report-model';
import { maskName, maskPhone } from '../domain/masking';
import { recordById } from '../domain/own-entries';

/**
 * A copy of `object` with one field set, in its place: accessors are copied as accessors (a
 * spread would read them), so evidence built when read (src/analysis/report.ts
 * `evidenceOnRead`) stays so.
 */
function withField<T extends object, K extends keyof T>(object: T, key: K, value: T[K]): T {
  const copy = {} as T;
  // Field by field, in order: plain fields assigned (defining them all at once made each copy a
  // slow dictionary of its own), the rest defined as they are.
  for (const field of Reflect.ownKeys(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, field)!;
    const plain =
      'value' in descriptor && descriptor.writable && descriptor.enumerable && descriptor.configurable;
    if (field === key) (copy as Record<PropertyKey, unknown>)[field] = value;
    else if (plain) (copy as Record<PropertyKey, unknown>)[field] = descriptor.value;
    else Object.defineProperty(copy, field, descriptor);
  }
  return copy;
}

/**
 * Replaces, in one pass over a text, each name of `masked` by its masked form: at each place the
 * longest name that begins there, and what was replaced is not read again. Replacing name after
 * name over the whole text read every text once per person named in the report: at 100,000
 * persons a masked report took hours.
 */
export function nameMasker(masked: ReadonlyMap<string, string>): (text: string) => string {
  if (masked.size === 0) return (text) => text;
  const lengths = [...new Set([...masked.keys()].map((name) => name.length))].sort((a, b) => b - a);
  // Most places in a text begin no name: one look-up of the code unit rules them out.
  const firstUnits = new Set([...masked.keys()].map((name) => name.charCodeAt(0)));
  return (text) => {
    let out = '';
    let copiedTo = 0;
    let at = 0;
    while (at < text.length) {
      let replaced = 0;
      if (firstUnits.has(text.charCodeAt(at))) {
        for (const length of lengths) {
          const replacement =
            at + length <= text.length ? masked.get(text.slice(at, at + length)) : undefined;
          if (replacement === undefined) continue;
          out += text.slice(copiedTo, at) + replacement;
          replaced = length;
          break;
        }
      }
      at += replaced || 1;
      if (replaced) copiedTo = at;
    }
    return copiedTo === 0 ? text : out + text.slice(copiedTo);
  };
}

/** A masked copy; the report given is not changed. */
export function maskReport(report: AnalysisReport): AnalysisReport {
  const entities = recordById<EntityLabel>();
  const replacements = new Map<string, string>();
  for (const [id, label] of Object.entries(report.entities)) {
    if (label.kind !== 'person') {
      entities[id] = label;
      continue;
    }
    const name = maskName(label.name);
    // One-character names would mask unrelated characters in free text; they are masked in labels only.
    if (label.name && name && [...label.name.trim()].length > 1) replacements.set(label.name.trim(), name);
    entities[id] = {
      ...label,
      name,
      ...(label.phone !== undefined ? { phone: maskPhone(label.phone) } : {}),
    };
  }
  const text = nameMasker(replacements);

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
