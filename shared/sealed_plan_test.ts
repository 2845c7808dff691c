import { assert, assertEquals } from "../tests/assert.ts";
import { type BeaconInfo, beaconPublicKey, signRound } from "./chain/tlock/drand.ts";
import { firstRoundAtOrAfter, roundTimeMs } from "./drand_schedule.ts";
import { seedCommitment } from "./epoch_secrets.ts";
import { openSealedPlan, openSealedSeed, sealPlan, verifySealedPlan } from "./sealed_plan.ts";
import { createKeyring, cryptoReady } from "./signature.ts";
import { HOUSTON_ZIP, testAssignment } from "./testing/assignment_fixture.ts";

await cryptoReady();
const api = createKeyring().addFromUri("//sealed-plan/api");
const validator = createKeyring().addFromUri("//sealed-plan/validator");
const rng = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const beaconSecret = new Uint8Array(32).fill(7);
const otherSecret = new Uint8Array(32).fill(9);
// A quicknet-shaped test beacon (own key, quicknet's genesis and period).
const beacon: BeaconInfo = { publicKey: beaconPublicKey(beaconSecret), genesisTime: 1692803367, period: 3 };
const seed = "5".repeat(64);
const assignment = testAssignment([HOUSTON_ZIP], { seedCommitment: seedCommitment(seed) });
const trust = { apiHotkeys: api.address, beacon };
const sealed = sealPlan(api, { assignment, seed }, beacon, rng);
const planRound = BigInt(sealed.planRound);
const seedRound = BigInt(sealed.seedRound);
const startMs = Date.parse(assignment.epochStart);
const deadlineMs = Date.parse(assignment.submissionDeadline);

Deno.test("drand schedule: the first round at or after a moment is never emitted before it", () => {
  for (const ms of [startMs, startMs + 1, startMs + 2999, deadlineMs]) {
    const round = firstRoundAtOrAfter(beacon, ms);
    assert(roundTimeMs(beacon, round) >= ms);
    assert(roundTimeMs(beacon, round - 1n) < ms);
  }
  assertEquals(firstRoundAtOrAfter(beacon, 0), 1n);
  assertEquals(roundTimeMs(beacon, 1n), 1692803367000);
});

Deno.test("the plan is sealed to the round of the epoch's start, the seed to the round of the deadline", () => {
  assertEquals(planRound, firstRoundAtOrAfter(beacon, startMs));
  assertEquals(seedRound, firstRoundAtOrAfter(beacon, deadlineMs));
  // Neither the nonce nor a ZIP nor the seed can be read from the envelope.
  const text = JSON.stringify(sealed);
  for (const secret of [assignment.nonce, "77001", seed, "Houston"]) assert(!text.includes(secret), secret);
});

Deno.test("opening with the round's pulse gives the API-signed assignment", () => {
  const opened = openSealedPlan(sealed, signRound(beaconSecret, planRound), { ...trust, nowMs: startMs });
  assert(opened.ok, JSON.stringify(opened));
  assertEquals(opened.value.assignment, assignment);
  assertEquals(opened.value.apiHotkey, api.address);
});

Deno.test("before its round there is no pulse: opening refuses with the round and when it is due", () => {
  const early = openSealedPlan(sealed, null, { ...trust, nowMs: startMs - 60_000 });
  assert(!early.ok);
  assertEquals(early.reason, "too-early");
  assert(early.detail.includes(`round ${planRound}`) && early.detail.includes("in 60 s"), early.detail);
  const seedEarly = openSealedSeed(sealed, null, assignment.seedCommitment, { ...trust, nowMs: startMs });
  assert(!seedEarly.ok && seedEarly.reason === "too-early");
});

Deno.test("the previous round's pulse, a pulse of another beacon or a forged one do not open the plan", () => {
  const previous = signRound(beaconSecret, planRound - 1n);
  const relabelled = { round: planRound, signature: previous.signature };
  const foreign = signRound(otherSecret, planRound);
  for (const pulse of [previous, relabelled, foreign]) {
    const opened = openSealedPlan(sealed, pulse, { ...trust, nowMs: startMs });
    assert(!opened.ok);
    assertEquals(opened.reason, "bad-pulse");
  }
  // The plan's pulse does not open the seed: the seed waits for the deadline's round.
  const seedWithPlanPulse = openSealedSeed(
    sealed,
    signRound(beaconSecret, planRound),
    assignment.seedCommitment,
    {
      ...trust,
      nowMs: deadlineMs,
    },
  );
  assert(!seedWithPlanPulse.ok && seedWithPlanPulse.reason === "bad-pulse");
});

Deno.test("the seed opens at the deadline's round and must match the signed commitment", () => {
  const pulse = signRound(beaconSecret, seedRound);
  const opened = openSealedSeed(sealed, pulse, assignment.seedCommitment, { ...trust, nowMs: deadlineMs });
  assert(opened.ok, JSON.stringify(opened));
  assertEquals(opened.value, seed);
  const wrong = openSealedSeed(sealed, pulse, "b".repeat(64), { ...trust, nowMs: deadlineMs });
  assert(!wrong.ok && wrong.reason === "bad-seed");
});

Deno.test("a relay cannot swap a ciphertext, re-seal under its own key, or point to another beacon", () => {
  const other = sealPlan(api, { assignment: { ...assignment, nonce: "f".repeat(32) }, seed }, beacon, rng);
  const swapped = { ...sealed, planCiphertext: other.planCiphertext };
  const bySwap = verifySealedPlan(swapped, trust);
  assert(!bySwap.ok && bySwap.reason === "bad-signature");
  const forged = sealPlan(validator, { assignment, seed }, beacon, rng);
  const byValidator = verifySealedPlan(forged, trust);
  assert(!byValidator.ok && byValidator.reason === "untrusted-key");
  const foreignBeacon = { ...beacon, publicKey: beaconPublicKey(otherSecret) };
  const toOtherBeacon = sealPlan(api, { assignment, seed }, foreignBeacon, rng);
  const wrongBeacon = verifySealedPlan(toOtherBeacon, trust);
  assert(!wrongBeacon.ok && wrongBeacon.reason === "wrong-beacon");
  assertEquals(verifySealedPlan({ ...sealed, planRound: "0" }, trust).ok, false);
  assertEquals(verifySealedPlan("not a plan", trust).ok, false);
});

Deno.test("sealing refuses a seed that is not behind the commitment", () => {
  let threw = false;
  try {
    sealPlan(api, { assignment, seed: "6".repeat(64) }, beacon, rng);
  } catch (error) {
    threw = error instanceof RangeError;
  }
  assert(threw);
});
