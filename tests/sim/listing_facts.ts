/**
 * The time-invariant facts of one listing (address, size, type, broker, quirks), drawn from its own PRNG
 * so any listing can be rebuilt from its zpid alone. Prices live here only as the first asking price;
 * the timeline scales it.
 * @module
 */
import { createPrng, type Prng } from "../../shared/prng.ts";
import { FIRST_NAMES, LAST_NAMES } from "./name_lists.ts";
import { drawHex, drawInt, drawItem, drawLogNormal, drawUniform, drawWeighted } from "./random_draws.ts";
import { type Building, drawStreetLine, type ZipProfile } from "./zip_profile.ts";
import { LISTING_SPREAD_LAT, LISTING_SPREAD_LON } from "./zip_info.ts";

/** Home types as `hdpData.homeInfo.homeType` spells them. */
export type HomeType =
  | "SINGLE_FAMILY"
  | "CONDO"
  | "TOWNHOUSE"
  | "MULTI_FAMILY"
  | "LOT"
  | "MANUFACTURED"
  | "APARTMENT";

/** Listing sources, as `listing_sub_type` flags. */
export type ListingSource = "FSBA" | "FSBO" | "NEW_CONSTRUCTION" | "FORECLOSURE" | "AUCTION";

/** Which gdpClientCache key the detail page uses; the parser must not depend on key names. */
export type DetailKeyStyle =
  | "ForSalePriorityQuery"
  | "ForSaleShopperPlatformFullRenderQuery"
  | "ForSaleDoubleScrollFullRenderQuery"
  | "VariantQuery";

/** Facts that never change while a listing lives. */
export interface ListingFacts {
  zpid: string;
  zip: string;
  city: string;
  state: string;
  county: string;
  zipPlusFour: string;
  /** Street line with the unit, as `addressStreet` shows it ("1200 Oak St APT 4B"). */
  streetAddress: string;
  /** The unit part alone ("APT 4B", "# 329"), or null. */
  unit: string | null;
  latitude: number;
  longitude: number;
  homeType: HomeType;
  bedrooms: number | null;
  bathrooms: number | null;
  bathroomsFull: number | null;
  bathroomsHalf: number | null;
  livingArea: number | null;
  /** Lot size in square feet (acres × 43 560 when the listing states acres). */
  lotSqft: number | null;
  lotAreaValue: number | null;
  lotAreaUnit: "sqft" | "acres" | null;
  yearBuilt: number | null;
  /** True when the root `yearBuilt` is null on the detail page and only `resoFacts.yearBuilt` has it. */
  yearBuiltOnlyInResoFacts: boolean;
  /** First asking price in USD; later prices are this times a timeline factor. */
  askPrice: number;
  /** Asking prices end in 900 ($349,900) rather than 000. */
  charmPricing: boolean;
  zestimateRatio: number | null;
  rentZestimate: number | null;
  taxAssessedValue: number;
  propertyTaxRate: number;
  monthlyHoaFee: number | null;
  source: ListingSource;
  hasOpenHouse: boolean;
  brokerName: string;
  agentName: string;
  mlsId: string;
  mlsName: string;
  photoCount: number;
  /** Seeds the photo keys and remarks, which are drawn only when a page shows them. */
  mediaKey: string;
  parcelId: string;
  stories: number | null;
  garageSpaces: number | null;
  /** Stable sort key for the default "globalrelevanceex" order. */
  relevance: number;
  /** Search cards show `daysOnZillow: -1` for this listing, a quirk seen in real captures. */
  unknownDaysInSearch: boolean;
  detailKeyStyle: DetailKeyStyle;
  buildingId: string | null;
}

/** Everything `drawListingFacts` needs besides the PRNG. */
export interface FactsContext {
  zpid: string;
  profile: ZipProfile;
  /** Share of condos placed in the profile's buildings. */
  buildingShare: number;
  /** Year of the first listing event, for new construction. */
  listedYear: number;
}

const HOME_TYPES: ReadonlyArray<readonly [HomeType, number]> = [
  ["SINGLE_FAMILY", 62],
  ["CONDO", 14],
  ["TOWNHOUSE", 10],
  ["MULTI_FAMILY", 5],
  ["LOT", 6],
  ["MANUFACTURED", 3],
];
const SOURCES: ReadonlyArray<readonly [ListingSource, number]> = [
  ["FSBA", 86],
  ["FSBO", 4],
  ["NEW_CONSTRUCTION", 5],
  ["FORECLOSURE", 3],
  ["AUCTION", 2],
];
const KEY_STYLES: ReadonlyArray<readonly [DetailKeyStyle, number]> = [
  ["ForSalePriorityQuery", 50],
  ["ForSaleShopperPlatformFullRenderQuery", 20],
  ["ForSaleDoubleScrollFullRenderQuery", 10],
  ["VariantQuery", 20],
];
const SQFT_PER_ACRE = 43_560;

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Rounds a price the way listing agents do: to $1,000, or $500 under $100k. */
export function roundPrice(value: number): number {
  const step = value < 100_000 ? 500 : 1000;
  return Math.max(step, Math.round(value / step) * step);
}

interface Size {
  bedrooms: number | null;
  bathroomsFull: number | null;
  bathroomsHalf: number | null;
  livingArea: number | null;
  lotSqft: number | null;
  acres: boolean;
}

function drawSize(prng: Prng, homeType: HomeType): Size {
  const acresLot = prng.nextFloat() < 0.12;
  switch (homeType) {
    case "LOT": {
      const acres = roundTo(drawLogNormal(prng, 0.9, 0.9), 2);
      return {
        bedrooms: null,
        bathroomsFull: null,
        bathroomsHalf: null,
        livingArea: null,
        lotSqft: Math.round(Math.max(0.1, acres) * SQFT_PER_ACRE),
        acres: true,
      };
    }
    case "CONDO":
    case "APARTMENT": {
      const bedrooms = drawWeighted(prng, [[0, 8], [1, 35], [2, 40], [3, 17]]);
      return {
        bedrooms,
        bathroomsFull: Math.max(1, Math.min(2, bedrooms)),
        bathroomsHalf: prng.nextFloat() < 0.25 ? 1 : 0,
        livingArea: Math.round(420 + bedrooms * 380 + drawUniform(prng, 0, 350)),
        lotSqft: null,
        acres: false,
      };
    }
    default: {
      const range = homeType === "MULTI_FAMILY" ? [4, 8] : homeType === "TOWNHOUSE" ? [2, 4] : [2, 5];
      const bedrooms = drawInt(prng, range[0], range[1]);
      const livingArea = Math.round(
        (homeType === "MANUFACTURED" ? 500 : 650) + bedrooms * drawUniform(prng, 330, 620),
      );
      const lotSqft = homeType === "TOWNHOUSE"
        ? drawInt(prng, 1200, 3200)
        : acresLot
        ? Math.round(drawUniform(prng, 0.25, 5) * SQFT_PER_ACRE)
        : drawInt(prng, 3500, 14000);
      return {
        // Some multi-family cards carry no bed count at all.
        bedrooms: homeType === "MULTI_FAMILY" && prng.nextFloat() < 0.3 ? null : bedrooms,
        bathroomsFull: Math.max(1, Math.round(bedrooms * drawUniform(prng, 0.5, 0.9))),
        bathroomsHalf: prng.nextFloat() < 0.45 ? 1 : 0,
        livingArea,
        lotSqft,
        acres: acresLot && homeType !== "TOWNHOUSE",
      };
    }
  }
}

function drawAskPrice(prng: Prng, profile: ZipProfile, homeType: HomeType, size: Size): number {
  if (homeType === "LOT") {
    return roundPrice((size.lotSqft! / SQFT_PER_ACRE) * drawLogNormal(prng, profile.landPerAcre, 0.4));
  }
  const typeFactor = { CONDO: 0.9, APARTMENT: 0.85, TOWNHOUSE: 0.95, MULTI_FAMILY: 0.8, MANUFACTURED: 0.45 }[
    homeType as string
  ] ?? 1;
  return roundPrice(size.livingArea! * profile.pricePerSqft * typeFactor * drawLogNormal(prng, 1, 0.28));
}

function placeInBuilding(prng: Prng, building: Building): { street: string; unit: string } {
  const floor = drawInt(prng, 2, building.stories);
  const door = prng.nextFloat() < 0.5
    ? String.fromCharCode(65 + prng.nextBelow(6))
    : String(drawInt(prng, 1, 24)).padStart(2, "0");
  const number = `${floor}${door}`;
  const unit = building.unitStyle === "#" ? `# ${number}` : `${building.unitStyle} ${number}`;
  return { street: `${building.streetLine} ${unit}`, unit };
}

/** Draws a listing's facts; the same (PRNG seed, context) always gives the same facts. */
export function drawListingFacts(prng: Prng, context: FactsContext): ListingFacts {
  const { profile, zpid } = context;
  const { info } = profile;
  let homeType = drawWeighted(prng, HOME_TYPES);
  const inBuilding = homeType === "CONDO" && profile.buildings.length > 0 &&
    prng.nextFloat() < context.buildingShare;
  const building = inBuilding ? drawItem(prng, profile.buildings) : null;
  // One real capture has units of one building typed CONDO and APARTMENT; keep that ambiguity alive.
  if (building && prng.nextFloat() < 0.2) homeType = "APARTMENT";
  const size = drawSize(prng, homeType);
  let streetAddress = drawStreetLine(prng, profile.streets);
  let unit: string | null = null;
  let latitude = roundTo(info.latitude + drawUniform(prng, -1, 1) * LISTING_SPREAD_LAT, 6);
  let longitude = roundTo(info.longitude + drawUniform(prng, -1, 1) * LISTING_SPREAD_LON, 6);
  if (building) {
    ({ street: streetAddress, unit } = placeInBuilding(prng, building));
    latitude = building.latitude;
    longitude = building.longitude;
  } else if (homeType === "CONDO" || (homeType === "TOWNHOUSE" && prng.nextFloat() < 0.3)) {
    unit = drawItem(prng, ["APT", "UNIT", "#"]) + " " + drawInt(prng, 1, 40);
    streetAddress = `${streetAddress} ${unit}`;
  }
  const askPrice = drawAskPrice(prng, profile, homeType, size);
  const source = drawWeighted(prng, SOURCES);
  const yearBuilt = homeType === "LOT"
    ? null
    : source === "NEW_CONSTRUCTION"
    ? context.listedYear
    : building
    ? building.yearBuilt
    : drawInt(prng, 1905, context.listedYear - 1);
  const hoa = homeType === "CONDO" || homeType === "APARTMENT"
    ? drawInt(prng, 15, 90) * 10
    : homeType === "TOWNHOUSE" || prng.nextFloat() < 0.2
    ? drawInt(prng, 2, 40) * 10
    : null;
  const zestimateRatio = homeType === "LOT" || prng.nextFloat() < 0.05 ? null : drawUniform(prng, 0.93, 1.08);
  const bathrooms = size.bathroomsFull === null ? null : size.bathroomsFull + (size.bathroomsHalf ?? 0) * 0.5;
  return {
    zpid,
    zip: info.zip,
    city: info.city,
    state: info.state,
    county: info.county,
    zipPlusFour: String(drawInt(prng, 1000, 9999)),
    streetAddress,
    unit,
    latitude,
    longitude,
    homeType,
    bedrooms: size.bedrooms,
    bathrooms,
    bathroomsFull: size.bathroomsFull,
    bathroomsHalf: size.bathroomsHalf,
    livingArea: size.livingArea,
    lotSqft: size.lotSqft,
    lotAreaValue: size.lotSqft === null
      ? null
      : size.acres
      ? roundTo(size.lotSqft / SQFT_PER_ACRE, 2)
      : size.lotSqft,
    lotAreaUnit: size.lotSqft === null ? null : size.acres ? "acres" : "sqft",
    yearBuilt,
    yearBuiltOnlyInResoFacts: yearBuilt !== null && prng.nextFloat() < 0.1,
    askPrice,
    charmPricing: prng.nextFloat() < 0.35,
    zestimateRatio,
    rentZestimate: homeType === "LOT"
      ? null
      : Math.round(askPrice * drawUniform(prng, 0.0045, 0.0075) / 10) * 10,
    taxAssessedValue: Math.round(askPrice * drawUniform(prng, 0.65, 0.92)),
    propertyTaxRate: roundTo(drawUniform(prng, 0.6, 2.4), 2),
    monthlyHoaFee: hoa,
    source,
    hasOpenHouse: prng.nextFloat() < 0.12,
    brokerName: drawItem(prng, profile.brokers),
    agentName: `${drawItem(prng, FIRST_NAMES)} ${drawItem(prng, LAST_NAMES)}`,
    mlsId: `${profile.mlsPrefix}${String(drawInt(prng, 0, 9_999_999)).padStart(7, "0")}`,
    mlsName: profile.mlsName,
    photoCount: prng.nextFloat() < 0.02
      ? 0
      : homeType === "LOT"
      ? drawInt(prng, 1, 6)
      : drawInt(prng, 12, 45),
    mediaKey: drawHex(prng, 16),
    parcelId: `${drawInt(prng, 1000, 9999)}-${drawInt(prng, 100, 999)}-${drawInt(prng, 1000, 9999)}`,
    stories: homeType === "LOT" ? null : building ? 1 : drawInt(prng, 1, 3),
    garageSpaces: homeType === "LOT" || building ? null : drawInt(prng, 0, 3),
    relevance: prng.nextFloat(),
    unknownDaysInSearch: prng.nextFloat() < 0.01,
    detailKeyStyle: drawWeighted(prng, KEY_STYLES),
    buildingId: building?.id ?? null,
  };
}

/** Facts for a zpid under a seed: the PRNG is keyed by both, so one zpid means one home. */
export function listingFactsFor(seed: string, context: FactsContext): ListingFacts {
  return drawListingFacts(createPrng(`${seed}|${context.profile.info.zip}|${context.zpid}|facts`), context);
}
