/**
 * The page variants seen in real captures (tests/fixtures/real/PROVENANCE.md, issue #16) that the notes
 * did not predict, served when the `realVariants` knob (MARKET_REAL_VARIANTS) is on:
 * - building cards without a zpid and without a ZIP (address ends at the state), linked as
 *   `/b/building/{lat},{lng}_ll/` or, every other one, as a new-construction community
 *   `/community/{slug}~{lat},{lng}/{plid}_plid/` (the simulator keeps the position in the slug so it can
 *   find the building; the community page is served in the building page's layout);
 * - list cards in the 2023 map-card style: `daysOnZillow: -1` under homeInfo and `timeOnZillow` only on
 *   the card itself (a third of them);
 * - `totalPages` that disagrees with `totalResultCount` (1 to 3 pages reported, whatever the count);
 * - off-market detail pages (`homeStatus` OTHER, `hdpTypeDimension` Zestimate or NoZestimate) that carry
 *   the Zestimate in `price` and an old `datePostedString`;
 * - detail properties without `hdpUrl` (a quarter of them).
 * Choices are a function of the zpid or building id, so every fetch of a page gets the same variant.
 * @module
 */

type Json = Record<string, unknown>;

function bucket(id: string, modulo: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % modulo;
}

/** A building card as real ones are: no zpid or id, no ZIP anywhere, a `/b/building/` or community link. */
function realBuildingCard(card: Json): Json {
  const { zpid: _z, id: _i, addressZipcode: _a, ...rest } = card;
  const buildingId = String(card.zpid);
  const { latitude, longitude } = card.latLong as { latitude: number; longitude: number };
  const position = `${latitude.toFixed(5)},${longitude.toFixed(5)}`;
  const community = bucket(buildingId, 2) === 0;
  const slug = String(card.statusText ?? "community").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const plid = 20_000_000 + bucket(buildingId, 9_000_000);
  return {
    ...rest,
    buildingId,
    address: `${card.addressStreet}, ${card.addressCity}, ${card.addressState}`,
    detailUrl: community ? `/community/${slug}~${position}/${plid}_plid/` : `/b/building/${position}_ll/`,
    ...(community ? { plid: String(plid), communityName: card.statusText } : {}),
  };
}

/** A list card in the 2023 map-card style: time on the card itself, `daysOnZillow: -1`. */
function mapStyleCard(card: Json): Json {
  const info = (card.hdpData as { homeInfo: Json }).homeInfo;
  const { timeOnZillow, ...rest } = info;
  return { ...card, timeOnZillow, hdpData: { homeInfo: { ...rest, daysOnZillow: -1 } } };
}

/** A `listResults[]` card with the real variants applied. */
export function realCard(card: Json): Json {
  if (card.isBuilding === true) return realBuildingCard(card);
  return bucket(String(card.zpid), 3) === 0 ? mapStyleCard(card) : card;
}

/** The `totalPages` a real answer may print: 1 to 3, unrelated to the result count. */
export function reportedTotalPages(totalPages: number, totalResultCount: number): number {
  return Math.max(1, Math.min(totalPages, 1 + (totalResultCount % 3)));
}

/** A detail property with the real variants applied: valuation pages and missing `hdpUrl`. */
export function realDetailProperty(property: Json): Json {
  const zpid = String(property.zpid);
  let result = property;
  if (property.homeStatus === "OFF_MARKET") {
    const zestimate = typeof property.zestimate === "number" ? property.zestimate : null;
    result = {
      ...result,
      homeStatus: "OTHER",
      keystoneHomeStatus: "Zestimate",
      hdpTypeDimension: zestimate === null ? "NoZestimate" : "Zestimate",
      price: zestimate ?? 0,
    };
  }
  if (bucket(zpid, 4) === 0) {
    const { hdpUrl: _, ...rest } = result;
    result = rest;
  }
  return result;
}

/** The building page position in a community link (`/community/{slug}~{lat},{lng}/{plid}_plid/`). */
export function communityPosition(path: string): [number, number] | null {
  const match = path.match(/^\/community\/[^/]*~(-?\d+\.\d+),(-?\d+\.\d+)\/\d+_plid\/?$/);
  return match ? [Number(match[1]), Number(match[2])] : null;
}
