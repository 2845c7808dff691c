/**
 * Search result items in the shapes of `listResults[]` and `mapResults[]`, keeping the real type quirks:
 * zpid a string on the card but an int in `hdpData.homeInfo`, floats in homeInfo, no `beds` on lots,
 * `daysOnZillow: -1` now and then, and building cards with a "lat--lng" pseudo-zpid.
 * @module
 */
import type { SimListing } from "./inventory.ts";
import type { HomeType } from "./listing_facts.ts";
import { buildingPath, detailPath, fullAddress } from "./listing_urls.ts";
import { PHOTO_BASE, photoKeys, photoUrl } from "./listing_media.ts";
import { asFloat } from "./next_data.ts";
import type { SearchItem } from "./search_engine.ts";
import type { Building } from "./zip_profile.ts";
import { resolveZipInfo } from "./zip_info.ts";
import { DAY_MS } from "./zpid_codec.ts";

/** How a page prints detail URLs: `origin` is prefixed to the share of cards given by `absoluteShare`. */
export interface CardStyle {
  origin: string;
  absoluteShare: number;
}

const TYPE_TEXT: Record<HomeType, string> = {
  SINGLE_FAMILY: "House",
  CONDO: "Condo",
  APARTMENT: "Apartment",
  TOWNHOUSE: "Townhouse",
  MULTI_FAMILY: "Multi-family home",
  LOT: "Lot / Land",
  MANUFACTURED: "Manufactured home",
};
const SOURCE_TEXT: Record<string, string> = {
  FSBA: "For Sale by Agent",
  FSBO: "For Sale by Owner",
  NEW_CONSTRUCTION: "New Construction",
  FORECLOSURE: "Foreclosure",
  AUCTION: "Auction",
};
const SUB_TYPE_FLAGS: Record<string, string> = {
  FSBA: "is_FSBA",
  FSBO: "is_FSBO",
  NEW_CONSTRUCTION: "is_newHome",
  FORECLOSURE: "is_foreclosure",
  AUCTION: "is_forAuction",
};

/** "$1,250,000" */
export function formatPrice(price: number): string {
  return `$${price.toLocaleString("en-US")}`;
}

/** "$1.25M" / "$350K": the short label on map markers. */
function shortPrice(price: number): string {
  if (price >= 1_000_000) return `$${(price / 1_000_000).toFixed(2).replace(/\.?0+$/, "")}M`;
  return `$${Math.round(price / 1000)}K`;
}

/** The site's home status for a listing: FOR_SALE (contingent included), PENDING or RECENTLY_SOLD. */
export function homeStatusOf(listing: SimListing): string {
  if (listing.status === "PENDING") return "PENDING";
  if (listing.status === "SOLD") return "RECENTLY_SOLD";
  if (listing.status === "OFF_MARKET") return "OFF_MARKET";
  return "FOR_SALE";
}

function statusTexts(
  listing: SimListing,
): { statusType: string; statusText: string; raw: string; marketing: string } {
  if (listing.status === "SOLD") {
    return { statusType: "RECENTLY_SOLD", statusText: "Sold", raw: "RecentlySold", marketing: "Sold" };
  }
  const saleText = `${TYPE_TEXT[listing.homeType]} for sale`;
  if (listing.status === "PENDING") {
    return { statusType: "FOR_SALE", statusText: "Pending", raw: "Pending", marketing: "Pending" };
  }
  return {
    statusType: "FOR_SALE",
    statusText: saleText,
    raw: "ForSale",
    marketing: SOURCE_TEXT[listing.source],
  };
}

/** `listing_sub_type` flags. */
export function subTypeFlags(listing: SimListing): Record<string, boolean> {
  const flags: Record<string, boolean> = { [SUB_TYPE_FLAGS[listing.source]]: true };
  if (listing.hasOpenHouse) flags.is_openHouse = true;
  if (listing.source === "FORECLOSURE") flags.is_bankOwned = true;
  if (listing.status === "PENDING") flags.is_pending = true;
  return flags;
}

// Detail URLs are absolute on some cards and relative on others; a stable per-zpid draw decides which.
function printedDetailUrl(path: string, id: string, style: CardStyle): string {
  const bucket = Number(id.replace(/\D/g, "").slice(-3) || "0") / 1000;
  return bucket < style.absoluteShare ? style.origin + path : path;
}

function variableData(listing: SimListing): Record<string, string> | null {
  const ageMs = listing.atMs - listing.listedAtMs;
  if (listing.status !== "FOR_SALE" && listing.status !== "CONTINGENT") return null;
  if (ageMs < DAY_MS) {
    return { type: "TIME_ON_INFO", text: `${Math.max(1, Math.floor(ageMs / 3_600_000))} hours ago` };
  }
  if (listing.hasOpenHouse) return { type: "OPEN_HOUSE", text: "Open: Sat 1-4pm" };
  const cut = listing.priceHistory[0];
  const before = listing.priceHistory[1];
  if (cut?.event === "Price change" && before && before.price > cut.price) {
    const day = new Date(cut.timeMs).toLocaleDateString("en-US", {
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    });
    return { type: "PRICE_REDUCTION", text: `${formatPrice(before.price - cut.price)} (${day})` };
  }
  return null;
}

/** The `hdpData.homeInfo` object of a card. */
export function homeInfo(listing: SimListing): Record<string, unknown> {
  const isLot = listing.homeType === "LOT";
  const info: Record<string, unknown> = {
    zpid: Number(listing.zpid),
    streetAddress: listing.streetAddress,
    zipcode: listing.zip,
    city: listing.city,
    state: listing.state,
    latitude: listing.latitude,
    longitude: listing.longitude,
    price: asFloat(listing.price),
    bathrooms: asFloat(isLot ? 0 : listing.bathrooms),
    livingArea: asFloat(isLot ? 0 : listing.livingArea),
    homeType: listing.homeType,
    homeStatus: homeStatusOf(listing),
    daysOnZillow: listing.unknownDaysInSearch ? -1 : listing.daysOnZillow,
    isFeatured: false,
    shouldHighlight: false,
    zestimate: listing.zestimate ?? undefined,
    rentZestimate: listing.rentZestimate ?? undefined,
    listing_sub_type: subTypeFlags(listing),
    homeStatusForHDP: homeStatusOf(listing),
    priceForHDP: asFloat(listing.price),
    timeOnZillow: Math.max(0, listing.atMs - listing.listedAtMs),
    isNonOwnerOccupied: true,
    isPremierBuilder: false,
    isZillowOwned: false,
    currency: "USD",
    country: "USA",
    taxAssessedValue: asFloat(listing.taxAssessedValue),
    lotAreaValue: asFloat(listing.lotAreaValue),
    lotAreaUnit: listing.lotAreaUnit ?? undefined,
    isShowcaseListing: false,
  };
  if (listing.unit) info.unit = listing.unit;
  if (listing.status === "CONTINGENT") info.contingentListingType = "UNDER_CONTRACT";
  if (listing.soldAtMs !== null) info.dateSold = listing.soldAtMs;
  if (listing.bedrooms !== null) info.bedrooms = asFloat(listing.bedrooms);
  return info;
}

/** One `listResults[]` card for a listing. */
export function listingCard(
  listing: SimListing,
  relaxed: boolean,
  style: CardStyle,
): Record<string, unknown> {
  const texts = statusTexts(listing);
  const keys = photoKeys(listing, 5);
  const isLot = listing.homeType === "LOT";
  const card: Record<string, unknown> = {
    zpid: listing.zpid,
    id: listing.zpid,
    providerListingId: null,
    rawHomeStatusCd: texts.raw,
    marketingStatusSimplifiedCd: texts.marketing,
    imgSrc: keys.length > 0
      ? photoUrl(keys[0], "p_e")
      : `https://maps.example.invalid/static/${listing.zpid}.png`,
    hasImage: keys.length > 0,
    detailUrl: printedDetailUrl(detailPath(listing), listing.zpid, style),
    statusType: texts.statusType,
    statusText: texts.statusText,
    countryCurrency: "$",
    price: formatPrice(listing.price),
    unformattedPrice: listing.price,
    address: fullAddress(listing),
    addressStreet: listing.streetAddress,
    addressCity: listing.city,
    addressState: listing.state,
    addressZipcode: listing.zip,
    isUndisclosedAddress: false,
    baths: asFloat(isLot ? 0 : listing.bathrooms),
    area: isLot ? 0 : listing.livingArea,
    latLong: { latitude: listing.latitude, longitude: listing.longitude },
    hdpData: { homeInfo: homeInfo(listing) },
    zestimate: listing.zestimate ?? undefined,
    has3DModel: listing.photoCount > 30,
    hasVideo: false,
    isFeaturedListing: false,
    isShowcaseListing: false,
    list: true,
    relaxed,
    brokerName: listing.brokerName,
    info6String: listing.agentName,
    carouselPhotosComposable: {
      baseUrl: `${PHOTO_BASE}/{photoKey}-p_e.jpg`,
      photoData: keys.map((photoKey) => ({ photoKey })),
    },
    hasOpenHouse: listing.hasOpenHouse,
  };
  const variable = variableData(listing);
  if (variable) card.variableData = variable;
  if (listing.status === "CONTINGENT") card.flexFieldText = "Under contract";
  if (listing.bedrooms !== null) card.beds = listing.bedrooms;
  return card;
}

/** One `listResults[]` card for a condo building: no numeric zpid, units summarized without zpids. */
export function buildingCard(building: Building, zip: string, units: SimListing[], style: CardStyle) {
  const info = resolveZipInfo(zip, { city: units[0].city, state: units[0].state, county: units[0].county });
  const sorted = [...units].sort((a, b) => a.price - b.price || (a.zpid < b.zpid ? -1 : 1));
  const keys = photoKeys(sorted[0], 1);
  return {
    zpid: building.id,
    id: building.id,
    imgSrc: keys.length > 0 ? photoUrl(keys[0], "p_e") : null,
    hasImage: keys.length > 0,
    detailUrl: printedDetailUrl(buildingPath(building, info), building.id, style),
    statusType: "FOR_SALE",
    statusText: building.name,
    countryCurrency: "$",
    price: `From ${formatPrice(sorted[0].price)}`,
    address: `${building.streetLine}, ${info.city}, ${info.state} ${zip}`,
    addressStreet: building.streetLine,
    addressCity: info.city,
    addressState: info.state,
    addressZipcode: zip,
    isUndisclosedAddress: false,
    latLong: { latitude: building.latitude, longitude: building.longitude },
    isBuilding: true,
    buildingName: building.name,
    canSaveBuilding: true,
    unitCount: units.length,
    units: sorted.map((unit) => ({
      price: formatPrice(unit.price),
      beds: unit.bedrooms === null ? undefined : String(unit.bedrooms),
      roomForRent: false,
    })),
    list: true,
    relaxed: false,
  };
}

/** A `listResults[]` entry for any search item. */
export function resultCard(item: SearchItem, style: CardStyle): Record<string, unknown> {
  if (item.kind === "building") return buildingCard(item.building, item.zip, item.units, style);
  return listingCard(item.listing, item.relaxed, style);
}

/** A `mapResults[]` marker: a slimmer card with a short price label. */
export function mapMarker(item: SearchItem, style: CardStyle): Record<string, unknown> {
  if (item.kind === "building") {
    const card = buildingCard(item.building, item.zip, item.units, style);
    return {
      zpid: card.zpid,
      isBuilding: true,
      price: card.price,
      latLong: card.latLong,
      detailUrl: card.detailUrl,
    };
  }
  const { listing } = item;
  const texts = statusTexts(listing);
  return {
    zpid: listing.zpid,
    price: formatPrice(listing.price),
    priceLabel: shortPrice(listing.price),
    beds: listing.bedrooms ?? undefined,
    baths: listing.homeType === "LOT" ? 0 : listing.bathrooms,
    area: listing.livingArea ?? undefined,
    latLong: { latitude: listing.latitude, longitude: listing.longitude },
    statusType: texts.statusType,
    statusText: texts.statusText,
    isFavorite: false,
    isUserClaimingOwner: false,
    isUserConfirmedClaim: false,
    imgSrc: listing.photoCount > 0 ? photoUrl(photoKeys(listing, 1)[0], "p_e") : null,
    hasImage: listing.photoCount > 0,
    visited: false,
    listingType: "",
    detailUrl: printedDetailUrl(detailPath(listing), listing.zpid, style),
    hdpData: { homeInfo: homeInfo(listing) },
    relaxed: false,
  };
}
