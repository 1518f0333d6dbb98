/**
 * A small outbreak with names, analysed, for the masking and selection suites: cases C1 and C2, a
 * person named like the market both cases went to, a case's stay at its home (whose name is an
 * address) in its infectious window, and cold storage CS, contaminated, where only P7 was: no
 * case accounts for P7.
 */
import { analyseData } from '../../src/analysis/analyse';
import { toReport } from '../../src/analysis/report';
import type { AnalysisReport } from '../../src/analysis/report-model';
import { resolveParameters } from '../../src/domain/parameters';
import { aug, outbreak, person, place, positive, stay, twoCaseOutbreak } from '../analysis/outbreak-fixtures';

export const MARKET_NAME = '崖州海鲜市场 Yazhou Seafood Market';
/** The name of P3, a contact of C1: part of the market's. */
export const NAMED_LIKE_THE_MARKET = 'Seafood Market';
export const HOME_NAME = '保港社区3栋201';

export function namedOutbreakReport(): AnalysisReport {
  const params = resolveParameters();
  const shared = twoCaseOutbreak();
  const named = (id: string, homeId: string | null, name: string, phone: string | null = null) => ({
    ...person(id, homeId),
    name,
    phone,
  });
  const data = outbreak({
    ...shared,
    samples: [...shared.samples, positive('CS', aug(6, '09:00'))],
    persons: [
      named('C1', 'H1', '何文', '13800001234'),
      named('P2', 'H1', '何小梅', '13800005678'),
      named('C2', 'H2', 'Li Wei'),
      named('P3', 'H3', NAMED_LIKE_THE_MARKET),
      named('P5', null, '陈海生'),
      named('P6', null, 'Wang Fang'),
      named('P7', null, '周雪'),
    ],
    places: [
      place('H1', 'home', { name: HOME_NAME }),
      place('H2', 'home', { name: 'Baogang Village 12' }),
      place('H3', 'home', { name: '梅山社区7号' }),
      place('W1', 'workplace', { name: 'Net shed' }),
      place('MKT', 'market', { name: MARKET_NAME }),
      place('CS', 'cold_storage', { name: 'Yazhou cold storage' }),
      place('Q1', 'quarantine_site', { name: 'Yazhou Bay hotel', capacity: 3 }),
    ],
    stays: [...shared.stays, stay('P7', 'CS', aug(6, '10:00'), aug(6, '12:00'))],
  });
  return toReport(analyseData(data, params, { asOf: data.asOf }));
}

/** Every free text of a report, each with where it is. */
export function reportTexts(report: AnalysisReport): [string, string][] {
  const texts: [string, string][] = [];
  for (const c of report.cases) {
    c.flags.forEach((flag) => texts.push([`${c.personId} flags`, flag]));
    c.timeline.forEach((event) => texts.push([`${c.personId} timeline`, event.label]));
    c.candidates.forEach((k) => texts.push([`${c.personId} candidate ${k.id}`, k.evidence]));
  }
  for (const chain of report.chains)
    for (const link of chain.links) link.flags.forEach((flag) => texts.push([`${chain.id} flags`, flag]));
  for (const contact of report.contacts) texts.push([`contact ${contact.personId}`, contact.reasons]);
  for (const s of report.sources) s.reasons.forEach((reason) => texts.push([`source ${s.id}`, reason]));
  for (const area of report.riskAreas) texts.push([`risk area ${area.placeId}`, area.reason]);
  return texts;
}
