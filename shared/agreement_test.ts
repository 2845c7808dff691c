import { assert, assertEquals } from "../tests/assert.ts";
import { createPrng } from "./prng.ts";
import {
  disputedUnconcluded,
  type EvidenceEntry,
  mergeEvidence,
  stakeUnits,
  tallyByMiner,
  type ValidatorEvidence,
} from "./agreement.ts";

const sample = [{ miner: "m1", zpid: "1" }, { miner: "m1", zpid: "2" }, { miner: "m2", zpid: "3" }];
const all = (outcome: EvidenceEntry["outcome"]): EvidenceEntry[] => sample.map((s) => ({ ...s, outcome }));
const other = (validator: string, stake: number, entries: EvidenceEntry[]): ValidatorEvidence => ({
  validator,
  stake,
  entries,
});

Deno.test("mergeEvidence() lets conclusive answers of others settle what this validator could not fetch", () => {
  const lucky: EvidenceEntry[] = [
    { miner: "m1", zpid: "1", outcome: "valid" },
    { miner: "m1", zpid: "2", outcome: "valid" },
    { miner: "m2", zpid: "3", outcome: "invalid", reason: "not found twice" },
  ];
  const merged = mergeEvidence(sample, all("unknown"), [other("v2", 10, lucky)]);
  assertEquals(merged.map((c) => c.outcome), ["valid", "valid", "invalid"]);
  assertEquals(merged[2].reason, "not found twice");
  assertEquals(merged[2].own, "unknown");
  assertEquals(tallyByMiner(merged).get("m2"), { valid: 0, invalid: 1, unknown: 0 });
});

Deno.test("mergeEvidence() trusts its own conclusive outcome over any stake", () => {
  const merged = mergeEvidence(sample, all("valid"), [other("whale", 1e9, all("invalid"))]);
  assertEquals(merged.map((c) => c.outcome), ["valid", "valid", "valid"]);
  assertEquals(merged.map((c) => c.others), ["invalid", "invalid", "invalid"]);
  const caught = mergeEvidence(sample, all("invalid"), [other("whale", 1e9, all("valid"))]);
  assertEquals(caught.map((c) => c.outcome), ["invalid", "invalid", "invalid"]);
});

Deno.test("mergeEvidence() needs half the others' whole stake for invalid, a plurality for valid", () => {
  const outcomes = (...votes: ValidatorEvidence[]) => mergeEvidence(sample, [], votes).map((c) => c.outcome);
  // 35 of the others' 70 say invalid (the rest blocked): not more than half, and no valid: unknown.
  assertEquals(outcomes(other("a", 35, all("invalid")), other("b", 35, all("unknown"))), [
    "unknown",
    "unknown",
    "unknown",
  ]);
  // 51 of 71 say invalid.
  assertEquals(outcomes(other("a", 51, all("invalid")), other("b", 20, all("valid"))), [
    "invalid",
    "invalid",
    "invalid",
  ]);
  // Valid by plurality of the conclusive stake; a tie is unknown.
  assertEquals(outcomes(other("a", 30, all("valid")), other("b", 20, all("invalid"))), [
    "valid",
    "valid",
    "valid",
  ]);
  assertEquals(outcomes(other("a", 30, all("valid")), other("b", 30, all("invalid"))), [
    "unknown",
    "unknown",
    "unknown",
  ]);
  // Zero, negative or NaN stake weighs nothing.
  const weightless = [
    other("a", 0, all("invalid")),
    other("b", -5, all("invalid")),
    other("c", NaN, all("invalid")),
  ];
  assertEquals(outcomes(...weightless, other("d", 1, all("valid"))), ["valid", "valid", "valid"]);
  assertEquals(stakeUnits(1.5), 1_500_000n);
});

Deno.test("mergeEvidence() ignores checks outside the sample and second votes", () => {
  const a: EvidenceEntry[] = [{ miner: "m9", zpid: "9", outcome: "invalid" }];
  const b: EvidenceEntry[] = [
    { miner: "m1", zpid: "1", outcome: "valid" },
    { miner: "m1", zpid: "1", outcome: "invalid" },
  ];
  const merged = mergeEvidence(sample, a, [other("b", 1, b), other("c", 1, b)]);
  assertEquals(merged.length, 3);
  assertEquals(merged[0].outcome, "valid");
  assertEquals(merged[0].votes, { valid: 2, invalid: 0, unknown: 0 });
});

Deno.test("disputedUnconcluded() lists what someone called invalid and this validator did not conclude", () => {
  const own: EvidenceEntry[] = [{ miner: "m1", zpid: "1", outcome: "valid" }, {
    miner: "m1",
    zpid: "2",
    outcome: "unknown",
  }];
  const liar = other("liar", 1, all("invalid"));
  assertEquals(disputedUnconcluded(sample, own, [liar]), [{ miner: "m1", zpid: "2" }, {
    miner: "m2",
    zpid: "3",
  }]);
  assertEquals(disputedUnconcluded(sample, own, [other("v", 1, all("valid"))]), []);
});

Deno.test("property: a liar under half the stake can neither zero an honest miner nor rescue a fabricator", () => {
  // Random epochs: honest validators with random stake and block rate, one liar with < 50 % of the total
  // stake voting against the truth on every check. At an honest validator, a listing it fetched merges to
  // the truth; a valid listing merges to invalid only where the liar holds more than half of the others'
  // stake; an invalid one merges to invalid wherever honest validators holding more than half of the
  // others' stake concluded it.
  const prng = createPrng("agreement-property");
  for (let round = 0; round < 300; round++) {
    const truth: EvidenceEntry["outcome"][] = sample.map(() => prng.nextFloat() < 0.5 ? "valid" : "invalid");
    const honest = Array.from({ length: 1 + prng.nextBelow(4) }, (_, i) => ({
      validator: `h${i}`,
      stake: 1 + prng.nextBelow(100),
      entries: sample.map((s, j) => ({
        ...s,
        outcome: prng.nextFloat() < 0.5 ? "unknown" as const : truth[j],
      })),
    }));
    const honestStake = honest.reduce((a, h) => a + h.stake, 0);
    const liarStake = prng.nextBelow(honestStake); // < 50 % of the total
    const liar = other(
      "liar",
      liarStake,
      sample.map((s, j) => ({
        ...s,
        outcome: truth[j] === "valid" ? "invalid" : "valid",
      })),
    );
    for (const me of honest) {
      const merged = mergeEvidence(sample, me.entries, [...honest.filter((h) => h !== me), liar]);
      const othersStake = honestStake - me.stake + liarStake;
      merged.forEach((c, j) => {
        if (me.entries[j].outcome !== "unknown") assertEquals(c.outcome, truth[j], "own fetch decides");
        if (truth[j] === "valid" && c.outcome === "invalid") {
          assert(2 * liarStake > othersStake, "only a liar holding most of the others' stake convicts");
        }
        const concluding = honest.filter((h) => h !== me && h.entries[j].outcome !== "unknown")
          .reduce((a, h) => a + h.stake, 0);
        if (truth[j] === "invalid" && 2 * concluding > othersStake) {
          assertEquals(c.outcome, "invalid", "an honest majority of the others convicts");
        }
      });
    }
  }
});
