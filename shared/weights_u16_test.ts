import { assertEquals, assertThrows } from "../tests/assert.ts";
import { SCALE } from "./fixed_point.ts";
import { divRoundHalfEven, toU16Weights, U16_MAX } from "./weights_u16.ts";

Deno.test("toU16Weights() max-upscales so the largest weight becomes 65535", () => {
  assertEquals(
    toU16Weights([{ uid: 0, weight: SCALE }, { uid: 5, weight: 500_000 }, { uid: 7, weight: 1_526 }]),
    {
      uids: [0, 5, 7],
      weights: [U16_MAX, 32_768, 100],
    },
  );
  assertEquals(toU16Weights([{ uid: 42, weight: 1 }]), { uids: [42], weights: [U16_MAX] });
});

Deno.test("toU16Weights() rounds half to even like Python's round()", () => {
  // 150_000 * 65535 / 500_000 = 19_660.5 -> 19_660; 65535 / 2 = 32_767.5 -> 32_768; 65535 / 6 = 10_922.5 -> 10_922.
  assertEquals(toU16Weights([{ uid: 1, weight: 500_000 }, { uid: 2, weight: 150_000 }]).weights, [
    U16_MAX,
    19_660,
  ]);
  assertEquals(toU16Weights([{ uid: 1, weight: 1 }, { uid: 2, weight: 2 }]).weights, [32_768, U16_MAX]);
  assertEquals(toU16Weights([{ uid: 1, weight: 1 }, { uid: 2, weight: 6 }]).weights, [10_922, U16_MAX]);
});

Deno.test("toU16Weights() drops zeros, sorts uids and sets nothing when every weight is 0", () => {
  assertEquals(
    toU16Weights([{ uid: 9, weight: 100 }, { uid: 3, weight: 0 }, { uid: 1, weight: 7 }, {
      uid: 2,
      weight: SCALE,
    }]),
    { uids: [2, 9], weights: [U16_MAX, 7] },
  );
  assertEquals(toU16Weights([{ uid: 4, weight: 0 }]), { uids: [], weights: [] });
  assertEquals(toU16Weights([]), { uids: [], weights: [] });
});

Deno.test("toU16Weights() refuses repeated or out-of-range uids and non-fixed-point weights", () => {
  assertThrows(() => toU16Weights([{ uid: 1, weight: 1 }, { uid: 1, weight: 2 }]), RangeError, "twice");
  assertThrows(() => toU16Weights([{ uid: 65_536, weight: 1 }]), RangeError, "uid");
  assertThrows(() => toU16Weights([{ uid: -1, weight: 1 }]), RangeError, "uid");
  assertThrows(() => toU16Weights([{ uid: 1, weight: SCALE + 1 }]), RangeError, "weight");
  assertThrows(() => toU16Weights([{ uid: 1, weight: 0.5 }]), RangeError, "weight");
});

Deno.test("divRoundHalfEven() rounds to nearest, halves to the even neighbour", () => {
  assertEquals([5n, 7n, 9n, 11n, 12n].map((n) => divRoundHalfEven(n, 2n)), [2n, 4n, 4n, 6n, 6n]);
  assertEquals([divRoundHalfEven(1n, 3n), divRoundHalfEven(2n, 3n), divRoundHalfEven(0n, 3n)], [0n, 1n, 0n]);
});
