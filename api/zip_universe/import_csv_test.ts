import { assertEquals } from "../../tests/assert.ts";
import { mergeZipImport, parseZipImport } from "./import_csv.ts";
import type { ZipTableRow } from "./zip_table.ts";

function baseRow(
  zipcode: string,
  state: string,
  expectedListings: number,
  populationEstimate = 1000,
): ZipTableRow {
  return {
    record: {
      zipcode,
      state,
      city: `City ${zipcode}`,
      county: "Base County",
      latitude: 40,
      longitude: -74,
      expectedListings,
      marketTier: "STANDARD",
      geographicRegion: "Northeast",
      active: true,
    },
    populationEstimate,
  };
}

const BASE = [baseRow("01001", "MA", 150), baseRow("10001", "NY", 400), baseRow("10002", "NY", 250)];
const HEADER =
  "RegionID,SizeRank,RegionName,RegionType,StateName,State,City,Metro,CountyName,2024-01-31,2024-02-29";

function csv(...rows: string[]): string {
  return "\uFEFF" + [HEADER, ...rows].join("\r\n") + "\r\n";
}

Deno.test("parseZipImport() reads Zillow rows: padded ZIPs, quoted metros, date columns ignored", () => {
  const text = csv(
    '58196,5,1001,zip,MA,MA,Agawam,"Springfield, MA",Hampden County,250000.5,251000',
    '61615,0,10001,zip,NY,NY,New York,"New York-Newark-Jersey City, NY-NJ-PA",New York County,900000,',
  );
  const { rows, errors } = parseZipImport(text, BASE);
  assertEquals(errors, []);
  assertEquals(rows.map((r) => [r.row, r.record.zipcode, r.expectedFrom, r.record.expectedListings]), [
    [2, "01001", "table", 150],
    [3, "10001", "table", 400],
  ]);
  assertEquals(rows[0].record, {
    zipcode: "01001",
    state: "MA",
    city: "Agawam",
    county: "Hampden County",
    latitude: 40,
    longitude: -74,
    expectedListings: 150,
    marketTier: "STANDARD",
    geographicRegion: "Northeast",
    active: true,
  });
});

Deno.test("parseZipImport() takes counts from an expected-listings column, else size rank, else baseline", () => {
  const text = [
    "RegionName,SizeRank,State,City,Inventory",
    "10001,9,NY,New York,612.6", // column wins over the table
    "10002,1,NY,New York,", // empty: the table's estimate
    "94110,1,CA,San Francisco,", // not in the table: the 2nd-largest base estimate (250)
    "94111,99,California,San Francisco,", // rank past the end: the smallest (150)
    "94112,,CA,,", // no rank either: the rural baseline
  ].join("\n");
  const { rows, errors } = parseZipImport(text, BASE);
  assertEquals(errors, []);
  assertEquals(
    rows.map((r) => [r.record.zipcode, r.expectedFrom, r.record.expectedListings, r.record.marketTier]),
    [
      ["10001", "column", 613, "PREMIUM"],
      ["10002", "table", 250, "STANDARD"],
      ["94110", "size-rank", 250, "STANDARD"],
      ["94111", "size-rank", 150, "STANDARD"],
      ["94112", "baseline", 6, "EMERGING"],
    ],
  );
  assertEquals(rows[4].record.city, "Unknown");
  assertEquals(rows[4].record.latitude, null);
  assertEquals(rows[4].record.geographicRegion, "West");
});

Deno.test("parseZipImport() accepts expected_listings and ExpectedListings, first present winning", () => {
  const both = "RegionName,State,ExpectedListings,expected_listings\n10001,NY,5,7\n";
  assertEquals(parseZipImport(both, BASE).rows[0].record.expectedListings, 7);
  const camel = "RegionName,State,ExpectedListings\n10001,NY,5\n";
  assertEquals(parseZipImport(camel, BASE).rows[0].record.expectedListings, 5);
});

Deno.test("parseZipImport() reports bad rows by record number and keeps the good ones", () => {
  const text = csv(
    "1,0,ABCDE,zip,NY,NY,X,,,1",
    "2,1,123456,zip,NY,NY,X,,,1",
    "3,2,00601,zip,PR,PR,San Juan,,,1",
    "4,3,10001,zip,NY,NY,New York,,,1",
    "5,4,10001,zip,NY,NY,New York,,,1",
    "6,5,10013,city,NY,NY,New York,,,1",
    "7,6,99999,zip,,,Nowhere,,,1",
  );
  const { rows, errors } = parseZipImport(text, BASE);
  assertEquals(rows.map((r) => r.record.zipcode), ["10001"]);
  assertEquals(errors, [
    { row: 2, message: 'Cannot import ZIP "ABCDE": expected 1-5 digits' },
    { row: 3, message: 'Cannot import ZIP "123456": expected 1-5 digits' },
    { row: 4, message: 'Cannot import state "PR": expected one of the 50 states or DC' },
    { row: 6, message: 'Cannot import ZIP "10001" twice: first seen in row 5' },
    { row: 7, message: 'Cannot import region type "city": expected "zip"' },
    { row: 8, message: 'Cannot import ZIP "99999" without a state: it is not in the base table' },
  ]);
  const bad = parseZipImport("RegionName,State,inventory\n10001,NY,-4\n10002,NY,lots\n", BASE);
  assertEquals(bad.errors.map((e) => e.row), [2, 3]);
});

Deno.test("parseZipImport() reports a file-level problem as record 1 instead of throwing", () => {
  assertEquals(parseZipImport("zip,state\n10001,NY\n", BASE).errors, [
    { row: 1, message: 'Cannot import a CSV without a "RegionName" column' },
  ]);
  assertEquals(parseZipImport("", BASE).errors.length, 1);
  assertEquals(parseZipImport('RegionName\n"10001', BASE).errors[0].row, 1);
});

Deno.test("mergeZipImport() replaces and adds ZIPs, keeping population estimates", () => {
  const { rows } = parseZipImport("RegionName,State,inventory\n10001,NY,900\n30301,GA,300\n", BASE);
  const merged = mergeZipImport(BASE, rows);
  assertEquals(merged.map((r) => [r.record.zipcode, r.record.expectedListings, r.populationEstimate]), [
    ["01001", 150, 1000],
    ["10001", 900, 1000],
    ["10002", 250, 1000],
    ["30301", 300, null],
  ]);
  const only = mergeZipImport(BASE, rows, { onlyImported: true });
  assertEquals(only.map((r) => r.record.zipcode), ["10001", "30301"]);
});
