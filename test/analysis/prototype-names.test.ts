/**
 * Ids and place kinds are whatever the records say, including the names of the properties every
 * JavaScript object inherits ("constructor", "__proto__", "toString", ...). The demo district with
 * some of its ids and kinds renamed to such names must give the same analysis, on both stores, as
 * the demo itself: the same cases, infectors, contacts, sources, risk areas, clusters, spreaders
 * and entity labels, once the names are mapped back.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { analyseOutbreak } from '../../src/analysis/analyse';
import { topSpreaders, type Spreader } from '../../src/analysis/clusters';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { resolveParameters } from '../../src/domain/parameters';
import { importBundle } from '../../src/import/import';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { chainViewData } from '../../src/report/chain-view/data';
import { renderQuarantineCsv } from '../../src/report/csv';
import { renderHtml } from '../../src/report/html';
import { renderMarkdown } from '../../src/report/markdown';
import { maskReport } from '../../src/report/mask';
import { selectCases } from '../../src/report/select';
import { neo4jTestConfig } from '../setup/neo4j';

const DEMO = path.resolve(__dirname, '../../seeds/demo');
const root = mkdtempSync(path.join(tmpdir(), 'tracegraph-prototype-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Demo ids renamed: a case who infected others, the market most cases passed through, the home of
 * a household of cases, a boat, a cold-chain lot and the quarantine site.
 */
const RENAMED_IDS = new Map([
  ['P0000523', 'constructor'],
  ['MK001', '__proto__'],
  ['H000156', 'toString'],
  ['B0023', 'hasOwnProperty'],
  ['L00001', 'valueOf'],
  ['QS001', 'isPrototypeOf'],
]);
/**
 * A place kind that no parameter names, renamed: it stays a generic venue. Kinds are words that
 * begin with a letter, in lower case, so "constructor" is the one inherited name a kind can be.
 */
const RENAMED_KINDS = new Map([['test_site', 'constructor']]);
let renamedBundle: string | undefined;
const ORIGINAL_OF = new Map([...RENAMED_IDS].map(([from, to]) => [to, from]));

/** The demo bundle with every cell naming a renamed id (and each renamed kind) renamed. */
function renamedDemo(): string {
  const dir = path.join(root, 'renamed');
  mkdirSync(dir);
  for (const file of readdirSync(DEMO)) {
    if (!file.endsWith('.csv')) {
      copyFileSync(path.join(DEMO, file), path.join(dir, file));
      continue;
    }
    const rows = parse(readFileSync(path.join(DEMO, file)), { columns: true }) as Record<string, string>[];
    const renamed = rows.map((row) => {
      const out: Record<string, string> = {};
      for (const [column, value] of Object.entries(row)) {
        out[column] =
          file === 'places.csv' && column === 'kind'
            ? (RENAMED_KINDS.get(value) ?? value)
            : (RENAMED_IDS.get(value) ?? value);
      }
      return out;
    });
    writeFileSync(path.join(dir, file), stringify(renamed, { header: true }));
  }
  return dir;
}

/** A renamed id (alone, or after `chain-`, `component-` or `community-`) back to the demo's. */
function original(id: string | null): string | null {
  if (id === null) return null;
  const prefixed = /^(chain-|component-|community-)(.*)$/.exec(id);
  if (prefixed) return prefixed[1]! + (ORIGINAL_OF.get(prefixed[2]!) ?? prefixed[2]);
  return ORIGINAL_OF.get(id) ?? id;
}

/** Compared to 12 significant digits: sums may run in another order when ids sort otherwise. */
const num = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(12)));

function byKey<T>(items: readonly T[], key: (item: T) => string | null): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const item of items) out[key(item)!] = item;
  return out;
}

/**
 * What the report says, keyed by the demo's ids and free of order that follows from how ids sort
 * (ties are broken by id): texts that quote ids are left out.
 */
function meaning({ report, spreaders }: Analysed) {
  const kinds = (kind: string) => [...RENAMED_KINDS].find(([, to]) => to === kind)?.[0] ?? kind;
  return {
    summary: report.summary,
    cases: byKey(
      report.cases.map((c) => ({
        personId: original(c.personId),
        infector: c.infector && {
          id: original(c.infector.id),
          kind: c.infector.kind,
          probability: num(c.infector.probability),
        },
        candidates: c.candidates
          .map((k) => `${original(k.id)} ${k.kind} ${num(k.probability)} ${original(k.hostId)}`)
          .sort(),
        chainId: original(c.chainId),
        generation: c.generation,
        offspring: c.offspring,
      })),
      (c) => c.personId,
    ),
    contacts: byKey(
      report.contacts.map((c) => ({
        personId: original(c.personId),
        tier: c.tier,
        probability: num(c.probability),
        score: num(c.score),
        assignedSiteId: original(c.assignedSiteId),
        evidence: c.evidence
          .map(
            (e) =>
              `${original(e.sourceId)} ${e.sourceKind} ${e.setting.replace(/^place:(.*)$/, (_, k: string) => `place:${kinds(k)}`)} ${original(e.hostId)} ${e.start} ${e.end} ${num(e.minutes)}`,
          )
          .sort(),
      })),
      (c) => c.personId,
    ),
    sources: byKey(
      report.sources.map((s) => ({
        id: original(s.id),
        kind: s.kind,
        score: num(s.score),
        chainIds: s.chainIds.map(original).sort(),
      })),
      (s) => s.id,
    ),
    riskAreas: byKey(
      report.riskAreas.map((a) => ({ placeId: original(a.placeId), level: a.level, liftOn: a.liftOn })),
      (a) => a.placeId,
    ),
    clusters: report.clusters
      .map((c) => `${c.kind} ${c.size} ${c.caseCount} ${c.memberIds.map(original).sort().join(',')}`)
      .sort(),
    // Every case's measures, not the report's top lists: a tie at a list's end is broken by id,
    // so the renamed report may list another of the tied cases.
    spreaderMeasures: byKey(spreaders.map(spreaderMeasures), (s) => s.personId),
    quarantineSites: report.quarantineSites.map((s) => ({ ...s, id: original(s.id) })),
    entities: Object.fromEntries(
      Object.entries(report.entities)
        .map(([id, label]) => [
          original(id)!,
          {
            ...label,
            detail: label.kind === 'place' ? kinds(label.detail ?? '') : label.detail,
            ...(label.homeId !== undefined ? { homeId: original(label.homeId) } : {}),
          },
        ])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    ),
  };
}

type SpreaderLike = Pick<Spreader, 'personId' | 'offspring' | 'betweenness' | 'pagerank'>;

const spreaderMeasures = (s: SpreaderLike) => ({
  personId: original(s.personId),
  offspring: s.offspring,
  betweenness: num(s.betweenness),
  pagerank: num(s.pagerank),
});

/** The report, and every case's spreader measures (the report lists only the top ones). */
interface Analysed {
  report: AnalysisReport;
  spreaders: Spreader[];
}

async function analysedOf(store: TraceStore, bundle: string): Promise<Analysed> {
  await store.migrate();
  await store.clear();
  await importBundle(store, bundle);
  const analysis = await analyseOutbreak(store, resolveParameters(), { asOf: await latestCaseAsOf(store) });
  const everyCase = analysis.chains.cases.length;
  return {
    report: toReport(analysis),
    spreaders: topSpreaders(analysis.chains, analysis.inferences, { limit: everyCase }).byOffspring,
  };
}

const stores: [string, () => Promise<TraceStore>][] = [
  ['embedded', () => openEmbeddedStore(mkdtempSync(path.join(root, 'store-')))],
  ['neo4j', () => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' })],
];

describe.each(stores)('ids and kinds named like inherited properties, on the %s store', (_kind, open) => {
  let demoAnalysed: Analysed;
  let renamedAnalysed: Analysed;
  let demo: AnalysisReport;
  let renamed: AnalysisReport;

  beforeAll(async () => {
    renamedBundle ??= renamedDemo();
    const store = await open();
    try {
      demoAnalysed = await analysedOf(store, DEMO);
      renamedAnalysed = await analysedOf(store, renamedBundle);
      ({ report: demo } = demoAnalysed);
      ({ report: renamed } = renamedAnalysed);
    } finally {
      await store.close();
    }
  }, 600_000);

  test('the renamed ids and kinds are in the renamed report', () => {
    const named = JSON.stringify(renamed);
    const original = JSON.stringify(demo);
    // Each renamed id and kind is where the demo's was; the case, market and home at least are.
    for (const [from, to] of [...RENAMED_IDS, ...RENAMED_KINDS])
      expect([to, named.includes(`"${to}"`)]).toEqual([to, original.includes(`"${from}"`)]);
    for (const to of ['constructor', '__proto__', 'toString']) expect(named).toContain(`"${to}"`);
    // Each renamed id that the demo's report labels is labelled under its new name, as an own entry.
    for (const [from, to] of RENAMED_IDS) {
      expect([to, Object.hasOwn(renamed.entities, to)]).toEqual([to, Object.hasOwn(demo.entities, from)]);
    }
    expect(Object.getPrototypeOf(renamed.entities)).toBe(Object.getPrototypeOf(demo.entities));
  });

  test('narrowed to the renamed case, and masked, the report keeps the renamed labels', () => {
    const labelled = (report: AnalysisReport) => Object.keys(report.entities).map(original).sort();
    const narrowed = selectCases(renamed, ['constructor']);
    const demoNarrowed = selectCases(demo, ['P0000523']);
    expect(narrowed.problems).toEqual([]);
    expect(labelled(narrowed.report)).toEqual(labelled(demoNarrowed.report));
    expect(Object.hasOwn(narrowed.report.entities, 'constructor')).toBe(true);
    const masked = maskReport(renamed);
    expect(labelled(masked)).toEqual(labelled(maskReport(demo)));
    expect(masked.entities['constructor']!.name).toBe(maskReport(demo).entities['P0000523']!.name);
  });

  test('the pages, the quarantine list and the chain view draw and name the renamed records', () => {
    // Drawing a chain once failed on such ids (src/report/layout.ts).
    expect(renderHtml(renamed)).toContain('id="case-constructor"');
    expect(renderMarkdown(renamed)).toContain(`constructor ${renamed.entities['constructor']!.name}`);
    // The quarantine site's beds: its id is in the list where the demo's was.
    expect(renderQuarantineCsv(renamed).split('isPrototypeOf').length).toBe(
      renderQuarantineCsv(demo).split('QS001').length,
    );
    const view = chainViewData(renamed);
    const demoView = chainViewData(demo);
    expect(view.nodes.map((n) => original(n.id)).sort()).toEqual(demoView.nodes.map((n) => n.id).sort());
    expect(view.edges.length).toBe(demoView.edges.length);
  });

  test('the analysis is the demo’s, name for name', () => {
    const expected = meaning(demoAnalysed);
    const actual = meaning(renamedAnalysed);
    // Section by section, so that a failure names the section.
    for (const section of Object.keys(expected) as (keyof typeof expected)[])
      expect([section, actual[section]]).toEqual([section, expected[section]]);
    // Each case in the top lists with its own measures.
    for (const listed of renamed.superspreaders)
      expect(spreaderMeasures(listed)).toEqual(actual.spreaderMeasures[original(listed.personId)!]);
  });
});
