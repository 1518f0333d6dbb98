/** Who may do what: UNAUTHENTICATED without a key, FORBIDDEN by role, masking for cdc, the audit log. */
import { AuditLog } from '../../src/api/audit-log';
import { buildApiSchema } from '../../src/api/schema';
import { codes, contextFor, districtStore, run, type Json, type TempStore } from './helpers';

const schema = buildApiSchema();
let temp: TempStore;
beforeAll(async () => {
  temp = await districtStore();
});
afterAll(async () => {
  await temp.dispose();
});

describe('authentication and roles', () => {
  test('without a key every root field is UNAUTHENTICATED', async () => {
    const result = await run(
      schema,
      contextFor(temp.store, null),
      '{ person(id: "P1") { id } stats { persons } }',
    );
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  test('cdc sees personal data masked, and masked reads are not audited', async () => {
    const audit = new AuditLog();
    const result = await run(
      schema,
      contextFor(temp.store, 'cdc', audit),
      '{ persons(ids: ["P1", "P3", "P4"]) { id name phone idNumber age home { id } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      persons: [
        {
          id: 'P1',
          name: '陈**',
          phone: '138****1111',
          idNumber: '460200********1234',
          age: 45,
          home: { id: 'H1' },
        },
        { id: 'P3', name: 'L*****', phone: '139****3333', idNumber: null, age: 30, home: { id: 'H2' } },
        { id: 'P4', name: null, phone: null, idNumber: null, age: null, home: null },
      ],
    });
    expect(audit.size).toBe(0);
  });

  test('cdc may not search by personal data, write, or read the audit log', async () => {
    const ctx = contextFor(temp.store, 'cdc');
    const search = await run(schema, ctx, '{ searchPersons(text: "138") { id } }');
    expect(codes(search)).toEqual(['FORBIDDEN']);
    expect(search.errors?.[0]?.message).toBe('The cdc role may not use the query searchPersons.');

    const before = await temp.store.counts();
    const write = await run(
      schema,
      ctx,
      'mutation { upsertPersons(persons: [{ id: "P9", name: "Wang" }]) { id } }',
    );
    expect(codes(write)).toEqual(['FORBIDDEN']);
    expect(write.errors?.[0]?.message).toBe('The cdc role may not use the mutation upsertPersons.');
    expect(await temp.store.counts()).toEqual(before);

    const log = await run(schema, ctx, '{ auditLog { totalCount } }');
    expect(codes(log)).toEqual(['FORBIDDEN']);
  });

  test('investigators may not read the audit log', async () => {
    const result = await run(schema, contextFor(temp.store, 'investigator'), '{ auditLog { totalCount } }');
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });

  test('unmasked reads are audited per operation (key id, role, persons, fields), never empty values', async () => {
    const audit = new AuditLog();
    const investigator = contextFor(temp.store, 'investigator', audit);
    await run(schema, investigator, 'query Names { persons(ids: ["P2", "P1", "P4"]) { id name phone } }');
    await run(schema, investigator, 'query Ages { person(id: "P3") { age occupation } }');
    await run(schema, investigator, 'query Ids { person(id: "P1") { idNumber } }');
    // A search reveals that the matching field holds the text, even when only ids are selected.
    await run(schema, investigator, 'query Find { searchPersons(text: "0000333") { id } }');
    expect(audit.page(10).entries).toEqual([
      {
        seq: 3,
        at: 0,
        keyId: 'key-investigator',
        role: 'investigator',
        operationName: 'Find',
        personIds: ['P3'],
        placeIds: [],
        fields: ['phone'],
      },
      {
        seq: 2,
        at: 0,
        keyId: 'key-investigator',
        role: 'investigator',
        operationName: 'Ids',
        personIds: ['P1'],
        placeIds: [],
        fields: ['idNumber'],
      },
      {
        seq: 1,
        at: 0,
        keyId: 'key-investigator',
        role: 'investigator',
        operationName: 'Names',
        personIds: ['P1', 'P2'],
        placeIds: [],
        fields: ['name', 'phone'],
      },
    ]);

    const admin = contextFor(temp.store, 'admin', audit);
    const query = `query Audit($after: String) {
      auditLog(first: 1, after: $after) {
        totalCount
        edges { node { seq keyId role operationName personIds fields } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await run(schema, admin, query);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Json).auditLog;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: Json) => e.node)).toEqual([
      {
        seq: 3,
        keyId: 'key-investigator',
        role: 'INVESTIGATOR',
        operationName: 'Find',
        personIds: ['P3'],
        fields: ['phone'],
      },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await run(schema, admin, query, { after: page1.pageInfo.endCursor });
    const page2 = (second.data as Json).auditLog;
    expect(page2.edges.map((e: Json) => e.node.seq)).toEqual([2]);
    expect(page2.pageInfo.hasNextPage).toBe(true);
  });
});
