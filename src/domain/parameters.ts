/**
 * Epidemiological parameters: protocol presets (what counts as a close contact, how long
 * quarantine lasts, when risk areas lift) and pathogen presets (incubation, generation interval,
 * infectiousness, attack rates). Every number can be overridden from a JSON file or
 * `--param path=value`. Sources: docs/epidemiology.md (China COVID-19 protocol, 9th ed.,
 * June 2022; Omicron BA.5 studies cited per field below).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { reasonOf } from '../fs/system-error';
import { BYTE_ORDER_MARK, withoutByteOrderMark } from './byte-order-mark';
import { ownEntry } from './own-entries';

/**
 * Bounds on the mean and standard deviation of a delay distribution, in days. Delays of a
 * respiratory infection last days (Omicron's incubation: mean 2.8 d; the protocol's longest, 14
 * d): 30 days is twice the longest. The analysis works on grids as long as the delays' tails
 * (src/analysis/infection-time.ts), so the bounds bound its work: by Chebyshev's inequality the
 * 99.9th percentile then lies within 30 + 30·√999 ≈ 980 days, where an unbounded mean (meanlog 30:
 * 10^13 days) ran for ever. Below the lower ones (a quarter of a day's mean, an hour's spread) the
 * numerical cdf no longer sees the density at all.
 */
export const DELAY_BOUNDS = { minMeanDays: 0.25, maxMeanDays: 30, minSdDays: 0.05, maxSdDays: 30 };

/** Mean and standard deviation in days of a delay distribution. */
export function meanAndSd(d: Distribution): { mean: number; sd: number } {
  if (d.family === 'gamma') return { mean: d.mean, sd: d.sd };
  const mean = Math.exp(d.meanlog + d.sdlog ** 2 / 2);
  return { mean, sd: mean * Math.sqrt(Math.expm1(d.sdlog ** 2)) };
}

const distribution = z
  .discriminatedUnion('family', [
    z.strictObject({ family: z.literal('lognormal'), meanlog: z.number(), sdlog: z.number().positive() }),
    z.strictObject({ family: z.literal('gamma'), mean: z.number().positive(), sd: z.number().positive() }),
  ])
  .superRefine((d, ctx) => {
    const { mean, sd } = meanAndSd(d);
    const { minMeanDays, maxMeanDays, minSdDays, maxSdDays } = DELAY_BOUNDS;
    const given = d.family === 'lognormal' ? `, from meanlog ${d.meanlog} and sdlog ${d.sdlog}` : '';
    const days = (x: number): string =>
      x >= 1e4 || (x > 0 && x < 1e-3) ? x.toExponential(2) : String(+x.toPrecision(4));
    if (!(mean >= minMeanDays && mean <= maxMeanDays))
      ctx.addIssue({
        code: 'custom',
        message: `the mean must be between ${minMeanDays} and ${maxMeanDays} days (got ${days(mean)}${given})`,
      });
    else if (!(sd >= minSdDays && sd <= maxSdDays))
      ctx.addIssue({
        code: 'custom',
        message: `the standard deviation must be between ${minSdDays} and ${maxSdDays} days (got ${days(sd)}${given})`,
      });
  });
export type Distribution = z.infer<typeof distribution>;

const days = z.number().int().min(0).max(60);

export const protocolSchema = z.strictObject({
  name: z.string(),
  /** Infectious window opens this many days before the date of onset (or of the first positive
   *  sample), at midnight district time. Some cities used 4. */
  preOnsetDays: z.number().min(0).max(14),
  /** For a case found by screening, open the window at the last negative sample when that is
   *  earlier than onset/first positive minus preOnsetDays (the infection may date back to it). */
  windowFromLastNegative: z.boolean(),
  /** ...but never more than this many days before the first positive sample, so a negative from
   *  weeks ago does not open a huge window (assumption: one week, the usual screening cycle). */
  screeningLookbackMaxDays: z.number().min(0).max(30),
  /** Minimum minutes together at a shared place to count as a close contact (enclosed venue). */
  closeContactMinutes: z.number().min(0),
  /** Place kinds where co-presence counts as close contact (enclosed; same workshop/crew). */
  closeContactPlaceKinds: z.array(z.string()),
  /** Place kinds where people are held apart (single rooms under supervision): sharing one is
   *  not an exposure. */
  isolationPlaceKinds: z.array(z.string()),
  /** A household is together from this local hour of the evening to `householdNightEndHour` the
   *  next morning, unless one of them is elsewhere (assumption: 22:00 to 07:00, the hours the
   *  import format's stays leave to the home). */
  householdNightStartHour: z.number().int().min(0).max(23),
  householdNightEndHour: z.number().int().min(0).max(23),
  /** Minimum minutes at a venue with a case to be venue-exposed. */
  venueExposureMinutes: z.number().min(0),
  closeContactQuarantineDays: days,
  closeContactHomeMonitoringDays: days,
  closeContactPcrDays: z.array(days),
  closeContactHomePcrDays: z.array(days),
  /** Whether contacts of close contacts are traced at all (dropped by the 20 measures). */
  traceContactsOfCloseContacts: z.boolean(),
  /** Minutes of a reported contact with a close contact that make a contact of a close contact
   *  ("for a long time"; assumption: the 15 minutes of a close contact at a place). A contact
   *  recorded as an instant, without a duration, counts. Living together counts by the night. */
  contactOfCloseContactMinutes: z.number().min(0),
  contactOfCloseContactQuarantineDays: days,
  contactOfCloseContactPcrDays: z.array(days),
  /** Place kinds that become high-risk when a case lived or worked there. */
  highRiskPlaceKinds: z.array(z.string()),
  /** Days without a new infection before high is lifted to medium, and medium to low. */
  highRiskLiftDays: days,
  mediumRiskLiftDays: days,
  /** A case's home belongs to the nearest village or community within this distance; farther
   *  away, the home itself is the residential risk area (assumption: a village's houses lie
   *  within about 2 km of its recorded centre). */
  riskAreaRadiusKm: z.number().min(0).max(50),
  /** How quarantine priority weighs onward risk and vulnerability on top of the probability of
   *  infection (assumption: policy weights, no published source). */
  quarantinePriority: z.strictObject({
    /** Added per other household member (onward spread at home). */
    householdMemberWeight: z.number().min(0),
    /** Added at the highest centrality in the exposure graph (scaled 0..1 by the maximum). */
    centralityWeight: z.number().min(0),
    /** Added for a vulnerable person (age at least olderAge or at most youngerAge). */
    vulnerableWeight: z.number().min(0),
    vulnerableOlderAge: z.number().int().min(0).max(130),
    vulnerableYoungerAge: z.number().int().min(0).max(130),
  }),
  /** A transmission chain stays active while one of its cases was confirmed within this many days
   *  (the 9th edition's 7 days of quarantine plus 7 of monitoring: two Omicron incubation periods). */
  chainActiveDays: days,
  /** Backward tracing looks for a case's source this many days before its onset (Endo et al.,
   *  Wellcome Open Res 2021; Bradshaw et al., Nat Commun 2021: 6 days). */
  backwardTracingDays: days,
});
export type Protocol = z.infer<typeof protocolSchema>;

export const pathogenSchema = z.strictObject({
  name: z.string(),
  /** Infection to onset. Li et al., Chin J Epidemiol 2023;44(3):367-72 (Sanya BA.5.1.3, 315 cases). */
  incubation: distribution,
  /** Infection to first positive PCR (same study: median 2.45 d). */
  infectionToPositive: distribution,
  /** Infector's infection to infectee's infection. Park et al., PNAS 2023 (mean 3.0 d). */
  generationInterval: distribution,
  /** Onset to onset. Guo et al., Influenza Other Respir Viruses 2023 (BA.5: 2.7 d). */
  serialInterval: distribution,
  /** Relative infectiousness of an asymptomatic case (Thompson et al., CID 2021: about 1/7). */
  asymptomaticInfectiousness: z.number().min(0).max(1),
  /** Relative infectiousness before onset (same source: about 2/3). */
  presymptomaticInfectiousness: z.number().min(0).max(1),
  /** Secondary attack rate per setting (household: Madewell, JAMA Netw Open 2022; social and
   *  casual: Thompson, CID 2021; boat crew: Addetia 2020). Work and care take the social rate,
   *  transport the casual one, and cold chain 5%: assumptions, no source gives them. */
  attackRates: z.strictObject({
    household: z.number().min(0).max(1),
    boat: z.number().min(0).max(1),
    work: z.number().min(0).max(1),
    social: z.number().min(0).max(1),
    care: z.number().min(0).max(1),
    transport: z.number().min(0).max(1),
    cold_chain: z.number().min(0).max(1),
    casual: z.number().min(0).max(1),
  }),
  /** Hours of exposure each attack rate is typical of (assumption, per setting): spread over them,
   *  an attack rate becomes a transmission rate per hour of exposure at typical infectiousness. */
  attackRateHours: z.strictObject({
    household: z.number().positive(),
    boat: z.number().positive(),
    work: z.number().positive(),
    social: z.number().positive(),
    care: z.number().positive(),
    transport: z.number().positive(),
    cold_chain: z.number().positive(),
    casual: z.number().positive(),
  }),
  /** Days an infected person stays infectious after onset (or, without symptoms, after the first
   *  positive sample) when not isolated: the infectious window of a case never isolated ends there. */
  infectiousDaysAfterOnset: z.number().min(0).max(30),
  /** Transmission per hour spent at a contaminated place or aboard a contaminated boat, at full
   *  contamination (assumption: surfaces transmit rarely, WHO scientific brief of 9 July 2020; a
   *  twentieth of a casual contact's rate). A handled lot weighs the cold-chain attack rate instead. */
  environmentalRatePerHour: z.number().min(0).max(1),
  /** Days either side of a positive sample that a contaminated lot, boat or place is a possible
   *  source: after it, as the contamination persists; before it, as a lot or boat found positive
   *  carried the virus in (those who handled or crewed it before the sample are traced too). */
  environmentalPersistenceDays: z.number().min(0).max(60),
  /** Days after infection a case may still be found by a first positive PCR (assumption: RNA stays
   *  detectable about two weeks), bounding how long before such a sample the infection can be. */
  pcrPositiveDays: z.number().min(1).max(60),
});
export type Pathogen = z.infer<typeof pathogenSchema>;

export const parametersSchema = z
  .strictObject({ protocol: protocolSchema, pathogen: pathogenSchema })
  .superRefine(({ protocol }, ctx) => {
    // The nights are counted from one evening to the next morning (src/analysis/exposures.ts).
    if (protocol.householdNightStartHour <= protocol.householdNightEndHour)
      ctx.addIssue({
        code: 'custom',
        path: ['protocol', 'householdNightStartHour'],
        // Either hour may be the one to change: an override of either mends or made the fault.
        params: { alsoAbout: ['protocol.householdNightEndHour'] },
        message: `a night runs from an evening hour to a morning hour: it must be later than householdNightEndHour (got ${protocol.householdNightStartHour} and ${protocol.householdNightEndHour})`,
      });
  });
export type Parameters = z.infer<typeof parametersSchema>;

const CN_9TH_2022: Protocol = {
  name: 'cn-9th-2022',
  preOnsetDays: 2,
  windowFromLastNegative: true,
  screeningLookbackMaxDays: 7,
  closeContactMinutes: 15,
  closeContactPlaceKinds: [
    'home',
    'workplace',
    'school',
    'restaurant',
    'cold_storage',
    'fishing_port',
    'hospital',
  ],
  isolationPlaceKinds: ['quarantine_site'],
  householdNightStartHour: 22,
  householdNightEndHour: 7,
  venueExposureMinutes: 5,
  closeContactQuarantineDays: 7,
  closeContactHomeMonitoringDays: 3,
  closeContactPcrDays: [1, 2, 3, 5, 7],
  closeContactHomePcrDays: [3],
  traceContactsOfCloseContacts: true,
  contactOfCloseContactMinutes: 15,
  contactOfCloseContactQuarantineDays: 7,
  contactOfCloseContactPcrDays: [1, 4, 7],
  highRiskPlaceKinds: ['home', 'village', 'community', 'workplace', 'fishing_port', 'cold_storage', 'market'],
  highRiskLiftDays: 7,
  mediumRiskLiftDays: 7,
  riskAreaRadiusKm: 2,
  quarantinePriority: {
    householdMemberWeight: 0.1,
    centralityWeight: 0.5,
    vulnerableWeight: 0.2,
    vulnerableOlderAge: 60,
    vulnerableYoungerAge: 6,
  },
  chainActiveDays: 14,
  backwardTracingDays: 6,
};

/** The "20 measures" of November 2022: 5 + 3 days, no contacts of close contacts. */
const CN_20_MEASURES_2022: Protocol = {
  ...CN_9TH_2022,
  name: 'cn-20-measures-2022',
  closeContactQuarantineDays: 5,
  closeContactHomeMonitoringDays: 3,
  closeContactPcrDays: [1, 2, 3, 5],
  closeContactHomePcrDays: [3],
  traceContactsOfCloseContacts: false,
};

const OMICRON_BA5: Pathogen = {
  name: 'omicron-ba5',
  incubation: { family: 'lognormal', meanlog: 0.928, sdlog: 0.456 },
  // Median 2.45 d; the spread is taken equal to the incubation's (no SD was published).
  infectionToPositive: { family: 'lognormal', meanlog: Math.log(2.45), sdlog: 0.456 },
  // Park et al. give the mean (3.0, 95% CI 2.7-3.2); the SD of 1.7 d is an assumption.
  generationInterval: { family: 'gamma', mean: 3.0, sd: 1.7 },
  // Guo et al. give the mean (2.7 d); the SD of 1.8 d is an assumption.
  serialInterval: { family: 'gamma', mean: 2.7, sd: 1.8 },
  asymptomaticInfectiousness: 1 / 7,
  presymptomaticInfectiousness: 2 / 3,
  attackRates: {
    household: 0.427,
    boat: 0.85,
    work: 0.059,
    social: 0.059,
    care: 0.059,
    transport: 0.012,
    cold_chain: 0.05,
    casual: 0.012,
  },
  // Assumptions: about 12 h a day at home, 12-h fishing trips and 8-h shifts over the ~5 days a case
  // is infectious before isolation; a meal or gathering; a day of care; a journey; one handling of a
  // lot (or one stay at a contaminated place); a brief encounter.
  attackRateHours: {
    household: 60,
    boat: 48,
    work: 32,
    social: 3,
    care: 8,
    transport: 2,
    cold_chain: 1,
    casual: 1,
  },
  infectiousDaysAfterOnset: 10,
  environmentalRatePerHour: 0.0006,
  environmentalPersistenceDays: 14,
  pcrPositiveDays: 14,
};

export const PROTOCOL_PRESETS: Record<string, Protocol> = {
  'cn-9th-2022': CN_9TH_2022,
  'cn-20-measures-2022': CN_20_MEASURES_2022,
};
export const PATHOGEN_PRESETS: Record<string, Pathogen> = { 'omicron-ba5': OMICRON_BA5 };

export interface ParameterChoice {
  protocol?: string;
  pathogen?: string;
  /** A JSON file with a partial { protocol, pathogen } object. */
  file?: string;
  /** `path=value` overrides, e.g. `protocol.preOnsetDays=4`; values are read as JSON. */
  overrides?: string[];
}

/** What gave a refused parameter: a preset's name, the file, or the overrides (as given). */
export type ParameterSource =
  { preset: 'protocol' | 'pathogen' } | { file: string } | { overrides: readonly string[] };

/**
 * A refusal of resolveParameters. Besides the message, `problem` says what is wrong without saying
 * where it came from, and `source` where, so that the command line can name its own flag.
 */
export class ParameterError extends Error {
  constructor(
    message: string,
    readonly source: ParameterSource,
    readonly problem: string,
  ) {
    super(message);
    this.name = 'ParameterError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Only own entries count, and each is set as an own entry, so that a key such as "constructor" or
 * "__proto__" in a file is an unknown parameter like any other (the schema then names it), never an
 * inherited property or the object's prototype.
 */
function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  // A delay distribution of another family replaces the preset's: its fields are not the preset's.
  if (Object.hasOwn(patch, 'family') && patch.family !== base.family) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const value = Object.hasOwn(base, k) ? deepMerge(base[k], v) : v;
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Sets an existing parameter: each key of the path must be an own entry (see deepMerge). Returns
 * why it cannot, or null once set.
 */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): string | null {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (!Object.hasOwn(node, key) || !isObject(node[key]))
      return `parameter "${dotted}": "${key}" is not a group of parameters`;
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (!Object.hasOwn(node, last)) return `parameter "${dotted}" does not exist`;
  node[last] = value;
  return null;
}

/** The line and column of the character at `at` in `text`, as an editor shows them. */
function lineAndColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/**
 * A byte-order mark left in a file's text once its first one is taken off (a file saved twice with
 * a mark, or pasted onto the end of another): JSON refuses it between values, with no position in
 * Node 20's words, and keeps it inside a string, where no parameter has a use for a character that
 * editors do not show.
 */
function strayMarkProblem(text: string, at: number): string {
  return (
    `${lineAndColumn(text, at)}: a stray byte-order mark (U+FEFF, which most editors do not show): ` +
    'only the first character of the file may be one; remove this one'
  );
}

/**
 * JSON.parse's complaint about a file's text, its "at position N" (and, in newer Node, the line and
 * column it adds) given as the line and column of the file, which an editor shows. A stray
 * byte-order mark before that position (or anywhere, when it gives none) is named instead.
 */
function jsonProblem(text: string, err: Error): string {
  const match = / at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(err.message);
  const mark = text.indexOf(BYTE_ORDER_MARK);
  if (mark >= 0 && (!match || mark <= Number(match[1]))) return strayMarkProblem(text, mark);
  if (!match) return err.message;
  return `${lineAndColumn(text, Number(match[1]))}: ${err.message.slice(0, match.index)}`;
}

/**
 * Where the parameters differ from the presets they name, as `path=value` (values as JSON), in
 * path order: a report says them, so that a run with overrides is not taken for one with the
 * presets. A protocol or pathogen whose name is no preset (a file may rename it) lists every value.
 */
export function changesFromPresets(params: Parameters): string[] {
  const changes: string[] = [];
  const walk = (path: string, value: unknown, preset: unknown): void => {
    if (isObject(value)) {
      const base = isObject(preset) ? preset : {};
      for (const key of Object.keys(value).sort()) walk(`${path}.${key}`, value[key], ownEntry(base, key));
    } else if (JSON.stringify(value) !== JSON.stringify(preset)) {
      changes.push(`${path}=${JSON.stringify(value)}`);
    }
  };
  walk('protocol', params.protocol, ownEntry(PROTOCOL_PRESETS, params.protocol.name));
  walk('pathogen', params.pathogen, ownEntry(PATHOGEN_PRESETS, params.pathogen.name));
  return changes;
}

/** Builds the parameters: presets, then the file, then the overrides; validated as a whole. */
export function resolveParameters(choice: ParameterChoice = {}): Parameters {
  // Own entries only, so "constructor" is an unknown preset like any other name.
  const protocol = ownEntry(PROTOCOL_PRESETS, choice.protocol ?? 'cn-9th-2022');
  if (!protocol) throw unknownPreset('protocol', choice.protocol, PROTOCOL_PRESETS);
  const pathogen = ownEntry(PATHOGEN_PRESETS, choice.pathogen ?? 'omicron-ba5');
  if (!pathogen) throw unknownPreset('pathogen', choice.pathogen, PATHOGEN_PRESETS);
  let merged: unknown = structuredClone({ protocol, pathogen });
  if (choice.file) {
    const file = choice.file;
    const refuse = (problem: string): ParameterError =>
      new ParameterError(`parameter file ${file}: ${problem}`, { file }, problem);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw refuse(reasonOf(err as Error));
    }
    // One byte-order mark, as editors on Windows save UTF-8, is the encoding's, not the text's.
    text = withoutByteOrderMark(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw refuse(jsonProblem(text, err as Error));
    }
    const mark = text.indexOf(BYTE_ORDER_MARK);
    if (mark >= 0) throw refuse(strayMarkProblem(text, mark));
    merged = deepMerge(merged, parsed);
  }
  const overrides = (choice.overrides ?? []).map((override) => {
    const eq = override.indexOf('=');
    if (eq < 1)
      throw new ParameterError(
        `parameter override "${override}" is not path=value`,
        { overrides: [override] },
        'is not path=value (e.g. protocol.preOnsetDays=4)',
      );
    const raw = override.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    return { override, path: override.slice(0, eq), value };
  });
  if (choice.file) {
    // The file's own faults are named with the file, those an override may still mend excepted;
    // what the overrides leave wrong is theirs, and the file is not blamed for it.
    const fromFile = parametersSchema.safeParse(merged);
    const faults = fromFile.success
      ? []
      : fromFile.error.issues.filter((i) => !overrides.some((o) => mends(o.path, i)));
    if (faults.length > 0) {
      const problem = describe(faults);
      throw new ParameterError(
        `invalid parameters (from ${choice.file}): ${problem}`,
        { file: choice.file },
        problem,
      );
    }
  }
  for (const { override, path, value } of overrides) {
    const problem = setPath(merged as Record<string, unknown>, path, value);
    if (problem) throw new ParameterError(problem, { overrides: [override] }, problem);
  }
  const result = parametersSchema.safeParse(merged);
  if (!result.success) {
    const { source, issues } = blame(result.error.issues, overrides);
    const problem = describe(issues);
    throw new ParameterError(`invalid parameters: ${problem}`, source, problem);
  }
  return result.data;
}

function unknownPreset(
  kind: 'protocol' | 'pathogen',
  name: string | undefined,
  presets: Record<string, unknown>,
): ParameterError {
  const known = `(known: ${Object.keys(presets).join(', ')})`;
  return new ParameterError(
    `unknown ${kind} preset "${name}" ${known}`,
    { preset: kind },
    `unknown preset "${name}" ${known}`,
  );
}

/**
 * The override to blame for what is still wrong once all are set, with its faults: of the faults,
 * each is the last override's that sets it (or a part of it, or something inside it), and the first
 * given of those overrides is named. A fault none of them sets is blamed on them all (the presets
 * are valid and the file was checked, so it is theirs).
 */
function blame(
  issues: readonly Issue[],
  overrides: readonly { override: string; path: string }[],
): { source: ParameterSource; issues: readonly Issue[] } {
  const culprit = (issue: Issue): number => {
    for (let at = overrides.length - 1; at >= 0; at--) if (sets(overrides[at]!.path, issue)) return at;
    return -1;
  };
  const first = Math.min(...issues.map(culprit).filter((at) => at >= 0));
  if (first === Infinity) return { source: { overrides: overrides.map((o) => o.override) }, issues };
  return {
    source: { overrides: [overrides[first]!.override] },
    issues: issues.filter((i) => culprit(i) === first),
  };
}

type Issue = z.core.$ZodIssue;

/** The issues with their paths; one about the whole (a file holding a list) has none. */
const describe = (issues: readonly Issue[]): string =>
  issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * Whether an override of `path` may mend `issue`: it sets the faulty value or a part of it, or
 * something inside it (a distribution's mean). Unknown keys it cannot remove.
 */
function mends(path: string, issue: Issue): boolean {
  return reaches(path, issue, issue.code !== 'unrecognized_keys');
}

/** Whether an override of `path` sets what `issue` is about, a part of it or something inside it. */
function sets(path: string, issue: Issue): boolean {
  return reaches(path, issue, true);
}

function reaches(path: string, issue: Issue, inside: boolean): boolean {
  return aboutPaths(issue).some(
    (at) => at === path || at.startsWith(`${path}.`) || (inside && path.startsWith(`${at}.`)),
  );
}

/** The values an issue is about, dotted: its path and, for values checked together, `params.alsoAbout`. */
function aboutPaths(issue: Issue): string[] {
  const also: unknown = issue.code === 'custom' ? issue.params?.alsoAbout : undefined;
  return [issue.path.join('.'), ...(Array.isArray(also) ? (also as string[]) : [])];
}
