/**
 * Numbers in words meant for people (reasons, lists, pages): a fixed number of decimals, except
 * that a number those decimals would show as 0 is shown with two significant digits, so that a
 * small chance of infection or a small score behind a priority never reads as none.
 */

/** Two significant digits of `x` when `digits` decimals would round it to 0, else null. */
export function smallNumberText(x: number, digits: number): string | null {
  return x !== 0 && Math.abs(x) < 0.5 * 10 ** -digits ? String(Number(x.toPrecision(2))) : null;
}

/** `x.toFixed(digits)` (0.5 → `0.50`), or two significant digits where that would be 0 (`0.00015`). */
export const fixedText = (x: number, digits: number): string =>
  smallNumberText(x, digits) ?? x.toFixed(digits);

/** At most `digits` decimals, trailing zeros dropped (0.4 → `0.4`, 0.61234 → `0.612`), or two significant digits where they would be 0. */
export function decimalText(x: number, digits: number): string {
  const factor = 10 ** digits;
  return smallNumberText(x, digits) ?? String(Math.round(x * factor) / factor);
}
