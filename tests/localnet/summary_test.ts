import { assert, assertEquals } from "../assert.ts";
import type { MinerExpect } from "./roster_file.ts";
import {
  checkChainWeights,
  checkEpoch,
  type EpochSummary,
  fastestComplete,
  type MinerLine,
  renderSummary,
} from "./summary.ts";

function miner(strategy: string, expect: MinerExpect, overrides: Partial<MinerLine> = {}): MinerLine {
  return {
    hotkey: `5${strategy}`,
    strategy,
    expect,
    listings: 300,
    submittedAt: "2026-01-01T00:01:00.000Z",
    failedChecks: [],
    score: 0,
    rank: null,
    reason: null,
    ...overrides,
  };
}

function summary(overrides: Partial<EpochSummary> = {}): EpochSummary {
  return {
    epochId: "2026-01-01T00-00-00",
    zipcodes: ["77005"],
    expectedTotal: 300,
    miners: [
      miner("honest_fast", "honest", { score: 0.9, rank: 1, submittedAt: "2026-01-01T00:00:30.000Z" }),
      miner("honest_slow", "honest", { score: 0.7, rank: 2 }),
      miner("fabricator", "zero", { reason: "fake" }),
    ],
    validators: [],
    agreement: 1,
    outputs: [],
    ...overrides,
  };
}

Deno.test("checkEpoch() passes a healthy epoch and names each violated rule", () => {
  assertEquals(checkEpoch(summary()), []);
  const bad = summary({
    miners: [
      miner("honest_fast", "honest", { score: 0.5, rank: 2, submittedAt: "2026-01-01T00:00:30.000Z" }),
      miner("honest_slow", "honest", { listings: 0, submittedAt: null, reason: "no submission" }),
      miner("fabricator", "zero", { score: 0.8, rank: 1 }),
    ],
    agreement: 0.95,
  });
  assertEquals(checkEpoch(bad), [
    "2026-01-01T00-00-00: fabricator scored 0.8, not 0",
    "2026-01-01T00-00-00: honest_slow scored 0 (no submission)",
    "2026-01-01T00-00-00: fabricator (0.8) not below honest_fast",
    "2026-01-01T00-00-00: honest_fast, the fastest complete honest miner, ranked 2, not first",
    "2026-01-01T00-00-00: validators agree on 95.00 % of weight",
  ]);
});

Deno.test("checkEpoch() wants first whichever complete honest miner was receipted first", () => {
  // Under CPU load the paced miner can finish first; the check follows the receipts, not the names.
  const slowWon = summary({
    miners: [
      miner("honest_fast", "honest", { score: 0.69, rank: 2, submittedAt: "2026-01-01T00:01:01.000Z" }),
      miner("honest_slow", "honest", { score: 0.7, rank: 1, submittedAt: "2026-01-01T00:01:00.000Z" }),
    ],
  });
  assertEquals(checkEpoch(slowWon), []);
  // An earlier receipt on an incomplete delivery does not make a miner the fastest complete one.
  const partialEarly = summary({
    miners: [
      miner("honest_fast", "honest", { score: 0.8, rank: 1, submittedAt: "2026-01-01T00:01:00.000Z" }),
      miner("honest_half", "honest", {
        score: 0.5,
        rank: 2,
        listings: 150,
        submittedAt: "2026-01-01T00:00:10Z",
      }),
    ],
  });
  assertEquals(checkEpoch(partialEarly), []);
  assertEquals(fastestComplete([])?.strategy, undefined);
});

Deno.test("checkEpoch() keeps partial miners below honest ones and lets one sybil of a group score", () => {
  const base = summary().miners;
  const ok = summary({
    miners: [
      ...base,
      miner("partial_fast", "below", { score: 0.6, rank: 4 }),
      miner("sybil_a", "copy", { score: 0.8, rank: 2, submittedAt: "2026-01-01T00:00:40.000Z" }),
      miner("sybil_b", "copy", { reason: "copy of sybil_a" }),
    ],
  });
  assertEquals(checkEpoch(ok), []);
  // The copy that ranks did the scrape: when it was receipted first, it must rank first.
  const sybilFirst = summary({
    miners: [...base, miner("sybil_a", "copy", { score: 0.8, rank: 2, submittedAt: "2026-01-01T00:00:20Z" })],
  });
  assertEquals(checkEpoch(sybilFirst), [
    "2026-01-01T00-00-00: sybil_a, the fastest complete honest miner, ranked 2, not first",
  ]);
  const bad = summary({
    miners: [
      ...base,
      miner("partial_fast", "below", { score: 0.8, rank: 2 }),
      miner("sybil_a", "copy", { score: 0.1, rank: 4 }),
      miner("sybil_b", "copy", { score: 0.1, rank: 5 }),
      miner("mine", "any", { score: 0.95 }),
    ],
  });
  assertEquals(checkEpoch(bad), [
    "2026-01-01T00-00-00: partial_fast (0.8) not below honest_slow",
    "2026-01-01T00-00-00: copies scored under 2 hotkeys: sybil_a,sybil_b",
  ]);
});

Deno.test("checkChainWeights() wants CRv4 with commit-reveal on, set_weights with it off, and names the rest", () => {
  const chain = (commitReveal: boolean, via: (string | null)[]) => ({
    commitReveal,
    weights: via.map((v, i) => ({ hotkey: `5V${i}`, via: v, block: v ? 100 : null })),
  });
  assertEquals(checkChainWeights(summary({ chain: chain(true, ["commit_timelocked_weights"]) })), []);
  assertEquals(checkChainWeights(summary({ chain: chain(false, ["set_weights"]) })), []);
  assertEquals(checkChainWeights(summary({ chain: chain(true, ["set_weights", null]) })), [
    "2026-01-01T00-00-00: validator 5V0 has weights via set_weights on chain, not via commit_timelocked_weights",
    "2026-01-01T00-00-00: validator 5V1 has no weights on chain, not via commit_timelocked_weights",
  ]);
  const text = renderSummary(summary({ chain: chain(true, ["commit_timelocked_weights", null]) }));
  assert(text.includes("weights landed via commit_timelocked_weights (CRv4 timelocked commit"));
  assert(text.includes("no weights yet"));
});
