import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { fixtureBody, loadFixture } from "../../tests/fixtures/listing_site/fixtures.ts";
import { FIXTURE_MARKET } from "../../tests/fixtures/listing_site/generate.ts";
import { frozenMarket, SIM_AT, SIM_BASE } from "../../tests/fixtures/listing_site/sim_fetcher.ts";
import { parseBuildingPage } from "./building_page.ts";
import { parseDetailPage } from "./detail_page.ts";
import {
  homeTypeOf,
  type ListingFields,
  listingStatusOf,
  lotSizeSqft,
  mergeDetail,
  normalizeBuildingUnit,
  normalizeDetailProperty,
  normalizeSearchCard,
  normalizeZpid,
  parsePrice,
  unitOf,
} from "./normalize.ts";
import { PageParseError } from "./page_json.ts";
import { parseSearchPage } from "./search_page.ts";
import { zpidFromUrl } from "./urls.ts";

const SCRAPED_AT = new Date("2026-03-01T12:00:00.000Z");

async function mixedCard(zpid: string) {
  return parseSearchPage(await fixtureBody("search_mixed")).listResults.find((card) => card.zpid === zpid)!;
}

async function detailOf(name: string): Promise<ListingFields> {
  const page = await loadFixture(name);
  return normalizeDetailProperty(parseDetailPage(page.body, zpidFromUrl(page.url)!)!);
}

Deno.test("parsePrice() reads numbers and the site's display strings", () => {
  const cases: Array<[unknown, number | null]> = [
    [350000, 350000],
    [350000.0, 350000],
    ["$1,250,000", 1250000],
    ["From $215,000", 215000],
    ["$1.25M", 1250000],
    ["$350K", 350000],
    ["$2,100+/mo", 2100],
    ["Contact agent", null],
    [-5, null],
    [null, null],
  ];
  for (const [input, expected] of cases) assertEquals(parsePrice(input), expected, String(input));
});

Deno.test("homeTypeOf() and listingStatusOf() map every spelling to the record's enums", () => {
  const types: Array<[unknown, string]> = [
    ["SINGLE_FAMILY", "SINGLE_FAMILY"],
    ["SingleFamily", "SINGLE_FAMILY"],
    ["Condominium", "CONDO"],
    ["MultiFamily", "MULTI_FAMILY"],
    ["Land", "LOT"],
    ["ManufacturedHome", "MANUFACTURED"],
    ["Cooperative", "COOPERATIVE"],
    ["HOME_TYPE_UNKNOWN", "OTHER"],
    [undefined, "OTHER"],
  ];
  for (const [input, expected] of types) assertEquals(homeTypeOf(input), expected, String(input));
  assertEquals(listingStatusOf("FOR_SALE", null, { is_FSBA: true }), "FOR_SALE");
  assertEquals(listingStatusOf("FOR_SALE", "UNDER_CONTRACT", {}), "CONTINGENT");
  assertEquals(listingStatusOf("FOR_SALE", null, { is_pending: true }), "PENDING");
  assertEquals(listingStatusOf("ForSale", null, { is_comingSoon: true }), "COMING_SOON");
  assertEquals(listingStatusOf("RECENTLY_SOLD", null, null), "SOLD");
  assertEquals(listingStatusOf("OFF_MARKET", null, null), "OFF_MARKET");
  assertEquals(listingStatusOf("FOR_RENT", null, null), "OTHER");
});

Deno.test("lotSizeSqft(), unitOf() and normalizeZpid() smooth the representation quirks", () => {
  assertEquals(lotSizeSqft(1.27, "acres"), 55321);
  assertEquals(lotSizeSqft(1.27, "Acres"), 55321);
  assertEquals(lotSizeSqft(5568.0, "sqft"), 5568);
  assertEquals(lotSizeSqft(3746, "Square Feet"), 3746);
  assertEquals(lotSizeSqft(3746, "hectares"), null);
  assertEquals(lotSizeSqft(3746, undefined), null);
  assertEquals(unitOf("55 Austin Pl APT 6B"), "APT 6B");
  assertEquals(unitOf("88 Mill Rd # 4B"), "# 4B");
  assertEquals(unitOf("12 Oak St UNIT 12"), "UNIT 12");
  assertEquals(unitOf("9 Elm St UNIT C"), "UNIT C");
  assertEquals(unitOf("1200 Unit Rd"), null);
  assertEquals([normalizeZpid("94778208"), normalizeZpid(94778208), normalizeZpid(" 12 ")], [
    "94778208",
    "94778208",
    "12",
  ]);
  assertEquals([normalizeZpid("42.35364--71.13968"), normalizeZpid(1.5), normalizeZpid("")], [
    null,
    null,
    null,
  ]);
});

Deno.test("normalizeSearchCard() maps a card to the record's listing columns", async () => {
  assertEquals(normalizeSearchCard(await mixedCard("200000101"), SCRAPED_AT), {
    zpid: "200000101",
    source: "zillow",
    url: "https://www.zillow.com/homedetails/14-Orchard-Way-Fairbrook-GA-30301/200000101_zpid/",
    address_full: "14 Orchard Way, Fairbrook, GA 30301",
    street: "14 Orchard Way",
    unit: null,
    city: "Fairbrook",
    state: "GA",
    zipcode: "30301",
    zip4: null,
    latitude: 33.7491,
    longitude: -84.3882,
    price: 412000,
    listing_status: "FOR_SALE",
    home_type: "SINGLE_FAMILY",
    bedrooms: 3,
    bathrooms: 2.5,
    living_area_sqft: 1820,
    lot_size_sqft: 6500,
    year_built: null,
    days_on_zillow: 12,
    // 12 days and 5 hours before 2026-03-01T12:00Z.
    listed_date: "2026-02-17",
    zestimate: 420240,
    rent_zestimate: 1900,
    tax_assessed_value: 329600,
    mls_id: null,
    broker_name: "Fairbrook Homes Realty",
    photo_url: "https://photos.example.invalid/fp/200000101-p_e.jpg",
    photo_count: null,
    price_history: null,
    detail_enriched: false,
  });
});

Deno.test("normalizeSearchCard() handles units, contingency, absolute links, lots and unknown days", async () => {
  const condo = normalizeSearchCard(await mixedCard("200000102"), SCRAPED_AT);
  assertEquals([condo.unit, condo.listing_status, condo.url], [
    "# 4B",
    "CONTINGENT",
    "https://www.zillow.com/homedetails/88-Mill-Rd-4B-Fairbrook-GA-30301/200000102_zpid/",
  ]);
  const lot = normalizeSearchCard(await mixedCard("200000103"), SCRAPED_AT);
  assertEquals(
    [lot.home_type, lot.bedrooms, lot.bathrooms, lot.living_area_sqft, lot.lot_size_sqft, lot.days_on_zillow],
    ["LOT", null, null, null, 55321, null],
  );
  assertEquals(lot.listed_date, "2026-03-01", "timeOnZillow still dates the listing");
  assertEquals(normalizeSearchCard(await mixedCard("200000107"), SCRAPED_AT).listing_status, "PENDING");
});

Deno.test("normalizeSearchCard() fails clearly on cards it cannot make a record of", async () => {
  const card = await mixedCard("200000101");
  assertThrows(
    () => normalizeSearchCard({ ...card, zpid: "1.2--3.4", hdpData: {} }, SCRAPED_AT),
    PageParseError,
    'Cannot normalize search card: expected a numeric zpid, got "1.2--3.4"',
  );
  assertThrows(
    () => normalizeSearchCard({ ...card, addressState: "Georgia", hdpData: {} }, SCRAPED_AT),
    PageParseError,
    'Cannot normalize search card "200000101": expected a 2-letter state',
  );
  assertThrows(
    () => normalizeSearchCard({ ...card, detailUrl: null }, SCRAPED_AT),
    PageParseError,
    "expected a detail URL",
  );
});

Deno.test("normalizeDetailProperty() reads each detail layout", async () => {
  const variant = await detailOf("detail_variant");
  assertEquals(
    [
      variant.price,
      variant.year_built,
      variant.zip4,
      variant.mls_id,
      variant.days_on_zillow,
      variant.detail_enriched,
    ],
    [405000, 1994, "2231", "FMLS0101", 40, true],
  );
  assertEquals(variant.listed_date, "2026-01-20", "the newest 'Listed for sale' line, after a relist");
  assertEquals(variant.price_history![0], { date: "2026-02-10", event: "Price change", price: 405000 });
  const condo = await detailOf("detail_script_escape");
  assertEquals(
    [condo.year_built, condo.listing_status, condo.home_type, condo.unit, condo.listed_date],
    [1987, "CONTINGENT", "CONDO", "# 4B", "2026-02-17"],
  );
  const lot = await detailOf("detail_page_props");
  assertEquals([lot.lot_size_sqft, lot.bedrooms, lot.bathrooms, lot.living_area_sqft, lot.photo_count], [
    55321,
    null,
    null,
    null,
    3,
  ]);
  assertEquals((await detailOf("detail_apollo")).listing_status, "PENDING");
  const sold = await detailOf("detail_not_for_sale");
  assertEquals([sold.listing_status, sold.listed_date], ["SOLD", "2025-12-01"]);
});

Deno.test("normalizeBuildingUnit() builds the unit's address from the building", async () => {
  const { building, units } = parseBuildingPage(await fixtureBody("building"));
  const unit = normalizeBuildingUnit(units[0], building);
  assertEquals(
    [unit.zpid, unit.street, unit.unit, unit.address_full, unit.price, unit.home_type, unit.bedrooms],
    [
      "200000201",
      "200 Mill Rd APT 2A",
      "APT 2A",
      "200 Mill Rd APT 2A, Fairbrook, GA 30301",
      215000,
      "CONDO",
      1,
    ],
  );
  assertEquals(
    unit.url,
    "https://www.zillow.com/homedetails/200-Mill-Rd-APT-2A-Fairbrook-GA-30301/200000201_zpid/",
  );
  assertThrows(() => normalizeBuildingUnit(units[2], building), PageParseError, 'got "unit-5d"');
});

Deno.test("mergeDetail() lays the detail's known facts over the search facts", async () => {
  const search = normalizeSearchCard(await mixedCard("200000101"), SCRAPED_AT);
  const merged = mergeDetail(search, await detailOf("detail_variant"));
  assertEquals([merged.price, merged.year_built, merged.broker_name, merged.detail_enriched], [
    405000,
    1994,
    "Fairbrook Homes Realty",
    true,
  ]);
  assertEquals(merged.address_full, "14 Orchard Way, Fairbrook, GA 30301");
  const bare = mergeDetail(search, { ...search, price: null, detail_enriched: true });
  assertEquals(bare.price, 412000, "a null detail fact keeps the search fact");
});

Deno.test("normalized simulator pages agree with the simulator's ground truth", async () => {
  const handler = frozenMarket(FIXTURE_MARKET);
  const truthOf = async (zpid: string) =>
    (await (await handler(new Request(`${SIM_BASE}/__sim/listing/${zpid}?at=${SIM_AT.toISOString()}`)))
      .json()).record;
  for (
    const name of ["sim_detail_priority", "sim_detail_variant", "sim_detail_reso_year", "sim_detail_sold"]
  ) {
    const fields = await detailOf(name);
    const truth = await truthOf(fields.zpid);
    for (
      const key of ["street", "unit", "price", "home_type", "bedrooms", "lot_size_sqft", "year_built", "zip4"]
    ) {
      assertEquals(fields[key as keyof ListingFields], truth[key], `${name}: ${key}`);
    }
    assertEquals([fields.mls_id, fields.listed_date, fields.price_history], [
      truth.mls_id,
      truth.listed_date,
      truth.price_history,
    ]);
  }
  const cards = parseSearchPage(await fixtureBody("sim_search_p1")).listResults.filter((c) =>
    c.isBuilding !== true
  );
  assert(cards.length > 30);
  for (const card of cards) {
    const fields = normalizeSearchCard(card, SIM_AT);
    const truth = await truthOf(fields.zpid);
    for (
      const key of ["url", "street", "unit", "city", "price", "listing_status", "home_type", "bathrooms"]
    ) {
      assertEquals(fields[key as keyof ListingFields], truth[key], `${fields.zpid}: ${key}`);
    }
    if (fields.days_on_zillow !== null) assertEquals(fields.listed_date, truth.listed_date, fields.zpid);
  }
});
