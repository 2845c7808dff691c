import { assertEquals } from "../tests/assert.ts";
import { type EvidenceEntry, mergeEvidence, tallyByMiner } from "./agreement.ts";

const sample = [{ miner: "m1", zpid: "1" }, { miner: "m1", zpid: "2" }, { miner: "m2", zpid: "3" }];

Deno.test("mergeEvidence() lets conclusive answers of others settle what one validator could not fetch", () => {
  const blocked: EvidenceEntry[] = sample.map((s) => ({ ...s, outcome: "unknown" }));
  const lucky: EvidenceEntry[] = [
    { miner: "m1", zpid: "1", outcome: "valid" },
    { miner: "m1", zpid: "2", outcome: "valid" },
    { miner: "m2", zpid: "3", outcome: "invalid", reason: "not found twice" },
  ];
  const a = mergeEvidence(sample, [blocked, lucky]);
  const b = mergeEvidence(sample, [lucky, blocked]);
  assertEquals(a, b, "order of the evidence lists does not matter");
  assertEquals(a.map((c) => c.outcome), ["valid", "valid", "invalid"]);
  assertEquals(a[2].reason, "not found twice");
  assertEquals(tallyByMiner(a).get("m2"), { valid: 0, invalid: 1, unknown: 0 });
});

Deno.test("mergeEvidence() ignores checks outside the sample and second votes, and ties are unknown", () => {
  const a: EvidenceEntry[] = [{ miner: "m1", zpid: "1", outcome: "valid" }, {
    miner: "m9",
    zpid: "9",
    outcome: "invalid",
  }];
  const b: EvidenceEntry[] = [
    { miner: "m1", zpid: "1", outcome: "invalid" },
    { miner: "m1", zpid: "1", outcome: "invalid" },
  ];
  const merged = mergeEvidence(sample, [a, b]);
  assertEquals(merged[0].outcome, "unknown");
  assertEquals(merged[0].votes, { valid: 1, invalid: 1, unknown: 0 });
  assertEquals(merged.length, 3);
});
