/** U+FEFF: as the first character of a text, the byte-order mark some editors and tools save UTF-8 with. */
export const BYTE_ORDER_MARK = '\uFEFF';

/** `text` without the one byte-order mark it may begin with: the encoding's mark, not the text's. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
}
