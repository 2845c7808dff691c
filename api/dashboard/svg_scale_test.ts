import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { bandScale, labelStride, linearScale, niceTicks } from "./svg_scale.ts";

Deno.test("linearScale() maps the domain onto the range, inverted ranges included", () => {
  const y = linearScale([0, 100], [200, 0]);
  assertEquals([y(0), y(50), y(100)], [200, 100, 0]);
  assertEquals(linearScale([5, 5], [0, 10])(5), 5, "a flat domain sits in the middle");
});

Deno.test("niceTicks() covers the data with 1-2-5 steps", () => {
  assertEquals(niceTicks(0, 10_400, 5), [0, 2000, 4000, 6000, 8000, 10000, 12000]);
  assertEquals(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assertEquals(niceTicks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]);
  assertEquals(niceTicks(0, 0, 4), [0, 0.2, 0.4, 0.6, 0.8, 1], "an all-zero series still gets an axis");
  assertEquals(niceTicks(1, 3, 5, true), [1, 2, 3], "integer ticks never step below 1");
  assertEquals(niceTicks(10, 0, 2), [0, 5, 10], "reversed bounds");
  assertThrows(() => niceTicks(0, NaN, 5), RangeError, "Cannot make ticks");
});

Deno.test("bandScale() centres n bands, and labelStride() thins labels that would overlap", () => {
  const bands = bandScale(4, [0, 400], 0.5);
  assertEquals([bands.center(0), bands.center(3), bands.width, bands.step], [50, 350, 50, 100]);
  assertEquals(bandScale(0, [0, 400]).step, 0);
  assertEquals(labelStride(100, 60), 1);
  assertEquals(labelStride(25, 60), 3);
  assertEquals(labelStride(0, 60), 1);
});
