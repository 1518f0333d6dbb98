/**
 * Imported frozen-seafood lots: carried into port by a returning boat, unloaded by porters,
 * stored in the port's cold storage, then dispatched by cold-chain workers to a market where a
 * vendor takes them in. Each movement is a stay of the lot (carried by, stored at) and each touch
 * a handling, so a contaminated lot can be followed to everyone who handled it.
 */
import { DAY, MINUTE } from '../../src/domain/time';
import type { Geography } from './geography';
import type { DayStays, Trip } from './mobility';
import { Role, type Population } from './population';
import { Random } from './random';
import type { BundleWriter } from './writer';

export interface Lot {
  id: string;
  boat: number;
  port: number;
  storage: number;
  arrivedAt: number;
  /** When the lot entered cold storage. */
  storedAt: number;
  /** The market it went to, or -1 (still in storage, or sold on elsewhere). */
  market: number;
  dispatchedAt: number | null;
  contaminated: boolean;
}

export interface HandlingEvent {
  person: number;
  lot: Lot;
  at: number;
}

interface Arrival {
  trip: Trip;
  carriesLot: boolean;
  contaminated: boolean;
}

const PRODUCTS = [
  '冻带鱼 frozen hairtail',
  '冻鱿鱼 frozen squid',
  '冻虾仁 frozen shrimp',
  '冻鲳鱼 frozen pomfret',
  '冻金枪鱼 frozen tuna',
  '冻巴沙鱼柳 frozen basa fillet',
];
const ORIGINS = [
  { name: 'Indonesia', code: 'ID' },
  { name: 'Vietnam', code: 'VN' },
  { name: 'Ecuador', code: 'EC' },
  { name: 'India', code: 'IN' },
  { name: 'Russia', code: 'RU' },
  { name: 'Norway', code: 'NO' },
  { name: 'Argentina', code: 'AR' },
  { name: 'Malaysia', code: 'MY' },
];

/** Share of returning trips that bring in an imported lot. */
const LOT_PER_TRIP = 0.1;

export class ColdChain {
  private readonly rng: Random;
  private readonly arrivals = new Map<number, Arrival[]>();
  private readonly dispatches = new Map<number, Lot[]>();
  /** Every lot so far, in arrival order. */
  readonly lots: Lot[] = [];
  private readonly storagesOfPort = new Map<number, number[]>();

  constructor(
    private readonly geography: Geography,
    private readonly population: Population,
    seed: string,
    private readonly periodStart: number,
    private readonly days: number,
    private readonly boatId: (boat: number) => string,
    private readonly personId: (person: number) => string,
  ) {
    this.rng = new Random(seed, 'cold-chain');
    geography.coldStorages.forEach((storage, i) => {
      const port = geography.storagePort[i]!;
      this.storagesOfPort.set(port, [...(this.storagesOfPort.get(port) ?? []), storage]);
    });
  }

  /** Registers a trip's return; some returning boats bring a lot. */
  planReturn(trip: Trip): void {
    const list = this.arrivals.get(trip.returnDay) ?? [];
    list.push({ trip, carriesLot: this.rng.chance(LOT_PER_TRIP), contaminated: false });
    this.arrivals.set(trip.returnDay, list);
  }

  /**
   * Makes one of today's returning trips (one to the central port if possible) bring a
   * contaminated lot; returns that trip, or null when no boat returns today.
   */
  contaminate(day: number): Trip | null {
    const today = this.arrivals.get(day) ?? [];
    if (today.length === 0) return null;
    const central = today.filter((a) => this.population.boats.port[a.trip.boat] === this.geography.ports[0]);
    const chosen = this.rng.pick(central.length ? central : today);
    chosen.carriesLot = true;
    chosen.contaminated = true;
    return chosen.trip;
  }

  /** Today's arrivals and dispatches; writes lots, their stays and handlings. */
  processDay(day: number, stays: DayStays, writer: BundleWriter): HandlingEvent[] {
    const { rng, geography: g, population: pop } = this;
    const handlings: HandlingEvent[] = [];
    const dayStart = this.periodStart + day * DAY;
    const handle = (person: number, lot: Lot, at: number) => {
      handlings.push({ person, lot, at });
      writer.row('handlings.csv', [this.personId(person), lot.id, writer.instant(at)]);
    };
    const handlersAt = (host: number, at: number, role: Role, count: number, lot: Lot) => {
      const present = stays.presentAt(host, at, role, pop.role);
      rng.shuffle(present);
      for (const person of present.slice(0, count)) handle(person, lot, at);
    };

    for (const arrival of this.arrivals.get(day) ?? []) {
      if (!arrival.carriesLot) continue;
      const { trip } = arrival;
      const port = pop.boats.port[trip.boat]!;
      const storage = rng.pick(this.storagesOfPort.get(port) ?? g.coldStorages);
      const origin = rng.pick(ORIGINS);
      const number = this.lots.length + 1;
      const lot: Lot = {
        id: `L${String(number).padStart(5, '0')}`,
        boat: trip.boat,
        port,
        storage,
        arrivedAt: trip.return,
        storedAt: trip.return + rng.int(30, 90) * MINUTE,
        market: -1,
        dispatchedAt: null,
        contaminated: arrival.contaminated,
      };
      this.lots.push(lot);
      const date = writer.instant(trip.return).slice(0, 10).replaceAll('-', '');
      writer.row('items.csv', [
        lot.id,
        rng.pick(PRODUCTS),
        `${origin.code}${date}-${String(number).padStart(4, '0')}`,
        origin.name,
        writer.instant(lot.arrivedAt),
      ]);
      writer.row('stays.csv', [
        lot.id,
        this.boatId(trip.boat),
        writer.instant(trip.depart),
        writer.instant(trip.return),
      ]);
      // Porters unload at the quay, a cold-chain worker takes the lot in.
      handlersAt(port, trip.return + rng.int(5, 25) * MINUTE, Role.Porter, rng.int(1, 2), lot);
      handlersAt(storage, lot.storedAt, Role.ColdChainWorker, 1, lot);
      const dispatchDay = day + rng.int(1, 4);
      if (dispatchDay < this.days) {
        const list = this.dispatches.get(dispatchDay) ?? [];
        list.push(lot);
        this.dispatches.set(dispatchDay, list);
      }
    }
    this.arrivals.delete(day);

    for (const lot of this.dispatches.get(day) ?? []) {
      const dispatchedAt = dayStart + rng.int(420, 540) * MINUTE;
      lot.dispatchedAt = dispatchedAt;
      writer.row('stays.csv', [
        lot.id,
        g.sites[lot.storage]!.id,
        writer.instant(lot.storedAt),
        writer.instant(dispatchedAt),
      ]);
      handlersAt(lot.storage, dispatchedAt, Role.ColdChainWorker, 1, lot);
      if (rng.chance(0.7)) {
        lot.market = rng.chance(0.5) ? g.seafoodMarket : rng.pick(g.markets);
        const inMarket = dispatchedAt + rng.int(40, 80) * MINUTE;
        const sold = inMarket + rng.int(120, 240) * MINUTE;
        writer.row('stays.csv', [
          lot.id,
          g.sites[lot.market]!.id,
          writer.instant(inMarket),
          writer.instant(sold),
        ]);
        handlersAt(lot.market, inMarket, Role.Vendor, 1, lot);
      }
    }
    this.dispatches.delete(day);
    return handlings;
  }

  /** Lots still in cold storage at the end of the period. */
  finish(periodEnd: number, writer: BundleWriter): void {
    for (const lot of this.lots) {
      if (lot.dispatchedAt === null && lot.storedAt < periodEnd) {
        writer.row('stays.csv', [
          lot.id,
          this.geography.sites[lot.storage]!.id,
          writer.instant(lot.storedAt),
          writer.instant(periodEnd),
        ]);
      }
    }
  }
}
