/**
 * Personal data (name, phone, id number) as the API shows it: masked for roles that may not see
 * it (src/domain/masking.ts), and otherwise noted for the audit log.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { maskIdNumber, maskName, maskPhone } from '../domain/masking';
import type { Person } from '../domain/types';
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
  fields: PersonalField[];
}

/** Collects reads during a request; a batched HTTP request shares it, so reads are kept per operation. */
export class PersonalDataReads {
  private readonly byOperation = new Map<
    string | null,
    { personIds: Set<string>; fields: Set<PersonalField> }
  >();

  note(operationName: string | null, personId: string, field: PersonalField): void {
    let read = this.byOperation.get(operationName);
    if (!read) {
      read = { personIds: new Set(), fields: new Set() };
      this.byOperation.set(operationName, read);
    }
    read.personIds.add(personId);
    read.fields.add(field);
  }

  /** Returns what was collected and forgets it. */
  drain(): PersonalDataRead[] {
    const reads = [...this.byOperation].map(([operationName, read]) => ({
      operationName,
      personIds: [...read.personIds].sort(),
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
