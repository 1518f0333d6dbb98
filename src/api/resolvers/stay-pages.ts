/** Stays as connections: ordered by start, end, subject and host, so cursors are stable. */
import type { Stay } from '../../domain/types';
import { paginate, type Page, type PageArgs } from '../pagination';

export const staySortKey = (s: Stay): [number, number, string, string] => [
  s.start,
  s.end,
  s.subjectId,
  s.hostId,
];

export function stayPage(stays: readonly Stay[], args: PageArgs): Page<Stay> {
  return paginate(stays, args, staySortKey);
}
