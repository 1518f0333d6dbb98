import neo4j, { type Driver } from 'neo4j-driver';
import { StoreUnavailableError, ValidationError } from '../../src/domain/errors';
import { openNeo4jStore, CredentialsRefusedError, ROWS_PER_STATEMENT } from '../../src/store/neo4j';
import {
  BACKFILLS,
  INDEX_BACKFILLS,
  CLEAR_NODES,
  CLEAR_RELATIONSHIPS,
  CONTACTS_OF,
  HOST_START_INDEXES,
  KEY_CONSTRAINTS,
  MERGE_STAYS,
  STAYS_AT_HOSTS,
} from '../../src/store/neo4j/cypher';
import { lowerBound, stayRow, windowGroups } from '../../src/store/neo4j/convert';
import { freePort } from '../../src/store/neo4j/launcher';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { describeStoreContract } from './contract';
import { barePerson, barePlace } from '../bare-records';
import { smallDistrict, t } from './fixtures';

interface PlanStep {
  operatorType: string;
  dbHits: number;
  children: PlanStep[];
}

/** A profiled plan's db hits, summed, and its operators (without the runtime's suffix). */
function planOf(profile: unknown): { hits: number; operators: string[] } {
  let hits = 0;
  const operators: string[] = [];
  const walk = (step: PlanStep): void => {
    hits += step.dbHits;
    operators.push(step.operatorType.replace(/@.*/, ''));
    step.children.forEach(walk);
  };
  walk(profile as PlanStep);
  return { hits, operators };
}

/**
 * The operators of a plan that run in the statement's own transaction, outside every batch of
 * `CALL { ... } IN TRANSACTIONS` (a TransactionForeach's second child runs in the batches).
 */
function operatorsOutsideBatches(plan: PlanStep): string[] {
  const operator = plan.operatorType.replace(/@.*/, '');
  const below = operator === 'TransactionForeach' ? plan.children.slice(0, 1) : plan.children;
  return [operator, ...below.flatMap(operatorsOutsideBatches)];
}

/** The indexes resting on backfilled properties (stays' host ids, contacts' person ids), by name. */
const BACKFILLED_INDEX_NAMES = INDEX_BACKFILLS.flatMap(({ schema }) => schema.map((i) => i.name));

const open = (): Promise<TraceStore> => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });

describeStoreContract('neo4j', open);

describe('neo4j store', () => {
  let store: TraceStore;
  let driver: Driver;

  /** Runs Cypher directly, as a user of the graph would. */
  const cypher = async (
    query: string,
    params: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>[]> => {
    const { records } = await driver.executeQuery(query, params, { database: 'neo4j' });
    return records.map((r) => r.toObject());
  };
  /** The `n` a counting query returns, as a number. */
  const countOf = async (query: string): Promise<number> =>
    neo4j.integer.toNumber((await cypher(query))[0]!.n as Parameters<typeof neo4j.integer.toNumber>[0]);

  beforeAll(async () => {
    const { uri, user, password } = neo4jTestConfig();
    driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
    store = await open();
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await driver?.close();
  });
  beforeEach(async () => {
    await store.clear();
  });

  test('kind and location name the server and database; reads run in the server', () => {
    expect(store.kind).toBe('neo4j');
    expect(store.readsInThisThread).toBe(false);
    expect(store.location).toBe(`${neo4jTestConfig().uri}/neo4j`);
  });

  test('a server the project launches keeps 1 GB of old transaction logs, not two days of them', async () => {
    const [setting] = await cypher(
      "SHOW SETTINGS YIELD name, value WHERE name = 'db.tx_log.rotation.retention_policy' RETURN value",
    );
    // Against a server of the user's own (NEO4J_URI), its setting is its own business.
    expect(setting!.value).toBe(process.env.TRACEGRAPH_TEST_NEO4J_LAUNCHED ? '1G size' : setting!.value);
  });

  test('the migration is idempotent and creates the uniqueness constraints', async () => {
    await store.migrate();
    await store.migrate();
    const constraints = await cypher(
      'SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties ORDER BY name',
    );
    const ours = constraints.filter((c) =>
      ['entity_id', 'person_id', 'place_id', 'boat_id', 'cold_chain_item_id', 'case_person_id'].includes(
        c.name as string,
      ),
    );
    expect(ours).toEqual([
      { name: 'boat_id', type: 'UNIQUENESS', labelsOrTypes: ['Boat'], properties: ['id'] },
      { name: 'case_person_id', type: 'UNIQUENESS', labelsOrTypes: ['Case'], properties: ['personId'] },
      {
        name: 'cold_chain_item_id',
        type: 'UNIQUENESS',
        labelsOrTypes: ['ColdChainItem'],
        properties: ['id'],
      },
      { name: 'entity_id', type: 'UNIQUENESS', labelsOrTypes: ['Entity'], properties: ['id'] },
      { name: 'person_id', type: 'UNIQUENESS', labelsOrTypes: ['Person'], properties: ['id'] },
      { name: 'place_id', type: 'UNIQUENESS', labelsOrTypes: ['Place'], properties: ['id'] },
    ]);
    const indexes = await cypher(
      "SHOW RANGE INDEXES YIELD name, state, entityType, labelsOrTypes, properties WHERE name IN ['stayed_at_start', 'aboard_end', 'sample_sampled_at', 'case_confirmed_at'] RETURN name, state, entityType, labelsOrTypes, properties ORDER BY name",
    );
    expect(indexes).toEqual([
      {
        name: 'aboard_end',
        state: 'ONLINE',
        entityType: 'RELATIONSHIP',
        labelsOrTypes: ['ABOARD'],
        properties: ['end'],
      },
      {
        name: 'case_confirmed_at',
        state: 'ONLINE',
        entityType: 'NODE',
        labelsOrTypes: ['Case'],
        properties: ['confirmedAt'],
      },
      {
        name: 'sample_sampled_at',
        state: 'ONLINE',
        entityType: 'NODE',
        labelsOrTypes: ['Sample'],
        properties: ['sampledAt'],
      },
      {
        name: 'stayed_at_start',
        state: 'ONLINE',
        entityType: 'RELATIONSHIP',
        labelsOrTypes: ['STAYED_AT'],
        properties: ['start'],
      },
    ]);
  });

  test('stays and samples have unique keys, and a write finds an earlier stay by one index seek however many the pair has', async () => {
    const names = (await cypher('SHOW CONSTRAINTS YIELD name RETURN name')).map((c) => c.name);
    expect(KEY_CONSTRAINTS.map((c) => c.name).filter((n) => !names.includes(n))).toEqual([]);
    await store.write(smallDistrict());
    expect(
      await cypher("MATCH (:Person {id:'P1'})-[s:STAYED_AT]->(:Place {id:'MKT'}) RETURN s.key AS key"),
    ).toEqual([{ key: `P1|MKT|${t('2022-08-01T09:00:00+08:00')}|${t('2022-08-01T10:00:00+08:00')}` }]);
    expect(
      await cypher(
        "MATCH (:Person {id:'P1'})-[:SAMPLED]->(s:Sample {result: 'negative'}) RETURN s.key AS key",
      ),
    ).toEqual([{ key: `P1|${t('2022-07-29T10:00:00+08:00')}|pcr` }]);

    // A commuter's stay each day at the same place: db hits of writing one more stay (already
    // there or new) do not grow with the stays already recorded between the two.
    const day = 86_400_000;
    const commute = (d: number) => ({
      subjectId: 'P2',
      hostId: 'PORT',
      start: t('2022-07-01T08:00:00+08:00') + d * day,
      end: t('2022-07-01T17:00:00+08:00') + d * day,
    });
    const profile = async (d: number): Promise<{ hits: number; operators: string[] }> => {
      const session = driver.session({ database: 'neo4j' });
      const tx = session.beginTransaction();
      try {
        const result = await tx.run(`PROFILE ${MERGE_STAYS.STAYED_AT}`, { rows: [stayRow(commute(d))] });
        return planOf(result.summary.profile);
      } finally {
        await tx.rollback();
        await session.close();
      }
    };
    await store.write({ stays: [commute(0)] });
    const [againWithOne, newWithOne] = [await profile(0), await profile(1)];
    await store.write({ stays: Array.from({ length: 60 }, (_, d) => commute(d)) });
    const [againWithMany, newWithMany] = [await profile(0), await profile(61)];
    expect(againWithMany.hits).toBe(againWithOne.hits);
    expect(newWithMany.hits).toBe(newWithOne.hits);
    expect(newWithMany.operators).toContain('DirectedRelationshipUniqueIndexSeek(Locking)');
    expect(newWithMany.operators).not.toContain('Expand(Into)');
    expect(
      await cypher("MATCH (:Person {id:'P2'})-[s:STAYED_AT]->(:Place {id:'PORT'}) RETURN count(s) AS n"),
    ).toEqual([{ n: neo4j.int(60) }]);
  });

  test('ids holding the key separator cannot make two stays or samples share a key', async () => {
    const person = (id: string) => barePerson(id);
    const place = (id: string) => barePlace(id, 'market');
    const start = t('2022-08-01T09:00:00+08:00');
    const end = t('2022-08-01T10:00:00+08:00');
    await store.write({
      persons: [person('A|B'), person('A'), person('A%7CB')],
      places: [place('C'), place('B|C')],
      stays: [
        { subjectId: 'A|B', hostId: 'C', start, end },
        { subjectId: 'A', hostId: 'B|C', start, end },
        { subjectId: 'A%7CB', hostId: 'C', start, end },
      ],
      samples: [
        { subjectId: 'A|B', sampledAt: start, result: 'negative', method: 'pcr', ct: null },
        { subjectId: 'A%7CB', sampledAt: start, result: 'positive', method: 'pcr', ct: 30 },
      ],
    });
    expect((await store.counts()).stays).toBe(3);
    expect((await store.samplesOf(['A|B', 'A%7CB'])).map((s) => `${s.subjectId} ${s.result}`)).toEqual([
      'A%7CB positive',
      'A|B negative',
    ]);
  });

  test('migrating a database written before stays and samples had keys keys them, so nothing is added twice', async () => {
    await store.write(smallDistrict());
    for (const { name } of KEY_CONSTRAINTS) await cypher(`DROP CONSTRAINT ${name} IF EXISTS`);
    // What the previous version wrote: stays and samples merged on their fields, without a key.
    await cypher('MATCH ()-[s:STAYED_AT|ABOARD|STORED_AT|CARRIED_BY|DOCKED_AT]->() REMOVE s.key');
    await cypher('MATCH (s:Sample) REMOVE s.key');
    expect(await cypher('MATCH ()-[s]->() WHERE s.key IS NOT NULL RETURN count(s) AS n')).toEqual([
      { n: neo4j.int(0) },
    ]);
    const before = await store.counts();

    const steps: string[] = [];
    await store.migrate((step) => steps.push(step));
    expect(steps).toEqual([
      'keying each stay and sample, then constraining the keys to be unique (once; about a minute per 100,000 persons)',
    ]);
    expect(
      await countOf(
        'MATCH (x)-[s:STAYED_AT|ABOARD|STORED_AT|CARRIED_BY|DOCKED_AT]->(h) WHERE s.key IS NULL OR s.key <> x.id + "|" + h.id + "|" + s.start + "|" + s.end RETURN count(s) AS n',
      ),
    ).toBe(0);
    expect(
      await countOf(
        'MATCH (x)-[:SAMPLED]->(s:Sample) WHERE s.key IS NULL OR s.key <> x.id + "|" + s.sampledAt + "|" + s.method RETURN count(s) AS n',
      ),
    ).toBe(0);
    const names = (await cypher('SHOW CONSTRAINTS YIELD name RETURN name')).map((c) => c.name);
    expect(KEY_CONSTRAINTS.map((c) => c.name).filter((n) => !names.includes(n))).toEqual([]);

    await store.write(smallDistrict());
    await store.migrate();
    expect(await store.counts()).toEqual(before);
  });

  test('the graph reads naturally in Cypher', async () => {
    await store.write(smallDistrict());
    expect(await cypher("MATCH (p:Person {id:'P1'})-[:ABOARD]->(b:Boat) RETURN b.id AS boat")).toEqual([
      { boat: 'B1' },
    ]);
    expect(
      await cypher("MATCH (p:Person)-[:LIVES_IN]->(:Place {id:'H1'}) RETURN p.id AS id ORDER BY id"),
    ).toEqual([{ id: 'P1' }, { id: 'P2' }]);
    expect(await cypher("MATCH (:Boat {id:'B1'})-[:HOME_PORT]->(p:Place) RETURN p.id AS id")).toEqual([
      { id: 'PORT' },
    ]);
    expect(
      await cypher("MATCH (:ColdChainItem {id:'L1'})-[:STORED_AT]->(p:Place) RETURN p.id AS id"),
    ).toEqual([{ id: 'COLD' }]);
    expect(await cypher("MATCH (:Boat {id:'B1'})-[:DOCKED_AT]->(p:Place) RETURN p.id AS id")).toEqual([
      { id: 'PORT' },
    ]);
    expect(await cypher("MATCH (:Person {id:'P3'})-[:HANDLED]->(i:ColdChainItem) RETURN i.id AS id")).toEqual(
      [{ id: 'L1' }],
    );
    expect(
      await cypher(
        "MATCH (:Person {id:'P1'})-[c:CONTACTED]->(p:Person) RETURN p.id AS id, c.setting AS setting",
      ),
    ).toEqual([{ id: 'P4', setting: 'social' }]);
    expect(
      await cypher(
        "MATCH (:Person {id:'P3'})-[:DIAGNOSED]->(c:Case) RETURN c.classification AS c, c.onset AS onset",
      ),
    ).toEqual([{ c: 'asymptomatic', onset: null }]);
    // Every tracegraph entity carries :Entity; 4 persons + 6 places + 1 boat + 1 lot.
    expect(await cypher('MATCH (n:Entity) RETURN count(n) AS n')).toEqual([{ n: neo4j.int(12) }]);
  });

  test('instants are stored as integer epoch milliseconds; null fields are not stored', async () => {
    await store.write(smallDistrict());
    const [stay] = await cypher(
      "MATCH (:Person {id:'P1'})-[s:STAYED_AT]->(:Place {id:'MKT'}) RETURN s.start AS start, valueType(s.start) AS type, toString(datetime({epochMillis: s.start})) AS text",
    );
    expect(stay).toEqual({
      start: neo4j.int(t('2022-08-01T09:00:00+08:00')),
      type: 'INTEGER NOT NULL',
      text: '2022-08-01T01:00:00Z',
    });
    const [p4] = await cypher("MATCH (p:Person {id:'P4'}) RETURN keys(p) AS keys");
    expect(p4).toEqual({ keys: ['id'] });
    const [age] = await cypher("MATCH (p:Person {id:'P1'}) RETURN valueType(p.age) AS type");
    expect(age).toEqual({ type: 'INTEGER NOT NULL' });
  });

  test('updating an entity to null removes the property and moves its relationship', async () => {
    await store.write(smallDistrict());
    const [p1] = await store.persons(['P1']);
    await store.write({ persons: [{ ...p1!, phone: null, homeId: 'H2' }] });
    expect((await store.persons(['P1']))[0]).toEqual({ ...p1, phone: null, homeId: 'H2' });
    expect(await cypher("MATCH (:Person {id:'P1'})-[:LIVES_IN]->(h) RETURN h.id AS id")).toEqual([
      { id: 'H2' },
    ]);
    expect((await store.residentsOf(['H1'])).map((p) => p.id)).toEqual(['P2']);
  });

  test('a home written after its residents is linked to them', async () => {
    await store.write({
      persons: [barePerson('P7', { homeId: 'H7' })],
    });
    expect(await cypher("MATCH (:Person {id:'P7'})-[:LIVES_IN]->(h) RETURN h.id AS id")).toEqual([]);
    await store.write({
      places: [barePlace('H7', 'home')],
    });
    expect(await cypher("MATCH (:Person {id:'P7'})-[:LIVES_IN]->(h) RETURN h.id AS id")).toEqual([
      { id: 'H7' },
    ]);
  });

  test('a batch with a reference to an unknown or wrong-kind id is refused whole, naming record and field', async () => {
    await store.write(smallDistrict());
    const before = await store.counts();
    const attempt = store.write({
      places: [barePlace('NEW', 'market')],
      stays: [
        { subjectId: 'P1', hostId: 'NOWHERE', start: 0, end: 1 },
        { subjectId: 'P1', hostId: 'P2', start: 0, end: 1 },
      ],
      handlings: [{ personId: 'P1', itemId: 'B1', at: 0 }],
      persons: [barePerson('MKT')],
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      problems: [
        { file: 'persons[0]', line: 0, column: 'id', reason: '"MKT" is already a place' },
        { file: 'stays[0]', line: 0, column: 'hostId', reason: '"NOWHERE" is not a known place or boat' },
        { file: 'stays[1]', line: 0, column: 'hostId', reason: '"P2" is a person, not a place or boat' },
        { file: 'handlings[0]', line: 0, column: 'itemId', reason: '"B1" is a boat, not a lot' },
      ],
    });
    expect(await store.counts()).toEqual(before);
    expect((await store.places(['NEW']))[0]).toBeNull();
  });

  test(`batches larger than ${ROWS_PER_STATEMENT} rows are split and all written`, async () => {
    const n = ROWS_PER_STATEMENT + 5;
    const places = Array.from({ length: n }, (_, i) =>
      barePlace(`X${String(i).padStart(5, '0')}`, 'village'),
    );
    await store.write({ places });
    expect((await store.counts()).places).toBe(n);
    const last = places[n - 1]!;
    expect(await store.places([last.id])).toEqual([last]);
    let seen = 0;
    let pages = 0;
    for await (const page of store.scan('places', 4000)) {
      seen += page.length;
      pages += 1;
    }
    expect([seen, pages]).toEqual([n, 3]);
  }, 120_000);

  test('scan pages through relationships with ties on the leading key', async () => {
    await store.write(smallDistrict());
    const stays = [];
    for await (const page of store.scan('stays', 1)) stays.push(...page);
    // Ordered by subject, host, start, end; P1 and P3 each have two stays.
    expect(stays.map((s) => `${s.subjectId}>${s.hostId}`)).toEqual([
      'B1>PORT',
      'L1>COLD',
      'P1>B1',
      'P1>MKT',
      'P3>B1',
      'P3>MKT',
      'P4>MKT',
    ]);
    const samples = [];
    for await (const page of store.scan('samples', 2)) samples.push(...page);
    expect(samples.map((s) => `${s.subjectId}@${s.sampledAt}`)).toEqual([
      `L1@${t('2022-08-01T15:00:00+08:00')}`,
      `MKT@${t('2022-08-04T15:00:00+08:00')}`,
      `P1@${t('2022-07-29T10:00:00+08:00')}`,
      `P1@${t('2022-08-02T10:00:00+08:00')}`,
    ]);
    const cases = [];
    for await (const page of store.scan('cases', 1)) cases.push(...page);
    expect(cases).toEqual(smallDistrict().cases);
  });

  /** The db hits and operators of a windowed read over the windows, as the store runs it. */
  const profileWindowed = async (
    statement: string,
    windows: { id: string; from: number; to: number }[],
  ): Promise<{ hits: number; operators: string[]; rows: number }> => {
    const { records, summary } = await driver.executeQuery(
      `PROFILE ${statement}`,
      { groups: windowGroups(windows), earliest: lowerBound(-Infinity) },
      { database: 'neo4j' },
    );
    return { ...planOf(summary.profile), rows: records.length };
  };

  /** A day's stay at PORT, 08:00 to 17:00, on each of `days` days from 1 June. */
  const commutes = (subjectId: string, days: number) =>
    Array.from({ length: days }, (_, d) => ({
      subjectId,
      hostId: 'PORT',
      start: t('2022-06-01T08:00:00+08:00') + d * 86_400_000,
      end: t('2022-06-01T17:00:00+08:00') + d * 86_400_000,
    }));

  test("a host's stays in a window are sought in its (hostId, start) index: the reads do not grow with the host's history", async () => {
    await store.write(smallDistrict());
    const window = { id: 'PORT', from: t('2022-06-01T12:00:00+08:00'), to: t('2022-06-01T12:30:00+08:00') };
    await store.write({ stays: commutes('P2', 5) });
    const short = await profileWindowed(STAYS_AT_HOSTS, [window]);
    await store.write({ stays: commutes('P2', 120) });
    const long = await profileWindowed(STAYS_AT_HOSTS, [window]);

    expect(await store.staysAtHosts([window])).toEqual(commutes('P2', 1));
    expect(long.rows).toBe(1);
    expect(long.hits).toBe(short.hits);
    expect(long.operators.filter((o) => o === 'DirectedRelationshipIndexSeek')).toHaveLength(
      HOST_START_INDEXES.length,
    );
    expect(long.operators).not.toContain('Expand(All)');
  });

  test("a person's contacts are sought in the index of either person: the reads do not grow with the person's stays", async () => {
    await store.write(smallDistrict());
    const windows = ['P1', 'P2', 'P4'].map((id) => ({
      id,
      from: t('2022-08-02T00:00:00+08:00'),
      to: t('2022-08-03T00:00:00+08:00'),
    }));
    const expected = await store.contactsOf(windows);
    expect(expected.length).toBeGreaterThan(0);
    const few = await profileWindowed(CONTACTS_OF, windows);
    await store.write({ stays: commutes('P1', 120) });
    const many = await profileWindowed(CONTACTS_OF, windows);

    expect(await store.contactsOf(windows)).toEqual(expected);
    expect(many.rows).toBe(expected.length);
    expect(many.hits).toBe(few.hits);
    expect(many.operators).toContain('DirectedRelationshipIndexSeek');
    expect(many.operators).not.toContain('Expand(All)');
  });

  test("a host's longest stay is kept as stays are written, and bounds the seek: a long stay is found from any window it reaches", async () => {
    await store.write(smallDistrict());
    const hours = 3_600_000;
    const longest = async (id: string): Promise<unknown> =>
      (await cypher('MATCH (h:Entity {id: $id}) RETURN h.longestStay AS longest', { id }))[0]!.longest;
    // B1's longest in the district: P1 aboard from 30 July 04:00 to 31 July 18:00.
    expect(await longest('B1')).toEqual(neo4j.int(38 * hours));
    const fiveDays = {
      subjectId: 'P3',
      hostId: 'PORT',
      start: t('2022-07-01T00:00:00+08:00'),
      end: t('2022-07-06T00:00:00+08:00'),
    };
    const hour = {
      subjectId: 'P4',
      hostId: 'PORT',
      start: t('2022-07-10T00:00:00+08:00'),
      end: t('2022-07-10T01:00:00+08:00'),
    };
    await store.write({ stays: [fiveDays] });
    await store.write({ stays: [hour] });
    expect(await longest('PORT')).toEqual(neo4j.int(120 * hours));
    // Its last minute, and a window starting right after it ends.
    expect(
      await store.staysAtHosts([{ id: 'PORT', from: fiveDays.end - 60_000, to: fiveDays.end + hours }]),
    ).toEqual([fiveDays]);
    expect(
      await store.staysAtHosts([{ id: 'PORT', from: fiveDays.end + 1, to: fiveDays.end + hours }]),
    ).toEqual([]);
  });

  test("migrating a database written before stays kept their host and contacts their persons' ids sets them, and indexes them", async () => {
    await store.write(smallDistrict());
    const windows = [
      { id: 'B1', from: t('2022-07-31T05:00:00+08:00'), to: t('2022-07-31T06:00:00+08:00') },
      { id: 'MKT', from: t('2022-08-01T09:30:00+08:00'), to: t('2022-08-03T12:00:00+08:00') },
      { id: 'PORT', from: t('2022-07-31T00:00:00+08:00'), to: t('2022-08-01T00:00:00+08:00') },
    ];
    const expected = await store.staysAtHosts(windows);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const contactWindows = ['P1', 'P4'].map((id) => ({ id, from: -Infinity, to: Infinity }));
    const expectedContacts = await store.contactsOf(contactWindows);
    // Read with the host's id from the stay, which the migration sets.
    const subjectWindows = ['P1', 'P3', 'B1'].map((id) => ({ id, from: -Infinity, to: Infinity }));
    const expectedOfSubjects = await store.staysOfSubjects(subjectWindows);
    expect(expectedOfSubjects.length).toBeGreaterThanOrEqual(3);
    const nights = { nightStartHour: 22, nightEndHour: 7, utcOffsetMinutes: 8 * 60 };
    const awayWindows = subjectWindows.map((w) => ({ ...w, homeId: 'H1' }));
    const expectedAway = await store.staysAwayAtNight(awayWindows, nights);
    expect(expectedAway.length).toBeGreaterThan(0);
    expect(expectedContacts.length).toBeGreaterThan(0);
    // What the previous version wrote: no host id on stays, no longest stay on hosts, no persons'
    // ids on contacts, none of their indexes.
    for (const name of BACKFILLED_INDEX_NAMES) await cypher(`DROP INDEX ${name} IF EXISTS`);
    await cypher('MATCH ()-[s:STAYED_AT|ABOARD|STORED_AT|CARRIED_BY|DOCKED_AT]->() REMOVE s.hostId');
    await cypher('MATCH (h:Entity) REMOVE h.longestStay');
    await cypher('MATCH ()-[c:CONTACTED]->() REMOVE c.personA, c.personB');

    const steps: string[] = [];
    await store.migrate((step) => steps.push(step));
    expect(steps).toEqual(INDEX_BACKFILLS.map((b) => b.step));
    expect(steps[0]).toMatch(/host id/);
    // Stays without their host's id, hosts without their longest stay, contacts without their
    // persons' ids: none left.
    const left = [
      'MATCH ()-[s:STAYED_AT|ABOARD|STORED_AT|CARRIED_BY|DOCKED_AT]->(h) WHERE s.hostId IS NULL OR s.hostId <> h.id RETURN count(s) AS n',
      `MATCH (h:Entity)<-[s:STAYED_AT|ABOARD|STORED_AT|CARRIED_BY|DOCKED_AT]-()
       WITH h, max(s.end - s.start) AS longest
       WHERE h.longestStay IS NULL OR h.longestStay <> longest
       RETURN count(h) AS n`,
      'MATCH (a)-[c:CONTACTED]->(b) WHERE c.personA IS NULL OR c.personA <> a.id OR c.personB IS NULL OR c.personB <> b.id RETURN count(c) AS n',
    ];
    expect(await Promise.all(left.map(countOf))).toEqual([0, 0, 0]);
    const names = (await cypher('SHOW INDEXES YIELD name RETURN name')).map((i) => i.name);
    expect(BACKFILLED_INDEX_NAMES).toHaveLength(HOST_START_INDEXES.length + 2);
    expect(BACKFILLED_INDEX_NAMES.filter((n) => !names.includes(n))).toEqual([]);
    expect(await store.staysAtHosts(windows)).toEqual(expected);
    expect(await store.contactsOf(contactWindows)).toEqual(expectedContacts);
    expect(await store.staysOfSubjects(subjectWindows)).toEqual(expectedOfSubjects);
    expect(await store.staysAwayAtNight(awayWindows, nights)).toEqual(expectedAway);
    // Done once: the next migration has nothing to say.
    await store.migrate((step) => steps.push(step));
    expect(steps).toHaveLength(INDEX_BACKFILLS.length);
  });

  test('clearing removes every relationship in batches; it and the backfills gather nothing outside their batches, however many stays a host has', async () => {
    const persons = Array.from({ length: 2500 }, (_, i) => barePerson(`P${i}`));
    const stays = persons.flatMap((p, i) => [
      {
        subjectId: p.id,
        hostId: 'MK1',
        start: t(`2022-08-01T0${i % 8}:00:00+08:00`),
        end: t(`2022-08-01T0${(i % 8) + 1}:00:00+08:00`),
      },
      {
        subjectId: p.id,
        hostId: 'MK1',
        start: t('2022-08-02T10:00:00+08:00'),
        end: t('2022-08-02T11:00:00+08:00'),
      },
    ]);
    await store.write({ places: [barePlace('MK1', 'market')], persons, stays });
    expect(await countOf('MATCH (:Place {id: "MK1"})<-[r]-() RETURN count(r) AS n')).toBe(5000);
    // Outside its batches a clear or a backfill reads nodes only. Relationships read there and
    // deleted or written in the batches are a read/write conflict, which the planner may resolve,
    // depending on the store's statistics, with an Eager operator that gathers every row first in
    // the statement's own transaction: at a million persons, 35M relationships, past the
    // transaction memory of a server with a 2 GB heap.
    for (const statement of [...BACKFILLS.flatMap((b) => b.backfill), CLEAR_RELATIONSHIPS, CLEAR_NODES]) {
      const { summary } = await driver.executeQuery(`EXPLAIN ${statement}`, {}, { database: 'neo4j' });
      const outside = operatorsOutsideBatches(summary.plan as unknown as PlanStep);
      expect(outside).toContain('TransactionForeach');
      expect(outside.filter((operator) => /Eager|Relationship|Expand/.test(operator))).toEqual([]);
    }
    await store.clear();
    expect(await countOf('MATCH ()-[r]->() RETURN count(r) AS n')).toBe(0);
    expect(await countOf('MATCH (n) WHERE n:Entity OR n:Sample OR n:Case RETURN count(n) AS n')).toBe(0);
  });

  test('an empty database is migrated without a word: nothing is rewritten', async () => {
    for (const name of BACKFILLED_INDEX_NAMES) await cypher(`DROP INDEX ${name} IF EXISTS`);
    const steps: string[] = [];
    await store.migrate((step) => steps.push(step));
    expect(steps).toEqual([]);
    const names = (await cypher('SHOW INDEXES YIELD name RETURN name')).map((i) => i.name);
    expect(BACKFILLED_INDEX_NAMES.filter((n) => !names.includes(n))).toEqual([]);
  });

  test('a window asked twice returns each stay once', async () => {
    await store.write(smallDistrict());
    const window = { id: 'MKT', from: t('2022-08-01T09:00:00+08:00'), to: t('2022-08-01T09:10:00+08:00') };
    const stays = await store.staysAtHosts([window, { ...window, to: t('2022-08-01T09:20:00+08:00') }]);
    expect(stays).toEqual([smallDistrict().stays[2]]);
  });

  test('disjoint windows of one id each select their own stays, contacts and handlings', async () => {
    await store.write(smallDistrict());
    const district = smallDistrict();
    // MKT is expanded once for both windows: P1 and P3 on 1 August, P4 on 3 August, none between.
    const atMarket = await store.staysAtHosts([
      { id: 'MKT', from: t('2022-08-01T09:00:00+08:00'), to: t('2022-08-01T09:00:00+08:00') },
      { id: 'MKT', from: t('2022-08-03T10:00:00+08:00'), to: t('2022-08-03T10:00:00+08:00') },
    ]);
    expect(atMarket).toEqual([district.stays[2], district.stays[4]]);
    const ofP1 = await store.staysOfSubjects([
      { id: 'P1', from: t('2022-08-01T09:30:00+08:00'), to: t('2022-08-01T09:30:00+08:00') },
      { id: 'P1', from: t('2022-07-30T00:00:00+08:00'), to: t('2022-07-30T01:00:00+08:00') },
    ]);
    expect(ofP1).toEqual([district.stays[2]]);
    const contacts = await store.contactsOf([
      { id: 'P1', from: t('2022-08-05T00:00:00+08:00'), to: t('2022-08-06T00:00:00+08:00') },
      { id: 'P1', from: t('2022-08-02T20:00:00+08:00'), to: t('2022-08-02T20:00:00+08:00') },
      { id: 'P4', from: t('2022-08-02T20:00:00+08:00'), to: t('2022-08-02T20:00:00+08:00') },
    ]);
    expect(contacts).toEqual(district.contacts);
    const handlings = await store.handlingsOf([
      { id: 'L1', from: t('2022-07-30T00:00:00+08:00'), to: t('2022-07-31T00:00:00+08:00') },
      { id: 'L1', from: t('2022-07-29T08:00:00+08:00'), to: t('2022-07-29T08:00:00+08:00') },
    ]);
    expect(handlings).toEqual(district.handlings);
  });

  test('unbounded and fractional window bounds select exactly the stored instants they include', async () => {
    await store.write(smallDistrict());
    const all = await store.staysOfSubjects([{ id: 'P1', from: -Infinity, to: Infinity }]);
    expect(all.map((s) => s.hostId)).toEqual(['B1', 'MKT']);
    // P1 left MKT at 10:00:00.000, half a millisecond before the window opens.
    const later = await store.staysAtHosts([
      { id: 'MKT', from: t('2022-08-01T10:00:00+08:00') + 0.5, to: Infinity },
    ]);
    expect(later.map((s) => s.subjectId)).toEqual(['P3', 'P4']);
    expect(await store.samplesOf(['P1'], t('2022-08-02T10:00:00+08:00') - 0.5)).toHaveLength(1);
    expect(await store.listCases(Infinity)).toHaveLength(2);
  });

  test('listCases(asOf) uses onset when there is no confirmation date', async () => {
    await store.write(smallDistrict());
    await store.write({
      cases: [{ personId: 'P2', classification: 'confirmed', onset: t('2022-08-02'), confirmedAt: null }],
    });
    expect((await store.listCases(t('2022-08-02T00:00:00+08:00'))).map((c) => c.personId)).toEqual(['P2']);
    expect((await store.listCases(t('2022-08-03T00:00:00+08:00'))).map((c) => c.personId)).toEqual([
      'P1',
      'P2',
    ]);
  });
});

describe('neo4j store failures', () => {
  test('an unreachable server makes ping() and migrate() reject quickly, naming the URI', async () => {
    const port = await freePort();
    const uri = `bolt://127.0.0.1:${port}`;
    const store = await openNeo4jStore({ uri, user: 'neo4j', password: 'whatever', database: 'neo4j' });
    try {
      const started = Date.now();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toThrow(`Neo4j at ${uri} could not be reached: `);
      await expect(store.migrate()).rejects.toThrow(
        new RegExp(`^Neo4j at ${uri} could not be reached: .*ECONNREFUSED`),
      );
      // Checked once without the driver's retry loop: no waiting for a server that was never up.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await store.close();
    }
  });

  test('a wrong password is reported as refused credentials', async () => {
    const { uri, user } = neo4jTestConfig();
    const store = await openNeo4jStore({ uri, user, password: 'not-the-password', database: 'neo4j' });
    try {
      const failure = store.ping();
      await expect(failure).rejects.toBeInstanceOf(CredentialsRefusedError);
      await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(failure).rejects.toThrow(`Neo4j at ${uri} refused the credentials of user "${user}"`);
    } finally {
      await store.close();
    }
  });
});
