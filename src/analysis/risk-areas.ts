/**
 * Risk areas: high, medium and low, with the day each may be lowered, per China's COVID-19
 * protocol, 9th edition (June 2022): high = a case's residence (by default the village or
 * residential compound) and the high-risk workplaces and venues he frequented; medium = other
 * places a case stayed with possible spread; low = the rest of the county.
 *
 * The import format does not say which village a home is in: a home belongs to the nearest place
 * of kind village or community within `riskAreaRadiusKm` (great-circle distance by the haversine
 * formula), else the home itself is the residential area. The last infection of an area is the
 * latest isolation (end of the infectious window) of the cases linked to it. "Lifted after N days
 * without a new infection" means N whole calendar days (+08:00) after the day of the last
 * infection: last infection on Aug 6 and 7 days give Aug 14, 00:00. Medium lifts to low after
 * `mediumRiskLiftDays` more days. Areas whose lift day has come by `asOf` are reported
 * lowered, their reason giving the day of each lowering; one lowered to low with the day it was
 * lifted (`liftedOn`).
 */
import type { Parameters } from '../domain/parameters';
import { DAY, DEFAULT_UTC_OFFSET_MINUTES, formatDate, startOfDay } from '../domain/time';
import type { Id, Instant, Place } from '../domain/types';
import { contactOverlap, staysOfSubjects } from './exposures';
import { caseWindows, type CaseWindows } from './infectious-window';
import type { OutbreakData } from './model';

export type RiskLevel = 'high' | 'medium' | 'low';

export interface RiskArea {
  placeId: Id;
  placeKind: string | null;
  /** The level the cases gave it. */
  designatedLevel: 'high' | 'medium';
  /** The level at `asOf`, lowered once lift days have passed. */
  level: RiskLevel;
  /** The latest isolation of a case linked to the area. */
  lastInfection: Instant;
  /** When the current level may be lowered (midnight +08:00); null once low. */
  liftOn: Instant | null;
  /** When it was lowered to low (midnight +08:00, the lift day that passed); null until then. */
  liftedOn: Instant | null;
  caseIds: Id[];
  reason: string;
}

export interface RiskAreaOptions {
  /** Defaults to `data.asOf`. */
  asOf: Instant;
  /** Place kinds a home can belong to. */
  residentialKinds: string[];
  utcOffsetMinutes: number;
}

export const DEFAULTS: Omit<RiskAreaOptions, 'asOf'> = {
  residentialKinds: ['village', 'community'],
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

const EARTH_RADIUS_KM = 6371.0088;
const LEVEL_RANK: Record<RiskLevel, number> = { high: 3, medium: 2, low: 1 };

/** Great-circle distance in km (haversine formula, mean Earth radius). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The residential area of a home: the nearest village/community within the radius, else the home. */
export function residentialAreaOf(
  home: Place,
  candidates: readonly Place[],
  radiusKm: number,
): { area: Place; distanceKm: number | null } {
  if (home.lat === null || home.lon === null) return { area: home, distanceKm: null };
  let best: { area: Place; distanceKm: number | null } = { area: home, distanceKm: null };
  for (const c of candidates) {
    if (c.lat === null || c.lon === null) continue;
    const d = haversineKm(home.lat, home.lon, c.lat, c.lon);
    if (d <= radiusKm && (best.distanceKm === null || d < best.distanceKm)) best = { area: c, distanceKm: d };
  }
  return best;
}

interface Designation {
  level: 'high' | 'medium';
  caseIds: Set<Id>;
  lastInfection: Instant;
  reasons: string[];
}

/**
 * Risk areas from the cases' residences and stays in their infectious windows, highest first.
 * `windows`: the cases' windows under `params` as of `data.asOf` (`caseWindows(data, params)`),
 * when worked out already.
 */
export function riskAreas(
  data: OutbreakData,
  params: Parameters,
  options: Partial<RiskAreaOptions> = {},
  windows?: CaseWindows,
): RiskArea[] {
  const { asOf, residentialKinds, utcOffsetMinutes } = { ...DEFAULTS, asOf: data.asOf, ...options };
  if (!Number.isFinite(asOf))
    throw new TypeError(`risk areas: option "asOf" is not an instant (got ${String(asOf)})`);
  const { highRiskPlaceKinds, highRiskLiftDays, mediumRiskLiftDays, riskAreaRadiusKm, isolationPlaceKinds } =
    params.protocol;
  const windowOf = windows ?? caseWindows(data, params);
  const residential = [...data.places.values()].filter((p) => residentialKinds.includes(p.kind));

  const designations = new Map<Id, Designation>();
  const designate = (
    placeId: Id,
    level: 'high' | 'medium',
    caseId: Id,
    at: Instant,
    reason: string,
  ): void => {
    const d = designations.get(placeId);
    if (!d) {
      designations.set(placeId, { level, caseIds: new Set([caseId]), lastInfection: at, reasons: [reason] });
      return;
    }
    if (level === 'high') d.level = 'high';
    d.caseIds.add(caseId);
    d.lastInfection = Math.max(d.lastInfection, at);
    if (!d.reasons.includes(reason)) d.reasons.push(reason);
  };

  const staysOf = staysOfSubjects(data.stays, new Set(data.cases.map((c) => c.personId)));

  for (const c of [...data.cases].sort((a, b) => a.personId.localeCompare(b.personId))) {
    const window = windowOf.get(c.personId)!;
    const homeId = data.persons.get(c.personId)?.homeId ?? null;
    const home =
      homeId === null
        ? undefined
        : (data.places.get(homeId) ?? {
            id: homeId,
            name: null,
            kind: 'home',
            lat: null,
            lon: null,
            capacity: null,
          });
    if (home) {
      const { area, distanceKm } = residentialAreaOf(home, residential, riskAreaRadiusKm);
      const where =
        distanceKm === null
          ? `home ${home.id}`
          : `home ${home.id} is ${distanceKm.toFixed(2)} km from ${area.kind} ${area.id}`;
      designate(area.id, 'high', c.personId, window.to, `residence of case ${c.personId} (${where})`);
    }
    for (const s of staysOf.get(c.personId) ?? []) {
      const place = data.places.get(s.hostId);
      // Boats are not areas; an isolation place holds cases by design. A stay counts as exposures
      // do (contactOverlap): one that only touches the window, ending as it opens or starting at
      // isolation, spread nothing.
      if (!place || isolationPlaceKinds.includes(place.kind)) continue;
      if (!contactOverlap(s, window.from, window.to)) continue;
      const high = highRiskPlaceKinds.includes(place.kind);
      designate(
        place.id,
        high ? 'high' : 'medium',
        c.personId,
        window.to,
        `case ${c.personId} at ${place.kind} ${place.id} while infectious${high ? ' (high-risk kind)' : ''}`,
      );
    }
  }

  const dayOf = (at: Instant): Instant => startOfDay(at, utcOffsetMinutes);
  const areas: RiskArea[] = [...designations].map(([placeId, d]) => {
    const lastDay = dayOf(d.lastInfection);
    let level: RiskLevel = d.level;
    let liftOn: Instant | null;
    const toMedium = d.level === 'high' ? lastDay + (highRiskLiftDays + 1) * DAY : null;
    const toLow =
      toMedium !== null ? toMedium + mediumRiskLiftDays * DAY : lastDay + (mediumRiskLiftDays + 1) * DAY;
    if (asOf >= toLow) [level, liftOn] = ['low', null];
    else if (toMedium !== null) {
      if (asOf >= toMedium) [level, liftOn] = ['medium', toLow];
      else liftOn = toMedium;
    } else liftOn = toLow;
    const liftedOn = level === 'low' ? toLow : null;
    const day = (at: Instant): string => formatDate(at, utcOffsetMinutes);
    const next = liftOn === null ? '' : `; may be lowered on ${day(liftOn)}`;
    return {
      placeId,
      placeKind: data.places.get(placeId)?.kind ?? null,
      designatedLevel: d.level,
      level,
      lastInfection: d.lastInfection,
      liftOn,
      liftedOn,
      caseIds: [...d.caseIds].sort(),
      reason: `${d.reasons.join('; ')}; last infection ${day(d.lastInfection)}${loweredWords(d.level, level, toMedium, toLow, day)}${next}`,
    };
  });
  return areas.sort(
    (a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.placeId.localeCompare(b.placeId),
  );
}

/**
 * `; lowered from high to medium on 2022-08-14`, the day of each lowering by `asOf`: a high area
 * now low went through medium, `; lowered from high to medium on 2022-08-14 and to low on
 * 2022-08-21`. Empty for an area still at the level the cases gave it.
 */
function loweredWords(
  designated: 'high' | 'medium',
  level: RiskLevel,
  toMedium: Instant | null,
  toLow: Instant,
  day: (at: Instant) => string,
): string {
  if (level === designated) return '';
  if (designated === 'medium') return `; lowered from medium to low on ${day(toLow)}`;
  const toMediumWords = `; lowered from high to medium on ${day(toMedium!)}`;
  return level === 'low' ? `${toMediumWords} and to low on ${day(toLow)}` : toMediumWords;
}
