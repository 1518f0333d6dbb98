/** Everything a store holds, in a canonical order, to tell whether an import changed anything. */
import { COUNT_KEYS, type Counts, type RecordBatch } from '../../src/domain/types';
import type { TraceStore } from '../../src/store/port';

export interface StoreSnapshot {
  counts: Counts;
  records: Required<Record<keyof RecordBatch, unknown[]>>;
}

export async function snapshot(store: TraceStore): Promise<StoreSnapshot> {
  const records = {} as StoreSnapshot['records'];
  for (const key of COUNT_KEYS) {
    const all: unknown[] = [];
    for await (const page of store.scan(key, 3)) all.push(...page);
    records[key] = sortedRecords(all);
  }
  return { counts: await store.counts(), records };
}

/** Records in a fixed order (by their JSON text), for comparing regardless of scan order. */
export function sortedRecords<T>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
