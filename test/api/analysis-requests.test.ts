/**
 * Abuses of the API's analysis fields, executed directly on the three-case outbreak
 * (test/api/outbreak-fixture.ts) with one contaminated lot added, BOX1, handled by A and F on
 * 29 Jul: its exposures put BOX1 in A's community of the contact network beside A and F.
 */
import { AuditLog } from '../../src/api/audit-log';
import { createContext, type ApiContext } from '../../src/api/context.type';
import { MAX_OTHER_ANALYSES_PER_REQUEST } from '../../src/api/analysis/scope';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService } from '../../src/api/services/analysis.service';
import type { RecordBatch } from '../../src/domain/types';
import { t } from '../store/fixtures';
import { codes, embeddedStoreWith, run, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

const schema = buildApiSchema();
let temp: TempStore;
let service: AnalysisService;

function withContaminatedLot(): RecordBatch {
  const batch = threeCaseOutbreak();
  batch.items.push({
    id: 'BOX1',
    product: 'frozen fish',
    lot: 'L1',
    origin: null,
    arrivedAt: t('2022-07-28T08:00:00+08:00'),
  });
  for (const personId of ['A', 'F']) {
    batch.handlings.push({ personId, itemId: 'BOX1', at: t('2022-07-29T09:00:00+08:00') });
  }
  batch.samples.push({
    subjectId: 'BOX1',
    sampledAt: t('2022-07-29T12:00:00+08:00'),
    result: 'positive',
    method: 'pcr',
    ct: 30,
  });
  return batch;
}

beforeAll(async () => {
  temp = await embeddedStoreWith(withContaminatedLot(), 'tracegraph-api-requests-');
  service = new AnalysisService(temp.store);
});
afterAll(() => temp.dispose());

const context = (analysis = service): ApiContext =>
  createContext({
    store: temp.store,
    viewer: { keyId: 'key-investigator', role: 'investigator' },
    audit: new AuditLog(),
    analysis,
  });

async function data(source: string, variables?: Record<string, unknown>): Promise<Json> {
  const result = await run(schema, context(), source, variables);
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('Cluster.members pages the persons of a community, not its lots', () => {
  test('first: 1 walks every person one by one; totalCount counts them; size counts BOX1 too', async () => {
    const PAGE = `query ($after: String) { clusters(kind: EXPOSURE_COMMUNITY) {
      id size memberIds
      members(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
    } }`;
    const community = async (after: string | null) =>
      (await data(PAGE, { after })).clusters.find((c: Json) => c.id === 'community-A');
    const first = await community(null);
    expect([first.size, first.memberIds]).toEqual([3, ['A', 'BOX1', 'F']]);
    const walked: string[] = [];
    let page = first.members;
    for (;;) {
      expect(page.totalCount).toBe(2);
      expect(page.edges).toHaveLength(1);
      expect(page.pageInfo.endCursor).toBe(page.edges[0].cursor);
      walked.push(page.edges[0].node.id);
      if (!page.pageInfo.hasNextPage) break;
      page = (await community(page.pageInfo.endCursor)).members;
    }
    expect(walked).toEqual(['A', 'F']);
  });
});

describe('the analysis scope carries through homes, households and residents', () => {
  test("under quarantinePriority(capacity: 1) every path to a person's entry gives the same entry", async () => {
    const ENTRY = 'id quarantine { priority placement }';
    const result = await data(`{ quarantinePriority(capacity: 1) { edges { node {
      priority placement
      person { ${ENTRY} home { residents { ${ENTRY} } } household { ${ENTRY} } }
      household { residents { ${ENTRY} } }
    } } } }`);
    const nodes: Json[] = result.quarantinePriority.edges.map((e: Json) => e.node);
    const listed = new Map<string, Json>(
      nodes.map((n) => [n.person.id, { priority: n.priority, placement: n.placement }]),
    );
    // With one bed one of the two close contacts waits; by default (the sites' 2 beds) none does.
    expect(nodes.map((n) => n.placement)).toContain('WAITING');
    const reached: Json[] = nodes.flatMap((n) => [
      n.person,
      ...(n.person.home?.residents ?? []),
      ...n.person.household,
      ...(n.household?.residents ?? []),
    ]);
    expect(reached.length).toBeGreaterThan(nodes.length);
    for (const person of reached)
      expect([person.id, person.quarantine]).toEqual([person.id, listed.get(person.id) ?? null]);
  });

  test('an asOf on the parent reaches the residents of its home', async () => {
    // As of 5 Aug, C (onset 6 Aug) was not yet a case: D had been exposed to B only.
    const asOf = '2022-08-05T00:00:00+08:00';
    const result = await data(`{
      past: case(personId: "B", asOf: "${asOf}") { person { home { residents { id exposures { totalCount } } } household { id exposures { totalCount } } } }
      then: person(id: "D") { exposures(asOf: "${asOf}") { totalCount } }
      now: person(id: "D") { exposures { totalCount } }
    }`);
    expect([result.then.exposures.totalCount, result.now.exposures.totalCount]).toEqual([1, 2]);
    const d = (list: Json[]) => list.find((p) => p.id === 'D').exposures.totalCount;
    expect(d(result.past.person.home.residents)).toBe(1);
    expect(d(result.past.person.household)).toBe(1);
  });
});

describe('an empty or blank id is refused where it would narrow a list; an unknown one matches nothing', () => {
  test('transmissionChains(filter: { includesPerson }) and sources(chainId)', async () => {
    const counted = new AnalysisService(temp.store);
    const result = await run(
      schema,
      context(counted),
      `{
        empty: transmissionChains(filter: { includesPerson: "" }) { totalCount }
        blank: transmissionChains(filter: { includesPerson: "  " }) { totalCount }
        emptySources: sources(chainId: "") { id }
        blankSources: sources(chainId: "\\t") { id }
      }`,
    );
    expect(result.data).toEqual({ empty: null, blank: null, emptySources: null, blankSources: null });
    expect(result.errors!.map((e) => [e.path, e.extensions.code, e.message, e.extensions.problems])).toEqual([
      [
        ['empty'],
        'BAD_USER_INPUT',
        'filter.includesPerson: is empty: give a person id, or leave it out for every chain',
        [
          {
            path: 'filter.includesPerson',
            reason: 'is empty: give a person id, or leave it out for every chain',
          },
        ],
      ],
      [
        ['blank'],
        'BAD_USER_INPUT',
        'filter.includesPerson: is blank: give a person id, or leave it out for every chain',
        [
          {
            path: 'filter.includesPerson',
            reason: 'is blank: give a person id, or leave it out for every chain',
          },
        ],
      ],
      [
        ['emptySources'],
        'BAD_USER_INPUT',
        'chainId: is empty: give a chain id, or leave it out for the whole outbreak',
        [{ path: 'chainId', reason: 'is empty: give a chain id, or leave it out for the whole outbreak' }],
      ],
      [
        ['blankSources'],
        'BAD_USER_INPUT',
        'chainId: is blank: give a chain id, or leave it out for the whole outbreak',
        [{ path: 'chainId', reason: 'is blank: give a chain id, or leave it out for the whole outbreak' }],
      ],
    ]);
    // Refused before any analysis runs.
    expect(counted.computations).toBe(0);

    const answered = await data(`{
      unknown: transmissionChains(filter: { includesPerson: "nobody" }) { totalCount }
      withA: transmissionChains(filter: { includesPerson: "A" }) { totalCount }
      all: transmissionChains { totalCount }
      unknownSources: sources(chainId: "chain-Z") { id }
      chainSources: sources(chainId: "chain-A") { id }
    }`);
    expect(answered.all.totalCount).toBeGreaterThan(0);
    expect([answered.unknown.totalCount, answered.withA.totalCount]).toEqual([0, 1]);
    expect(answered.unknownSources).toEqual([]);
    expect(answered.chainSources.length).toBeGreaterThan(0);
  });
});

describe('how many analyses one request may ask for', () => {
  // 30 aliases of outbreakSummary, each with its own asOf, used to run 30 analyses.
  test(`the default one and ${MAX_OTHER_ANALYSES_PER_REQUEST} others; more are refused naming the field`, async () => {
    const counted = new AnalysisService(temp.store);
    const defaultAsOf = new Date((await counted.keyOf()).asOf).toISOString();
    const asOf = (i: number) => `2022-08-0${3 + i}T00:00:00+08:00`;
    const result = await run(
      schema,
      context(counted),
      `{
        d: chain(id: "chain-A") { size }
        same: chain(id: "chain-A", asOf: "${defaultAsOf}") { size }
        a0: chain(id: "chain-A", asOf: "${asOf(0)}") { size }
        a0again: chain(id: "chain-A", asOf: "${asOf(0)}") { size }
        a1: chain(id: "chain-A", asOf: "${asOf(1)}") { size }
        a2: chain(id: "chain-A", asOf: "${asOf(2)}") { size }
        p: person(id: "D") { quarantine(capacity: 1) { priority } }
      }`,
    );
    const answered = Object.entries(result.data as Json)
      .filter(([, value]) => value !== null)
      .map(([name]) => name);
    expect(answered).toEqual(['d', 'same', 'a0', 'a0again', 'a1', 'p']);
    expect((result.data as Json).p).toEqual({ quarantine: null });
    expect(codes(result)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(result.errors!.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^a2: asks for another analysis \(asOf 2022-08-04T16:00:00.000Z, the sites' capacity\), but this request already asks for 2 besides the default one/,
      ),
      expect.stringMatching(/^p\.quarantine: asks for another analysis \(asOf .*, capacity 1\)/),
    ]);
    expect(counted.computations).toBe(3);
    // The allowance is the request's: the next one may ask again.
    const next = await run(
      schema,
      context(counted),
      `{ a2: chain(id: "chain-A", asOf: "${asOf(2)}") { size } }`,
    );
    expect(next.errors).toBeUndefined();
  });

  test('a refused root field is null alone: the other root fields are answered', async () => {
    const counted = new AnalysisService(temp.store);
    const asOf = (i: number) => `2022-08-0${3 + i}T00:00:00+08:00`;
    const result = await run(
      schema,
      context(counted),
      `{
        a: outbreakSummary(asOf: "${asOf(0)}") { cases }
        b: riskAreas(asOf: "${asOf(1)}") { level }
        c: outbreakSummary(asOf: "${asOf(2)}") { cases }
        r: riskAreas(asOf: "${asOf(3)}") { level }
        q: quarantinePriority(asOf: "${asOf(3)}") { beds }
        s: sources(asOf: "${asOf(3)}") { id }
        k: clusters(asOf: "${asOf(3)}") { caseCount }
        t: transmissionChains(asOf: "${asOf(3)}") { totalCount }
        d: outbreakSummary { cases }
      }`,
    );
    const data = result.data as Json;
    expect(Object.keys(data).filter((k) => data[k] === null)).toEqual(['c', 'r', 'q', 's', 'k', 't']);
    expect(data.a).toEqual({ cases: expect.any(Number) });
    expect(data.d).toEqual({ cases: expect.any(Number) });
    expect(result.errors!.map((e) => e.path!.join('.'))).toEqual(['c', 'r', 'q', 's', 'k', 't']);
    expect(codes(result)).toEqual(Array(6).fill('BAD_USER_INPUT'));
  });
});
