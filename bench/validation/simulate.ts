/**
 * Outbreak simulator for validating the engine: an individual-based, hour-by-hour model of a
 * small fishing district (households, boats and their crews, a fishing port, a cold store with
 * cold-chain lots, markets, restaurants, workplaces and schools) in which infectiousness follows
 * the generation-interval density of the Omicron parameters and transmission is a per-hour hazard
 * among people at the same place. It records the truth (who infected whom, the true source: a
 * contaminated lot or a boat whose crew was infected at sea), then what investigators would have
 * recorded: scans with about a fifth of stays missing, onset only for symptomatic cases, PCR
 * samples from symptom-driven tests, mass-screening rounds and quarantine tests, environmental
 * samples, and the contacts that cases remember in interviews. It shares no code with the demo
 * data generator.
 */
import type { OutbreakData } from '../../src/analysis/model';
import type { Parameters } from '../../src/domain/parameters';
import { density } from '../../src/domain/distributions';
import { HOUR } from '../../src/domain/time';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  ContactSetting,
  Handling,
  Id,
  Instant,
  Person,
  Place,
  Sample,
  Stay,
} from '../../src/domain/types';
import { chance, draw, integer, makeRng, pick, shuffle, uniform, type Rng } from './random';

export type SourceScenario = 'item' | 'boat';
type Role = 'fisher' | 'cold' | 'vendor' | 'office' | 'student' | 'retired' | 'other';
type HazardSetting = 'household' | 'boat' | 'work' | 'social' | 'casual';

export interface SimulationOptions {
  seed: string;
  households: number;
  boats: number;
  crewSize: [number, number];
  workplaces: number;
  markets: number;
  restaurants: number;
  schools: number;
  coldStoreWorkers: number;
  vendorsPerMarket: number;
  days: number;
  source: SourceScenario;
  /** People infected outside the district at random times (other chains). */
  outsideImports: number;
  symptomaticShare: number;
  /** Share of stays (scans) that end up recorded. */
  scanRecordRate: number;
  handlingRecordRate: number;
  /** Share of non-household contacts a case remembers in the interview. */
  interviewRecall: number;
  testSensitivity: number;
  screeningEveryDays: number;
  quarantineDays: number;
  /** Scales every transmission hazard (1: as the parameters say). */
  hazardScale: number;
  /** Chance that handling the contaminated lot infects (at full contamination); null: the cold-chain
   *  attack rate of the parameters. The first handling always infects (an outbreak happened). */
  lotHandlingInfection: number | null;
  marketVisitChance: number;
  restaurantVisitChance: number;
}

export const DEFAULTS: Omit<SimulationOptions, 'seed' | 'source'> = {
  households: 650,
  boats: 10,
  crewSize: [4, 7],
  workplaces: 12,
  markets: 2,
  restaurants: 6,
  schools: 2,
  coldStoreWorkers: 18,
  vendorsPerMarket: 12,
  days: 28,
  outsideImports: 2,
  symptomaticShare: 0.5,
  scanRecordRate: 0.8,
  handlingRecordRate: 0.8,
  interviewRecall: 0.5,
  testSensitivity: 0.95,
  screeningEveryDays: 2,
  quarantineDays: 7,
  hazardScale: 1,
  lotHandlingInfection: null,
  marketVisitChance: 0.15,
  restaurantVisitChance: 0.06,
};

/** Who really infected whom. */
export interface TrueInfection {
  personId: Id;
  /** Hours after the start. */
  atHour: number;
  at: Instant;
  /** The infecting person, lot or boat; `outside` for an import. */
  infectorId: Id;
  infectorKind: 'person' | 'item' | 'boat' | 'outside';
  /** Where: a place or boat id, a lot id for a handling, null for outside. */
  hostId: Id | null;
}

export interface Simulation {
  options: SimulationOptions;
  start: Instant;
  end: Instant;
  /** First confirmation: investigation and screening start after it. */
  detectedAt: Instant | null;
  truth: { infections: TrueInfection[]; sourceId: Id; sourceKind: SourceScenario };
  persons: Person[];
  places: Place[];
  boats: Boat[];
  items: ColdChainItem[];
  /** Recorded stays (scans, port logs, cold-store ledger). */
  stays: Stay[];
  handlings: Handling[];
  samples: Sample[];
  /** Case records as finally known; `snapshot` hides what was not known yet. */
  cases: (Case & { positiveAt: Instant })[];
  contacts: (Contact & { reportedAt: Instant })[];
}

interface Segment {
  from: number;
  to: number;
  hostId: Id;
}

interface Agent {
  id: Id;
  homeId: Id;
  age: number;
  role: Role;
  /** Boat, workplace, cold store, market or school. */
  workId: Id | null;
  offDay: number;
  /** Class at school or team at work: who one really spends the day with. */
  group: number;
  infectedAt: number | null;
  symptomatic: boolean;
  onsetAt: number | null;
  positiveDelay: number;
  isolatedAt: number | null;
  confirmedAt: number | null;
  positiveAt: number | null;
  quarantines: [number, number][];
}

/** 2022-08-01T00:00+08:00, the simulated district's first midnight. */
export const SIMULATION_START: Instant = Date.UTC(2022, 6, 31, 16);

function settingOf(hostId: Id, kinds: Map<Id, string>): HazardSetting {
  const kind = kinds.get(hostId);
  if (kind === 'home') return 'household';
  if (kind === 'boat') return 'boat';
  if (kind === 'workplace' || kind === 'cold_storage' || kind === 'school' || kind === 'fishing_port')
    return 'work';
  if (kind === 'restaurant') return 'social';
  return 'casual';
}

export function simulate(
  options: Partial<SimulationOptions> & { seed: string; source: SourceScenario },
  params: Parameters,
): Simulation {
  const o: SimulationOptions = { ...DEFAULTS, ...options };
  const rng: Rng = makeRng(`district:${o.seed}`);
  const { pathogen } = params;
  const at = (hour: number): Instant => SIMULATION_START + Math.round(hour * HOUR);

  // ---- the district -------------------------------------------------------------------------
  const places: Place[] = [];
  const kinds = new Map<Id, string>();
  const addPlace = (id: Id, kind: string, name: string, capacity: number | null = null): Id => {
    places.push({ id, name, kind, lat: null, lon: null, capacity });
    kinds.set(id, kind);
    return id;
  };
  const port = addPlace('port-1', 'fishing_port', 'Yazhou fishing port');
  const coldStore = addPlace('cold-1', 'cold_storage', 'Harbour cold store');
  const markets = Array.from({ length: o.markets }, (_, i) =>
    addPlace(`market-${i + 1}`, 'market', `Market ${i + 1}`),
  );
  const restaurants = Array.from({ length: o.restaurants }, (_, i) =>
    addPlace(`restaurant-${i + 1}`, 'restaurant', `Restaurant ${i + 1}`),
  );
  const workplaces = Array.from({ length: o.workplaces }, (_, i) =>
    addPlace(`work-${i + 1}`, 'workplace', `Workplace ${i + 1}`),
  );
  const schools = Array.from({ length: o.schools }, (_, i) =>
    addPlace(`school-${i + 1}`, 'school', `School ${i + 1}`),
  );
  addPlace('quarantine-1', 'quarantine_site', 'Quarantine hotel', 600);
  const boats: Boat[] = Array.from({ length: o.boats }, (_, i) => ({
    id: `boat-${i + 1}`,
    name: `Qiongya ${i + 1}`,
    registration: `QY${String(1000 + i)}`,
    homePortId: port,
  }));
  for (const b of boats) kinds.set(b.id, 'boat');
  const items: ColdChainItem[] = Array.from({ length: 4 }, (_, i) => ({
    id: `lot-${i + 1}`,
    product: i === 0 ? 'frozen hairtail' : 'frozen squid',
    lot: `L22-${i + 1}`,
    origin: 'imported',
    arrivedAt: at(24 + 8 + i * 48),
  }));
  const lotDays = new Map(items.map((it, i) => [it.id, [1 + i * 2, 1 + i * 2 + 7] as const]));

  const agents: Agent[] = [];
  const persons: Person[] = [];
  for (let h = 0; h < o.households; h++) {
    const homeId = addPlace(`home-${h + 1}`, 'home', null as unknown as string);
    const size = pick(rng, [1, 2, 2, 3, 3, 3, 4, 4, 5]);
    for (let k = 0; k < size; k++) {
      const age = k < 2 ? integer(rng, 22, 75) : integer(rng, 3, 17);
      const id = `p-${agents.length + 1}`;
      agents.push({
        id,
        homeId,
        age,
        role: age < 18 ? 'student' : age > 65 ? 'retired' : 'other',
        workId: null,
        offDay: integer(rng, 0, 6),
        group: 0,
        infectedAt: null,
        symptomatic: false,
        onsetAt: null,
        positiveDelay: 0,
        isolatedAt: null,
        confirmedAt: null,
        positiveAt: null,
        quarantines: [],
      });
      persons.push({
        id,
        name: null,
        sex: chance(rng, 0.5) ? 'M' : 'F',
        age,
        phone: null,
        idNumber: null,
        homeId,
        occupation: null,
      });
    }
  }
  for (const p of places) if (p.kind === 'home') p.name = null;
  const adults = shuffle(
    rng,
    agents.filter((a) => a.role === 'other'),
  );
  let next = 0;
  const assign = (role: Role, workId: Id, occupation: string): void => {
    const a = adults[next++];
    if (!a) return;
    a.role = role;
    a.workId = workId;
    persons.find((p) => p.id === a.id)!.occupation = occupation;
  };
  for (const b of boats)
    for (let k = integer(rng, o.crewSize[0], o.crewSize[1]); k > 0; k--) assign('fisher', b.id, 'fisher');
  for (let k = 0; k < o.coldStoreWorkers; k++) assign('cold', coldStore, 'cold store worker');
  for (const m of markets) for (let k = 0; k < o.vendorsPerMarket; k++) assign('vendor', m, 'vendor');
  while (next < adults.length * 0.8) assign('office', pick(rng, workplaces), 'office worker');
  for (const a of agents) if (a.role === 'student') a.workId = pick(rng, schools);
  // Classes of about 25 and office teams of about 10 (counted per school or workplace).
  const members = new Map<Id, number>();
  for (const a of agents) {
    if (a.role !== 'student' && a.role !== 'office') continue;
    const n = members.get(a.workId!) ?? 0;
    members.set(a.workId!, n + 1);
    a.group = Math.floor(n / (a.role === 'student' ? 25 : 10));
  }
  const byId = new Map(agents.map((a) => [a.id, a]));

  // ---- daily plans --------------------------------------------------------------------------
  const boatTrips = new Map(
    boats.map((b) => [b.id, Array.from({ length: o.days + 1 }, () => chance(rng, 6 / 7))]),
  );
  const plans = new Map<string, Segment[]>();
  const planOf = (a: Agent, day: number): Segment[] => {
    const key = `${a.id}|${day}`;
    let plan = plans.get(key);
    if (plan) return plan;
    plan = [];
    const weekday = day % 7;
    const working = weekday !== a.offDay;
    if (a.role === 'fisher' && a.workId && boatTrips.get(a.workId)![day]) {
      plan.push({ from: 4, to: 16, hostId: a.workId }, { from: 16, to: 17, hostId: port });
    } else if (a.role === 'cold' && working) plan.push({ from: 8, to: 17, hostId: coldStore });
    else if (a.role === 'vendor' && working) plan.push({ from: 6, to: 14, hostId: a.workId! });
    else if (a.role === 'office' && weekday < 5) plan.push({ from: 9, to: 17, hostId: a.workId! });
    else if (a.role === 'student' && weekday < 5) plan.push({ from: 8, to: 16, hostId: a.workId! });
    const free = (from: number, to: number) => plan!.every((s) => s.to <= from || s.from >= to);
    if (chance(rng, a.role === 'retired' ? o.marketVisitChance * 2 : o.marketVisitChance)) {
      const hour = pick(rng, [7, 8, 9, 10, 11, 17, 18]);
      if (free(hour, hour + 1)) plan.push({ from: hour, to: hour + 1, hostId: pick(rng, markets) });
    }
    if (a.age >= 18 && chance(rng, o.restaurantVisitChance) && free(18, 20)) {
      plan.push({ from: 18, to: 20, hostId: pick(rng, restaurants) });
    }
    plan.sort((x, y) => x.from - y.from);
    plans.set(key, plan);
    return plan;
  };
  const away = (a: Agent, hour: number): boolean =>
    (a.isolatedAt !== null && hour >= a.isolatedAt) || a.quarantines.some(([f, t]) => hour >= f && hour < t);
  /** Who is together for transmission: the class or team within a school or workplace. */
  const groupKey = (a: Agent, hostId: Id): string =>
    (a.role === 'student' || a.role === 'office') && hostId === a.workId ? `${hostId}#${a.group}` : hostId;
  const hostOfKey = (key: string): Id => key.split('#')[0]!;
  const locate = (a: Agent, hour: number): string | null => {
    if (away(a, hour)) return null;
    const day = Math.floor(hour / 24);
    const h = hour - day * 24;
    for (const s of planOf(a, day)) if (h >= s.from && h < s.to) return groupKey(a, s.hostId);
    return a.homeId;
  };
  /** Per day, who was in each group when (plans only; isolation is checked by the caller). */
  const dayIndexes = new Map<number, Map<string, { agent: Agent; from: number; to: number }[]>>();
  const dayIndex = (day: number) => {
    let index = dayIndexes.get(day);
    if (index) return index;
    index = new Map();
    for (const a of agents) {
      for (const s of planOf(a, day)) {
        const key = groupKey(a, s.hostId);
        const list = index.get(key) ?? [];
        list.push({ agent: a, from: s.from, to: s.to });
        index.set(key, list);
      }
    }
    dayIndexes.set(day, index);
    return index;
  };

  // ---- infection, tests, isolation ------------------------------------------------------------
  const truth: TrueInfection[] = [];
  const samples: Sample[] = [];
  const contacts: (Contact & { reportedAt: Instant })[] = [];
  const events = new Map<number, (() => void)[]>();
  const schedule = (hour: number, run: () => void): void => {
    const slot = Math.max(0, Math.floor(hour));
    const list = events.get(slot) ?? [];
    list.push(run);
    events.set(slot, list);
  };
  let detectedHour: number | null = null;

  // Hazard per hour of co-presence in a setting at typical infectiousness: the attack rate spread
  // over the hours typical of it; infectiousness is the generation-interval density relative to its
  // value at a typical transmission (its mean over itself, ∫ g²).
  let typicalDensity = 0;
  for (let x = 0.0025; x < 60; x += 0.005)
    typicalDensity += density(pathogen.generationInterval, x) ** 2 * 0.005;
  const hazardPerHour = (setting: HazardSetting): number =>
    (o.hazardScale * pathogen.attackRates[setting]) / pathogen.attackRateHours[setting];
  const infectiousness = (a: Agent, hour: number): number => {
    if (a.infectedAt === null || hour <= a.infectedAt) return 0;
    const g = density(pathogen.generationInterval, (hour - a.infectedAt) / 24) / typicalDensity;
    return a.symptomatic ? g : g * pathogen.asymptomaticInfectiousness;
  };
  const detectable = (a: Agent, hour: number): boolean =>
    a.infectedAt !== null &&
    hour - a.infectedAt >= a.positiveDelay &&
    hour - a.infectedAt <= a.positiveDelay + 20 * 24;

  const test = (a: Agent, hour: number): void => {
    if (a.confirmedAt !== null) return;
    const result = detectable(a, hour) && chance(rng, o.testSensitivity);
    samples.push({
      subjectId: a.id,
      sampledAt: at(hour),
      result: result ? 'positive' : 'negative',
      method: 'pcr',
      ct: result ? Math.round(uniform(rng, 18, 35) * 10) / 10 : null,
    });
    if (result) confirm(a, hour);
  };

  const infect = (
    a: Agent,
    hour: number,
    infectorId: Id,
    infectorKind: TrueInfection['infectorKind'],
    hostId: Id | null,
  ): void => {
    if (a.infectedAt !== null) return;
    a.infectedAt = hour;
    a.symptomatic = chance(rng, o.symptomaticShare);
    a.positiveDelay = draw(rng, pathogen.infectionToPositive) * 24;
    truth.push({ personId: a.id, atHour: hour, at: at(hour), infectorId, infectorKind, hostId });
    if (a.symptomatic) {
      a.onsetAt = hour + draw(rng, pathogen.incubation) * 24;
      const seek = a.onsetAt + uniform(rng, 12, 60);
      const seekTest = (when: number): void =>
        schedule(when, () => {
          if (a.confirmedAt !== null || away(a, when)) return;
          test(a, when);
          if (a.confirmedAt === null) seekTest(when + 24);
        });
      seekTest(seek);
    }
  };

  // Who shared a non-home place with `a` in the `days` before `hour`: for quarantine and interviews.
  const companions = (
    a: Agent,
    hour: number,
    days: number,
  ): Map<Id, { hostId: Id; from: number; to: number }> => {
    const found = new Map<Id, { hostId: Id; from: number; to: number }>();
    const firstDay = Math.max(0, Math.floor((hour - days * 24) / 24));
    for (let d = firstDay; d <= Math.floor(hour / 24); d++) {
      for (const s of planOf(a, d)) {
        const from = d * 24 + s.from;
        const to = d * 24 + s.to;
        if (to > hour || away(a, from)) continue;
        for (const theirs of dayIndex(d).get(groupKey(a, s.hostId)) ?? []) {
          const b = theirs.agent;
          if (b === a || found.has(b.id) || away(b, from) || theirs.from >= s.to || theirs.to <= s.from)
            continue;
          found.set(b.id, {
            hostId: s.hostId,
            from: d * 24 + Math.max(s.from, theirs.from),
            to: d * 24 + Math.min(s.to, theirs.to),
          });
        }
      }
    }
    return found;
  };

  const contactSettingOf = (hostId: Id): ContactSetting => {
    const kind = kinds.get(hostId);
    if (
      kind === 'boat' ||
      kind === 'workplace' ||
      kind === 'cold_storage' ||
      kind === 'school' ||
      kind === 'fishing_port'
    )
      return 'work';
    if (kind === 'restaurant') return 'social';
    return 'other';
  };

  const confirm = (a: Agent, sampledHour: number): void => {
    a.positiveAt = sampledHour;
    a.confirmedAt = sampledHour + 12;
    a.isolatedAt = a.confirmedAt;
    if (detectedHour === null) {
      detectedHour = a.confirmedAt;
      startInvestigation(a.confirmedAt);
    }
    // Interview and quarantine of close contacts at confirmation.
    schedule(a.confirmedAt, () => {
      const hour = a.confirmedAt!;
      const met = companions(a, hour, 4);
      for (const [otherId, m] of met) {
        if (kinds.get(m.hostId) === 'market' && m.to - m.from < 2) continue; // strangers at a stall are not remembered
        if (!chance(rng, o.interviewRecall)) continue;
        contacts.push({
          personA: a.id,
          personB: otherId,
          start: at(m.from),
          end: at(m.to),
          setting: contactSettingOf(m.hostId),
          reportedAt: at(hour),
        });
      }
      const close = new Set<Id>();
      for (const b of agents) if (b.homeId === a.homeId && b !== a) close.add(b.id);
      for (const [otherId, m] of companions(a, hour, 2)) {
        const kind = kinds.get(m.hostId);
        if (kind === 'boat' || kind === 'cold_storage' || kind === 'workplace' || kind === 'school')
          close.add(otherId);
      }
      for (const id of close) {
        const b = byId.get(id)!;
        if (b.confirmedAt !== null || b.quarantines.some(([f, t]) => hour + 6 >= f && hour + 6 < t)) continue;
        const from = hour + 6;
        const to = from + o.quarantineDays * 24;
        b.quarantines.push([from, to]);
        for (let d = 1; d <= o.quarantineDays; d++) {
          const when = Math.floor(from / 24) * 24 + d * 24 + 9;
          schedule(when, () => test(b, when));
        }
      }
    });
  };

  const environmentalSampling = (hour: number): void => {
    const contaminated = (id: Id): boolean => {
      if (o.source === 'item') return id === 'lot-1' || (id === coldStore && chance(rng, 0.6));
      return id === 'boat-1' || (id === port && chance(rng, 0.3));
    };
    const subjects = [...items.map((i) => i.id), coldStore, port, ...markets, ...boats.map((b) => b.id)];
    for (const id of subjects) {
      const positive = contaminated(id);
      samples.push({
        subjectId: id,
        sampledAt: at(hour),
        result: positive ? 'positive' : 'negative',
        method: 'pcr',
        ct: positive ? Math.round(uniform(rng, 28, 36) * 10) / 10 : null,
      });
    }
  };

  const startInvestigation = (hour: number): void => {
    const firstRound = Math.floor(hour / 24) * 24 + 24 + 9;
    for (let when = firstRound; when < o.days * 24; when += o.screeningEveryDays * 24) {
      schedule(when, () => {
        for (const a of agents) if (!away(a, when) && a.confirmedAt === null) test(a, when);
      });
    }
    schedule(firstRound + 3, () => environmentalSampling(firstRound + 3));
    schedule(firstRound + 3 * 24 + 3, () => environmentalSampling(firstRound + 3 * 24 + 3));
  };

  // ---- the source ---------------------------------------------------------------------------
  const sourceId = o.source === 'item' ? 'lot-1' : 'boat-1';
  const handlings: Handling[] = [];
  const handlingEvents = new Map<number, { agent: Agent; itemId: Id; hour: number }[]>();
  for (const it of items) {
    const [first, last] = lotDays.get(it.id)!;
    for (let d = first; d <= last && d < o.days; d++) {
      for (const a of agents) {
        if (a.role !== 'cold') continue;
        const shift = planOf(a, d).find((s) => s.hostId === coldStore);
        if (!shift || !chance(rng, 0.5)) continue;
        const hour = d * 24 + uniform(rng, shift.from, shift.to);
        const list = handlingEvents.get(Math.floor(hour)) ?? [];
        list.push({ agent: a, itemId: it.id, hour });
        handlingEvents.set(Math.floor(hour), list);
      }
    }
  }
  if (o.source === 'boat') {
    const crew = agents.filter((a) => a.workId === 'boat-1');
    const trip = boatTrips.get('boat-1')!.findIndex((sails, d) => sails && d >= 1);
    infect(pick(rng, crew), trip * 24 + 10, 'boat-1', 'boat', 'boat-1');
  }
  for (let k = 0; k < o.outsideImports; k++) {
    const a = pick(rng, agents);
    const hour = uniform(rng, 3 * 24, 15 * 24);
    schedule(hour, () => {
      if (!away(a, hour)) infect(a, hour, 'outside', 'outside', null);
    });
  }

  // ---- hour by hour -------------------------------------------------------------------------
  let lotInfected = false;
  for (let hour = 0; hour < o.days * 24; hour++) {
    for (const run of events.get(hour) ?? []) run();
    events.delete(hour);
    for (const h of handlingEvents.get(hour) ?? []) {
      if (away(h.agent, h.hour)) continue;
      if (chance(rng, o.handlingRecordRate))
        handlings.push({ personId: h.agent.id, itemId: h.itemId, at: at(h.hour) });
      if (h.itemId === sourceId && o.source === 'item') {
        const [first] = lotDays.get(h.itemId)!;
        const contamination = Math.max(0, 1 - (h.hour / 24 - first) / 10);
        const perHandling = o.lotHandlingInfection ?? pathogen.attackRates.cold_chain;
        if (!lotInfected || chance(rng, perHandling * contamination)) {
          lotInfected = true;
          infect(h.agent, h.hour, h.itemId, 'item', h.itemId);
        }
      }
    }
    const mid = hour + 0.5;
    const infectiousAt = new Map<string, { agent: Agent; weight: number }[]>();
    for (const a of agents) {
      if (a.infectedAt === null || a.infectedAt >= hour) continue;
      const weight = infectiousness(a, mid);
      if (weight < 1e-6) continue;
      const where = locate(a, hour);
      if (where === null) continue;
      const list = infectiousAt.get(where) ?? [];
      list.push({ agent: a, weight });
      infectiousAt.set(where, list);
    }
    if (infectiousAt.size === 0) continue;
    for (const a of agents) {
      if (a.infectedAt !== null) continue;
      const where = locate(a, hour);
      if (where === null) continue;
      const sources = infectiousAt.get(where);
      if (!sources) continue;
      const total = sources.reduce((s, x) => s + x.weight, 0);
      const hazard = hazardPerHour(settingOf(hostOfKey(where), kinds)) * total;
      if (!chance(rng, 1 - Math.exp(-hazard))) continue;
      let r = rng() * total;
      let infector = sources[0]!.agent;
      for (const s of sources) {
        r -= s.weight;
        if (r <= 0) {
          infector = s.agent;
          break;
        }
      }
      infect(a, hour + rng(), infector.id, 'person', hostOfKey(where));
    }
  }

  // ---- what was recorded --------------------------------------------------------------------
  const endHour = o.days * 24;
  const stays: Stay[] = [];
  for (const a of agents) {
    for (let d = 0; d < o.days; d++) {
      for (const s of planOf(a, d)) {
        const from = d * 24 + s.from;
        let to = d * 24 + s.to;
        if (away(a, from)) continue;
        const cut = [a.isolatedAt, ...a.quarantines.map(([f]) => f)].filter(
          (t): t is number => t !== null && t > from && t < to,
        );
        if (cut.length) to = Math.min(...cut);
        if (chance(rng, o.scanRecordRate))
          stays.push({ subjectId: a.id, hostId: s.hostId, start: at(from), end: at(to) });
      }
    }
  }
  for (const b of boats) {
    // Docked at the port when not at sea (port log: always recorded).
    let dockedFrom: number | null = 0;
    for (let d = 0; d < o.days; d++) {
      if (!boatTrips.get(b.id)![d]) continue;
      if (dockedFrom !== null && d * 24 + 4 > dockedFrom)
        stays.push({ subjectId: b.id, hostId: port, start: at(dockedFrom), end: at(d * 24 + 4) });
      dockedFrom = d * 24 + 16;
    }
    if (dockedFrom !== null && endHour > dockedFrom)
      stays.push({ subjectId: b.id, hostId: port, start: at(dockedFrom), end: at(endHour) });
  }
  for (const it of items) {
    const [first, last] = lotDays.get(it.id)!;
    stays.push({
      subjectId: it.id,
      hostId: coldStore,
      start: at(first * 24 + 8),
      end: at(Math.min(endHour, (last + 1) * 24)),
    });
  }

  const cases = agents
    .filter((a) => a.confirmedAt !== null && a.confirmedAt <= endHour)
    .map((a) => ({
      personId: a.id,
      classification: (a.symptomatic ? 'confirmed' : 'asymptomatic') as Case['classification'],
      onset: a.symptomatic && a.onsetAt !== null ? at(a.onsetAt) : null,
      confirmedAt: at(a.confirmedAt!),
      positiveAt: at(a.positiveAt!),
    }));

  return {
    options: o,
    start: SIMULATION_START,
    end: at(endHour),
    detectedAt: detectedHour === null ? null : at(detectedHour),
    truth: { infections: truth, sourceId, sourceKind: o.source },
    persons,
    places,
    boats,
    items,
    stays,
    handlings,
    samples,
    cases,
    contacts,
  };
}

/** What investigators knew at `asOf`, as the engine's input. */
export function snapshot(sim: Simulation, asOf: Instant): OutbreakData {
  const cases: Case[] = sim.cases
    .filter((c) => c.confirmedAt !== null && c.confirmedAt <= asOf)
    .map((c) => {
      const onsetKnown = c.onset !== null && c.onset <= asOf;
      return {
        personId: c.personId,
        classification: onsetKnown ? 'confirmed' : 'asymptomatic',
        onset: onsetKnown ? c.onset : null,
        confirmedAt: c.confirmedAt,
      };
    });
  const places = new Map(sim.places.map((p) => [p.id, p]));
  return {
    asOf,
    cases,
    samples: sim.samples.filter((s) => s.sampledAt <= asOf),
    stays: sim.stays.filter((s) => s.start <= asOf).map((s) => (s.end > asOf ? { ...s, end: asOf } : s)),
    contacts: sim.contacts.filter((c) => c.reportedAt <= asOf).map(({ reportedAt: _r, ...c }) => c),
    handlings: sim.handlings.filter((h) => h.at <= asOf),
    persons: new Map(sim.persons.map((p) => [p.id, p])),
    places,
    boats: new Map(sim.boats.map((b) => [b.id, b])),
    items: new Map(sim.items.map((i) => [i.id, i])),
    quarantineSites: sim.places.filter((p) => p.kind === 'quarantine_site'),
  };
}
