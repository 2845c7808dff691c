import { assert, assertEquals } from "../../tests/assert.ts";
import { buildOutline, decodeArcs, encodePath, simplify, type Topology } from "./build_us_outline.ts";

// Two unit "states" side by side around Kansas (lon -100..-98, lat 38..39), sharing the arc at lon -99.
const TOPOLOGY: Topology = {
  transform: { scale: [1, 1], translate: [-100, 38] },
  arcs: [
    [[1, 0], [0, 1]], // 0: the shared border, (-99,38) -> (-99,39)
    [[1, 1], [-1, 0], [0, -1], [1, 0]], // 1: the west state's outer edge, (-99,39) -> (-100,39) -> (-100,38) -> (-99,38)
    [[1, 0], [1, 0], [0, 1], [-1, 0]], // 2: the east state's outer edge, (-99,38) -> (-98,38) -> (-98,39) -> (-99,39)
  ],
  objects: {
    states: {
      geometries: [{ type: "Polygon", id: "W", arcs: [[0, 1]] }, {
        type: "Polygon",
        id: "E",
        arcs: [[2, ~0]],
      }],
    },
    nation: { geometries: [{ type: "MultiPolygon", arcs: [[[1, 2]]] }] },
  },
};

Deno.test("decodeArcs() undoes the quantised delta encoding", () => {
  assertEquals(decodeArcs(TOPOLOGY)[1], [[-99, 39], [-100, 39], [-100, 38], [-99, 38]]);
});

Deno.test("simplify() drops points within the tolerance and always keeps both ends", () => {
  assertEquals(simplify([[0, 0], [1, 0.1], [2, 0], [3, 5], [4, 0]], 0.5), [[0, 0], [2, 0], [3, 5], [4, 0]]);
  assertEquals(simplify([[0, 0], [5, 0.1], [10, 0]], 1), [[0, 0], [10, 0]]);
  assertEquals(simplify([[1, 1]], 1), [[1, 1]]);
});

Deno.test("encodePath() writes one absolute move, then whole-pixel relative lines without repeats", () => {
  assertEquals(encodePath([[10.4, 20.6], [12, 20.6], [12.2, 20.7], [11, 18]], true), "M10 21l2 0-1-3z");
  assertEquals(encodePath([[1, 1], [1.2, 1.1]], false), "", "a line that rounds to a point is dropped");
});

Deno.test("buildOutline() draws the nation's ring as land and only the shared arc as a border", () => {
  const { land, borders } = buildOutline(TOPOLOGY);
  assertEquals(land.match(/M/g)?.length, 1);
  assert(land.endsWith("z"));
  assertEquals(borders.match(/M/g)?.length, 1);
  assert(!borders.includes("z"), "borders are open lines");
});

Deno.test("buildOutline() leaves out territories no part of the map holds", () => {
  const puertoRico: Topology = {
    ...TOPOLOGY,
    transform: { scale: [0.1, 0.1], translate: [-67, 18] },
  };
  assertEquals(buildOutline(puertoRico), { land: "", borders: "" });
});
