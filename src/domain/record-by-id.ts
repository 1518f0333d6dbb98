/**
 * An empty object to key by ids, without a prototype. Ids are any text: on a plain `{}`, an id such
 * as "constructor" or "toString" finds an inherited function where nothing was set, and setting
 * "__proto__" replaces the object's prototype instead of adding an entry.
 */
export function recordById<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
