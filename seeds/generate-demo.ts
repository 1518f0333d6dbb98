/**
 * Regenerates the demo bundle in seeds/demo (1,000 persons, seed 2022) from the generator:
 * run `npx tsx seeds/generate-demo.ts` after any change to seeds/generator.
 */
import path from 'node:path';
import { generateDistrict } from './generator';

export const DEMO = { persons: 1_000, seed: 2022, outDir: path.join(__dirname, 'demo') } as const;

if (require.main === module) {
  generateDistrict(DEMO).then(
    (summary) => process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
