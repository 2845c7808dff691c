import { assert, assertEquals } from "../../tests/assert.ts";
import { selectZipcodes } from "../../shared/selection.ts";
import { loadDefaultTable, loadDefaultTableRows } from "./default_table.ts";

const HOUR = 3_600_000;
const DEFAULTS = { targetListings: 10_000, tolerancePercent: 10, minListings: 200, maxListings: 3000 };

Deno.test("the default table holds the 50 states and DC, sorted, each ZIP once", async () => {
  const universe = await loadDefaultTable();
  assert(universe.length > 30_000, `only ${universe.length} ZIPs`);
  assertEquals(new Set(universe.map((z) => z.state)).size, 51);
  for (let i = 1; i < universe.length; i++) {
    assert(universe[i - 1].zipcode < universe[i].zipcode, `not sorted at ${universe[i].zipcode}`);
  }
  const rows = await loadDefaultTableRows();
  assert(rows.every((r) => r.populationEstimate !== null && r.populationEstimate > 0));
  const total = universe.reduce((a, z) => a + z.expectedListings, 0);
  assert(total > 1_100_000 && total < 1_500_000, `national total ${total}`);
});

Deno.test("the default band holds hundreds of ZIPs, many epochs' worth", async () => {
  const universe = await loadDefaultTable();
  const band = universe.filter((z) => z.expectedListings >= 200 && z.expectedListings <= 3000);
  const listings = band.reduce((a, z) => a + z.expectedListings, 0);
  assert(band.length >= 500, `only ${band.length} ZIPs in the band`);
  // A day is 6 epochs of up to 11,000 under a 24 h cooldown; keep at least 3 days' worth.
  assert(listings >= 3 * 6 * 11_000, `only ${listings} listings in the band`);
});

Deno.test("selectZipcodes() lands in the band for 200 seeds on the default table", async () => {
  const universe = await loadDefaultTable();
  for (let i = 0; i < 200; i++) {
    const result = selectZipcodes(universe, {
      ...DEFAULTS,
      seed: new TextEncoder().encode(`epoch-${i}`),
      cooldownMs: 24 * HOUR,
      now: 0,
      lastAssigned: new Map(),
    });
    assertEquals(result.targetMissed, false);
    assert(
      result.totalExpected >= 9000 && result.totalExpected <= 11_000,
      `seed ${i}: ${result.totalExpected}`,
    );
  }
});

Deno.test("a week of 4-hour epochs with a 24 h cooldown never misses or reuses a ZIP too early", async () => {
  const universe = await loadDefaultTable();
  const lastAssigned = new Map<string, number>();
  for (let epoch = 0; epoch < 42; epoch++) {
    const now = epoch * 4 * HOUR;
    const result = selectZipcodes(universe, {
      ...DEFAULTS,
      seed: new TextEncoder().encode(`week-${epoch}`),
      cooldownMs: 24 * HOUR,
      now,
      lastAssigned,
    });
    assertEquals(result.targetMissed, false, `epoch ${epoch}`);
    for (const z of result.zipcodes) {
      const last = lastAssigned.get(z.zipcode);
      assert(last === undefined || now - last >= 24 * HOUR, `${z.zipcode} reused after ${now - last!} ms`);
      lastAssigned.set(z.zipcode, now);
    }
  }
});
