/**
 * The outbreak of the demo district, after the Omicron BA.5.1.3 outbreak of August 2022 in
 * Yazhou, Sanya: a contaminated imported lot (or the boat that carried it) infects a porter,
 * cold-chain worker or crew member, and infection spreads through households, crews, the port,
 * markets, workplaces and restaurants. Who is infected is drawn each day from the real exposures
 * of that day (co-presence at a place, aboard a boat, in a household, handling the lot), weighted
 * by the setting's secondary attack rate, the infector's infectiousness (generation-interval
 * density, reduced before onset and for asymptomatic cases; Thompson et al., CID 2021) and the
 * time together; the number infected each day follows a logistic epidemic curve scaled to the
 * district's size. Incubation and infection-to-positive delays follow Li et al., Chin J Epidemiol
 * 2023 (Sanya BA.5.1.3); the generation interval Park et al., PNAS 2023. The response follows
 * China's 9th-edition protocol: a first case found by routine screening of port and cold-chain
 * workers (or at hospital), then daily mass testing, case isolation, interviews, and 7-day
 * quarantine of close contacts in hotels while beds last.
 */
import { density } from '../../src/domain/distributions';
import { PATHOGEN_PRESETS, type Distribution } from '../../src/domain/parameters';
import type { ContactSetting } from '../../src/domain/types';
import { DAY, MINUTE } from '../../src/domain/time';
import type { HandlingEvent, Lot } from './coldchain';
import type { Geography } from './geography';
import { Phase, Status, type DayStays, type Fleet, type Trip } from './mobility';
import { Role, type Population } from './population';
import { Random } from './random';
import type { BundleWriter } from './writer';

const HOUR = 60 * MINUTE;
const PATHOGEN = PATHOGEN_PRESETS['omicron-ba5']!;

function lognormal(dist: Distribution): { meanlog: number; sdlog: number } {
  if (dist.family !== 'lognormal') throw new Error(`expected a lognormal delay, got ${dist.family}`);
  return dist;
}
const INCUBATION = lognormal(PATHOGEN.incubation);
const INFECTION_TO_POSITIVE = lognormal(PATHOGEN.infectionToPositive);

/** Infections per person the outbreak reaches over the period (about 0.2% become cases). */
const ATTACK_FRACTION = 0.0021;
const MIN_INFECTIONS = 20;
/** The contaminated lot arrives on this day of the period. */
export const SEED_DAY = 2;
/** Static management starts this many days after the first case is confirmed. */
const LOCKDOWN_AFTER_DAYS = 5;
const SYMPTOMATIC_SHARE = 0.4;
/** Share of symptomatic cases who see a doctor before the outbreak is known. */
const EARLY_CARE_SHARE = 0.3;
/** Before the outbreak is known, porters, cold-chain workers, seafood-market vendors and fishers
 *  give a routine PCR sample twice a week (at work, or on the quay before sailing), on these days
 *  of the period (day index modulo 7). */
const ROUTINE_SCREENING_DAYS = [0, 3];
const ROUTINE_SCREENED: readonly Role[] = [Role.Porter, Role.ColdChainWorker, Role.Fisher, Role.Vendor];
const QUARANTINE_PCR_DAYS = [1, 2, 3, 5, 7];
/** Chance that a case names a contact of each kind in the interview (household: always). */
const REPORTED: Record<ContactSetting, number> = {
  household: 1,
  work: 0.7,
  social: 0.5,
  care: 0.5,
  transport: 0.3,
  other: 0.3,
};
/** Contacts a case could name, per stay at a place (the people they noticed). */
const CONTACTS_PER_STAY = 5;

enum Exposure {
  Household,
  Boat,
  Work,
  Social,
  Care,
  Casual,
  Environment,
}

const ATTACK_RATE: Record<Exposure, number> = {
  [Exposure.Household]: PATHOGEN.attackRates.household,
  [Exposure.Boat]: PATHOGEN.attackRates.boat,
  [Exposure.Work]: PATHOGEN.attackRates.work,
  [Exposure.Social]: PATHOGEN.attackRates.social,
  [Exposure.Care]: PATHOGEN.attackRates.care,
  [Exposure.Casual]: PATHOGEN.attackRates.casual,
  [Exposure.Environment]: PATHOGEN.attackRates.cold_chain,
};

/**
 * How co-presence at a kind of place exposes (with a factor for protection worn there), and how
 * a case would name the contact.
 */
const PLACE_EXPOSURE: Record<string, { exposure: Exposure; factor: number; contact: ContactSetting | null }> =
  {
    workplace: { exposure: Exposure.Work, factor: 1, contact: 'work' },
    school: { exposure: Exposure.Work, factor: 1, contact: 'work' },
    cold_storage: { exposure: Exposure.Work, factor: 1, contact: 'work' },
    fishing_port: { exposure: Exposure.Work, factor: 1, contact: 'work' },
    // Fever clinics: staff in protective equipment.
    hospital: { exposure: Exposure.Care, factor: 0.2, contact: 'care' },
    restaurant: { exposure: Exposure.Social, factor: 1, contact: 'social' },
    market: { exposure: Exposure.Casual, factor: 1, contact: null },
    station: { exposure: Exposure.Casual, factor: 1, contact: null },
    checkpoint: { exposure: Exposure.Casual, factor: 1, contact: null },
    // Masked queues in the open air.
    test_site: { exposure: Exposure.Casual, factor: 0.5, contact: null },
  };

/** Times someone was with an infected person: [start, end] pairs, in order. */
interface Seen {
  setting: ContactSetting;
  times: number[];
}

interface Infection {
  person: number;
  infectedAt: number;
  symptomatic: boolean;
  onset: number | null;
  /** From when a PCR sample would be positive. */
  positiveFrom: number;
  /** When the person would see a doctor before the outbreak is known (Infinity: would not). */
  earlyCareAt: number;
  /** Delay to see a doctor once the outbreak is known, in days after onset. */
  alertCareDelay: number;
  careDone: boolean;
  firstPositiveAt: number | null;
  confirmedAt: number | null;
  /** People the person was with since infection, whom an interview could name. */
  seen: Map<number, Seen>;
}

interface Quarantine {
  person: number;
  /** Quarantine hotel (site index), or -1 at home. */
  site: number;
  start: number;
  end: number;
  startDay: number;
}

export interface OutbreakIds {
  person(p: number): string;
  boat(b: number): string;
  site(s: number): string;
}

export class Outbreak {
  readonly status: Uint8Array;
  private readonly infectionOf: Int32Array;
  private readonly infections: Infection[] = [];
  private readonly confirmed: Infection[] = [];
  private readonly rng: Random;
  private readonly testing: Random;
  private readonly interviews: Random;
  private readonly target: number;
  private curve: { midpoint: number; scale: number } | null = null;
  indexCase: number | null = null;
  detectionDay: number | null = null;
  private detectedAt = Infinity;
  private contaminatedLot: Lot | null = null;
  private contaminatedBoat = -1;
  private contaminatedAt = 0;
  private readonly quarantines = new Map<number, Quarantine>();
  private pendingQuarantines = new Map<number, Quarantine>();
  private pendingIsolations: number[] = [];
  private readonly bedsFree: number[];
  private readonly reportedContacts = new Set<string>();
  // Exposures of the day being simulated, per person.
  private readonly exposure: Float64Array;
  private readonly bestWeight: Float64Array;
  private readonly bestFrom: Float64Array;
  private readonly bestTo: Float64Array;
  private touched: number[] = [];

  constructor(
    private readonly geography: Geography,
    private readonly population: Population,
    seed: string,
    private readonly periodStart: number,
    private readonly days: number,
    private readonly ids: OutbreakIds,
    private readonly fleet: Fleet,
  ) {
    const n = population.size;
    this.status = new Uint8Array(n);
    this.infectionOf = new Int32Array(n).fill(-1);
    this.exposure = new Float64Array(n);
    this.bestWeight = new Float64Array(n);
    this.bestFrom = new Float64Array(n);
    this.bestTo = new Float64Array(n);
    this.rng = new Random(seed, 'outbreak');
    this.testing = new Random(seed, 'testing');
    this.interviews = new Random(seed, 'interviews');
    this.target = Math.max(MIN_INFECTIONS, Math.round(n * ATTACK_FRACTION));
    this.bedsFree = geography.quarantineSites.map((s) => geography.sites[s]!.capacity ?? 0);
  }

  get periodEnd(): number {
    return this.periodStart + this.days * DAY;
  }

  get seeded(): boolean {
    return this.indexCase !== null;
  }

  get caseCount(): number {
    return this.confirmed.length;
  }

  private dayStart(day: number): number {
    return this.periodStart + day * DAY;
  }

  private dayOf(at: number): number {
    return Math.floor((at - this.periodStart) / DAY);
  }

  phase(day: number): Phase {
    if (this.detectionDay === null || day <= this.detectionDay) return Phase.Normal;
    return day < this.detectionDay + LOCKDOWN_AFTER_DAYS ? Phase.Alert : Phase.Lockdown;
  }

  testRound(day: number): boolean {
    if (this.detectionDay === null) return false;
    // District-wide rounds every day from the day after the first case is confirmed.
    return day > this.detectionDay;
  }

  // ---- infection ------------------------------------------------------------------------

  private infect(person: number, at: number, forceSymptoms = false): Infection {
    const { rng } = this;
    const symptomatic = forceSymptoms || rng.chance(SYMPTOMATIC_SHARE);
    const incubation = rng.lognormal(INCUBATION.meanlog, INCUBATION.sdlog);
    const toPositive = rng.lognormal(INFECTION_TO_POSITIVE.meanlog, INFECTION_TO_POSITIVE.sdlog);
    const onset = symptomatic ? Math.round((at + incubation * DAY) / MINUTE) * MINUTE : null;
    // The index case has mild symptoms and keeps working.
    const seeksCareEarly = symptomatic && !forceSymptoms && rng.chance(EARLY_CARE_SHARE);
    const earlyDelay = rng.uniform(1, 3);
    const infection: Infection = {
      person,
      infectedAt: at,
      symptomatic,
      onset,
      positiveFrom: at + toPositive * DAY,
      earlyCareAt: seeksCareEarly ? onset! + earlyDelay * DAY : Infinity,
      alertCareDelay: rng.uniform(0.2, 1),
      careDone: false,
      firstPositiveAt: null,
      confirmedAt: null,
      seen: new Map(),
    };
    this.infectionOf[person] = this.infections.length;
    this.infections.push(infection);
    return infection;
  }

  /**
   * Starts the outbreak from the contaminated lot and boat of a returning trip: the index case
   * is a porter who unloaded the lot or, failing that, one of the crew.
   */
  seedIndex(day: number, trip: Trip, lot: Lot, handlings: readonly HandlingEvent[]): void {
    this.contaminatedLot = lot;
    this.contaminatedBoat = trip.boat;
    this.contaminatedAt = trip.return;
    const unloaders = handlings.filter((h) => h.lot === lot && h.at < lot.storedAt);
    let person: number;
    let at: number;
    if (unloaders.length && this.rng.chance(0.5)) {
      ({ person, at } = this.rng.pick(unloaders));
    } else {
      person = this.rng.pick(trip.crew);
      at = trip.return - this.rng.uniform(1, 10) * HOUR;
    }
    this.infect(person, Math.max(at, this.dayStart(day) - DAY), true);
    this.indexCase = person;
    // The epidemic curve: logistic, from one infection on the seeding day to its midpoint two
    // days after the routine screening that should find the outbreak (infections peak a few days
    // before confirmations do).
    let found = day + 2;
    while (!ROUTINE_SCREENING_DAYS.includes(found % 7)) found++;
    const midpoint = found + 2;
    this.curve = { midpoint, scale: Math.max(0.8, (midpoint - day) / Math.log(this.target)) };
  }

  private infectiousness(infection: Infection, at: number): number {
    const days = (at - infection.infectedAt) / DAY;
    if (days <= 0 || days > 14) return 0;
    const relative = !infection.symptomatic
      ? PATHOGEN.asymptomaticInfectiousness
      : at < infection.onset!
        ? PATHOGEN.presymptomaticInfectiousness
        : 1;
    return density(PATHOGEN.generationInterval, days) * relative;
  }

  private expose(person: number, weight: number, from: number, to: number): void {
    if (weight <= 0 || this.infectionOf[person] !== -1) return;
    const s = this.status[person];
    if (s !== Status.Free && s !== Status.QuarantinedAtHome) return;
    if (this.exposure[person] === 0) this.touched.push(person);
    this.exposure[person] += weight;
    if (weight > this.bestWeight[person]!) {
      this.bestWeight[person] = weight;
      this.bestFrom[person] = from;
      this.bestTo[person] = Math.max(from, to);
    }
  }

  private see(
    infection: Infection,
    other: number,
    start: number,
    end: number,
    setting: ContactSetting,
  ): void {
    const known = infection.seen.get(other);
    if (!known) infection.seen.set(other, { setting, times: [start, end] });
    else if (known.times[known.times.length - 2] !== start) known.times.push(start, end);
  }

  /** The day's transmission: exposures of everyone infectious today, then the day's infections. */
  transmit(day: number, stays: DayStays, fleet: Fleet, handlings: readonly HandlingEvent[]): void {
    if (!this.curve) return;
    const { population: pop, geography: g, rng } = this;
    const dayStart = this.dayStart(day);
    const dayEnd = dayStart + DAY;
    const noon = dayStart + 12 * HOUR;
    const crewToday = new Map<number, Trip>();
    for (const trip of fleet.active) {
      if (trip.depart < dayEnd && trip.return > dayStart) for (const p of trip.crew) crewToday.set(p, trip);
    }

    for (const infection of this.infections) {
      const p = infection.person;
      const s = this.status[p];
      if (
        s === Status.IsolatedInHospital ||
        s === Status.QuarantinedAtSite ||
        infection.infectedAt >= dayStart
      )
        continue;
      const f = this.infectiousness(infection, noon);
      if (f === 0) continue;
      const trip = crewToday.get(p);
      if (!trip || trip.return < dayStart + 19 * HOUR) {
        for (let q = pop.homeFirst[pop.homeOf[p]!]!; q < pop.homeFirst[pop.homeOf[p]! + 1]!; q++) {
          if (q !== p && !fleet.atSea(q, dayStart + 19 * HOUR)) {
            this.expose(q, ATTACK_RATE[Exposure.Household] * f, dayStart + 19 * HOUR, dayStart + 23 * HOUR);
          }
        }
      }
      if (s !== Status.Free) continue;
      if (trip) {
        const from = Math.max(trip.depart, dayStart);
        const to = Math.min(trip.return, dayEnd);
        for (const mate of trip.crew) {
          if (mate === p) continue;
          this.expose(mate, ATTACK_RATE[Exposure.Boat] * f, from, to);
          this.see(infection, mate, trip.depart, trip.return, 'work');
        }
      }
      for (let i = stays.personFrom[p]!; i < stays.personTo[p]!; i++) {
        const host = stays.host[i]!;
        const kind = PLACE_EXPOSURE[g.sites[host]!.kind];
        if (!kind) continue;
        const start = stays.start[i]!;
        const end = stays.end[i]!;
        const noticed: number[] = [];
        let seenCount = 0;
        for (let k = stays.hostFirst[host]!; k < stays.hostFirst[host + 1]!; k++) {
          const j = stays.byHost[k]!;
          const q = stays.subject[j]!;
          if (q === p) continue;
          const from = Math.max(start, stays.start[j]!);
          const to = Math.min(end, stays.end[j]!);
          if (to <= from) continue;
          const minutes = (to - from) / MINUTE;
          this.expose(q, ATTACK_RATE[kind.exposure] * kind.factor * f * Math.min(1, minutes / 240), from, to);
          if (kind.contact) {
            // Reservoir sample of the people noticed at this stay.
            seenCount++;
            if (noticed.length < CONTACTS_PER_STAY) noticed.push(j);
            else {
              const r = rng.int(0, seenCount - 1);
              if (r < CONTACTS_PER_STAY) noticed[r] = j;
            }
          }
        }
        for (const j of noticed) {
          this.see(
            infection,
            stays.subject[j]!,
            Math.max(start, stays.start[j]!),
            Math.min(end, stays.end[j]!),
            kind.contact!,
          );
        }
      }
    }

    // The contaminated lot and boat stay a source for a while (decaying over about 3 days).
    const persistence = PATHOGEN.environmentalPersistenceDays * DAY;
    if (this.contaminatedLot) {
      for (const h of handlings) {
        const age = h.at - this.contaminatedAt;
        if (h.lot.contaminated && age < persistence) {
          this.expose(h.person, ATTACK_RATE[Exposure.Environment] * Math.exp(-age / (3 * DAY)), h.at, h.at);
        }
      }
      for (const trip of fleet.active) {
        const age = trip.depart - this.contaminatedAt;
        if (trip.boat !== this.contaminatedBoat || age < 0 || age > persistence || trip.depart >= dayEnd)
          continue;
        for (const p of trip.crew) {
          this.expose(
            p,
            ATTACK_RATE[Exposure.Environment] * Math.exp(-age / (3 * DAY)),
            Math.max(trip.depart, dayStart),
            Math.min(trip.return, dayEnd),
          );
        }
      }
    }

    this.infectToday(day, dayStart);
  }

  /** Draws the day's infections from the exposed, in proportion to their exposure. */
  private infectToday(day: number, dayStart: number): void {
    const { rng, curve } = this;
    const cumulative = (x: number) => this.target / (1 + Math.exp(-(x - curve!.midpoint) / curve!.scale));
    const wanted = Math.min(this.target, Math.floor(cumulative(day + 1))) - this.infections.length;
    const candidates = this.touched;
    if (wanted > 0 && candidates.length > 0) {
      let chosen = candidates;
      if (candidates.length > wanted) {
        // Weighted sampling without replacement (Efraimidis & Spirakis 2006): largest ln(u)/w.
        const keys = new Map<number, number>();
        for (const q of candidates) keys.set(q, Math.log(1 - rng.float()) / this.exposure[q]!);
        chosen = [...candidates].sort((a, b) => keys.get(b)! - keys.get(a)! || a - b).slice(0, wanted);
      }
      for (const q of chosen) {
        const from = this.bestFrom[q]!;
        const to = this.bestTo[q]!;
        const at = Math.min(from + rng.float() * (to - from), dayStart + DAY - MINUTE);
        this.infect(q, Math.round(at / MINUTE) * MINUTE);
      }
    }
    for (const q of candidates) {
      this.exposure[q] = 0;
      this.bestWeight[q] = 0;
    }
    this.touched = [];
  }

  // ---- the response -----------------------------------------------------------------------

  /** Applies yesterday's decisions (isolation, quarantine) and ends quarantines that are over. */
  beginDay(day: number, writer: BundleWriter): void {
    const dayStart = this.dayStart(day);
    for (const p of this.pendingIsolations) this.status[p] = Status.IsolatedInHospital;
    this.pendingIsolations = [];
    for (const q of this.pendingQuarantines.values()) {
      if (this.status[q.person] !== Status.Free) {
        if (q.site >= 0) this.bedsFree[this.geography.quarantineSites.indexOf(q.site)]!++;
        continue;
      }
      this.status[q.person] = q.site >= 0 ? Status.QuarantinedAtSite : Status.QuarantinedAtHome;
      this.quarantines.set(q.person, q);
    }
    this.pendingQuarantines.clear();
    for (const [person, q] of this.quarantines) {
      if (q.end <= dayStart) this.endQuarantine(person, q, q.end, writer);
    }
  }

  private endQuarantine(person: number, q: Quarantine, at: number, writer: BundleWriter): void {
    if (q.site >= 0) {
      writer.row('stays.csv', [
        this.ids.person(person),
        this.ids.site(q.site),
        writer.instant(q.start),
        writer.instant(at),
      ]);
      this.bedsFree[this.geography.quarantineSites.indexOf(q.site)]!++;
    }
    this.quarantines.delete(person);
    if (this.status[person] !== Status.IsolatedInHospital) this.status[person] = Status.Free;
  }

  /** Symptomatic persons who see a doctor today, and when (during opening hours). */
  careVisits(day: number, fleet: Fleet): Map<number, number> {
    const visits = new Map<number, number>();
    const dayStart = this.dayStart(day);
    for (const infection of this.infections) {
      if (!infection.symptomatic || infection.careDone || this.status[infection.person] !== Status.Free)
        continue;
      if (fleet.atSea(infection.person, dayStart)) continue;
      let at = infection.earlyCareAt;
      if (this.detectionDay !== null)
        at = Math.min(at, Math.max(infection.onset!, this.detectedAt) + infection.alertCareDelay * DAY);
      if (!Number.isFinite(at)) continue;
      // Clinics see people from 07:00 to 20:00; a later wish waits for the next morning.
      const local = (at - this.dayStart(this.dayOf(at))) / MINUTE;
      if (local > 20 * 60) at = this.dayStart(this.dayOf(at) + 1) + 8 * HOUR;
      else if (local < 7 * 60) at = this.dayStart(this.dayOf(at)) + (7 * 60 + local / 2) * MINUTE;
      if (at < dayStart) at = dayStart + 8 * HOUR;
      if (at < dayStart + DAY) {
        visits.set(infection.person, Math.round(at / MINUTE) * MINUTE);
        infection.careDone = true;
      }
    }
    return visits;
  }

  private ct(infection: Infection, at: number): number {
    const days = (at - infection.infectedAt) / DAY;
    const ct = 18 + 2.8 * Math.abs(days - 4) + 1.5 * this.testing.normal();
    return Math.round(Math.min(38, Math.max(15, ct)) * 10) / 10;
  }

  /** Writes a person's PCR sample; a positive one confirms the case. */
  private sample(day: number, person: number, at: number, writer: BundleWriter): void {
    const index = this.infectionOf[person]!;
    const infection = index >= 0 ? this.infections[index]! : null;
    const positive = infection !== null && at >= infection.positiveFrom;
    writer.row('samples.csv', [
      this.ids.person(person),
      writer.instant(at),
      positive ? 'positive' : 'negative',
      'pcr',
      positive ? this.ct(infection!, at).toFixed(1) : null,
    ]);
    if (positive) this.confirm(day, infection!, at, writer);
  }

  /** Samples of the day: sampling points, hospital visits and quarantine tests. */
  async test(
    day: number,
    stays: DayStays,
    fleet: Fleet,
    testVisits: readonly { person: number; at: number }[],
    careVisits: Map<number, number>,
    lots: readonly Lot[],
    writer: BundleWriter,
  ): Promise<void> {
    for (const [person, at] of careVisits) this.sample(day, person, at + 20 * MINUTE, writer);
    if (this.detectionDay === null && ROUTINE_SCREENING_DAYS.includes(day % 7)) {
      await this.routineScreening(day, stays, fleet, writer);
    }
    for (let k = 0; k < testVisits.length; k++) {
      this.sample(day, testVisits[k]!.person, testVisits[k]!.at, writer);
      if (k % 4_000 === 3_999) await writer.pace();
    }
    const dayStart = this.dayStart(day);
    for (const q of [...this.quarantines.values()]) {
      if (
        QUARANTINE_PCR_DAYS.includes(day - q.startDay) &&
        this.status[q.person] !== Status.IsolatedInHospital
      ) {
        this.sample(day, q.person, dayStart + this.testing.int(9 * 60, 11 * 60) * MINUTE, writer);
      }
    }
    if (this.detectionDay !== null && day === this.detectionDay + 1)
      this.sampleEnvironment(dayStart, lots, writer);
  }

  /** Routine PCR of port, cold-chain and seafood-market workers, taken at work or on departure. */
  private async routineScreening(
    day: number,
    stays: DayStays,
    fleet: Fleet,
    writer: BundleWriter,
  ): Promise<void> {
    const pop = this.population;
    const dayStart = this.dayStart(day);
    // Crews sailing today are sampled on the quay before they leave.
    const departing = new Map<number, number>();
    for (const trip of fleet.active) {
      if (trip.depart >= dayStart && trip.depart < dayStart + DAY)
        for (const p of trip.crew) departing.set(p, trip.depart);
    }
    for (let p = 0; p < pop.size; p++) {
      if (p % 20_000 === 19_999) await writer.pace();
      const role = pop.role[p] as Role;
      if (!ROUTINE_SCREENED.includes(role)) continue;
      const departure = departing.get(p);
      if (departure !== undefined) {
        this.sample(day, p, departure - this.testing.int(20, 60) * MINUTE, writer);
        continue;
      }
      const workplace = role === Role.Fisher ? pop.boats.port[pop.boatOf[p]!]! : pop.site[p]!;
      if (role === Role.Vendor && workplace !== this.geography.seafoodMarket) continue;
      for (let i = stays.personFrom[p]!; i < stays.personTo[p]!; i++) {
        if (stays.host[i] !== workplace) continue;
        const at = stays.start[i]! + this.testing.int(10, 40) * MINUTE;
        if (at < stays.end[i]!) this.sample(day, p, at, writer);
        break;
      }
    }
  }

  private confirm(day: number, infection: Infection, sampledAt: number, writer: BundleWriter): void {
    if (infection.confirmedAt !== null) return;
    const { rng } = this;
    const dayStart = this.dayStart(day);
    const resultAt = Math.max(sampledAt + rng.uniform(5, 9) * HOUR, dayStart + rng.uniform(20, 23) * HOUR);
    infection.firstPositiveAt = sampledAt;
    infection.confirmedAt = Math.round(Math.min(resultAt, dayStart + DAY - MINUTE) / MINUTE) * MINUTE;
    this.confirmed.push(infection);
    const p = infection.person;
    if (this.detectionDay === null) {
      this.detectionDay = day;
      this.detectedAt = infection.confirmedAt;
    }

    // Isolation in the designated hospital from the next morning.
    // A fisher at sea is brought in when the boat is back.
    const ashore = this.fleet.aboardUntil[p]! + rng.int(60, 180) * MINUTE;
    const admitted = Math.max(this.dayStart(day + 1) + rng.int(7 * 60, 12 * 60) * MINUTE, ashore);
    const q = this.quarantines.get(p);
    if (q) this.endQuarantine(p, q, Math.min(admitted, this.periodEnd), writer);
    this.pendingIsolations.push(p);
    if (admitted < this.periodEnd) {
      writer.row('stays.csv', [
        this.ids.person(p),
        this.ids.site(this.geography.hospitals[0]!),
        writer.instant(admitted),
        writer.instant(this.periodEnd),
      ]);
    }

    // The interview: household, then the people the case remembers from 2 days before onset
    // (or the first positive sample) until now.
    const pop = this.population;
    const onsetKnown =
      infection.onset !== null && infection.onset <= infection.confirmedAt ? infection.onset : Infinity;
    const windowStart = Math.min(onsetKnown, sampledAt) - 2 * DAY;
    const named: number[] = [];
    const report = (other: number, start: number, end: number, setting: ContactSetting) => {
      const [a, b] = p < other ? [p, other] : [other, p];
      const key = `${a}|${b}|${start}|${end}|${setting}`;
      if (this.reportedContacts.has(key)) return;
      this.reportedContacts.add(key);
      writer.row('contacts.csv', [
        this.ids.person(p),
        this.ids.person(other),
        writer.instant(start),
        writer.instant(end),
        setting,
      ]);
    };
    for (let other = pop.homeFirst[pop.homeOf[p]!]!; other < pop.homeFirst[pop.homeOf[p]! + 1]!; other++) {
      if (other === p) continue;
      report(other, Math.max(windowStart, this.periodStart), infection.confirmedAt, 'household');
      named.push(other);
    }
    for (const [other, seen] of infection.seen) {
      // From the first to the last time together within the window.
      let first = Infinity;
      let last = -Infinity;
      for (let k = 0; k < seen.times.length; k += 2) {
        if (seen.times[k + 1]! < windowStart || seen.times[k]! > infection.confirmedAt) continue;
        first = Math.min(first, seen.times[k]!);
        last = Math.max(last, seen.times[k + 1]!);
      }
      if (first === Infinity || !this.interviews.chance(REPORTED[seen.setting])) continue;
      report(other, first, last, seen.setting);
      named.push(other);
    }
    for (const other of named) this.quarantine(other, infection.confirmedAt, day);
  }

  /** Sends a close contact to a quarantine hotel (or home, when the hotels are full). */
  private quarantine(person: number, confirmedAt: number, day: number): void {
    if (this.status[person] !== Status.Free || this.quarantines.has(person)) return;
    const index = this.infectionOf[person]!;
    if (index >= 0 && this.infections[index]!.confirmedAt !== null) return;
    if (this.pendingQuarantines.has(person)) return;
    const free = this.bedsFree.findIndex((beds) => beds > 0);
    const site = free >= 0 ? this.geography.quarantineSites[free]! : -1;
    if (free >= 0) this.bedsFree[free]!--;
    const start = Math.max(
      confirmedAt + this.rng.uniform(1, 6) * HOUR,
      this.dayStart(day + 1) + 7 * HOUR,
      this.fleet.aboardUntil[person]! + HOUR,
    );
    const rounded = Math.round(start / MINUTE) * MINUTE;
    this.pendingQuarantines.set(person, {
      person,
      site,
      start: rounded,
      end: rounded + 7 * DAY,
      startDay: this.dayOf(rounded),
    });
  }

  /** The day after detection, investigators swab the lot, the boat, the port, storage and markets. */
  private sampleEnvironment(dayStart: number, lots: readonly Lot[], writer: BundleWriter): void {
    const { geography: g, testing } = this;
    let at = dayStart + 10 * HOUR;
    const swab = (id: string, positive: boolean) => {
      at += testing.int(5, 20) * MINUTE;
      writer.row('samples.csv', [
        id,
        writer.instant(at),
        positive ? 'positive' : 'negative',
        'pcr',
        positive ? testing.uniform(30, 36).toFixed(1) : null,
      ]);
    };
    const lot = this.contaminatedLot;
    const positivePlaces = new Set<number>();
    if (lot) {
      swab(lot.id, true);
      swab(this.ids.boat(this.contaminatedBoat), true);
      positivePlaces.add(lot.port).add(lot.storage);
      if (lot.market >= 0 && lot.dispatchedAt !== null && lot.dispatchedAt < dayStart)
        positivePlaces.add(lot.market);
      for (const place of positivePlaces) swab(this.ids.site(place), true);
    }
    const others = 5 + Math.round(this.population.size / 20_000);
    for (let k = 0; k < Math.min(others, lots.length); k++) {
      const other = lots[testing.int(0, lots.length - 1)]!;
      if (other !== lot) swab(other.id, false);
    }
    for (let k = 0; k < others; k++) {
      const b = testing.int(0, this.population.boats.count - 1);
      if (b !== this.contaminatedBoat) swab(this.ids.boat(b), false);
    }
    const places = [...g.markets, ...g.coldStorages, ...g.restaurants.slice(0, 20)].filter(
      (s) => !positivePlaces.has(s),
    );
    for (let k = 0; k < Math.min(others, places.length); k++) swab(this.ids.site(places[k]!), false);
  }

  /** Quarantine stays still running, and the cases. */
  finish(writer: BundleWriter): void {
    for (const [person, q] of [...this.quarantines]) {
      if (q.site >= 0)
        writer.row('stays.csv', [
          this.ids.person(person),
          this.ids.site(q.site),
          writer.instant(q.start),
          writer.instant(Math.min(q.end, this.periodEnd)),
        ]);
    }
    for (const infection of this.confirmed) {
      const symptomatic = infection.symptomatic && infection.onset! <= this.periodEnd;
      writer.row('cases.csv', [
        this.ids.person(infection.person),
        symptomatic ? 'confirmed' : 'asymptomatic',
        symptomatic ? writer.instant(Math.round(infection.onset! / MINUTE) * MINUTE) : null,
        writer.instant(infection.confirmedAt!),
      ]);
    }
  }
}
