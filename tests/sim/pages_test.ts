import { assert, assertEquals, assertMatch, assertNotEquals } from "../assert.ts";
import { findListing, isForSale, listingsAt, type SimListing } from "./inventory.ts";
import { describeListing } from "./listing_media.ts";
import { parseDocument, pick, readDetailProperty, readNextData } from "./page_reader.ts";
import {
  DEFAULT_ORIGIN,
  gdpClientCache,
  renderBlockPage,
  renderBuildingPage,
  renderDetailPage,
  renderNotFoundPage,
  renderSearchApi,
  renderSearchPage,
  SSR_CARDS,
} from "./pages.ts";
import { MAX_PAGES, RESULTS_PER_PAGE } from "./search_engine.ts";
import { searchInputFor, TEST_AT, testRegistry } from "./test_market.ts";

type Card = Record<string, unknown> & { zpid: string; relaxed?: boolean };

const big = testRegistry("pages-big", 1500);
const small = testRegistry("pages-small", 25);

function cardsOf(html: string): Card[] {
  return pick(readNextData(html), "props.pageProps.searchPageState.cat1.searchResults.listResults") as Card[];
}

function searchListOf(html: string): Record<string, unknown> {
  return pick(readNextData(html), "props.pageProps.searchPageState.cat1.searchList") as Record<
    string,
    unknown
  >;
}

function detailContext(listing: SimListing) {
  const market = big.marketFor(listing.zip);
  return {
    schools: market.profile.schools,
    nearby: listingsAt(market, TEST_AT).slice(0, 10),
    origin: DEFAULT_ORIGIN,
  };
}

function forSaleListings(): SimListing[] {
  return listingsAt(big.marketFor("77001"), TEST_AT).filter(isForSale);
}

Deno.test("renderSearchPage() caps results at 41 per page", () => {
  const html = renderSearchPage(searchInputFor(big, "/homes/for_sale/77001_rb/"));
  const cards = cardsOf(html);
  const list = searchListOf(html);
  assertEquals(cards.length, RESULTS_PER_PAGE);
  assertEquals(list.resultsPerPage, 41);
  assert((list.totalResultCount as number) > 820, "the ZIP is over the 820 cap");
  assertEquals(list.totalPages, MAX_PAGES);
  assertMatch(String(pick(list, "pagination.nextUrl")), /^\/[a-z]+-tx-77001\/2_p\/$/);
  assertEquals(
    pick(readNextData(html), "props.pageProps.searchPageState.categoryTotals.cat1.totalResultCount"),
    list.totalResultCount,
  );
});

Deno.test("renderSearchPage() stops paging at page 20 and never repeats a card across pages", () => {
  const seen = new Set<string>();
  let total = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const html = renderSearchPage(searchInputFor(big, `/homes/for_sale/77001_rb/${page}_p/`));
    const cards = cardsOf(html).filter((card) => !card.relaxed);
    assertEquals(cards.length, RESULTS_PER_PAGE, `page ${page} is full`);
    for (const card of cards) seen.add(card.zpid);
    const list = searchListOf(html);
    total = list.totalResultCount as number;
    assertEquals(pick(list, "pagination.nextUrl") === undefined, page === MAX_PAGES);
    assertEquals(
      pick(readNextData(html), "props.pageProps.searchPageState.queryState.pagination.currentPage"),
      page === 1 ? undefined : page,
    );
  }
  assertEquals(seen.size, MAX_PAGES * RESULTS_PER_PAGE);
  assert(total > seen.size, `only ${seen.size} of ${total} are reachable without splitting`);
  assertEquals(cardsOf(renderSearchPage(searchInputFor(big, "/homes/for_sale/77001_rb/21_p/"))).length, 0);
});

Deno.test("renderSearchPage() pads a short last page with relaxed listings from other ZIPs", () => {
  const html = renderSearchPage(searchInputFor(small, "/homes/for_sale/77001_rb/"));
  const cards = cardsOf(html);
  const list = searchListOf(html);
  const relaxed = cards.filter((card) => card.relaxed);
  assert(relaxed.length > 0);
  assert(relaxed.every((card) => card.addressZipcode !== "77001"));
  assertEquals(list.totalResultCount, cards.length - relaxed.length, "relaxed rows are not counted");
  assertEquals(list.totalPages, 1);
  assertEquals(list.pagination, undefined);
});

Deno.test("renderSearchPage() is deterministic in seed and time", () => {
  const path = "/homes/for_sale/77001_rb/3_p/";
  const first = renderSearchPage(searchInputFor(big, path));
  assertEquals(renderSearchPage(searchInputFor(testRegistry("pages-big", 1500), path)), first);
  assertNotEquals(renderSearchPage(searchInputFor(testRegistry("pages-other", 1500), path)), first);
  const later = new Date(TEST_AT.getTime() + 7 * 86_400_000);
  assertNotEquals(renderSearchPage(searchInputFor(big, path, {}, later)), first);
});

Deno.test("renderSearchPage() matches the reference page structure", () => {
  const html = renderSearchPage(searchInputFor(big, "/homes/for_sale/77001_rb/"));
  const document = parseDocument(html);
  assertMatch(document.title, /^77001 Real Estate - [\d,]+ Homes For Sale \| Zillow$/);
  const articles = [
    ...document.querySelectorAll('ul#grid-search-results article[data-test="property-card"]'),
  ];
  assertEquals(articles.length, SSR_CARDS, "only the first cards are server-rendered");
  const cards = cardsOf(html);
  assertEquals(articles[0].id, `zpid_${cards[0].zpid}`);
  assert(articles[0].querySelector('a[data-test="property-card-link"] address')?.textContent);
  assertMatch(
    articles[0].querySelector('span[data-test="property-card-price"]')!.textContent!,
    /^(From )?\$[\d,]+$/,
  );
  assert(document.querySelector('[data-testid="search-pagination"] a[rel="next"]'));
  const data = readNextData(html);
  assertEquals(data.page, "/search/GenericSearchPage");
  const state = pick(data, "props.pageProps.searchPageState.queryState") as Record<string, unknown>;
  assertEquals(Object.keys(state.mapBounds as object).sort(), ["east", "north", "south", "west"]);
  assertEquals(pick(state, "regionSelection.0.regionType"), 7);
  assertNotEquals(pick(state, "regionSelection.0.regionId"), 77001);
  assertEquals(pick(data, "props.pageProps.searchPageState.cat1.searchResults.mapResults"), []);
});

Deno.test("renderSearchPage() keeps the site's type quirks in cards", () => {
  const html = renderSearchPage(searchInputFor(big, "/homes/for_sale/77001_rb/"));
  const cards: Card[] = [];
  for (let page = 1; page <= MAX_PAGES && !cards.some((card) => card.isBuilding); page++) {
    cards.push(...cardsOf(renderSearchPage(searchInputFor(big, `/homes/for_sale/77001_rb/${page}_p/`))));
  }
  const listings = cards.filter((card) => /^\d+$/.test(card.zpid));
  assert(listings.every((card) => pick(card, "hdpData.homeInfo.zpid") === Number(card.zpid)));
  assert(
    listings.some((card) => String(card.detailUrl).startsWith("https://www.zillow.com/homedetails/")),
  );
  assert(listings.some((card) => String(card.detailUrl).startsWith("/homedetails/")));
  const lot = listings.find((card) => pick(card, "hdpData.homeInfo.homeType") === "LOT");
  assert(lot && !("beds" in lot) && pick(lot, "hdpData.homeInfo.lotAreaUnit") === "acres");
  const building = cards.find((card) => card.isBuilding === true);
  assert(building, "building cards appear");
  assertMatch(building.zpid, /^-?\d+\.\d+--?\d+\.\d+$/);
  assertMatch(html, /"price":\d+\.0,/, "homeInfo prices print as floats");
});

Deno.test("renderSearchApi() answers the async search with list and map results", () => {
  const input = searchInputFor(big, "/homes/for_sale/", {
    regionSelection: [{ regionId: big.infoFor("77001").regionId, regionType: 7 }],
    filterState: { price: { min: 200000, max: 400000 } },
  });
  const body = JSON.parse(
    renderSearchApi(input, { wants: { cat1: ["listResults", "mapResults"], cat2: ["total"] }, requestId: 7 }),
  );
  assertEquals(body.requestId, 7);
  assert(body.user && body.regionState, "unrelated siblings are present");
  const { listResults, mapResults } = body.cat1.searchResults;
  assert(listResults.length > 0 && listResults.length <= RESULTS_PER_PAGE);
  assert(mapResults.length > listResults.length && mapResults.length <= 500);
  for (const card of listResults.filter((c: Card) => !c.relaxed && !c.isBuilding)) {
    assert(card.unformattedPrice >= 200000 && card.unformattedPrice <= 400000);
  }
  assertEquals(body.categoryTotals.cat2.totalResultCount, 0);
  const listOnly = JSON.parse(renderSearchApi(input, { wants: { cat1: ["listResults"] }, requestId: 8 }));
  assertEquals(listOnly.cat1.searchResults.mapResults, undefined);
});

Deno.test("renderDetailPage() round-trips the listing through the double-encoded gdpClientCache", () => {
  const listing = forSaleListings().find((l) => l.yearBuiltOnlyInResoFacts)!;
  const html = renderDetailPage(listing, detailContext(listing));
  const data = readNextData(html);
  assertEquals(data.page, "/homedetails/[...slug]");
  assertEquals(
    typeof pick(data, "props.pageProps.componentProps.gdpClientCache"),
    "string",
    "the cache is a JSON string",
  );
  assertEquals(pick(data, "props.pageProps.componentProps.zpid"), Number(listing.zpid));
  const property = readDetailProperty(html, Number(listing.zpid))!;
  assertEquals(property.zpid, Number(listing.zpid));
  assertEquals(property.price, listing.price);
  assertEquals(pick(property, "address.streetAddress"), listing.streetAddress);
  assertEquals(property.zipcode, "77001");
  assertEquals(property.bedrooms, listing.bedrooms);
  assertEquals(property.lotSize, listing.lotSqft);
  assertEquals(property.yearBuilt, null);
  assertEquals(pick(property, "resoFacts.yearBuilt"), listing.yearBuilt);
  assertEquals(
    property.timeOnZillow,
    `${listing.daysOnZillow} ${listing.daysOnZillow === 1 ? "day" : "days"}`,
  );
  assertEquals(
    (property.priceHistory as Array<{ price: number }>).map((e) => e.price),
    listing.priceHistory.map((e) => e.price),
  );
  assertEquals(findListing(big.marketFor("77001"), listing.zpid, TEST_AT)?.price, property.price);
});

Deno.test("renderDetailPage() escapes a </script> inside the description", () => {
  const listing = forSaleListings().find((l) => describeListing(l).includes("</script>"))!;
  assert(listing, "some remarks carry a closing script tag");
  const html = renderDetailPage(listing, detailContext(listing));
  const scriptStart = html.indexOf('<script id="__NEXT_DATA__"');
  assertEquals(
    html.slice(scriptStart, html.indexOf("</script>", scriptStart)).includes("alert"),
    true,
    "the tag stays inside",
  );
  assertEquals(readDetailProperty(html, Number(listing.zpid))!.description, describeListing(listing));
});

Deno.test("gdpClientCache() varies key names and adds a partial VariantQuery entry", () => {
  const all = listingsAt(big.marketFor("77001"), TEST_AT);
  const prefixes = new Set<string>();
  for (const listing of [...all.slice(0, 50), ...all.filter(isForSale).slice(0, 200)]) {
    for (const key of Object.keys(gdpClientCache(listing, { schools: [], nearby: [] }))) {
      prefixes.add(key.slice(0, key.indexOf("{")));
    }
  }
  for (
    const name of [
      "ForSalePriorityQuery",
      "ForSaleShopperPlatformFullRenderQuery",
      "VariantQuery",
      "NotForSaleShopperPlatformFullRenderQuery",
    ]
  ) {
    assert(prefixes.has(name), `${name} keys occur`);
  }
  const variant = all.find((l) => isForSale(l) && l.detailKeyStyle === "VariantQuery")!;
  const html = renderDetailPage(variant, detailContext(variant));
  const property = readDetailProperty(html, Number(variant.zpid))!;
  assert(Object.keys(property).length > 20, "the richest entry wins over the partial one");
  const sold = all.find((l) => l.status === "SOLD")!;
  const soldProperty = readDetailProperty(renderDetailPage(sold, detailContext(sold)), Number(sold.zpid))!;
  assertEquals(soldProperty.homeStatus, "RECENTLY_SOLD");
  assertEquals((soldProperty.priceHistory as Array<{ event: string }>)[0].event, "Sold");
});

Deno.test("renderBuildingPage() lists the building's units with numeric zpids", () => {
  const market = big.marketFor("77001");
  const units = forSaleListings().filter((l) => l.buildingId !== null);
  const building = market.profile.buildings.find((b) => b.id === units[0].buildingId)!;
  const mine = units.filter((l) => l.buildingId === building.id);
  const data = readNextData(renderBuildingPage(building, mine, market.profile.info, DEFAULT_ORIGIN));
  const listed = pick(
    data,
    "props.pageProps.componentProps.initialReduxState.gdp.building.ungroupedUnits",
  ) as Card[];
  assertEquals(listed.map((unit) => unit.zpid).sort(), mine.map((l) => l.zpid).sort());
});

Deno.test("renderBlockPage() carries the PerimeterX markers and no __NEXT_DATA__", () => {
  const html = renderBlockPage({ uuid: "11111111-2222-4333-a444-555555555555", vid: "abc" });
  const document = parseDocument(html);
  assertEquals(document.title, "Access to this page has been denied");
  assertEquals(document.querySelector('meta[name="description"]')?.getAttribute("content"), "px-captcha");
  assert(document.querySelector("div#px-captcha"));
  assertEquals(document.querySelector("script#__NEXT_DATA__"), null);
  for (
    const marker of [
      "window._pxAppId",
      "window._pxUuid",
      "window._pxVid",
      "_pxHostUrl",
      "_pxJsClientSrc",
      "Press &amp; Hold",
    ]
  ) {
    assert(html.includes(marker), marker);
  }
  assert(html.length > 4000 && html.length < 10_000, `block page is ${html.length} bytes`);
  assertEquals(pick(readNextData(renderNotFoundPage()), "page"), "/_error");
});

Deno.test("rendered pages weigh hundreds of KB", () => {
  const search = renderSearchPage(searchInputFor(big, "/homes/for_sale/77001_rb/"));
  const listing = forSaleListings()[0];
  const detail = renderDetailPage(listing, detailContext(listing));
  const api = renderSearchApi(searchInputFor(big, "/homes/for_sale/77001_rb/"), {
    wants: null,
    requestId: 1,
  });
  assert(search.length > 300_000 && search.length < 1_500_000, `search page is ${search.length} bytes`);
  assert(detail.length > 200_000 && detail.length < 1_000_000, `detail page is ${detail.length} bytes`);
  assert(api.length > 100_000, `API body is ${api.length} bytes`);
});
