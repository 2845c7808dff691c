import { assertEquals, assertThrows } from "../tests/assert.ts";
import { formatFixed, mul, percentOf, ratio, SCALE, splitProportionally } from "./fixed_point.ts";

Deno.test("ratio() rounds down and clamps to one", () => {
  assertEquals(ratio(1, 3), 333_333);
  assertEquals(ratio(2, 3), 666_666);
  assertEquals(ratio(5, 4), SCALE);
  assertEquals(ratio(1, 0), 0);
});

Deno.test("mul() and percentOf() round down", () => {
  assertEquals(mul(333_333, 666_666), 222_221);
  assertEquals(percentOf(SCALE, 40), 400_000);
  assertEquals(percentOf(999_999, 15), 149_999);
});

Deno.test("splitProportionally() always sums to the total, remainders to the largest, ties to the first", () => {
  assertEquals(splitProportionally(10, [1, 1, 1]), [4, 3, 3]);
  assertEquals(splitProportionally(65_535, [50, 30, 15, 5]), [32_768, 19_660, 9_830, 3_277]);
  assertEquals(splitProportionally(7, [0, 0]), [0, 0]);
  const parts = splitProportionally(1_000_003, [17, 4, 99, 1, 0, 36]);
  assertEquals(parts.reduce((a, b) => a + b, 0), 1_000_003);
  assertEquals(parts[4], 0);
});

Deno.test("fixed-point helpers refuse fractions and negatives", () => {
  assertThrows(() => ratio(0.5, 1), RangeError);
  assertThrows(() => mul(-1, 1), RangeError);
  assertThrows(() => splitProportionally(10, [1, -1]), RangeError);
  assertEquals(formatFixed(1_234_567), "1.234567");
});
