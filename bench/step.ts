/**
 * One benchmark step in its own process: `node --import tsx bench/step.ts NAME 'JSON-ARGS'`. Prints
 * `BENCH_RESULT {json}` (the step's figures and this process's peak memory) and exits; a failure
 * exits 1 with the message on stderr. The API server step instead serves until stdin closes.
 * Each step loads only its own modules, so its memory carries nothing of the others.
 */
import { formatResultLine, peakRssBytes } from './protocol';

/* eslint-disable @typescript-eslint/no-explicit-any -- arguments arrive as JSON from the runner */
type Step = (args: any) => Promise<object>;

export const STEPS: Record<string, () => Promise<Step>> = {
  /** Nothing: the memory of node + tsx alone, to read the other figures against. */
  baseline: async () => async () => ({ seconds: 0 }),
  generate: async () => (await import('./steps/generate')).generateStep,
  'csv-parse': async () => (await import('./steps/csv-floor')).csvParseStep,
  'import-embedded': async () => (await import('./steps/import')).importEmbeddedStep,
  'import-neo4j': async () => (await import('./steps/import')).importNeo4jStep,
  'load-csv': async () => (await import('./steps/import')).loadCsvStep,
  counts: async () => (await import('./steps/import')).countsStep,
  'contacts-tracegraph': async () => (await import('./steps/analysis')).contactsTracegraphStep,
  'contacts-cypher': async () => (await import('./steps/analysis')).contactsCypherStep,
  analysis: async () => (await import('./steps/analysis')).analysisStep,
  report: async () => (await import('./steps/report')).reportStep,
  'api-load': async () => (await import('./steps/api-load')).loadApi,
};

/** Runs the step named; resolves true when it is done, false when it keeps serving (the API server). */
async function main(): Promise<boolean> {
  const [name, json] = process.argv.slice(2);
  const args: unknown = json ? JSON.parse(json) : {};
  if (name === 'api-server') {
    await import('reflect-metadata');
    const { serveApi } = await import('./steps/api-server');
    await serveApi(args as Parameters<typeof serveApi>[0]);
    return false;
  }
  const load = name ? STEPS[name] : undefined;
  if (!load) throw new Error(`unknown step "${name}" (known: api-server, ${Object.keys(STEPS).join(', ')})`);
  const step = await load();
  const result = await step(args);
  process.stdout.write(`${formatResultLine({ ...result, peakRssBytes: peakRssBytes() })}\n`);
  return true;
}

if (require.main === module) {
  main().then(
    // Open handles (driver sockets, timers) must not keep a finished step alive.
    (done) => {
      if (done) process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
