/**
 * The GraphQL operations of the API benchmark: what an investigator's screen asks for a case (the
 * person, the case and its samples, the household, reported contacts and the latest stays), and
 * one large read (many persons with their stays), with the checks that count a response as good.
 */

/** A case's person with the case, samples, home, household, reported contacts and first stays. */
export const CASE_WITH_CONTACTS = `
query CaseWithContacts($id: ID!) {
  person(id: $id) {
    id
    name
    age
    occupation
    case { classification onset confirmedAt samples { sampledAt result method ct } }
    home { id name kind }
    household { id name age }
    contacts { start end setting personA { id name } personB { id name } }
    stays(first: 20) {
      totalCount
      edges {
        node {
          start
          end
          relation
          host {
            __typename
            ... on Place { id name kind }
            ... on Boat { id name }
          }
        }
      }
    }
  }
}`;

/** Many persons at once with up to 100 stays each. */
export const PERSONS_WITH_STAYS = `
query PersonsWithStays($ids: [ID!]!) {
  persons(ids: $ids) {
    id
    name
    stays(first: 100) {
      totalCount
      edges { node { start end relation host { __typename ... on Place { id kind } ... on Boat { id } } } }
    }
  }
}`;

export function graphqlBody(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

/** A response body is good when it has data and no errors. */
export function isGoodGraphqlBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
    return parsed.data !== undefined && parsed.data !== null && !(parsed.errors && parsed.errors.length > 0);
  } catch {
    return false;
  }
}
