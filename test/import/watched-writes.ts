/** A store whose import sessions' writes a test watches or changes. */
import type { RecordBatch } from '../../src/domain/types';
import type { ImportSession, TraceStore } from '../../src/store/port';

type Write = (batch: RecordBatch) => Promise<void>;

/**
 * `store`, but each write of the import sessions it begins goes through `write`, given the batch and
 * the session's own write; `onAbort` is told of an abort before the session aborts. The sessions
 * are the store's own unless `begin` makes them.
 */
export function withImportWrites(
  store: TraceStore,
  write: (batch: RecordBatch, sessionWrite: Write) => Promise<void>,
  options: { begin?: TraceStore['beginImport']; onAbort?: () => void } = {},
): TraceStore {
  const begin = options.begin ?? ((...args) => store.beginImport(...args));
  const watch = (session: ImportSession): ImportSession => ({
    keepsWrittenBatchesOnAbort: session.keepsWrittenBatchesOnAbort,
    write: (batch) => write(batch, (b) => session.write(b)),
    commit: () => session.commit(),
    abort: () => {
      options.onAbort?.();
      return session.abort();
    },
  });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'beginImport')
        return async (...args: Parameters<TraceStore['beginImport']>) => watch(await begin(...args));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
