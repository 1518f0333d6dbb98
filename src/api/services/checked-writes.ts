/**
 * Writes whose checks read what other writes change: a stay takes a bed that a place's capacity
 * sets, a person's home must be a place of kind home that a write of places may change, and a place
 * may not stop being a home while a write of persons moves someone in. Such writes to one store
 * are checked and written one at a time in this process, so two requests cannot each pass their
 * check against the store as it was before the other.
 */
import type { TraceStore } from '../../store/port';

const queues = new WeakMap<TraceStore, Promise<unknown>>();

/** Runs `task` after every earlier checked write to the same store has settled. */
export function oneCheckedWriteAtATime<T>(store: TraceStore, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(store) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}
