import { assert, assertEquals, assertNotEquals, assertThrows } from "../tests/assert.ts";
import { createPrng } from "./prng.ts";

Deno.test("createPrng() gives the same stream for the same seed and another for any change", () => {
  const draw = (seed: string) => Array.from({ length: 8 }, createPrng(seed).nextU32);
  assertEquals(draw("epoch|hotkey"), draw("epoch|hotkey"));
  assertNotEquals(draw("epoch|hotkey"), draw("epoch|hotkey2"));
  assertEquals(draw("abc"), Array.from({ length: 8 }, createPrng(new TextEncoder().encode("abc")).nextU32));
});

Deno.test("createPrng() refuses an empty seed", () => {
  assertThrows(() => createPrng(""), RangeError, "seed is empty");
});

Deno.test("nextBelow() stays in range and reaches every value", () => {
  const prng = createPrng("range");
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = prng.nextBelow(7);
    assert(v >= 0 && v < 7);
    seen.add(v);
  }
  assertEquals(seen.size, 7);
  assertThrows(() => prng.nextBelow(0), RangeError);
  assertThrows(() => prng.nextBelow(2 ** 32 + 1), RangeError);
});

Deno.test("sample() draws distinct items and at most all of them", () => {
  const prng = createPrng("sample");
  const items = Array.from({ length: 50 }, (_, i) => i);
  const picked = prng.sample(items, 10);
  assertEquals(new Set(picked).size, 10);
  assertEquals(prng.sample(items, 80).length, 50);
  assertEquals(items[0], 0);
});

Deno.test("nextFloat() lies in [0, 1)", () => {
  const prng = createPrng("floats");
  for (let i = 0; i < 1000; i++) {
    const f = prng.nextFloat();
    assert(f >= 0 && f < 1);
  }
});
