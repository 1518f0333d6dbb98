/**
 * Whole numbers given on the command line. `Number()` reads `""` and `" "` as 0 and takes `0x10`,
 * `1e1` and `0b1` too; a count of beds, contacts, persons or a port is written in decimal digits.
 */

/** `text` as a whole number when it is decimal digits alone (spaces around allowed), else null. */
export function wholeNumber(text: string): number | null {
  const digits = text.trim();
  if (!/^[0-9]+$/.test(digits)) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}
