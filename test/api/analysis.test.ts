/**
 * The analysis part of the schema, executed directly on a hand-made three-case outbreak in an
 * embedded store (test/api/outbreak-fixture.ts): A -> B aboard boat BT1, B -> C at home HB; D lives
 * with B and C, F crewed BT1, E was at the market with B. What the scenario settles (who infected
 * whom, the chain, tiers, beds) is asserted as such; the engine's own numbers and orderings (scores,
 * priorities, nights) are asserted to be the engine's, read from src/analysis directly.
 */
import { analyseOutbreak, type Analysis } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { AuditLog } from '../../src/api/audit-log';
import { createContext, type ApiContext, type Role } from '../../src/api/context.type';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService } from '../../src/api/services/analysis.service';
import { resolveParameters } from '../../src/domain/parameters';
import type { TraceStore } from '../../src/store/port';
import { codes, embeddedStoreWith, run, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

const schema = buildApiSchema();
let temp: TempStore;
let store: TraceStore;
let service: AnalysisService;
/** The engine's own analysis of the same store, as of the same default instant. */
let engine: Analysis;
let engineReport: AnalysisReport;
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

beforeAll(async () => {
  temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-api-analysis-');
  store = temp.store;
  service = new AnalysisService(store);
  engine = await analyseOutbreak(store, resolveParameters(), { asOf: await latestCaseAsOf(store) });
  engineReport = toReport(engine);
});
afterAll(() => temp.dispose());

const as = (role: Role | null, audit = new AuditLog()): ApiContext =>
  createContext({ store, viewer: role ? { keyId: `key-${role}`, role } : null, audit, analysis: service });

async function data(
  source: string,
  variables?: Record<string, unknown>,
  role: Role = 'investigator',
): Promise<Json> {
  const result = await run(schema, as(role), source, variables);
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('who infected whom', () => {
  test('B was infected by A aboard BT1, C by B at home; A from outside the records', async () => {
    const result = await data(`{
      a: case(personId: "A") { personId generation offspring infector { id } infectorCandidates { id kind probability source { __typename } } chain { id } flags }
      b: case(personId: "B") { personId generation offspring infector { id kind setting probability gapDays host { ... on Boat { id } } case { personId } source { ... on Person { id } } exposures { setting attackSetting attackRate minutes host { ... on Boat { id } } } } chain { id } }
      c: case(personId: "C") { generation infector { id kind setting host { ... on Place { id kind } } evidence } infectees { personId } }
    }`);
    expect(result.a).toEqual({
      personId: 'A',
      generation: 0,
      offspring: 1,
      infector: null,
      infectorCandidates: [{ id: 'unknown', kind: 'UNKNOWN', probability: 1, source: null }],
      chain: { id: 'chain-A' },
      flags: [],
    });
    const b = result.b;
    expect(b).toMatchObject({
      personId: 'B',
      generation: 1,
      offspring: 1,
      chain: { id: 'chain-A' },
      infector: {
        id: 'A',
        kind: 'CASE',
        setting: 'boat',
        host: { id: 'BT1' },
        case: { personId: 'A' },
        source: { id: 'A' },
        // Aboard from 30 Jul 04:00 to 1 Aug 06:00: 50 hours, at the crew attack rate of 85%.
        exposures: [
          { setting: 'BOAT', attackSetting: 'boat', attackRate: 0.85, minutes: 3000, host: { id: 'BT1' } },
        ],
      },
    });
    expect(b.infector.probability).toBeGreaterThan(0.99);
    expect(b.infector.gapDays).toBeGreaterThan(0);
    expect(result.c).toEqual({
      generation: 2,
      infector: {
        id: 'B',
        kind: 'CASE',
        setting: 'household',
        host: { id: 'HB', kind: 'home' },
        evidence: engineReport.cases.find((c) => c.personId === 'C')!.candidates[0]!.evidence,
      },
      infectees: [],
    });
    // Words for people: the time as the pages write it, in the district's time.
    expect(result.c.infector.evidence).toBe(
      'household exposure of 28 h from 2022-08-01 06:00, 4.8 d before onset/first positive (attack rate 42.7%)',
    );
  });

  test('infectious window and infection time of a case', async () => {
    const { case: c } = await data(
      '{ case(personId: "B") { infectiousWindow { from to basis } infectionTime { mean lower upper basis } } }',
    );
    // The DateTime fields stay ISO; the words give times as the pages write them.
    expect(c.infectiousWindow.basis).toBe(
      'from 2 days before the day of onset 2022-08-03; until isolated at confirmation 2022-08-04 20:00',
    );
    expect(c.infectionTime.basis).toBe(
      'incubation before onset 2022-08-03; before the first positive 2022-08-04 10:00',
    );
    // Two days before onset (3 Aug) until confirmation (4 Aug 20:00).
    expect(c.infectiousWindow.from).toBe('2022-07-31T16:00:00.000Z');
    expect(c.infectiousWindow.to).toBe('2022-08-04T12:00:00.000Z');
    expect(Date.parse(c.infectionTime.lower)).toBeLessThanOrEqual(Date.parse(c.infectionTime.mean));
    expect(Date.parse(c.infectionTime.mean)).toBeLessThanOrEqual(Date.parse(c.infectionTime.upper));
    // Infected on the boat, before the onset.
    expect(Date.parse(c.infectionTime.mean)).toBeLessThan(Date.parse('2022-08-03T00:00:00+08:00'));
  });
});

describe('transmission chains', () => {
  const CHAIN = `
    id size length generations active caseIds durationDays firstAt lastAt
    root { personId }
    rootSource { id kind probability source { __typename } }
    links { from fromKind to setting flags infector { personId } infectee { personId } }
    rByGeneration { generation cases meanOffspring }
    cases(first: 10) { totalCount edges { node { personId generation } } }`;

  test('one chain A -> B -> C with its tree', async () => {
    const { transmissionChains } = await data(
      `{ transmissionChains { totalCount edges { node { ${CHAIN} } } } }`,
    );
    expect(transmissionChains.totalCount).toBe(1);
    expect(transmissionChains.edges[0].node).toEqual({
      id: 'chain-A',
      size: 3,
      length: 2,
      generations: 3,
      active: true,
      caseIds: ['A', 'B', 'C'],
      // From A's onset (1 Aug 00:00) to C's confirmation (7 Aug 20:00).
      durationDays: 6 + 20 / 24,
      firstAt: '2022-07-31T16:00:00.000Z',
      lastAt: '2022-08-07T12:00:00.000Z',
      root: { personId: 'A' },
      rootSource: { id: 'unknown', kind: 'UNKNOWN', probability: 1, source: null },
      links: [
        {
          from: 'A',
          fromKind: 'CASE',
          to: 'B',
          setting: 'boat',
          flags: [],
          infector: { personId: 'A' },
          infectee: { personId: 'B' },
        },
        {
          from: 'B',
          fromKind: 'CASE',
          to: 'C',
          setting: 'household',
          flags: [],
          infector: { personId: 'B' },
          infectee: { personId: 'C' },
        },
      ],
      rByGeneration: [
        { generation: 0, cases: 1, meanOffspring: 1 },
        { generation: 1, cases: 1, meanOffspring: 1 },
        { generation: 2, cases: 1, meanOffspring: 0 },
      ],
      cases: {
        totalCount: 3,
        edges: [
          { node: { personId: 'A', generation: 0 } },
          { node: { personId: 'B', generation: 1 } },
          { node: { personId: 'C', generation: 2 } },
        ],
      },
    });
  });

  test('filters: active, minimum size, a person in them (a case, or someone a case exposed)', async () => {
    const ids = async (filter: string) =>
      (
        await data(`{ transmissionChains(filter: ${filter}) { edges { node { id } } } }`)
      ).transmissionChains.edges.map((e: Json) => e.node.id);
    expect(await ids('{ active: true, minSize: 3 }')).toEqual(['chain-A']);
    expect(await ids('{ active: false }')).toEqual([]);
    expect(await ids('{ minSize: 4 }')).toEqual([]);
    expect(await ids('{ includesPerson: "C" }')).toEqual(['chain-A']);
    expect(await ids('{ includesPerson: "E" }')).toEqual(['chain-A']);
    expect(await ids('{ includesPerson: "nobody" }')).toEqual([]);
    // Read as lookups and writes read ids: without the spaces around it.
    expect(await ids('{ includesPerson: " C " }')).toEqual(['chain-A']);
  });

  test('a chain by id; cases paged with cursors', async () => {
    const first = await data(
      '{ chain(id: "chain-A") { cases(first: 2) { edges { node { personId } } pageInfo { hasNextPage endCursor } } } }',
    );
    expect(first.chain.cases.edges.map((e: Json) => e.node.personId)).toEqual(['A', 'B']);
    expect(first.chain.cases.pageInfo.hasNextPage).toBe(true);
    const rest = await data(
      'query ($after: String) { chain(id: "chain-A") { cases(first: 2, after: $after) { edges { node { personId } } pageInfo { hasNextPage } } } }',
      {
        after: first.chain.cases.pageInfo.endCursor,
      },
    );
    expect(rest.chain.cases).toEqual({
      edges: [{ node: { personId: 'C' } }],
      pageInfo: { hasNextPage: false },
    });
    expect((await data('{ chain(id: "chain-Z") { id } }')).chain).toBeNull();
  });

  test('as of 5 Aug, before C was known: everything below the chain answers as of then', async () => {
    const result = await data(`{
      chain(id: "chain-A", asOf: "2022-08-05T00:00:00+08:00") {
        size caseIds
        cases { edges { node { personId generation infectees { personId } chain { size } } } }
      }
      past: case(personId: "C", asOf: "2022-08-05T00:00:00+08:00") { personId generation chain { id } infector { id } }
      now: case(personId: "C") { generation }
      b: case(personId: "B") { earlier: generation(asOf: "2022-08-05T00:00:00+08:00") contacts(asOf: "2022-08-03T00:00:00+08:00") { totalCount } }
    }`);
    expect(result.chain).toEqual({
      size: 2,
      caseIds: ['A', 'B'],
      cases: {
        edges: [
          { node: { personId: 'A', generation: 0, infectees: [{ personId: 'B' }], chain: { size: 2 } } },
          { node: { personId: 'B', generation: 1, infectees: [], chain: { size: 2 } } },
        ],
      },
    });
    expect(result.past).toEqual({ personId: 'C', generation: null, chain: null, infector: null });
    expect(result.now).toEqual({ generation: 2 });
    expect(result.b.earlier).toBe(1);
    // Through the case to its person and back: as of 3 Aug only A was a case, so nobody had exposed A.
    const early = await data(`{
      chain(id: "chain-A", asOf: "2022-08-03T00:00:00+08:00") {
        size root { person { exposures { totalCount } case { generation chain { size } } } }
      }
      now: person(id: "A") { exposures { totalCount } }
    }`);
    expect(early).toEqual({
      chain: {
        size: 1,
        root: { person: { exposures: { totalCount: 0 }, case: { generation: 0, chain: { size: 1 } } } },
      },
      now: { exposures: { totalCount: 1 } },
    });
    // As of 3 Aug B was not yet confirmed (4 Aug), so not yet a case: nobody is its contact.
    expect(result.b.contacts.totalCount).toBe(0);
  });
});

describe('contacts, exposures and quarantine', () => {
  test("a case's contacts with the tier of its own exposures", async () => {
    const result = await data(`{
      b: case(personId: "B") { contacts { totalCount edges { node { tier overallTier lastExposure person { id } evidence { setting host { __typename ... on Place { id } ... on Boat { id } } } quarantine { priority } } } } }
      a: case(personId: "A") { contacts(tiers: [CLOSE_CONTACT]) { edges { node { person { id } tier } } } }
    }`);
    const contacts = result.b.contacts.edges.map((e: Json) => e.node);
    expect(result.b.contacts.totalCount).toBe(3);
    const priorityOf = (id: string) => engine.quarantine.entries.find((e) => e.personId === id)!.priority;
    // Most serious tier first, then by id.
    expect(
      contacts.map((c: Json) => [
        c.person.id,
        c.tier,
        c.overallTier,
        c.evidence.map((e: Json) => `${e.setting}@${e.host.id}`),
        c.quarantine.priority,
      ]),
    ).toEqual([
      ['D', 'CLOSE_CONTACT', 'CLOSE_CONTACT', ['HOUSEHOLD@HB'], priorityOf('D')],
      ['F', 'CLOSE_CONTACT', 'CLOSE_CONTACT', ['BOAT@BT1'], priorityOf('F')],
      ['E', 'VENUE_EXPOSED', 'VENUE_EXPOSED', ['PLACE@MKT'], priorityOf('E')],
    ]);
    // D's last exposure to B: the end of the last night at home before B was isolated (4 Aug 20:00).
    const lastNight = engine.tiers
      .find((t) => t.personId === 'D')!
      .evidence.find((e) => e.sourceId === 'B')!.end;
    expect(contacts[0].lastExposure).toBe(iso(lastNight));
    expect(lastNight).toBeLessThan(Date.parse('2022-08-04T20:00:00+08:00'));
    expect(lastNight).toBeGreaterThan(Date.parse('2022-08-04T00:00:00+08:00'));
    expect(result.a.contacts.edges).toEqual([{ node: { person: { id: 'F' }, tier: 'CLOSE_CONTACT' } }]);
  });

  test('the quarantine list: priority, beds, households; with one bed the second close contact waits', async () => {
    const QUERY = `query ($capacity: Int) { quarantinePriority(capacity: $capacity) {
      totalCount beds occupied assigned waiting capacity
      sites { place { id } capacity occupied assigned free }
      edges { node { priority tier placement person { id } site { id } household { id } householdSize lastExposure releaseOn pcrDates evidence { tier sourceKind setting start source { ... on Person { id } } } } }
    } }`;
    const full = (await data(QUERY)).quarantinePriority;
    expect(full).toMatchObject({
      totalCount: 3,
      beds: 2,
      occupied: 0,
      assigned: 2,
      waiting: 0,
      capacity: null,
    });
    expect(full.sites).toEqual([{ place: { id: 'QH' }, capacity: 2, occupied: 0, assigned: 2, free: 0 }]);
    const rows = full.edges.map((e: Json) => [
      e.node.priority,
      e.node.person.id,
      e.node.tier,
      e.node.placement,
    ]);
    // In the engine's priority order: the two close contacts take the two beds, E is monitored.
    expect(rows).toEqual(
      engine.quarantine.entries.map((e) => [
        e.priority,
        e.personId,
        e.tier!.toUpperCase(),
        e.placement.toUpperCase(),
      ]),
    );
    expect(rows.map((r: Json[]) => r.slice(1)).sort()).toEqual([
      ['D', 'CLOSE_CONTACT', 'SITE'],
      ['E', 'VENUE_EXPOSED', 'MONITORING'],
      ['F', 'CLOSE_CONTACT', 'SITE'],
    ]);
    expect(full.edges.map((e: Json) => e.node.site?.id ?? null).sort()).toEqual(['QH', 'QH', null].sort());

    const d = full.edges.find((e: Json) => e.node.person.id === 'D').node;
    expect(d.household).toEqual({ id: 'HB' });
    // B's household; C's household since C's window opened; and before that C was a close
    // contact of B's who has since turned positive: D is upgraded through C for those nights.
    expect(d.evidence.map((e: Json) => [e.source.id, e.tier, e.sourceKind, e.setting]).sort()).toEqual([
      ['B', 'CLOSE_CONTACT', 'case', 'HOUSEHOLD'],
      ['C', 'CLOSE_CONTACT', 'case', 'HOUSEHOLD'],
      ['C', 'CLOSE_CONTACT', 'close_contact', 'HOUSEHOLD'],
    ]);
    const [upgrade, direct] = ['close_contact', 'case'].map((kind) =>
      d.evidence.find((e: Json) => e.source.id === 'C' && e.sourceKind === kind),
    );
    expect(Date.parse(upgrade.start)).toBeLessThan(Date.parse(direct.start));
    // Released 7 days after the last exposure; PCR at midnight (+08:00) of quarantine days 1, 2, 3, 5, 7.
    const last = Date.parse(d.lastExposure);
    expect(Date.parse(d.releaseOn)).toBe(last + 7 * 86_400_000);
    const dayOfLast = Date.parse(
      `${new Date(last + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`,
    );
    expect(d.pcrDates).toEqual([1, 2, 3, 5, 7].map((n) => iso(dayOfLast + n * 86_400_000)));

    const one = (await data(QUERY, { capacity: 1 })).quarantinePriority;
    expect(one).toMatchObject({ beds: 2, assigned: 1, waiting: 1, capacity: 1 });
    const placements = one.edges.map((e: Json) => e.node.placement);
    expect(placements).toEqual(['SITE', 'WAITING', 'MONITORING']);

    const venueOnly = await data(
      '{ quarantinePriority(tiers: [VENUE_EXPOSED], first: 1) { totalCount edges { node { person { id } } } } }',
    );
    expect(venueOnly.quarantinePriority).toEqual({
      totalCount: 1,
      edges: [{ node: { person: { id: 'E' } } }],
    });
  });

  test("a person's exposures and quarantine entry; a boat's crew exposures", async () => {
    const result = await data(`{
      person(id: "D") { exposures { totalCount edges { node { sourceId sourceKind setting nights host { ... on Place { id } } sourceCase { personId } } } } quarantine { priority reasons } }
      nobody: person(id: "A") { quarantine { priority } exposures { totalCount } }
      boat(id: "BT1") { crewExposures { edges { node { person { id } source { ... on Person { id } } minutes } } } }
    }`);
    const nightsWith = (id: string) =>
      engine.exposures.find((e) => e.personId === 'D' && e.sourceId === id)!.nights;
    expect(result.person.exposures).toEqual({
      totalCount: 2,
      edges: ['B', 'C'].map((id) => ({
        node: {
          sourceId: id,
          sourceKind: 'CASE',
          setting: 'HOUSEHOLD',
          nights: nightsWith(id),
          host: { id: 'HB' },
          sourceCase: { personId: id },
        },
      })),
    });
    const entry = engine.quarantine.entries.find((e) => e.personId === 'D')!;
    expect(result.person.quarantine).toEqual({ priority: entry.priority, reasons: entry.reasons });
    expect(result.person.quarantine.reasons).toMatch(/household contact of case C/);
    // A, a case, was exposed to B aboard (B infectious from 1 Aug 00:00) but is not listed for quarantine.
    expect(result.nobody).toEqual({ quarantine: null, exposures: { totalCount: 1 } });
    // Aboard 30 Jul 04:00 to 1 Aug 06:00: 50 h with A; 6 h with B, infectious from 1 Aug 00:00.
    expect(
      result.boat.crewExposures.edges.map((e: Json) => [e.node.person.id, e.node.source.id, e.node.minutes]),
    ).toEqual([
      ['B', 'A', 3000],
      ['F', 'A', 3000],
      ['A', 'B', 360],
      ['F', 'B', 360],
    ]);
  });
});

describe('risk areas, sources, clusters, summary', () => {
  test('risk areas: the home of A, the village of B and C, the market', async () => {
    const result = await data(`{
      riskAreas { placeId level designatedLevel liftOn liftedOn place { name } cases { personId } }
      village: place(id: "VIL") { riskArea { level lastInfection } }
      port: place(id: "PORT") { riskArea { level } }
    }`);
    expect(
      result.riskAreas.map((a: Json) => [a.placeId, a.level, a.cases.map((c: Json) => c.personId)]),
    ).toEqual([
      ['HA', 'HIGH', ['A']],
      ['MKT', 'HIGH', ['B']],
      ['VIL', 'HIGH', ['B', 'C']],
    ]);
    expect(result.village.riskArea.level).toBe('HIGH');
    expect(result.port.riskArea).toBeNull();
    expect((await data('{ riskAreas(levels: [MEDIUM]) { placeId } }')).riskAreas).toEqual([]);
    expect(result.riskAreas.map((a: Json) => a.liftedOn)).toEqual([null, null, null]);
  });

  test('risk areas lowered to low give the day they were lifted', async () => {
    // A isolated on 2 Aug, B on 4 Aug, C on 7 Aug: high for 7 whole days, then medium for 7 more.
    const later = await data(`{
      riskAreas(asOf: "2022-08-20T00:00:00+08:00") { placeId level liftOn liftedOn }
    }`);
    expect(later.riskAreas).toEqual([
      { placeId: 'VIL', level: 'MEDIUM', liftOn: '2022-08-21T16:00:00.000Z', liftedOn: null },
      { placeId: 'HA', level: 'LOW', liftOn: null, liftedOn: '2022-08-16T16:00:00.000Z' },
      { placeId: 'MKT', level: 'LOW', liftOn: null, liftedOn: '2022-08-18T16:00:00.000Z' },
    ]);
  });

  test("the plan's assigned beds are told as not yet at the site, words that hold day after day", async () => {
    const described = async (type: string, field: string) =>
      (
        (await data(`{ __type(name: "${type}") { fields { name description } } }`)).__type.fields as Json[]
      ).find((f) => f.name === field)!.description;
    const words =
      "The plan keeps no earlier day's assignment: a person counts here each day until a stay at the site is imported.";
    expect(await described('OutbreakSummary', 'assignedBeds')).toBe(
      `Beds assigned by the quarantine plan to persons not yet at the site. ${words}`,
    );
    expect(await described('QuarantineSite', 'assigned')).toBe(
      `Beds assigned by the plan to persons not yet at the site. ${words}`,
    );
    expect(await described('QuarantinePlan', 'assigned')).toBe(
      `Beds assigned by the plan to persons not yet at their site. ${words}`,
    );
    expect(await described('RiskArea', 'liftedOn')).toMatch(/^When it was lowered to LOW/);
  });

  test('sources, clusters and the summary', async () => {
    const result = await data(`{
      sources(first: 2) { id kind entity { __typename ... on Boat { id } ... on Person { id } } chains { id } }
      clusters { id kind size caseCount memberIds cases { personId } members(first: 2) { totalCount edges { node { id } } } }
      outbreakSummary {
        asOf protocol pathogen cases confirmed asymptomatic chains activeChains closeContacts contactsOfCloseContacts venueExposed
        quarantineBeds assignedBeds occupiedBeds waitingForBeds highRiskAreas mediumRiskAreas
        epiCurve { date confirmed asymptomatic byOnset } rByGeneration { generation cases meanOffspring }
        superspreaders { offspring case { personId } }
      }
    }`);
    expect(result.sources).toEqual([
      { id: 'BT1', kind: 'BOAT', entity: { __typename: 'Boat', id: 'BT1' }, chains: [{ id: 'chain-A' }] },
      { id: 'A', kind: 'PERSON', entity: { __typename: 'Person', id: 'A' }, chains: [{ id: 'chain-A' }] },
    ]);
    expect(result.clusters.map((c: Json) => [c.id, c.kind, c.size, c.caseCount, c.memberIds])).toEqual([
      ['component-A', 'CASE_COMPONENT', 3, 3, ['A', 'B', 'C']],
      // E only met a case at the market (venue-exposed): not part of the contact network.
      ['community-B', 'EXPOSURE_COMMUNITY', 3, 2, ['B', 'C', 'D']],
      ['community-A', 'EXPOSURE_COMMUNITY', 2, 1, ['A', 'F']],
    ]);
    expect(result.clusters[1].cases).toEqual([{ personId: 'B' }, { personId: 'C' }]);
    expect(result.clusters[1].members).toEqual({
      totalCount: 3,
      edges: [{ node: { id: 'B' } }, { node: { id: 'C' } }],
    });
    const summary = result.outbreakSummary;
    expect(summary).toMatchObject({
      // The end of the day of C's confirmation, 7 Aug (+08:00).
      asOf: '2022-08-07T15:59:59.999Z',
      protocol: 'cn-9th-2022',
      cases: 3,
      confirmed: 3,
      asymptomatic: 0,
      chains: 1,
      activeChains: 1,
      closeContacts: 2,
      contactsOfCloseContacts: 0,
      venueExposed: 1,
      quarantineBeds: 2,
      assignedBeds: 2,
      occupiedBeds: 0,
      waitingForBeds: 0,
      highRiskAreas: 3,
      mediumRiskAreas: 0,
      rByGeneration: [
        { generation: 0, cases: 1, meanOffspring: 1 },
        { generation: 1, cases: 1, meanOffspring: 1 },
        { generation: 2, cases: 1, meanOffspring: 0 },
      ],
    });
    expect(summary.epiCurve).toEqual([
      { date: '2022-08-01', confirmed: 0, asymptomatic: 0, byOnset: 1 },
      { date: '2022-08-02', confirmed: 1, asymptomatic: 0, byOnset: 0 },
      { date: '2022-08-03', confirmed: 0, asymptomatic: 0, byOnset: 1 },
      { date: '2022-08-04', confirmed: 1, asymptomatic: 0, byOnset: 0 },
      { date: '2022-08-05', confirmed: 0, asymptomatic: 0, byOnset: 0 },
      { date: '2022-08-06', confirmed: 0, asymptomatic: 0, byOnset: 1 },
      { date: '2022-08-07', confirmed: 1, asymptomatic: 0, byOnset: 0 },
    ]);
    expect(summary.superspreaders.slice(0, 2).map((s: Json) => [s.case.personId, s.offspring])).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
  });
});

describe('the summary under a bed capacity', () => {
  test("counts the beds the plan for that capacity may fill, beside the sites' beds the plan reports", async () => {
    const result = await data(`{
      capped: outbreakSummary(capacity: 1) { quarantineBeds assignedBeds occupiedBeds waitingForBeds }
      plan: quarantinePriority(capacity: 1) { beds capacity assigned occupied waiting }
      sites: outbreakSummary { quarantineBeds assignedBeds waitingForBeds }
    }`);
    // QH has 2 beds for the 2 close contacts: with 1 in all, one of them waits.
    expect(result.capped).toEqual({ quarantineBeds: 1, assignedBeds: 1, occupiedBeds: 0, waitingForBeds: 1 });
    expect(result.plan).toEqual({ beds: 2, capacity: 1, assigned: 1, occupied: 0, waiting: 1 });
    expect(result.sites).toEqual({ quarantineBeds: 2, assignedBeds: 2, waitingForBeds: 0 });
    expect(
      codes(await run(schema, as('cdc'), '{ outbreakSummary(capacity: -1) { quarantineBeds } }')),
    ).toEqual(['BAD_USER_INPUT']);
  });
});

describe('ids named like the properties every object inherits', () => {
  // Looked up by an investigator, ids such as "constructor" name nothing in this district: every
  // lookup finds nothing, rather than an inherited function or prototype.
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s finds nothing', async (id) => {
    const result = await data(
      `query ($id: ID!) {
        case(personId: $id) { personId } chain(id: $id) { id } sources(chainId: $id) { id }
        person(id: $id) { id } persons(ids: [$id]) { id } place(id: $id) { id } boat(id: $id) { id }
        coldChainItem(id: $id) { id }
      }`,
      { id },
    );
    expect(result).toEqual({
      case: null,
      chain: null,
      sources: [],
      person: null,
      persons: [null],
      place: null,
      boat: null,
      coldChainItem: null,
    });
  });
});

describe('roles, masking and audit on analysis results', () => {
  const QUERY = `query Quarantine { quarantinePriority { edges { node { person { id name phone } } } } case(personId: "C") { infector { source { ... on Person { name } } } } }`;

  test('cdc sees masked names and phones; nothing is audited', async () => {
    const audit = new AuditLog();
    const result = await run(schema, as('cdc', audit), QUERY);
    expect(result.errors).toBeUndefined();
    const data = result.data as Json;
    const byId = (edges: Json[]) => edges.map((e) => e.node.person).sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(data.quarantinePriority.edges)).toEqual([
      { id: 'D', name: '黄**', phone: null },
      { id: 'E', name: 'L*****', phone: '139****0005' },
      { id: 'F', name: '王**', phone: '139****0006' },
    ]);
    expect(data.case.infector.source).toEqual({ name: '黄**' });
    expect(audit.size).toBe(0);
  });

  test('an investigator sees them, and the read is audited with the persons read', async () => {
    const audit = new AuditLog();
    const result = await run(schema, as('investigator', audit), QUERY);
    const f = (result.data as Json).quarantinePriority.edges.find((e: Json) => e.node.person.id === 'F');
    expect(f.node.person).toEqual({ id: 'F', name: '王国平', phone: '13900000006' });
    expect(audit.page(10).entries.map((e) => [e.operationName, e.personIds, e.fields])).toEqual([
      ['Quarantine', ['B', 'D', 'E', 'F'], ['name', 'phone']],
    ]);
  });

  test('no key: UNAUTHENTICATED; bad arguments: BAD_USER_INPUT', async () => {
    expect(codes(await run(schema, as(null), '{ transmissionChains { totalCount } }'))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(
      codes(await run(schema, as('cdc'), '{ quarantinePriority(capacity: -1) { totalCount } }')),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(schema, as('cdc'), '{ sources(first: 101) { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await run(schema, as('cdc'), '{ transmissionChains(filter: { minSize: -1 }) { totalCount } }')),
    ).toEqual(['BAD_USER_INPUT']);
  });

  test('an empty tiers or levels list is refused at its path, not taken as every tier or level', async () => {
    const result = await run(
      schema,
      as('investigator'),
      `{
        plan: quarantinePriority(tiers: []) { totalCount }
        areas: riskAreas(levels: []) { placeId }
        b: case(personId: "B") { personId contacts(tiers: []) { totalCount } }
        all: quarantinePriority { totalCount }
      }`,
    );
    const refusals = (result.errors ?? []).map((e) => [
      e.path?.join('.'),
      e.extensions.code,
      (e.extensions.problems as { path: string; reason: string }[]).map((p) => `${p.path}: ${p.reason}`),
    ]);
    expect(refusals).toEqual([
      ['plan', 'BAD_USER_INPUT', ['tiers: is empty: list at least one tier, or leave it out for every tier']],
      [
        'areas',
        'BAD_USER_INPUT',
        ['levels: is empty: list at least one level, or leave it out for every level'],
      ],
      [
        'b.contacts',
        'BAD_USER_INPUT',
        ['tiers: is empty: list at least one tier, or leave it out for every tier'],
      ],
    ]);
    const answered = result.data as Json;
    expect(answered.plan).toBeNull();
    expect(answered.areas).toBeNull();
    expect(answered.b).toBeNull();
    expect(answered.all.totalCount).toBeGreaterThan(0);
  });
});
