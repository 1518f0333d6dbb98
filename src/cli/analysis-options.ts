/**
 * Options shared by the commands that run the analysis: parameter presets and overrides, the
 * as-of instant and the bed capacity.
 */
import { Command, Option } from 'commander';
import {
  ParameterError,
  PATHOGEN_PRESETS,
  PROTOCOL_PRESETS,
  resolveParameters,
  type Parameters,
  type ParameterSource,
} from '../domain/parameters';
import { asOfFromText, latestCaseAsOf } from '../analysis/as-of';
import type { Instant } from '../domain/types';
import { instantTextProblem } from '../domain/time';
import type { TraceStore } from '../store/port';
import { UsageError } from './context';
import { wholeNumber } from './whole-number';

export interface AnalysisFlags {
  asOf?: string;
  protocol?: string;
  pathogen?: string;
  params?: string;
  param?: string[];
  capacity?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Commander refuses a `--protocol` or `--pathogen` that is not a preset, naming the flag and the presets. */
export function addAnalysisOptions(command: Command): Command {
  return command
    .option(
      '--as-of <time>',
      'ignore everything recorded after this instant or date (default: the end of the day of the latest case)',
    )
    .addOption(
      new Option('--protocol <preset>', 'protocol preset (rules and durations)')
        .choices(Object.keys(PROTOCOL_PRESETS))
        .default('cn-9th-2022'),
    )
    .addOption(
      new Option('--pathogen <preset>', 'pathogen preset (incubation, generation interval, infectiousness)')
        .choices(Object.keys(PATHOGEN_PRESETS))
        .default('omicron-ba5'),
    )
    .option('--params <file>', 'JSON file overriding parameters, e.g. {"protocol":{"preOnsetDays":4}}')
    .option(
      '--param <path=value>',
      'override one parameter, e.g. protocol.preOnsetDays=4 (repeatable)',
      collect,
    )
    .option('--capacity <beds>', "at most this many quarantine beds in all (default: the sites' capacity)");
}

/**
 * The parameters the flags choose. A refusal names the flag and what it was given: `--params` and
 * the file (with the line and column of a JSON syntax error), or each `--param` entry to blame.
 */
export function parametersFrom(flags: AnalysisFlags): Parameters {
  // An empty name would otherwise read as no file given, and the file meant would go unused.
  if (flags.params !== undefined && flags.params.trim() === '')
    throw new UsageError('--params: no file given');
  try {
    return resolveParameters({
      protocol: flags.protocol,
      pathogen: flags.pathogen,
      file: flags.params,
      overrides: flags.param,
    });
  } catch (err) {
    if (err instanceof ParameterError) throw new UsageError(`${flagOf(err.source)}: ${err.problem}`);
    throw err;
  }
}

function flagOf(source: ParameterSource): string {
  if ('preset' in source) return `--${source.preset}`;
  if ('file' in source) return `--params: ${source.file}`;
  return source.overrides.map((override) => `--param "${override}"`).join(', ') || '--param';
}

export function capacityFrom(flags: AnalysisFlags): number | null {
  if (flags.capacity === undefined) return null;
  const beds = wholeNumber(flags.capacity);
  if (beds === null) throw new UsageError(`--capacity: "${flags.capacity}" is not a whole number of beds`);
  return beds;
}

/** The as-of instant: given, or the end of the day of the latest case event in the store. */
export async function asOfFrom(flags: AnalysisFlags, store: TraceStore): Promise<Instant> {
  if (flags.asOf !== undefined) return instantOfFlag('--as-of', flags.asOf);
  return latestCaseAsOf(store);
}

/** The instant a flag gives (a date alone: the end of that day), or a refusal naming the flag. */
export function instantOfFlag(flag: string, text: string): Instant {
  const at = asOfFromText(text);
  if (at === null) throw new UsageError(`${flag}: "${text}" ${instantTextProblem(text.trim(), true)}`);
  return at;
}
