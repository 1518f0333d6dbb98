/**
 * Validation on real data: the Tianjin COVID-19 cluster of January-February 2020 (Tindale et al.,
 * eLife 2020; data from github.com/carolinecolijn/ClustersCOVID19, MIT). Cases come from the line
 * list, reported contacts from the case ids named in `Infection_source` (e.g. `TJ27; family`), and
 * the engine's inferred mean serial interval (onset of each case minus onset of its most likely
 * infector) is set beside the published 4.31 days (95% CI 2.91-5.72).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { computeExposures } from '../../src/analysis/exposures';
import { inferenceParameters, inferInfectors } from '../../src/analysis/infector';
import type { OutbreakData } from '../../src/analysis/model';
import type { Parameters } from '../../src/domain/parameters';
import { DAY, parseInstant } from '../../src/domain/time';
import type { Case, Contact, ContactSetting, Id, Instant, Person } from '../../src/domain/types';

export const TIANJIN_CSV = path.join(__dirname, 'data', 'Tianjin135cases_revised.csv');
export const PUBLISHED_SERIAL_INTERVAL = { mean: 4.31, lower: 2.91, upper: 5.72 };

/**
 * Wild-type SARS-CoV-2 (2020) in place of Omicron: incubation lognormal with median 5.1 d (Lauer
 * et al., Ann Intern Med 2020: meanlog 1.621, sdlog 0.418); generation interval mean 5.0 d, SD
 * 1.9 d (Ferretti et al., Science 2020, as a gamma); serial interval mean 4.7 d, SD 2.9 d
 * (Nishiura et al., Int J Infect Dis 2020, lognormal); infection to first positive taken equal to
 * the incubation (testing in 2020 followed symptoms: assumption); a 4-day pre-onset window.
 */
export function wildType2020(params: Parameters): Parameters {
  const siMean = 4.7;
  const siSd = 2.9;
  const sdlog = Math.sqrt(Math.log(1 + (siSd / siMean) ** 2));
  return {
    protocol: { ...params.protocol, preOnsetDays: 4 },
    pathogen: {
      ...params.pathogen,
      name: 'sars-cov-2-wild-type-2020',
      incubation: { family: 'lognormal', meanlog: 1.621, sdlog: 0.418 },
      infectionToPositive: { family: 'lognormal', meanlog: 1.621, sdlog: 0.418 },
      generationInterval: { family: 'gamma', mean: 5.0, sd: 1.9 },
      serialInterval: { family: 'lognormal', meanlog: Math.log(siMean) - sdlog ** 2 / 2, sdlog },
    },
  };
}

interface Row {
  id: Id;
  onset: Instant | null;
  confirmedAt: Instant | null;
  source: string;
  startSource: Instant | null;
  endSource: Instant | null;
}

/** `14/01/2020` (day first) as midnight +08:00. */
function dayFirst(text: string | undefined, file: string, line: number, column: string): Instant | null {
  const v = (text ?? '').trim();
  if (!v || v === 'NA') return null;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const at = m ? parseInstant(`${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`, true) : null;
  if (at === null)
    throw new Error(`${file}:${line}: column "${column}": "${v}" is not a day-first date (14/01/2020)`);
  return at;
}

const HOUSEHOLD = /famil|wife|husband|son|daughter|duaghtor|brother|sister|mother|father|relative|relatives/i;
const WORK = /cowork|colleag|colleage|worker|workplace|business partner/i;

function settingOf(text: string): ContactSetting {
  if (HOUSEHOLD.test(text)) return 'household';
  if (WORK.test(text)) return 'work';
  return 'other';
}

/** The ids of cases named in a source text: `TJ27`, `TJ 27`, `case 109`. */
export function namedCases(text: string): Id[] {
  const ids = new Set<Id>();
  for (const m of text.matchAll(/TJ\s*(\d+)/gi)) ids.add(`TJ${Number(m[1])}`);
  for (const m of text.matchAll(/case\s+(\d+)/gi)) ids.add(`TJ${Number(m[1])}`);
  return [...ids];
}

export function readTianjin(file = TIANJIN_CSV): Row[] {
  const records = parse(readFileSync(file, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return records.map((r, i) => {
    const line = i + 2;
    const id = (r.case_id ?? '').trim();
    if (!/^TJ\d+$/.test(id))
      throw new Error(`${file}:${line}: column "case_id": "${id}" is not a case id (TJ<number>)`);
    return {
      id,
      onset: dayFirst(r.symptom_onset, file, line, 'symptom_onset'),
      confirmedAt: dayFirst(r.confirm_date, file, line, 'confirm_date'),
      source: r.Infection_source ?? '',
      startSource: dayFirst(r.start_source, file, line, 'start_source'),
      endSource: dayFirst(r.end_source, file, line, 'end_source'),
    };
  });
}

/** The cases and the contacts named in `Infection_source`, as the engine's input. */
export function tianjinOutbreak(rows: readonly Row[]): OutbreakData {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const cases: Case[] = rows.map((r) => ({
    personId: r.id,
    classification: r.onset === null ? 'asymptomatic' : 'confirmed',
    onset: r.onset,
    confirmedAt: r.confirmedAt,
  }));
  const contacts: Contact[] = [];
  for (const r of rows) {
    for (const other of namedCases(r.source)) {
      const o = byId.get(other);
      if (!o || other === r.id) continue;
      // When they could have met: the stated exposure window, else the week before the later onset.
      const end = r.endSource ?? r.onset ?? r.confirmedAt ?? o.onset ?? 0;
      const start = Math.min(r.startSource ?? end - 7 * DAY, end);
      contacts.push({ personA: other, personB: r.id, start, end: end + DAY, setting: settingOf(r.source) });
    }
  }
  const persons = new Map<Id, Person>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: null,
        sex: null,
        age: null,
        phone: null,
        idNumber: null,
        homeId: null,
        occupation: null,
      },
    ]),
  );
  const last = Math.max(...rows.map((r) => r.confirmedAt ?? r.onset ?? 0));
  return {
    asOf: last + DAY,
    cases,
    samples: [],
    stays: [],
    contacts,
    handlings: [],
    persons,
    places: new Map(),
    boats: new Map(),
    items: new Map(),
    quarantineSites: [],
  };
}

export interface TianjinResult {
  cases: number;
  contacts: number;
  /** Cases whose most likely infector is another case. */
  linked: number;
  /** Pairs with both onsets, and their mean onset gap. */
  pairs: number;
  meanSerialInterval: number;
  /** The same over the first case each line names, without inference. */
  listedPairs: number;
  listedMeanSerialInterval: number;
}

export function runTianjin(params: Parameters, file = TIANJIN_CSV): TianjinResult {
  const rows = readTianjin(file);
  const data = tianjinOutbreak(rows);
  const wild = wildType2020(params);
  const exposures = computeExposures(data, inferenceParameters(wild));
  const inferences = inferInfectors(data, exposures, wild);
  const onsetOf = new Map(rows.map((r) => [r.id, r.onset]));
  const gaps: number[] = [];
  let linked = 0;
  for (const inf of inferences) {
    if (inf.best.kind !== 'case') continue;
    linked++;
    const a = onsetOf.get(inf.best.id);
    const b = onsetOf.get(inf.personId);
    if (a != null && b != null) gaps.push((b - a) / DAY);
  }
  const listed: number[] = [];
  for (const r of rows) {
    const first = namedCases(r.source).find((id) => onsetOf.has(id) && id !== r.id);
    const a = first ? onsetOf.get(first) : null;
    if (a != null && r.onset !== null) listed.push((r.onset - a) / DAY);
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
  return {
    cases: data.cases.length,
    contacts: data.contacts.length,
    linked,
    pairs: gaps.length,
    meanSerialInterval: mean(gaps),
    listedPairs: listed.length,
    listedMeanSerialInterval: mean(listed),
  };
}
