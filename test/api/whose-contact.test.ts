/**
 * Whose contact each person is, on their quarantine entry (`closeContactOf`, `closeContactsMet`),
 * as the JSON report and the CSV give it (test/report/whose-contact.test.ts); and the sources,
 * paged by `after` a source's `cursor`. On test/report/whose-contact-fixture.ts, executed directly.
 */
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { analyseOutbreak } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import { AuditLog } from '../../src/api/audit-log';
import { createContext, type ApiContext } from '../../src/api/context.type';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService } from '../../src/api/services/analysis.service';
import { resolveParameters } from '../../src/domain/parameters';
import { whoseContactOutbreak } from '../report/whose-contact-fixture';
import { embeddedStoreWith, run, type Json, type TempStore } from './helpers';

const schema = buildApiSchema();
let temp: TempStore;
let context: () => ApiContext;

beforeAll(async () => {
  temp = await embeddedStoreWith(whoseContactOutbreak(), 'tracegraph-api-whose-contact-');
  const service = new AnalysisService(temp.store);
  context = () =>
    createContext({
      store: temp.store,
      viewer: { keyId: 'key-investigator', role: 'investigator' },
      audit: new AuditLog(),
      analysis: service,
    });
});
afterAll(() => temp.dispose());

async function data(source: string, variables?: Record<string, unknown>): Promise<Json> {
  const result = await run(schema, context(), source, variables);
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('QuarantineEntry: whose contact the person is', () => {
  test('the cases and sources of the close-contact tier; the close contacts a contact of one met', async () => {
    const result = await data(`{
      quarantinePriority(first: 50) { edges { node { person { id } tier closeContactOf closeContactsMet } } }
      case(personId: "B") { contacts { edges { node { person { id } tier quarantine { closeContactOf } } } } }
    }`);
    const byPerson = Object.fromEntries(
      result.quarantinePriority.edges.map(({ node }: Json) => [
        node.person.id,
        [node.tier, node.closeContactOf, node.closeContactsMet],
      ]),
    );
    expect(byPerson).toEqual({
      X: ['CLOSE_CONTACT', ['A'], []],
      Z: ['CLOSE_CONTACT', ['A', 'B'], []],
      C: ['CLOSE_CONTACT', ['B'], []],
      W: ['CLOSE_CONTACT', ['L1'], []],
      Y: ['CONTACT_OF_CLOSE_CONTACT', [], ['C']],
      V: ['VENUE_EXPOSED', [], []],
    });
    // B's contacts: X venue-exposed by B, a close contact of A alone.
    const ofB = Object.fromEntries(
      result.case.contacts.edges.map(({ node }: Json) => [
        node.person.id,
        [node.tier, node.quarantine.closeContactOf],
      ]),
    );
    expect(ofB.X).toEqual(['VENUE_EXPOSED', ['A']]);
    expect(ofB.C).toEqual(['CLOSE_CONTACT', ['B']]);
  });

  test('the same lists as the JSON report of the same analysis', async () => {
    const analysis = await analyseOutbreak(temp.store, resolveParameters(), {
      asOf: await latestCaseAsOf(temp.store),
    });
    const result = await data(
      '{ quarantinePriority(first: 50) { edges { node { person { id } closeContactOf closeContactsMet } } } }',
    );
    expect(
      result.quarantinePriority.edges.map(({ node }: Json) => [
        node.person.id,
        node.closeContactOf,
        node.closeContactsMet,
      ]),
    ).toEqual(toReport(analysis).contacts.map((c) => [c.personId, c.closeContactOf, c.closeContactsMet]));
  });
});

describe('sources, paged by after', () => {
  const SOURCES =
    'query ($first: Int, $after: String) { sources(first: $first, after: $after) { id score cursor } }';

  test('each page goes on after the cursor of the last source of the one before', async () => {
    const all: Json[] = (await data(SOURCES, { first: 100 })).sources;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const paged: Json[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Json[] = (await data(SOURCES, { first: 2, after })).sources;
      paged.push(...page);
      if (page.length < 2) break;
      after = page[1].cursor;
    }
    expect(paged).toEqual(all);
    // After the last source: none.
    expect((await data(SOURCES, { first: 2, after: all.at(-1).cursor })).sources).toEqual([]);
    // Without after, as before.
    expect((await data('{ sources(first: 2) { id } }')).sources).toEqual(
      all.slice(0, 2).map((s) => ({ id: s.id })),
    );
  });

  test('a cursor that is not one of a source: BAD_USER_INPUT at after', async () => {
    for (const after of ['nonsense', Buffer.from('["P1", 2]').toString('base64url')]) {
      const result = await run(schema, context(), SOURCES, { after });
      expect(result.data).toEqual({ sources: null });
      expect(result.errors?.map((e) => [e.extensions?.code, e.message, e.extensions?.problems])).toEqual([
        [
          'BAD_USER_INPUT',
          'after: is not a cursor of this list',
          [{ path: 'after', reason: 'is not a cursor of this list' }],
        ],
      ]);
    }
  });
});
