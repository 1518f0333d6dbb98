import { rmSync } from 'node:fs';

/** Stops the Neo4j the setup started and removes its data folder, even if it would not stop. */
export default async function globalTeardown(): Promise<void> {
  try {
    await globalThis.__TRACEGRAPH_NEO4J__?.stop();
  } finally {
    const home = globalThis.__TRACEGRAPH_NEO4J_HOME__;
    if (home) rmSync(home, { recursive: true, force: true });
  }
}
