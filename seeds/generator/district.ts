/**
 * The demo district generator: builds the geography, population and fleet, then lives through
 * the period day by day (movements, cold-chain lots, transmission, testing and the response),
 * streaming every record to a bundle in the import format as it goes.
 */
import type { FileName } from '../../src/domain/records';
import { DAY, formatDate, parseInstant } from '../../src/domain/time';
import { ColdChain } from './coldchain';
import { buildGeography } from './geography';
import { Fleet, Mobility, Phase } from './mobility';
import { IdentityNumbers, birthDate, mobileNumber, personName } from './names';
import { Outbreak, SEED_DAY } from './outbreak';
import { OCCUPATION, buildPopulation, type Role } from './population';
import { Random } from './random';
import { BundleWriter } from './writer';

export const MIN_PERSONS = 1_000;
export const MAX_PERSONS = 1_000_000;
export const DEFAULT_SEED = 2022;
export const DEFAULT_START = '2022-07-25';
export const DEFAULT_DAYS = 21;

export interface GenerateDistrictOptions {
  /** Residents of the district, 1,000 to 1,000,000; everything else scales with it. */
  persons: number;
  /** The same seed and size give byte-identical files. */
  seed?: number | string;
  outDir: string;
  /** First day of the period, an ISO date (default 2022-07-25). */
  start?: string;
  /** Length of the period in days (default 21). */
  days?: number;
  onProgress?: (done: number, total: number) => void;
  /** Told when the write takes over the folder's write lock from a write no longer running. */
  onTakeOver?: (message: string) => void;
}

export interface DistrictSummary {
  outDir: string;
  persons: number;
  seed: string;
  start: string;
  days: number;
  /** Rows written per file (header rows not counted). */
  rows: Record<FileName, number>;
  /** Id of the first person infected. */
  indexCase: string | null;
  /** Rows of cases.csv. */
  cases: number;
  /** Date the first case was confirmed, or null if the outbreak went unnoticed. */
  detectedOn: string | null;
}

function validate(options: GenerateDistrictOptions): { start: number; startText: string; days: number } {
  const { persons } = options;
  if (!Number.isInteger(persons) || persons < MIN_PERSONS || persons > MAX_PERSONS) {
    throw new RangeError(
      `persons: must be a whole number from ${MIN_PERSONS.toLocaleString('en')} to ${MAX_PERSONS.toLocaleString('en')} (got ${persons})`,
    );
  }
  if (typeof options.outDir !== 'string' || options.outDir.trim() === '') {
    throw new TypeError('outDir: a folder to write the bundle to is required');
  }
  const startText = options.start ?? DEFAULT_START;
  const start = /^\d{4}-\d{2}-\d{2}$/.test(startText) ? parseInstant(startText, true) : null;
  if (start === null) throw new RangeError(`start: "${startText}" is not an ISO date (YYYY-MM-DD)`);
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 7 || days > 60) {
    throw new RangeError(`days: must be a whole number from 7 to 60 (got ${days})`);
  }
  return { start, startText, days };
}

function padded(prefix: string, count: number, minWidth: number): (i: number) => string {
  const width = Math.max(minWidth, String(count).length);
  return (i) => prefix + String(i + 1).padStart(width, '0');
}

const BOAT_NAMES = ['海丰', '海兴', '福海', '顺海', '金海', '南海', '崖海', '海安', '渔丰', '新港'];

export async function generateDistrict(options: GenerateDistrictOptions): Promise<DistrictSummary> {
  const { start, startText, days } = validate(options);
  const persons = options.persons;
  const seed = String(options.seed ?? DEFAULT_SEED);
  const total = days + 2;
  const progress = (done: number) => options.onProgress?.(done, total);

  const geography = buildGeography(persons, seed);
  const population = buildPopulation(persons, geography, seed);
  const personId = padded('P', persons, 7);
  const homeId = padded('H', population.homeCount, 6);
  const boatId = padded('B', population.boats.count, 4);
  const siteId = (s: number) => geography.sites[s]!.id;
  const periodEnd = start + days * DAY;

  const writer = BundleWriter.open(options.outDir, { onTakeOver: options.onTakeOver });
  let outbreak: Outbreak;
  try {
    // Places, homes, persons and boats.
    for (const site of geography.sites) {
      writer.row('places.csv', [
        site.id,
        site.name,
        site.kind,
        site.lat.toFixed(6),
        site.lon.toFixed(6),
        site.capacity,
      ]);
    }
    for (let h = 0; h < population.homeCount; h++) {
      const village = geography.villageNameZh[population.homeVillage[h]!]!;
      writer.row('places.csv', [
        homeId(h),
        `${village}${population.homeNumber[h]}号`,
        'home',
        population.homeLat[h]!.toFixed(6),
        population.homeLon[h]!.toFixed(6),
        null,
      ]);
      if (h % 2_000 === 0) await writer.pace();
    }
    const details = new Random(seed, 'personal-details');
    const identities = new IdentityNumbers();
    const reference = new Date(start + DAY / 3);
    for (let p = 0; p < persons; p++) {
      const male = population.male[p] === 1;
      const age = population.age[p]!;
      writer.row('persons.csv', [
        personId(p),
        personName(details, male),
        male ? 'M' : 'F',
        age,
        mobileNumber(details, p),
        identities.next(birthDate(details, age, reference), male),
        homeId(population.homeOf[p]!),
        OCCUPATION[population.role[p] as Role],
      ]);
      if (p % 2_000 === 0) await writer.pace();
    }
    const boatDetails = new Random(seed, 'boats');
    for (let b = 0; b < population.boats.count; b++) {
      const registration = 10_000 + ((b * 7_919) % 90_000);
      writer.row('boats.csv', [
        boatId(b),
        `${boatDetails.pick(BOAT_NAMES)}${boatDetails.int(1, 999)}号`,
        `琼三亚渔${registration}`,
        siteId(population.boats.port[b]!),
      ]);
    }
    progress(1);

    // The period, day by day.
    const fleet = new Fleet(population, seed, start, days);
    const mobility = new Mobility(geography, population, fleet, seed);
    const coldChain = new ColdChain(geography, population, seed, start, days, boatId, personId);
    outbreak = new Outbreak(
      geography,
      population,
      seed,
      start,
      days,
      { person: personId, boat: boatId, site: siteId },
      fleet,
    );
    const docked = (boat: number, from: number, to: number) => {
      writer.row('stays.csv', [
        boatId(boat),
        siteId(population.boats.port[boat]!),
        writer.instant(from),
        writer.instant(to),
      ]);
    };
    for (let day = 0; day < days; day++) {
      const dayStart = start + day * DAY;
      outbreak.beginDay(day, writer);
      const phase = outbreak.phase(day);
      for (const trip of fleet.sail(day, phase === Phase.Normal, outbreak.status, docked)) {
        // Crew lists of the port's departure log.
        for (const p of trip.crew) {
          writer.row('stays.csv', [
            personId(p),
            boatId(trip.boat),
            writer.instant(trip.depart),
            writer.instant(trip.return),
          ]);
        }
        coldChain.planReturn(trip);
      }
      const careVisits = outbreak.careVisits(day, fleet);
      mobility.planDay({
        day,
        dayStart,
        phase,
        testRound: outbreak.testRound(day),
        careVisits,
        status: outbreak.status,
      });
      const contaminatedTrip = !outbreak.seeded && day >= SEED_DAY ? coldChain.contaminate(day) : null;
      const handlings = coldChain.processDay(day, mobility.stays, writer);
      if (contaminatedTrip) {
        outbreak.seedIndex(
          day,
          contaminatedTrip,
          coldChain.lots.find((lot) => lot.contaminated)!,
          handlings,
        );
      }
      outbreak.transmit(day, mobility.stays, fleet, handlings);

      const { stays } = mobility;
      for (let i = 0; i < stays.length; i++) {
        if (i % 4_000 === 3_999) await writer.pace();
        if (stays.recorded[i] === 0) continue;
        writer.row('stays.csv', [
          personId(stays.subject[i]!),
          siteId(stays.host[i]!),
          writer.instant(stays.start[i]!),
          writer.instant(stays.end[i]!),
        ]);
      }
      await outbreak.test(
        day,
        mobility.stays,
        fleet,
        mobility.testVisits,
        careVisits,
        coldChain.lots,
        writer,
      );
      await writer.pace();
      progress(day + 2);
    }
    fleet.finish(periodEnd, docked);
    coldChain.finish(periodEnd, writer);
    outbreak.finish(writer);
    await writer.close();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  progress(total);

  return {
    outDir: options.outDir,
    persons,
    seed,
    start: startText,
    days,
    rows: writer.rowCounts(),
    indexCase: outbreak.indexCase === null ? null : personId(outbreak.indexCase),
    cases: outbreak.caseCount,
    detectedOn: outbreak.detectionDay === null ? null : formatDate(start + outbreak.detectionDay * DAY),
  };
}
