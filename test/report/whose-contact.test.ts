/**
 * Whose contact each person is, in the JSON report (whole and streamed) and the CSV quarantine
 * list: `closeContactOf` names only the cases and sources whose exposures make the person a close
 * contact (not one they were merely venue-exposed to), `closeContactsMet` the close contacts
 * through whom a contact of a close contact is one. On test/report/whose-contact-fixture.ts.
 */
import { parse } from 'csv-parse/sync';
import { analyseOutbreak, type Analysis } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { toLazyReport, toReport } from '../../src/analysis/report';
import { resolveParameters } from '../../src/domain/parameters';
import { renderQuarantineCsv, streamQuarantineCsv } from '../../src/report/csv';
import { renderJson, streamJsonReport } from '../../src/report/json';
import type { TextSink } from '../../src/report/stream';
import { embeddedStoreWith, type TempStore } from '../store/temp-store';
import { whoseContactOutbreak } from './whose-contact-fixture';

let temp: TempStore;
let analysis: Analysis;

beforeAll(async () => {
  temp = await embeddedStoreWith(whoseContactOutbreak(), 'tracegraph-whose-contact-');
  analysis = await analyseOutbreak(temp.store, resolveParameters(), {
    asOf: await latestCaseAsOf(temp.store),
  });
});
afterAll(() => temp.dispose());

/** Per person: tier, closeContactOf, closeContactsMet. */
const EXPECTED = {
  X: ['close_contact', ['A'], []],
  Z: ['close_contact', ['A', 'B'], []],
  C: ['close_contact', ['B'], []],
  W: ['close_contact', ['L1'], []],
  Y: ['contact_of_close_contact', [], ['C']],
  V: ['venue_exposed', [], []],
};

async function streamed(write: (sink: TextSink) => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  await write({ write: (chunk) => Promise.resolve(void chunks.push(chunk)) });
  return chunks.join('');
}

describe('whose contact a person is', () => {
  test('the whole report: the cases and sources of the close-contact tier, the close contacts met', () => {
    const contacts = toReport(analysis).contacts;
    expect(
      Object.fromEntries(contacts.map((c) => [c.personId, [c.tier, c.closeContactOf, c.closeContactsMet]])),
    ).toEqual(EXPECTED);
    // X's evidence names B (the market), yet B does not make X a close contact.
    const x = contacts.find((c) => c.personId === 'X')!;
    expect(x.evidence.map((e) => [e.sourceId, e.setting])).toEqual([
      ['A', 'household'],
      ['B', 'place:market'],
    ]);
  });

  test('the streamed JSON writes the same fields as the whole report, in the same bytes', async () => {
    for (const pretty of [false, true]) {
      const text = await streamed((sink) => streamJsonReport(toLazyReport(analysis), sink, { pretty }));
      expect(text).toBe(renderJson(toReport(analysis), { pretty }));
      const written = JSON.parse(text) as { contacts: Record<string, unknown>[] };
      expect(
        Object.fromEntries(
          written.contacts.map((c) => [c.personId, [c.tier, c.closeContactOf, c.closeContactsMet]]),
        ),
      ).toEqual(EXPECTED);
    }
  });

  test('the CSV quarantine list: close_contact_of, ids joined by ";", whole and streamed', async () => {
    const csv = renderQuarantineCsv(toReport(analysis));
    expect(await streamed((sink) => streamQuarantineCsv(toLazyReport(analysis), sink))).toBe(csv);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.fromEntries(rows.map((r) => [r.person_id, r.close_contact_of]))).toEqual({
      X: 'A',
      Z: 'A;B',
      C: 'B',
      W: 'L1',
      Y: '',
      V: '',
    });
    expect(Object.keys(rows[0]!).slice(-3)).toEqual(['pcr_dates', 'close_contact_of', 'reasons']);
  });
});
