/**
 * Lookups over one analysis for the field resolvers: a case's inference and place in its chain, a
 * chain by id, exposures by person and by host or source, contact tiers by case, quarantine
 * entries by person, risk areas by place. Each map is built once, the first time it is needed, so
 * a field resolver answers in constant time however many parents it visits.
 */
import type { Analysis } from '../../analysis/analyse';
import type { ChainCase, TransmissionChain } from '../../analysis/chains';
import type { InfectorInference } from '../../analysis/infector';
import type { Exposure } from '../../analysis/model';
import type { QuarantineEntry } from '../../analysis/quarantine';
import type { AnalysisReport, CaseReport } from '../../analysis/report-model';
import type { RiskArea } from '../../analysis/risk-areas';
import { TIER_RANK, type ContactTier, type TierEntry, type TierEvidence } from '../../analysis/tiers';
import { compareCodeUnits } from '../../domain/code-units';
import { groupBy } from '../../domain/group-by';
import type { Case, Id } from '../../domain/types';

/** A person exposed to one case, with the tier that exposure alone would give. */
export interface CaseContact {
  caseId: Id;
  personId: Id;
  /** The highest tier among this case's evidence for the person. */
  tier: ContactTier;
  /** The person's own tier over every source. */
  overallTier: ContactTier;
  evidence: TierEvidence[];
  lastExposure: number;
}

export class AnalysisIndex {
  private memo = new Map<string, unknown>();

  constructor(
    readonly analysis: Analysis,
    private readonly report: () => AnalysisReport,
  ) {}

  private once<T>(name: string, build: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, build());
    return this.memo.get(name) as T;
  }

  caseOf(personId: Id): Case | null {
    return (
      this.once('cases', () => new Map(this.analysis.data.cases.map((c) => [c.personId, c]))).get(personId) ??
      null
    );
  }

  inferenceOf(personId: Id): InfectorInference | null {
    return (
      this.once('inferences', () => new Map(this.analysis.inferences.map((i) => [i.personId, i]))).get(
        personId,
      ) ?? null
    );
  }

  /** The case as the report describes it (candidates with their evidence in words, window). */
  caseReportOf(personId: Id): CaseReport | null {
    return (
      this.once('caseReports', () => new Map(this.report().cases.map((c) => [c.personId, c]))).get(
        personId,
      ) ?? null
    );
  }

  chainCaseOf(personId: Id): ChainCase | null {
    return (
      this.once('chainCases', () => new Map(this.analysis.chains.cases.map((c) => [c.personId, c]))).get(
        personId,
      ) ?? null
    );
  }

  chain(id: string): TransmissionChain | null {
    return (
      this.once('chains', () => new Map(this.analysis.chains.chains.map((c) => [c.id, c]))).get(id) ?? null
    );
  }

  /** Cases whose most likely infector (within the chain) is this case, in chain order. */
  infecteesOf(personId: Id): ChainCase[] {
    return (
      this.once('infectees', () => groupBy(this.analysis.chains.cases, (c) => c.parentId)).get(personId) ?? []
    );
  }

  /** Position of each case in its chain (root first, then by generation and time). */
  chainOrder(personId: Id): number {
    const order = this.once('chainOrder', () => {
      const map = new Map<Id, number>();
      for (const chain of this.analysis.chains.chains) chain.caseIds.forEach((id, i) => map.set(id, i));
      return map;
    });
    return order.get(personId) ?? Number.MAX_SAFE_INTEGER;
  }

  exposuresOfPerson(personId: Id): Exposure[] {
    return (
      this.once('exposuresByPerson', () => groupBy(this.analysis.exposures, (e) => e.personId)).get(
        personId,
      ) ?? []
    );
  }

  /** Exposures that happened at or aboard this host, or that came from it (a contaminated boat or lot). */
  exposuresAt(hostOrSourceId: Id): Exposure[] {
    const byHost = this.once('exposuresByHostOrSource', () => {
      const map = new Map<Id, Exposure[]>();
      for (const e of this.analysis.exposures) {
        const ids = new Set([e.hostId, e.sourceKind === 'case' ? null : e.sourceId]);
        for (const id of ids) {
          if (id === null) continue;
          const list = map.get(id);
          if (list) list.push(e);
          else map.set(id, [e]);
        }
      }
      return map;
    });
    return byHost.get(hostOrSourceId) ?? [];
  }

  /**
   * The persons among a cluster's members, in its order. An exposure community also holds the
   * lots, boats and places that were the source of an exposure in the contact network; those are
   * the network's only members that are not persons (src/analysis/exposure-graph.ts).
   */
  personsIn(cluster: { id: string; memberIds: readonly Id[] }): Id[] {
    const environmental = this.once('environmentalSources', () => {
      const ids = new Set<Id>();
      for (const e of this.analysis.exposures) if (e.sourceKind !== 'case') ids.add(e.sourceId);
      return ids;
    });
    const byCluster = this.once('personsInCluster', () => new Map<string, Id[]>());
    let persons = byCluster.get(cluster.id);
    if (!persons) {
      persons = environmental.size
        ? cluster.memberIds.filter((id) => !environmental.has(id))
        : [...cluster.memberIds];
      byCluster.set(cluster.id, persons);
    }
    return persons;
  }

  tierOf(personId: Id): TierEntry | null {
    return (
      this.once('tiers', () => new Map(this.analysis.tiers.map((t) => [t.personId, t]))).get(personId) ?? null
    );
  }

  /** Everyone the case exposed, with the tier of that exposure; most serious tier first, then by id. */
  contactsOfCase(caseId: Id): CaseContact[] {
    const byCase = this.once('contactsByCase', () => {
      const map = new Map<Id, Map<Id, CaseContact>>();
      for (const entry of this.analysis.tiers) {
        for (const evidence of entry.evidence) {
          let contacts = map.get(evidence.sourceId);
          if (!contacts) map.set(evidence.sourceId, (contacts = new Map()));
          const known = contacts.get(entry.personId);
          if (!known) {
            contacts.set(entry.personId, {
              caseId: evidence.sourceId,
              personId: entry.personId,
              tier: evidence.tier,
              overallTier: entry.tier,
              evidence: [evidence],
              lastExposure: evidence.end,
            });
            continue;
          }
          known.evidence.push(evidence);
          if (TIER_RANK[evidence.tier] > TIER_RANK[known.tier]) known.tier = evidence.tier;
          known.lastExposure = Math.max(known.lastExposure, evidence.end);
        }
      }
      const sorted = new Map<Id, CaseContact[]>();
      for (const [id, contacts] of map) {
        sorted.set(
          id,
          [...contacts.values()].sort(
            (a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier] || compareCodeUnits(a.personId, b.personId),
          ),
        );
      }
      return sorted;
    });
    return byCase.get(caseId) ?? [];
  }

  quarantineOf(personId: Id): QuarantineEntry | null {
    return (
      this.once(
        'quarantine',
        () => new Map(this.analysis.quarantine.entries.map((e) => [e.personId, e])),
      ).get(personId) ?? null
    );
  }

  riskAreaOf(placeId: Id): RiskArea | null {
    return (
      this.once('riskAreas', () => new Map(this.analysis.riskAreas.map((a) => [a.placeId, a]))).get(
        placeId,
      ) ?? null
    );
  }
}
