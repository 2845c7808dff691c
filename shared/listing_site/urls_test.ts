import { assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  canonicalUrl,
  detailPageUrl,
  searchApiRequest,
  searchPageUrl,
  searchQueryState,
  type SearchSpec,
  sitePath,
  siteUrl,
  zpidFromUrl,
} from "./urls.ts";

const BASE = "http://127.0.0.1:8090/";
const SPEC: SearchSpec = { zip: "30301", page: 1, regionId: 512345, band: null };

Deno.test("searchPageUrl() builds page 1, page N and price-band searches", () => {
  assertEquals(searchPageUrl(BASE, SPEC), "http://127.0.0.1:8090/homes/for_sale/30301_rb/");
  assertEquals(
    searchPageUrl(BASE, { ...SPEC, page: 3 }),
    "http://127.0.0.1:8090/homes/for_sale/30301_rb/3_p/",
  );
  const url = new URL(searchPageUrl(BASE, { ...SPEC, page: 2, band: { min: 0, max: 250000 } }));
  assertEquals(url.pathname, "/homes/for_sale/30301_rb/2_p/");
  assertEquals(JSON.parse(url.searchParams.get("searchQueryState")!), {
    pagination: { currentPage: 2 },
    usersSearchTerm: "30301",
    isMapVisible: true,
    isListVisible: true,
    filterState: { price: { min: 0, max: 250000 } },
    regionSelection: [{ regionId: 512345, regionType: 7 }],
  });
});

Deno.test("searchQueryState() leaves the top band open and keeps page 1's filters", () => {
  const state = searchQueryState({
    ...SPEC,
    regionId: null,
    band: { min: 800001, max: null },
    filterState: { sort: { value: "globalrelevanceex" } },
  });
  assertEquals(state.filterState, { sort: { value: "globalrelevanceex" }, price: { min: 800001 } });
  assertEquals(state.pagination, {});
  assertEquals("regionSelection" in state, false);
});

Deno.test("searchApiRequest() is the PUT the site's own page makes", () => {
  const request = searchApiRequest(BASE, { ...SPEC, page: 2, band: { min: 1, max: 2 } });
  assertEquals([request.url, request.kind, request.method], [
    "http://127.0.0.1:8090/async-create-search-page-state",
    "api",
    "PUT",
  ]);
  assertEquals(request.headers, {
    "content-type": "application/json",
    origin: "http://127.0.0.1:8090",
    referer: "http://127.0.0.1:8090/homes/for_sale/30301_rb/",
  });
  const body = JSON.parse(request.body!);
  assertEquals(body.wants, { cat1: ["listResults", "mapResults"], cat2: ["total"] });
  assertEquals(body.searchQueryState.pagination, { currentPage: 2 });
});

Deno.test("siteUrl() and canonicalUrl() rewrite relative and absolute site links", () => {
  const path = "/homedetails/14-Orchard-Way-Fairbrook-GA-30301/200000101_zpid/";
  for (const href of [path, `https://www.zillow.com${path}`, `http://other.example:9${path}`]) {
    assertEquals(siteUrl(BASE, href), `http://127.0.0.1:8090${path}`);
    assertEquals(canonicalUrl(href), `https://www.zillow.com${path}`);
  }
  assertEquals(sitePath("https://www.zillow.com/b/x/1,2_ll/?a=1"), "/b/x/1,2_ll/?a=1");
  assertThrows(() => sitePath("homedetails/x"), TypeError, 'Cannot read link "homedetails/x"');
  assertThrows(() => sitePath("//cdn/x"), TypeError);
});

Deno.test("zpidFromUrl() and detailPageUrl() agree on the _zpid form", () => {
  assertEquals(zpidFromUrl(detailPageUrl(BASE, "200000101")), "200000101");
  assertEquals(
    detailPageUrl(BASE, "7", "7 Birch Ave"),
    "http://127.0.0.1:8090/homedetails/7%20Birch%20Ave/7_zpid/",
  );
  assertEquals(zpidFromUrl("https://www.zillow.com/homedetails/x/123_zpid"), "123");
  assertEquals(zpidFromUrl("https://www.zillow.com/homedetails/x/123_zpidx/"), null);
  assertEquals(zpidFromUrl("/b/the-mill-lofts/33.75010,-84.39020_ll/"), null);
});
