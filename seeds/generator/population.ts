/**
 * Households, persons, occupations and boat crews of the demo district. Households of 1-6
 * persons share one home near their village; occupations follow a fishing district (fishers,
 * porters and cold-chain workers at the port, vendors, teachers, ...); boats (about one per 40
 * persons) carry crews of 3-8, drawn mostly from men of the fishing villages. Held in typed
 * arrays so a million persons stay small in memory.
 */
import type { Geography } from './geography';
import { near } from './geography';
import { Random, cumulative, drawCumulative } from './random';

export enum Role {
  Child,
  Student,
  Retiree,
  Homemaker,
  Farmer,
  Fisher,
  Porter,
  ColdChainWorker,
  Vendor,
  Teacher,
  RestaurantWorker,
  HealthWorker,
  Driver,
  OfficeWorker,
}

/** The `occupation` column, by role. */
export const OCCUPATION: Record<Role, string> = {
  [Role.Child]: 'child',
  [Role.Student]: 'student',
  [Role.Retiree]: 'retiree',
  [Role.Homemaker]: 'homemaker',
  [Role.Farmer]: 'farmer',
  [Role.Fisher]: 'fisher',
  [Role.Porter]: 'porter',
  [Role.ColdChainWorker]: 'cold-chain worker',
  [Role.Vendor]: 'vendor',
  [Role.Teacher]: 'teacher',
  [Role.RestaurantWorker]: 'restaurant worker',
  [Role.HealthWorker]: 'health worker',
  [Role.Driver]: 'driver',
  [Role.OfficeWorker]: 'office worker',
};

export interface Boats {
  count: number;
  /** Home port (site index) of each boat. */
  port: Int32Array;
  /** Crew of boat b: crew[crewFirst[b] .. crewFirst[b + 1] - 1]. */
  crewFirst: Int32Array;
  crew: Int32Array;
}

export interface Population {
  size: number;
  homeCount: number;
  /** Residents of home h are persons homeFirst[h] .. homeFirst[h + 1] - 1. */
  homeFirst: Int32Array;
  homeOf: Int32Array;
  /** Village ordinal of each home. */
  homeVillage: Int32Array;
  homeLat: Float64Array;
  homeLon: Float64Array;
  /** The number of each home within its village (its house number). */
  homeNumber: Int32Array;
  age: Uint8Array;
  male: Uint8Array;
  role: Uint8Array;
  /** The site a person works or studies at (index into Geography.sites), or -1. */
  site: Int32Array;
  /** The boat of a fisher, or -1. */
  boatOf: Int32Array;
  boats: Boats;
}

// Household sizes 1-6 (rural Hainan: mean about 3.4).
const HOUSEHOLD_SIZE_WEIGHTS = [0.12, 0.22, 0.22, 0.2, 0.14, 0.1];

/** Occupation quotas for a district of `persons` (the rest of the working-age farm or keep house). */
function quotas(persons: number, geography: Geography, enrolledStudents: number) {
  return {
    [Role.Porter]: Math.max(4, Math.round(persons / 150)),
    [Role.ColdChainWorker]: Math.max(4, Math.round(persons / 600)),
    [Role.Vendor]: Math.max(6, Math.round(persons / 80)),
    [Role.Teacher]: Math.max(geography.schools.length, Math.round(enrolledStudents / 15)),
    [Role.RestaurantWorker]: geography.restaurants.length * 3,
    [Role.HealthWorker]: Math.max(4, Math.round(persons / 250)),
    [Role.Driver]: Math.max(3, Math.round(persons / 150)),
    [Role.OfficeWorker]: Math.round(persons * 0.12),
  };
}

export function buildPopulation(persons: number, geography: Geography, seed: string): Population {
  const rng = new Random(seed, 'population');
  const age = new Uint8Array(persons);
  const male = new Uint8Array(persons);
  const role = new Uint8Array(persons);
  const site = new Int32Array(persons).fill(-1);
  const boatOf = new Int32Array(persons).fill(-1);
  const homeOf = new Int32Array(persons);
  const homeFirstList: number[] = [];
  const homeVillageList: number[] = [];
  const homeLatList: number[] = [];
  const homeLonList: number[] = [];
  const homeNumberList: number[] = [];
  const housesInVillage = new Int32Array(geography.villages.length);
  const villageSums = cumulative(geography.villageWeight);
  const sizeSums = cumulative(HOUSEHOLD_SIZE_WEIGHTS);

  // Households, one after another, until the district is full (the last one may be smaller).
  let next = 0;
  while (next < persons) {
    const size = Math.min(drawCumulative(rng, sizeSums) + 1, persons - next);
    const home = homeFirstList.length;
    const village = drawCumulative(rng, villageSums);
    const centre = geography.sites[geography.villages[village]!]!;
    const at = near(rng, centre.lat, centre.lon, geography.homeRadius[village]!);
    homeFirstList.push(next);
    homeVillageList.push(village);
    homeLatList.push(at.lat);
    homeLonList.push(at.lon);
    homeNumberList.push(++housesInVillage[village]!);

    const headAge = size === 1 ? rng.int(20, 85) : rng.int(24, 72);
    const headMale = rng.chance(0.55);
    const members: { age: number; male: boolean }[] = [{ age: headAge, male: headMale }];
    if (size >= 2) members.push({ age: Math.max(20, headAge + rng.int(-5, 5)), male: !headMale });
    if (size >= 5 && headAge < 62 && rng.chance(0.6)) {
      members.push({ age: Math.min(95, headAge + rng.int(22, 32)), male: rng.chance(0.4) });
    }
    while (members.length < size) {
      const childAge =
        headAge >= 58 && rng.chance(0.5)
          ? rng.int(0, 15) /* grandchild */
          : Math.max(0, headAge - rng.int(20, 40));
      members.push({ age: childAge, male: rng.chance(0.52) });
    }
    for (const m of members) {
      age[next] = m.age;
      male[next] = m.male ? 1 : 0;
      homeOf[next] = home;
      next++;
    }
  }
  homeFirstList.push(persons);
  const homeVillage = Int32Array.from(homeVillageList);

  // Roles by age; the working-age form a pool that occupations are drawn from.
  const pool: number[] = [];
  let enrolled = 0;
  for (let p = 0; p < persons; p++) {
    const a = age[p]!;
    if (a < 6) role[p] = Role.Child;
    else if (a < 18 || (a < 22 && rng.chance(0.5))) {
      role[p] = Role.Student;
      // About a third of pupils attend summer classes at school.
      if (a < 18 && rng.chance(0.35)) {
        site[p] = geography.villageSchool[homeVillage[homeOf[p]!]!]!;
        enrolled++;
      }
    } else if (a < 60 || (a < 65 && rng.chance(0.3))) pool.push(p);
    else role[p] = Role.Retiree;
  }

  // Boats and their crews: men of fishing villages first, in a weighted random order
  // (Efraimidis-Spirakis keys, ascending -ln(u)/w).
  const boatCount = Math.max(3, Math.round(persons / 40));
  const crewSizes = Array.from({ length: boatCount }, () => rng.int(3, 8));
  const portWeights = geography.ports.map((_, i) => (i === 0 ? 3 : 1));
  const boatPort = Int32Array.from({ length: boatCount }, () => geography.ports[rng.weighted(portWeights)]!);
  const fisherKey = new Float64Array(pool.length);
  pool.forEach((p, i) => {
    const fishing = geography.fishingVillage[homeVillage[homeOf[p]!]!] ? 3 : 1;
    const weight = (male[p] ? 6 : 0.3) * fishing;
    fisherKey[i] = -Math.log(1 - rng.float()) / weight;
  });
  const order = Array.from(pool.keys()).sort((a, b) => fisherKey[a]! - fisherKey[b]! || a - b);
  const crewFirst = new Int32Array(boatCount + 1);
  const crew: number[] = [];
  let taken = 0;
  for (let b = 0; b < boatCount; b++) {
    crewFirst[b] = crew.length;
    for (let k = 0; k < crewSizes[b]! && taken < order.length; k++) {
      const p = pool[order[taken++]!]!;
      role[p] = Role.Fisher;
      boatOf[p] = b;
      crew.push(p);
    }
  }
  crewFirst[boatCount] = crew.length;

  // The other occupations from the rest of the pool, in random order.
  const rest = order.slice(taken).map((i) => pool[i]!);
  rng.shuffle(rest);
  const wanted = quotas(persons, geography, enrolled);
  const roundRobin = new Map<Role, number>();
  const nextOf = (r: Role, list: readonly number[]): number => {
    const n = roundRobin.get(r) ?? 0;
    roundRobin.set(r, n + 1);
    return list[n % list.length]!;
  };
  const seafoodVendorShare = Math.min(0.3, 300 / wanted[Role.Vendor]);
  let cursor = 0;
  for (const [key, count] of Object.entries(wanted)) {
    const r = Number(key) as Role;
    for (let k = 0; k < count && cursor < rest.length; k++) {
      const p = rest[cursor++]!;
      const village = homeVillage[homeOf[p]!]!;
      role[p] = r;
      switch (r) {
        case Role.Porter:
          site[p] = geography.ports[rng.weighted(portWeights)]!;
          break;
        case Role.ColdChainWorker:
          site[p] = nextOf(r, geography.coldStorages);
          break;
        case Role.Vendor:
          // About 30% of vendors sell at the seafood market, up to a few hundred stalls.
          site[p] = rng.chance(seafoodVendorShare)
            ? geography.seafoodMarket
            : geography.villageMarket[village]!;
          break;
        case Role.Teacher:
          site[p] = nextOf(r, geography.schools);
          break;
        case Role.RestaurantWorker:
          site[p] = nextOf(r, geography.restaurants);
          break;
        case Role.HealthWorker:
          site[p] = rng.chance(0.5) ? geography.hospitals[0]! : rng.pick(geography.hospitals);
          break;
        case Role.OfficeWorker: {
          const mine = geography.local[village]!.workplaces;
          site[p] = mine.length && rng.chance(0.6) ? rng.pick(mine) : rng.pick(geography.workplaces);
          break;
        }
        default:
          break;
      }
    }
  }
  for (; cursor < rest.length; cursor++)
    role[rest[cursor]!] = rng.chance(0.65) ? Role.Farmer : Role.Homemaker;

  return {
    size: persons,
    homeCount: homeVillageList.length,
    homeFirst: Int32Array.from(homeFirstList),
    homeOf,
    homeVillage,
    homeLat: Float64Array.from(homeLatList),
    homeLon: Float64Array.from(homeLonList),
    homeNumber: Int32Array.from(homeNumberList),
    age,
    male,
    role,
    site,
    boatOf,
    boats: { count: boatCount, port: boatPort, crewFirst, crew: Int32Array.from(crew) },
  };
}
