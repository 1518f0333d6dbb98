/**
 * Reference checks for a batch written to Neo4j: every id a record points at must name an entity
 * of the right kind (in the batch or already stored), and an id names one kind only. Neo4j would
 * otherwise drop a stay whose host is missing without a word (its MATCH finds nothing); here the
 * whole batch is refused with the record and field at fault. Also picks each stay's relationship
 * type from the kinds of its ends.
 */
import { ValidationError, type FieldProblem } from '../../domain/errors';
import {
  stayTypeOf,
  type EntityKind,
  type Id,
  type RecordBatch,
  type Stay,
  type StayType,
} from '../../domain/types';

const ENTITY_LISTS = [
  ['places', 'place'],
  ['persons', 'person'],
  ['boats', 'boat'],
  ['items', 'item'],
] as const satisfies readonly (readonly [keyof RecordBatch, EntityKind])[];

/** How kinds read in messages: a cold-chain item is a lot to investigators. */
const KIND_WORD: Record<EntityKind, string> = { person: 'person', place: 'place', boat: 'boat', item: 'lot' };

const MAX_PROBLEMS = 100;

/** The ids of the entities the batch defines. */
export function definedEntityIds(batch: RecordBatch): Id[] {
  const ids = new Set<Id>();
  for (const [list] of ENTITY_LISTS) for (const entity of batch[list] ?? []) ids.add(entity.id);
  return [...ids];
}

/** Every id the batch defines or refers to: what must be looked up in the store before writing. */
export function idsToLookUp(batch: RecordBatch): Id[] {
  const ids = new Set<Id>(definedEntityIds(batch));
  for (const s of batch.stays ?? []) ids.add(s.subjectId).add(s.hostId);
  for (const c of batch.contacts ?? []) ids.add(c.personA).add(c.personB);
  for (const h of batch.handlings ?? []) ids.add(h.personId).add(h.itemId);
  for (const s of batch.samples ?? []) ids.add(s.subjectId);
  for (const c of batch.cases ?? []) ids.add(c.personId);
  return [...ids];
}

/**
 * Checks the batch against the kinds already stored and groups its stays by relationship type.
 * Throws ValidationError (nothing is written) when a reference is unknown or of the wrong kind.
 */
export function resolveBatch(batch: RecordBatch, stored: ReadonlyMap<Id, EntityKind>): Map<StayType, Stay[]> {
  const problems: FieldProblem[] = [];
  const problem = (file: string, column: string, reason: string): void => {
    problems.push({ file, line: 0, column, reason });
  };

  const defined = new Map<Id, EntityKind>();
  for (const [list, kind] of ENTITY_LISTS) {
    (batch[list] ?? []).forEach((entity, index) => {
      const already = defined.get(entity.id) ?? stored.get(entity.id);
      if (already !== undefined && already !== kind) {
        problem(`${list}[${index}]`, 'id', `"${entity.id}" is already a ${KIND_WORD[already]}`);
      } else {
        defined.set(entity.id, kind);
      }
    });
  }
  const kindOf = (id: Id): EntityKind | undefined => defined.get(id) ?? stored.get(id);
  const expect = (
    file: string,
    column: string,
    id: Id,
    kinds: readonly EntityKind[],
  ): EntityKind | undefined => {
    const kind = kindOf(id);
    if (kind === undefined || !kinds.includes(kind)) {
      const words = kinds.map((k) => KIND_WORD[k]);
      const wanted = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words[0];
      problem(
        file,
        column,
        kind === undefined
          ? `"${id}" is not a known ${wanted}`
          : `"${id}" is a ${KIND_WORD[kind]}, not a ${wanted}`,
      );
      return undefined;
    }
    return kind;
  };

  const staysByType = new Map<StayType, Stay[]>();
  (batch.stays ?? []).forEach((stay, index) => {
    const file = `stays[${index}]`;
    const subject = expect(file, 'subjectId', stay.subjectId, ['person', 'item', 'boat']);
    const host = expect(file, 'hostId', stay.hostId, ['place', 'boat']);
    if (subject === undefined || host === undefined) return;
    const type = stayTypeOf(subject, host);
    if (type === null) {
      problem(file, 'hostId', `a ${KIND_WORD[subject]} cannot stay at or aboard a ${KIND_WORD[host]}`);
      return;
    }
    const group = staysByType.get(type) ?? [];
    group.push(stay);
    staysByType.set(type, group);
  });
  (batch.contacts ?? []).forEach((c, index) => {
    expect(`contacts[${index}]`, 'personA', c.personA, ['person']);
    expect(`contacts[${index}]`, 'personB', c.personB, ['person']);
  });
  (batch.handlings ?? []).forEach((h, index) => {
    expect(`handlings[${index}]`, 'personId', h.personId, ['person']);
    expect(`handlings[${index}]`, 'itemId', h.itemId, ['item']);
  });
  (batch.samples ?? []).forEach((s, index) => {
    expect(`samples[${index}]`, 'subjectId', s.subjectId, ['person', 'item', 'place', 'boat']);
  });
  (batch.cases ?? []).forEach((c, index) => {
    expect(`cases[${index}]`, 'personId', c.personId, ['person']);
  });

  if (problems.length > 0) throw new ValidationError(problems.slice(0, MAX_PROBLEMS), problems.length);
  return staysByType;
}
