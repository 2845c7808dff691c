/**
 * URL paths the site uses for detail, building and canonical search pages. Paths are relative: pages
 * print them either as-is or prefixed with the public origin (the real site mixes both).
 * @module
 */
import type { ListingFacts } from "./listing_facts.ts";
import type { Building } from "./zip_profile.ts";
import type { ZipInfo } from "./zip_info.ts";

/** Address-hyphenated slug: every run of non-alphanumerics becomes one hyphen ("APT 6B" → "APT-6B"). */
export function slugify(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** "/homedetails/{street}-{city}-{ST}-{zip}/{zpid}_zpid/" */
export function detailPath(
  listing: Pick<ListingFacts, "zpid" | "streetAddress" | "city" | "state" | "zip">,
): string {
  const slug = slugify(`${listing.streetAddress} ${listing.city} ${listing.state} ${listing.zip}`);
  return `/homedetails/${slug}/${listing.zpid}_zpid/`;
}

/** "/b/{building-name}-{city}-{st}/{lat},{lng}_ll/": building pages are keyed by position, not zpid. */
export function buildingPath(building: Building, info: ZipInfo): string {
  const slug = slugify(`${building.name} ${info.city} ${info.state}`).toLowerCase();
  return `/b/${slug}/${building.latitude.toFixed(5)},${building.longitude.toFixed(5)}_ll/`;
}

/** Canonical ZIP search path, "/{city}-{st}-{zip}/", with "{N}_p/" for page N ≥ 2. */
export function searchSlugPath(info: ZipInfo, page: number): string {
  const base = `/${slugify(info.city).toLowerCase()}-${info.state.toLowerCase()}-${info.zip}/`;
  return page >= 2 ? `${base}${page}_p/` : base;
}

/** "Street, City, ST 12345" */
export function fullAddress(listing: Pick<ListingFacts, "streetAddress" | "city" | "state" | "zip">): string {
  return `${listing.streetAddress}, ${listing.city}, ${listing.state} ${listing.zip}`;
}
