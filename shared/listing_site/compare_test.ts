import { assertEquals } from "../../tests/assert.ts";
import { sampleListing } from "../../tests/fixtures/listings.ts";
import type { ListingRecord } from "../schemas/listing.ts";
import { compareListing, SCORED_COLUMNS, streetTokens } from "./compare.ts";
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
    price_history: [...claim.price_history!, { date: "2025-10-02", event: "Pending sale", price: null }],
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
    'claimed for sale on 2025-10-01 but "Sold" on 2025-09-20',
  ]);
});

Deno.test("compareListing() refuses a for-sale claim on a home the site shows off sale without a change since", () => {
  // A real home that was never listed, padded in as for sale: no event says it left the market.
  const offMarket = fresh({ listing_status: "OFF_MARKET", price_history: [] });
  assertEquals(compareListing(claim, offMarket).reasons, [
    "claimed for sale on 2025-10-01 but OFF_MARKET with no change dated since",
  ]);
  const pendingLongAgo = fresh({ listing_status: "PENDING", price_history: claim.price_history });
  assertEquals(compareListing(claim, pendingLongAgo).outcome, "invalid");
  // Delisted or under contract after the scrape: the dated event explains it.
  for (const event of ["Listing removed", "Pending sale", "Sold", "Contingent"]) {
    const later = fresh({
      listing_status: event === "Listing removed" ? "OFF_MARKET" : event === "Sold" ? "SOLD" : "PENDING",
      price_history: [...claim.price_history!, { date: "2025-10-01", event, price: null }],
    });
    assertEquals(compareListing(claim, later).outcome, "valid", event);
  }
  // A page whose status the normaliser could not read says nothing.
  assertEquals(compareListing(claim, fresh({ listing_status: "OTHER" })).outcome, "valid");
});

// Issue 14's tampering, each of which passed the comparison before: every one is now invalid.
Deno.test("compareListing() refuses tampering that used to fit within tolerance", () => {
  const cases: [string, ListingRecord, ListingFields, string][] = [
    [
      "price +9.5 % with a same-day change of unknown price",
      { ...claim, price: Math.round(claim.price! * 1.095) },
      fresh({
        price_history: [...claim.price_history!, { date: "2025-10-01", event: "Price change", price: null }],
      }),
      "price",
    ],
    ["bathrooms +0.5", { ...claim, bathrooms: claim.bathrooms! + 0.5 }, fresh(), "bathrooms"],
    ["home type OTHER for a typed home", { ...claim, home_type: "OTHER" }, fresh(), "home type"],
    [
      "an invented street in address_full",
      { ...claim, address_full: "103 Invented Blvd, Houston, TX 77001" },
      fresh(),
      "address",
    ],
    ["a longer street name", { ...claim, street: `${claim.street} Extension` }, fresh(), "street"],
    ["NaN area", { ...claim, living_area_sqft: NaN }, fresh(), "living_area_sqft is not a number"],
    [
      "for sale while the history shows it pending since before the scrape",
      claim,
      fresh({
        listing_status: "PENDING",
        price_history: [...claim.price_history!, { date: "2025-09-20", event: "Pending sale", price: null }],
      }),
      "claimed for sale",
    ],
    [
      "invented detail columns",
      { ...claim, zestimate: 400_000, tax_assessed_value: 1, mls_id: "FAKE" },
      fresh({ zestimate: 262_000, tax_assessed_value: 241_000, mls_id: "MLS-7" }),
      "Zestimate",
    ],
  ];
  for (const [name, c, f, reason] of cases) {
    const verdict = compareListing(c, f);
    assertEquals(verdict.outcome, "invalid", name);
    assertEquals(
      verdict.reasons.some((r) => r.startsWith(reason)),
      true,
      `${name}: ${verdict.reasons.join("; ")}`,
    );
  }
});

Deno.test("compareListing() takes the price as of scraped_at from the listing's own history", () => {
  // Listed at P, raised to 1.05 P the day before the scrape, cut to 0.9 P after it: P is stale, 1.05 P
  // (as of the scrape) and 0.9 P (today's) are prices the listing had; 1.02 P it never had.
  const p = claim.price!;
  const history = [
    ...claim.price_history!,
    { date: "2025-09-30", event: "Price change", price: Math.round(p * 1.05) },
    { date: "2025-10-03", event: "Price change", price: Math.round(p * 0.9) },
  ];
  const page = fresh({ price: Math.round(p * 0.9), price_history: history });
  assertEquals(compareListing({ ...claim, price: Math.round(p * 1.05) }, page).outcome, "valid");
  assertEquals(compareListing({ ...claim, price: Math.round(p * 0.9) }, page).outcome, "valid");
  assertEquals(compareListing(claim, page).outcome, "invalid");
  assertEquals(compareListing({ ...claim, price: Math.round(p * 1.02) }, page).outcome, "invalid");
});

Deno.test("compareListing() refuses a row scraped after the receipt of its part", () => {
  assertEquals(compareListing(claim, fresh(), { notAfter: "2025-10-01T16:05:00.000Z" }).outcome, "valid");
  const late = compareListing(claim, fresh(), { notAfter: "2025-10-01T16:04:59.999Z" });
  assertEquals(late.reasons, [
    "scraped_at 2025-10-01T16:05:00.000Z is after the part's receipt 2025-10-01T16:04:59.999Z",
  ]);
});

Deno.test("SCORED_COLUMNS are the optional columns the comparison verifies", () => {
  // Each scored column, changed far beyond any tolerance on the page, makes the claim invalid.
  const far: Partial<Record<string, unknown>> = {
    unit: "99",
    zip4: "0000",
    latitude: 10,
    longitude: 10,
    price: 1,
    bedrooms: 40,
    bathrooms: 40,
    living_area_sqft: 99_999,
    lot_size_sqft: 9_999_999,
    year_built: 1800,
    days_on_zillow: 900,
    zestimate: 1,
    rent_zestimate: 1,
    tax_assessed_value: 1,
    mls_id: "X",
    broker_name: "X",
    photo_count: 900,
  };
  assertEquals(Object.keys(far).sort(), [...SCORED_COLUMNS].sort());
  const base = {
    ...claim,
    unit: "1",
    zip4: "1234",
    zestimate: 5e5,
    rent_zestimate: 2000,
    tax_assessed_value: 4e5,
    mls_id: "M",
    broker_name: "B",
  };
  const page = fresh({ ...base });
  for (const [column, value] of Object.entries(far)) {
    assertEquals(compareListing({ ...base, [column]: value }, page).outcome, "invalid", column);
  }
});

Deno.test("streetTokens() normalises suffixes, directions and punctuation", () => {
  assertEquals(streetTokens("123 North Main Street, Apt. 4B"), ["123", "n", "main", "st", "apt", "4b"]);
});
