import { assert, assertEquals, assertThrows } from "../assert.ts";
import {
  buildSearchQuery,
  normalizeFilterState,
  parseQueryStateText,
  parseSearchPath,
} from "./search_query.ts";
import { regionIdForZip, zipForRegionId } from "./zip_info.ts";

Deno.test("parseSearchPath() reads the site's search URL forms", () => {
  assertEquals(parseSearchPath("/homes/for_sale/77001_rb/"), {
    zip: "77001",
    regionId: null,
    page: null,
    mode: "forSale",
    filterState: {},
  });
  assertEquals(parseSearchPath("/homes/for_sale/77001_rb/3_p/")?.page, 3);
  assertEquals(parseSearchPath("/homes/77001_rb/")?.zip, "77001");
  assertEquals(parseSearchPath("/houston-tx-77001/2_p/")?.zip, "77001");
  assertEquals(parseSearchPath("/homes/recently_sold/77001_rb/")?.mode, "sold");
  assertEquals(parseSearchPath("/homes/110919_rid/")?.regionId, 110919);
  assertEquals(parseSearchPath("/homes/for_sale/77001_rb/100000-250000_price/")?.filterState, {
    price: { min: 100000, max: 250000 },
  });
  assertEquals(parseSearchPath("/homedetails/x/1_zpid/"), null);
  assertEquals(parseSearchPath("/homes/for_sale/77001_rb/extra/"), null);
});

Deno.test("normalizeFilterState() maps the long API vocabulary to short keys", () => {
  assertEquals(
    normalizeFilterState({
      sortSelection: { value: "days" },
      isAllHomes: { value: true },
      isLotLand: { value: false },
    }),
    { sort: { value: "days" }, ah: { value: true }, land: { value: false } },
  );
});

Deno.test("buildSearchQuery() takes the region, page and filters from the query state", () => {
  const state = parseQueryStateText(JSON.stringify({
    pagination: { currentPage: 4 },
    regionSelection: [{ regionId: regionIdForZip("77001"), regionType: 7 }],
    filterState: {
      price: { min: "150000" },
      pnd: { value: true },
      sf: { value: false },
      fsbo: { value: false },
    },
  }));
  const query = buildSearchQuery(null, state, zipForRegionId);
  assertEquals(query.zips, ["77001"]);
  assertEquals(query.page, 4);
  assertEquals(query.ranges.price, { min: 150000, max: undefined });
  assertEquals(query.includePending, true);
  assert(query.excludedTypes.has("SINGLE_FAMILY"));
  assert(query.excludedSources.has("FSBO"));
  assertEquals(query.sort, "globalrelevanceex");
  const pathFirst = buildSearchQuery(parseSearchPath("/homes/for_sale/77001_rb/2_p/"), state, zipForRegionId);
  assertEquals(pathFirst.page, 2, "a page segment in the path wins");
  assertEquals(buildSearchQuery(null, { usersSearchTerm: "10001" }, zipForRegionId).zips, ["10001"]);
  assertEquals(
    buildSearchQuery(null, { regionSelection: [{ regionId: 1, regionType: 6 }] }, zipForRegionId).zips,
    [],
  );
  assertThrows(() => parseQueryStateText("{oops"), SyntaxError);
});
