/**
 * The exposures that make up the contact network: those that make a close contact under the
 * protocol (household, crew, cold chain, reported contact, long enough in an enclosed place) and
 * every exposure of a case, whatever its setting (inference weighs them all).
 *
 * Centrality (onward risk in quarantine priority) and communities (clusters) are measured on this
 * network, not on every venue co-presence. A case at the fishing port or a market meets thousands
 * of persons for a quarter of an hour; counting each as a tie made the port and the markets one
 * giant community and gave passers-by the centrality of a crowd, while the ties a cluster is made
 * of (a household, a crew, a workshop) were lost in it. Venue-exposed persons keep their tier,
 * evidence and probability of infection; they are only left out of the network. It is also what
 * keeps the network the size of the close contacts: at 1M persons, 860k persons and 7.8M
 * co-presence edges against the close contacts' few hundred thousand.
 */
import type { Protocol } from '../domain/parameters';
import type { Id } from '../domain/types';
import type { Exposure } from './model';
import { tierOfExposure } from './tiers';

/** The exposures of the contact network, in the order of `exposures`. */
export function networkExposures(
  exposures: readonly Exposure[],
  caseIds: ReadonlySet<Id>,
  protocol: Protocol,
): Exposure[] {
  const network: Exposure[] = [];
  // Exposures come person by person (src/analysis/exposures.ts sorts them so): whether the person
  // is a case is asked once per run of their exposures.
  let runPerson: Id | undefined;
  let isCase = false;
  for (const e of exposures) {
    if (e.personId !== runPerson) isCase = caseIds.has((runPerson = e.personId));
    if (isCase || tierOfExposure(e, protocol) === 'close_contact') network.push(e);
  }
  return network;
}
