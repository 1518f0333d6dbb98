/**
 * Which analysis a field answers from. A record reached through an analysis query (a chain as of
 * some instant, a quarantine list for some capacity) carries that query's key under a symbol, so
 * everything below it answers from the same analysis; an `asOf` argument on a field overrides it,
 * and without either the latest analysis (default as-of, sites' capacity) is used.
 *
 * One request (all the operations of a batch together) may ask for the default analysis and at
 * most `MAX_OTHER_ANALYSES_PER_REQUEST` others: an analysis of a large district takes minutes, and
 * otherwise a request of a few aliases, each with its own `asOf`, would start as many.
 */
import { UNKNOWN_SOURCE } from '../../analysis/infector';
import type { Case, Person, Place } from '../../domain/types';
import type { ApiContext } from '../context.type';
import { FieldInputError } from '../errors';
import { loadEntity, type Entity } from '../types/entity';
import { AnalysisService, type AnalysedOutbreak, type AnalysisKey } from '../services/analysis.service';

export const ANALYSIS_KEY = Symbol('analysisKey');

/** A record that knows the analysis it came from. */
export type Scoped<T> = T & { [ANALYSIS_KEY]?: AnalysisKey };

/** A copy of the record that carries the key (the record itself is left alone: loaders share it). */
export function scoped<T extends object>(record: T, key: AnalysisKey): Scoped<T> {
  return { ...record, [ANALYSIS_KEY]: key };
}

export function scopedOrNull<T extends object>(
  record: T | null | undefined,
  key: AnalysisKey,
): Scoped<T> | null {
  return record ? scoped(record, key) : null;
}

/** The key a parent carries, if it came from an analysis. */
export function keyOfParent(parent: unknown): AnalysisKey | undefined {
  return parent && typeof parent === 'object'
    ? (parent as { [ANALYSIS_KEY]?: AnalysisKey })[ANALYSIS_KEY]
    : undefined;
}

/** Analyses one request may ask for besides the default one (default as-of, sites' capacity). */
export const MAX_OTHER_ANALYSES_PER_REQUEST = 2;

function describeKey(key: AnalysisKey): string {
  const capacity = key.capacity === null ? "the sites' capacity" : `capacity ${key.capacity}`;
  return `asOf ${new Date(key.asOf).toISOString()}, ${capacity}`;
}

/**
 * Counts the analysis against the request's allowance; a FieldInputError (BAD_USER_INPUT naming
 * the field) when the request already asked for the most it may. Counted whether cached or not,
 * so that whether a request is answered does not depend on what others asked before.
 */
async function admit(ctx: ApiContext, key: AnalysisKey): Promise<void> {
  const id = AnalysisService.idOf(key);
  if (ctx.analysesAsked.has(id)) return;
  const fallback = AnalysisService.idOf(await ctx.analysis.keyOf());
  if (id !== fallback) {
    let others = 0;
    for (const asked of ctx.analysesAsked) if (asked !== fallback) others++;
    if (others >= MAX_OTHER_ANALYSES_PER_REQUEST) {
      throw new FieldInputError(
        `asks for another analysis (${describeKey(key)}), but this request already asks for ` +
          `${others} besides the default one, the most one request may; ask for it in another request`,
      );
    }
  }
  ctx.analysesAsked.add(id);
}

/** The analysis for a field of `parent`, with the field's own `asOf` (and `capacity`) if given. */
export async function outbreakFor(
  ctx: ApiContext,
  parent: unknown,
  args: { asOf?: Date | null; capacity?: number | null } = {},
): Promise<AnalysedOutbreak> {
  const inherited = keyOfParent(parent);
  const key = await ctx.analysis.keyOf({
    asOf: args.asOf ? args.asOf.getTime() : (inherited?.asOf ?? null),
    capacity: args.capacity ?? inherited?.capacity ?? null,
  });
  await admit(ctx, key);
  return ctx.analysis.get(key);
}

/** The case as the analysis knows it (null when it was not a case by asOf), carrying the analysis key. */
export function caseIn(outbreak: AnalysedOutbreak, personId: string): Scoped<Case> | null {
  return scopedOrNull(outbreak.index.caseOf(personId), outbreak.key);
}

/**
 * What a record links to (a record, a list of them, or none), carrying the analysis key the record
 * came from, if any: a person's stays, a stay's host, a contact's persons answer their analysis
 * fields from the same analysis as the record above them. Copies: loaders share the records.
 */
export function inScopeOf<T extends object>(parent: unknown, linked: readonly T[]): Scoped<T>[];
export function inScopeOf<T extends object>(parent: unknown, linked: T): Scoped<T>;
export function inScopeOf<T extends object>(parent: unknown, linked: T | null): Scoped<T> | null;
export function inScopeOf<T extends object>(
  parent: unknown,
  linked: T | readonly T[] | null,
): Scoped<T> | Scoped<T>[] | null {
  const key = keyOfParent(parent);
  if (!key || !linked) return linked as Scoped<T> | Scoped<T>[] | null;
  return Array.isArray(linked) ? linked.map((r: T) => scoped(r, key)) : scoped(linked as T, key);
}

/** A person, carrying the analysis key. */
export async function personIn(
  ctx: ApiContext,
  key: AnalysisKey | undefined,
  personId: string,
): Promise<Scoped<Person> | null> {
  const person = await ctx.loaders.persons.load(personId);
  return key ? scopedOrNull(person, key) : person;
}

/** A place, carrying the analysis key. */
export async function placeIn(
  ctx: ApiContext,
  key: AnalysisKey | undefined,
  placeId: string | null,
): Promise<Scoped<Place> | null> {
  if (!placeId) return null;
  const place = await ctx.loaders.places.load(placeId);
  return key ? scopedOrNull(place, key) : place;
}

/** Whatever an id names (person, place, boat or lot), tagged for the Entity union and carrying the key. */
export async function entityIn(
  ctx: ApiContext,
  key: AnalysisKey | undefined,
  id: string | null,
): Promise<Entity | null> {
  if (!id || id === UNKNOWN_SOURCE) return null;
  const entity = await loadEntity(ctx.loaders, id);
  return entity && key ? (scoped(entity, key) as Entity) : entity;
}
