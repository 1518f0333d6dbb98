/**
 * Strings ordered by their UTF-16 code units, as `<` compares them and `Array.prototype.sort`
 * orders them by default: no locale, the same order on every machine, and cheap.
 */

/** `a` before `b` by UTF-16 code units: a comparator for `sort`, 0 only for equal strings. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
