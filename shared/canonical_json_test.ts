import { assertEquals, assertThrows } from "../tests/assert.ts";
import { canonicalJson, canonicalSha256, sha256Hex } from "./canonical_json.ts";

Deno.test("canonicalJson() is independent of key insertion order", () => {
  assertEquals(canonicalJson({ b: { y: 1, x: 2 }, a: 0 }), canonicalJson({ a: 0, b: { x: 2, y: 1 } }));
  assertEquals(canonicalSha256({ b: 1, a: 2 }), sha256Hex('{"a":2,"b":1}'));
});

Deno.test("canonicalJson() rejects values JSON cannot hold exactly", () => {
  assertThrows(() => canonicalJson({ a: NaN }), TypeError, "$.a");
  assertThrows(() => canonicalJson([Infinity]), TypeError);
  assertThrows(() => canonicalJson({ a: 1n }), TypeError, "bigint");
  assertThrows(() => canonicalJson([undefined]), TypeError);
});

Deno.test("canonicalJson() omits undefined object fields and writes dates as ISO strings", () => {
  assertEquals(canonicalJson({ a: undefined, d: new Date(0) }), '{"d":"1970-01-01T00:00:00.000Z"}');
});

Deno.test("sha256Hex() matches the FIPS 180-2 test vector", () => {
  assertEquals(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
