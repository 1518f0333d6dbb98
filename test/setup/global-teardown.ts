export default async function globalTeardown(): Promise<void> {
  await globalThis.__TRACEGRAPH_NEO4J__?.stop();
}
