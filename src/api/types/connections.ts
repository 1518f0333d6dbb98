/** Relay connections (https://relay.dev/graphql/connections.htm): edges with opaque cursors and PageInfo. */
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AuditEntryType } from './audit-entry.type';
import { StayType } from './stay.type';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

/** The `<name>Connection` and `<name>Edge` types of a list of `nodeType`. */
export function connectionOf(name: string, nodeType: () => ClassType) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(nodeType)
    node!: unknown;

    @Field(() => String, { description: 'Opaque.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfoType)
    pageInfo!: PageInfoType;

    @Field(() => Int, { description: 'Items in the whole list, over all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}

export const StayConnection = connectionOf('Stay', () => StayType);
export const AuditEntryConnection = connectionOf('AuditEntry', () => AuditEntryType);
