import { assert, assertEquals, assertMatch, assertNotEquals, assertThrows } from "../../tests/assert.ts";
import { fixtureBody } from "../../tests/fixtures/listing_site/fixtures.ts";
import { PageParseError } from "./page_json.ts";
import { parseSearchPage, readDomCards } from "./search_page.ts";

Deno.test("parseSearchPage() reads cards, totals, paging and the region of a full-size page", async () => {
  const results = parseSearchPage(await fixtureBody("sim_search_p1"));
  assertEquals(results.listResults.length, 41);
  assertEquals(results.resultsPerPage, 41);
  assert(results.totalResultCount > 820, "the fixture ZIP is over the cap");
  assertEquals(results.totalPages, 20);
  assertMatch(results.nextUrl!, /^\/[a-z-]+-tx-77001\/2_p\/$/);
  assertEquals(results.currentPage, 1);
  assert(results.regionId !== null && results.regionId !== 77001, "the region id is not the ZIP number");
  assertEquals(results.queryState?.filterState, { sort: { value: "globalrelevanceex" } });
  assertEquals(results.mapResults, [], "SSR pages carry no map markers");
  assert(results.listResults.every((card) => typeof card.zpid === "string"));
});

Deno.test("parseSearchPage() reads the page number and keeps relaxed padding for hygiene to drop", async () => {
  const band = parseSearchPage(await fixtureBody("sim_search_band"));
  assertEquals(band.currentPage, 2);
  assertEquals((band.queryState?.filterState as Record<string, unknown>).price, { min: 250000, max: 400000 });
  assertMatch(decodeURIComponent(band.nextUrl!), /3_p\/\?searchQueryState=.*"currentPage":3/);
  const last = parseSearchPage(await fixtureBody("sim_search_last"));
  assertEquals(last.nextUrl, null);
  const relaxed = last.listResults.filter((card) => card.relaxed === true);
  assert(relaxed.length > 0 && relaxed.every((card) => card.addressZipcode !== "77005"));
  assertEquals(last.totalResultCount, 41 + last.listResults.length - relaxed.length);
});

Deno.test("parseSearchPage() appends legacy relaxedResults flagged relaxed", async () => {
  const results = parseSearchPage(await fixtureBody("search_mixed"));
  assertEquals(results.listResults.length, 10);
  assertEquals(results.listResults.at(-1)!.zpid, "200000108");
  assertEquals(results.listResults.at(-1)!.relaxed, true);
  assertEquals([results.totalResultCount, results.totalPages, results.regionId], [9, 2, 512345]);
});

Deno.test("parseSearchPage() accepts an empty result and rejects pages without search state", async () => {
  const empty = parseSearchPage(await fixtureBody("search_empty"));
  assertEquals([empty.listResults, empty.totalResultCount, empty.nextUrl], [[], 0, null]);
  assertThrows(
    () => parseSearchPage(""),
    PageParseError,
    "expected a __NEXT_DATA__ script",
  );
  const soft = await fixtureBody("search_soft_block");
  assertThrows(
    () => parseSearchPage(soft),
    PageParseError,
    'expected props.pageProps.searchPageState (page "/_error")',
  );
  const malformed = await fixtureBody("search_malformed");
  assertThrows(() => parseSearchPage(malformed), PageParseError, "Cannot parse search page: expected JSON");
  const blocked = await fixtureBody("sim_blocked");
  assertThrows(() => parseSearchPage(blocked), PageParseError);
});

Deno.test("parseSearchPage() takes totals from categoryTotals when searchList lacks them", () => {
  const state = {
    cat1: { searchResults: { listResults: [{ zpid: "1" }] } },
    categoryTotals: { cat1: { totalResultCount: 50 } },
  };
  const html = `<script id="__NEXT_DATA__">${
    JSON.stringify({ props: { pageProps: { searchPageState: state } } })
  }</script>`;
  const results = parseSearchPage(html);
  assertEquals([results.totalResultCount, results.totalPages, results.regionId, results.queryState], [
    50,
    2,
    null,
    null,
  ]);
  const noTotal = html.replace('"categoryTotals":{"cat1":{"totalResultCount":50}}', '"x":1');
  assertNotEquals(noTotal, html);
  assertThrows(() => parseSearchPage(noTotal), PageParseError, "expected a totalResultCount");
});

Deno.test("readDomCards() reads the server-rendered cards, which are the first of the JSON cards", async () => {
  const html = await fixtureBody("sim_search_p1");
  const cards = readDomCards(html);
  const json = parseSearchPage(html).listResults;
  assertEquals(cards.length, 9);
  assertEquals(cards.map((card) => card.id), json.slice(0, 9).map((card) => String(card.zpid)));
  assertMatch(cards[0].price!, /^(From )?\$[\d,]+$/);
  assert(cards[0].address && cards[0].detailUrl);
});

Deno.test("readDomCards() handles both test-id spellings, nested prices and building ids", async () => {
  const [house, building] = readDomCards(await fixtureBody("search_mixed"));
  assertEquals(house, {
    id: "200000101",
    detailUrl: "/homedetails/14-Orchard-Way-Fairbrook-GA-30301/200000101_zpid/",
    address: "14 Orchard Way, Fairbrook, GA 30301",
    price: "$412,000",
    facts: { bds: "3", ba: "2.5", sqft: "1,820" },
  });
  assertEquals([building.id, building.price, building.facts], ["33.75010--84.39020", "From $215,000", {
    bds: "--",
  }]);
  assertEquals(readDomCards("<html><body></body></html>"), []);
});

Deno.test("readDomCards() reads the amount, not the price label, and 'bd' as 'bds' (current markup)", () => {
  const card = (price: string, unit: string) =>
    `<article data-test="property-card" id="zpid_15192198"><a data-test="property-card-link" href="/homedetails/x/15192198_zpid/"><address>661 Lakeview Ave, San Francisco, CA 94112</address></a>` +
    `<span data-test="property-card-price">${price}</span>` +
    `<ul data-testid="property-card-details"><li><b>2</b> <abbr>${unit}</abbr></li><li><b>1</b> <abbr>ba</abbr></li></ul></article>`;
  const html = `<html><body>${card("<span>Fees may apply</span>$3,250/mo", "bd")}${
    card("<span>Total price</span><span>$850,000</span>", "bds")
  }${card("$1.25M+", "bd")}</body></html>`;
  const cards = readDomCards(html);
  assertEquals(cards.map((c) => c.price), ["$3,250", "$850,000", "$1.25M+"]);
  assertEquals(cards.map((c) => c.facts), [{ bds: "2", ba: "1" }, { bds: "2", ba: "1" }, {
    bds: "2",
    ba: "1",
  }]);
});
