/**
 * The GraphQL operations of the API benchmark: what an investigator's screen asks for a case,
 * from the analysis (window, likely infector, the persons it exposed with their tiers) and from the
 * records alone (the person, samples, household, reported contacts, first stays), and one large
 * read (many persons with their stays), with the check that counts a response as good.
 */

/** A case from the analysis: its window, most likely infector and the first contacts it exposed. */
export const CASE_WITH_CONTACTS = `
query CaseWithContacts($id: ID!) {
  case(personId: $id) {
    personId
    classification
    onset
    confirmedAt
    person { id name age home { id name } household { id name } }
    infectiousWindow { from to basis }
    infector { id kind probability setting }
    contacts(first: 20) {
      totalCount
      edges { node { tier overallTier lastExposure person { id name phone } } }
    }
  }
}`;

/** A case's person from the records: the case, samples, home, household, reported contacts, first stays. */
export const PERSON_WITH_STAYS = `
query PersonWithStays($id: ID!) {
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
