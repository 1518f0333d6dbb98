/** The unions of entities: what can stay somewhere, host a stay, or be sampled. */
import { createUnionType } from 'type-graphql';
import { BoatType } from './boat.type';
import { ColdChainItemType } from './cold-chain-item.type';
import { typeNameOf } from './entity';
import { PersonType } from './person.type';
import { PlaceType } from './place.type';

export const StaySubject = createUnionType({
  name: 'StaySubject',
  description: 'What stays somewhere: a person, a cold-chain lot or a boat.',
  types: () => [PersonType, ColdChainItemType, BoatType] as const,
  resolveType: typeNameOf,
});

export const StayHost = createUnionType({
  name: 'StayHost',
  description: 'Where a stay happens: a place or a boat.',
  types: () => [PlaceType, BoatType] as const,
  resolveType: typeNameOf,
});

export const SampleSubject = createUnionType({
  name: 'SampleSubject',
  description: 'What a sample was taken from: a person, or a lot, place or boat (environmental).',
  types: () => [PersonType, ColdChainItemType, PlaceType, BoatType] as const,
  resolveType: typeNameOf,
});

export const EntityUnion = createUnionType({
  name: 'Entity',
  description: 'Anything with an id: a person, a place, a boat or a cold-chain lot.',
  types: () => [PersonType, PlaceType, BoatType, ColdChainItemType] as const,
  resolveType: typeNameOf,
});
