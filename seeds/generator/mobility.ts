/**
 * Daily movements of the demo district: work and school shifts, errands to markets and
 * restaurants, trips through checkpoints and the railway station, sampling-point visits on
 * mass-testing days, and the fleet's sea trips of 1-3 days (crew aboard, boat docked at its port
 * in between). Movements shrink as the outbreak is found: the port, schools and restaurants close
 * on the day after detection, and static management keeps almost everyone home a few days later.
 * Each day's stays are generated person by person into reusable typed arrays.
 */
import { DAY, MINUTE } from '../../src/domain/time';
import type { Geography } from './geography';
import { Role, type Population } from './population';
import { Random } from './random';

const HOUR = 60 * MINUTE;

export enum Phase {
  /** Before anyone knows of the outbreak. */
  Normal,
  /** After the first case is confirmed: port, schools and restaurants closed; mass testing. */
  Alert,
  /** Static management: only essential workers, one shopper per household, testing. */
  Lockdown,
}

/** What a person is kept to by the outbreak response. */
export enum Status {
  Free,
  QuarantinedAtSite,
  QuarantinedAtHome,
  IsolatedInHospital,
}

/** Fraction of health-code scans that reach the records (the rest are lost). */
export const SCAN_KEPT = 0.8;

/** The stays of one day, person by person, in reusable typed arrays. */
export class DayStays {
  length = 0;
  subject = new Int32Array(1 << 16);
  host = new Int32Array(1 << 16);
  start = new Float64Array(1 << 16);
  end = new Float64Array(1 << 16);
  /** Whether the scan reached the records. */
  recorded = new Uint8Array(1 << 16);
  /** Stays of person p are personFrom[p] .. personTo[p] - 1. */
  readonly personFrom: Int32Array;
  readonly personTo: Int32Array;
  /** After indexByHost: stays at host h are byHost[hostFirst[h] .. hostFirst[h + 1] - 1]. */
  readonly hostFirst: Int32Array;
  byHost = new Int32Array(1 << 16);

  constructor(persons: number, hosts: number) {
    this.personFrom = new Int32Array(persons);
    this.personTo = new Int32Array(persons);
    this.hostFirst = new Int32Array(hosts + 1);
  }

  add(subject: number, host: number, start: number, end: number, recorded: boolean): void {
    if (this.length === this.subject.length) this.grow();
    const i = this.length++;
    this.subject[i] = subject;
    this.host[i] = host;
    this.start[i] = start;
    this.end[i] = end;
    this.recorded[i] = recorded ? 1 : 0;
  }

  private grow(): void {
    const size = this.subject.length * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.subject = widen(this.subject, (n) => new Int32Array(n));
    this.host = widen(this.host, (n) => new Int32Array(n));
    this.start = widen(this.start, (n) => new Float64Array(n));
    this.end = widen(this.end, (n) => new Float64Array(n));
    this.recorded = widen(this.recorded, (n) => new Uint8Array(n));
  }

  /** Counting sort of the day's stays by host. */
  indexByHost(): void {
    const first = this.hostFirst;
    first.fill(0);
    for (let i = 0; i < this.length; i++) first[this.host[i]! + 1]!++;
    for (let h = 1; h < first.length; h++) first[h]! += first[h - 1]!;
    if (this.byHost.length < this.length) this.byHost = new Int32Array(this.subject.length);
    const fill = first.slice(0, first.length - 1);
    for (let i = 0; i < this.length; i++) this.byHost[fill[this.host[i]!]!++] = i;
  }

  /** Persons of a role at a host at an instant (after indexByHost). */
  presentAt(host: number, at: number, role: Role, roles: Uint8Array): number[] {
    const found: number[] = [];
    for (let k = this.hostFirst[host]!; k < this.hostFirst[host + 1]!; k++) {
      const i = this.byHost[k]!;
      const p = this.subject[i]!;
      if (this.start[i]! <= at && this.end[i]! >= at && roles[p] === role) found.push(p);
    }
    return found;
  }
}

export interface Trip {
  boat: number;
  depart: number;
  return: number;
  /** Day index of the return. */
  returnDay: number;
  crew: number[];
}

/** Boats sailing from and docking at their home ports. */
export class Fleet {
  private readonly rng: Random;
  private readonly nextDepartureDay: Int32Array;
  private readonly dockedSince: Float64Array;
  /** Trips under way on the current day (departed today or earlier, not yet back). */
  active: Trip[] = [];
  /** Until when each person is aboard (0 when ashore). */
  readonly aboardUntil: Float64Array;

  constructor(
    private readonly population: Population,
    seed: string,
    private readonly periodStart: number,
    private readonly days: number,
  ) {
    this.rng = new Random(seed, 'fleet');
    const boats = population.boats.count;
    this.nextDepartureDay = Int32Array.from({ length: boats }, () => this.rng.int(0, 2));
    this.dockedSince = new Float64Array(boats).fill(periodStart);
    this.aboardUntil = new Float64Array(population.size);
  }

  /**
   * Departures of day `day` (none once the ports are closed). Calls `docked` for the stay that
   * ends at each departure and `aboard` for each crew member's stay on the trip.
   */
  sail(
    day: number,
    portsOpen: boolean,
    status: Uint8Array,
    docked: (boat: number, from: number, to: number) => void,
  ): Trip[] {
    const dayStart = this.periodStart + day * DAY;
    this.active = this.active.filter((t) => t.return >= dayStart);
    const departures: Trip[] = [];
    if (!portsOpen) return departures;
    const { crewFirst, crew } = this.population.boats;
    for (let b = 0; b < this.population.boats.count; b++) {
      if (this.nextDepartureDay[b] !== day) continue;
      const length = Math.min(1 + this.rng.weighted([0.3, 0.4, 0.3]), this.days - day);
      const aboard: number[] = [];
      for (let k = crewFirst[b]!; k < crewFirst[b + 1]!; k++) {
        const p = crew[k]!;
        if (status[p] === Status.Free && this.rng.chance(0.93)) aboard.push(p);
      }
      if (aboard.length < 2) {
        this.nextDepartureDay[b] = day + 1;
        continue;
      }
      const depart = dayStart + this.rng.int(270, 420) * MINUTE;
      const returnDay = day + length - 1;
      const back = this.periodStart + returnDay * DAY + this.rng.int(810, 1080) * MINUTE;
      docked(b, this.dockedSince[b]!, depart);
      this.dockedSince[b] = back;
      this.nextDepartureDay[b] = returnDay + 1 + this.rng.int(0, 2);
      for (const p of aboard) this.aboardUntil[p] = back;
      const trip: Trip = { boat: b, depart, return: back, returnDay, crew: aboard };
      departures.push(trip);
      this.active.push(trip);
    }
    return departures;
  }

  /** Whether a person spends any of the day starting at `dayStart` at sea. */
  atSea(person: number, dayStart: number): boolean {
    return this.aboardUntil[person]! > dayStart;
  }

  /** The docked stays that run to the end of the period. */
  finish(periodEnd: number, docked: (boat: number, from: number, to: number) => void): void {
    for (let b = 0; b < this.population.boats.count; b++) {
      if (this.dockedSince[b]! < periodEnd) docked(b, this.dockedSince[b]!, periodEnd);
    }
  }
}

/** Today's circumstances that movements depend on. */
export interface DayContext {
  day: number;
  dayStart: number;
  phase: Phase;
  testRound: boolean;
  /** Persons going to hospital today with symptoms, and when. */
  careVisits: Map<number, number>;
  status: Uint8Array;
}

/** Generates the stays of each day. */
export class Mobility {
  readonly stays: DayStays;
  private readonly rng: Random;
  private readonly scans: Random;
  /** Test-site visits of today: person and sampling instant. */
  readonly testVisits: { person: number; at: number }[] = [];
  // Scratch for one person's day.
  private readonly scratchHost: number[] = [];
  private readonly scratchStart: number[] = [];
  private readonly scratchEnd: number[] = [];
  private readonly testSiteOfHome: (home: number) => number;

  constructor(
    private readonly geography: Geography,
    private readonly population: Population,
    private readonly fleet: Fleet,
    seed: string,
  ) {
    this.stays = new DayStays(population.size, geography.sites.length);
    this.rng = new Random(seed, 'mobility');
    this.scans = new Random(seed, 'scans');
    this.testSiteOfHome = (home) => {
      const sites = geography.local[population.homeVillage[home]!]!.testSites;
      return sites[home % sites.length]!;
    };
  }

  planDay(ctx: DayContext): void {
    const { stays, population } = this;
    stays.length = 0;
    this.testVisits.length = 0;
    const weekday = new Date(ctx.dayStart + 8 * HOUR).getUTCDay(); // 0 = Sunday
    for (let p = 0; p < population.size; p++) {
      stays.personFrom[p] = stays.length;
      if (ctx.status[p] === Status.Free && !this.fleet.atSea(p, ctx.dayStart))
        this.planPerson(p, ctx, weekday);
      stays.personTo[p] = stays.length;
    }
    stays.indexByHost();
  }

  private at(ctx: DayContext, minutes: number): number {
    return ctx.dayStart + Math.round(minutes) * MINUTE;
  }

  /** Adds a stay to the person's day unless it overlaps one already planned. */
  private tryStay(ctx: DayContext, host: number, fromMinutes: number, toMinutes: number): boolean {
    const start = this.at(ctx, fromMinutes);
    const end = this.at(ctx, Math.min(toMinutes, 24 * 60 - 1));
    if (end <= start) return false;
    for (let i = 0; i < this.scratchHost.length; i++) {
      if (start < this.scratchEnd[i]! + 5 * MINUTE && end > this.scratchStart[i]! - 5 * MINUTE) return false;
    }
    this.scratchHost.push(host);
    this.scratchStart.push(start);
    this.scratchEnd.push(end);
    return true;
  }

  private jitter(spread: number): number {
    return this.rng.uniform(-spread, spread);
  }

  /** A work or school shift, taken with the given chance; true when it was added. */
  private shift(
    ctx: DayContext,
    site: number,
    chance: number,
    from: number,
    to: number,
    spread: number,
  ): boolean {
    return (
      this.rng.chance(chance) && this.tryStay(ctx, site, from + this.jitter(spread), to + this.jitter(spread))
    );
  }

  private planPerson(p: number, ctx: DayContext, weekday: number): void {
    const { rng, geography: g, population: pop } = this;
    this.scratchHost.length = 0;
    this.scratchStart.length = 0;
    this.scratchEnd.length = 0;
    const role = pop.role[p] as Role;
    const site = pop.site[p]!;
    const home = pop.homeOf[p]!;
    const village = pop.homeVillage[home]!;
    const age = pop.age[p]!;
    const { phase } = ctx;

    const care = ctx.careVisits.get(p);
    if (care !== undefined) {
      // Unwell: to hospital instead of the day's routine.
      const from = (care - ctx.dayStart) / MINUTE;
      this.tryStay(ctx, g.hospitals[0]!, from, from + rng.int(90, 180));
    } else {
      let working = false;
      switch (role) {
        case Role.OfficeWorker:
          if (weekday !== 0 && rng.chance(phase === Phase.Normal ? 0.92 : phase === Phase.Alert ? 0.6 : 0)) {
            this.tryStay(ctx, site, 480 + this.jitter(20), 720 + this.jitter(10));
            if (phase === Phase.Normal && rng.chance(0.4)) {
              const v = g.sites[site]!.village;
              this.tryStay(
                ctx,
                rng.pick(g.villageRestaurants[v >= 0 ? v : village]!),
                725,
                770 + this.jitter(10),
              );
            }
            this.tryStay(ctx, site, 810 + this.jitter(10), 1050 + rng.uniform(-20, 40));
            working = true;
          }
          break;
        case Role.Teacher:
        case Role.Student:
          if (site >= 0 && phase === Phase.Normal && weekday >= 1 && weekday <= 5) {
            working = this.shift(ctx, site, 0.95, 460, 710, 10) || working;
            working = this.shift(ctx, site, 0.95, 870, 1020, 10) || working;
          }
          break;
        case Role.Vendor:
          if (phase !== Phase.Lockdown || rng.chance(0.8)) {
            working = this.shift(ctx, site, 0.95, 330, 750, 30) || working;
            if (phase === Phase.Normal) working = this.shift(ctx, site, 0.5, 930, 1140, 20) || working;
          }
          break;
        case Role.Porter:
          if (phase === Phase.Normal) {
            working = this.shift(ctx, site, 0.9, 300, 630, 20) || working;
            working = this.shift(ctx, site, 0.8, 810, 1200, 20) || working;
          }
          break;
        case Role.ColdChainWorker:
          if (phase !== Phase.Lockdown || rng.chance(0.6)) {
            working = this.shift(ctx, site, 0.9, 420, 720, 15) || working;
            working = this.shift(ctx, site, 0.9, 780, 1200, 10) || working;
          }
          break;
        case Role.RestaurantWorker:
          if (phase === Phase.Normal) {
            working = this.shift(ctx, site, 0.92, 570, 840, 15) || working;
            working = this.shift(ctx, site, 0.92, 990, 1290, 20) || working;
          }
          break;
        case Role.HealthWorker:
          working = this.shift(ctx, site, 0.9, 450, 720, 15) || working;
          working = this.shift(ctx, site, 0.9, 840, 1110, 20) || working;
          break;
        case Role.Driver:
          if (weekday !== 0 && rng.chance(phase === Phase.Normal ? 0.9 : phase === Phase.Alert ? 0.6 : 0.4)) {
            const passes = phase === Phase.Lockdown ? rng.int(1, 2) : rng.int(2, 4);
            for (let k = 0; k < passes; k++) {
              const from = rng.uniform(360, 1200);
              this.tryStay(ctx, rng.pick(g.checkpoints), from, from + rng.int(3, 10));
            }
            if (phase !== Phase.Lockdown && rng.chance(0.3)) {
              const from = rng.uniform(480, 1080);
              this.tryStay(ctx, g.station, from, from + rng.int(30, 60));
            }
            working = true;
          }
          break;
        case Role.Fisher:
          if (phase === Phase.Normal && rng.chance(0.85)) {
            this.tryStay(ctx, pop.boats.port[pop.boatOf[p]!]!, 390 + this.jitter(30), 660 + this.jitter(30));
            working = true;
          }
          break;
        default:
          break;
      }
      this.errands(p, ctx, village, age, working, home);
    }

    // Everyone ashore and free is sampled at each round ("全员核酸").
    if (ctx.testRound) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const from = rng.uniform(420, 1260);
        if (this.tryStay(ctx, this.testSiteOfHome(home), from, from + rng.int(8, 25))) {
          this.testVisits.push({ person: p, at: this.at(ctx, from) + 3 * MINUTE });
          break;
        }
      }
    }

    for (let i = 0; i < this.scratchHost.length; i++) {
      this.stays.add(
        p,
        this.scratchHost[i]!,
        this.scratchStart[i]!,
        this.scratchEnd[i]!,
        this.scans.chance(SCAN_KEPT),
      );
    }
  }

  /** Markets, restaurants, trips and outpatient visits. */
  private errands(
    p: number,
    ctx: DayContext,
    village: number,
    age: number,
    working: boolean,
    home: number,
  ): void {
    const { rng, geography: g, population: pop } = this;
    const market = () =>
      rng.chance(g.seafoodMarketShare[village]!) ? g.seafoodMarket : g.villageMarket[village]!;
    if (ctx.phase === Phase.Lockdown) {
      // One shopper per household (its first member) for supplies.
      if (pop.homeFirst[home] === p && age >= 16 && rng.chance(0.35)) {
        const from = rng.uniform(420, 600);
        this.tryStay(ctx, g.villageMarket[village]!, from, from + rng.int(15, 40));
      }
      return;
    }
    const alert = ctx.phase === Phase.Alert;
    const child = age < 12;
    const marketChance = (child ? 0.15 : working ? 0.3 : 0.7) * (alert ? 0.7 : 1);
    if (rng.chance(marketChance)) {
      const from = working ? rng.uniform(1080, 1170) : rng.uniform(390, 560);
      this.tryStay(ctx, market(), from, from + rng.int(20, 60));
    }
    if (!alert && rng.chance(child ? 0.15 : 0.35)) {
      const from = working || rng.chance(0.5) ? rng.uniform(1100, 1200) : rng.uniform(680, 770);
      const restaurants = rng.chance(0.9) ? g.villageRestaurants[village]! : g.restaurants;
      this.tryStay(ctx, rng.pick(restaurants), from, from + rng.int(45, 100));
    }
    if (!child) {
      if (rng.chance(alert ? 0.003 : 0.006)) {
        const from = rng.uniform(600, 960);
        this.tryStay(ctx, g.station, from, from + rng.int(40, 120));
      }
      if (rng.chance(alert ? 0.01 : 0.03)) {
        const from = rng.uniform(420, 1200);
        this.tryStay(ctx, rng.pick(g.checkpoints), from, from + rng.int(3, 10));
      }
      if (rng.chance(0.004)) {
        const from = rng.uniform(480, 660);
        this.tryStay(ctx, rng.pick(g.hospitals), from, from + rng.int(60, 180));
      }
    }
  }
}
