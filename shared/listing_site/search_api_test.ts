import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { fixtureBody } from "../../tests/fixtures/listing_site/fixtures.ts";
import { PageParseError } from "./page_json.ts";
import { parseSearchApi } from "./search_api.ts";

Deno.test("parseSearchApi() reads list and map results and the region among unrelated siblings", async () => {
  const body = await fixtureBody("sim_search_api");
  const results = parseSearchApi(body);
  assert(results.listResults.length > 0 && results.listResults.length <= 41);
  assert(results.mapResults.length >= results.listResults.length - 6, "map markers cover the whole query");
  assert(results.mapResults.length <= 500);
  assertEquals(results.regionId, JSON.parse(body).regionState.regionInfo[0].regionId);
  assertEquals(results.queryState, null);
  for (const card of results.listResults.filter((c) => c.relaxed !== true && c.isBuilding !== true)) {
    assert((card.unformattedPrice as number) >= 300_000 && (card.unformattedPrice as number) <= 330_000);
  }
});

Deno.test("parseSearchApi() rejects challenge JSON, arrays and malformed bodies", async () => {
  assertThrows(() => parseSearchApi("[]"), PageParseError, "expected a JSON object");
  assertThrows(() => parseSearchApi("{"), PageParseError, "Cannot parse search API response: expected JSON");
  const challenge = await fixtureBody("sim_blocked_api");
  assertThrows(() => parseSearchApi(challenge), PageParseError, "expected cat1.searchResults");
});
