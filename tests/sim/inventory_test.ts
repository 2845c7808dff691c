import { assert, assertEquals, assertMatch, assertNotEquals } from "../assert.ts";
import { createZipMarket, findListing, inventoryFor, isForSale, listingsAt } from "./inventory.ts";
import { deriveZipInfo, LISTING_SPREAD_LAT, LISTING_SPREAD_LON } from "./zip_info.ts";
import { DAY_MS } from "./zpid_codec.ts";

const AT = new Date("2026-03-01T12:00:00Z");

Deno.test("inventoryFor() is deterministic in seed, ZIP and time", () => {
  const a = inventoryFor("77001", { seed: "inv-a", expected: 200, at: AT });
  const b = inventoryFor("77001", { seed: "inv-a", expected: 200, at: AT });
  assertEquals(a, b);
  const other = inventoryFor("77001", { seed: "inv-b", expected: 200, at: AT });
  assertNotEquals(other.listings.map((l) => l.streetAddress), a.listings.map((l) => l.streetAddress));
});

Deno.test("inventoryFor() keeps the for-sale count near the expected count", () => {
  for (const [zip, expected] of [["77001", 300], ["10001", 1200], ["94112", 60]] as const) {
    const forSale =
      inventoryFor(zip, { seed: "inv-size", expected, at: AT }).listings.filter(isForSale).length;
    assert(
      Math.abs(forSale - expected) <= expected * 0.2 + 5,
      `${zip}: ${forSale} for sale, expected ${expected}`,
    );
  }
});

Deno.test("inventoryFor() gives unique numeric zpids near the ZIP centre with §4.1 fields", () => {
  const info = deriveZipInfo("77001");
  const { listings } = inventoryFor("77001", { seed: "inv-fields", expected: 300, at: AT });
  assertEquals(new Set(listings.map((l) => l.zpid)).size, listings.length);
  for (const listing of listings) {
    assertMatch(listing.zpid, /^\d+$/);
    assertEquals(listing.zip, "77001");
    assert(Math.abs(listing.latitude - info.latitude) <= LISTING_SPREAD_LAT);
    assert(Math.abs(listing.longitude - info.longitude) <= LISTING_SPREAD_LON);
    assert(listing.price > 0);
    assertEquals(listing.priceHistory[0].price, listing.price, "the newest history line explains the price");
    if (listing.homeType === "LOT") assertEquals(listing.bedrooms, null);
  }
  assert(listings.some((l) => l.buildingId !== null), "some condos sit in multi-unit buildings");
  assert(listings.some((l) => l.lotAreaUnit === "acres"));
});

Deno.test("listingsAt() shows churn: prices change, listings appear, go pending, sell and disappear", () => {
  const market = createZipMarket("77001", { seed: "inv-churn", expected: 300 });
  const before = listingsAt(market, AT);
  const later = new Date(AT.getTime() + 45 * DAY_MS);
  const after = new Map(listingsAt(market, later).map((l) => [l.zpid, l]));
  const forSaleBefore = before.filter(isForSale);
  const repriced = forSaleBefore.filter((l) => {
    const now = after.get(l.zpid)!;
    return isForSale(now) && now.price !== l.price;
  });
  assert(repriced.length > 0, "some asking prices changed");
  // A cut shows as "Price change"; a relist at a new price as a second "Listed for sale".
  for (const listing of repriced) {
    const now = after.get(listing.zpid)!;
    const change = now.priceHistory.find((event) =>
      event.event === "Price change" || event.event === "Listed for sale"
    );
    assert(change && change.timeMs > AT.getTime(), "a dated history event explains the new price");
    assertEquals(change.price, now.price);
  }
  assert(forSaleBefore.some((l) => after.get(l.zpid)!.status === "PENDING"));
  assert(forSaleBefore.some((l) => after.get(l.zpid)!.status === "SOLD"));
  assert(forSaleBefore.some((l) => after.get(l.zpid)!.status === "OFF_MARKET"));
  const newcomers = [...after.values()].filter((l) => l.firstListedAtMs > AT.getTime());
  assert(newcomers.length > 0, "new listings appeared");
  assertEquals(findListing(market, newcomers[0].zpid, AT), null, "a future listing does not exist yet");
  const muchLater = new Date(AT.getTime() + 420 * DAY_MS);
  assertEquals(findListing(market, forSaleBefore[0].zpid, muchLater), null, "old listings age out entirely");
});

Deno.test("findListing() rebuilds a listing from its zpid alone", () => {
  const market = createZipMarket("77001", { seed: "inv-find", expected: 150 });
  const listing = listingsAt(market, AT).find(isForSale)!;
  const fresh = createZipMarket("77001", { seed: "inv-find", expected: 150 });
  assertEquals(findListing(fresh, listing.zpid, AT), listing);
  assertEquals(
    findListing(createZipMarket("77002", { seed: "inv-find", expected: 150 }), listing.zpid, AT),
    null,
  );
});
