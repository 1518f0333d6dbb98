/** The demo district generator: `generateDistrict` writes a seeded Yazhou-like bundle. */
export {
  generateDistrict,
  DEFAULT_DAYS,
  DEFAULT_SEED,
  DEFAULT_START,
  MAX_PERSONS,
  MIN_PERSONS,
  type DistrictSummary,
  type GenerateDistrictOptions,
} from './district';
