/**
 * `/chains/data.json?caseIds=` on a real store whose case ids hold commas and quotes (ids are any
 * text): each value is read as the CLI reads `--cases`, one CSV record, so such an id is given in
 * double quotes; the parameter may be repeated; a value that is not one record is refused by name.
 *
 * The outbreak is test/api/outbreak-fixture.ts (one chain A -> B -> C) with A's id `A,1` and C's
 * `C "x", ward 3`, and a case Z of its own chain (no recorded exposure).
 */
import type { RecordBatch } from '../../src/domain/types';
import { AuditLog } from '../../src/api/audit-log';
import { ChainViewRoutes } from '../../src/api/chain-view';
import { AnalysisService } from '../../src/api/services/analysis.service';
import type { ChainViewData } from '../../src/report/chain-view';
import { t } from '../store/fixtures';
import { embeddedStoreWith, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

const A = 'A,1';
const C = 'C "x", ward 3';

function outbreak(): Required<RecordBatch> {
  const batch = threeCaseOutbreak();
  const id = (old: string) => (old === 'A' ? A : old === 'C' ? C : old);
  return {
    ...batch,
    persons: [
      ...batch.persons.map((p) => ({ ...p, id: id(p.id) })),
      {
        id: 'Z',
        name: '符小云',
        sex: 'F',
        age: 61,
        phone: null,
        idNumber: null,
        homeId: null,
        occupation: null,
      },
    ],
    stays: batch.stays.map((s) => ({ ...s, subjectId: id(s.subjectId) })),
    samples: batch.samples.map((s) => ({ ...s, subjectId: id(s.subjectId) })),
    cases: [
      ...batch.cases.map((c) => ({ ...c, personId: id(c.personId) })),
      {
        personId: 'Z',
        classification: 'confirmed',
        onset: t('2022-08-05'),
        confirmedAt: t('2022-08-06T20:00:00+08:00'),
      },
    ],
  };
}

let temp: TempStore;
let routes: ChainViewRoutes;

beforeAll(async () => {
  temp = await embeddedStoreWith(outbreak(), 'tracegraph-api-chain-view-');
  routes = new ChainViewRoutes(new AnalysisService(temp.store), new AuditLog());
});
afterAll(() => temp.dispose());

/** The data for a cdc key from a query string as a browser sends it (percent-encoded). */
async function get(query: string): Promise<{ status: number; body: Json }> {
  const response = await routes.data({ keyId: 'key-cdc', role: 'cdc' }, new URLSearchParams(query), 0);
  return { status: response.status, body: JSON.parse(String(response.body)) };
}

const casesOf = (data: ChainViewData) =>
  data.nodes
    .filter((n) => n.kind === 'case')
    .map((n) => n.id)
    .sort();

describe('/chains/data.json?caseIds=', () => {
  test('an id with a comma, in double quotes, selects its case and only its chain', async () => {
    const all = await get('');
    expect(all.status).toBe(200);
    expect(casesOf(all.body)).toEqual([A, 'B', C, 'Z'].sort());
    const quoted = await get(`caseIds=${encodeURIComponent(`"${A}"`)}`);
    expect(quoted.status).toBe(200);
    expect(casesOf(quoted.body)).toEqual([A, 'B', C].sort());
    expect(quoted.body.chains).toHaveLength(1);
    // Unquoted, the comma separates ids, as in --cases: the unknown ones are named.
    const unquoted = await get(`caseIds=${encodeURIComponent(A)}`);
    expect([unquoted.status, unquoted.body.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(unquoted.body.errors[0].message).toMatch(/^caseIds: "A", "1" are not cases as of /);
  });

  test('an id with a comma and doubled quotes, next to another id, as in a CSV record', async () => {
    const csv = `"${C.replace(/"/g, '""')}", Z`;
    const both = await get(`caseIds=${encodeURIComponent(csv)}`);
    expect(both.status).toBe(200);
    expect(casesOf(both.body)).toEqual([A, 'B', C, 'Z'].sort());
    const onlyZ = await get('caseIds=Z');
    expect(casesOf(onlyZ.body)).toEqual(['Z']);
  });

  test('caseIds may be repeated, each value a record of its own', async () => {
    const repeated = await get(`caseIds=${encodeURIComponent(`"${A}"`)}&caseIds=Z`);
    expect(repeated.status).toBe(200);
    expect(casesOf(repeated.body)).toEqual([A, 'B', C, 'Z'].sort());
  });

  test('a value that is not one CSV record is refused, naming caseIds', async () => {
    const open = await get(`caseIds=${encodeURIComponent('"A,1')}`);
    expect([open.status, open.body.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(open.body.errors[0].message).toMatch(/^caseIds: Quote Not Closed/);
    const twoLines = await get(`caseIds=${encodeURIComponent('B\nZ')}`);
    expect([twoLines.status, twoLines.body.errors[0].message]).toEqual([
      400,
      'caseIds: one line of ids, separated by commas',
    ]);
  });
});
