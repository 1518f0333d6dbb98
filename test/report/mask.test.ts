/**
 * Masking a report the analysis made (src/report/mask.ts): persons' names and phones and homes'
 * names are masked in the labels and in every text that names them; a place named like a person
 * keeps its name.
 */
import type { AnalysisReport, TimelineEvent } from '../../src/analysis/report-model';
import { maskName } from '../../src/domain/masking';
import { maskReport } from '../../src/report/mask';
import { selectCases } from '../../src/report/select';
import {
  HOME_NAME,
  MARKET_NAME,
  NAMED_LIKE_THE_MARKET,
  namedOutbreakReport,
  reportTexts,
} from './named-outbreak';

const report = namedOutbreakReport();
const masked = maskReport(report);

const labelsOf = (of: AnalysisReport, which: (kind: string, detail: string | null) => boolean) =>
  Object.entries(of.entities).filter(([, label]) => which(label.kind, label.detail));
const isHome = (kind: string, detail: string | null) => kind === 'place' && detail === 'home';

describe('maskReport of an analysed outbreak', () => {
  test('the report has each kind of text, naming persons by id', () => {
    const where = new Set(reportTexts(report).map(([at]) => at.split(' ')[0]));
    expect([...where].sort()).toEqual(['C1', 'C2', 'contact', 'risk', 'source']);
    expect(reportTexts(report).filter(([, text]) => /\bcase C1\b/.test(text)).length).toBeGreaterThan(2);
    // A home's name is in a timeline, the market's in two.
    const timelines = reportTexts(report).filter(([at]) => at.endsWith('timeline'));
    expect(timelines.filter(([, text]) => text.includes(HOME_NAME))).toHaveLength(1);
    expect(timelines.filter(([, text]) => text.includes(MARKET_NAME))).toHaveLength(2);
    expect(report.entities.P3!.name).toBe(NAMED_LIKE_THE_MARKET);
  });

  test('a person named like a place leaves the place’s name in every text', () => {
    expect(masked.entities.P3!.name).toBe(maskName(NAMED_LIKE_THE_MARKET));
    expect(masked.entities.MKT).toBe(report.entities.MKT);
    const texts = reportTexts(masked);
    expect(texts.filter(([, text]) => text.includes(MARKET_NAME))).toHaveLength(2);
    // Every text but the stay at the home is as the analysis wrote it.
    const atHome = (text: string) => text.startsWith(`at ${maskName(HOME_NAME)} (home)`);
    expect(texts.filter(([, text]) => !atHome(text))).toEqual(
      reportTexts(report).filter(([, text]) => !text.includes(HOME_NAME)),
    );
  });

  test('no text names a person or a home by name; their labels are masked', () => {
    const names = (which: (kind: string, detail: string | null) => boolean) =>
      labelsOf(report, which).map(([, label]) => label.name!);
    const persons = names((kind) => kind === 'person');
    const homes = names(isHome);
    expect(persons).toHaveLength(7);
    expect(homes.length).toBeGreaterThan(1);
    // Names that are part of a place's are in texts as the place's.
    const placeNames = names((kind, detail) => kind !== 'person' && !isHome(kind, detail));
    const secret = [...persons, ...homes].filter((name) => !placeNames.some((place) => place.includes(name)));
    expect(secret).toContain(HOME_NAME);
    expect(secret).not.toContain(NAMED_LIKE_THE_MARKET);
    for (const [at, text] of reportTexts(masked))
      for (const name of secret) expect([at, name, text.includes(name)]).toEqual([at, name, false]);
    for (const [id, label] of labelsOf(masked, (kind, detail) => kind === 'person' || isHome(kind, detail)))
      expect([id, label.name]).toEqual([id, maskName(report.entities[id]!.name)]);
    expect(masked.cases[0]!.timeline.map((event) => event.label)).toContain(
      `at ${maskName(HOME_NAME)} (home) for 11 h`,
    );
    expect(masked.entities.C1!.phone).toBe('138****1234');
  });

  test('narrowed to a case, the masked report still names no home or person by name', () => {
    const narrowed = selectCases(masked, ['C1']).report;
    const text = JSON.stringify(narrowed);
    for (const name of [HOME_NAME, '何文', '何小梅', '13800001234']) expect(text).not.toContain(name);
    expect(text).toContain(MARKET_NAME);
  });
});

describe("maskReport: a stay's line at a home", () => {
  /** The report with C1's stay at its home changed by `change`. */
  const withHomeStay = (change: (event: TimelineEvent) => TimelineEvent): AnalysisReport => {
    const changed = structuredClone(report);
    const timeline = changed.cases.find((c) => c.personId === 'C1')!.timeline;
    const i = timeline.findIndex((event) => event.kind === 'stay' && event.hostId === 'H1');
    timeline[i] = change(timeline[i]!);
    return changed;
  };
  const homeLine = (of: AnalysisReport) =>
    of.cases.find((c) => c.personId === 'C1')!.timeline.find((e) => e.hostId === 'H1')!.label;

  test('keeps the time the report wrote: the instants are not read again', () => {
    const unreadable = maskReport(withHomeStay((event) => ({ ...event, at: 'the 3rd', end: 'the 4th' })));
    expect(homeLine(unreadable)).toBe(`at ${maskName(HOME_NAME)} (home) for 11 h`);
    expect(homeLine(unreadable)).toBe(homeLine(masked));
  });

  test('a line written otherwise is told again from the stay’s instants, the name masked', () => {
    const edited = maskReport(withHomeStay((event) => ({ ...event, label: `${HOME_NAME}, overnight` })));
    expect(homeLine(edited)).toBe(`at ${maskName(HOME_NAME)} (home) for 11 h`);
    expect(JSON.stringify(edited)).not.toContain(HOME_NAME);
    const noEnd = maskReport(withHomeStay(({ end: _end, ...event }) => ({ ...event, label: HOME_NAME })));
    expect(homeLine(noEnd)).toBe(`at ${maskName(HOME_NAME)} (home) for 0 min`);
  });
});
