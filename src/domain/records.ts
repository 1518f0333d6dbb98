/**
 * The import format (bundle version 1), file by file: which columns each file has, how each
 * field is read, and which ids a row refers to. Import and the API's mutations both validate
 * through these definitions, so a record is accepted or refused the same way everywhere.
 */
import {
  CONTACT_SETTINGS,
  HOME_KIND,
  type Boat,
  type Case,
  type ColdChainItem,
  type Contact,
  type EntityKind,
  type Handling,
  type Instant,
  type Person,
  type Place,
  type PlaceKind,
  type Sample,
  type Stay,
} from './types';
import { DAY, formatDate, instantTextProblem, parseInstant } from './time';

export type FileName =
  | 'persons.csv'
  | 'places.csv'
  | 'boats.csv'
  | 'items.csv'
  | 'stays.csv'
  | 'contacts.csv'
  | 'handlings.csv'
  | 'samples.csv'
  | 'cases.csv';

/** A row as read from CSV: header name to raw text. */
export type RawRow = Record<string, string | undefined>;

/** An id a row refers to, and the kinds it may name. */
export interface Reference {
  column: string;
  id: string;
  kinds: readonly EntityKind[];
  /** The kind of place it must name, where it names a place (a person's home: `home`). */
  placeKind?: PlaceKind;
}

export interface ParsedRow<T> {
  record: T | null;
  problems: { column: string; reason: string }[];
  /** Values accepted but likely mistyped: reported beside the import's result, never refused. */
  warnings: { column: string; reason: string }[];
  references: Reference[];
}

/**
 * An onset or first positive sample this long before the confirmation is likely a mistyped date
 * (a year, a month): the infectious window opens before it, so such a case would expose everyone it
 * met in between. Omicron's incubation is at most about 14 days; symptoms go on rarely longer
 * before a test.
 */
export const SUSPICIOUS_DAYS_BEFORE_CONFIRMATION = 21;

/**
 * How many days `at` (an onset, a first positive sample) lies before `confirmedAt`, when that is
 * more than SUSPICIOUS_DAYS_BEFORE_CONFIRMATION; null otherwise.
 */
export function suspiciousDaysBeforeConfirmation(at: Instant, confirmedAt: Instant): number | null {
  const days = Math.floor((confirmedAt - at) / DAY);
  return days > SUSPICIOUS_DAYS_BEFORE_CONFIRMATION ? days : null;
}

/** How a warning of such a date ends. */
export const EARLY_DATE_ACCEPTED =
  'accepted as given, but its infectious window opens before it: check the date';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

class RowReader {
  readonly problems: { column: string; reason: string }[] = [];
  readonly warnings: { column: string; reason: string }[] = [];
  readonly references: Reference[] = [];
  constructor(private readonly row: RawRow) {}

  private raw(column: string): string {
    return (this.row[column] ?? '').trim();
  }

  required(column: string): string {
    const v = this.raw(column);
    if (!v) this.problems.push({ column, reason: 'is required' });
    return v;
  }

  optional(column: string): string | null {
    const v = this.raw(column);
    return v === '' ? null : v;
  }

  number(column: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | null {
    const v = this.optional(column);
    if (v === null) return null;
    // Decimal text only: Number() would also read 0x1E, 0b11 and 0o17.
    const n = DECIMAL.test(v) ? Number(v) : NaN;
    const { min = -Infinity, max = Infinity, integer = false } = opts;
    // A whole number past 2^53 would be stored as a neighbour of itself.
    if (!Number.isFinite(n) || (integer && !Number.isSafeInteger(n)) || n < min || n > max) {
      const kind = integer ? 'a whole number' : 'a number';
      const range =
        Number.isFinite(min) && Number.isFinite(max)
          ? ` from ${min} to ${max}`
          : Number.isFinite(min)
            ? ` of at least ${min}`
            : Number.isFinite(max)
              ? ` of at most ${max}`
              : '';
      this.problems.push({ column, reason: `"${v}" is not ${kind}${range}` });
      return null;
    }
    return n;
  }

  instant(column: string, opts: { required: boolean; allowDate: boolean }): number | null {
    const v = opts.required ? this.required(column) : this.optional(column);
    if (!v) return null;
    const at = parseInstant(v, opts.allowDate);
    if (at === null)
      this.problems.push({ column, reason: `"${v}" ${instantTextProblem(v, opts.allowDate)}` });
    return at;
  }

  oneOf<T extends string>(column: string, allowed: readonly T[], required = true): T | null {
    const v = required ? this.required(column) : this.optional(column);
    if (!v) return null;
    const lower = v.toLowerCase();
    if (!(allowed as readonly string[]).includes(lower)) {
      this.problems.push({ column, reason: `"${v}" is not one of ${allowed.join(', ')}` });
      return null;
    }
    return lower as T;
  }

  ref(column: string, kinds: readonly EntityKind[], required = true): string | null {
    const v = required ? this.required(column) : this.optional(column);
    if (v) this.references.push({ column, id: v, kinds });
    return v || null;
  }

  /** An optional reference to a place of one kind only. */
  placeRef(column: string, placeKind: PlaceKind): string | null {
    const v = this.optional(column);
    if (v) this.references.push({ column, id: v, kinds: ['place'], placeKind });
    return v;
  }

  done<T>(record: T): ParsedRow<T> {
    return {
      record: this.problems.length ? null : record,
      problems: this.problems,
      warnings: this.warnings,
      references: this.references,
    };
  }
}

function readSex(r: RowReader): 'M' | 'F' | null {
  const v = r.optional('sex');
  if (v === null) return null;
  const s = v.toUpperCase();
  if (s === 'M' || s === 'MALE' || v === '男') return 'M';
  if (s === 'F' || s === 'FEMALE' || v === '女') return 'F';
  r.problems.push({ column: 'sex', reason: `"${v}" is not M or F` });
  return null;
}

export interface FileSpec<T> {
  file: FileName;
  /** Columns that must be in the header. */
  columns: readonly string[];
  /** The column holding the row's own id, for files of entities. */
  idColumn?: string;
  /** The kind of entity each row defines, for files of entities. */
  defines?: EntityKind;
  parse(row: RawRow): ParsedRow<T>;
  /** Identity of a record for duplicate detection within a bundle. */
  key(record: T): string;
}

export const personsSpec: FileSpec<Person> = {
  file: 'persons.csv',
  columns: ['id', 'name', 'sex', 'age', 'phone', 'id_number', 'home_id', 'occupation'],
  idColumn: 'id',
  defines: 'person',
  parse(row) {
    const r = new RowReader(row);
    return r.done<Person>({
      id: r.required('id'),
      name: r.optional('name'),
      sex: readSex(r),
      age: r.number('age', { min: 0, max: 130, integer: true }),
      phone: r.optional('phone'),
      idNumber: r.optional('id_number'),
      // A household is the persons who share a home: a market named as home_id would make its
      // whole crowd one household.
      homeId: r.placeRef('home_id', HOME_KIND),
      occupation: r.optional('occupation'),
    });
  },
  key: (p) => p.id,
};

export const placesSpec: FileSpec<Place> = {
  file: 'places.csv',
  columns: ['id', 'name', 'kind', 'lat', 'lon', 'capacity'],
  idColumn: 'id',
  defines: 'place',
  parse(row) {
    const r = new RowReader(row);
    const kind = r.required('kind').toLowerCase();
    if (kind && !/^[a-z][a-z0-9_]*$/.test(kind)) {
      r.problems.push({
        column: 'kind',
        reason: `"${kind}" is not a word (a letter, then letters, digits or _)`,
      });
    }
    return r.done<Place>({
      id: r.required('id'),
      name: r.optional('name'),
      kind,
      lat: r.number('lat', { min: -90, max: 90 }),
      lon: r.number('lon', { min: -180, max: 180 }),
      capacity: r.number('capacity', { min: 0, integer: true }),
    });
  },
  key: (p) => p.id,
};

export const boatsSpec: FileSpec<Boat> = {
  file: 'boats.csv',
  columns: ['id', 'name', 'registration', 'home_port_id'],
  idColumn: 'id',
  defines: 'boat',
  parse(row) {
    const r = new RowReader(row);
    return r.done<Boat>({
      id: r.required('id'),
      name: r.optional('name'),
      registration: r.optional('registration'),
      homePortId: r.ref('home_port_id', ['place'], false),
    });
  },
  key: (b) => b.id,
};

export const itemsSpec: FileSpec<ColdChainItem> = {
  file: 'items.csv',
  columns: ['id', 'product', 'lot', 'origin', 'arrived_at'],
  idColumn: 'id',
  defines: 'item',
  parse(row) {
    const r = new RowReader(row);
    return r.done<ColdChainItem>({
      id: r.required('id'),
      product: r.optional('product'),
      lot: r.optional('lot'),
      origin: r.optional('origin'),
      arrivedAt: r.instant('arrived_at', { required: false, allowDate: true }),
    });
  },
  key: (i) => i.id,
};

function checkInterval(r: RowReader, start: number | null, end: number | null): void {
  if (start !== null && end !== null && end < start) {
    r.problems.push({ column: 'end', reason: 'is before start' });
  }
}

export const staysSpec: FileSpec<Stay> = {
  file: 'stays.csv',
  columns: ['subject_id', 'host_id', 'start', 'end'],
  parse(row) {
    const r = new RowReader(row);
    const subjectId = r.ref('subject_id', ['person', 'item', 'boat']) ?? '';
    const hostId = r.ref('host_id', ['place', 'boat']) ?? '';
    const start = r.instant('start', { required: true, allowDate: false });
    const end = r.instant('end', { required: true, allowDate: false });
    checkInterval(r, start, end);
    if (subjectId && subjectId === hostId)
      r.problems.push({ column: 'host_id', reason: 'is the subject itself' });
    return r.done<Stay>({ subjectId, hostId, start: start ?? 0, end: end ?? 0 });
  },
  key: (s) => `${s.subjectId}|${s.hostId}|${s.start}|${s.end}`,
};

export const contactsSpec: FileSpec<Contact> = {
  file: 'contacts.csv',
  columns: ['person_a', 'person_b', 'start', 'end', 'setting'],
  parse(row) {
    const r = new RowReader(row);
    const personA = r.ref('person_a', ['person']) ?? '';
    const personB = r.ref('person_b', ['person']) ?? '';
    const start = r.instant('start', { required: true, allowDate: false });
    const end = r.instant('end', { required: true, allowDate: false });
    checkInterval(r, start, end);
    if (personA && personA === personB)
      r.problems.push({ column: 'person_b', reason: 'is the same person as person_a' });
    const setting = r.oneOf('setting', CONTACT_SETTINGS);
    return r.done<Contact>({
      personA,
      personB,
      start: start ?? 0,
      end: end ?? 0,
      setting: setting ?? 'other',
    });
  },
  key: (c) => {
    const [a, b] = c.personA < c.personB ? [c.personA, c.personB] : [c.personB, c.personA];
    return `${a}|${b}|${c.start}|${c.end}|${c.setting}`;
  },
};

export const handlingsSpec: FileSpec<Handling> = {
  file: 'handlings.csv',
  columns: ['person_id', 'item_id', 'at'],
  parse(row) {
    const r = new RowReader(row);
    return r.done<Handling>({
      personId: r.ref('person_id', ['person']) ?? '',
      itemId: r.ref('item_id', ['item']) ?? '',
      at: r.instant('at', { required: true, allowDate: false }) ?? 0,
    });
  },
  key: (h) => `${h.personId}|${h.itemId}|${h.at}`,
};

export const samplesSpec: FileSpec<Sample> = {
  file: 'samples.csv',
  columns: ['subject_id', 'sampled_at', 'result', 'method', 'ct'],
  parse(row) {
    const r = new RowReader(row);
    return r.done<Sample>({
      subjectId: r.ref('subject_id', ['person', 'item', 'place', 'boat']) ?? '',
      sampledAt: r.instant('sampled_at', { required: true, allowDate: false }) ?? 0,
      result: r.oneOf('result', ['positive', 'negative'] as const) ?? 'negative',
      method: r.oneOf('method', ['pcr', 'antigen'] as const) ?? 'pcr',
      ct: r.number('ct', { min: 0, max: 60 }),
    });
  },
  // One sample per subject, instant and method; a later bundle may correct its result.
  key: (s) => `${s.subjectId}|${s.sampledAt}|${s.method}`,
};

export const casesSpec: FileSpec<Case> = {
  file: 'cases.csv',
  columns: ['person_id', 'classification', 'onset', 'confirmed_at'],
  parse(row) {
    const r = new RowReader(row);
    const classification = r.oneOf('classification', ['confirmed', 'asymptomatic'] as const);
    const onset = r.instant('onset', { required: false, allowDate: true });
    if (classification === 'asymptomatic' && onset !== null) {
      r.problems.push({ column: 'onset', reason: 'an asymptomatic case has no onset' });
    }
    const personId = r.ref('person_id', ['person']) ?? '';
    const confirmedAt = r.instant('confirmed_at', { required: false, allowDate: true });
    if (onset !== null && confirmedAt !== null) {
      const days = suspiciousDaysBeforeConfirmation(onset, confirmedAt);
      if (days !== null)
        r.warnings.push({
          column: 'onset',
          reason: `${formatDate(onset)} is ${days} days before confirmed_at (${formatDate(confirmedAt)}); ${EARLY_DATE_ACCEPTED}`,
        });
    }
    return r.done<Case>({
      personId,
      classification: classification ?? 'confirmed',
      onset,
      confirmedAt,
    });
  },
  key: (c) => c.personId,
};

/** All files, in the order they are written (entities before what refers to them). */
export const FILE_SPECS = [
  placesSpec,
  personsSpec,
  boatsSpec,
  itemsSpec,
  staysSpec,
  contactsSpec,
  handlingsSpec,
  samplesSpec,
  casesSpec,
] as const;

/** Only this file must be present in a bundle. */
export const REQUIRED_FILES: readonly FileName[] = ['persons.csv'];
