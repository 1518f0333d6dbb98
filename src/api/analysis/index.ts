/**
 * Analysis in the API: the types and resolvers over the analysis engine (src/analysis) go in this
 * folder, one pair of files per concept (exposure, infector-candidate, transmission-chain, source,
 * quarantine-entry, quarantine-site, risk-area, cluster, outbreak-summary), and are listed here
 * so the schema picks them up.
 */
import type { ClassType } from 'type-graphql';

export const analysisResolvers: ClassType[] = [];
