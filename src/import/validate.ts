/**
 * Bundle validation, pass 1 of an import: reads every file of a bundle once and checks each row
 * against the import format (src/domain/records.ts), ids across the bundle and the store, and
 * references into the bundle or the store (a person's home_id must name a place of kind `home`,
 * and a place of another kind must not be anyone's home), so that every problem is reported with
 * its file, line and column before anything is written.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, type FieldProblem } from '../domain/errors';
import {
  FILE_SPECS,
  REQUIRED_FILES,
  type FileName,
  type FileSpec,
  type RawRow,
  type Reference,
} from '../domain/records';
import {
  stayTypeOf,
  type Case,
  type EntityKind,
  type Id,
  type Place,
  type PlaceKind,
  type Sample,
} from '../domain/types';
import { BundleReadMarker } from '../fs/bundle-read-marker';
import { runningWriteOf, WRITE_LOCK } from '../fs/bundle-write-lock';
import { SWAP_JOURNAL } from '../fs/staged-bundle';
import { reasonOf } from '../fs/system-error';
import type { TraceStore } from '../store/port';
import { residentList, storedResidents } from '../store/residents';
import { BundleIndex, fingerprint, type PendingRow } from './bundle-index';
import { readCsvRows } from './csv-source';
import { LookupsInFlight } from './lookups-in-flight';
import { BundlePlausibility, type PlausibilityStore } from './plausibility';
import { ConflictingRepeats } from './repeated-rows';

/** Errors kept for the report, and apart from them warnings; all are counted. */
export const MAX_PROBLEMS = 100;
/** Ids looked up in the store per query. */
const LOOKUP_BATCH = 1000;
/** Pending rows checked per step of a flush. */
const PENDING_PAGE = 1000;
/** Kinds of ids kept in memory (a few tens of MB); the rest are read back from the bundle index. */
const KIND_CACHE_SIZE = 250_000;
/** Kinds of places named as homes kept in memory; the rest are read back from the bundle index. */
const PLACE_KIND_CACHE_SIZE = 10_000;

/** Every file spec, typed loosely enough to be handled one after another. */
export const BUNDLE_SPECS: readonly FileSpec<unknown>[] = FILE_SPECS;

/** One file present in a bundle. */
export interface BundleFile {
  spec: FileSpec<unknown>;
  path: string;
  bytes: number;
}

/** Rows read per file. */
export type RowCounts = Partial<Record<FileName, number>>;

export interface ValidationOptions {
  maxProblems?: number;
  /** Bytes read so far of the file being validated. */
  onBytes?(file: BundleFile, bytesRead: number): void;
  /** Ids whose kinds are kept in memory (the rest are read back from disk); 250,000 by default. */
  kindCacheSize?: number;
}

/** Per file, the lines (ascending) of rows that repeat an earlier row with the same fields. */
export type RepeatedLines = Partial<Record<FileName, readonly number[]>>;

export interface ValidationResult {
  files: BundleFile[];
  /** Rows read per file. */
  rows: RowCounts;
  /**
   * Rows per file that repeat an earlier row's id (or key) with the same fields: the same record
   * again, which adds nothing. Only files that have such rows are present.
   */
  repeats: RowCounts;
  /** The lines of those rows, ascending, per file that has any: the writer skips them. */
  repeatedLines: RepeatedLines;
  /**
   * Values accepted but likely mistyped, and stored samples corrected: the first `maxProblems` in
   * file then line order, each with its file and line.
   */
  warnings: FieldProblem[];
  /** How many warnings there were in all. */
  warningsTotal: number;
}

/**
 * What validation reads from a store: the kind behind each id, places' kinds, who lives where, and
 * the samples and cases a bundle's rows complete or replace (src/import/plausibility.ts).
 */
export type ValidationStore = Pick<TraceStore, 'entityKinds' | 'places' | 'residentCounts' | 'residentsOf'> &
  PlausibilityStore;

/** A store that holds nothing: what a store not made yet is validated against. */
export const EMPTY_STORE: ValidationStore = {
  entityKinds: async (ids) => ids.map(() => null),
  places: async (ids) => ids.map(() => null),
  residentCounts: async () => [],
  residentsOf: async () => [],
  samplesByKey: async (keys) => keys.map(() => null),
  samplesOf: async () => [],
  casesOf: async (ids) => ids.map(() => null),
};

/** Files whose key does not cover every field, so two rows may share a key and disagree. */
const KEYED_FILES: Partial<Record<FileName, string>> = {
  'samples.csv': 'subject, sampled_at and method',
  'cases.csv': 'person',
};

/** `person`, `place or boat`, `person, item or boat`. */
function kindList(kinds: readonly EntityKind[]): string {
  return kinds.length < 2 ? kinds.join('') : `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
}

/** The same with its article: `a person`, `an item`, `a place or boat`. */
function aKindList(kinds: readonly EntityKind[]): string {
  return `${kinds[0] === 'item' ? 'an' : 'a'} ${kindList(kinds)}`;
}

const aKind = (kind: EntityKind): string => aKindList([kind]);

/**
 * Keeps the first problems (the errors, or the warnings) in file then line order (files in the
 * order they are read) and counts all of them. Many checks end only once more of the bundle is
 * read: a reference once every file of ids is read or a batch of ids is looked up in the store, an
 * id's kind in the store a batch of ids at a time, a place that is no home once persons.csv is
 * read, a stored sample's correction a batch of keys at a time, a first positive sample weeks
 * before a confirmation once cases.csv is read. So problems arrive out of order: each is put in its
 * place among those kept, which are never more than the cap. Problems of one line keep the order
 * they came in.
 */
class OrderedProblemLog {
  readonly kept: FieldProblem[] = [];
  total = 0;
  constructor(private readonly cap: number) {}

  /** Whether `problem` is among those kept (a repeat's reason is made exact once its file is read). */
  keeps(problem: FieldProblem): boolean {
    return this.kept.includes(problem);
  }

  add(problem: FieldProblem): void {
    this.total++;
    const kept = this.kept;
    if (kept.length === this.cap && (this.cap === 0 || !comesBefore(problem, kept[kept.length - 1]!))) return;
    // The first kept problem that comes after it: after those of its own line.
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (comesBefore(problem, kept[middle]!)) high = middle;
      else low = middle + 1;
    }
    kept.splice(low, 0, problem);
    if (kept.length > this.cap) kept.pop();
  }
}

/** Where each file comes in a bundle's reading order. */
const FILE_RANK = new Map<string, number>(FILE_SPECS.map((spec, i) => [spec.file, i]));

/** Whether problem `a` lies in an earlier file than `b`, or earlier in the same file. */
function comesBefore(a: FieldProblem, b: FieldProblem): boolean {
  const rankA = FILE_RANK.get(a.file) ?? FILE_SPECS.length;
  const rankB = FILE_RANK.get(b.file) ?? FILE_SPECS.length;
  return rankA !== rankB ? rankA < rankB : a.line < b.line;
}

/**
 * Kinds (of entity, or of place) of at most `size` ids. When full, a new id replaces one picked at
 * random: files are often ordered by time, so the same ids come round again in cycles, and a cycle
 * longer than the cache would evict every id just before its next use under least-recently-used.
 */
class KindCache<K extends string> {
  private readonly kinds = new Map<Id, K | null>();
  /** The ids in the cache, one a slot; a slot may hold an id deleted since (a wasted slot). */
  private readonly slots: Id[] = [];
  /** xorshift32 state: a fixed seed, so that runs are reproducible. */
  private random = 0x9e3779b9;
  constructor(private readonly size: number) {}

  get(id: Id): K | null | undefined {
    return this.kinds.get(id);
  }

  set(id: Id, kind: K | null): void {
    if (this.kinds.has(id)) {
      this.kinds.set(id, kind);
      return;
    }
    if (this.slots.length < this.size) {
      this.slots.push(id);
    } else {
      this.random ^= this.random << 13;
      this.random ^= this.random >>> 17;
      this.random ^= this.random << 5;
      const slot = (this.random >>> 0) % this.size;
      this.kinds.delete(this.slots[slot]!);
      this.slots[slot] = id;
    }
    this.kinds.set(id, kind);
  }

  delete(id: Id): void {
    this.kinds.delete(id);
  }
}

/**
 * Resolves ids to kinds, from the bundle first and then from the store in batches, and checks
 * each reference against the kinds its column allows (and a home_id against the kind of place it
 * names). What it learns is kept in the bundle index (on disk), with the most recent kinds cached
 * in memory.
 */
class ReferenceChecker {
  private readonly cache: KindCache<EntityKind>;
  /** Kinds of the places home_ids name: persons of one household mostly come together. */
  private readonly placeKinds = new KindCache<PlaceKind>(PLACE_KIND_CACHE_SIZE);
  /** Rows waiting in the index for the kinds of their ids. */
  private pendingRows = 0;
  private readonly unresolved = new Set<Id>();
  /** Entity ids of the bundle waiting to be checked against the store. */
  private definitions: { id: Id; kind: EntityKind; file: FileName; line: number }[] = [];
  /** Their look-ups in the store, answered while the entity files are read on. */
  private readonly definitionLookups = new LookupsInFlight();
  /** Until every entity file is read, an id missing from the bundle may still be defined later. */
  private entitiesRead = false;
  /** Kinds whose file could not be read to its end: ids missing from it are not reported again. */
  readonly unreadKinds = new Set<EntityKind>();

  constructor(
    private readonly store: ValidationStore,
    private readonly index: BundleIndex,
    private readonly problems: OrderedProblemLog,
    cacheSize: number,
  ) {
    this.cache = new KindCache<EntityKind>(cacheSize);
  }

  /** The kind of an id in the bundle, else in the store (null: not there), else undefined: not asked yet. */
  private kindOf(id: Id): EntityKind | null | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const kind = this.index.definition(id)?.kind ?? this.index.storedKind(id);
    if (kind !== undefined) this.cache.set(id, kind);
    return kind;
  }

  /** Where `id` is defined, for a problem's reason: `file:line` in the bundle, or the store. */
  private whereDefined(id: Id): string {
    const defined = this.index.definition(id);
    return defined ? `${defined.file}:${defined.line}` : 'in the store';
  }

  /**
   * The kind of a place, from the bundle, else from the store once asked (undefined until then);
   * null for a place whose row in the bundle has problems of its own, which is not checked again.
   */
  private placeKindOf(id: Id): PlaceKind | null | undefined {
    const cached = this.placeKinds.get(id);
    if (cached !== undefined) return cached;
    const defined = this.index.definition(id);
    const placeKind = defined ? defined.placeKind : this.index.storedPlaceKind(id);
    if (placeKind !== undefined) this.placeKinds.set(id, placeKind);
    return placeKind;
  }

  /** Whether the reference can be checked: its id's kind known, and the kind of place it must be. */
  private resolved(r: Reference): boolean {
    const kind = this.kindOf(r.id);
    if (kind === undefined) return false;
    return !r.placeKind || kind !== 'place' || this.placeKindOf(r.id) !== undefined;
  }

  /** A new definition overrides whatever was cached for its id. */
  defined(id: Id): void {
    this.cache.delete(id);
    this.placeKinds.delete(id);
  }

  async addRow(row: PendingRow): Promise<void> {
    if (row.references.length === 0) return;
    if (this.entitiesRead && row.references.every((r) => this.resolved(r))) {
      this.check(row);
      return;
    }
    this.index.addPending(row);
    this.pendingRows++;
    if (this.entitiesRead) {
      for (const r of row.references) if (!this.resolved(r)) this.unresolved.add(r.id);
      if (this.unresolved.size >= LOOKUP_BATCH) await this.flush();
    }
  }

  /** A bundle id must not name something of another kind in the store. */
  async addDefinition(id: Id, kind: EntityKind, file: FileName, line: number): Promise<void> {
    this.definitions.push({ id, kind, file, line });
    if (this.definitions.length >= LOOKUP_BATCH) await this.flushDefinitions();
  }

  async allEntitiesRead(): Promise<void> {
    if (this.entitiesRead) return;
    this.entitiesRead = true;
    await this.flushDefinitions();
    await this.definitionLookups.drain();
    await this.flush();
    await this.checkPlacesNotHomes();
  }

  async finish(): Promise<void> {
    await this.flushDefinitions();
    await this.definitionLookups.drain();
    await this.flush();
  }

  /** Starts the look-up of the definitions gathered; `allEntitiesRead` and `finish` await it. */
  private async flushDefinitions(): Promise<void> {
    const definitions = this.definitions;
    this.definitions = [];
    if (definitions.length === 0) return;
    await this.definitionLookups.add(
      () => this.store.entityKinds(definitions.map((d) => d.id)),
      (kinds) =>
        definitions.forEach((d, i) => {
          const stored = kinds[i];
          if (stored && stored !== d.kind) {
            this.problems.add({
              file: d.file,
              line: d.line,
              column: 'id',
              reason: `"${d.id}" is already ${aKind(stored)} in the store; ids are unique across bundles`,
            });
          }
        }),
    );
  }

  /**
   * Checks the pending rows, oldest first, a page at a time: the ids of a page that neither the
   * bundle nor an earlier lookup resolves are looked up in the store first, then the kinds of the
   * places in the store that must be of one kind (homes).
   */
  private async flush(): Promise<void> {
    this.unresolved.clear();
    while (this.pendingRows > 0) {
      const rows = this.index.takePending(PENDING_PAGE);
      this.pendingRows -= rows.length;
      const ids = new Set<Id>();
      for (const row of rows)
        for (const r of row.references) if (this.kindOf(r.id) === undefined) ids.add(r.id);
      await this.lookUp(
        [...ids],
        (batch) => this.store.entityKinds(batch),
        (batch, kinds) => batch.forEach((id, j) => this.index.rememberStoredKind(id, kinds[j] ?? null)),
      );
      const places = new Set<Id>();
      for (const row of rows) for (const r of row.references) if (!this.resolved(r)) places.add(r.id);
      await this.lookUp(
        [...places],
        (batch) => this.store.places(batch),
        (_batch, stored) =>
          stored.forEach((place) => place && this.index.rememberStoredPlaceKind(place.id, place.kind)),
      );
      for (const row of rows) this.check(row);
    }
  }

  /** Asks the store about `ids` in batches of LOOKUP_BATCH, `remember`ing each answer in order. */
  private async lookUp<T>(
    ids: Id[],
    ask: (batch: Id[]) => Promise<T>,
    remember: (batch: Id[], answer: T) => void,
  ): Promise<void> {
    const lookups = new LookupsInFlight();
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const batch = ids.slice(i, i + LOOKUP_BATCH);
      await lookups.add(
        () => ask(batch),
        (answer) => remember(batch, answer),
      );
    }
    await lookups.drain();
  }

  /**
   * A place of the bundle that is not a home must be no one's home in the store, once the bundle
   * is written: persons the bundle defines again are left out (their own home_id is checked).
   * Skipped when persons.csv could not be read to its end, as those persons are not all known.
   */
  private async checkPlacesNotHomes(): Promise<void> {
    if (this.unreadKinds.has('person')) return;
    let after = '';
    while (true) {
      const places = this.index.placesNotHomes(after, LOOKUP_BATCH);
      if (places.length === 0) return;
      after = places[places.length - 1]!.id;
      const residents = await storedResidents(
        this.store,
        places.map((p) => p.id),
        (personId) => this.index.definition(personId) !== undefined,
      );
      for (const place of places) {
        const living = residents.get(place.id);
        if (!living) continue;
        this.problems.add({
          file: 'places.csv',
          line: place.line,
          column: 'kind',
          reason:
            `"${place.id}" is the home_id of ${living.count} person(s) in the store (${residentList(living)}), ` +
            `so it cannot be a ${place.placeKind}: a home_id names a place of kind home`,
        });
      }
    }
  }

  private check(row: PendingRow): void {
    const kinds = new Map<string, EntityKind>();
    for (const r of row.references) {
      const kind = this.kindOf(r.id);
      if (!kind && r.kinds.some((k) => this.unreadKinds.has(k))) {
        continue;
      } else if (!kind) {
        this.problems.add({
          file: row.file,
          line: row.line,
          column: r.column,
          reason: `no ${kindList(r.kinds)} "${r.id}" in this bundle or in the store`,
        });
      } else if (!r.kinds.includes(kind)) {
        this.problems.add({
          file: row.file,
          line: row.line,
          column: r.column,
          reason: `"${r.id}" is ${aKind(kind)} (${this.whereDefined(r.id)}), not ${aKindList(r.kinds)}`,
        });
      } else {
        kinds.set(r.column, kind);
        const placeKind = r.placeKind && kind === 'place' ? this.placeKindOf(r.id) : null;
        if (placeKind && placeKind !== r.placeKind) {
          this.problems.add({
            file: row.file,
            line: row.line,
            column: r.column,
            reason: `"${r.id}" is a place of kind ${placeKind} (${this.whereDefined(r.id)}), not a ${r.placeKind}`,
          });
        }
      }
    }
    const subject = kinds.get('subject_id');
    const host = kinds.get('host_id');
    if (row.file === 'stays.csv' && subject && host && stayTypeOf(subject, host) === null) {
      this.problems.add({
        file: row.file,
        line: row.line,
        column: 'host_id',
        reason: `${aKind(subject)} cannot stay at or aboard ${aKind(host)}`,
      });
    }
  }
}

/**
 * What is wrong with a bundle entry that is there but is not a file to read: a folder, a
 * symbolic link to nothing, a device or pipe. Null for a regular file (or a link to one).
 */
async function notAFile(filePath: string, entry: Stats, target: Stats | null): Promise<string | null> {
  if (target?.isFile()) return null;
  if (target?.isDirectory()) return 'is a folder, not a CSV file';
  if (!target && entry.isSymbolicLink()) {
    const to = await readlink(filePath).catch(() => '?');
    return `is a symbolic link to ${JSON.stringify(to)}, which does not exist`;
  }
  return 'is not a regular file (a bundle file is a CSV file)';
}

/** Throws ValidationError when a write into the folder `dir` that may still be running holds its lock. */
function refuseWhileWritten(dir: string): void {
  // An export or seed into the folder is running: it is about to replace the files, and the two
  // passes of an import could read the earlier bundle in one and the new one in the other.
  const writing = runningWriteOf(dir);
  if (!writing) return;
  throw new ValidationError([
    {
      file: dir,
      line: 0,
      column: '',
      reason:
        `this folder ${writing.detail}, so its files are about to be replaced` +
        `${writing.holder ? ` (it holds ${WRITE_LOCK})` : ''}; import it once that write has ended`,
    },
  ]);
}

/**
 * Why the marker of an import could not be made, when the import goes on without one: a folder
 * that is missing (`listBundle` refuses it), or one this process may not write in (read-only, or
 * another user's), which it reads unmarked.
 */
const UNMARKED_READS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

/**
 * Runs `read` (an import of the bundle folder `dir`, both passes) with the folder marked as being
 * read (BundleReadMarker), so that an export, seed or restore-bundle into it is refused until
 * `read` ends; the marker is then removed, whether `read` succeeded or not. The marker is made
 * before the write lock is looked at: a write takes the lock before it looks for markers, so of the
 * two, at least one sees the other. A folder a write that may still be running holds is refused
 * as `listBundle` refuses it.
 */
export async function whileReadingBundle<T>(dir: string, read: () => Promise<T>): Promise<T> {
  let marker: BundleReadMarker;
  try {
    marker = BundleReadMarker.make(dir);
  } catch (err) {
    if (UNMARKED_READS.has((err as NodeJS.ErrnoException).code ?? '')) return read();
    throw new ValidationError([
      {
        file: dir,
        line: 0,
        column: '',
        reason:
          `cannot make the file that marks this folder as being read by an import (so that no export or seed ` +
          `replaces its files meanwhile): ${reasonOf(err as Error)}`,
      },
    ]);
  }
  try {
    refuseWhileWritten(dir);
    return await read();
  } finally {
    marker.remove();
  }
}

/**
 * The files of a bundle folder, in the order they are written. Throws ValidationError when the
 * folder is missing, is being written (WRITE_LOCK), holds the journal of a bundle write that was interrupted (SWAP_JOURNAL), lacks a required file, or holds a bundle file that cannot be read as one (a
 * folder or a symbolic link to nothing named `stays.csv` would otherwise be skipped).
 */
export async function listBundle(dir: string): Promise<BundleFile[]> {
  const folder = await stat(dir).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new ValidationError([
      { file: dir, line: 0, column: '', reason: 'is not a folder (a bundle is a folder of CSV files)' },
    ]);
  }
  refuseWhileWritten(dir);
  // A write into the folder stopped while it renamed its files into place: some may be the new
  // bundle's, others the earlier one's. The next write into the folder, or restore-bundle, puts
  // the earlier one back.
  if (await lstat(path.join(dir, SWAP_JOURNAL)).catch(() => null)) {
    throw new ValidationError([
      {
        file: dir,
        line: 0,
        column: '',
        reason:
          `a bundle write into this folder was interrupted (it holds ${SWAP_JOURNAL}), so its files may be ` +
          `part the earlier bundle, part the new one; put back the bundle it held before (tracegraph ` +
          `restore-bundle ${dir}), or write the bundle into it again (tracegraph export or seed --out), ` +
          `which first puts that one back, then import it`,
      },
    ]);
  }
  const problems: FieldProblem[] = [];
  const files: BundleFile[] = [];
  /** Each bundle file found, as itself (lstat) and as what it leads to (stat). */
  const known: Stats[] = [];
  const present = new Set<string>();
  for (const spec of BUNDLE_SPECS) {
    const filePath = path.join(dir, spec.file);
    const entry = await lstat(filePath).catch(() => null);
    if (!entry) continue;
    present.add(spec.file);
    known.push(entry);
    const target = entry.isSymbolicLink() ? await stat(filePath).catch(() => null) : entry;
    if (target) known.push(target);
    const wrong = await notAFile(filePath, entry, target);
    if (wrong) problems.push({ file: spec.file, line: 0, column: '', reason: wrong });
    else files.push({ spec, path: filePath, bytes: target!.size });
  }
  // A CSV file under another name would be skipped, its rows lost without a word: `Stays.csv` or
  // `stay.csv` is a typo, not a file to ignore; so is a folder of that name. (On a case-insensitive
  // disk `Stays.csv` is the `stays.csv` read above: the same file.)
  const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;
  const names = BUNDLE_SPECS.map((spec) => spec.file).join(', ');
  for (const name of (await readdir(dir)).sort()) {
    if (!/\.csv$/i.test(name) || present.has(name)) continue;
    const entryPath = path.join(dir, name);
    const entry = await lstat(entryPath).catch(() => null);
    const target = await stat(entryPath).catch(() => null);
    if (!entry || known.some((k) => sameFile(k, entry) || (target !== null && sameFile(k, target)))) continue;
    problems.push({
      file: name,
      line: 0,
      column: '',
      reason: `is not a bundle file (a bundle's files are ${names}); rename it or move it out of ${dir}`,
    });
  }
  for (const file of REQUIRED_FILES) {
    if (present.has(file)) continue;
    problems.push({ file, line: 0, column: '', reason: `is missing from ${dir} (every bundle needs one)` });
  }
  if (problems.length) throw new ValidationError(problems);
  return files;
}

/**
 * Reads the whole bundle and checks it. Resolves with the files and their row counts when the
 * bundle can be imported; throws ValidationError listing the first problems in file then line order
 * otherwise.
 */
export async function validateBundle(
  store: ValidationStore,
  dir: string,
  options: ValidationOptions = {},
): Promise<ValidationResult> {
  const files = await listBundle(dir);
  const index = new BundleIndex();
  try {
    return await validateFiles(store, files, index, options);
  } finally {
    index.close();
  }
}

async function validateFiles(
  store: ValidationStore,
  files: BundleFile[],
  index: BundleIndex,
  options: ValidationOptions,
): Promise<ValidationResult> {
  const problems = new OrderedProblemLog(options.maxProblems ?? MAX_PROBLEMS);
  const warnings = new OrderedProblemLog(options.maxProblems ?? MAX_PROBLEMS);
  const plausibility = new BundlePlausibility(store, (w) => warnings.add(w));
  const references = new ReferenceChecker(store, index, problems, options.kindCacheSize ?? KIND_CACHE_SIZE);
  const rows: RowCounts = {};
  const repeats: RowCounts = {};
  const repeatedLines: RepeatedLines = {};

  for (const spec of BUNDLE_SPECS) {
    if (!spec.defines) await references.allEntitiesRead();
    const file = files.find((f) => f.spec === spec);
    if (!file) continue;
    const keyed = KEYED_FILES[spec.file];
    let count = 0;
    const repeatedHere: number[] = [];
    const conflicts = new ConflictingRepeats(spec, options.maxProblems ?? MAX_PROBLEMS);
    const source = readCsvRows(file.path, {
      columns: spec.columns,
      onProblem: (p) => {
        problems.add({ ...p, file: spec.file });
        if (spec.defines) references.unreadKinds.add(spec.defines);
      },
      onBytes: options.onBytes && ((bytes) => options.onBytes!(file, bytes)),
    });
    for await (const { line, row } of source) {
      count++;
      const parsed = spec.parse(row);
      for (const p of parsed.problems)
        problems.add({ file: spec.file, line, column: p.column, reason: p.reason });
      for (const w of parsed.warnings)
        warnings.add({ file: spec.file, line, column: w.column, reason: w.reason });

      if (spec.defines && spec.idColumn) {
        const id = (row[spec.idColumn] ?? '').trim();
        if (id) await define(id, spec.defines, spec.idColumn, line, row, parsed.record);
      } else if (keyed && parsed.record) {
        const print = fingerprint(parsed.record);
        const earlier = index.claimKey(spec.file, spec.key(parsed.record), line, print);
        if (!earlier && spec.file === 'samples.csv') await plausibility.sample(line, parsed.record as Sample);
        else if (!earlier && spec.file === 'cases.csv') await plausibility.case(line, parsed.record as Case);
        else if (earlier) {
          const subject = `repeats the ${keyed} of line ${earlier.line}`;
          repeat(subject, '', spec.columns[0]!, line, earlier, row, parsed.record, print);
        }
      }
      await references.addRow({ file: spec.file, line, references: parsed.references });
    }
    rows[spec.file] = count;
    if (repeatedHere.length > 0) {
      repeats[spec.file] = repeatedHere.length;
      repeatedLines[spec.file] = repeatedHere;
    }
    await conflicts.nameFields(file.path, (problem) => problems.keeps(problem));
    await plausibility.fileRead(spec.file);

    /**
     * A row with the id or key of the earlier row `earlier` of its file: the same record again,
     * which adds nothing and is counted as a repeat with a warning, or one with other fields,
     * refused (the fields that differ are named once the file is read). `subject` begins the
     * message, `where` ends it where it does not say the earlier line already.
     */
    function repeat(
      subject: string,
      where: string,
      column: string,
      line: number,
      earlier: { line: number; fingerprint: Buffer },
      row: RawRow,
      record: unknown,
      print: Buffer,
    ): void {
      if (print.equals(earlier.fingerprint)) {
        repeatedHere.push(line);
        warnings.add({
          file: spec.file,
          line,
          column,
          reason: `${subject} with the same fields${where}; this row is skipped`,
        });
        return;
      }
      const problem = { file: spec.file, line, column, reason: `${subject} with different fields${where}` };
      problems.add(problem);
      conflicts.add({
        problem,
        subject,
        earlierLine: earlier.line,
        earlierPrint: earlier.fingerprint,
        row,
        record,
      });
    }

    async function define(
      id: Id,
      kind: EntityKind,
      column: string,
      line: number,
      row: RawRow,
      record: unknown,
    ): Promise<void> {
      const print = record === null ? null : fingerprint(record);
      const placeKind = kind === 'place' && record !== null ? (record as Place).kind : null;
      const earlier = index.define(id, { kind, file: spec.file, line, fingerprint: print, placeKind });
      if (!earlier) {
        references.defined(id);
        await references.addDefinition(id, kind, spec.file, line);
      } else if (earlier.file !== spec.file) {
        problems.add({
          file: spec.file,
          line,
          column,
          reason: `"${id}" is already ${aKind(earlier.kind)} (${earlier.file}:${earlier.line}); ids are unique across the bundle`,
        });
      } else if (print !== null && earlier.fingerprint !== null) {
        const first = { line: earlier.line, fingerprint: earlier.fingerprint };
        const where = ` (first at line ${earlier.line})`;
        repeat(`"${id}" is defined again`, where, column, line, first, row, record, print);
      }
    }
  }
  await references.finish();
  await plausibility.finish();

  if (problems.total > 0) throw new ValidationError(problems.kept, problems.total);
  return { files, rows, repeats, repeatedLines, warnings: warnings.kept, warningsTotal: warnings.total };
}
