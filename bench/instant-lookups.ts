/**
 * Look-ups by instant: a Map keyed by numbers against InstantTable (src/analysis/instant-table.ts),
 * on the scale of the 1M report's evidence (12 million look-ups of 60,000 instants on the minute).
 * Run with `npx tsx bench/instant-lookups.ts [rounds]`; prints the seconds of each, alternating.
 */
import { InstantTable } from '../src/analysis/instant-table';

const LOOKUPS = 12_000_000;
const INSTANTS = 60_000;
const FIRST = Date.UTC(2022, 7, 1);

function main(rounds: number): void {
  const instants = Array.from({ length: INSTANTS }, (_, i) => FIRST + i * 60_000);
  // A fixed walk over the instants, so that both read the same keys in the same order.
  const walk = new Float64Array(LOOKUPS);
  for (let i = 0, k = 1; i < LOOKUPS; i++, k = (k * 48_271) % 2_147_483_647)
    walk[i] = instants[k % INSTANTS]!;
  const map = new Map<number, string>();
  const table = new InstantTable<string>();
  for (const at of instants) {
    map.set(at, String(at));
    table.set(at, String(at));
  }
  const time = (lookUp: (at: number) => string | undefined): [number, number] => {
    const started = performance.now();
    let characters = 0;
    for (let i = 0; i < LOOKUPS; i++) characters += lookUp(walk[i]!)!.length;
    return [(performance.now() - started) / 1000, characters];
  };
  for (let round = 1; round <= rounds; round++) {
    const [mapSeconds, a] = time((at) => map.get(at));
    const [tableSeconds, b] = time((at) => table.get(at));
    if (a !== b) throw new Error('the Map and the table read different values');
    console.log(`round ${round}: Map ${mapSeconds.toFixed(2)} s, InstantTable ${tableSeconds.toFixed(2)} s`);
  }
}

main(Number(process.argv[2] ?? 3));
