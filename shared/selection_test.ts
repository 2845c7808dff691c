import { assert, assertEquals, assertNotEquals, assertThrows } from "../tests/assert.ts";
import { createPrng } from "./prng.ts";
import type { ZipRecord } from "./schemas/zip_universe.ts";
import {
  selectionBand,
  type SelectionOptions,
  type SelectionResult,
  selectionSeedNumber,
  selectZipcodes,
} from "./selection.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 9, 1, 16);

function zip(zipcode: string, expectedListings: number, extra: Partial<ZipRecord> = {}): ZipRecord {
  return {
    zipcode,
    state: "TX",
    city: "Houston",
    county: "Harris",
    latitude: null,
    longitude: null,
    expectedListings,
    marketTier: "STANDARD",
    geographicRegion: "South",
    active: true,
    ...extra,
  };
}

function seedOf(i: number): Uint8Array {
  return new TextEncoder().encode(`seed-${i}`);
}

function options(overrides: Partial<SelectionOptions> = {}): SelectionOptions {
  return {
    seed: seedOf(0),
    targetListings: 10_000,
    tolerancePercent: 10,
    minListings: 200,
    maxListings: 3000,
    cooldownMs: 24 * HOUR,
    now: NOW,
    lastAssigned: new Map(),
    ...overrides,
  };
}

/** `n` ZIPs with expected listings drawn from [lo, hi] by a fixed stream, in ZIP order. */
function syntheticUniverse(n: number, lo: number, hi: number, label = "universe"): ZipRecord[] {
  const prng = createPrng(label);
  const states = ["TX", "CA", "NY", "PA", "FL"];
  return Array.from(
    { length: n },
    (_, i) =>
      zip(String(10_000 + i).padStart(5, "0"), lo + prng.nextBelow(hi - lo + 1), {
        state: states[i % states.length],
      }),
  );
}

function codes(result: SelectionResult): string[] {
  return result.zipcodes.map((z) => z.zipcode);
}

function assertConsistent(result: SelectionResult): void {
  assertEquals(result.totalExpected, result.zipcodes.reduce((a, z) => a + z.expectedListings, 0));
  assertEquals(new Set(codes(result)).size, result.zipcodes.length, "a ZIP was selected twice");
}

Deno.test("selectionBand() rounds the band inward and never lets lo reach 0", () => {
  assertEquals(selectionBand(10_000, 10), { lo: 9000, hi: 11_000 });
  assertEquals(selectionBand(1001, 10), { lo: 901, hi: 1101 });
  assertEquals(selectionBand(5, 0), { lo: 5, hi: 5 });
  assertEquals(selectionBand(10, 100), { lo: 1, hi: 20 });
});

Deno.test("selectZipcodes() lands in the band for 200 seeds on a synthetic universe", () => {
  const universe = syntheticUniverse(2000, 200, 3000);
  for (let i = 0; i < 200; i++) {
    const result = selectZipcodes(universe, options({ seed: seedOf(i) }));
    assertConsistent(result);
    assertEquals(result.targetMissed, false);
    assert(
      result.totalExpected >= 9000 && result.totalExpected <= 11_000,
      `seed ${i}: ${result.totalExpected}`,
    );
    assertEquals(result.eligibleCount, 2000);
  }
});

Deno.test("selectZipcodes() lands in the band for 200 seeds on tiny, awkward universes", () => {
  // Only {500, 500} fits [900, 1100]; a draw starting with 800 fails, so re-draws or the repair must find it.
  const tiny = [zip("00001", 800), zip("00002", 500), zip("00003", 500)];
  // Only 3 x 300 = 900 fits [900, 1100] among big ZIPs that overshoot.
  const sparse = [
    zip("00010", 950),
    zip("00011", 300),
    zip("00012", 300),
    zip("00013", 1050),
    zip("00014", 300),
    zip("00015", 850),
  ];
  for (const universe of [tiny, sparse]) {
    for (let i = 0; i < 200; i++) {
      const result = selectZipcodes(
        universe,
        options({ seed: seedOf(i), targetListings: 1000, minListings: 0, maxListings: 5000 }),
      );
      assertConsistent(result);
      assertEquals(result.targetMissed, false, `seed ${i}: ${codes(result)}`);
      assert(result.totalExpected >= 900 && result.totalExpected <= 1100);
    }
  }
});

Deno.test("selectZipcodes() finds a narrow band the random draws rarely hit", () => {
  // 1 % of 7,777 is [7700, 7854]; 40 ZIPs of 200..3000 make that a subset-sum problem.
  const universe = syntheticUniverse(40, 200, 3000, "narrow");
  let hits = 0;
  for (let i = 0; i < 50; i++) {
    const result = selectZipcodes(
      universe,
      options({ seed: seedOf(i), targetListings: 7777, tolerancePercent: 1 }),
    );
    assertConsistent(result);
    if (!result.targetMissed) hits++;
    assert(
      result.totalExpected >= 7700 && result.totalExpected <= 7854,
      `seed ${i}: ${result.totalExpected}`,
    );
  }
  assertEquals(hits, 50);
});

Deno.test("selectZipcodes() excludes ZIPs on cooldown and readmits them once it has passed", () => {
  const universe = [zip("00001", 1000), zip("00002", 1000), zip("00003", 1000), zip("00004", 1000)];
  const lastAssigned = new Map([
    ["00001", NOW - 4 * HOUR], // inside the 24 h cooldown
    ["00002", NOW - 24 * HOUR], // exactly 24 h ago: eligible again
    ["00003", NOW + 4 * HOUR], // planned for a later epoch
  ]);
  for (let i = 0; i < 20; i++) {
    const result = selectZipcodes(
      universe,
      options({ seed: seedOf(i), targetListings: 2000, lastAssigned, minListings: 0 }),
    );
    assertEquals(result.eligibleCount, 2);
    assertEquals(codes(result).sort(), ["00002", "00004"]);
  }
  const noCooldown = selectZipcodes(universe, options({ targetListings: 4000, lastAssigned, cooldownMs: 0 }));
  assertEquals(noCooldown.eligibleCount, 3, "a ZIP planned for the future is never eligible");
});

Deno.test("selectZipcodes() respects min/max listings, the active flag and the state filter", () => {
  const universe = [
    zip("00001", 199),
    zip("00002", 200),
    zip("00003", 3000),
    zip("00004", 3001),
    zip("00005", 1000, { active: false }),
    zip("00006", 1000, { state: "CA" }),
    zip("00007", 1000, { state: "NY" }),
  ];
  const all = selectZipcodes(universe, options({ targetListings: 1_000_000 }));
  assertEquals(codes(all).sort(), ["00002", "00003", "00006", "00007"]);
  assertEquals(all.eligibleCount, 4);
  assertEquals(all.targetMissed, true);

  const west = selectZipcodes(universe, options({ targetListings: 1_000_000, states: ["CA", "NY"] }));
  assertEquals(codes(west).sort(), ["00006", "00007"]);
  const empty = selectZipcodes(universe, options({ targetListings: 1_000_000, states: [] }));
  assertEquals(empty.eligibleCount, 4, "an empty state list allows every state");
});

Deno.test("selectZipcodes() is reproducible from the seed and blind to the universe's order", () => {
  const universe = syntheticUniverse(500, 200, 3000);
  const first = selectZipcodes(universe, options({ seed: seedOf(7) }));
  const again = selectZipcodes(universe, options({ seed: seedOf(7) }));
  const shuffled = createPrng("order").shuffle(universe.slice());
  const reordered = selectZipcodes(shuffled, options({ seed: seedOf(7) }));
  assertEquals(codes(again), codes(first));
  assertEquals(codes(reordered), codes(first));
});

Deno.test("selectZipcodes() matches its golden draw (a change here breaks every reimplementation)", () => {
  const universe = syntheticUniverse(30, 200, 3000, "golden");
  const seed = new TextEncoder().encode("golden-seed");
  const result = selectZipcodes(universe, options({ seed, targetListings: 5000 }));
  assertEquals(codes(result), ["10006", "10010", "10009"]);
  assertEquals(result.totalExpected, 1202 + 1663 + 1727);
  // The repair path: only {500, 500} fits, and all four draws of this seed start with 800.
  const tiny = [zip("00001", 800), zip("00002", 500), zip("00003", 500)];
  const repaired = selectZipcodes(
    tiny,
    options({ seed: new TextEncoder().encode("repair-59"), targetListings: 1000, minListings: 0 }),
  );
  assertEquals(codes(repaired).sort(), ["00002", "00003"]);
});

Deno.test("selectZipcodes() draws different sets for different seeds", () => {
  const universe = syntheticUniverse(2000, 200, 3000);
  const sets = new Set<string>();
  for (let i = 0; i < 50; i++) {
    sets.add(codes(selectZipcodes(universe, options({ seed: seedOf(i) }))).sort().join());
  }
  assertEquals(sets.size, 50);
  assertNotEquals(
    codes(selectZipcodes(universe, options({ seed: seedOf(1) }))),
    codes(selectZipcodes(universe, options({ seed: seedOf(2) }))),
  );
});

Deno.test("selectZipcodes() reports a miss with the closest total it can reach", () => {
  const o = { targetListings: 1000, minListings: 0, maxListings: 5000 };
  // Everything fits but the sum stays below the band: take all of it.
  const small = selectZipcodes([zip("00001", 200), zip("00002", 300)], options(o));
  assertEquals({ missed: small.targetMissed, total: small.totalExpected }, { missed: true, total: 500 });
  // Every ZIP alone overshoots the band: select nothing rather than overshoot.
  const big = selectZipcodes([zip("00001", 2500), zip("00002", 2600)], options(o));
  assertEquals({ missed: big.targetMissed, total: big.totalExpected, n: big.zipcodes.length }, {
    missed: true,
    total: 0,
    n: 0,
  });
  // The sum is large enough but no subset lands in [900, 1100]: the best below the band is 850.
  const gap = selectZipcodes([zip("00001", 800), zip("00002", 850), zip("00003", 1200)], options(o));
  assertEquals({ missed: gap.targetMissed, total: gap.totalExpected }, { missed: true, total: 850 });
  // Nothing eligible at all.
  const none = selectZipcodes([], options(o));
  assertEquals({ missed: none.targetMissed, total: none.totalExpected, eligible: none.eligibleCount }, {
    missed: true,
    total: 0,
    eligible: 0,
  });
});

Deno.test("selectZipcodes() rejects duplicate ZIPs and invalid options", () => {
  assertThrows(() => selectZipcodes([zip("00001", 500), zip("00001", 600)], options()), RangeError, "twice");
  assertThrows(() => selectZipcodes([], options({ targetListings: 0 })), RangeError, "targetListings");
  assertThrows(() => selectZipcodes([], options({ tolerancePercent: 101 })), RangeError, "tolerancePercent");
  assertThrows(() => selectZipcodes([], options({ tolerancePercent: 2.5 })), RangeError, "tolerancePercent");
  assertThrows(
    () => selectZipcodes([], options({ minListings: 500, maxListings: 100 })),
    RangeError,
    "maxListings",
  );
  assertThrows(() => selectZipcodes([], options({ cooldownMs: -1 })), RangeError, "cooldownMs");
  assertThrows(() => selectZipcodes([], options({ seed: new Uint8Array(0) })), RangeError, "seed is empty");
});

Deno.test("selectionSeedNumber() reads the first four bytes big-endian", () => {
  assertEquals(selectionSeedNumber(new Uint8Array([0xff, 0, 0, 1, 9])), 0xff00_0001);
  assertThrows(() => selectionSeedNumber(new Uint8Array(3)), RangeError, "expected at least 4");
});
