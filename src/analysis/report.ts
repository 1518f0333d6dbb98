/**
 * Turns an analysis into the report model (src/analysis/report-model.ts): JSON-ready, instants as
 * ISO 8601 in the district's offset, names of everything it mentions, an epidemic curve.
 */
import { formatDate, formatInstant, DAY, startOfDay } from '../domain/time';
import type { Id } from '../domain/types';
import type { Analysis } from './analyse';
import { staysOfSubjects } from './exposures';
import type { InfectorCandidate } from './infector';
import type {
  AnalysisReport,
  CaseReport,
  ContactReport,
  EntityLabel,
  InfectorCandidateReport,
  SourceKind,
  TimelineEvent,
} from './report-model';

const iso = (at: number | null): string | null => (at === null ? null : formatInstant(at));

function minutesWords(minutes: number): string {
  const m = Math.round(minutes);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}` : `${m} min`;
}

function candidateSetting(c: InfectorCandidate): string | null {
  const e = [...c.evidence].sort((a, b) => b.attackRate - a.attackRate || b.minutes - a.minutes)[0];
  if (!e) return null;
  if (e.setting === 'place') return `place:${e.placeKind ?? 'other'}`;
  if (e.setting === 'contact') return `contact:${e.contactSetting ?? 'other'}`;
  return e.setting;
}

function candidateReport(c: InfectorCandidate): InfectorCandidateReport {
  const e = [...c.evidence].sort((a, b) => b.attackRate - a.attackRate || b.minutes - a.minutes)[0];
  const evidence =
    c.kind === 'unknown'
      ? 'no recorded exposure explains the infection better than an unrecorded one'
      : e
        ? `${candidateSetting(c)} exposure of ${minutesWords(e.minutes)} from ${formatInstant(e.start)}, ` +
          `${e.daysBeforeOnset.toFixed(1)} d before onset/first positive (attack rate ${(e.attackRate * 100).toFixed(1)}%)` +
          (c.evidence.length > 1 ? `, and ${c.evidence.length - 1} more exposure(s)` : '')
        : 'linked without a recorded exposure';
  return {
    id: c.id,
    kind: c.kind,
    probability: c.probability,
    setting: candidateSetting(c),
    hostId: e?.hostId ?? null,
    gapDays: c.gapDays,
    evidence,
  };
}

/** Builds the report of an analysis. */
export function toReport(analysis: Analysis): AnalysisReport {
  const { data, chains, inferences, quarantine, tiers, windows, params } = analysis;
  const entities: Record<string, EntityLabel> = {};
  const mention = (id: Id | null | undefined): void => {
    if (!id || entities[id]) return;
    const person = data.persons.get(id);
    if (person) {
      entities[id] = {
        kind: 'person',
        name: person.name,
        detail: person.occupation,
        phone: person.phone,
        age: person.age,
        sex: person.sex,
        homeId: person.homeId,
      };
      return;
    }
    const place = data.places.get(id);
    if (place) return void (entities[id] = { kind: 'place', name: place.name, detail: place.kind });
    const boat = data.boats.get(id);
    if (boat) return void (entities[id] = { kind: 'boat', name: boat.name, detail: boat.registration });
    const item = data.items.get(id);
    if (item) return void (entities[id] = { kind: 'item', name: item.product, detail: item.lot });
  };

  const inferenceOf = new Map(inferences.map((i) => [i.personId, i]));
  const chainCaseOf = new Map(chains.cases.map((c) => [c.personId, c]));
  const flagsOf = new Map<string, string[]>();
  for (const chain of chains.chains) for (const link of chain.links) flagsOf.set(link.infecteeId, link.flags);
  // Timelines are of cases: their samples alone.
  const samplesOf = new Map(data.cases.map((c) => [c.personId, [] as typeof data.samples]));
  for (const s of data.samples) samplesOf.get(s.subjectId)?.push(s);
  const staysOf = staysOfSubjects(data.stays, new Set(data.cases.map((c) => c.personId)));

  const cases: CaseReport[] = data.cases.map((c) => {
    mention(c.personId);
    const window = windows.get(c.personId)!;
    const inference = inferenceOf.get(c.personId);
    const chainCase = chainCaseOf.get(c.personId);
    const timeline: TimelineEvent[] = [
      { at: formatInstant(window.from), kind: 'window', label: `infectious window opens (${window.basis})` },
    ];
    if (c.onset !== null)
      timeline.push({ at: formatInstant(c.onset), kind: 'onset', label: 'symptom onset' });
    for (const s of samplesOf.get(c.personId) ?? []) {
      const ct = s.ct !== null ? ` (Ct ${s.ct})` : '';
      timeline.push({
        at: formatInstant(s.sampledAt),
        kind: 'sample',
        label: `${s.method.toUpperCase()} ${s.result}${ct}`,
      });
    }
    for (const s of staysOf.get(c.personId) ?? []) {
      if (s.end < window.from || s.start > window.to) continue;
      mention(s.hostId);
      const host = entities[s.hostId];
      timeline.push({
        at: formatInstant(s.start),
        end: formatInstant(s.end),
        kind: 'stay',
        hostId: s.hostId,
        label: `at ${host?.name ?? s.hostId}${host?.detail ? ` (${host.detail})` : ''} for ${minutesWords((s.end - s.start) / 60_000)}`,
      });
    }
    if (c.confirmedAt !== null)
      timeline.push({ at: formatInstant(c.confirmedAt), kind: 'confirmed', label: 'confirmed and isolated' });
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    const best = inference?.best;
    const candidates = (inference?.candidates ?? []).map(candidateReport);
    for (const candidate of candidates) mention(candidate.id === 'unknown' ? null : candidate.id);
    return {
      personId: c.personId,
      classification: c.classification,
      onset: iso(c.onset),
      confirmedAt: iso(c.confirmedAt),
      infectiousWindow: {
        from: formatInstant(window.from),
        to: formatInstant(window.to),
        basis: window.basis,
      },
      infector:
        best && best.kind !== 'unknown'
          ? { id: best.id, kind: best.kind, probability: best.probability }
          : null,
      candidates,
      chainId: chainCase?.chainId ?? `chain-${c.personId}`,
      generation: chainCase?.generation ?? 0,
      offspring: chainCase?.offspring ?? 0,
      flags: flagsOf.get(c.personId) ?? [],
      timeline,
    };
  });

  const tierOf = new Map(tiers.map((t) => [t.personId, t]));
  const contacts: ContactReport[] = quarantine.entries
    .filter((e) => e.tier !== null)
    .map((e) => {
      mention(e.personId);
      mention(e.assignedSiteId);
      const evidence = (tierOf.get(e.personId)?.evidence ?? []).map((ev) => {
        mention(ev.hostId);
        return {
          sourceId: ev.sourceId,
          sourceKind: (ev.sourceKind === 'close_contact' ? 'person' : ev.sourceKind) as SourceKind,
          setting: ev.setting === 'place' ? `place:${ev.placeKind ?? 'other'}` : ev.setting,
          hostId: ev.hostId,
          start: formatInstant(ev.start),
          end: formatInstant(ev.end),
          minutes: ev.minutes,
        };
      });
      return {
        personId: e.personId,
        tier: e.tier!,
        probability: e.probability,
        score: e.score,
        priority: e.priority,
        reasons: e.reasons,
        evidence,
        assignedSiteId: e.assignedSiteId,
        lastExposure: formatInstant(e.lastExposure),
        releaseOn: e.releaseOn === null ? null : formatDate(e.releaseOn),
        homeMonitoringUntil: e.homeMonitoringUntil === null ? null : formatDate(e.homeMonitoringUntil),
        pcrDates: [...e.pcrDates, ...e.homePcrDates].map((d) => formatDate(d)),
      };
    });

  const sources = analysis.sources.overall.map((s) => {
    mention(s.id);
    return { id: s.id, kind: s.kind as SourceKind, score: s.score, chainIds: s.chainIds, reasons: s.reasons };
  });
  const areas = analysis.riskAreas.map((a) => {
    mention(a.placeId);
    return {
      placeId: a.placeId,
      level: a.level,
      lastInfection: formatDate(a.lastInfection),
      liftOn: a.liftOn === null ? null : formatDate(a.liftOn),
      reason: a.reason,
    };
  });
  for (const site of quarantine.sites) mention(site.siteId);

  const chainReports = chains.chains.map((chain) => {
    if (chain.rootSource.kind !== 'unknown') mention(chain.rootSource.id);
    const rootIsEnvironmental = chain.rootSource.kind !== 'unknown' && chain.rootSource.kind !== 'case';
    return {
      id: chain.id,
      rootId: rootIsEnvironmental ? chain.rootSource.id : chain.rootId,
      rootKind: (rootIsEnvironmental ? chain.rootSource.kind : 'case') as SourceKind,
      caseIds: chain.caseIds,
      size: chain.size,
      length: chain.length,
      firstDate: formatDate(chain.firstAt),
      lastDate: formatDate(chain.lastAt),
      durationDays: Math.round(chain.durationDays * 10) / 10,
      active: chain.active,
      links: [
        ...(rootIsEnvironmental
          ? [
              {
                from: chain.rootSource.id,
                fromKind: chain.rootSource.kind as SourceKind,
                to: chain.rootId,
                probability: chain.rootSource.probability,
                setting: chain.rootSource.kind,
                flags: [],
              },
            ]
          : []),
        ...chain.links.map((l) => ({
          from: l.infectorId,
          fromKind: 'case' as SourceKind,
          to: l.infecteeId,
          probability: l.probability,
          setting: l.setting,
          flags: l.flags,
        })),
      ],
      rByGeneration: chain.rByGeneration,
    };
  });

  // Epidemic curve: cases by day of confirmation, and symptomatic cases by day of onset.
  const curve = new Map<string, { confirmed: number; asymptomatic: number; byOnset: number }>();
  const day = (at: number) => {
    const key = formatDate(at);
    let entry = curve.get(key);
    if (!entry) curve.set(key, (entry = { confirmed: 0, asymptomatic: 0, byOnset: 0 }));
    return entry;
  };
  for (const c of data.cases) {
    const known = c.confirmedAt ?? c.onset;
    if (known !== null) day(known)[c.classification === 'confirmed' ? 'confirmed' : 'asymptomatic'] += 1;
    if (c.onset !== null) day(c.onset).byOnset += 1;
  }
  const dates = [...curve.keys()].sort();
  const epiCurve: AnalysisReport['epiCurve'] = [];
  if (dates.length) {
    const last = startOfDay(Date.parse(`${dates[dates.length - 1]}T12:00:00+08:00`));
    for (let at = startOfDay(Date.parse(`${dates[0]}T12:00:00+08:00`)); at <= last; at += DAY) {
      const date = formatDate(at);
      epiCurve.push({ date, ...(curve.get(date) ?? { confirmed: 0, asymptomatic: 0, byOnset: 0 }) });
    }
  }

  const spreaderIds = new Set(
    [
      ...analysis.spreaders.byOffspring,
      ...analysis.spreaders.byBetweenness,
      ...analysis.spreaders.byPagerank,
    ].map((s) => s.personId),
  );
  const superspreaders = [...spreaderIds]
    .map((id) =>
      [
        ...analysis.spreaders.byOffspring,
        ...analysis.spreaders.byBetweenness,
        ...analysis.spreaders.byPagerank,
      ].find((s) => s.personId === id)!,
    )
    .sort(
      (a, b) => b.offspring - a.offspring || b.pagerank - a.pagerank || a.personId.localeCompare(b.personId),
    )
    .map((s) => ({
      personId: s.personId,
      offspring: s.offspring,
      betweenness: s.betweenness,
      pagerank: s.pagerank,
    }));

  const count = (tier: string) => contacts.filter((c) => c.tier === tier).length;
  return {
    asOf: formatInstant(analysis.asOf),
    parameters: { protocol: params.protocol.name, pathogen: params.pathogen.name },
    summary: {
      cases: data.cases.length,
      confirmed: data.cases.filter((c) => c.classification === 'confirmed').length,
      asymptomatic: data.cases.filter((c) => c.classification === 'asymptomatic').length,
      chains: chains.chains.length,
      activeChains: chains.chains.filter((c) => c.active).length,
      closeContacts: count('close_contact'),
      contactsOfCloseContacts: count('contact_of_close_contact'),
      venueExposed: count('venue_exposed'),
      quarantineBeds: quarantine.sites.reduce((sum, s) => sum + s.capacity, 0),
      assignedBeds: quarantine.sites.reduce((sum, s) => sum + s.assigned, 0),
      occupiedBeds: quarantine.sites.reduce((sum, s) => sum + s.occupied, 0),
      highRiskAreas: areas.filter((a) => a.level === 'high').length,
      mediumRiskAreas: areas.filter((a) => a.level === 'medium').length,
    },
    epiCurve,
    rByGeneration: chains.rByGeneration,
    cases,
    chains: chainReports,
    contacts,
    sources,
    riskAreas: areas,
    clusters: analysis.clusters,
    superspreaders,
    quarantineSites: quarantine.sites.map((s) => ({
      id: s.siteId,
      capacity: s.capacity,
      occupied: s.occupied,
      assigned: s.assigned,
    })),
    entities,
  };
}
