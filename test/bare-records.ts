/** Records known by id only (every other field null), for hand-made test data. */
import type { Person, Place } from '../src/domain/types';

/** A person known by id only, with `fields` set. */
export const barePerson = (id: string, fields: Partial<Person> = {}): Person => ({
  id,
  name: null,
  sex: null,
  age: null,
  phone: null,
  idNumber: null,
  homeId: null,
  occupation: null,
  ...fields,
});

/** A place of `kind` known by id only, with `fields` set. */
export const barePlace = (id: string, kind: string, fields: Partial<Place> = {}): Place => ({
  id,
  name: null,
  kind,
  lat: null,
  lon: null,
  capacity: null,
  ...fields,
});
