/**
 * Full garbage collections at three moments of a large analysis, where the process allows them
 * (node started with --expose-gc, as bin/tracegraph.js and the bench start it; elsewhere nothing
 * happens): once the load has its exposures, halfway through it; as the load ends; and as the
 * analysis ends, before a report is written from it.
 *
 * The load of a million-person district leaves hundreds of megabytes of garbage (the rows
 * fetched, the copies sorted and merged) that V8 collected only once the next phases had grown
 * the heap on top of it: that is where the analysis's memory peaked. Collected as soon as the load
 * ends, the peak of the analysis and its JSON report was 3.30–3.94 GB over a night's runs against
 * 3.56–4.01 GB before, and had moved to the report's writing: the tiers' and the quarantine's
 * garbage, not yet collected either, and the report's own then grew the heap by up to 0.85 GB,
 * where from a collected heap the JSON grows it by 0.16 GB. With both collections the bench's peak
 * was 3.23–3.25 GB (bench/README.md, Findings of 4 December, late night). Once the infectious
 * windows were counted by date (9.98M exposures at 1M instead of 6.68M), the load peaked at
 * 4.09–4.18 GB halfway, on top of the first half's garbage; collected there, 3.49 GB (Findings,
 * 5 December, late evening). Each takes 2–6 s.
 * Below `COLLECT_GARBAGE_MIN_EXPOSURES` they are not worth their pause: V8's own timing is fine
 * for heaps that small.
 */

import { onForSize, type AutoChoice } from './auto-choice';

/** Analyses whose load has fewer exposures than this are left to V8's own collections. */
export const COLLECT_GARBAGE_MIN_EXPOSURES = 1_000_000;

/** The collector node exposes with --expose-gc, if it does. */
export function exposedCollector(): (() => void) | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : null;
}

/**
 * Whether to collect in an analysis whose load has `exposures` exposures: as chosen (`true`,
 * `false`), or from `COLLECT_GARBAGE_MIN_EXPOSURES` up when 'auto'.
 */
export function collectsGarbage(choice: AutoChoice | undefined, exposures: number): boolean {
  return onForSize(choice, exposures, COLLECT_GARBAGE_MIN_EXPOSURES);
}
