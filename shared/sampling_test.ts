import { assert, assertEquals, assertNotEquals, assertThrows } from "../tests/assert.ts";
import { sha256Hex } from "./canonical_json.ts";
import { createPrng } from "./prng.ts";
import { compareZpids, drawSpotChecks, type SpotCheckDrawInput, spotCheckSeed } from "./sampling.ts";

const ZPIDS = Array.from({ length: 60 }, (_, i) => String(900_000_000 + 7 * i));
const BASE: SpotCheckDrawInput = {
  epochSeed: sha256Hex("sample:2025-10-01T16-00-00"),
  hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS55tcc7yrY8GLBTPmTBfXb",
  manifestSha256: sha256Hex("manifest-1"),
  zpids: ZPIDS,
  uniqueZpids: ZPIDS.slice(0, 20),
  count: 10,
};

function shuffled<T>(items: readonly T[], seed: string): T[] {
  return createPrng(seed).shuffle(items.slice());
}

Deno.test("spotCheckSeed() is SHA-256 of the UTF-8 string epochSeed|hotkey|manifestSha256", () => {
  const seed = spotCheckSeed(BASE.epochSeed, BASE.hotkey, BASE.manifestSha256);
  assertEquals(
    Array.from(seed, (b) => b.toString(16).padStart(2, "0")).join(""),
    sha256Hex(`${BASE.epochSeed}|${BASE.hotkey}|${BASE.manifestSha256}`),
  );
});

Deno.test("drawSpotChecks() gives the same draw for the same inputs", () => {
  const draw = drawSpotChecks(BASE);
  assertEquals(draw.length, 10);
  assertEquals(new Set(draw).size, 10);
  assertEquals(drawSpotChecks({ ...BASE }), draw);
});

Deno.test("drawSpotChecks() ignores the order of its inputs and repeated zpids", () => {
  const draw = drawSpotChecks(BASE);
  assertEquals(
    drawSpotChecks({
      ...BASE,
      zpids: [...shuffled(ZPIDS, "a"), ZPIDS[3], ZPIDS[40]],
      uniqueZpids: [...shuffled(BASE.uniqueZpids, "b"), ZPIDS[0]],
    }),
    draw,
  );
});

Deno.test("drawSpotChecks() reshuffles on any change of epoch seed, hotkey or manifest", () => {
  const draw = drawSpotChecks(BASE);
  assertNotEquals(drawSpotChecks({ ...BASE, epochSeed: sha256Hex("sample:2025-10-01T20-00-00") }), draw);
  assertNotEquals(
    drawSpotChecks({ ...BASE, hotkey: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty" }),
    draw,
  );
  assertNotEquals(drawSpotChecks({ ...BASE, manifestSha256: sha256Hex("manifest-2") }), draw);
});

Deno.test("drawSpotChecks() never draws more than the miner listed", () => {
  assertEquals(
    drawSpotChecks({ ...BASE, zpids: ZPIDS.slice(0, 6), uniqueZpids: ZPIDS.slice(0, 2) }).length,
    6,
  );
  assertEquals(drawSpotChecks({ ...BASE, zpids: [], uniqueZpids: [] }), []);
  assertEquals(drawSpotChecks({ ...BASE, count: 0 }), []);
  const all = drawSpotChecks({ ...BASE, count: 1000 });
  assertEquals(all.slice().sort(compareZpids), ZPIDS);
});

Deno.test("drawSpotChecks() takes up to ceil(count / 2) listings no other miner reported first", () => {
  // Fewer unique listings than half the count: all of them come first.
  const few = ZPIDS.slice(10, 14);
  const draw = drawSpotChecks({ ...BASE, uniqueZpids: few });
  assertEquals(draw.slice(0, 4).sort(compareZpids), few);
  assertEquals(draw.slice(4).filter((z) => few.includes(z)), []);
  // Many unique listings: exactly ceil(10 / 2) = 5 of them first, the rest from everything left.
  const many = new Set(BASE.uniqueZpids);
  assert(drawSpotChecks(BASE).slice(0, 5).every((z) => many.has(z)));
  // An odd count rounds up: ceil(7 / 2) = 4.
  const odd = drawSpotChecks({ ...BASE, uniqueZpids: ZPIDS.slice(30, 50), count: 7 });
  assert(odd.slice(0, 4).every((z) => ZPIDS.slice(30, 50).includes(z)));
  // Nothing unique: a plain uniform draw.
  assertEquals(drawSpotChecks({ ...BASE, uniqueZpids: [] }).length, 10);
});

Deno.test("drawSpotChecks() has no unseeded fallback", () => {
  assertThrows(() => drawSpotChecks({ ...BASE, epochSeed: "" }), RangeError, "epoch seed");
  assertThrows(() => drawSpotChecks({ ...BASE, epochSeed: BASE.epochSeed.toUpperCase() }), RangeError);
  assertThrows(() => drawSpotChecks({ ...BASE, manifestSha256: "" }), RangeError, "manifest hash");
  assertThrows(() => drawSpotChecks({ ...BASE, hotkey: "" }), RangeError, "hotkey");
  assertThrows(() => drawSpotChecks({ ...BASE, hotkey: "a|b" }), RangeError, "hotkey");
});

Deno.test("drawSpotChecks() refuses malformed zpids, a stray unique zpid and a bad count", () => {
  assertThrows(() => drawSpotChecks({ ...BASE, zpids: ["bldg-1"], uniqueZpids: [] }), RangeError, "numeric");
  assertThrows(() => drawSpotChecks({ ...BASE, uniqueZpids: ["1"] }), RangeError, "not among");
  assertThrows(() => drawSpotChecks({ ...BASE, count: -1 }), RangeError);
  assertThrows(() => drawSpotChecks({ ...BASE, count: 2.5 }), RangeError);
});

Deno.test("compareZpids() orders by numeric value, then by code units", () => {
  assertEquals(["10", "9", "0010", "100", "010", "2"].sort(compareZpids), [
    "2",
    "9",
    "0010",
    "010",
    "10",
    "100",
  ]);
});
