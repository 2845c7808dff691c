/**
 * Search cards, detail properties and building units mapped to the canonical record's listing columns
 * (anatomy §4.1), smoothing over the representation differences of §2.4: zpids as strings or ints, floats
 * in `homeInfo`, lot area in acres or sqft, `daysOnZillow: -1`, CamelCase home types, statuses spread
 * over several fields. The crawler adds the protocol columns.
 *
 * Just over 400 lines: every field's rule for all three sources side by side, so a column's treatment is
 * read (and compared with the spot check's) in one place.
 * @module
 */
import type { ListingRecord } from "../schemas/listing.ts";
import {
  type JsonObject,
  PageParseError,
  pick,
  pickObject,
  pickObjects,
  toNumber,
  toText,
} from "./page_json.ts";
import { bareDetailUrl, canonicalUrl, streetFromSlug } from "./urls.ts";
import { isValuationPage, listedDateOf } from "./listing_dates.ts";

/** A record's listing columns: everything but the protocol columns the crawler stamps. */
export type ListingFields = Omit<ListingRecord, "epoch_id" | "nonce" | "miner_hotkey" | "scraped_at">;
type ListingStatus = ListingRecord["listing_status"];
type HomeType = ListingRecord["home_type"];
type PriceEvent = NonNullable<ListingRecord["price_history"]>[number];

const SQFT_PER_ACRE = 43_560;
const DAY_MS = 86_400_000;

// Keys are upper-cased with everything but letters removed, so "SINGLE_FAMILY" and "SingleFamily" meet.
const HOME_TYPES: Record<string, HomeType> = {
  SINGLEFAMILY: "SINGLE_FAMILY",
  CONDO: "CONDO",
  CONDOMINIUM: "CONDO",
  TOWNHOUSE: "TOWNHOUSE",
  TOWNHOME: "TOWNHOUSE",
  MULTIFAMILY: "MULTI_FAMILY",
  MANUFACTURED: "MANUFACTURED",
  MANUFACTUREDHOME: "MANUFACTURED",
  MOBILE: "MANUFACTURED",
  LOT: "LOT",
  LAND: "LOT",
  LOTLAND: "LOT",
  APARTMENT: "APARTMENT",
  COOPERATIVE: "COOPERATIVE",
  COOP: "COOPERATIVE",
};
const STATUSES: Record<string, ListingStatus> = {
  FORSALE: "FOR_SALE",
  COMINGSOON: "COMING_SOON",
  PENDING: "PENDING",
  UNDERCONTRACT: "PENDING",
  CONTINGENT: "CONTINGENT",
  SOLD: "SOLD",
  RECENTLYSOLD: "SOLD",
  OFFMARKET: "OFF_MARKET",
};
// Unit designators at the end of a street line ("… APT 6B", "… # 329", "… UNIT C"); the id has a digit
// or is one letter, so a street named "Unit Rd" is not a unit.
const UNIT_SUFFIX = /\s((?:APT|UNIT|STE|SUITE|BLDG|PH|SPC|#)\s*(?:[A-Z0-9-]*\d[A-Z0-9-]*|[A-Z]))$/i;

function letters(value: string): string {
  return value.toUpperCase().replace(/[^A-Z]/g, "");
}

function toInt(value: unknown): number | null {
  const number = toNumber(value);
  return number === null ? null : Math.round(number);
}

function nonNegativeInt(value: unknown): number | null {
  const number = toInt(value);
  return number !== null && number >= 0 ? number : null;
}

/** A zpid as a digit string, from a string or an int; null for pseudo ids such as `42.35--71.13`. */
export function normalizeZpid(value: unknown): string | null {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : toText(value);
  return text !== null && /^\d{1,12}$/.test(text) ? text : null;
}

/** A price in whole USD from a number or a display string ("$1,250,000", "From $350,000", "$1.25M"). */
export function parsePrice(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  if (typeof value !== "string") return null;
  const match = value.match(/\$?\s*(\d[\d,]*(?:\.\d+)?)\s*([KM])?/i);
  if (!match) return null;
  const scale = { K: 1_000, M: 1_000_000 }[match[2]?.toUpperCase() as "K" | "M"] ?? 1;
  return Math.round(Number(match[1].replace(/,/g, "")) * scale);
}

/** Home type from any of the site's spellings ("SINGLE_FAMILY", "SingleFamily", "Condominium"). */
export function homeTypeOf(value: unknown): HomeType {
  return typeof value === "string" ? HOME_TYPES[letters(value)] ?? "OTHER" : "OTHER";
}

/**
 * Listing status from the site's fields: a home status ("FOR_SALE", "RECENTLY_SOLD", "ForSale", …), the
 * contingency type that can be set while the home is still FOR_SALE, and the `listing_sub_type` flags.
 */
export function listingStatusOf(homeStatus: unknown, contingency: unknown, subType: unknown): ListingStatus {
  if (pick(subType, "is_pending") === true) return "PENDING";
  if (pick(subType, "is_comingSoon") === true) return "COMING_SOON";
  const status = typeof homeStatus === "string" ? STATUSES[letters(homeStatus)] ?? "OTHER" : "OTHER";
  return status === "FOR_SALE" && toText(contingency) !== null ? "CONTINGENT" : status;
}

/** Lot size in sqft from a value and its unit ("acres"/"Acres" × 43 560, rounded; "sqft"/"Square Feet"). */
export function lotSizeSqft(value: unknown, unit: unknown): number | null {
  const number = toNumber(value);
  if (number === null || number < 0 || typeof unit !== "string") return null;
  const name = letters(unit);
  if (name.startsWith("ACRE")) return Math.round(number * SQFT_PER_ACRE);
  if (name === "SQFT" || name === "SQUAREFEET") return Math.round(number);
  return null;
}

/** The unit designator at the end of a street line ("APT 6B", "# 329"), or null. */
export function unitOf(street: string): string | null {
  return street.match(UNIT_SUFFIX)?.[1] ?? null;
}

function isoDate(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

function dateOf(value: unknown): string | null {
  const text = toText(value);
  return text !== null && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
}

function coordinate(value: unknown, limit: number): number | null {
  const number = toNumber(value);
  return number !== null && Math.abs(number) <= limit ? number : null;
}

function zipcodeOf(value: unknown): string | null {
  return toText(value)?.match(/^(\d{5})(?:-\d{4})?$/)?.[1] ?? null;
}

/** The address columns, or a `PageParseError` naming the first missing part. */
function addressFields(
  what: string,
  parts: { street: unknown; city: unknown; state: unknown; zipcode: unknown; full?: unknown; unit?: unknown },
) {
  const street = toText(parts.street);
  const city = toText(parts.city);
  const state = toText(parts.state)?.toUpperCase() ?? null;
  const zipcode = zipcodeOf(parts.zipcode);
  const missing = !street
    ? "a street"
    : !city
    ? "a city"
    : !state || !/^[A-Z]{2}$/.test(state)
    ? "a 2-letter state"
    : !zipcode
    ? "a 5-digit ZIP code"
    : null;
  if (missing) throw new PageParseError(`Cannot normalize ${what}: expected ${missing}`);
  return {
    address_full: toText(parts.full) ?? `${street}, ${city}, ${state} ${zipcode}`,
    street: street!,
    unit: toText(parts.unit) ?? unitOf(street!),
    city: city!,
    state: state!,
    zipcode: zipcode!,
  };
}

/** The columns no source knows, for the builders to override. */
function emptyFields(): Omit<
  ListingFields,
  "zpid" | "url" | "address_full" | "street" | "city" | "state" | "zipcode"
> {
  return {
    source: "zillow",
    unit: null,
    zip4: null,
    latitude: null,
    longitude: null,
    price: null,
    listing_status: "OTHER",
    home_type: "OTHER",
    bedrooms: null,
    bathrooms: null,
    living_area_sqft: null,
    lot_size_sqft: null,
    year_built: null,
    days_on_zillow: null,
    listed_date: null,
    zestimate: null,
    rent_zestimate: null,
    tax_assessed_value: null,
    mls_id: null,
    broker_name: null,
    photo_url: null,
    photo_count: null,
    price_history: null,
    detail_enriched: false,
  };
}

// Lots print 0 baths and 0 sqft on cards where the detail page has nothing: zero means unknown there.
function roomCounts(homeType: HomeType, beds: unknown, baths: unknown, area: unknown) {
  const bathrooms = toNumber(baths);
  const bedrooms = nonNegativeInt(beds);
  const isLot = homeType === "LOT";
  return {
    bedrooms: isLot && bedrooms === 0 ? null : bedrooms,
    bathrooms: bathrooms === null || bathrooms < 0 || (isLot && bathrooms === 0) ? null : bathrooms,
    living_area_sqft: nonNegativeInt(area) || null,
  };
}

function zpidOrThrow(value: unknown, what: string): string {
  const zpid = normalizeZpid(value);
  if (!zpid) {
    throw new PageParseError(`Cannot normalize ${what}: expected a numeric zpid, got "${String(value)}"`);
  }
  return zpid;
}

function linkOrThrow(value: unknown, what: string): string {
  const href = toText(value);
  if (!href) throw new PageParseError(`Cannot normalize ${what}: expected a detail URL`);
  return canonicalUrl(href);
}

/**
 * A search card (`listResults[]` item) as listing columns. `scrapedAt` dates the listing from its time on
 * the site. Throws a `PageParseError` when the card lacks a numeric zpid, a link or an address part.
 */
export function normalizeSearchCard(card: JsonObject, scrapedAt: Date): ListingFields {
  const info = pickObject(card, "hdpData.homeInfo") ?? {};
  const zpid = zpidOrThrow(card.zpid ?? info.zpid, "search card");
  const what = `search card "${zpid}"`;
  const homeType = homeTypeOf(info.homeType);
  const days = toInt(info.daysOnZillow);
  // 2023 map cards carry the time on the card itself, with `daysOnZillow: -1` under homeInfo.
  const timeOnSite = toNumber(info.timeOnZillow ?? card.timeOnZillow);
  // Time on the site (ms) dates the listing exactly; whole days only to within a day.
  const ageMs = timeOnSite !== null && timeOnSite >= 0
    ? timeOnSite
    : days !== null && days >= 0
    ? days * DAY_MS
    : null;
  const url = linkOrThrow(card.detailUrl, what);
  const city = card.addressCity ?? info.city;
  const state = card.addressState ?? info.state;
  const zipcode = card.addressZipcode ?? info.zipcode;
  return {
    ...emptyFields(),
    zpid,
    url,
    ...addressFields(what, {
      street: card.addressStreet ?? info.streetAddress ?? streetFromSlug(url, city, state, zipcode),
      city,
      state,
      zipcode,
      full: card.address === "--" ? null : card.address,
      unit: info.unit,
    }),
    latitude: coordinate(pick(card, "latLong.latitude") ?? info.latitude, 90),
    longitude: coordinate(pick(card, "latLong.longitude") ?? info.longitude, 180),
    price: parsePrice(card.unformattedPrice ?? info.price ?? card.price),
    listing_status: listingStatusOf(
      info.homeStatus ?? card.statusType,
      info.contingentListingType,
      info.listing_sub_type,
    ),
    home_type: homeType,
    ...roomCounts(
      homeType,
      card.beds ?? info.bedrooms,
      card.baths ?? info.bathrooms,
      card.area ?? info.livingArea,
    ),
    lot_size_sqft: lotSizeSqft(info.lotAreaValue, info.lotAreaUnit),
    days_on_zillow: days !== null && days >= 0 ? days : null,
    listed_date: ageMs === null ? null : isoDate(scrapedAt.getTime() - ageMs),
    zestimate: toInt(info.zestimate ?? card.zestimate),
    rent_zestimate: toInt(info.rentZestimate),
    tax_assessed_value: toNumber(info.taxAssessedValue),
    broker_name: toText(card.brokerName),
    photo_url: card.hasImage === false ? null : toText(card.imgSrc),
  };
}

function priceHistoryOf(property: JsonObject): PriceEvent[] | null {
  if (!Array.isArray(property.priceHistory)) return null;
  const events: PriceEvent[] = [];
  for (const entry of pickObjects(property, "priceHistory")) {
    const time = toNumber(entry.time);
    const date = dateOf(entry.date) ?? (time === null ? null : isoDate(time));
    const event = toText(entry.event);
    if (date && event) events.push({ date, event, price: toInt(entry.price) });
  }
  return events;
}

function photoUrlOf(property: JsonObject): string | null {
  const link = toText(property.hiResImageLink) ?? toText(property.mediumImageLink) ??
    toText(property.desktopWebHdpImageLink);
  if (link) return link;
  const sizes = pickObjects(property, "photos.0.mixedSources.jpeg");
  return sizes.length > 0 ? toText(sizes[sizes.length - 1].url) : null;
}

/**
 * A detail page's `property` as listing columns; throws a `PageParseError` like `normalizeSearchCard`.
 * A missing `hdpUrl` gives `bareDetailUrl`; a valuation page is OFF_MARKET and its `price` (the Zestimate)
 * is no price.
 */
export function normalizeDetailProperty(property: JsonObject): ListingFields {
  const zpid = zpidOrThrow(property.zpid, "detail property");
  const what = `detail property "${zpid}"`;
  const address = pickObject(property, "address") ?? {};
  const homeType = homeTypeOf(property.homeType ?? pick(property, "resoFacts.homeType"));
  const history = priceHistoryOf(property);
  const zip4 = toText(property.zipPlusFour);
  const photoCount = nonNegativeInt(property.photoCount);
  // A valuation page (homeStatus OTHER, hdpTypeDimension Zestimate) shows a home that is not listed.
  const valuation = isValuationPage(property);
  return {
    ...emptyFields(),
    zpid,
    url: toText(property.hdpUrl) === null ? bareDetailUrl(zpid) : linkOrThrow(property.hdpUrl, what),
    ...addressFields(what, {
      street: address.streetAddress ?? property.streetAddress,
      city: address.city ?? property.city,
      state: address.state ?? property.state,
      zipcode: address.zipcode ?? property.zipcode,
    }),
    zip4: zip4 !== null && /^\d{4}$/.test(zip4) ? zip4 : null,
    latitude: coordinate(property.latitude, 90),
    longitude: coordinate(property.longitude, 180),
    price: valuation ? null : parsePrice(property.price),
    listing_status: valuation ? "OFF_MARKET" : listingStatusOf(
      property.homeStatus,
      property.contingentListingType,
      property.listing_sub_type ?? property.listingSubType,
    ),
    home_type: homeType,
    ...roomCounts(
      homeType,
      property.bedrooms,
      property.bathrooms,
      property.livingArea ?? property.livingAreaValue,
    ),
    lot_size_sqft: nonNegativeInt(property.lotSize) ??
      lotSizeSqft(property.lotAreaValue, property.lotAreaUnits),
    year_built: toInt(property.yearBuilt) ?? toInt(pick(property, "resoFacts.yearBuilt")),
    days_on_zillow: nonNegativeInt(property.daysOnZillow),
    listed_date: listedDateOf(property, history, dateOf(property.datePostedString)),
    zestimate: toInt(property.zestimate),
    rent_zestimate: toInt(property.rentZestimate),
    tax_assessed_value: toNumber(property.taxAssessedValue),
    mls_id: toText(pick(property, "attributionInfo.mlsId")) ?? toText(property.mlsid),
    broker_name: toText(pick(property, "attributionInfo.brokerName")) ?? toText(property.brokerageName),
    photo_url: photoUrlOf(property),
    photo_count: photoCount,
    price_history: history,
    detail_enriched: true,
  };
}

/**
 * A unit listed on a building page as listing columns, its address taken from the building. Units carry
 * no home type; CONDO is recorded, which validators treat as one class with APARTMENT and COOPERATIVE
 * (anatomy §4.2).
 */
export function normalizeBuildingUnit(unit: JsonObject, building: JsonObject): ListingFields {
  const zpid = zpidOrThrow(unit.zpid, "building unit");
  const what = `building unit "${zpid}"`;
  const number = toText(unit.unitNumber);
  const street = toText(pick(building, "address.streetAddress"));
  return {
    ...emptyFields(),
    zpid,
    url: linkOrThrow(unit.hdpUrl, what),
    ...addressFields(what, {
      street: street && number ? `${street} ${number}` : street,
      city: pick(building, "address.city"),
      state: pick(building, "address.state"),
      zipcode: pick(building, "address.zipcode"),
      unit: number,
    }),
    latitude: coordinate(building.latitude, 90),
    longitude: coordinate(building.longitude, 180),
    price: parsePrice(unit.price),
    listing_status: listingStatusOf(unit.homeStatus ?? unit.listingType, null, null),
    home_type: "CONDO",
    ...roomCounts("CONDO", unit.beds, unit.baths, unit.sqft),
  };
}

/**
 * Search facts with every fact the detail page knows laid over them; marks the result `detail_enriched`.
 * A detail page that named no URL keeps the search card's.
 */
export function mergeDetail(search: ListingFields, detail: ListingFields): ListingFields {
  const merged: Record<string, unknown> = { ...search };
  for (const [key, value] of Object.entries(detail)) {
    if (value !== null) merged[key] = value;
  }
  if (detail.url === bareDetailUrl(detail.zpid)) merged.url = search.url;
  return { ...(merged as ListingFields), detail_enriched: true };
}
