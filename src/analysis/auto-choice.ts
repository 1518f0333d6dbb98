/** Options of the analysis that are chosen outright or left to 'auto', which decides by size. */
export type AutoChoice = boolean | 'auto';

/**
 * Whether such an option is on for work of `size`: as chosen (`true`, `false`), or from `minimum`
 * up when 'auto' or not given.
 */
export function onForSize(choice: AutoChoice | undefined, size: number, minimum: number): boolean {
  return choice === true || ((choice ?? 'auto') === 'auto' && size >= minimum);
}
