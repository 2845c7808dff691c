/**
 * The parsers on real captures (tests/fixtures/real/, PROVENANCE.md): the failures of issue #16 items 1,
 * 3, 4, 5 and 7, and the spot check confirmed on a real search card and its real detail page.
 * @module
 */
import { assert, assertEquals } from "../../tests/assert.ts";
import { detailPageShell, realCards, realJson } from "../../tests/fixtures/real/real_pages.ts";
import { ListingRecordSchema } from "../schemas/listing.ts";
import { compareListing } from "./compare.ts";
import { parseDetailPage } from "./detail_page.ts";
import { classifyCard } from "./hygiene.ts";
import { mergeDetail, normalizeDetailProperty, normalizeSearchCard } from "./normalize.ts";
import { bareDetailUrl } from "./urls.ts";
import type { JsonObject } from "./page_json.ts";

const MAP_2023 = "sf_map_results_2023-05-28.json";
const LIST_2024 = "sf_list_results_2024-02-05.json";
const DETAIL_2023 = "sf_detail_15192198_2023-05-28.json";
const OFF_MARKET = "sf_offmarket_neighbour_15192199_2023-06-28.json";
// The source committed its 2023-05-28 captures at 09:39 UTC; the run was before that.
const SCRAPED_2023 = new Date("2023-05-28T09:00:00Z");

Deno.test("real building and community cards (no zpid, no ZIP) are expanded, not dropped as other ZIP", async () => {
  for (const file of [MAP_2023, LIST_2024]) {
    const collections = (await realCards(file)).filter((card) => card.zpid === undefined);
    assert(collections.length >= 5, `${file} holds its building cards`);
    for (const card of collections) {
      const verdict = classifyCard(card, "94112");
      const path = String(card.detailUrl);
      const collection = path.startsWith("/community/") ? "community" : "building";
      assertEquals(verdict, { kind: "building", url: path, collection }, `${file} ${path}`);
    }
  }
  const [home] = await realCards(MAP_2023);
  assertEquals(classifyCard(home, "94112"), { kind: "listing", zpid: "15192198" });
  assertEquals(classifyCard(home, "94110"), { kind: "otherZip" });
});

Deno.test("real map cards (daysOnZillow -1, timeOnZillow on the card, street '--') give a listing date and street", async () => {
  const [home] = await realCards(MAP_2023);
  const fields = normalizeSearchCard(home, SCRAPED_2023);
  assertEquals([fields.street, fields.address_full, fields.zipcode], [
    "661 Lakeview Ave",
    "661 Lakeview Ave, San Francisco, CA 94112",
    "94112",
  ]);
  assertEquals([fields.days_on_zillow, fields.listed_date], [null, "2023-05-27"]);
  const [listed] = await realCards(LIST_2024);
  const at = new Date("2024-02-05T12:00:00Z");
  const expected = new Date(at.getTime() - Number(listed.timeOnZillow)).toISOString().slice(0, 10);
  assertEquals(normalizeSearchCard(listed, at).listed_date, expected);
});

Deno.test("a real detail property without hdpUrl normalizes to its bare URL and keeps the card's", async () => {
  const { hdpUrl: _, ...property } = await realJson(DETAIL_2023);
  const detail = normalizeDetailProperty(property);
  assertEquals(detail.url, bareDetailUrl("15192198"));
  const [home] = await realCards(MAP_2023);
  const merged = mergeDetail(normalizeSearchCard(home, SCRAPED_2023), detail);
  assertEquals(
    merged.url,
    "https://www.zillow.com/homedetails/661-Lakeview-Ave-San-Francisco-CA-94112/15192198_zpid/",
  );
});

Deno.test("a real off-market property's price (its value estimate) is not recorded as the price", async () => {
  const property = await realJson(OFF_MARKET);
  const fields = normalizeDetailProperty(property);
  assertEquals([fields.zpid, fields.listing_status, fields.price], ["15192199", "OFF_MARKET", null]);
  const zestimatePage = {
    ...(await realJson(DETAIL_2023)),
    homeStatus: "OTHER",
    hdpTypeDimension: "Zestimate",
  };
  assertEquals(normalizeDetailProperty(zestimatePage).price, null);
  assertEquals(normalizeDetailProperty(await realJson(DETAIL_2023)).price, 850_000);
});

Deno.test("an off-market home's listing date ends with a later removal or rental event", async () => {
  const real = await realJson(DETAIL_2023);
  // The real history as of 2023-05-20: listed 2022-12-21, removed 2023-05-15, not yet relisted.
  const history = (real.priceHistory as JsonObject[]).filter((event) => String(event.date) <= "2023-05-20");
  const offMarket = {
    ...real,
    homeStatus: "OTHER",
    hdpTypeDimension: "Zestimate",
    datePostedString: "2022-12-21",
    priceHistory: history,
  };
  assertEquals(normalizeDetailProperty(offMarket).listed_date, null);
  const rented = [{ date: "2023-05-18", event: "Listed for rent", price: 3900 }, ...history];
  assertEquals(normalizeDetailProperty({ ...offMarket, priceHistory: rented }).listed_date, null);
  // The real for-sale page keeps its own date, and a sold page its last listing.
  assertEquals(normalizeDetailProperty(real).listed_date, "2023-05-27");
});

Deno.test("spot check on a real pair: the search card and its detail page agree; an altered copy does not", async () => {
  const [home] = await realCards(MAP_2023);
  const claim = ListingRecordSchema.parse({
    ...normalizeSearchCard(home, SCRAPED_2023),
    epoch_id: "2023-05-28T08-00-00",
    nonce: "0123456789abcdef0123456789abcdef",
    miner_hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
    scraped_at: SCRAPED_2023.toISOString(),
  });
  const property = parseDetailPage(detailPageShell(await realJson(DETAIL_2023)), "15192198");
  assert(property !== null, "the detail page holds the property");
  const fresh = normalizeDetailProperty(property);
  assertEquals(compareListing(claim, fresh), { outcome: "valid", reasons: [], notes: [] });
  const altered = { ...claim, bedrooms: 3, street: "663 Lakeview Ave" };
  const verdict = compareListing(altered, fresh);
  assertEquals(verdict.outcome, "invalid");
  assertEquals(verdict.reasons, ['street "663 Lakeview Ave" is "661 Lakeview Ave"', "bedrooms 3 are 2"]);
});
