/**
 * Analysis in the API: the types and resolvers over the analysis engine (src/analysis), one pair of
 * files per concept (exposure, infector-candidate, transmission-chain, source, quarantine-entry,
 * quarantine-site, risk-area, cluster, outbreak-summary, outbreak-changes, case-contact), the analysis fields of the
 * record types (case-analysis, entity-analysis), listed here so the schema picks them up.
 */
import type { ClassType } from 'type-graphql';
import { CaseAnalysisResolver } from './case-analysis.resolver';
import { CaseContactResolver } from './case-contact.resolver';
import { ClusterResolver } from './cluster.resolver';
import {
  BoatAnalysisResolver,
  ColdChainItemAnalysisResolver,
  PersonAnalysisResolver,
  PlaceAnalysisResolver,
} from './entity-analysis.resolver';
import { ExposureResolver } from './exposure.resolver';
import { InfectorCandidateResolver, InfectorEvidenceResolver } from './infector-candidate.resolver';
import { OutbreakChangesResolver } from './outbreak-changes.resolver';
import { OutbreakSummaryResolver, SpreaderResolver } from './outbreak-summary.resolver';
import {
  ContactEvidenceResolver,
  QuarantineEntryResolver,
  QuarantinePlanResolver,
} from './quarantine-entry.resolver';
import { QuarantineSiteResolver } from './quarantine-site.resolver';
import { RiskAreaResolver } from './risk-area.resolver';
import { SourceResolver } from './source.resolver';
import {
  ChainRootSourceResolver,
  TransmissionChainResolver,
  TransmissionLinkResolver,
} from './transmission-chain.resolver';

export const analysisResolvers: ClassType[] = [
  TransmissionChainResolver,
  ChainRootSourceResolver,
  TransmissionLinkResolver,
  SourceResolver,
  QuarantinePlanResolver,
  QuarantineEntryResolver,
  ContactEvidenceResolver,
  QuarantineSiteResolver,
  RiskAreaResolver,
  ClusterResolver,
  OutbreakSummaryResolver,
  OutbreakChangesResolver,
  SpreaderResolver,
  ExposureResolver,
  InfectorCandidateResolver,
  InfectorEvidenceResolver,
  CaseAnalysisResolver,
  CaseContactResolver,
  PersonAnalysisResolver,
  BoatAnalysisResolver,
  ColdChainItemAnalysisResolver,
  PlaceAnalysisResolver,
];
