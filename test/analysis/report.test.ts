import seedrandom from 'seedrandom';
import { ANALYSIS_PHASES, analyseData, analyseDataInParallel } from '../../src/analysis/analyse';
import * as networkInWorker from '../../src/analysis/network-in-worker';
import type { PendingMeasures } from '../../src/analysis/network-in-worker';
import {
  collectContacts,
  instantFormatter,
  restayLabel,
  stayLabel,
  toLazyReport,
  toReport,
} from '../../src/analysis/report';
import { resolveParameters } from '../../src/domain/parameters';
import { DAY, formatDate, formatInstant } from '../../src/domain/time';
import { streamJsonReport } from '../../src/report/json';
import { TIERS_BY_SOURCE } from '../../src/analysis/report-model';
import type { Case } from '../../src/domain/types';
import { aug, item, outbreak, person, place, positive, stay, twoCaseOutbreak } from './outbreak-fixtures';

const params = resolveParameters();

/** Two cases, a household, a workplace, a market, a gym before it all, and a quarantine site with beds. */
function analysis() {
  const data = outbreakData();
  return analyseData(data, params, { asOf: data.asOf });
}

function outbreakData() {
  const shared = twoCaseOutbreak();
  const data = outbreak({
    ...shared,
    persons: [
      { ...person('C1', 'H1'), name: '何文', phone: '13800001234' },
      person('P2', 'H1'),
      person('C2'),
      person('P3', 'H3'),
      person('P4', 'H3'),
      person('P5'),
      person('P6'),
    ],
    places: [
      place('H1', 'home'),
      place('H3', 'home'),
      place('W1', 'workplace', { name: 'Net shed' }),
      place('MKT', 'market', { name: 'Baogang market' }),
      place('Q1', 'quarantine_site', { capacity: 3 }),
      // Where C1 was before becoming infectious: a likely source that no contact names.
      place('GYM', 'gym'),
    ],
    stays: [stay('C1', 'GYM', aug(1, '09:00'), aug(1, '10:00')), ...shared.stays],
  });
  return data;
}

describe('analyseData', () => {
  test('tells onPhase each phase after the load once, in order, with its seconds', () => {
    const told: [string, number][] = [];
    const data = analysis().data;
    analyseData(data, params, { asOf: data.asOf, onPhase: (phase, seconds) => told.push([phase, seconds]) });
    // No waits: the network is measured and the infectors inferred in this thread.
    expect(told.map(([phase]) => phase)).toEqual(
      ANALYSIS_PHASES.filter(
        (phase) =>
          phase !== 'load' &&
          phase !== 'load garbage' &&
          phase !== 'analysis garbage' &&
          phase !== 'network wait' &&
          phase !== 'infectors wait',
      ),
    );
    for (const [, seconds] of told) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  test('with the contact network measured and the infectors inferred in workers, the analysis is the same', async () => {
    const data = outbreakData();
    const told: string[] = [];
    const inWorker = await analyseDataInParallel(data, params, {
      asOf: data.asOf,
      networkWorker: true,
      infectorWorker: true,
      onPhase: (phase) => told.push(phase),
    });
    expect(told).toEqual(
      ANALYSIS_PHASES.filter(
        (phase) => phase !== 'load' && phase !== 'load garbage' && phase !== 'analysis garbage',
      ),
    );
    const here = analyseData(data, params, { asOf: data.asOf });
    expect(inWorker).toEqual(here);
    // Centrality and communities came from the network: not all zero, not none.
    expect(inWorker.quarantine.entries.some((e) => e.centrality > 0)).toBe(true);
    expect(inWorker.clusters.some((c) => c.kind === 'exposure_community')).toBe(true);
    // 'auto' keeps a network this small in this thread.
    const auto: string[] = [];
    await analyseDataInParallel(data, params, { asOf: data.asOf, onPhase: (phase) => auto.push(phase) });
    expect(auto).not.toContain('network wait');
    expect(auto).not.toContain('infectors wait');
    // Each worker on its own: the same analysis again.
    for (const [networkWorker, infectorWorker] of [
      [true, false],
      [false, true],
    ]) {
      const one = await analyseDataInParallel(data, params, {
        asOf: data.asOf,
        networkWorker,
        infectorWorker,
      });
      expect(one).toEqual(here);
    }
  });

  test('with the infectors to a worker, their input is checked here first, before anything else starts', async () => {
    const data = outbreakData();
    const twice = { ...data, cases: [...data.cases, data.cases[0]!] };
    const told: string[] = [];
    await expect(
      analyseDataInParallel(twice, params, {
        asOf: data.asOf,
        infectorWorker: true,
        networkWorker: true,
        onPhase: (p) => told.push(p),
      }),
    ).rejects.toThrow('infectors: cases[2]: field "personId" repeats case C1');
    expect(told).toEqual(['exposures']);
  });

  test('a failure after the network was handed to a worker fails the analysis with its own error and stops the worker', async () => {
    // A case recorded twice: the infector inference (after the network is handed over) refuses it.
    const data = outbreakData();
    const twice = { ...data, cases: [...data.cases, data.cases[0]!] };
    const started: PendingMeasures[] = [];
    const stopped: PendingMeasures[] = [];
    const original = networkInWorker.measureNetworkInWorker;
    const spy = jest.spyOn(networkInWorker, 'measureNetworkInWorker').mockImplementation((input, options) => {
      const pending = original(input, options);
      started.push(pending);
      return {
        measures: pending.measures,
        stop: () => {
          stopped.push(pending);
          pending.stop();
        },
      };
    });
    const told: string[] = [];
    try {
      await expect(
        analyseDataInParallel(twice, params, {
          asOf: data.asOf,
          networkWorker: true,
          onPhase: (p) => told.push(p),
        }),
      ).rejects.toThrow('infectors: cases[2]: field "personId" repeats case C1');
    } finally {
      spy.mockRestore();
    }
    expect(told).toEqual(['exposures', 'network numbering', 'tiers']);
    expect(started).toHaveLength(1);
    expect(stopped).toEqual(started);
    await expect(started[0]!.measures).rejects.toThrow("the contact network's measurement was stopped");
  });

  test('measures centrality and communities on the contact network, not on venue co-presence', () => {
    const { clusters, quarantine, tiers } = analysis();
    const tierOf = new Map(tiers.map((t) => [t.personId, t.tier]));
    expect([tierOf.get('P2'), tierOf.get('P3'), tierOf.get('P5'), tierOf.get('P6')]).toEqual([
      'close_contact',
      'close_contact',
      'venue_exposed',
      'venue_exposed',
    ]);
    const inCommunities = clusters.filter((c) => c.kind === 'exposure_community').flatMap((c) => c.memberIds);
    expect(inCommunities).toEqual(expect.arrayContaining(['C1', 'P2', 'P3']));
    expect(inCommunities).not.toContain('P5');
    expect(inCommunities).not.toContain('P6');
    const entry = (id: string) => quarantine.entries.find((e) => e.personId === id)!;
    // Venue-exposed persons keep their probability and place in the list, with no centrality.
    expect([entry('P5').centrality, entry('P6').centrality]).toEqual([0, 0]);
    expect(entry('P5').probability).toBeGreaterThan(0);
    expect(entry('P3').centrality).toBeGreaterThan(0);
  });
});

describe('toReport', () => {
  test("a case's infector is its chain's parent: no case is its own ancestor when a cycle was cut (audit D5)", () => {
    // A and B live together with the same onset: each is the other's most likely infector. The
    // chains cut one link; the report named it all the same (A's infector B, B's infector A, A
    // the root of chain-A).
    const same = (personId: string): Case => ({
      personId,
      classification: 'confirmed',
      onset: aug(5),
      confirmedAt: aug(6, '10:00'),
    });
    const data = outbreak({
      asOf: aug(8),
      cases: [same('A'), same('B')],
      persons: [person('A', 'H1'), person('B', 'H1')],
      places: [place('H1', 'home')],
    });
    const run = analyseData(data, params, { asOf: data.asOf });
    expect(run.inferences.map((i) => [i.personId, i.best.id])).toEqual([
      ['A', 'B'],
      ['B', 'A'],
    ]);
    const report = toReport(run);
    expect(report.parameters).toEqual({ protocol: 'cn-9th-2022', pathogen: 'omicron-ba5', changed: [] });
    const changed = resolveParameters({ overrides: ['protocol.preOnsetDays=4'] });
    expect(toReport(analyseData(data, changed, { asOf: data.asOf })).parameters.changed).toEqual([
      'protocol.preOnsetDays=4',
    ]);
    const caseOf = (id: string) => report.cases.find((c) => c.personId === id)!;
    const [chain] = report.chains;
    expect(chain).toMatchObject({ id: 'chain-A', rootId: 'A', caseIds: ['A', 'B'] });
    // The root came from outside; its most likely infector stays among its candidates, the cut
    // link in its flags.
    expect(caseOf('A')).toMatchObject({ infector: null, generation: 0, chainId: 'chain-A' });
    expect(caseOf('A').candidates[0]).toMatchObject({ id: 'B', kind: 'case' });
    expect(caseOf('A').flags).toContain('cut-to-break-cycle');
    expect(caseOf('B')).toMatchObject({ infector: { id: 'A', kind: 'case' }, generation: 1 });
    expect(caseOf('B').flags).not.toContain('cut-to-break-cycle');
    // Offspring as the chains count them: the most likely links, and the Wallinga & Teunis sum.
    for (const c of run.chains.cases) {
      expect(caseOf(c.personId)).toMatchObject({
        offspring: c.offspring,
        expectedOffspring: c.expectedOffspring,
      });
    }
    expect(caseOf('A').expectedOffspring).toBeGreaterThan(0);
    // Every case's infector is the `from` of the chain link into it, and following infectors
    // never comes back to a case.
    for (const c of report.cases) {
      const link = report.chains.flatMap((k) => k.links).find((l) => l.to === c.personId);
      expect(c.infector?.id ?? null).toBe(link?.from ?? null);
      const seen = new Set<string>();
      for (let at: string | undefined = c.personId; at !== undefined;) {
        expect(seen.has(at)).toBe(false);
        seen.add(at);
        const infector: { id: string; kind: string } | null = caseOf(at).infector;
        at = infector?.kind === 'case' ? infector.id : undefined;
      }
    }
  });
});

describe('toReport: times in words', () => {
  test("the window's words give times as the pages do; its fields and the timeline's stay ISO", () => {
    const data = outbreak({ ...twoCaseOutbreak() });
    const c2 = toReport(analyseData(data, params, { asOf: data.asOf })).cases.find(
      (c) => c.personId === 'C2',
    )!;
    const basis =
      'from 2 days before the day of first positive sample 2022-08-07 08:00; until isolated at confirmation 2022-08-07 10:00';
    expect(c2.infectiousWindow).toEqual({
      from: '2022-08-05T00:00:00+08:00',
      to: '2022-08-07T10:00:00+08:00',
      basis,
    });
    expect(c2.timeline[0]).toEqual({
      at: '2022-08-05T00:00:00+08:00',
      kind: 'window',
      label: `infectious window opens (${basis})`,
    });
  });
});

describe('toReport: risk areas and clusters', () => {
  test('names the cases that made each risk area, and counts the contacts of each cluster, in the JSON too', async () => {
    const run = analysis();
    const report = toReport(run);
    expect(report.riskAreas.map((a) => [a.placeId, a.caseIds])).toEqual([
      ['H1', ['C1']],
      ['MKT', ['C1', 'C2']],
      ['W1', ['C1']],
    ]);
    expect(report.riskAreas.map((a) => a.caseIds)).toEqual(run.riskAreas.map((a) => a.caseIds));

    const contacts = new Set(report.contacts.map((c) => c.personId));
    expect(report.clusters.map((k) => k.contactCount)).toEqual(
      report.clusters.map((k) => k.memberIds.filter((id) => contacts.has(id)).length),
    );
    // The community of C1's household and workplace: C1, and its close contacts P2 and P3.
    expect(report.clusters.some((k) => k.kind === 'exposure_community' && k.contactCount >= 2)).toBe(true);
    // The analysis's clusters as they were, the count beside.
    expect(report.clusters.map(({ contactCount: _count, ...k }) => k)).toEqual(run.clusters);

    let streamed = '';
    await streamJsonReport(toLazyReport(run), {
      write: async (text) => {
        streamed += text;
      },
    });
    const json = JSON.parse(streamed) as typeof report;
    expect(json.riskAreas).toEqual(report.riskAreas);
    expect(json.clusters).toEqual(report.clusters);
    expect(json.riskAreas[1]).toMatchObject({ placeId: 'MKT', caseIds: ['C1', 'C2'] });
  });

  test('gives an area lowered to low the date it was lifted, in the JSON too', async () => {
    const run = analysis();
    const liftedOn = Date.parse('2022-08-11T00:00:00+08:00');
    const lifted = {
      ...run,
      riskAreas: run.riskAreas.map((a) =>
        a.placeId === 'W1' ? { ...a, level: 'low' as const, liftOn: null, liftedOn } : a,
      ),
    };
    const areas = (report: {
      riskAreas: { placeId: string; liftOn: string | null; liftedOn: string | null }[];
    }) => report.riskAreas.map((a) => [a.placeId, a.liftOn === null, a.liftedOn]);
    expect(areas(toReport(lifted))).toEqual([
      ['H1', false, null],
      ['MKT', false, null],
      ['W1', true, '2022-08-11'],
    ]);
    let streamed = '';
    await streamJsonReport(toLazyReport(lifted), {
      write: async (text) => {
        streamed += text;
      },
    });
    expect(areas(JSON.parse(streamed) as ReturnType<typeof toReport>)).toEqual(areas(toReport(lifted)));
  });
});

describe('instantFormatter', () => {
  test('formats as formatInstant and formatDate do, across days, years and milliseconds', () => {
    const format = instantFormatter();
    const rng = seedrandom('instants');
    const instants = [
      0,
      -1,
      DAY - 1,
      aug(1),
      aug(1) - 1,
      aug(31, '23:59') + 59_999,
      Date.UTC(1899, 11, 31, 16),
    ];
    for (let i = 0; i < 2000; i++) instants.push(Math.round((rng() - 0.3) * 4e12));
    for (let i = 0; i < 200; i++) instants.push(aug(1) + Math.round(rng() * 60) * 60_000); // repeats days
    for (const at of instants) {
      expect(format.instant(at)).toBe(formatInstant(at));
      expect(format.date(at)).toBe(formatDate(at));
    }
    // Again, from the texts it kept.
    for (const at of instants) expect(format.instant(at)).toBe(formatInstant(at));
  });

  test('beyond the texts it keeps, formats all the same', () => {
    const format = instantFormatter(3);
    const instants = Array.from({ length: 10 }, (_, i) => aug(1) + i * 60_000);
    for (let round = 0; round < 2; round++)
      for (const at of instants) expect(format.instant(at)).toBe(formatInstant(at));
  });

  test('falls back to formatInstant for instants that are not whole milliseconds', () => {
    const format = instantFormatter();
    expect(format.instant(aug(1) + 0.6)).toBe(formatInstant(aug(1) + 0.6));
    expect(format.date(aug(1) - 0.5)).toBe(formatDate(aug(1) - 0.5));
  });
});

describe('stayLabel and restayLabel', () => {
  const home = { kind: 'place' as const, name: '保港社区3栋201', detail: 'home' };
  const masked = { ...home, name: '保*******' };
  const [start, end] = [aug(3, '20:00'), aug(4, '07:30')];

  test("a stay's line names its host by its label, or by its id without one, then its time", () => {
    expect(stayLabel(home, 'H1', start, end)).toBe('at 保港社区3栋201 (home) for 11 h 30 min');
    expect(stayLabel(undefined, 'H1', start, start + 20 * 60_000)).toBe('at H1 for 20 min');
  });

  test('told with another label of its host, the time is kept as the line has it', () => {
    const line = stayLabel(home, 'H1', start, end);
    expect(restayLabel(line, home, masked, 'H1')).toBe(stayLabel(masked, 'H1', start, end));
    expect(restayLabel(line, home, masked, 'H1')).toBe('at 保******* (home) for 11 h 30 min');
    expect(restayLabel('at 保港社区3栋201 (home) for 2 days', home, masked, 'H1')).toBe(
      'at 保******* (home) for 2 days',
    );
    expect(restayLabel(stayLabel(undefined, 'H1', start, end), undefined, masked, 'H1')).toBe(
      'at 保******* (home) for 11 h 30 min',
    );
  });

  test('a line not made from that label is not told again: null', () => {
    expect(restayLabel('at Baogang market (market) for 1 h 30 min', home, masked, 'H1')).toBeNull();
    expect(restayLabel('保港社区3栋201, the night', home, masked, 'H1')).toBeNull();
    // Made from the label of another host, or with the host's id alone.
    expect(restayLabel(stayLabel(home, 'H2', start, end), { ...home, name: null }, masked, 'H1')).toBeNull();
  });
});

describe('toLazyReport', () => {
  test('yields the same contacts as toReport, afresh on every read', () => {
    const run = analysis();
    const lazy = toLazyReport(run);
    const first = [...lazy.contacts];
    const second = [...lazy.contacts];
    expect(first.length).toBeGreaterThan(2);
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]);
    expect(first).toEqual(toReport(run).contacts);
  });

  test('has every entity label, in order, before a contact is read', () => {
    const run = analysis();
    const lazy = toLazyReport(run);
    const labelled = Object.keys(lazy.entities);
    const contacts = [...lazy.contacts];
    expect(Object.keys(lazy.entities)).toEqual(labelled);
    for (const contact of contacts) {
      expect(labelled).toContain(contact.personId);
      if (contact.assignedSiteId) expect(labelled).toContain(contact.assignedSiteId);
      for (const e of contact.evidence) if (e.hostId) expect(labelled).toContain(e.hostId);
    }
    // Cases first, then the contacts in the plan's order.
    expect(labelled.indexOf('C1')).toBeLessThan(labelled.indexOf(contacts[0]!.personId));
    expect(lazy.entities.C1).toMatchObject({ kind: 'person', name: '何文', phone: '13800001234' });
  });

  test('names the lot, boat or place a contact was exposed to, beside the hosts', () => {
    const data = outbreakData();
    data.items.set('L1', item('L1'));
    data.samples.push(positive('L1', aug(6, '12:00')));
    data.handlings.push({ personId: 'P7', itemId: 'L1', at: aug(6, '09:00') });
    data.persons.set('P7', person('P7'));
    const lazy = toLazyReport(analyseData(data, params, { asOf: data.asOf }));
    const p7 = [...lazy.contacts].find((c) => c.personId === 'P7')!;
    expect(p7.evidence.map((e) => [e.sourceId, e.sourceKind, e.hostId])).toEqual([['L1', 'item', null]]);
    expect(lazy.entities.L1).toMatchObject({ kind: 'item' });
    for (const contact of [...lazy.contacts])
      for (const e of contact.evidence) expect(Object.keys(lazy.entities)).toContain(e.sourceId);
  });

  test('has the same entity labels, in the same order, whether read before, during or after the contacts', () => {
    const run = analysis();
    const labelsOf = (readFirst: number | 'all'): [string, unknown][] => {
      const lazy = toLazyReport(run);
      const iterator = lazy.contacts[Symbol.iterator]();
      const count = readFirst === 'all' ? Infinity : readFirst;
      for (let read = 0; read < count && !iterator.next().done; read++);
      const entries = Object.entries(lazy.entities);
      // Read again, and after the rest of the contacts: no label added or moved.
      for (let next = iterator.next(); !next.done; next = iterator.next());
      expect(Object.entries(lazy.entities)).toEqual(entries);
      return entries;
    };
    const before = labelsOf(0);
    expect(labelsOf(1)).toEqual(before);
    expect(labelsOf('all')).toEqual(before);

    // In order of first mention: cases, what the contacts name, then sources, areas, sites.
    const ids = before.map(([id]) => id);
    const contacts = [...toLazyReport(run).contacts];
    const report = toReport(run);
    const named = new Set([
      ...report.cases.map((c) => c.personId),
      ...contacts.flatMap((c) => [c.personId, c.assignedSiteId, ...c.evidence.map((e) => e.hostId)]),
    ]);
    const later = [...report.sources.map((s) => s.id), ...report.riskAreas.map((a) => a.placeId)].filter(
      (id) => !named.has(id),
    );
    expect(later.length).toBeGreaterThan(0);
    const lastOfContacts = Math.max(...contacts.map((c) => ids.indexOf(c.personId)));
    for (const id of later) expect(ids.indexOf(id)).toBeGreaterThan(lastOfContacts);
  });

  test('writes the same JSON document whether the contacts are built as they are written or not', async () => {
    const run = analysis();
    let streamed = '';
    await streamJsonReport(toLazyReport(run), {
      write: async (text) => {
        streamed += text;
      },
    });
    expect(streamed).toBe(`${JSON.stringify(toReport(run))}\n`);
  });

  test('counts the contacts of each tier in the summary without building them', () => {
    const lazy = toLazyReport(analysis());
    const contacts = [...lazy.contacts];
    const count = (tier: string) => contacts.filter((c) => c.tier === tier).length;
    expect(lazy.summary.closeContacts).toBe(count('close_contact'));
    expect(lazy.summary.contactsOfCloseContacts).toBe(count('contact_of_close_contact'));
    expect(lazy.summary.venueExposed).toBe(count('venue_exposed'));
    expect(lazy.summary.closeContacts + lazy.summary.venueExposed).toBeGreaterThan(0);
  });

  test('the contacts are numbered 1, 2, 3, … without gaps, though one exposed below every tier scores among them', () => {
    const data = outbreakData();
    // P7: 3 minutes at the market with C1 after onset, below every tier.
    data.persons.set('P7', person('P7'));
    data.stays.push(stay('P7', 'MKT', aug(5, '15:57'), aug(5, '16:00')));
    const run = analyseData(data, params, { asOf: data.asOf });
    const entries = run.quarantine.entries;
    const p7 = entries.find((e) => e.personId === 'P7')!;
    expect(p7).toMatchObject({ tier: null, placement: 'none' });
    // Some contact scores below P7.
    expect(entries.some((e) => e.tier !== null && e.score < p7.score)).toBe(true);
    const { contacts } = toReport(run);
    expect(contacts.map((c) => c.personId)).not.toContain('P7');
    expect(contacts.length).toBeGreaterThan(1);
    expect(contacts.map((c) => c.priority)).toEqual(contacts.map((_, i) => i + 1));
  });

  test('the contacts of a whole report say the tier each case gives them; those streamed for JSON and CSV carry no such function', () => {
    const run = analyseData(outbreakData(), params, { asOf: outbreakData().asOf });
    const collected = toReport(run).contacts;
    expect(collected.length).toBeGreaterThan(0);
    for (const contact of collected) {
      const tiers = contact[TIERS_BY_SOURCE]!();
      // The contact's own tier is the highest any source gives it.
      expect([...tiers.values()]).toContain(contact.tier);
    }
    const streamed = [...toLazyReport(run).contacts];
    expect(streamed.map((c) => c.personId)).toEqual(collected.map((c) => c.personId));
    expect(streamed.every((c) => c[TIERS_BY_SOURCE] === undefined)).toBe(true);
  });

  test("the summary's quarantine beds: the sites' capacity, or the capacity given if fewer, beds already taken among them", () => {
    const data = outbreakData();
    // X, nobody exposed, takes one of Q1's 3 beds over asOf.
    data.persons.set('X', person('X'));
    data.quarantineStays = [stay('X', 'Q1', aug(6), aug(9))];
    const summaryFor = (capacity: number | null) =>
      toLazyReport(analyseData(data, params, { asOf: data.asOf, capacity })).summary;
    const sites = summaryFor(null);
    expect(sites).toMatchObject({ quarantineBeds: 3, occupiedBeds: 1 });
    // Close contacts enough to fill what is left.
    expect(sites.closeContacts).toBeGreaterThanOrEqual(2);
    expect(sites.assignedBeds).toBe(2);
    expect(summaryFor(2)).toMatchObject({ quarantineBeds: 2, occupiedBeds: 1, assignedBeds: 1 });
    expect(summaryFor(0)).toMatchObject({ quarantineBeds: 0, occupiedBeds: 1, assignedBeds: 0 });
    // A cap above what the sites hold adds no bed.
    expect(summaryFor(10)).toMatchObject({ quarantineBeds: 3, assignedBeds: 2 });
  });

  test('collectContacts keeps the keys in the order of the model', () => {
    const lazy = toLazyReport(analysis());
    const keys = Object.keys(lazy);
    expect(Object.keys(collectContacts(lazy))).toEqual(keys);
    expect(keys.indexOf('contacts')).toBe(keys.indexOf('chains') + 1);
  });
});
