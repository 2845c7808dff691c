import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import type { EpochPlan } from "../stores/epochs.ts";
import { formatDuration } from "./client.ts";
import type { PublishedVerdict } from "./published_reports.ts";
import { currentView, epochView, scrub } from "./views.ts";

const A = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const B = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

const PLAN: EpochPlan = {
  epochId: "2025-10-01T16-00-00",
  startMs: Date.UTC(2025, 9, 1, 16),
  endMs: Date.UTC(2025, 9, 1, 20),
  deadlineMs: Date.UTC(2025, 9, 1, 19, 45),
  zipcodes: [{
    zipcode: "15213",
    expectedListings: 480,
    state: "PA",
    city: "Pittsburgh",
    county: "Allegheny",
    marketTier: "PREMIUM",
    geographicRegion: "Northeast",
  }],
  totalExpected: 480,
  targetListings: 500,
  tolerancePercent: 20,
  targetMissed: false,
  eligibleCount: 10,
  nonce: "0123456789abcdef0123456789abcdef",
  samplingSeed: "f".repeat(64),
  seedCommitment: "e".repeat(64),
  createdAtMs: 0,
};

function verdict(validator: string, weights: Record<string, number>): PublishedVerdict {
  const at = "2025-10-01T20:10:00.000Z";
  return {
    report: {
      version: 1,
      epochId: PLAN.epochId,
      validatorHotkey: validator,
      generatedAt: at,
      seed: PLAN.samplingSeed,
      seedCommitment: PLAN.seedCommitment,
      config: {},
      miners: [],
      weights,
      burn: null,
      evidenceSha256: [],
    },
    metadata: {
      epochId: PLAN.epochId,
      validatorHotkey: validator,
      zipcodes: ["15213"],
      expectedListings: 480,
      validatedListings: validator === A ? 400 : 390,
      winners: [],
      publishedAt: at,
    },
  };
}

Deno.test("currentView() copies the public fields only, with missing coordinates as null", () => {
  const body = currentView({
    plan: PLAN,
    status: "ACTIVE",
    paused: true,
    progress: { COMPLETED: 2 },
    receipts: 2,
    nowMs: PLAN.startMs,
  });
  assertEquals(body.systemStatus, "paused");
  assertEquals(body.miners, { inProgress: 0, completed: 2, failed: 0, timedOut: 0, receipts: 2 });
  assertEquals([body.zipcodes[0].latitude, body.zipcodes[0].longitude], [null, null]);
  const text = JSON.stringify(body);
  for (const secret of [PLAN.nonce, PLAN.samplingSeed, PLAN.seedCommitment]) {
    assertEquals(text.includes(secret), false);
  }
});

Deno.test("scrub() redacts known secrets and caps validator text", () => {
  assertEquals(scrub(`wrong nonce ${PLAN.nonce}!`, [PLAN.nonce]), "wrong nonce [redacted]!");
  assertEquals(scrub("short abc", ["abc"]), "short abc", "too short to be a secret: left alone");
  assertEquals(scrub("x".repeat(500), []).length, 200);
});

Deno.test("epochView() takes the most-staked validator as reference, ties by hotkey, and awaits without verdicts", () => {
  const awaiting = epochView({ plan: PLAN, verdicts: [], stakeOf: () => null, secrets: [] });
  assertEquals([awaiting.judged, awaiting.referenceValidator, awaiting.agreement, awaiting.burnShare], [
    false,
    null,
    null,
    null,
  ]);

  const verdicts = [verdict(A, { [A]: 1 }), verdict(B, { [A]: 1 })];
  const byStake = epochView({ plan: PLAN, verdicts, stakeOf: (hk) => (hk === B ? 10 : 1), secrets: [] });
  assertEquals([byStake.referenceValidator, byStake.validatedListings, byStake.agreement], [B, 390, 1]);
  const tie = epochView({ plan: PLAN, verdicts, stakeOf: () => null, secrets: [] });
  assertEquals(tie.referenceValidator, [A, B].sort()[0]);
  const split = epochView({
    plan: PLAN,
    verdicts: [verdict(A, { [A]: 1 }), verdict(B, { [B]: 1 })],
    stakeOf: () => 1,
    secrets: [],
  });
  assertEquals(split.agreement, 0);
});

Deno.test("formatDuration() counts down in hours, minutes and seconds", () => {
  assertEquals(
    [formatDuration(3 * 3600_000 + 4 * 60_000 + 5_999), formatDuration(65_000), formatDuration(-5)],
    ["3h 04m 05s", "01m 05s", "00m 00s"],
  );
});

Deno.test("scrub() redacts a secret in any case and with separators between its characters", () => {
  const nonce = "0123456789abcdef0123456789abcdef";
  const spaced = nonce.toUpperCase().match(/.{4}/g)!.join("-");
  for (
    const text of [
      `nonce ${nonce}`,
      `nonce ${nonce.toUpperCase()}`,
      `nonce ${spaced}`,
      `n=${nonce.split("").join(" ")}`,
    ]
  ) {
    const out = scrub(text, [nonce]);
    assert(
      !out.toLowerCase().replace(/[\s\-_:.,/]/g, "").includes(nonce),
      `leaked in ${JSON.stringify(out)}`,
    );
    assertMatch(out, /\[redacted\]/);
  }
  assertEquals(scrub("no secret here", [nonce]), "no secret here");
});
