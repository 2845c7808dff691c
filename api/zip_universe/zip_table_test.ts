import { assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  formatZipTable,
  marketTierFor,
  normalizeState,
  parseZipTable,
  regionForState,
  STATE_REGIONS,
  ZIP_TABLE_COLUMNS,
} from "./zip_table.ts";

const HEADER = ZIP_TABLE_COLUMNS.join(",");

Deno.test("the state table covers the 50 states and DC in four Census regions", () => {
  assertEquals(Object.keys(STATE_REGIONS).length, 51);
  assertEquals(new Set(Object.values(STATE_REGIONS)), new Set(["Northeast", "Midwest", "South", "West"]));
  assertEquals(regionForState("PA"), "Northeast");
  assertEquals(regionForState("DC"), "South");
  assertThrows(() => regionForState("PR"), RangeError, "Unknown state");
});

Deno.test("normalizeState() accepts codes and full names in any case", () => {
  assertEquals(normalizeState(" ny "), "NY");
  assertEquals(normalizeState("District of Columbia"), "DC");
  assertEquals(normalizeState("PR"), null);
  assertEquals(normalizeState(""), null);
});

Deno.test("marketTierFor() splits at 100 and 300 expected listings", () => {
  assertEquals([0, 99, 100, 299, 300, 3000].map(marketTierFor), [
    "EMERGING",
    "EMERGING",
    "STANDARD",
    "STANDARD",
    "PREMIUM",
    "PREMIUM",
  ]);
});

Deno.test("parseZipTable() and formatZipTable() round-trip, sorted by zipcode", () => {
  const text = [
    HEADER,
    '10001,NY,New York,"New York, City of",40.7484,-73.9967,24616,103,STANDARD,Northeast',
    "00501,NY,Holtsville,,,,,6,EMERGING,Northeast",
  ].join("\n");
  const rows = parseZipTable(text);
  assertEquals(rows[0].record, {
    zipcode: "10001",
    state: "NY",
    city: "New York",
    county: "New York, City of",
    latitude: 40.7484,
    longitude: -73.9967,
    expectedListings: 103,
    marketTier: "STANDARD",
    geographicRegion: "Northeast",
    active: true,
  });
  assertEquals(rows[0].populationEstimate, 24616);
  assertEquals(rows[1].record.county, null);
  assertEquals(rows[1].populationEstimate, null);
  const formatted = formatZipTable(rows);
  assertEquals(formatted.split("\n")[1].slice(0, 6), "00501,");
  assertEquals(parseZipTable(formatted).map((r) => r.record.zipcode), ["00501", "10001"]);
});

Deno.test("parseZipTable() names the record of a bad header, row, ZIP or repeat", () => {
  assertThrows(() => parseZipTable("zip,state\n"), SyntaxError, "header");
  assertThrows(() => parseZipTable(`${HEADER}\n1001,MA,X,,,,,5,EMERGING,Northeast`), SyntaxError, "row 2");
  assertThrows(
    () => parseZipTable(`${HEADER}\n01001,MA,X,,,,,five,EMERGING,Northeast`),
    SyntaxError,
    "number",
  );
  assertThrows(() => parseZipTable(`${HEADER}\n01001,MA,X,,,`), SyntaxError, "expected 10 fields");
  const row = "01001,MA,X,,,,,5,EMERGING,Northeast";
  assertThrows(() => parseZipTable(`${HEADER}\n${row}\n${row}`), SyntaxError, "row 3");
});
