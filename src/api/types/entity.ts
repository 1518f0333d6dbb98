/**
 * Records that can stand behind a union (a stay's subject or host, a sample's subject) carry their
 * kind under a symbol, which the unions read to pick the GraphQL type; it never reaches output.
 */
import type { Boat, ColdChainItem, EntityKind, Id, Person, Place } from '../../domain/types';
import type { Loaders } from '../loaders';

export const ENTITY_KIND = Symbol('entityKind');

export type Entity =
  | (Person & { [ENTITY_KIND]: 'person' })
  | (Place & { [ENTITY_KIND]: 'place' })
  | (Boat & { [ENTITY_KIND]: 'boat' })
  | (ColdChainItem & { [ENTITY_KIND]: 'item' });

export const TYPE_NAME_OF_KIND: Record<EntityKind, string> = {
  person: 'Person',
  place: 'Place',
  boat: 'Boat',
  item: 'ColdChainItem',
};

/** The record an id names, whatever its kind, tagged for the unions; null when it does not exist. */
export async function loadEntity(loaders: Loaders, id: Id): Promise<Entity | null> {
  const kind = await loaders.entityKinds.load(id);
  switch (kind) {
    case 'person': {
      const p = await loaders.persons.load(id);
      return p && { ...p, [ENTITY_KIND]: 'person' };
    }
    case 'place': {
      const p = await loaders.places.load(id);
      return p && { ...p, [ENTITY_KIND]: 'place' };
    }
    case 'boat': {
      const b = await loaders.boats.load(id);
      return b && { ...b, [ENTITY_KIND]: 'boat' };
    }
    case 'item': {
      const i = await loaders.items.load(id);
      return i && { ...i, [ENTITY_KIND]: 'item' };
    }
    default:
      return null;
  }
}

export function typeNameOf(value: unknown): string | undefined {
  const kind = (value as Partial<Record<typeof ENTITY_KIND, EntityKind>>)[ENTITY_KIND];
  return kind ? TYPE_NAME_OF_KIND[kind] : undefined;
}
