/**
 * ZIP-level facts (city, state, centre, Zillow-style regionId). Callers may supply real facts through a
 * table; anything missing is derived from the ZIP alone, so every seed sees the same geography.
 *
 * Derived centres sit on a coarse grid over the continental US, one cell per ZIP: a map-bounds search
 * without a region can then find the ZIPs it covers by arithmetic instead of a global table.
 * @module
 */
import { createPrng } from "../../shared/prng.ts";
import { stateForZip } from "./state_by_zip.ts";

/** The facts a search region needs; `regionId` is deliberately not the ZIP number, as on the real site. */
export interface ZipInfo {
  zip: string;
  city: string;
  state: string;
  county: string;
  latitude: number;
  longitude: number;
  regionId: number;
}

/** A `mapBounds` rectangle in decimal degrees. */
export interface MapBounds {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** How far (degrees) listings may lie from their ZIP centre; smaller than half a grid cell. */
export const LISTING_SPREAD_LAT = 0.03;
export const LISTING_SPREAD_LON = 0.035;

const GRID_COLUMNS = 570;
const GRID_LAT0 = 24.5;
const GRID_LON0 = -124.6;
const GRID_ROW_DEG = 0.14;
const GRID_COL_DEG = 0.1;
const BOUNDS_PAD_LAT = 0.04;
const BOUNDS_PAD_LON = 0.045;

// regionId = 40000 + zip * 7919 mod 100000: a bijection (7919 is prime to 10^5) that differs from the
// ZIP number for every real ZIP (the only fixed point is 70000, which USPS does not use).
const REGION_BASE = 40_000;
const REGION_MULTIPLIER = 7919;
const ZIP_SPACE = 100_000;

const CITY_STEMS = [
  "Oak",
  "Maple",
  "Cedar",
  "River",
  "Lake",
  "Spring",
  "Fair",
  "Green",
  "Pine",
  "Elm",
  "Ash",
  "Clear",
  "Stone",
  "Willow",
  "Bright",
  "Red",
];
const CITY_ENDINGS = ["ville", "ton", "field", "wood", "port", "dale", "view", "brook", "haven", "ridge"];

function modularInverse(a: number, m: number): number {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const REGION_INVERSE = modularInverse(REGION_MULTIPLIER, ZIP_SPACE);

/** The derived search regionId of a ZIP. */
export function regionIdForZip(zip: string): number {
  return REGION_BASE + (Number(zip) * REGION_MULTIPLIER) % ZIP_SPACE;
}

/** The ZIP whose derived regionId is `regionId`, or null when it is outside the derived range. */
export function zipForRegionId(regionId: number): string | null {
  const offset = regionId - REGION_BASE;
  if (!Number.isInteger(offset) || offset < 0 || offset >= ZIP_SPACE) return null;
  return String((offset * REGION_INVERSE) % ZIP_SPACE).padStart(5, "0");
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Every fact derived from the ZIP itself: city and county come from the 3-digit prefix, like USPS areas. */
export function deriveZipInfo(zip: string): ZipInfo {
  if (!/^\d{5}$/.test(zip)) throw new RangeError(`Cannot derive ZIP facts for "${zip}": expected 5 digits`);
  const prng = createPrng(`zip-area|${zip.slice(0, 3)}`);
  const city = CITY_STEMS[prng.nextBelow(CITY_STEMS.length)] +
    CITY_ENDINGS[prng.nextBelow(CITY_ENDINGS.length)];
  const county = `${CITY_STEMS[prng.nextBelow(CITY_STEMS.length)]} County`;
  const cell = Number(zip);
  const row = Math.floor(cell / GRID_COLUMNS);
  const column = cell % GRID_COLUMNS;
  return {
    zip,
    city,
    state: stateForZip(zip),
    county,
    latitude: round(GRID_LAT0 + row * GRID_ROW_DEG + GRID_ROW_DEG / 2, 5),
    longitude: round(GRID_LON0 + column * GRID_COL_DEG + GRID_COL_DEG / 2, 5),
    regionId: regionIdForZip(zip),
  };
}

/** Table facts override derived ones field by field. */
export function resolveZipInfo(zip: string, known?: Partial<ZipInfo>): ZipInfo {
  const derived = deriveZipInfo(zip);
  if (!known) return derived;
  // Only ZipInfo fields count: a table row may carry other columns (such as `expected`).
  const fields = ["city", "state", "county", "latitude", "longitude", "regionId"] as const;
  const picked = Object.fromEntries(
    fields.filter((field) => known[field] !== undefined).map((f) => [f, known[f]]),
  );
  return { ...derived, ...picked, zip };
}

/** The map bounds the search page reports for a ZIP; they contain every listing of the ZIP. */
export function zipBounds(info: ZipInfo): MapBounds {
  return {
    west: round(info.longitude - BOUNDS_PAD_LON, 6),
    east: round(info.longitude + BOUNDS_PAD_LON, 6),
    south: round(info.latitude - BOUNDS_PAD_LAT, 6),
    north: round(info.latitude + BOUNDS_PAD_LAT, 6),
  };
}

/** Derived ZIPs whose grid cells meet `bounds`; empty when more than `limit` cells would be scanned. */
export function gridZipsInBounds(bounds: MapBounds, limit: number): string[] {
  const rowFrom = Math.max(0, Math.floor((bounds.south - GRID_LAT0) / GRID_ROW_DEG));
  const rowTo = Math.floor((bounds.north - GRID_LAT0) / GRID_ROW_DEG);
  const colFrom = Math.max(0, Math.floor((bounds.west - GRID_LON0) / GRID_COL_DEG));
  const colTo = Math.min(GRID_COLUMNS - 1, Math.floor((bounds.east - GRID_LON0) / GRID_COL_DEG));
  if (rowTo < rowFrom || colTo < colFrom) return [];
  if ((rowTo - rowFrom + 1) * (colTo - colFrom + 1) > limit) return [];
  const zips: string[] = [];
  for (let row = rowFrom; row <= rowTo; row++) {
    for (let column = colFrom; column <= colTo; column++) {
      const cell = row * GRID_COLUMNS + column;
      if (cell < ZIP_SPACE) zips.push(String(cell).padStart(5, "0"));
    }
  }
  return zips;
}

/** Whether a point lies inside `bounds` (edges included). */
export function isInBounds(bounds: MapBounds, latitude: number, longitude: number): boolean {
  return latitude >= bounds.south && latitude <= bounds.north && longitude >= bounds.west &&
    longitude <= bounds.east;
}
