import { rmSync } from 'node:fs';

/** Stops the Neo4j servers the setup started and removes their data folders, even if one would not stop. */
export default async function globalTeardown(): Promise<void> {
  try {
    const stopped = await Promise.allSettled((globalThis.__TRACEGRAPH_NEO4J__ ?? []).map((s) => s.stop()));
    const failed = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const home of globalThis.__TRACEGRAPH_NEO4J_HOMES__ ?? [])
      rmSync(home, { recursive: true, force: true });
  }
}
