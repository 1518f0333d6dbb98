/** Stays as connections: ordered by start, end, subject and host, so cursors are stable. */
import type { Stay } from '../../domain/types';
import { inScopeOf, type Scoped } from '../analysis/scope';
import { paginate, type Page, type PageArgs } from '../pagination';

export const staySortKey = (s: Stay): [number, number, string, string] => [
  s.start,
  s.end,
  s.subjectId,
  s.hostId,
];

/** A page of the stays of `parent` (a person, place, boat or lot), in its analysis scope. */
export function stayPage(parent: unknown, stays: readonly Stay[], args: PageArgs): Page<Scoped<Stay>> {
  const page = paginate(stays, args, staySortKey, [0, 0, '', '']);
  // Only the page's stays are copied into the scope, not every stay in the window.
  const nodes = inScopeOf(
    parent,
    page.edges.map((e) => e.node),
  );
  return { ...page, edges: page.edges.map((e, i) => ({ node: nodes[i]!, cursor: e.cursor })) };
}
