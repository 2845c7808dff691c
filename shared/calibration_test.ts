import { assertEquals, assertThrows } from "../tests/assert.ts";
import { lowerMedian, recalibrate, validatedPerZip } from "./calibration.ts";

const STEP = { maxStepPercent: 25 };

Deno.test("lowerMedian() takes the middle value, the lower one for even counts", () => {
  assertEquals(lowerMedian([7]), 7);
  assertEquals(lowerMedian([30, 10, 20]), 20);
  assertEquals(lowerMedian([400, 100, 300, 200]), 200);
  assertEquals(lowerMedian([5, 5, 9, 9]), 5);
  assertThrows(() => lowerMedian([]), RangeError, "no values");
});

Deno.test("recalibrate() moves toward the median by at most maxStepPercent", () => {
  assertEquals(recalibrate(1000, [1500], STEP), 1250); // capped up: +25 %
  assertEquals(recalibrate(1000, [1100, 1200, 5000], STEP), 1200); // inside the step: the median itself
  assertEquals(recalibrate(1000, [900], STEP), 900);
  assertEquals(recalibrate(1000, [100, 200, 300, 400], STEP), 750); // lower median 200, capped down: -25 %
  assertEquals(recalibrate(1000, [0, 0, 0], STEP), 750);
  assertEquals(recalibrate(750, [0, 0, 0], STEP), 563); // floor(750 * 25 / 100) = 187
  assertEquals(recalibrate(402, [410, 390, 405], STEP), 405);
  assertEquals(recalibrate(999, [2000], { maxStepPercent: 10 }), 1098); // floor(99.9) = 99
});

Deno.test("recalibrate() keeps the estimate without reports or with a zero step", () => {
  assertEquals(recalibrate(1234, [], STEP), 1234);
  assertEquals(recalibrate(1234, [5000], { maxStepPercent: 0 }), 1234);
});

Deno.test("recalibrate() lets tiny estimates move by at least one and never goes negative", () => {
  assertEquals(recalibrate(0, [500], STEP), 1);
  assertEquals(recalibrate(3, [10], STEP), 4);
  assertEquals(recalibrate(1, [0], STEP), 0);
  assertEquals(recalibrate(0, [0], STEP), 0);
});

Deno.test("recalibrate() converges on a steady median over epochs", () => {
  let estimate = 1000;
  const path: number[] = [];
  for (let epoch = 0; epoch < 5; epoch++) {
    path.push(estimate = recalibrate(estimate, [2000, 2000, 1900], STEP));
  }
  assertEquals(path, [1250, 1562, 1952, 2000, 2000]);
});

Deno.test("recalibrate() rejects negative or fractional inputs", () => {
  assertThrows(() => recalibrate(-1, [1], STEP), RangeError, "current");
  assertThrows(() => recalibrate(10, [1.5], STEP), RangeError, "report[0]");
  assertThrows(() => recalibrate(10, [-3], STEP), RangeError, "report[0]");
  assertThrows(() => recalibrate(10, [1], { maxStepPercent: 2.5 }), RangeError, "maxStepPercent");
});

Deno.test("validatedPerZip() reports the median over the miners that delivered a ZIP, never the maximum", () => {
  const honest: Record<string, number>[] = [{ "77001": 240, "77002": 100 }, { "77001": 242, "77002": 98 }, {
    "77001": 238,
  }];
  const padder = { "77001": 390, "77002": 250 };
  assertEquals(validatedPerZip([...honest, padder]), { "77001": 240, "77002": 100 });
  assertEquals(validatedPerZip([{ "77001": 0 }, { "77001": 5 }]), { "77001": 5 });
  assertEquals(validatedPerZip([]), {});
});
