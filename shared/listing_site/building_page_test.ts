import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { fixtureBody } from "../../tests/fixtures/listing_site/fixtures.ts";
import { parseBuildingPage } from "./building_page.ts";
import { PageParseError } from "./page_json.ts";

Deno.test("parseBuildingPage() lists a building's units and its facts apart", async () => {
  const { building, units } = parseBuildingPage(await fixtureBody("building"));
  assertEquals(units.map((unit) => unit.zpid), [200000201, "200000202", "unit-5d"]);
  assertEquals(building.buildingName, "The Mill Lofts");
  assertEquals("ungroupedUnits" in building, false);
  const sim = parseBuildingPage(await fixtureBody("sim_building"));
  assertEquals(sim.units.length > 0 && sim.units.every((unit) => /^\d+$/.test(String(unit.zpid))), true);
});

Deno.test("parseBuildingPage() fails clearly on other pages", async () => {
  const detail = await fixtureBody("detail_variant");
  assertThrows(
    () => parseBuildingPage(detail),
    PageParseError,
    'Cannot parse building page: expected componentProps.initialReduxState.gdp.building (page "/homedetails/[...slug]")',
  );
  assertThrows(() => parseBuildingPage(""), PageParseError, "expected a __NEXT_DATA__ script");
});
