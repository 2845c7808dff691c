import { assert, assertEquals } from "../tests/assert.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";
import { strategyHooks } from "./strategies.ts";
import { fabricate, fill, pad, stampAll, tamper } from "./strategy_rewrites.ts";

const SCRAPED = "2026-01-01T00:01:00.000Z";

function row(zpid: string, overrides: Partial<ListingRecord> = {}): ListingRecord {
  return {
    epoch_id: "2026-01-01T00-00-00",
    nonce: "n".repeat(32),
    miner_hotkey: "5A",
    zipcode: "77005",
    scraped_at: SCRAPED,
    zpid,
    source: "zillow",
    url: `https://site.test/homedetails/x/${zpid}_zpid/`,
    address_full: "12 Real St, Houston, TX 77005",
    street: "12 Real St",
    unit: null,
    city: "Houston",
    state: "TX",
    zip4: null,
    latitude: 29.7,
    longitude: -95.4,
    price: 400_000,
    listing_status: "FOR_SALE",
    home_type: "SINGLE_FAMILY",
    bedrooms: 3,
    bathrooms: 2,
    living_area_sqft: 2000,
    lot_size_sqft: null,
    year_built: 1990,
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
    ...overrides,
  };
}

const ROWS = Array.from({ length: 40 }, (_, i) => row(String(1000 + i)));

Deno.test("fill invents every missing detail column and keeps the ones the scrape had", () => {
  const [filled, kept] = fill([row("1"), row("2", { zestimate: 123, mls_id: "REAL" })], "seed");
  for (
    const column of ["zip4", "days_on_zillow", "listed_date", "zestimate", "mls_id", "price_history"] as const
  ) {
    assert(filled[column] !== null, `${column} filled`);
  }
  assertEquals([kept.zestimate, kept.mls_id], [123, "REAL"]);
});

Deno.test("tamper edits every row with one of five tolerance-sized changes", () => {
  const out = tamper(ROWS.slice(0, 5));
  assertEquals(out[0].price, 438_000);
  assertEquals(out[1].bathrooms, 2.5);
  assertEquals(out[2].living_area_sqft, 2040);
  assertEquals(out[3].home_type, "OTHER");
  assertEquals(out[4].address_full, "1 Invented Street, Houston, TX 77005");
  assert(out.every((r, i) => JSON.stringify(r) !== JSON.stringify(ROWS[i])));
});

Deno.test("twin fabricators share their fakes; the lone fabricator's differ", () => {
  const hooks = (strategy: "twin_fabricator" | "fabricator") =>
    strategyHooks(strategy, { epochStartMs: 0, submissionDeadlineMs: 1, siteUrl: "", fetch });
  const a = hooks("twin_fabricator").transformRows!(ROWS, "77005") as ListingRecord[];
  const b = hooks("twin_fabricator").transformRows!(ROWS.map((r) => ({ ...r, miner_hotkey: "5B" })), "77005");
  const lone = hooks("fabricator").transformRows!(ROWS, "77005") as ListingRecord[];
  assertEquals(a.map((r) => r.zpid), (b as ListingRecord[]).map((r) => r.zpid));
  assertEquals(a.filter((r, i) => r.zpid !== ROWS[i].zpid).length, 2);
  assert(a[0].zpid !== lone[0].zpid);
  assertEquals(fabricate(ROWS, "x").length, ROWS.length);
});

Deno.test("restamper stamps after its receipt; sybils stamp one shared time", () => {
  const context = {
    epochStartMs: Date.parse(SCRAPED) - 60_000,
    submissionDeadlineMs: 2e12,
    siteUrl: "",
    fetch,
  };
  const restamped = strategyHooks("restamper", context).transformRows!(ROWS, "77005") as ListingRecord[];
  assertEquals(restamped[0].scraped_at, new Date(2e12 - 1000).toISOString());
  const sybil = strategyHooks("sybil", context).transformRows!(ROWS, "77005") as ListingRecord[];
  assert(sybil.every((r) => r.scraped_at === new Date(context.epochStartMs + 1000).toISOString()));
  assertEquals(stampAll([], 0), []);
});

Deno.test("partial_fast scrapes only the smallest assigned ZIP", () => {
  const hooks = strategyHooks("partial_fast", {
    epochStartMs: 0,
    submissionDeadlineMs: 1,
    siteUrl: "",
    fetch,
  });
  assertEquals(
    hooks.selectZips!([{ zipcode: "1", expectedListings: 300 }, { zipcode: "2", expectedListings: 200 }]),
    ["2"],
  );
});

Deno.test("padder adds the market's not-for-sale homes as FOR_SALE with its own stamp, once each", async () => {
  const truth = { zpid: "9", listing_status: "PENDING", street: "9 Pending Rd", price: 1, building_id: "b" };
  const fakeFetch = (url: string | URL | Request) => {
    assertEquals(String(url), "http://market.test/__sim/inventory/77005");
    return Promise.resolve(Response.json({ pending: [truth, { ...truth, zpid: "1000" }] }));
  };
  const context = {
    epochStartMs: 0,
    submissionDeadlineMs: 1,
    siteUrl: "http://market.test",
    fetch: fakeFetch,
  };
  const out = await strategyHooks("padder", context as never).transformRows!(ROWS, "77005");
  assertEquals(out.length, ROWS.length + 1);
  const padded = out[out.length - 1];
  assertEquals([padded.zpid, padded.listing_status, padded.street, padded.scraped_at], [
    "9",
    "FOR_SALE",
    "9 Pending Rd",
    SCRAPED,
  ]);
  assert(!("building_id" in padded));
  assertEquals(pad([], [truth]), []);
});
