/**
 * Validation of the engine against truth: simulated outbreaks (bench/validation/simulate.ts) scored
 * beside naive baselines, and the Tianjin 2020 cluster's serial interval beside the published one.
 * Prints a Markdown report and writes it to bench/validation/RESULTS.md.
 *
 *   npx tsx bench/validation/run.ts [--seeds 10] [--households 650] [--out bench/validation/RESULTS.md]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveParameters } from '../../src/domain/parameters';
import { evaluate, DEFAULTS as EVALUATION, type Evaluation } from './evaluate';
import { simulate, DEFAULTS as DISTRICT, type SourceScenario } from './simulate';
import { PUBLISHED_SERIAL_INTERVAL, runTianjin } from './tianjin';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const mean = (xs: number[]): number => {
  const finite = xs.filter((x) => Number.isFinite(x));
  return finite.length ? finite.reduce((s, x) => s + x, 0) / finite.length : NaN;
};
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function main(): void {
  const seeds = Number(argument('seeds', '10'));
  const households = Number(argument('households', String(DISTRICT.households)));
  const out = argument('out', path.join(__dirname, 'RESULTS.md'));
  const params = resolveParameters();
  const started = Date.now();

  const results: Evaluation[] = [];
  for (let i = 1; i <= seeds; i++) {
    const source: SourceScenario = i % 2 ? 'item' : 'boat';
    const sim = simulate({ seed: String(i), source, households }, params);
    const evaluation = evaluate(sim, params);
    results.push(evaluation);
    process.stderr.write(
      `seed ${i} (${source}): ${evaluation.cases} cases, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
  const tianjin = runTianjin(params);

  const lines: string[] = [];
  lines.push('# Validation of the tracegraph engine', '');
  lines.push(
    `Simulated district: ${households} households, ${DISTRICT.boats} boats, ${DISTRICT.days} days, parameters ` +
      `${params.protocol.name} / ${params.pathogen.name}; half the outbreaks start from a contaminated cold-chain lot, ` +
      `half from a boat whose crew was infected at sea. Recorded: ${pct(DISTRICT.scanRecordRate)} of stays, onset ` +
      `only for symptomatic cases (${pct(DISTRICT.symptomaticShare)}), PCR from symptom-driven tests, screening every ` +
      `${DISTRICT.screeningEveryDays} days after the first confirmation and daily in quarantine, interview contacts ` +
      `(recall ${pct(DISTRICT.interviewRecall)}).`,
    '',
  );
  lines.push(
    `Quarantine: the first ${EVALUATION.quarantineCapacity} people by priority at ${EVALUATION.earlyDays} days after ` +
      'the first confirmation (src/analysis/quarantine.ts `prioritiseQuarantine`); caught = share of the cases ' +
      'confirmed later who were on the list. Source rank: position of the true lot or boat in the overall ranking of ' +
      'src/analysis/sources.ts (1 = first).',
    '',
  );
  lines.push(
    '| seed | source | infections | cases | top-1 infector (engine) | top-1 infector (most shared hours) | later cases | quarantine caught (engine) | quarantine caught (most shared hours) | true source rank (engine) | true source rank (most visited by cases) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.seed} | ${r.source} | ${r.infections} | ${r.cases} | ${pct(r.infectorAccuracy)} | ${pct(r.baselineInfectorAccuracy)} | ` +
        `${r.laterCases} | ${pct(r.quarantineCatch)} | ${pct(r.baselineQuarantineCatch)} | ${r.sourceRank} | ${r.baselineSourceRank} |`,
    );
  }
  const pooled = (right: (r: Evaluation) => number): number =>
    results.reduce((s, r) => s + right(r) * r.scoredCases, 0) /
    results.reduce((s, r) => s + r.scoredCases, 0);
  lines.push(
    `| **mean** | | ${num(mean(results.map((r) => r.infections)), 1)} | ${num(mean(results.map((r) => r.cases)), 1)} | ` +
      `**${pct(mean(results.map((r) => r.infectorAccuracy)))}** | ${pct(mean(results.map((r) => r.baselineInfectorAccuracy)))} | ` +
      `${num(mean(results.map((r) => r.laterCases)), 1)} | **${pct(mean(results.map((r) => r.quarantineCatch)))}** | ` +
      `${pct(mean(results.map((r) => r.baselineQuarantineCatch)))} | **${num(mean(results.map((r) => r.sourceRank)), 2)}** | ` +
      `${num(mean(results.map((r) => r.baselineSourceRank)), 2)} |`,
    '',
  );
  const later = results.reduce((s, r) => s + r.laterCases, 0);
  const caught = (share: (r: Evaluation) => number): number =>
    results.reduce((s, r) => s + (r.laterCases ? Math.round(share(r) * r.laterCases) : 0), 0);
  lines.push(
    `Pooled over all ${results.reduce((s, r) => s + r.scoredCases, 0)} cases: top-1 infector ` +
      `${pct(pooled((r) => r.infectorAccuracy))} (engine) vs ${pct(pooled((r) => r.baselineInfectorAccuracy))} (baseline). ` +
      `Quarantine lists caught ${caught((r) => r.quarantineCatch)} (engine) and ${caught((r) => r.baselineQuarantineCatch)} ` +
      `(baseline) of ${later} later cases. True source ranked first in ${results.filter((r) => r.sourceRank === 1).length} ` +
      `of ${results.length} outbreaks (baseline: ${results.filter((r) => r.baselineSourceRank === 1).length}).`,
    '',
  );
  lines.push('## Tianjin 2020', '');
  lines.push(
    `${tianjin.cases} cases and ${tianjin.contacts} reported contacts built from \`Infection_source\` ` +
      '(Tindale et al., eLife 2020), inferred with wild-type 2020 parameters (bench/validation/tianjin.ts). ' +
      `${tianjin.linked} cases got another case as most likely infector.`,
    '',
    '| serial interval (days) | pairs | mean |',
    '|---|---|---|',
    `| engine: onset of the case minus onset of its most likely infector | ${tianjin.pairs} | **${num(tianjin.meanSerialInterval)}** |`,
    `| first case named in \`Infection_source\`, no inference | ${tianjin.listedPairs} | ${num(tianjin.listedMeanSerialInterval)} |`,
    `| published (Tindale et al. 2020) | | ${PUBLISHED_SERIAL_INTERVAL.mean} (95% CI ${PUBLISHED_SERIAL_INTERVAL.lower}-${PUBLISHED_SERIAL_INTERVAL.upper}) |`,
    '',
  );
  lines.push(
    `Run: \`npx tsx bench/validation/run.ts --seeds ${seeds}\` (${((Date.now() - started) / 1000).toFixed(0)} s).`,
    '',
  );
  const text = lines.join('\n');
  process.stdout.write(text);
  writeFileSync(out, text);
}

main();
