/**
 * Writing records through the API: each input row goes through the import's row spec
 * (src/domain/records.ts) under its CSV column names, then the references are checked against
 * the store, and only a batch with no problem at all is written (in one store write); cached reads
 * and analyses are then dropped. Persons' stays at quarantine sites must each find a free bed, as
 * an assignment must, and a quarantine site's capacity must hold the persons recorded there
 * (quarantine-beds.ts); a person's home must be a place of kind home, and a place no one's home
 * unless it is one. So batches of stays, places and persons are checked and written one at a time
 * with the assignments to the same store (checked-writes.ts). A sample that corrects the stored
 * result or ct of its key is written, and said in the warnings, as import says it; so is a first
 * positive sample weeks before a case's confirmation, one of them stored and the other written.
 */
import { casesSpec, samplesSpec, type FileSpec, type RawRow, type Reference } from '../../domain/records';
import {
  HOME_KIND,
  stayTypeOf,
  type Case,
  type EntityKind,
  type Id,
  type Instant,
  type Place,
  type RecordBatch,
  type Sample,
  type Stay,
} from '../../domain/types';
import {
  casesEarlyAfterStoredSamples,
  noteFirstPositive,
  noteMadeNegative,
  sampleCorrections,
  samplesEarlyForStoredCases,
} from '../../import/plausibility';
import type { TraceStore } from '../../store/port';
import { residentList, storedResidents } from '../../store/residents';
import { badUserInput, type InputProblem } from '../errors';
import { clearLoaders, type Loaders } from '../loaders';
import { oneCheckedWriteAtATime } from './checked-writes';
import { sitePlaceProblems, siteStayProblems } from './quarantine-beds';

export const MAX_RECORDS_PER_MUTATION = 1000;

const STAY_SUBJECTS: readonly EntityKind[] = ['person', 'item', 'boat'];
const STAY_HOSTS: readonly EntityKind[] = ['place', 'boat'];

export const KIND_WORDS: Record<EntityKind, string> = {
  person: 'person',
  place: 'place',
  boat: 'boat',
  item: 'cold-chain lot',
};

/** CSV column name to input field name: `home_port_id` -> `homePortId`. */
export const fieldOfColumn = (column: string): string =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** An input object as a CSV row: empty text for null, ISO 8601 for instants. */
export function inputAsRow(input: object, columns: readonly string[]): RawRow {
  const row: RawRow = {};
  const fields = input as Record<string, unknown>;
  for (const column of columns) {
    const value = fields[fieldOfColumn(column)];
    row[column] =
      value === null || value === undefined
        ? ''
        : value instanceof Date
          ? value.toISOString()
          : String(value);
  }
  return row;
}

/** A reason that names another column (`is the same person as person_a`) names the input field instead. */
function inFieldNames(reason: string, columns: readonly string[]): string {
  return columns
    .filter((c) => c.includes('_'))
    .reduce(
      (text, column) => text.replace(new RegExp(`\\b${column}\\b`, 'g'), fieldOfColumn(column)),
      reason,
    );
}

/** The columns import's sample and first-positive warnings name: said as the API's fields. */
const FIRST_POSITIVE_COLUMNS = [...samplesSpec.columns, ...casesSpec.columns];

function listOf(kinds: readonly EntityKind[]): string {
  const words = kinds.map((k) => KIND_WORDS[k]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words[0]!;
}

export class RecordsService {
  constructor(
    private readonly store: TraceStore,
    private readonly loaders: Loaders,
    /** Called once the store may have changed (e.g. to drop cached analyses). */
    private readonly onWrite: () => void = () => undefined,
    /** Given the values written but likely mistyped (an onset weeks before the confirmation). */
    private readonly onWarnings: (warnings: InputProblem[]) => void = () => undefined,
  ) {}

  /**
   * Validates and writes one batch of one kind. `argument` is the mutation argument (e.g.
   * `stays`), used in problem paths such as `stays[3].end`.
   */
  write<T>(
    argument: string,
    spec: FileSpec<T>,
    batchKey: keyof RecordBatch,
    inputs: readonly object[],
  ): Promise<T[]> {
    // A write queued behind others waits for another process's write lock no longer in all.
    const askedAt = Date.now();
    const checkAndWrite = () => this.checkAndWrite(argument, spec, batchKey, inputs, askedAt);
    // Stays take beds and places set them; persons live at homes and places stop being homes.
    return batchKey === 'stays' || batchKey === 'places' || batchKey === 'persons'
      ? oneCheckedWriteAtATime(this.store, checkAndWrite)
      : checkAndWrite();
  }

  private async checkAndWrite<T>(
    argument: string,
    spec: FileSpec<T>,
    batchKey: keyof RecordBatch,
    inputs: readonly object[],
    askedAt: number,
  ): Promise<T[]> {
    if (inputs.length > MAX_RECORDS_PER_MUTATION) {
      throw badUserInput([
        {
          path: argument,
          reason: `at most ${MAX_RECORDS_PER_MUTATION} records per call (got ${inputs.length})`,
        },
      ]);
    }
    const problems: (InputProblem & { index: number })[] = [];
    const warnings: (InputProblem & { index: number })[] = [];
    const records: T[] = [];
    /** The input each record came from. */
    const indexOfRecord: number[] = [];
    const references: (Reference & { index: number; field: string })[] = [];
    /** The first input of each key, and its record as JSON: a repeat is refused only if it differs. */
    const firstOfKey = new Map<string, { index: number; json: string }>();

    inputs.forEach((input, index) => {
      const parsed = spec.parse(inputAsRow(input, spec.columns));
      for (const p of parsed.problems) {
        problems.push({
          index,
          path: `${argument}[${index}].${fieldOfColumn(p.column)}`,
          reason: inFieldNames(p.reason, spec.columns),
        });
      }
      for (const w of parsed.warnings) {
        warnings.push({
          index,
          path: `${argument}[${index}].${fieldOfColumn(w.column)}`,
          reason: inFieldNames(w.reason, spec.columns),
        });
      }
      for (const r of parsed.references) references.push({ ...r, index, field: fieldOfColumn(r.column) });
      if (!parsed.record) return;
      const key = spec.key(parsed.record);
      const json = JSON.stringify(parsed.record);
      const earlier = firstOfKey.get(key);
      if (earlier !== undefined) {
        // As import does: the same record twice is written once; the same key with other fields is refused.
        if (earlier.json === json) return;
        const where = spec.idColumn
          ? `${argument}[${index}].${fieldOfColumn(spec.idColumn)}`
          : `${argument}[${index}]`;
        problems.push({
          index,
          path: where,
          reason: `repeats ${argument}[${earlier.index}] with different fields`,
        });
      } else {
        firstOfKey.set(key, { index, json });
      }
      records.push(parsed.record);
      indexOfRecord.push(index);
    });

    // One store call resolves every id the batch refers to or defines.
    const defined =
      spec.idColumn && spec.defines ? records.map((r) => (r as Record<string, unknown>)['id'] as Id) : [];
    const ids = [...new Set([...references.map((r) => r.id), ...defined])];
    const kinds = new Map<Id, EntityKind | null>();
    if (ids.length) {
      const found = await this.store.entityKinds(ids);
      ids.forEach((id, i) => kinds.set(id, found[i] ?? null));
    }
    if (spec.defines) {
      for (const [index, input] of inputs.entries()) {
        const id = String((input as Record<string, unknown>)['id'] ?? '').trim();
        const existing = kinds.get(id);
        if (existing && existing !== spec.defines) {
          problems.push({
            index,
            path: `${argument}[${index}].id`,
            reason: `"${id}" is already a ${KIND_WORDS[existing]}`,
          });
        }
      }
      for (const id of defined) if (!kinds.get(id)) kinds.set(id, spec.defines);
    }
    for (const ref of references) {
      const kind = kinds.get(ref.id);
      const path = `${argument}[${ref.index}].${ref.field}`;
      if (!kind) problems.push({ index: ref.index, path, reason: `"${ref.id}" does not exist` });
      else if (!ref.kinds.includes(kind)) {
        problems.push({
          index: ref.index,
          path,
          reason: `"${ref.id}" is a ${KIND_WORDS[kind]}, not a ${listOf(ref.kinds)}`,
        });
      }
    }
    // A place that must be of one kind (a home): its kind is read from the store, all in one call.
    const placeRefs = references.filter((r) => r.placeKind && kinds.get(r.id) === 'place');
    if (placeRefs.length) {
      const ids = [...new Set(placeRefs.map((r) => r.id))];
      const places = await this.store.places(ids);
      const placeKinds = new Map(ids.map((id, i) => [id, places[i]?.kind]));
      for (const ref of placeRefs) {
        const placeKind = placeKinds.get(ref.id);
        if (placeKind !== undefined && placeKind !== ref.placeKind) {
          problems.push({
            index: ref.index,
            path: `${argument}[${ref.index}].${ref.field}`,
            reason: `"${ref.id}" is a place of kind ${placeKind}, not a ${ref.placeKind}`,
          });
        }
      }
    }
    if (batchKey === 'stays') {
      // Kinds that are each allowed can still make no stay together (a boat aboard a boat).
      inputs.forEach((input, index) => {
        const stay = input as Partial<Stay>;
        const subject = kinds.get(String(stay.subjectId ?? '').trim());
        const host = kinds.get(String(stay.hostId ?? '').trim());
        const eachAllowed = subject && host && STAY_SUBJECTS.includes(subject) && STAY_HOSTS.includes(host);
        if (eachAllowed && !stayTypeOf(subject, host)) {
          problems.push({
            index,
            path: `${argument}[${index}].hostId`,
            reason: `a ${KIND_WORDS[subject]} cannot stay at a ${KIND_WORDS[host]}`,
          });
        }
      });
    }

    // Beds are counted only for a batch otherwise fit to write: every record parsed, every id known.
    if (batchKey === 'stays' && !problems.length) {
      for (const { position, field, reason } of await siteStayProblems(this.store, records as Stay[], (id) =>
        kinds.get(id),
      )) {
        const index = indexOfRecord[position]!;
        problems.push({ index, path: `${argument}[${index}].${field}`, reason });
      }
    }
    if (batchKey === 'places') {
      for (const { position, reason } of await placesNotHomesProblems(this.store, records as Place[])) {
        const index = indexOfRecord[position]!;
        problems.push({ index, path: `${argument}[${index}].kind`, reason });
      }
    }
    if (batchKey === 'places' && !problems.length) {
      for (const { position, field, reason } of await sitePlaceProblems(this.store, records as Place[])) {
        const index = indexOfRecord[position]!;
        problems.push({ index, path: `${argument}[${index}].${field}`, reason });
      }
    }

    if (problems.length) {
      problems.sort((a, b) => a.index - b.index);
      throw badUserInput(problems.map(({ path, reason }) => ({ path, reason })));
    }
    if (batchKey === 'samples' && records.length) {
      for (const { position, column, reason } of await sampleWarnings(this.store, records as Sample[])) {
        const index = indexOfRecord[position]!;
        warnings.push({
          index,
          path: `${argument}[${index}].${fieldOfColumn(column)}`,
          reason: inFieldNames(reason, FIRST_POSITIVE_COLUMNS),
        });
      }
    }
    if (batchKey === 'cases' && records.length) {
      // A case confirmed weeks after its person's first positive sample, stored, as import says it.
      (await casesEarlyAfterStoredSamples(this.store, records as Case[])).forEach((reason, position) => {
        if (reason === null) return;
        const index = indexOfRecord[position]!;
        warnings.push({
          index,
          path: `${argument}[${index}].confirmedAt`,
          reason: inFieldNames(reason, FIRST_POSITIVE_COLUMNS),
        });
      });
    }
    if (records.length) {
      try {
        await this.store.write({ [batchKey]: records } as RecordBatch, { waitFrom: askedAt });
      } finally {
        // Even a failed write may have reached the store before it failed.
        clearLoaders(this.loaders);
        this.onWrite();
      }
      warnings.sort((a, b) => a.index - b.index);
      if (warnings.length) this.onWarnings(warnings.map(({ path, reason }) => ({ path, reason })));
    }
    return records;
  }
}

/**
 * Places of `places` whose kind is not home while persons in the store have them as their home,
 * by position in `places`, with the reason. A place left a market as it was is checked too: the
 * persons must move (upsertPersons) before the place is written again.
 */
async function placesNotHomesProblems(
  store: TraceStore,
  places: readonly Place[],
): Promise<{ position: number; reason: string }[]> {
  const notHomes = places.flatMap((place, position) =>
    place.kind === HOME_KIND ? [] : [{ place, position }],
  );
  const residents = await storedResidents(
    store,
    notHomes.map(({ place }) => place.id),
  );
  return notHomes.flatMap(({ place, position }) => {
    const living = residents.get(place.id);
    if (!living) return [];
    const reason =
      `"${place.id}" is the homeId of ${living.count} person(s) (${residentList(living)}), ` +
      `so it cannot be a ${place.kind}: a homeId names a place of kind home`;
    return [{ position, reason }];
  });
}

/**
 * What a batch of samples changes that the caller must hear of, by position in `samples` and
 * column, as import says it (src/import/plausibility.ts): a stored result or ct it corrects, and a
 * positive sample that becomes the first of a stored case weeks before its confirmation (a stored
 * positive sample the batch makes negative no longer counts). Reads the stored samples of the
 * batch's keys, then the cases of the subjects of its positive samples, then, for cases the batch
 * makes early, their stored samples: each read once for the whole batch.
 */
async function sampleWarnings(
  store: TraceStore,
  samples: readonly Sample[],
): Promise<{ position: number; column: string; reason: string }[]> {
  const warnings: { position: number; column: string; reason: string }[] = [];
  const madeNegative = new Map<Id, Set<string>>();
  (await store.samplesByKey(samples)).forEach((before, position) => {
    if (!before) return;
    for (const { column, reason } of sampleCorrections(before, samples[position]!))
      warnings.push({ position, column, reason });
    noteMadeNegative(madeNegative, before, samples[position]!);
  });
  /** The earliest positive sample of each subject in the batch, and its position. */
  const firstPositive = new Map<Id, { at: Instant; where: number }>();
  samples.forEach((sample, position) => noteFirstPositive(firstPositive, sample, position));
  const firsts = new Map([...firstPositive].map(([id, first]) => [id, first.at]));
  for (const [subjectId, reason] of await samplesEarlyForStoredCases(store, firsts, madeNegative))
    warnings.push({ position: firstPositive.get(subjectId)!.where, column: 'sampled_at', reason });
  return warnings;
}
