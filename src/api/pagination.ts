/**
 * Relay-style cursor pagination (https://relay.dev/graphql/connections.htm) over lists already in
 * hand: items are ordered by a sort key, and a cursor is that key, base64url-encoded, so a page
 * stays correct when records are added before it.
 */
import { badUserInput } from './errors';

export type SortKey = readonly (string | number)[];

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key in a cursor, or null when the text is not a cursor of this shape. */
export function decodeCursor(cursor: string, like: SortKey): SortKey | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== like.length) return null;
    return key.every((part, i) => typeof part === typeof like[i]) ? (key as SortKey) : null;
  } catch {
    return null;
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The page size asked for, checked against the limits. */
export function pageSize(first: number | null | undefined, path = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput([{ path, reason: `must be a whole number from 0 to ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

/**
 * One page of `items` (any order: they are sorted by `keyOf` here). `like` is a key of the shape
 * `keyOf` gives (`[0, '']` for a number then a string; the compiler checks a tuple `keyOf` against
 * it): an `after` that is no cursor of that shape is refused at `after` whatever the list holds,
 * an empty list too, where no item shows the shape.
 */
export function paginate<T, K extends SortKey>(
  items: readonly T[],
  args: PageArgs,
  keyOf: (item: T) => K,
  like: NoInfer<K>,
): Page<T> {
  const first = pageSize(args.first);
  const keyed = items.map((node) => ({ node, key: keyOf(node) })).sort((a, b) => compareKeys(a.key, b.key));
  let start = 0;
  if (args.after !== null && args.after !== undefined) {
    const after = decodeCursor(args.after, like);
    if (!after) throw badUserInput([{ path: 'after', reason: 'is not a cursor of this list' }]);
    start = keyed.findIndex((k) => compareKeys(k.key, after) > 0);
    if (start < 0) start = keyed.length;
  }
  const slice = keyed.slice(start, start + first);
  const edges = slice.map(({ node, key }) => ({ node, cursor: encodeCursor(key) }));
  return {
    edges,
    pageInfo: { hasNextPage: start + first < keyed.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: keyed.length,
  };
}
