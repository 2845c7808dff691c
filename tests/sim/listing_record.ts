/**
 * The ground truth in the canonical listing-record shape (anatomy §4.1), so an end-to-end test can diff
 * what the miner produced against what the simulated site holds.
 * @module
 */
import type { SimListing } from "./inventory.ts";
import { detailPath, fullAddress } from "./listing_urls.ts";
import { photoKeys, photoUrl } from "./listing_media.ts";

/** One listing as §4.1 names its fields, plus `building_id` for units grouped into building cards. */
export interface ListingRecord {
  zpid: string;
  source: "zillow";
  url: string;
  address_full: string;
  street: string;
  unit: string | null;
  city: string;
  state: string;
  zipcode: string;
  zip4: string;
  latitude: number;
  longitude: number;
  price: number;
  listing_status: string;
  home_type: string;
  bedrooms: number | null;
  bathrooms: number | null;
  living_area_sqft: number | null;
  lot_size_sqft: number | null;
  year_built: number | null;
  days_on_zillow: number;
  listed_date: string;
  zestimate: number | null;
  rent_zestimate: number | null;
  tax_assessed_value: number;
  mls_id: string;
  broker_name: string;
  photo_url: string | null;
  photo_count: number;
  price_history: Array<{ date: string; event: string; price: number }>;
  building_id: string | null;
}

/** The record of a listing at its moment (`listing.atMs`); `origin` prefixes the canonical URL. */
export function toListingRecord(listing: SimListing, origin: string): ListingRecord {
  const firstPhoto = photoKeys(listing, 1)[0];
  return {
    zpid: listing.zpid,
    source: "zillow",
    url: origin + detailPath(listing),
    address_full: fullAddress(listing),
    street: listing.streetAddress,
    unit: listing.unit,
    city: listing.city,
    state: listing.state,
    zipcode: listing.zip,
    zip4: listing.zipPlusFour,
    latitude: listing.latitude,
    longitude: listing.longitude,
    price: listing.price,
    listing_status: listing.status,
    home_type: listing.homeType,
    bedrooms: listing.bedrooms,
    bathrooms: listing.bathrooms,
    living_area_sqft: listing.livingArea,
    lot_size_sqft: listing.lotSqft,
    year_built: listing.yearBuilt,
    days_on_zillow: listing.daysOnZillow,
    listed_date: new Date(listing.listedAtMs).toISOString().slice(0, 10),
    zestimate: listing.zestimate,
    rent_zestimate: listing.rentZestimate,
    tax_assessed_value: listing.taxAssessedValue,
    mls_id: listing.mlsId,
    broker_name: listing.brokerName,
    photo_url: firstPhoto ? photoUrl(firstPhoto, "p_e") : null,
    photo_count: listing.photoCount,
    price_history: listing.priceHistory.map(({ date, event, price }) => ({ date, event, price })),
    building_id: listing.buildingId,
  };
}
