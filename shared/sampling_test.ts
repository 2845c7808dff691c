import { assert, assertEquals, assertNotEquals, assertThrows } from "../tests/assert.ts";
import { sha256Hex } from "./canonical_json.ts";
import { createPrng } from "./prng.ts";
import {
  compareZpids,
  drawSpotChecks,
  reporterCounts,
  type SpotCheckDrawInput,
  spotCheckSeed,
} from "./sampling.ts";

const ZPIDS = Array.from({ length: 60 }, (_, i) => String(900_000_000 + 7 * i));
const BASE: SpotCheckDrawInput = {
  epochSeed: sha256Hex("sample:2025-10-01T16-00-00"),
  hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS55tcc7yrY8GLBTPmTBfXb",
  manifestSha256: sha256Hex("manifest-1"),
  zpids: ZPIDS,
  reporters: Object.fromEntries(ZPIDS.map((z, i) => [z, i < 20 ? 1 : 4])),
  count: 10,
};
const tiers = (...groups: [string[], number][]) => {
  const out: Record<string, number> = Object.fromEntries(ZPIDS.map((z) => [z, 5]));
  for (const [zpids, r] of groups) for (const z of zpids) out[z] = r;
  return out;
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
      reporters: Object.fromEntries(shuffled(Object.entries(BASE.reporters), "b")),
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
    drawSpotChecks({ ...BASE, zpids: ZPIDS.slice(0, 6) }).length,
    6,
  );
  assertEquals(drawSpotChecks({ ...BASE, zpids: [] }), []);
  assertEquals(drawSpotChecks({ ...BASE, count: 0 }), []);
  const all = drawSpotChecks({ ...BASE, count: 1000 });
  assertEquals(all.slice().sort(compareZpids), ZPIDS);
});

Deno.test("drawSpotChecks() draws tier by tier from the listings the fewest miners reported", () => {
  // 3 listings only this miner reported, 4 reported by 2 (it and a colluder), the rest by 5.
  const alone = ZPIDS.slice(40, 43);
  const pair = ZPIDS.slice(5, 9);
  const draw = drawSpotChecks({ ...BASE, reporters: tiers([alone, 1], [pair, 2]) });
  assertEquals(draw.slice(0, 3).sort(compareZpids), alone);
  assertEquals(draw.slice(3, 7).sort(compareZpids), pair);
  assertEquals(draw.slice(7).filter((z) => alone.includes(z) || pair.includes(z)), []);
  // Many rare listings: the whole count comes from them.
  const rare = new Set(ZPIDS.slice(0, 20));
  assert(drawSpotChecks(BASE).every((z) => rare.has(z)));
  // Everything reported equally: a plain uniform draw of the count.
  assertEquals(drawSpotChecks({ ...BASE, reporters: {} }).length, 10);
});

Deno.test("drawSpotChecks() extends the same stream: a shorter count is a prefix of a longer one", () => {
  const reporters = tiers([ZPIDS.slice(40, 43), 1], [ZPIDS.slice(5, 9), 2]);
  const long = drawSpotChecks({ ...BASE, reporters, count: 25 });
  for (const count of [0, 1, 3, 7, 10, 24]) {
    assertEquals(drawSpotChecks({ ...BASE, reporters, count }), long.slice(0, count));
  }
});

Deno.test("reporterCounts() counts each miner once per zpid", () => {
  assertEquals(reporterCounts([{ zpids: ["1", "2", "2"] }, { zpids: ["2", "3"] }]), {
    "1": 1,
    "2": 2,
    "3": 1,
  });
});

Deno.test("drawSpotChecks() has no unseeded fallback", () => {
  assertThrows(() => drawSpotChecks({ ...BASE, epochSeed: "" }), RangeError, "epoch seed");
  assertThrows(() => drawSpotChecks({ ...BASE, epochSeed: BASE.epochSeed.toUpperCase() }), RangeError);
  assertThrows(() => drawSpotChecks({ ...BASE, manifestSha256: "" }), RangeError, "manifest hash");
  assertThrows(() => drawSpotChecks({ ...BASE, hotkey: "" }), RangeError, "hotkey");
  assertThrows(() => drawSpotChecks({ ...BASE, hotkey: "a|b" }), RangeError, "hotkey");
});

Deno.test("drawSpotChecks() refuses malformed zpids, reporter counts and a bad count", () => {
  assertThrows(() => drawSpotChecks({ ...BASE, zpids: ["bldg-1"], reporters: {} }), RangeError, "numeric");
  assertThrows(() => drawSpotChecks({ ...BASE, reporters: { [ZPIDS[0]]: 0 } }), RangeError, "reporters");
  assertThrows(() => drawSpotChecks({ ...BASE, reporters: { [ZPIDS[0]]: 1.5 } }), RangeError, "reporters");
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
