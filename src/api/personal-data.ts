/**
 * Personal data (a person's name, phone, id number, and a home's name) as the API shows it: masked
 * for roles that may not see it (src/domain/masking.ts), and otherwise noted for the audit log.
 * A home's name is an address, and an address picks out a household (as the reports' `--role cdc`
 * has it, src/report/mask.ts); the names of other places (villages, venues, ports) are not personal.
 *
 * The free texts (a quarantine entry's reasons, a contact evidence's reason, a candidate's evidence,
 * a source's reasons, a risk area's reason, the windows' basis, flags) are written by src/analysis
 * from ids, place kinds, numbers and dates (`with case B at market MKT for 30 min, …`), never from
 * a name, so every role reads them as they are. They were once searched for persons' names: that
 * found nothing to mask, and a person named like a place's id masked the id in every text.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { maskIdNumber, maskName, maskPhone } from '../domain/masking';
import { HOME_KIND, type Person, type Place } from '../domain/types';
import type { ApiContext, Role } from './context.type';

export const PERSONAL_FIELDS = ['name', 'phone', 'idNumber'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const MASKS: Record<PersonalField, (value: string | null) => string | null> = {
  name: maskName,
  phone: maskPhone,
  idNumber: maskIdNumber,
};

export function seesPersonalData(role: Role): boolean {
  return role !== 'cdc';
}

/** One operation's reads of unmasked personal data. */
export interface PersonalDataRead {
  operationName: string | null;
  personIds: string[];
  /** Homes whose name was read (counted in `fields` as `name`). */
  placeIds: string[];
  fields: PersonalField[];
}

/** Collects reads during a request; a batched HTTP request shares it, so reads are kept per operation. */
export class PersonalDataReads {
  private readonly byOperation = new Map<
    string | null,
    { personIds: Set<string>; placeIds: Set<string>; fields: Set<PersonalField> }
  >();

  private readOf(operationName: string | null) {
    let read = this.byOperation.get(operationName);
    if (!read) {
      read = { personIds: new Set(), placeIds: new Set(), fields: new Set() };
      this.byOperation.set(operationName, read);
    }
    return read;
  }

  note(operationName: string | null, personId: string, field: PersonalField): void {
    const read = this.readOf(operationName);
    read.personIds.add(personId);
    read.fields.add(field);
  }

  /** A home's name (its address) read unmasked. */
  noteHome(operationName: string | null, placeId: string): void {
    const read = this.readOf(operationName);
    read.placeIds.add(placeId);
    read.fields.add('name');
  }

  /** Returns what was collected and forgets it. */
  drain(): PersonalDataRead[] {
    const reads = [...this.byOperation].map(([operationName, read]) => ({
      operationName,
      personIds: [...read.personIds].sort(),
      placeIds: [...read.placeIds].sort(),
      fields: PERSONAL_FIELDS.filter((f) => read.fields.has(f)),
    }));
    this.byOperation.clear();
    return reads;
  }
}

/** The value of one personal field as this viewer may see it; unmasked reads are noted for the audit. */
export function personalField(
  person: Person,
  field: PersonalField,
  context: ApiContext,
  info: GraphQLResolveInfo,
): string | null {
  const value = person[field];
  const role = context.viewer?.role;
  if (!role || !seesPersonalData(role)) return MASKS[field](value);
  if (value !== null) context.personalReads.note(info.operation.name?.value ?? null, person.id, field);
  return value;
}

/**
 * A place's name as this viewer may see it: a home's masked for roles that may not see personal
 * data, and its unmasked read noted for the audit; other places' names as they are.
 */
export function placeName(place: Place, context: ApiContext, info: GraphQLResolveInfo): string | null {
  // A home's name (an address) is personal data of its household.
  if (place.kind !== HOME_KIND) return place.name;
  const role = context.viewer?.role;
  if (!role || !seesPersonalData(role)) return maskName(place.name);
  if (place.name !== null) context.personalReads.noteHome(info.operation.name?.value ?? null, place.id);
  return place.name;
}

/**
 * A search by personal data tells the searcher that each result's name, phone or id number holds
 * the text, so the matching fields count as read even when they are not selected.
 */
export function noteSearchMatches(
  found: readonly Person[],
  text: string,
  context: ApiContext,
  info: GraphQLResolveInfo,
): void {
  const needle = text.toLowerCase();
  const operationName = info.operation.name?.value ?? null;
  for (const person of found) {
    for (const field of PERSONAL_FIELDS) {
      if (person[field]?.toLowerCase().includes(needle))
        context.personalReads.note(operationName, person.id, field);
    }
  }
}
