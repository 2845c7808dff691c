// Cost of one epoch's ZIP selection over the full default universe (~37k ZIPs): `deno task bench`.
import { loadDefaultTable } from "../../api/zip_universe/default_table.ts";
import { createPrng } from "../../shared/prng.ts";
import { type SelectionOptions, selectZipcodes } from "../../shared/selection.ts";

const HOUR = 3_600_000;
const universe = await loadDefaultTable();
const base: SelectionOptions = {
  seed: new TextEncoder().encode("bench"),
  targetListings: 10_000,
  tolerancePercent: 10,
  minListings: 200,
  maxListings: 3000,
  cooldownMs: 24 * HOUR,
  now: 24 * HOUR,
  lastAssigned: new Map(),
};

// A day of earlier epochs: the cooldown marks the API passes in steady state.
const lastAssigned = new Map<string, number>();
for (let epoch = 0; epoch < 6; epoch++) {
  const result = selectZipcodes(universe, {
    ...base,
    seed: new TextEncoder().encode(`day-${epoch}`),
    now: epoch * 4 * HOUR,
    lastAssigned,
  });
  for (const z of result.zipcodes) lastAssigned.set(z.zipcode, epoch * 4 * HOUR);
}
const shuffled = createPrng("bench-order").shuffle(universe.slice());

Deno.bench("selectZipcodes() 10,000 target, full universe", { group: "selection", baseline: true }, () => {
  selectZipcodes(universe, base);
});

Deno.bench("selectZipcodes() 10,000 target, a day of cooldown marks", { group: "selection" }, () => {
  selectZipcodes(universe, { ...base, lastAssigned });
});

Deno.bench("selectZipcodes() 10,000 target, unsorted universe", { group: "selection" }, () => {
  selectZipcodes(shuffled, base);
});

Deno.bench("selectZipcodes() exact target (tolerance 0): the repair path", { group: "selection" }, () => {
  selectZipcodes(universe, { ...base, targetListings: 10_007, tolerancePercent: 0 });
});
