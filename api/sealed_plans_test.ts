import { assert, assertEquals } from "../tests/assert.ts";
import { beaconPublicKey, signRound } from "../shared/chain/tlock/drand.ts";
import { formatBeacon } from "../shared/drand_schedule.ts";
import { openSealedPlan, openSealedSeed } from "../shared/sealed_plan.ts";
import { SealedPlansResponseSchema } from "../shared/schemas/sealed_plan.ts";
import { createTestApi, type TestApi } from "../tests/harness/api_harness.ts";

const beaconSecret = new Uint8Array(32).fill(3);
const beacon = { publicKey: beaconPublicKey(beaconSecret), genesisTime: 1692803367, period: 3 };

async function withApi(fn: (t: TestApi) => Promise<void>, ahead = "6"): Promise<void> {
  const t = await createTestApi({ env: { DRAND_BEACON: formatBeacon(beacon), SEALED_PLANS_AHEAD: ahead } });
  try {
    await fn(t);
  } finally {
    t.close();
  }
}

async function published(t: TestApi) {
  const res = await t.app.request("/api/v1/sealed-plans");
  assertEquals(res.status, 200);
  return SealedPlansResponseSchema.parse(await res.json()).plans;
}

Deno.test("the API seals the running and the next SEALED_PLANS_AHEAD epochs, once, on a public route", () =>
  withApi(async (t) => {
    assertEquals(await t.sealed.publishAhead(), 7);
    assertEquals(await t.sealed.publishAhead(), 0, "a sealed plan is written once");
    const plans = await published(t);
    assertEquals(plans.map((p) => p.epochId), [
      "2025-10-01T16-00-00",
      "2025-10-01T20-00-00",
      "2025-10-02T00-00-00",
      "2025-10-02T04-00-00",
      "2025-10-02T08-00-00",
      "2025-10-02T12-00-00",
      "2025-10-02T16-00-00",
    ]);
    // Each opens at its round into exactly the plan the API will serve, and its seed matches.
    const trust = { apiHotkeys: t.deps.signer.address, beacon, nowMs: Date.UTC(2025, 9, 3) };
    for (const sealed of plans) {
      const plan = (await t.planner.find(sealed.epochId))!;
      const opened = openSealedPlan(sealed, signRound(beaconSecret, BigInt(sealed.planRound)), trust);
      assert(opened.ok, JSON.stringify(opened));
      assertEquals(opened.value.assignment.nonce, plan.nonce);
      assertEquals(opened.value.assignment.zipcodes, plan.zipcodes);
      const seed = openSealedSeed(
        sealed,
        signRound(beaconSecret, BigInt(sealed.seedRound)),
        opened.value.assignment.seedCommitment,
        trust,
      );
      assert(seed.ok && seed.value === plan.samplingSeed);
    }
  }));

Deno.test("plans made days ahead stay secret: no route reveals an epoch before it starts", () =>
  withApi(async (t) => {
    await t.sealed.publishAhead();
    const future = "2025-10-01T20-00-00";
    const plan = (await t.planner.find(future))!;
    const v = t.pairs.validator;
    const res = await t.signedGet(
      `/api/v1/zipcode-assignments/epoch/${future}`,
      v,
      t.sign(v, "epochAssignment", { epochId: future, timestamp: t.nowS() }),
    );
    assertEquals(res.status, 403);
    const { body } = await t.current();
    assertEquals(body.epochId, "2025-10-01T16-00-00");
    for (
      const path of [
        "/api/v1/zipcode-assignments/stats",
        "/api/v1/dashboard/epochs",
        "/api/v1/dashboard/current",
      ]
    ) {
      const text = await (await t.app.request(path)).text();
      assert(!text.includes(plan.nonce), `${path} leaks the nonce of ${future}`);
      assert(!text.includes(future), `${path} names the unstarted ${future}`);
    }
  }));

Deno.test("SEALED_PLANS_AHEAD=0 publishes nothing", () =>
  withApi(async (t) => {
    assertEquals(await t.sealed.publishAhead(), 0);
    assertEquals(await published(t), []);
  }, "0"));
