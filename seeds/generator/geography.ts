/**
 * Geography of the demo district, after Yazhou district, Sanya (Hainan): its villages and
 * communities, the central fishing port, cold storages, markets, schools, workplaces, restaurants,
 * sampling points, checkpoints, the railway station, hospitals and quarantine hotels. Coordinates
 * of named places are approximate; numbered villages fill the coast and plain around them.
 */
import type { PlaceKind } from '../../src/domain/types';
import { Random } from './random';

export interface Site {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  /** Beds, for a quarantine site. */
  capacity: number | null;
  /** The village (ordinal into Geography.villages) the site belongs to, or -1. */
  village: number;
}

/** Non-home places near one village, by role, as indices into Geography.sites. */
export interface LocalSites {
  markets: number[];
  schools: number[];
  workplaces: number[];
  restaurants: number[];
  testSites: number[];
}

export interface Geography {
  /** Every place except homes; a place's index here is its host code in the simulation. */
  sites: Site[];
  /** Site index of each village or community (the village ordinal is the position here). */
  villages: number[];
  villageNameZh: string[];
  /** Relative population of each village. */
  villageWeight: number[];
  /** Homes lie within this many degrees of their village's centre: under half the distance to
   *  the nearest other village, so the nearest village of a home is always its own. */
  homeRadius: number[];
  /** Fishing villages crew most boats. */
  fishingVillage: boolean[];
  ports: number[];
  coldStorages: number[];
  /** The port each cold storage serves (site index), parallel to coldStorages. */
  storagePort: number[];
  markets: number[];
  seafoodMarket: number;
  /** Chance that a market trip from each village goes to the seafood market (town villages
   *  often, far ones rarely). */
  seafoodMarketShare: number[];
  schools: number[];
  workplaces: number[];
  restaurants: number[];
  testSites: number[];
  checkpoints: number[];
  station: number;
  hospitals: number[];
  quarantineSites: number[];
  local: LocalSites[];
  /** The market where each village shops: its own, or the nearest. */
  villageMarket: number[];
  /** The school of each village's children: its own, or the nearest. */
  villageSchool: number[];
  /** Restaurants each village eats at: its own, or the nearest three. */
  villageRestaurants: number[][];
}

interface NamedVillage {
  zh: string;
  en: string;
  kind: 'village' | 'community';
  lat: number;
  lon: number;
  weight: number;
  fishing: boolean;
}

// The communities of Yacheng town first, then the villages along the coast and the plain.
const NAMED_VILLAGES: NamedVillage[] = [
  {
    zh: '保港社区',
    en: 'Baogang Community',
    kind: 'community',
    lat: 18.325,
    lon: 109.136,
    weight: 2.5,
    fishing: true,
  },
  {
    zh: '保平村',
    en: 'Baoping Village',
    kind: 'village',
    lat: 18.338,
    lon: 109.148,
    weight: 2,
    fishing: true,
  },
  {
    zh: '崖城社区',
    en: 'Yacheng Community',
    kind: 'community',
    lat: 18.3605,
    lon: 109.1725,
    weight: 3,
    fishing: false,
  },
  {
    zh: '水南社区',
    en: 'Shuinan Community',
    kind: 'community',
    lat: 18.344,
    lon: 109.17,
    weight: 2,
    fishing: false,
  },
  {
    zh: '城东社区',
    en: 'Chengdong Community',
    kind: 'community',
    lat: 18.364,
    lon: 109.184,
    weight: 2.5,
    fishing: false,
  },
  {
    zh: '城西社区',
    en: 'Chengxi Community',
    kind: 'community',
    lat: 18.359,
    lon: 109.159,
    weight: 2.5,
    fishing: false,
  },
  {
    zh: '南山社区',
    en: 'Nanshan Community',
    kind: 'community',
    lat: 18.308,
    lon: 109.2,
    weight: 1.5,
    fishing: true,
  },
  {
    zh: '梅山社区',
    en: 'Meishan Community',
    kind: 'community',
    lat: 18.395,
    lon: 109.045,
    weight: 1.5,
    fishing: false,
  },
  {
    zh: '东关社区',
    en: 'Dongguan Community',
    kind: 'community',
    lat: 18.371,
    lon: 109.196,
    weight: 1.5,
    fishing: false,
  },
  {
    zh: '拱北社区',
    en: 'Gongbei Community',
    kind: 'community',
    lat: 18.351,
    lon: 109.194,
    weight: 1.5,
    fishing: false,
  },
  {
    zh: '港门村',
    en: 'Gangmen Village',
    kind: 'village',
    lat: 18.33,
    lon: 109.121,
    weight: 1.5,
    fishing: true,
  },
  {
    zh: '镇海村',
    en: 'Zhenhai Village',
    kind: 'village',
    lat: 18.318,
    lon: 109.104,
    weight: 1.2,
    fishing: true,
  },
  {
    zh: '临高村',
    en: 'Lingao Village',
    kind: 'village',
    lat: 18.348,
    lon: 109.123,
    weight: 1.2,
    fishing: false,
  },
  {
    zh: '凤岭村',
    en: 'Fengling Village',
    kind: 'village',
    lat: 18.388,
    lon: 109.15,
    weight: 1,
    fishing: false,
  },
  {
    zh: '赤草村',
    en: 'Chicao Village',
    kind: 'village',
    lat: 18.392,
    lon: 109.11,
    weight: 1,
    fishing: false,
  },
  {
    zh: '北岭村',
    en: 'Beiling Village',
    kind: 'village',
    lat: 18.405,
    lon: 109.175,
    weight: 1,
    fishing: false,
  },
  {
    zh: '南滨居',
    en: 'Nanbin Community',
    kind: 'community',
    lat: 18.41,
    lon: 109.08,
    weight: 1,
    fishing: false,
  },
];

// The district's extent for numbered villages (degrees).
const AREA = { latMin: 18.29, latMax: 18.46, lonMin: 108.95, lonMax: 109.26 };

const PORT = { lat: 18.317, lon: 109.133 };
const COLD_STORAGE = { lat: 18.3185, lon: 109.1355 };
const SEAFOOD_MARKET = { lat: 18.357, lon: 109.168 };
const STATION = { lat: 18.386, lon: 109.176 };
const G98_EXIT = { lat: 18.38, lon: 109.184 };
const PEOPLES_HOSPITAL = { lat: 18.3625, lon: 109.1765 };

const WORKPLACE_KINDS_ZH = [
  '水产加工厂',
  '建材厂',
  '物流公司',
  '农业合作社',
  '修船厂',
  '超市',
  '酒店',
  '芒果种植园',
];
const WORKPLACE_KINDS_EN = [
  'Seafood Processing Plant',
  'Building Materials Plant',
  'Logistics Company',
  'Farming Cooperative',
  'Boatyard',
  'Supermarket',
  'Hotel',
  'Mango Plantation',
];
const RESTAURANT_KINDS_ZH = ['海鲜餐厅', '粉店', '茶餐厅', '大排档', '饭店'];
const RESTAURANT_KINDS_EN = [
  'Seafood Restaurant',
  'Noodle Shop',
  'Tea Restaurant',
  'Food Stall',
  'Restaurant',
];

/** How many places of each kind a district of `persons` has. */
export function placeCounts(persons: number) {
  const villages = Math.max(10, Math.round(persons / 2_500));
  return {
    villages,
    ports: Math.max(1, Math.round(persons / 250_000)),
    coldStorages: Math.max(1, Math.round(persons / 25_000)),
    markets: Math.max(2, Math.round(persons / 5_000)),
    schools: Math.max(1, Math.round(persons / 2_500)),
    workplaces: Math.max(3, Math.round(persons / 250)),
    restaurants: Math.max(3, Math.round(persons / 400)),
    testSites: Math.max(villages, Math.round(persons / 1_500)),
    checkpoints: 1 + Math.max(1, Math.round(persons / 100_000)),
    hospitals: Math.max(1, Math.round(persons / 100_000)),
    quarantineSites: Math.max(1, Math.round(persons / 20_000)),
    quarantineBeds: Math.max(10, Math.round(persons * 0.01)),
  };
}

function idMaker(prefix: string, count: number): (n: number) => string {
  const width = Math.max(3, String(count).length);
  return (n) => prefix + String(n).padStart(width, '0');
}

function distance(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return Math.hypot(a.lat - b.lat, a.lon - b.lon);
}

/** A point uniformly within `radius` degrees of a centre. */
export function near(rng: Random, lat: number, lon: number, radius: number): { lat: number; lon: number } {
  const r = radius * Math.sqrt(rng.float());
  const angle = 2 * Math.PI * rng.float();
  return { lat: lat + r * Math.sin(angle), lon: lon + r * Math.cos(angle) };
}

/** Centres of the numbered villages: a jittered grid over the district, away from named ones. */
function numberedVillageCentres(rng: Random, count: number, named: readonly NamedVillage[]) {
  if (count === 0) return [];
  const height = AREA.latMax - AREA.latMin;
  const width = AREA.lonMax - AREA.lonMin;
  // Twice as many cells as villages, so some can be left out near the named ones.
  let spacing = Math.sqrt((height * width) / (2 * count));
  for (;;) {
    const cells: { lat: number; lon: number }[] = [];
    for (let row = 0; row < Math.floor(height / spacing); row++) {
      for (let col = 0; col < Math.floor(width / spacing); col++) {
        const centre = { lat: AREA.latMin + (row + 0.5) * spacing, lon: AREA.lonMin + (col + 0.5) * spacing };
        if (named.every((v) => distance(v, centre) >= spacing)) cells.push(centre);
      }
    }
    if (cells.length >= count) {
      rng.shuffle(cells);
      return cells.slice(0, count).map((c) => ({
        lat: c.lat + rng.uniform(-0.15, 0.15) * spacing,
        lon: c.lon + rng.uniform(-0.15, 0.15) * spacing,
      }));
    }
    spacing *= 0.9;
  }
}

export function buildGeography(persons: number, seed: string): Geography {
  const rng = new Random(seed, 'geography');
  const counts = placeCounts(persons);
  const sites: Site[] = [];
  const add = (site: Site): number => sites.push(site) - 1;

  // Villages and communities.
  const named = NAMED_VILLAGES.slice(0, Math.min(counts.villages, NAMED_VILLAGES.length));
  const numbered = numberedVillageCentres(rng, counts.villages - named.length, named);
  const villageId = idMaker('V', counts.villages);
  const villages: number[] = [];
  const villageNameZh: string[] = [];
  const villageWeight: number[] = [];
  const fishingVillage: boolean[] = [];
  named.forEach((v, i) => {
    villages.push(
      add({
        id: villageId(i + 1),
        name: `${v.zh} ${v.en}`,
        kind: v.kind,
        lat: v.lat,
        lon: v.lon,
        capacity: null,
        village: i,
      }),
    );
    villageNameZh.push(v.zh);
    villageWeight.push(v.weight);
    fishingVillage.push(v.fishing);
  });
  numbered.forEach((centre, j) => {
    const n = j + 1;
    const ordinal = named.length + j;
    villages.push(
      add({
        id: villageId(ordinal + 1),
        name: `崖州第${n}村 Yazhou Village ${n}`,
        kind: 'village',
        lat: centre.lat,
        lon: centre.lon,
        capacity: null,
        village: ordinal,
      }),
    );
    villageNameZh.push(`崖州第${n}村`);
    villageWeight.push(rng.uniform(0.6, 1.4));
    // Villages near the shore fish.
    fishingVillage.push(centre.lat < AREA.latMin + 0.04);
  });
  const homeRadius = villages.map((vi) => {
    let nearest = Infinity;
    for (const other of villages)
      if (other !== vi) nearest = Math.min(nearest, distance(sites[vi]!, sites[other]!));
    return Math.min(0.35 * nearest, 0.006);
  });

  const local: LocalSites[] = villages.map(() => ({
    markets: [],
    schools: [],
    workplaces: [],
    restaurants: [],
    testSites: [],
  }));
  const villageCumulative = villageWeight.map(
    (
      (sum) => (w: number) =>
        (sum += w)
    )(0),
  );
  const drawVillage = (): number => {
    const target = rng.float() * villageCumulative[villageCumulative.length - 1]!;
    return villageCumulative.findIndex((c) => c > target);
  };
  /** A site near a village: within its home radius, so it maps to the same village. */
  const localSite = (
    id: string,
    zh: string,
    en: string,
    kind: PlaceKind,
    village: number,
    capacity: number | null = null,
  ) => {
    const centre = sites[villages[village]!]!;
    const at = near(rng, centre.lat, centre.lon, homeRadius[village]! * 0.8);
    return add({
      id,
      name: `${villageNameZh[village]}${zh} ${en}`,
      kind,
      lat: at.lat,
      lon: at.lon,
      capacity,
      village,
    });
  };
  const villageEnglish = (v: number) => sites[villages[v]!]!.name.slice(villageNameZh[v]!.length + 1);

  // Fishing ports: the central port, then smaller ports at fishing villages.
  const portId = idMaker('FP', counts.ports);
  const fishingOrdinals = fishingVillage.flatMap((f, i) => (f ? [i] : []));
  const ports: number[] = [
    add({
      id: portId(1),
      name: '崖州中心渔港 Yazhou Central Fishing Port',
      kind: 'fishing_port',
      ...PORT,
      capacity: null,
      village: -1,
    }),
  ];
  for (let n = 2; n <= counts.ports; n++) {
    const v = fishingOrdinals[(n - 2) % fishingOrdinals.length]!;
    ports.push(localSite(portId(n), `渔港${n}号`, `Fishing Port ${n}`, 'fishing_port', v));
  }

  // Cold storages, each serving one port.
  const storageId = idMaker('CS', counts.coldStorages);
  const coldStorages: number[] = [];
  const storagePort: number[] = [];
  for (let n = 1; n <= counts.coldStorages; n++) {
    const port = ports[(n - 1) % ports.length]!;
    if (n === 1) {
      coldStorages.push(
        add({
          id: storageId(1),
          name: '崖州中心渔港冷库 Yazhou Central Fishing Port Cold Storage',
          kind: 'cold_storage',
          ...COLD_STORAGE,
          capacity: null,
          village: -1,
        }),
      );
    } else {
      const at = near(rng, sites[port]!.lat, sites[port]!.lon, 0.004);
      coldStorages.push(
        add({
          id: storageId(n),
          name: `崖州冷库${n}号 Yazhou Cold Storage ${n}`,
          kind: 'cold_storage',
          ...at,
          capacity: null,
          village: sites[port]!.village,
        }),
      );
    }
    storagePort.push(port);
  }

  // Markets: the seafood market in Yacheng, then a farmers' market in the larger villages.
  const marketId = idMaker('MK', counts.markets);
  const markets: number[] = [
    add({
      id: marketId(1),
      name: '崖州海鲜市场 Yazhou Seafood Market',
      kind: 'market',
      ...SEAFOOD_MARKET,
      capacity: null,
      village: 2,
    }),
  ];
  local[2]!.markets.push(markets[0]!);
  for (let n = 2; n <= counts.markets; n++) {
    const v = n - 2 < villages.length ? n - 2 : drawVillage();
    const site = localSite(marketId(n), `农贸市场${n}号`, `${villageEnglish(v)} Market ${n}`, 'market', v);
    markets.push(site);
    local[v]!.markets.push(site);
  }

  const schoolId = idMaker('SC', counts.schools);
  const schools: number[] = [];
  for (let n = 1; n <= counts.schools; n++) {
    const v = n <= villages.length ? n - 1 : drawVillage();
    const site =
      n === 1
        ? localSite(schoolId(n), '崖城中学', 'Yacheng Middle School', 'school', 2)
        : localSite(schoolId(n), `第${n}小学`, `${villageEnglish(v)} Primary School ${n}`, 'school', v);
    schools.push(site);
    local[sites[site]!.village]!.schools.push(site);
  }

  const workplaceId = idMaker('WP', counts.workplaces);
  const workplaces: number[] = [
    add({
      id: workplaceId(1),
      name: '南繁科研育种基地 Nanfan Seed Breeding Base',
      kind: 'workplace',
      lat: 18.378,
      lon: 109.158,
      capacity: null,
      village: -1,
    }),
    add({
      id: workplaceId(2),
      name: '崖州湾科技城 Yazhou Bay Science and Technology City',
      kind: 'workplace',
      lat: 18.302,
      lon: 109.183,
      capacity: null,
      village: -1,
    }),
  ];
  for (let n = 3; n <= counts.workplaces; n++) {
    const v = drawVillage();
    const k = rng.int(0, WORKPLACE_KINDS_ZH.length - 1);
    const site = localSite(
      workplaceId(n),
      `${WORKPLACE_KINDS_ZH[k]}${n}号`,
      `${WORKPLACE_KINDS_EN[k]} ${n}`,
      'workplace',
      v,
    );
    workplaces.push(site);
    local[v]!.workplaces.push(site);
  }

  const restaurantId = idMaker('RS', counts.restaurants);
  const restaurants: number[] = [];
  for (let n = 1; n <= counts.restaurants; n++) {
    const v = n <= villages.length ? n - 1 : drawVillage();
    const k = rng.int(0, RESTAURANT_KINDS_ZH.length - 1);
    const site = localSite(
      restaurantId(n),
      `${RESTAURANT_KINDS_ZH[k]}${n}号`,
      `${RESTAURANT_KINDS_EN[k]} ${n}`,
      'restaurant',
      v,
    );
    restaurants.push(site);
    local[v]!.restaurants.push(site);
  }

  // Sampling points for mass testing: one per village, extra ones in the most populous.
  const testSiteId = idMaker('TS', counts.testSites);
  const testSites: number[] = [];
  const byWeight = villages.map((_, v) => v).sort((a, b) => villageWeight[b]! - villageWeight[a]! || a - b);
  for (let n = 1; n <= counts.testSites; n++) {
    const v = n <= villages.length ? n - 1 : byWeight[(n - 1 - villages.length) % villages.length]!;
    const site = localSite(testSiteId(n), `核酸采样点${n}号`, `Sampling Point ${n}`, 'test_site', v);
    testSites.push(site);
    local[v]!.testSites.push(site);
  }

  const checkpointId = idMaker('CP', counts.checkpoints);
  const checkpoints: number[] = [
    add({
      id: checkpointId(1),
      name: 'G98环岛高速崖州出口 G98 Expressway Yazhou Exit',
      kind: 'checkpoint',
      ...G98_EXIT,
      capacity: null,
      village: -1,
    }),
  ];
  for (let n = 2; n <= counts.checkpoints; n++) {
    const at = { lat: rng.uniform(AREA.latMin, AREA.latMax), lon: rng.uniform(AREA.lonMin, AREA.lonMax) };
    checkpoints.push(
      add({
        id: checkpointId(n),
        name: `崖州检查站${n}号 Yazhou Checkpoint ${n}`,
        kind: 'checkpoint',
        ...at,
        capacity: null,
        village: -1,
      }),
    );
  }

  const station = add({
    id: 'ST001',
    name: '崖州站 Yazhou Railway Station',
    kind: 'station',
    ...STATION,
    capacity: null,
    village: -1,
  });

  const hospitalId = idMaker('HO', counts.hospitals);
  const hospitals: number[] = [
    add({
      id: hospitalId(1),
      name: "三亚市崖州区人民医院 Yazhou District People's Hospital",
      kind: 'hospital',
      ...PEOPLES_HOSPITAL,
      capacity: null,
      village: -1,
    }),
  ];
  for (let n = 2; n <= counts.hospitals; n++) {
    const v = drawVillage();
    hospitals.push(localSite(hospitalId(n), `卫生院${n}号`, `Health Centre ${n}`, 'hospital', v));
  }

  // Quarantine hotels: beds add up to about 1% of the population.
  const quarantineId = idMaker('QS', counts.quarantineSites);
  const quarantineSites: number[] = [];
  for (let n = 1; n <= counts.quarantineSites; n++) {
    const beds =
      Math.floor(counts.quarantineBeds / counts.quarantineSites) +
      (n <= counts.quarantineBeds % counts.quarantineSites ? 1 : 0);
    const at = { lat: rng.uniform(18.3, 18.4), lon: rng.uniform(109.05, 109.22) };
    quarantineSites.push(
      add({
        id: quarantineId(n),
        name: `崖州隔离酒店${n}号 Yazhou Quarantine Hotel ${n}`,
        kind: 'quarantine_site',
        ...at,
        capacity: beds,
        village: -1,
      }),
    );
  }

  const centreOf = (v: number) => sites[villages[v]!]!;
  const nearest = (v: number, candidates: readonly number[], count: number): number[] =>
    [...candidates]
      .sort((a, b) => distance(sites[a]!, centreOf(v)) - distance(sites[b]!, centreOf(v)) || a - b)
      .slice(0, count);
  const villageMarket = local.map((l, v) => l.markets[0] ?? nearest(v, markets, 1)[0]!);
  const villageSchool = local.map((l, v) => l.schools[0] ?? nearest(v, schools, 1)[0]!);
  const villageRestaurants = local.map((l, v) =>
    l.restaurants.length ? l.restaurants : nearest(v, restaurants, 3),
  );

  return {
    villageMarket,
    villageSchool,
    villageRestaurants,
    sites,
    villages,
    villageNameZh,
    villageWeight,
    homeRadius,
    fishingVillage,
    ports,
    coldStorages,
    storagePort,
    markets,
    seafoodMarket: markets[0]!,
    seafoodMarketShare: villages.map((_, v) => (distance(centreOf(v), SEAFOOD_MARKET) < 0.05 ? 0.2 : 0.02)),
    schools,
    workplaces,
    restaurants,
    testSites,
    checkpoints,
    station,
    hospitals,
    quarantineSites,
    local,
  };
}
