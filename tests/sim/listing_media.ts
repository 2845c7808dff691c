/**
 * Photos and remarks of a listing. They are large and only needed when a page shows the listing, so they
 * are drawn on demand from the listing's `mediaKey`.
 * @module
 */
import { createPrng } from "../../shared/prng.ts";
import type { ListingFacts } from "./listing_facts.ts";
import { REMARK_CLOSINGS, REMARK_FEATURES, REMARK_ODDITIES, REMARK_OPENINGS } from "./name_lists.ts";
import { drawHex, drawItem } from "./random_draws.ts";

/** Photo host: `example.invalid` keeps synthetic pages from pointing at a real CDN. */
export const PHOTO_BASE = "https://photos.example.invalid/fp";
/** Widths the detail page lists for every photo. */
export const PHOTO_WIDTHS = [192, 384, 576, 768, 960, 1152, 1344, 1536];

const HOME_WORDS: Record<string, string> = {
  SINGLE_FAMILY: "single-family home",
  CONDO: "condo",
  APARTMENT: "condo",
  TOWNHOUSE: "townhome",
  MULTI_FAMILY: "multi-family property",
  MANUFACTURED: "manufactured home",
  LOT: "lot",
};

/** The listing's photo keys in gallery order, at most `limit` of them. */
export function photoKeys(
  listing: Pick<ListingFacts, "mediaKey" | "photoCount">,
  limit = Infinity,
): string[] {
  const prng = createPrng(`photos|${listing.mediaKey}`);
  return Array.from({ length: Math.min(limit, listing.photoCount) }, () => drawHex(prng, 32));
}

/** A photo URL in the site's `{key}-{variant}.jpg` form. */
export function photoUrl(key: string, variant: string, extension = "jpg"): string {
  return `${PHOTO_BASE}/${key}-${variant}.${extension}`;
}

/** The listing's remarks; a few carry raw markup, a `</script>` or non-ASCII text, as MLS feeds do. */
export function describeListing(listing: ListingFacts): string {
  const prng = createPrng(`remarks|${listing.mediaKey}`);
  const beds = listing.bedrooms === null ? "" : `${listing.bedrooms}-bedroom `;
  const parts = [
    `${drawItem(prng, REMARK_OPENINGS)} ${beds}${HOME_WORDS[listing.homeType]} in ${listing.city}.`,
  ];
  const features = prng.sample(REMARK_FEATURES, 2 + prng.nextBelow(4));
  parts.push(`Highlights include ${features.join(", ")}.`);
  if (listing.livingArea !== null) {
    parts.push(`Offering ${listing.livingArea.toLocaleString("en-US")} sqft of living space.`);
  }
  if (prng.nextFloat() < 0.12) parts.push(drawItem(prng, REMARK_ODDITIES));
  parts.push(drawItem(prng, REMARK_CLOSINGS));
  return parts.join(" ");
}
