import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyseOutbreak, type Analysis } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { maskName } from '../../src/domain/masking';
import { resolveParameters } from '../../src/domain/parameters';
import { stayLabel, toReport } from '../../src/analysis/report';
import type { AnalysisReport, ContactReport } from '../../src/analysis/report-model';
import { importBundle } from '../../src/import/import';
import { openEmbeddedStore } from '../../src/store/embedded';
import { maskReport } from '../../src/report/mask';
import { prepareReport, selectCases } from '../../src/report/select';
import { chainTree, contactsOfCase, settingCategory, settingLabel } from '../../src/report/view';
import { analysisReportFixture } from './fixtures';
import { namedOutbreakReport } from './named-outbreak';

/** A venue-exposed contact whose only exposure was at contaminated place `placeId`. */
function exposedOnlyAt(personId: string, placeId: string, priority: number): ContactReport {
  const [start, end] = ['2022-08-02T09:00:00+08:00', '2022-08-02T10:00:00+08:00'];
  return {
    personId,
    tier: 'venue_exposed',
    closeContactOf: [],
    closeContactsMet: [],
    probability: 0.01,
    score: 0.01,
    priority,
    reasons: `at contaminated place ${placeId} for 1 h`,
    evidence: [
      {
        sourceId: placeId,
        sourceKind: 'place',
        setting: 'place:market',
        hostId: placeId,
        start,
        end,
        minutes: 60,
      },
    ],
    assignedSiteId: null,
    placement: 'monitoring',
    lastExposure: end,
    releaseOn: null,
    homeMonitoringUntil: null,
    pcrDates: [],
  };
}

describe('selectCases', () => {
  it('returns the report unchanged without case ids or with an empty list', () => {
    const report = analysisReportFixture();
    expect(selectCases(report).report).toBe(report);
    expect(selectCases(report, []).report).toBe(report);
    expect(selectCases(report, []).problems).toEqual([]);
  });

  it('keeps the asked cases in the order asked, whole chains, and reports unknown ids once each', () => {
    const { report, problems } = selectCases(analysisReportFixture(), [
      'P08',
      'P999',
      'P07',
      ' P08 ',
      'P999',
    ]);
    expect(report.cases.map((c) => c.personId)).toEqual(['P08', 'P07']);
    expect(report.chains.map((c) => c.id)).toEqual(['C2']);
    expect(report.chains[0]!.caseIds).toEqual(['P07', 'P08']);
    expect(problems).toEqual(['unknown case id "P999": not a case in this report (as of 2022-08-10 20:00)']);
  });

  it('keeps the contacts, sources, risk areas, clusters and spreaders that hang off the cases', () => {
    const { report } = selectCases(analysisReportFixture(), ['P01']);
    // K01 was exposed to P01; K04 to K01 (a contact of a close contact).
    expect(report.contacts.map((c) => c.personId)).toEqual(['K01', 'K04']);
    expect(report.sources.map((s) => s.id)).toEqual(['B01', 'M01']);
    // The areas P01 made: home H01 and fishing port FP01. Market M01, a likely source of chain
    // C1, is an area that P02 and P09 made.
    expect(report.riskAreas.map((a) => a.placeId)).toEqual(['H01', 'FP01']);
    // K-1 has P01; E-2 has no case, but K01 and K04, contacts kept.
    expect(report.clusters.map((k) => k.id)).toEqual(['K-1', 'E-2']);
    expect(report.superspreaders.map((s) => s.personId)).toEqual(['P01']);
    // The district-wide parts stay.
    expect(report.summary.cases).toBe(9);
    expect(report.epiCurve).toHaveLength(10);
    expect(report.quarantineSites.map((q) => q.id)).toEqual(['QS01', 'QS02']);
  });

  it('keeps only the entity labels the narrowed report mentions', () => {
    const { report } = selectCases(analysisReportFixture(), ['P07']);
    expect(Object.keys(report.entities).sort()).toEqual(
      ['CS01', 'K03', 'L01', 'P07', 'P08', 'QS01', 'QS02'].sort(),
    );
  });

  it('selects contacts exposed to the lot that infected a selected case', () => {
    const fixture = analysisReportFixture();
    fixture.contacts[0]!.evidence[0]!.sourceId = 'L01';
    fixture.contacts[0]!.evidence[0]!.sourceKind = 'item';
    const { report } = selectCases(fixture, ['P07']);
    expect(report.contacts.map((c) => c.personId)).toEqual(['K05', 'K03']);
  });

  it('keeps the contacts exposed at a likely source of the chains of the asked cases, infector or not', () => {
    const fixture = analysisReportFixture();
    // Market M01 is a likely source of chains C1 and C3, and infected none of their cases.
    fixture.contacts.push(exposedOnlyAt('K07', 'M01', 7));
    expect(fixture.cases.some((c) => c.infector?.id === 'M01')).toBe(false);
    const kept = (caseIds: string[]) => selectCases(fixture, caseIds).report.contacts.map((c) => c.personId);
    expect(kept(['P03'])).toContain('K07');
    expect(kept(['P09'])).toContain('K07');
    expect(kept(['P07'])).not.toContain('K07');
  });

  it('keeps every contact when every case is asked, as without a selection', () => {
    const fixture = analysisReportFixture();
    // Cold storage CS01 is no chain's likely source and no case's infector.
    fixture.contacts.push(exposedOnlyAt('K07', 'M01', 7), exposedOnlyAt('K08', 'CS01', 8));
    const everyCase = fixture.cases.map((c) => c.personId).reverse();
    expect(selectCases(fixture, everyCase).report.contacts).toEqual(fixture.contacts);
    // Not every case: nothing asked for accounts for K08.
    const allButOne = selectCases(fixture, everyCase.slice(1)).report.contacts.map((c) => c.personId);
    expect(allButOne).toContain('K07');
    expect(allButOne).not.toContain('K08');
  });

  it('keeps every risk area, and every cluster with a case or a contact, when every case is asked', () => {
    const fixture = analysisReportFixture();
    const { report } = selectCases(
      fixture,
      fixture.cases.map((c) => c.personId),
    );
    expect(report.riskAreas).toEqual(fixture.riskAreas);
    // E-2 has contacts and no case; E-3 neither.
    expect(report.clusters.map((k) => k.id)).toEqual(['K-1', 'K-2', 'E-1', 'E-2']);
  });

  it('keeps the risk areas the asked cases made, and the clusters with one of them or a kept contact', () => {
    const kept = (caseIds: string[]) => {
      const { report } = selectCases(analysisReportFixture(), caseIds);
      return [report.riskAreas.map((a) => a.placeId), report.clusters.map((k) => k.id)];
    };
    expect(kept(['P07'])).toEqual([['CS01'], ['K-2']]);
    // P09's contact K06 is in no cluster; P09 is in E-1.
    expect(kept(['P09'])).toEqual([['M01'], ['E-1']]);
    // Lowered to low, still the area P04 and P06 made.
    expect(kept(['P06'])).toEqual([['R01'], ['K-1']]);
    expect(kept(['P09', 'P07'])).toEqual([
      ['CS01', 'M01'],
      ['K-2', 'E-1'],
    ]);
  });

  it('of an analysed outbreak, keeps with every case the contact exposed only at a contaminated place', () => {
    const report = namedOutbreakReport();
    const p7 = report.contacts.find((c) => c.personId === 'P7')!;
    expect(p7.evidence.map((e) => [e.sourceKind, e.sourceId])).toEqual([['place', 'CS']]);
    expect(selectCases(report, ['C2', 'C1']).report.contacts).toEqual(report.contacts);
    expect(
      selectCases(report, ['C1'])
        .report.contacts.map((c) => c.personId)
        .sort(),
    ).toEqual(['P2', 'P3', 'P5']);
  });

  it('merges the caller problems with those of the selection, without repeats', () => {
    const prepared = prepareReport(analysisReportFixture(), {
      caseIds: ['X1'],
      problems: ['bundle is 2 days old', 'bundle is 2 days old'],
    });
    expect(prepared.problems).toEqual([
      'bundle is 2 days old',
      'unknown case id "X1": not a case in this report (as of 2022-08-10 20:00)',
    ]);
    expect(prepared.shown.cases).toEqual([]);
    expect(prepared.selected).toEqual(new Set());
  });
});

describe('selectCases on the demo district (seeds/demo)', () => {
  let analysis: Analysis;
  let report: AnalysisReport;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tracegraph-select-demo-'));
  beforeAll(async () => {
    const store = await openEmbeddedStore(dataDir);
    try {
      await store.migrate();
      await importBundle(store, path.resolve(__dirname, '../../seeds/demo'));
      analysis = await analyseOutbreak(store, resolveParameters(), { asOf: await latestCaseAsOf(store) });
    } finally {
      await store.close();
    }
    report = toReport(analysis);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The risk areas a case made, as src/analysis/risk-areas.ts found them. */
  const areasMadeBy = (caseId: string) =>
    analysis.riskAreas.filter((a) => a.caseIds.includes(caseId)).map((a) => a.placeId);
  const contactIds = () => new Set(report.contacts.map((c) => c.personId));

  it('keeps every risk area, the villages of the cases’ homes too, and every cluster, with every case', () => {
    const { report: all } = selectCases(
      report,
      report.cases.map((c) => c.personId),
    );
    // Villages and communities that cases live near (V001 to V005): no case's home, nor a stay.
    const villages = report.riskAreas.filter((a) =>
      ['village', 'community'].includes(report.entities[a.placeId]?.detail ?? ''),
    );
    expect(villages.length).toBeGreaterThanOrEqual(5);
    expect(all.riskAreas).toEqual(report.riskAreas);
    // Each cluster has a case or a contact: communities of contacts alone (at the fishing port,
    // the cold storage) too.
    const contacts = contactIds();
    expect(report.clusters.every((k) => k.caseCount > 0 || k.memberIds.some((id) => contacts.has(id)))).toBe(
      true,
    );
    expect(report.clusters.some((k) => k.caseCount === 0)).toBe(true);
    expect(all.clusters).toEqual(report.clusters);
  });

  it('keeps, of one case, the risk areas it made (its village, not its home) and the clusters it or its contacts are in', () => {
    const caseId = 'P0000298';
    const homeId = report.entities[caseId]!.homeId!;
    const { report: one } = selectCases(report, [caseId]);
    expect(one.riskAreas.map((a) => a.placeId)).toEqual(areasMadeBy(caseId));
    // Its home is in community V003: the area is the community, not the home.
    expect(one.riskAreas.map((a) => a.placeId)).toContain('V003');
    expect(report.entities.V003!.detail).toBe('community');
    expect(homeId).not.toBe('V003');
    expect(report.riskAreas.map((a) => a.placeId)).not.toContain(homeId);

    const kept = new Set(one.contacts.map((c) => c.personId));
    const expected = report.clusters.filter((k) => k.memberIds.some((id) => id === caseId || kept.has(id)));
    expect(one.clusters).toEqual(expected);
    const itsOwn = report.clusters.filter((k) => k.memberIds.includes(caseId));
    expect(itsOwn.length).toBeGreaterThan(0);
    expect(one.clusters).toEqual(expect.arrayContaining(itsOwn));
    // A community of its contacts alone, with no case.
    expect(one.clusters.some((k) => k.caseCount === 0)).toBe(true);
  });
});

describe('maskReport', () => {
  it('masks names and phones of persons, leaves places and the original alone', () => {
    const original = analysisReportFixture();
    const masked = maskReport(original);
    expect(masked.entities.P01).toMatchObject({ name: '陈*', phone: '138****1111', age: 45 });
    expect(masked.entities.K05).toMatchObject({ name: 'Z********', phone: null });
    expect(masked.entities.K06!.phone).toBe('861******3333');
    expect(masked.entities.M01).toBe(original.entities.M01);
    expect(original.entities.P01!.name).toBe('陈伟');
  });

  it('masks the name of a home, in its label and in the stays at it, and no other place', () => {
    const fixture = analysisReportFixture();
    const home = fixture.entities.H01!;
    const [at, end] = ['2022-07-31T20:00:00+08:00', '2022-08-01T07:30:00+08:00'];
    fixture.cases[0]!.timeline.push({
      at,
      end,
      kind: 'stay',
      hostId: 'H01',
      label: stayLabel(home, 'H01', Date.parse(at), Date.parse(end)),
    });
    const masked = maskReport(fixture);
    expect(masked.entities.H01).toEqual({ ...home, name: maskName(home.name) });
    expect(masked.cases[0]!.timeline.at(-1)!.label).toBe(`at ${maskName(home.name)} (home) for 11 h 30 min`);
    expect(JSON.stringify(masked)).not.toContain(home.name);
    for (const id of ['CS01', 'M01', 'FP01', 'R01', 'W01', 'QS01', 'B01', 'L01'])
      expect(masked.entities[id]).toBe(fixture.entities[id]);
    expect(fixture.cases[0]!.timeline.at(-1)!.label).toContain(home.name);
  });

  it('leaves the texts as they are: they name persons by id, and a name may be a place’s too', () => {
    const fixture = analysisReportFixture();
    // A person named like the market, whose name the timelines give.
    fixture.entities.K05!.name = 'Yazhou market';
    const masked = maskReport(fixture);
    expect(masked.entities.K05!.name).toBe(maskName('Yazhou market'));
    expect(masked.cases[1]!.timeline[1]!.label).toBe('at Yazhou market (market) 1 h 30 min');
    const { entities: _entities, ...texts } = masked;
    const { entities: _original, ...originalTexts } = fixture;
    expect(texts).toEqual(originalTexts);
    expect(masked.contacts).toBe(fixture.contacts);
  });
});
describe('view helpers', () => {
  it('names settings and their families', () => {
    expect(settingCategory('place:market')).toBe('place');
    expect(settingCategory('contact:social')).toBe('contact');
    // Drawn and named as household, as the Markdown says "via household contact".
    expect(settingCategory('contact:household')).toBe('household');
    expect(settingCategory('household')).toBe('household');
    expect(settingCategory('cold_chain')).toBe('cold_chain');
    expect(settingCategory('ferry')).toBe('other');
    expect(settingCategory(null)).toBe('none');
    expect(settingLabel('place:cold_storage')).toBe('cold storage');
    expect(settingLabel('contact:work')).toBe('work contact');
    expect(settingLabel(null)).toBe('unknown setting');
  });

  it('lists the contacts of a case by tier, contacts of its close contacts included', () => {
    const byTier = contactsOfCase(analysisReportFixture(), 'P01');
    expect(byTier.close_contact.map((c) => c.personId)).toEqual(['K01']);
    expect(byTier.contact_of_close_contact.map((c) => c.personId)).toEqual(['K04']);
    expect(byTier.venue_exposed).toEqual([]);
    expect(contactsOfCase(analysisReportFixture(), 'P02').venue_exposed.map((c) => c.personId)).toEqual([
      'K05',
    ]);
  });

  it('turns a chain into a tree from its root, and hangs an unlinked case from the top', () => {
    const report = analysisReportFixture();
    const ids = (nodes: ReturnType<typeof chainTree>): unknown =>
      nodes.map((n) => (n.children.length ? { [n.id]: ids(n.children) } : n.id));
    expect(ids(chainTree(report.chains[0]!))).toEqual([
      { B01: [{ P01: [{ P03: ['P05'] }] }, { P02: [{ P04: ['P06'] }] }] },
    ]);
    expect(ids(chainTree(report.chains[2]!))).toEqual([{ unknown: ['P09'] }]);
    const chain = { ...report.chains[1]!, caseIds: ['P07', 'P08', 'P10'] };
    expect(ids(chainTree(chain))).toEqual([{ L01: [{ P07: ['P08'] }] }, 'P10']);
  });
});
