/**
 * The peer of tracegraph's exposure derivation: one plain Cypher query in the style of Neo4j's
 * contact-tracing example (Neo4j blog, "Graph Data Science for contact tracing", 2020: persons
 * who visited the same place as an infected person at an overlapping time), extended to boats and
 * to the infectious window of China's COVID-19 protocol, 9th edition (June 2022), computed in
 * Cypher from the case, its samples and its stays at isolation places as
 * src/analysis/infectious-window.ts does.
 *
 * Both sides answer the same question, so their answers must be the same set: the (case, person,
 * host) triples where a person shared a place or a boat with a case for a positive length of time
 * inside the case's window, before the person's own isolation, and not after `asOf`.
 */
import type { Parameters } from '../src/domain/parameters';
import { DAY, DEFAULT_UTC_OFFSET_MINUTES, MINUTE } from '../src/domain/time';
import type { Instant } from '../src/domain/types';
import type { Exposure } from '../src/analysis/model';

/** The later of two values in Cypher (there is no scalar max of two). */
const later = (a: string, b: string): string => `CASE WHEN ${a} >= ${b} THEN ${a} ELSE ${b} END`;
const earlier = (a: string, b: string): string => `CASE WHEN ${a} <= ${b} THEN ${a} ELSE ${b} END`;

/** The start of the district's day of instant `x`, in Cypher ($offsetMs east of UTC, $dayMs). */
const dayStart = (x: string): string =>
  `(${x} + $offsetMs - ((${x} + $offsetMs) % $dayMs + $dayMs) % $dayMs - $offsetMs)`;

/**
 * Parameters: $asOf, $preOnsetMs, $windowFromLastNegative, $lookbackMs, $infectiousAfterOnsetMs,
 * $offsetMs, $dayMs, $isolationPlaceKinds (places where people are held apart, e.g. quarantine
 * hotels, expose no one). Returns one row per (caseId, personId, hostId).
 */
export const CO_PRESENCE_QUERY = `
MATCH (c:Person)-[:DIAGNOSED]->(k:Case)
WHERE coalesce(k.confirmedAt, k.onset) <= $asOf
CALL (c) {
  OPTIONAL MATCH (c)-[:SAMPLED]->(s:Sample {result: 'positive'})
  WHERE s.sampledAt <= $asOf
  RETURN min(s.sampledAt) AS firstPositive
}
WITH c, k, firstPositive,
  CASE WHEN k.onset <= $asOf THEN k.onset END AS onset,
  CASE WHEN k.confirmedAt <= $asOf THEN k.confirmedAt END AS confirmed
// The first positive test: the first positive sample, or the confirmation when it came first.
WITH c, firstPositive, onset, confirmed,
  CASE
    WHEN confirmed IS NOT NULL AND (firstPositive IS NULL OR confirmed < firstPositive) THEN confirmed
    ELSE firstPositive
  END AS positive
// Days counted by date: the window opens at the start of the day, 2 days before the earliest evidence.
WITH c, firstPositive, onset, confirmed, positive,
  ${dayStart(`CASE
    WHEN onset IS NOT NULL AND (positive IS NULL OR onset <= positive) THEN onset
    WHEN positive IS NOT NULL THEN positive
    ELSE $asOf
  END`)} - $preOnsetMs AS defaultFrom,
  (positive IS NOT NULL AND (onset IS NULL OR positive < onset)) AS foundByScreening
CALL (c, positive) {
  OPTIONAL MATCH (c)-[:SAMPLED]->(n:Sample {result: 'negative'})
  WHERE n.sampledAt < positive
  RETURN max(n.sampledAt) AS lastNegative
}
WITH c, firstPositive, onset, confirmed, defaultFrom, foundByScreening, lastNegative,
  ${dayStart('positive')} - $lookbackMs AS earliest
WITH c,
  CASE
    WHEN foundByScreening AND $windowFromLastNegative AND lastNegative < defaultFrom THEN
      CASE
        WHEN lastNegative >= earliest THEN lastNegative
        WHEN earliest < defaultFrom THEN earliest
        ELSE defaultFrom
      END
    ELSE defaultFrom
  END AS opens,
  CASE
    WHEN confirmed IS NOT NULL THEN confirmed
    WHEN firstPositive IS NOT NULL THEN firstPositive
    WHEN onset IS NOT NULL AND onset + $infectiousAfterOnsetMs < $asOf THEN onset + $infectiousAfterOnsetMs
    ELSE $asOf
  END AS closes
// A stay at an isolation place: one running as the window opens opens it at its end; the first
// starting inside it and lasting to its end closes it there.
CALL (c, opens, closes) {
  OPTIONAL MATCH (c)-[q:STAYED_AT]->(site:Place)
  WHERE site.kind IN $isolationPlaceKinds AND q.start <= $asOf
  WITH q ORDER BY q.start, q.end
  WITH collect(q) AS isolations
  RETURN reduce(w = {from: opens, to: closes, closed: false}, q IN isolations |
    CASE
      WHEN w.closed OR q.end <= w.from OR q.start >= w.to THEN w
      WHEN q.start <= w.from THEN {from: q.end, to: w.to, closed: false}
      WHEN q.end >= w.to THEN {from: w.from, to: q.start, closed: true}
      ELSE w
    END) AS window
}
WITH c, window.from AS opens, window.to AS closes
WITH collect({person: c, from: ${earlier('opens', 'closes')}, to: closes}) AS windows
UNWIND windows AS w
WITH windows, w.person AS c, w.from AS from, w.to AS to
MATCH (c)-[v1:STAYED_AT|ABOARD]->(h)<-[v2:STAYED_AT|ABOARD]-(p:Person)
WHERE p <> c AND v1.start < to AND v1.end > from AND v1.start <= $asOf AND v2.start <= $asOf
  AND NOT coalesce(h.kind, '') IN $isolationPlaceKinds
WITH c, p, h, v1, v2, from, to, coalesce([x IN windows WHERE x.person = p | x.to][0], $asOf) AS isolated
WITH c, p, h,
  ${later(later('v1.start', 'v2.start'), 'from')} AS overlapStart,
  ${earlier(earlier(earlier('v1.end', 'v2.end'), 'to'), 'isolated')} AS overlapEnd
WHERE overlapStart < overlapEnd
RETURN DISTINCT c.id AS caseId, p.id AS personId, h.id AS hostId
ORDER BY caseId, personId, hostId`;

/** The query's parameters, from the protocol. */
export function coPresenceParameters(params: Parameters, asOf: Instant): Record<string, unknown> {
  const { preOnsetDays, windowFromLastNegative, screeningLookbackMaxDays, isolationPlaceKinds } =
    params.protocol;
  return {
    asOf,
    preOnsetMs: preOnsetDays * DAY,
    windowFromLastNegative,
    lookbackMs: screeningLookbackMaxDays * DAY,
    infectiousAfterOnsetMs: params.pathogen.infectiousDaysAfterOnset * DAY,
    offsetMs: DEFAULT_UTC_OFFSET_MINUTES * MINUTE,
    dayMs: DAY,
    isolationPlaceKinds,
  };
}

/** `case|person|host`: the key both sides are compared on. */
export const pairKey = (caseId: string, personId: string, hostId: string): string =>
  `${caseId}|${personId}|${hostId}`;

/** tracegraph's place and boat co-presence with cases, as comparable keys, sorted. */
export function coPresencePairs(exposures: readonly Exposure[]): string[] {
  const keys = new Set<string>();
  for (const e of exposures) {
    if (e.sourceKind !== 'case' || (e.setting !== 'place' && e.setting !== 'boat') || e.hostId === null)
      continue;
    keys.add(pairKey(e.sourceId, e.personId, e.hostId));
  }
  return [...keys].sort();
}

export interface PairDifference {
  /** Found by tracegraph only. */
  onlyTracegraph: string[];
  /** Found by the Cypher query only. */
  onlyCypher: string[];
  common: number;
}

export function comparePairs(tracegraph: readonly string[], cypher: readonly string[]): PairDifference {
  const ours = new Set(tracegraph);
  const theirs = new Set(cypher);
  return {
    onlyTracegraph: [...ours].filter((k) => !theirs.has(k)).sort(),
    onlyCypher: [...theirs].filter((k) => !ours.has(k)).sort(),
    common: [...ours].filter((k) => theirs.has(k)).length,
  };
}
