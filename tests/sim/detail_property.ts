/**
 * The detail page's `property` object (anatomy §2.2 / §5.4), with the detail-side representations that
 * differ from search: ints instead of floats, `timeOnZillow` as "N days", lot size always in sqft,
 * CamelCase `resoFacts.homeType` and unit-suffixed strings, `yearBuilt` sometimes only in `resoFacts`.
 * @module
 */
import type { PriceEvent, SimListing } from "./inventory.ts";
import type { HomeType } from "./listing_facts.ts";
import { detailPath } from "./listing_urls.ts";
import { describeListing, PHOTO_WIDTHS, photoKeys, photoUrl } from "./listing_media.ts";
import { homeStatusOf } from "./search_cards.ts";
import type { School } from "./zip_profile.ts";
import { DAY_MS } from "./zpid_codec.ts";

const RESO_TYPES: Record<HomeType, string> = {
  SINGLE_FAMILY: "SingleFamily",
  CONDO: "Condominium",
  APARTMENT: "Apartment",
  TOWNHOUSE: "Townhouse",
  MULTI_FAMILY: "MultiFamily",
  LOT: "Land",
  MANUFACTURED: "ManufacturedHome",
};
const TYPE_DIMENSIONS: Record<HomeType, string> = {
  SINGLE_FAMILY: "Single Family",
  CONDO: "Condo",
  APARTMENT: "Apartment",
  TOWNHOUSE: "Townhouse",
  MULTI_FAMILY: "Multi Family",
  LOT: "Lot",
  MANUFACTURED: "Manufactured",
};
const KEYSTONE: Record<string, string> = {
  FOR_SALE: "ForSale",
  PENDING: "Pending",
  RECENTLY_SOLD: "RecentlySold",
  OFF_MARKET: "OffMarket",
};

/** Inputs besides the listing. */
export interface DetailContext {
  schools: School[];
  nearby: SimListing[];
  /** Serve the real page variants (`realVariants`): valuation pages, missing `hdpUrl`. */
  variants?: boolean;
}

function sqftText(value: number): string {
  return `${value.toLocaleString("en-US")} sqft`;
}

/** A fictional 555-01xx phone number derived from the listing's media key. */
function phoneFor(key: string, salt: number): string {
  const digits = parseInt(key.slice(salt, salt + 4), 16) % 100;
  return `555-01${String(digits).padStart(2, "0")}`;
}

function photoSet(key: string) {
  return {
    caption: "",
    mixedSources: {
      jpeg: PHOTO_WIDTHS.map((width) => ({ url: photoUrl(key, `cc_ft_${width}`), width })),
      webp: PHOTO_WIDTHS.map((width) => ({ url: photoUrl(key, `cc_ft_${width}`, "webp"), width })),
    },
  };
}

function priceHistoryEntries(listing: SimListing) {
  // Oldest first to compute change rates, then newest first as the site lists them.
  const oldestFirst = [...listing.priceHistory].reverse();
  const entries = oldestFirst.map((event: PriceEvent, i) => {
    const previous = i > 0 ? oldestFirst[i - 1].price : event.price;
    return {
      date: event.date,
      time: event.timeMs,
      price: event.price,
      pricePerSquareFoot: listing.livingArea ? Math.round(event.price / listing.livingArea) : 0,
      priceChangeRate: previous ? Math.round(((event.price - previous) / previous) * 10_000) / 10_000 : 0,
      event: event.event,
      source: listing.mlsName,
      buyerAgent: null,
      sellerAgent: null,
      showCountyLink: false,
      postingIsRental: false,
      attributeSource: {
        infoString1: listing.mlsId,
        infoString2: listing.mlsName,
        infoString3: listing.agentName,
      },
    };
  });
  return entries.reverse();
}

function taxHistory(listing: SimListing) {
  const year = new Date(listing.atMs).getUTCFullYear();
  return Array.from({ length: 8 }, (_, i) => {
    const value = Math.round(listing.taxAssessedValue / 1.04 ** i);
    return {
      time: Date.UTC(year - 1 - i, 0, 1),
      taxPaid: Math.round(value * listing.propertyTaxRate) / 100,
      taxIncreaseRate: 0.04,
      value,
      valueIncreaseRate: 0.04,
    };
  });
}

function resoFacts(listing: SimListing) {
  const isLot = listing.homeType === "LOT";
  return {
    yearBuilt: listing.yearBuilt,
    bedrooms: listing.bedrooms,
    bathrooms: listing.bathrooms,
    bathroomsFull: listing.bathroomsFull,
    bathroomsHalf: listing.bathroomsHalf || null,
    bathroomsThreeQuarter: null,
    homeType: RESO_TYPES[listing.homeType],
    livingArea: listing.livingArea === null ? null : sqftText(listing.livingArea),
    lotSize: listing.lotSqft === null
      ? null
      : listing.lotAreaUnit === "acres"
      ? `${listing.lotAreaValue} Acres`
      : sqftText(listing.lotSqft),
    pricePerSquareFoot: listing.livingArea ? Math.round(listing.price / listing.livingArea) : null,
    propertySubType: [isLot ? "Unimproved Land" : `${TYPE_DIMENSIONS[listing.homeType]} Residence`],
    garageParkingCapacity: listing.garageSpaces,
    parkingCapacity: listing.garageSpaces,
    hasGarage: (listing.garageSpaces ?? 0) > 0,
    stories: listing.stories,
    levels: listing.stories === null
      ? null
      : `${listing.stories === 1 ? "One" : listing.stories === 2 ? "Two" : "Three Or More"}`,
    heating: isLot ? [] : ["Central", "Natural Gas"],
    cooling: isLot ? [] : ["Central Air", "Electric"],
    flooring: isLot ? [] : ["Carpet", "Tile", "Wood"],
    appliances: isLot ? [] : ["Dishwasher", "Disposal", "Microwave", "Range", "Refrigerator"],
    laundryFeatures: isLot ? [] : ["In Unit"],
    fireplaces: null,
    hasFireplace: false,
    hasPrivatePool: false,
    hasView: false,
    hasWaterfrontView: false,
    parcelNumber: listing.parcelId,
    onMarketDate: listing.listedAtMs,
    cumulativeDaysOnMarket: `${listing.daysOnZillow} days`,
    associationFee: listing.monthlyHoaFee === null ? null : `$${listing.monthlyHoaFee} monthly`,
    hasAssociation: listing.monthlyHoaFee !== null,
    taxAnnualAmount: Math.round(listing.taxAssessedValue * listing.propertyTaxRate) / 100,
    taxAssessedValue: listing.taxAssessedValue,
    constructionMaterials: isLot ? [] : ["Brick", "Wood Siding"],
    roofType: isLot ? null : "Composition",
    foundationDetails: isLot ? [] : ["Slab"],
    sewer: ["Public Sewer"],
    waterSource: ["Public"],
    utilities: ["Electricity Available", "Sewer Available", "Water Available"],
    zoning: isLot ? "R-1" : null,
    lotFeatures: [],
    exteriorFeatures: [],
    interiorFeatures: isLot ? [] : ["High Ceilings", "Walk-In Closet(s)"],
    securityFeatures: [],
    atAGlanceFacts: [
      { factLabel: "Type", factValue: TYPE_DIMENSIONS[listing.homeType] },
      {
        factLabel: "Year Built",
        factValue: listing.yearBuilt === null ? null : `Built in ${listing.yearBuilt}`,
      },
      { factLabel: "HOA", factValue: listing.monthlyHoaFee === null ? null : `$${listing.monthlyHoaFee}/mo` },
    ],
  };
}

function nearbyHome(home: SimListing) {
  return {
    zpid: Number(home.zpid),
    price: home.price,
    homeStatus: homeStatusOf(home),
    homeType: home.homeType,
    bedrooms: home.bedrooms,
    bathrooms: home.bathrooms,
    livingArea: home.livingArea,
    latitude: home.latitude,
    longitude: home.longitude,
    hdpUrl: detailPath(home),
    address: { streetAddress: home.streetAddress, city: home.city, state: home.state, zipcode: home.zip },
    miniCardPhotos: home.photoCount > 0 ? [{ url: photoUrl(photoKeys(home, 1)[0], "p_c") }] : [],
  };
}

/** Listing sub-type flags with every key present, as the detail page shows them. */
function fullSubType(listing: SimListing) {
  return {
    is_newHome: listing.source === "NEW_CONSTRUCTION",
    is_FSBO: listing.source === "FSBO",
    is_FSBA: listing.source === "FSBA",
    is_foreclosure: listing.source === "FORECLOSURE",
    is_bankOwned: listing.source === "FORECLOSURE",
    is_forAuction: listing.source === "AUCTION",
    is_comingSoon: false,
    is_pending: listing.status === "PENDING",
    is_openHouse: listing.hasOpenHouse,
  };
}

/** The full `property` object for the detail page. */
export function detailProperty(listing: SimListing, context: DetailContext): Record<string, unknown> {
  const status = homeStatusOf(listing);
  const keys = photoKeys(listing);
  const changeIndex = listing.priceHistory.findIndex((event) => event.event === "Price change");
  const lastChange = changeIndex >= 0 ? listing.priceHistory[changeIndex] : null;
  // History is newest first, so the price before the change is the next line.
  const priceBefore = changeIndex >= 0 ? listing.priceHistory[changeIndex + 1]?.price ?? null : null;
  const lastSold = listing.priceHistory.find((event) => event.event === "Sold");
  const days = listing.daysOnZillow;
  return {
    zpid: Number(listing.zpid),
    hdpUrl: detailPath(listing),
    address: {
      streetAddress: listing.streetAddress,
      city: listing.city,
      state: listing.state,
      zipcode: listing.zip,
      neighborhood: null,
      community: null,
      subdivision: null,
    },
    streetAddress: listing.streetAddress,
    city: listing.city,
    state: listing.state,
    zipcode: listing.zip,
    zipPlusFour: listing.zipPlusFour,
    abbreviatedAddress: listing.streetAddress,
    county: listing.county,
    countyFIPS: listing.zip,
    parcelId: listing.parcelId,
    regionString: `${listing.city} ${listing.state} ${listing.zip}`,
    latitude: listing.latitude,
    longitude: listing.longitude,
    price: listing.price,
    currency: "USD",
    homeStatus: status,
    keystoneHomeStatus: KEYSTONE[status],
    hdpTypeDimension: KEYSTONE[status],
    homeType: listing.homeType,
    propertyTypeDimension: TYPE_DIMENSIONS[listing.homeType],
    contingentListingType: listing.status === "CONTINGENT" ? "UNDER_CONTRACT" : null,
    listing_sub_type: fullSubType(listing),
    listingSubType: fullSubType(listing),
    bedrooms: listing.bedrooms,
    bathrooms: listing.bathrooms,
    livingArea: listing.livingArea,
    livingAreaValue: listing.livingArea,
    livingAreaUnits: "Square Feet",
    livingAreaUnitsShort: "sqft",
    lotSize: listing.lotSqft,
    lotAreaValue: listing.lotAreaValue,
    lotAreaUnits: listing.lotAreaUnit === null
      ? null
      : listing.lotAreaUnit === "acres"
      ? "Acres"
      : "Square Feet",
    yearBuilt: listing.yearBuiltOnlyInResoFacts ? null : listing.yearBuilt,
    zestimate: listing.zestimate,
    rentZestimate: listing.rentZestimate,
    zestimateLowPercent: "5",
    zestimateHighPercent: "6",
    daysOnZillow: days,
    timeOnZillow: `${days} ${days === 1 ? "day" : "days"}`,
    datePostedString: new Date(listing.listedAtMs).toISOString().slice(0, 10),
    pageViewCount: 40 +
      Math.floor(((listing.atMs - listing.firstListedAtMs) / DAY_MS) * (3 + listing.relevance * 20)),
    favoriteCount: Math.floor(((listing.atMs - listing.firstListedAtMs) / DAY_MS) * listing.relevance * 0.6),
    monthlyHoaFee: listing.monthlyHoaFee,
    propertyTaxRate: listing.propertyTaxRate,
    taxAssessedValue: listing.taxAssessedValue,
    taxAssessedYear: new Date(listing.atMs).getUTCFullYear() - 1,
    mlsid: listing.mlsId,
    brokerageName: listing.brokerName,
    priceChange: priceBefore === null || !lastChange ? null : lastChange.price - priceBefore,
    priceChangeDate: lastChange?.timeMs ?? null,
    priceChangeDateString: lastChange?.date ?? null,
    lastSoldPrice: lastSold?.price ?? null,
    dateSold: listing.soldAtMs,
    dateSoldString: lastSold?.date ?? null,
    description: describeListing(listing),
    attributionInfo: {
      mlsId: listing.mlsId,
      mlsName: listing.mlsName,
      agentName: listing.agentName,
      agentPhoneNumber: phoneFor(listing.mediaKey, 0),
      agentEmail: null,
      agentLicenseNumber: null,
      brokerName: listing.brokerName,
      brokerPhoneNumber: phoneFor(listing.mediaKey, 4),
      lastUpdated: new Date(listing.lastEventMs).toISOString(),
      lastChecked: new Date(listing.atMs).toISOString(),
      providerLogo: null,
    },
    listedBy: [
      {
        id: "LISTING_AGENT",
        elements: [{ id: "NAME", text: listing.agentName }, {
          id: "PHONE",
          text: phoneFor(listing.mediaKey, 0),
        }],
      },
      {
        id: "BROKER",
        elements: [{ id: "NAME", text: listing.brokerName }, {
          id: "PHONE",
          text: phoneFor(listing.mediaKey, 4),
        }],
      },
    ],
    resoFacts: resoFacts(listing),
    priceHistory: priceHistoryEntries(listing),
    taxHistory: taxHistory(listing),
    photoCount: keys.length,
    photos: keys.map(photoSet),
    responsivePhotos: keys.map(photoSet),
    hiResImageLink: keys.length > 0 ? photoUrl(keys[0], "uncropped_scaled_within_1536_1152") : null,
    mediumImageLink: keys.length > 0 ? photoUrl(keys[0], "cc_ft_384") : null,
    desktopWebHdpImageLink: keys.length > 0 ? photoUrl(keys[0], "cc_ft_1536") : null,
    schools: context.schools.map((school) => ({
      ...school,
      link: null,
      totalCount: null,
      studentsPerTeacher: null,
    })),
    nearbyHomes: context.nearby.map(nearbyHome),
    nearbyZipcodes: [],
    nearbyCities: [{
      name: listing.city,
      regionUrl: { path: `/${listing.city.toLowerCase()}-${listing.state.toLowerCase()}/` },
    }],
  };
}
