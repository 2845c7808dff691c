import { assert, assertEquals } from "../../tests/assert.ts";
import { epochById } from "../../shared/epoch.ts";
import { syntheticUniverse } from "../../tests/harness/api_harness.ts";
import { ensurePlan, getPlan, type PlanInputs } from "./epochs.ts";

const OPTIONS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };
const universe = syntheticUniverse();
const inputs = (secret: string): PlanInputs => ({
  secret,
  targetListings: 10_000,
  tolerancePercent: 10,
  minListings: 200,
  maxListings: 3000,
  cooldownHours: 24,
  states: [],
  loadUniverse: () => Promise.resolve(universe),
  nowMs: Date.UTC(2025, 9, 1, 15, 45),
});

Deno.test("ensurePlan() creates exactly one plan under concurrent requests from separate KV handles", async () => {
  const dir = await Deno.makeTempDir();
  const handles = await Promise.all([0, 1, 2].map(() => Deno.openKv(`${dir}/api.kv`)));
  try {
    const epoch = epochById("2025-10-01T16-00-00", OPTIONS);
    const results = await Promise.all(
      Array.from(
        { length: 24 },
        (_, i) => ensurePlan(handles[i % handles.length], epoch, inputs("s".repeat(40))),
      ),
    );
    assertEquals(results.filter((r) => r.created).length, 1);
    const stored = await getPlan(handles[0], epoch.id);
    for (const r of results) assertEquals(r.plan, stored);
  } finally {
    handles.forEach((kv) => kv.close());
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensurePlan() is reproducible from the secret, changes with it, and applies the cooldown", async () => {
  const plan = async (secret: string, prior?: string) => {
    const kv = await Deno.openKv(":memory:");
    try {
      if (prior) await ensurePlan(kv, epochById(prior, OPTIONS), inputs(secret));
      return (await ensurePlan(kv, epochById("2025-10-01T16-00-00", OPTIONS), inputs(secret))).plan;
    } finally {
      kv.close();
    }
  };
  const a = await plan("a".repeat(40));
  const again = await plan("a".repeat(40));
  const other = await plan("b".repeat(40));
  assertEquals(a.zipcodes, again.zipcodes);
  assertEquals(a.nonce, again.nonce);
  assert(JSON.stringify(a.zipcodes) !== JSON.stringify(other.zipcodes), "another secret draws another set");
  // After the 12:00 epoch was planned, none of its ZIPs may come back at 16:00 (24 h cooldown).
  const earlier = await (async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      return (await ensurePlan(kv, epochById("2025-10-01T12-00-00", OPTIONS), inputs("a".repeat(40)))).plan;
    } finally {
      kv.close();
    }
  })();
  const after = await plan("a".repeat(40), "2025-10-01T12-00-00");
  const reused = after.zipcodes.filter((z) => earlier.zipcodes.some((e) => e.zipcode === z.zipcode));
  assertEquals(reused, []);
});
