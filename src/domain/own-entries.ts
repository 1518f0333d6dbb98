/**
 * Objects keyed by text from the records or a caller (ids, names, place kinds). On a plain `{}`
 * such a key as "constructor" or "toString" finds an inherited function where nothing was set, and
 * setting "__proto__" replaces the object's prototype instead of adding an entry.
 */

/** An empty object to key by ids, without a prototype. */
export function recordById<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The entry of `key` that `record` has itself, or undefined: never an inherited property. */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
