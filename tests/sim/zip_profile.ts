/**
 * What every listing of one ZIP shares under one seed: price level, street names, local brokers, MLS,
 * schools and the condo buildings whose units are grouped into building cards.
 * @module
 */
import { createPrng, type Prng } from "../../shared/prng.ts";
import {
  BROKER_KINDS,
  BROKER_STEMS,
  BUILDING_KINDS,
  BUILDING_STEMS,
  SCHOOL_KINDS,
  STREET_DIRECTIONS,
  STREET_NAMES,
  STREET_SUFFIXES,
} from "./name_lists.ts";
import { drawInt, drawItem, drawLogNormal, drawUniform } from "./random_draws.ts";
import { LISTING_SPREAD_LAT, LISTING_SPREAD_LON, type ZipInfo } from "./zip_info.ts";

/** A condo building. `id` is the site's pseudo-zpid for building cards: "<lat>-<lng>", e.g. "29.76--95.37". */
export interface Building {
  id: string;
  name: string;
  streetLine: string;
  latitude: number;
  longitude: number;
  yearBuilt: number;
  stories: number;
  unitStyle: "APT" | "UNIT" | "#";
}

/** A school near the ZIP, as listed on detail pages. */
export interface School {
  name: string;
  rating: number;
  level: string;
  grades: string;
  distance: number;
  type: string;
}

/** Shared facts for a ZIP under one seed. */
export interface ZipProfile {
  info: ZipInfo;
  pricePerSqft: number;
  landPerAcre: number;
  streets: string[];
  brokers: string[];
  mlsName: string;
  mlsPrefix: string;
  schools: School[];
  buildings: Building[];
}

/** Inputs for `createZipProfile`. */
export interface ZipProfileOptions {
  seed: string;
  info: ZipInfo;
  expected: number;
  /** Share of condo listings that sit in a multi-unit building (0 disables building cards). */
  buildingShare: number;
}

const CONDO_SHARE = 0.14;
const UNITS_PER_BUILDING = 4;
const GRADES: Record<(typeof SCHOOL_KINDS)[number], string> = {
  Elementary: "K-5",
  Middle: "6-8",
  High: "9-12",
};

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A street line such as "1200 N Oak Ave"; the number is part of the line so buildings can reuse it. */
export function drawStreetLine(prng: Prng, streets: readonly string[]): string {
  return `${drawInt(prng, 100, 19999)} ${drawItem(prng, streets)}`;
}

function drawStreets(prng: Prng): string[] {
  const names = prng.sample(STREET_NAMES, 36);
  return names.map((name) => {
    const direction = prng.nextFloat() < 0.15 ? `${drawItem(prng, STREET_DIRECTIONS)} ` : "";
    return `${direction}${name} ${drawItem(prng, STREET_SUFFIXES)}`;
  });
}

function drawBuildings(prng: Prng, options: ZipProfileOptions, streets: string[]) {
  const count = Math.round((options.expected * CONDO_SHARE * options.buildingShare) / UNITS_PER_BUILDING);
  const buildings: Building[] = [];
  for (let i = 0; i < count; i++) {
    const latitude = roundTo(options.info.latitude + drawUniform(prng, -0.8, 0.8) * LISTING_SPREAD_LAT, 5);
    const longitude = roundTo(options.info.longitude + drawUniform(prng, -0.8, 0.8) * LISTING_SPREAD_LON, 5);
    buildings.push({
      id: `${latitude.toFixed(5)}-${longitude.toFixed(5)}`,
      name: `The ${drawItem(prng, BUILDING_STEMS)} ${drawItem(prng, BUILDING_KINDS)}`,
      streetLine: drawStreetLine(prng, streets),
      latitude,
      longitude,
      yearBuilt: drawInt(prng, 1965, 2024),
      stories: drawInt(prng, 4, 32),
      unitStyle: drawItem(prng, ["APT", "UNIT", "#"] as const),
    });
  }
  return buildings;
}

/** Draws the ZIP's shared facts from (seed, ZIP). */
export function createZipProfile(options: ZipProfileOptions): ZipProfile {
  const { info } = options;
  const prng = createPrng(`${options.seed}|${info.zip}|profile`);
  const pricePerSqft = Math.min(1200, Math.max(80, drawLogNormal(prng, 210, 0.45)));
  const streets = drawStreets(prng);
  const brokers = prng.sample(BROKER_STEMS, 5).map((stem) => `${stem} ${drawItem(prng, BROKER_KINDS)}`);
  const schools = SCHOOL_KINDS.map((level) => ({
    name: `${drawItem(prng, STREET_NAMES)} ${level}`,
    rating: drawInt(prng, 2, 10),
    level,
    grades: GRADES[level],
    distance: roundTo(drawUniform(prng, 0.2, 3.5), 1),
    type: "Public",
  }));
  return {
    info,
    pricePerSqft,
    landPerAcre: pricePerSqft * drawUniform(prng, 250, 600),
    streets,
    brokers,
    mlsName: `${info.state} Regional MLS`,
    mlsPrefix: `${info.state}${drawInt(prng, 1, 9)}`,
    schools,
    buildings: drawBuildings(prng, options, streets),
  };
}
