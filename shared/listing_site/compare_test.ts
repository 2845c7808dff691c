import { assertEquals } from "../../tests/assert.ts";
import { sampleListing } from "../../tests/fixtures/listings.ts";
import { compareListing, streetTokens } from "./compare.ts";
import type { ListingFields } from "./normalize.ts";

const stamp = {
  epochId: "2025-10-01T16-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
  zipcode: "77001",
  scrapedAt: "2025-10-01T16:05:00.000Z",
};
const claim = sampleListing(3, stamp);
function fresh(overrides: Partial<ListingFields> = {}): ListingFields {
  const { epoch_id: _e, nonce: _n, miner_hotkey: _m, scraped_at: _s, ...fields } = claim;
  return { ...fields, ...overrides };
}

Deno.test("compareListing() accepts the same listing, re-typed addresses and small drifts", () => {
  assertEquals(compareListing(claim, fresh()).outcome, "valid");
  const drifted = fresh({
    street: `${claim.street.replace("St", "Street").toUpperCase()}.`,
    city: " houston ",
    living_area_sqft: claim.living_area_sqft! + 20,
    price: Math.round(claim.price! * 0.95),
    listing_status: "PENDING",
    latitude: claim.latitude! + 0.00005,
  });
  assertEquals(compareListing(claim, drifted), { outcome: "valid", reasons: [], notes: [] });
  assertEquals(compareListing(claim, fresh({ bedrooms: null, zestimate: 1 })).outcome, "valid");
});

Deno.test("compareListing() refuses fabricated or altered facts with reasons", () => {
  const cases: [Partial<ListingFields>, string][] = [
    [{ zpid: "1" }, "zpid"],
    [{ street: "999 Sample St" }, "street"],
    [{ zipcode: "77002" }, "ZIP"],
    [{ bedrooms: claim.bedrooms! + 1 }, "bedrooms"],
    [{ living_area_sqft: claim.living_area_sqft! + 200 }, "living area"],
    [{ home_type: "LOT" }, "home type"],
    [{ price: claim.price! * 2, price_history: [] }, "price"],
    [{ latitude: claim.latitude! + 0.01 }, "location"],
    [{ listing_status: "COMING_SOON" }, "status"],
  ];
  for (const [overrides, reason] of cases) {
    const verdict = compareListing(claim, fresh(overrides));
    assertEquals(verdict.outcome, "invalid", reason);
    assertEquals(verdict.reasons[0].startsWith(reason), true, verdict.reasons.join("; "));
  }
});

Deno.test("compareListing() accepts a price change the history explains and notes ambiguous unit types", () => {
  const cut = fresh({
    price: claim.price! * 0.7,
    price_history: [{ date: "2025-10-02", event: "Price change", price: claim.price! * 0.7 }],
  });
  assertEquals(compareListing(claim, cut).outcome, "valid");
  const condo = { ...claim, home_type: "CONDO" as const };
  const verdict = compareListing(condo, fresh({ home_type: "APARTMENT" }));
  assertEquals([verdict.outcome, verdict.notes], ["valid", ["home type CONDO shown as APARTMENT"]]);
});

Deno.test("compareListing() marks a claim of a home sold before the scrape as stale", () => {
  const sold = fresh({
    listing_status: "SOLD",
    price_history: [{ date: "2025-09-20", event: "Sold", price: claim.price }],
  });
  assertEquals(compareListing(claim, sold).reasons, [
    "claimed for sale on 2025-10-01 but sold on 2025-09-20",
  ]);
});

Deno.test("streetTokens() normalises suffixes, directions and punctuation", () => {
  assertEquals(streetTokens("123 North Main Street, Apt. 4B"), ["123", "n", "main", "st", "apt", "4b"]);
});
