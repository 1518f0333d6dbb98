/**
 * A full garbage collection right after a large load, where the process allows one (node started
 * with --expose-gc, as bin/tracegraph.js and the bench start it; elsewhere nothing happens).
 *
 * The load of a million-person district leaves hundreds of megabytes of garbage (the rows
 * fetched, the copies sorted and merged) that V8 collected only once the next phases had grown the
 * heap on top of it: that is where the analysis's memory peaked. Collected as soon as the load
 * ends, the peak resident size of the analysis and its JSON report was 3.30–3.92 GB over a
 * night's runs against 3.56–4.01 GB before, for a collection of 2.2–2.6 s (bench/README.md,
 * Findings of 4 December, late night). Below `COLLECT_AFTER_LOAD_MIN_EXPOSURES` the pause is not
 * worth it: V8's own timing is fine for heaps that small.
 */

/** Loads with fewer exposures than this are left to V8's own collections. */
export const COLLECT_AFTER_LOAD_MIN_EXPOSURES = 1_000_000;

/** The collector node exposes with --expose-gc, if it does. */
export function exposedCollector(): (() => void) | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : null;
}

/**
 * Whether to collect after a load of `exposures` exposures: as chosen (`true`, `false`), or from
 * `COLLECT_AFTER_LOAD_MIN_EXPOSURES` up when 'auto'.
 */
export function collectsAfterLoad(choice: boolean | 'auto' | undefined, exposures: number): boolean {
  return choice === true || ((choice ?? 'auto') === 'auto' && exposures >= COLLECT_AFTER_LOAD_MIN_EXPOSURES);
}
