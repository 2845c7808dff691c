import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { parseDocument } from "../../tests/sim/page_reader.ts";
import { projectUsa } from "./projection.ts";
import { usMap } from "./svg_map.ts";

const point = (zipcode: string, longitude: number | null, latitude: number | null) => ({
  zipcode,
  label: `${zipcode} <town>`,
  latitude,
  longitude,
});

Deno.test("usMap() draws one dot per placeable ZIP at its projected position, and counts the rest", () => {
  const { svg, unplaced } = usMap({
    title: "Assigned ZIP codes",
    points: [
      point("15213", -79.95, 40.44),
      point("99501", -149.88, 61.22),
      point("96813", -157.85, 21.31),
      point("00901", -66.1, 18.46), // Puerto Rico is off the map
      point("12345", null, null),
    ],
    emptyMessage: "none",
  });
  assertEquals(unplaced, 2);
  const dots = [...parseDocument(`<html><body>${svg}</body></html>`).querySelectorAll("circle.zip-dot")];
  assertEquals(dots.map((d) => d.getAttribute("data-zip")), ["15213", "99501", "96813"]);
  const [x, y] = projectUsa(-79.95, 40.44)!;
  assertEquals([dots[0].getAttribute("cx"), dots[0].getAttribute("cy")], [
    String(Math.round(x * 10) / 10),
    String(Math.round(y * 10) / 10),
  ]);
  assertEquals(dots[0].querySelector("title")!.textContent, "15213 <town>");
  assert(!svg.includes("<town>"), "labels are escaped");
  assertMatch(svg, /viewBox="0 0 975 610"/);
});

Deno.test("usMap() with no ZIPs still draws the country and says why it is empty", () => {
  const { svg, unplaced } = usMap({ title: "t", points: [], emptyMessage: "No ZIP codes assigned yet" });
  assertEquals(unplaced, 0);
  assertMatch(svg, /<path class="land" d="M/);
  assertMatch(svg, /No ZIP codes assigned yet/);
});
