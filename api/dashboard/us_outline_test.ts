// The committed outline against the projection: big cities fall on land, open water does not.
import { assert } from "../../tests/assert.ts";
import { projectUsa } from "./projection.ts";
import { US_BORDERS_PATH, US_LAND_PATH } from "./us_outline.ts";

/** The closed rings of an `M x y l dx dy ... z` path as absolute points. */
function rings(path: string): [number, number][][] {
  return path.split("z").filter(Boolean).map((sub) => {
    const [move, lines] = sub.slice(1).split("l");
    const numbers = (text: string) => text.match(/-?\d+(\.\d+)?/g)!.map(Number);
    let [x, y] = numbers(move);
    const ring: [number, number][] = [[x, y]];
    const d = numbers(lines);
    for (let i = 0; i < d.length; i += 2) ring.push([x += d[i], y += d[i + 1]]);
    return ring;
  });
}

/** Even-odd point in polygon set: lakes are holes. */
function onLand(point: readonly [number, number], all: [number, number][][]): boolean {
  let inside = false;
  for (const ring of all) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
  }
  return inside;
}

Deno.test("the outline is compact path data with land rings and border lines", () => {
  assert(/^M[-\d lMz]+$/.test(US_LAND_PATH) && /^M[-\d lM]+$/.test(US_BORDERS_PATH));
  assert(US_LAND_PATH.length + US_BORDERS_PATH.length < 30_000, "keep the page light");
});

Deno.test("cities project onto the land of the outline and open water does not", () => {
  const land = rings(US_LAND_PATH);
  const cities: [string, number, number][] = [
    ["Denver", -104.99, 39.74],
    ["Chicago", -87.75, 41.85],
    ["Dallas", -96.8, 32.78],
    ["Atlanta", -84.39, 33.75],
    ["Fairbanks", -147.72, 64.84],
    ["Hilo", -155.09, 19.71],
  ];
  for (const [name, lon, lat] of cities) {
    assert(onLand(projectUsa(lon, lat)!, land), `${name} is not on land`);
  }
  const water: [string, number, number][] = [
    ["Gulf of Mexico", -90, 26],
    ["Lake Michigan", -87, 43.5],
    ["off Cape Cod", -68, 41],
  ];
  for (const [name, lon, lat] of water) assert(!onLand(projectUsa(lon, lat)!, land), `${name} is on land`);
});
