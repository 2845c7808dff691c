import { assert, assertEquals } from "../../tests/assert.ts";
import { MAP_SIZE, projectUsa } from "./projection.ts";

// Reference positions from d3-geo 3.1.2's geoAlbersUsa().scale(1300).translate([487.5, 305]).
const D3: [string, number, number, number, number][] = [
  ["Philadelphia", -75.1, 40.0, 855.0964054355686, 235.83807404435493],
  ["San Francisco", -122.4, 37.8, 35.33011176825295, 260.9769970090566],
  ["Anchorage", -149.9, 61.2, 112.28746916946169, 544.421841061888],
  ["Honolulu", -157.8, 21.3, 268.2004425733044, 549.3498667428752],
  ["Miami", -80.2, 25.8, 822.4290350651306, 571.7201011788592],
  ["Austin", -97.7, 30.3, 464.77748137738587, 496.7178325267231],
  ["Aleutians west of 180°", 179.5, 51.9, -30.39943518648805, 593.1374324318908],
];

Deno.test("projectUsa() matches d3's geoAlbersUsa, Alaska and Hawaii insets included", () => {
  for (const [name, lon, lat, x, y] of D3) {
    const [px, py] = projectUsa(lon, lat)!;
    assert(Math.abs(px - x) < 1e-6 && Math.abs(py - y) < 1e-6, `${name}: ${px},${py} vs ${x},${y}`);
  }
});

Deno.test("projectUsa() has no position for places off the map or invalid coordinates", () => {
  assertEquals(projectUsa(-66.1, 18.4), null, "Puerto Rico");
  assertEquals(projectUsa(144.7, 13.4), null, "Guam");
  assertEquals(projectUsa(0, 0), null);
  assertEquals(projectUsa(NaN, 40), null);
  assertEquals(projectUsa(-75, 95), null);
});

Deno.test("the contiguous states fill the viewport", () => {
  const corners = [[-124.7, 48.4], [-67, 44.8], [-97.4, 25.9], [-81, 25]].map(([lon, lat]) =>
    projectUsa(lon, lat)!
  );
  for (const [x, y] of corners) {
    assert(x > 0 && x < MAP_SIZE.width && y > 0 && y < MAP_SIZE.height, `${x},${y}`);
  }
});
