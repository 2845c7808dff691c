import { assert, assertEquals } from "../../tests/assert.ts";
import {
  buildZipTableRows,
  distanceKm,
  dropPlaceholderZips,
  estimatePopulations,
  expectedListingsFor,
  MAX_ZIP_POPULATION,
  normalizePlaceName,
  parsePostalCodes,
  type Place,
  type PostalZip,
  RURAL_BASELINE_POPULATION,
  scalePopulations,
} from "./estimate_universe.ts";

function zip(zipcode: string, city: string, latitude: number, longitude: number, state = "NY"): PostalZip {
  return { zipcode, city, state, county: "Test", latitude, longitude };
}

let nextId = 1;
function place(
  name: string,
  population: number,
  latitude: number,
  longitude: number,
  extra: Partial<Place> = {},
) {
  return { id: nextId++, name, state: "NY", featureCode: "PPL", population, latitude, longitude, ...extra };
}

Deno.test("parsePostalCodes() keeps the 50 states and DC, first of a repeat, with a centre", () => {
  const line = (...f: string[]) => f.join("\t");
  const text = [
    line("US", "12007", "Alcove", "New York", "NY", "Albany", "001", "", "", "42.4561", "-73.9277", "4"),
    line("US", "12007", "Again", "New York", "NY", "Albany", "001", "", "", "42.4", "-73.9", "4"),
    line("US", "09001", "APO AA", "", "", "", "", "", "", "38.1105", "15.6613", ""),
    line("US", "96960", "Majuro", "Marshall Islands", "MH", "", "", "", "", "7.1", "171.2", ""),
    line(
      "US",
      "20001",
      "Washington",
      "District of Columbia",
      "DC",
      "",
      "001",
      "",
      "",
      "38.9122",
      "-77.0177",
      "4",
    ),
    line("US", "30001", "Nowhere", "Georgia", "GA", "X", "", "", "", "", "", ""),
  ].join("\r\n");
  assertEquals(parsePostalCodes(text), [
    {
      zipcode: "12007",
      city: "Alcove",
      state: "NY",
      county: "Albany",
      latitude: 42.4561,
      longitude: -73.9277,
    },
    {
      zipcode: "20001",
      city: "Washington",
      state: "DC",
      county: null,
      latitude: 38.9122,
      longitude: -77.0177,
    },
  ]);
});

Deno.test("dropPlaceholderZips() drops every ZIP that shares its exact centre", () => {
  const zips = [
    zip("10001", "New York", 40.7, -74),
    zip("10008", "New York", 40.71, -74.01),
    zip("10009", "X", 40.71, -74.01),
  ];
  const { kept, dropped } = dropPlaceholderZips(zips);
  assertEquals(kept.map((z) => z.zipcode), ["10001"]);
  assertEquals(dropped.map((z) => z.zipcode), ["10008", "10009"]);
});

Deno.test("normalizePlaceName() folds case, accents, punctuation and common abbreviations", () => {
  assertEquals(normalizePlaceName("Saint Paul"), normalizePlaceName("St. Paul"));
  assertEquals(normalizePlaceName("The Bronx"), "bronx");
  assertEquals(normalizePlaceName("Cañon City"), "canon city");
  assertEquals(normalizePlaceName("O'Fallon"), "ofallon");
  assertEquals(normalizePlaceName("Washington, D.C."), "washington dc");
  assertEquals(normalizePlaceName("Mount Vernon"), normalizePlaceName("Mt Vernon"));
});

Deno.test("distanceKm() measures a degree of latitude as about 111 km", () => {
  assert(Math.abs(distanceKm(40, -74, 41, -74) - 111.2) < 0.1);
});

Deno.test("estimatePopulations() shares by name, adds suburbs, skips neighbourhoods, else the baseline", () => {
  const zips = [
    zip("10001", "Springfield", 40.0, -74.0),
    zip("10002", "Springfield", 40.02, -74.0),
    zip("10003", "Hamlet", 40.3, -74.0), // a suburb's nearest ZIP
    zip("10004", "Far Away", 41.5, -74.0), // nothing near: baseline
    zip("10005", "Springfield", 43.0, -74.0), // same name, beyond 60 km: not Springfield's
    zip("10006", "New York", 40.75, -73.99),
  ];
  const places = [
    place("Springfield", 60_000, 40.01, -74.0),
    place("Springfield", 900, 40.01, -74.0), // a duplicate GeoNames entry
    place("Springfield Heights", 5000, 40.011, -74.0), // a neighbourhood near a named ZIP
    place("Suburbia", 7000, 40.31, -74.0),
    place("Old Town", 8000, 40.3, -74.0, { featureCode: "PPLX" }),
    place("Manhattan", 1_500_000, 40.78, -73.97), // an alias of the ZIP name "New York"
    place("New York City", 8_000_000, 40.71, -74.0), // an umbrella over counted places
    place("Ghost (historical)", 3000, 40.3, -74.0),
  ];
  const { population, source } = estimatePopulations(zips, places);
  assertEquals(population, [
    30_000,
    30_000,
    7000,
    RURAL_BASELINE_POPULATION,
    RURAL_BASELINE_POPULATION,
    1_500_000,
  ]);
  assertEquals(source, ["named", "named", "nearest", "baseline", "baseline", "named"]);
});

Deno.test("scalePopulations() scales to the total, rounds, and caps", () => {
  assertEquals(scalePopulations([1, 2, 7], 1000), [100, 200, 700]);
  assertEquals(scalePopulations([1, 1_000_000], 2_000_000), [2, MAX_ZIP_POPULATION]);
  assertEquals(scalePopulations([0, 0], 1000), [0, 0]);
});

Deno.test("expectedListingsFor() applies 4.2 listings per 1,000 residents, rounding half up", () => {
  assertEquals(expectedListingsFor(0), 0);
  assertEquals(expectedListingsFor(1500), 6);
  assertEquals(expectedListingsFor(47_620), 200);
  assertEquals(expectedListingsFor(120_000), 504);
});

Deno.test("buildZipTableRows() returns sorted rows with listings, tiers and regions", () => {
  const zips = [zip("10002", "Big", 40.5, -74), zip("10001", "Small", 40, -74, "CA")];
  const rows = buildZipTableRows(zips, [place("Big", 100_000, 40.5, -74)]);
  assertEquals(rows.map((r) => r.record.zipcode), ["10001", "10002"]);
  // Scaled to 335M residents, both ZIPs hit the cap.
  assertEquals(rows.map((r) => r.populationEstimate), [MAX_ZIP_POPULATION, MAX_ZIP_POPULATION]);
  assertEquals(rows.map((r) => r.record.expectedListings), [504, 504]);
  assertEquals(rows.map((r) => r.record.marketTier), ["PREMIUM", "PREMIUM"]);
  assertEquals(rows.map((r) => r.record.geographicRegion), ["West", "Northeast"]);
});
