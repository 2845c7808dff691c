import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import { isKeyWithin, minerDataKey, minerPrefix, parseObjectKey, validatorKey } from "./s3_keys.ts";

const A = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const B = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const E = "2025-10-01T16-00-00";

Deno.test("minerDataKey() refuses parts that could escape the prefix", () => {
  assertThrows(() => minerDataKey(A, E, "77001", "../x.parquet"), RangeError);
  assertThrows(() => minerDataKey(A, "2025/../x", "77001", "x.parquet"), SyntaxError);
  assertThrows(() => minerDataKey(`${A}/x`, E, "77001", "x.parquet"), RangeError);
  assertThrows(() => minerDataKey(A, E, "7700/", "x.parquet"), RangeError);
  assertThrows(() => validatorKey(A, E, "a/../b.json"), RangeError);
});

Deno.test("parseObjectKey() returns the parts of a data key", () => {
  assertEquals(parseObjectKey(minerDataKey(A, E, "77001", "part-0.parquet")), {
    kind: "minerData",
    hotkey: A,
    epochId: E,
    zipcode: "77001",
    file: "part-0.parquet",
  });
});

Deno.test("isKeyWithin() keeps one hotkey out of another's prefix", () => {
  const key = minerDataKey(B, E, "77001", "x.parquet");
  assert(isKeyWithin(key, minerPrefix(B)));
  assert(!isKeyWithin(key, minerPrefix(A)));
  assert(!isKeyWithin(`${minerPrefix(A)}../hotkey=${B}/epoch=${E}/manifest.json`, minerPrefix(A)));
});
