import { assertEquals, assertThrows } from "../../../tests/assert.ts";
import { decodePayload, encodePayload, TlockFormatError } from "./mod.ts";

Deno.test("WeightsTlockPayload is SCALE: compact-length hotkey, Vec<u16> uids and values, u64 LE version", () => {
  const hotkey = Uint8Array.from({ length: 32 }, (_, i) => i);
  const bytes = encodePayload({ hotkey, uids: [1, 2], values: [3, 65535], versionKey: 258n });
  const expected = [128, ...hotkey, 8, 1, 0, 2, 0, 8, 3, 0, 255, 255, 2, 1, 0, 0, 0, 0, 0, 0];
  assertEquals(Array.from(bytes), expected);
  assertEquals(decodePayload(bytes), { hotkey, uids: [1, 2], values: [3, 65535], versionKey: 258n });
});

Deno.test("payload lengths past 63 and 16383 use the two- and four-byte compact forms", () => {
  for (const n of [64, 16384]) {
    const uids = Array.from({ length: n }, (_, i) => i % 65536);
    const p = { hotkey: new Uint8Array(32), uids, values: uids, versionKey: 0n };
    assertEquals(decodePayload(encodePayload(p)), p);
  }
});

Deno.test("a malformed payload is refused with a reason", () => {
  assertThrows(() => encodePayload({ hotkey: new Uint8Array(32), uids: [1], values: [], versionKey: 0n }));
  assertThrows(() =>
    encodePayload({ hotkey: new Uint8Array(32), uids: [70000], values: [1], versionKey: 0n })
  );
  const ok = encodePayload({ hotkey: new Uint8Array(32), uids: [1], values: [2], versionKey: 3n });
  assertThrows(() => decodePayload(ok.subarray(0, ok.length - 1)), TlockFormatError, "version_key");
  assertThrows(() => decodePayload(new Uint8Array([...ok, 0])), TlockFormatError, "trailing");
});
