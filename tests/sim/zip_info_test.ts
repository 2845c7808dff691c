import { assertEquals, assertNotEquals } from "../assert.ts";
import {
  deriveZipInfo,
  gridZipsInBounds,
  regionIdForZip,
  resolveZipInfo,
  zipBounds,
  zipForRegionId,
  type ZipInfo,
} from "./zip_info.ts";

Deno.test("regionIdForZip() is invertible and differs from the ZIP number", () => {
  for (const zip of ["00501", "10001", "77001", "94112", "99950"]) {
    const regionId = regionIdForZip(zip);
    assertNotEquals(regionId, Number(zip));
    assertEquals(zipForRegionId(regionId), zip);
  }
  assertEquals(zipForRegionId(12), null);
});

Deno.test("deriveZipInfo() places a ZIP in its prefix's state and finds it again by bounds", () => {
  const info = deriveZipInfo("77001");
  assertEquals(info.state, "TX");
  assertEquals(deriveZipInfo("10001").state, "NY");
  assertEquals(deriveZipInfo("77002").city, info.city, "one 3-digit area shares a city");
  assertEquals(gridZipsInBounds(zipBounds(info), 16).includes("77001"), true);
  const tiny = {
    west: info.longitude - 0.003,
    east: info.longitude + 0.003,
    south: info.latitude - 0.003,
    north: info.latitude + 0.003,
  };
  assertEquals(gridZipsInBounds(tiny, 16), ["77001"]);
});

Deno.test("resolveZipInfo() lets table facts override derived ones", () => {
  const info = resolveZipInfo("77001", {
    city: "Houston",
    latitude: 29.81,
    longitude: -95.31,
    state: undefined,
  });
  assertEquals(info.city, "Houston");
  assertEquals(info.state, "TX");
  assertEquals(info.latitude, 29.81);
  const fromTable = resolveZipInfo("77001", { city: "Houston", expected: 900 } as Partial<ZipInfo>);
  assertEquals(Object.keys(fromTable).sort(), Object.keys(deriveZipInfo("77001")).sort());
});
