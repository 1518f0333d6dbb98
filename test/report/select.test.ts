import fc from 'fast-check';
import { maskName } from '../../src/domain/masking';
import { maskReport, nameMasker } from '../../src/report/mask';
import { prepareReport, selectCases } from '../../src/report/select';
import { chainTree, contactsOfCase, settingCategory, settingLabel } from '../../src/report/view';
import { analysisReportFixture } from './fixtures';

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
    expect(problems).toEqual([
      'unknown case id "P999": not a case in this report (as of 2022-08-10T20:00:00+08:00)',
    ]);
  });

  it('keeps the contacts, sources, risk areas, clusters and spreaders that hang off the cases', () => {
    const { report } = selectCases(analysisReportFixture(), ['P01']);
    // K01 was exposed to P01; K04 to K01 (a contact of a close contact).
    expect(report.contacts.map((c) => c.personId)).toEqual(['K01', 'K04']);
    expect(report.sources.map((s) => s.id)).toEqual(['B01', 'M01']);
    // Home H01, fishing port FP01 from the timeline, market M01 as a likely source of chain C1.
    expect(report.riskAreas.map((a) => a.placeId)).toEqual(['H01', 'M01', 'FP01']);
    expect(report.clusters.map((k) => k.id)).toEqual(['K-1']);
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

  it('merges the caller problems with those of the selection, without repeats', () => {
    const prepared = prepareReport(analysisReportFixture(), {
      caseIds: ['X1'],
      problems: ['bundle is 2 days old', 'bundle is 2 days old'],
    });
    expect(prepared.problems).toEqual([
      'bundle is 2 days old',
      'unknown case id "X1": not a case in this report (as of 2022-08-10T20:00:00+08:00)',
    ]);
    expect(prepared.shown.cases).toEqual([]);
    expect(prepared.selected).toEqual(new Set());
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

  it('masks full names repeated in free text', () => {
    const fixture = analysisReportFixture();
    fixture.contacts[1]!.reasons = 'crew of B01 with 陈伟 for 8h; neighbour of 何海生';
    fixture.cases[2]!.candidates[0]!.evidence = 'same household as 陈伟';
    const masked = maskReport(fixture);
    expect(masked.contacts[1]!.reasons).toBe('crew of B01 with 陈* for 8h; neighbour of 何**');
    expect(masked.cases[2]!.candidates[0]!.evidence).toBe('same household as 陈*');
  });
});

describe('nameMasker', () => {
  /** At each place the longest name beginning there, else the character: name by name. */
  const reference = (masked: Map<string, string>, text: string): string => {
    let out = '';
    for (let at = 0; at < text.length;) {
      let longest = '';
      for (const name of masked.keys())
        if (text.startsWith(name, at) && name.length > longest.length) longest = name;
      out += longest ? masked.get(longest) : text[at];
      at += longest.length || 1;
    }
    return out;
  };

  it('masks at each place the longest name that begins there, names overlapping or not', () => {
    // Few characters, and names cut from the text itself (with a prefix of each), so that names
    // occur, overlap and begin one another.
    const unit = fc.constantFrom('陈', '伟', '何', '海', '生', 'a', ' ', '*');
    const cut = fc.record({ from: fc.nat(40), length: fc.integer({ min: 2, max: 4 }) });
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 2, maxLength: 40 }),
        fc.array(cut, { maxLength: 6 }),
        (units, cuts) => {
          const text = units.join('');
          const names = new Set<string>();
          for (const { from, length } of cuts) {
            const name = text.slice(from % text.length, (from % text.length) + length);
            if (name.length < 2) continue;
            names.add(name);
            names.add(name.slice(0, 2));
          }
          const masked = new Map([...names].map((n) => [n, maskName(n)!]));
          expect(nameMasker(masked)(text)).toBe(reference(masked, text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives back the very text when it names nobody, and masks a name at either end', () => {
    const mask = nameMasker(
      new Map([
        ['陈伟', '陈*'],
        ['何海生', '何**'],
      ]),
    );
    const text = 'crew of B01 for 8h';
    expect(mask(text)).toBe(text);
    expect(mask('陈伟 and 何海生')).toBe('陈* and 何**');
    expect(nameMasker(new Map())('陈伟')).toBe('陈伟');
  });
});

describe('view helpers', () => {
  it('names settings and their families', () => {
    expect(settingCategory('place:market')).toBe('place');
    expect(settingCategory('contact:social')).toBe('contact');
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
