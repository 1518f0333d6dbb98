/**
 * Authorization for `@Authorized(...)`: no roles listed means any valid key; otherwise the
 * viewer's role must be listed, and `admin` may do everything. Refusals are GraphQL errors
 * coded UNAUTHENTICATED (no valid key) or FORBIDDEN (a valid key without the right).
 */
import type { AuthCheckerFn } from 'type-graphql';
import type { ApiContext, Role } from './context.type';
import { forbidden, unauthenticated } from './errors';

/** Roles that may write records. */
export const WRITERS: Role[] = ['admin', 'investigator'];
/** Roles that may search by personal data. */
export const UNMASKED_READERS: Role[] = ['admin', 'investigator'];

export const authChecker: AuthCheckerFn<ApiContext, Role> = ({ context, info }, roles) => {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (roles.length === 0 || viewer.role === 'admin' || roles.includes(viewer.role)) return true;
  const what =
    info.parentType.name === 'Mutation'
      ? `the mutation ${info.fieldName}`
      : info.parentType.name === 'Query'
        ? `the query ${info.fieldName}`
        : `${info.parentType.name}.${info.fieldName}`;
  throw forbidden(what, viewer.role);
};
