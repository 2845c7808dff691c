import { assert, assertEquals } from "../assert.ts";
import { checkChainWeights, checkEpoch, type EpochSummary, renderSummary } from "./summary.ts";

function summary(overrides: Partial<EpochSummary> = {}): EpochSummary {
  return {
    epochId: "2026-01-01T00-00-00",
    zipcodes: ["77005"],
    expectedTotal: 300,
    miners: [
      {
        hotkey: "5A",
        strategy: "honest_fast",
        listings: 300,
        failedChecks: [],
        score: 0.9,
        rank: 1,
        reason: null,
      },
      {
        hotkey: "5B",
        strategy: "honest_slow",
        listings: 300,
        failedChecks: [],
        score: 0.7,
        rank: 2,
        reason: null,
      },
      {
        hotkey: "5C",
        strategy: "fabricator",
        listings: 300,
        failedChecks: [],
        score: 0,
        rank: null,
        reason: "fake",
      },
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
      {
        hotkey: "5A",
        strategy: "honest_fast",
        listings: 300,
        failedChecks: [],
        score: 0.5,
        rank: 2,
        reason: null,
      },
      {
        hotkey: "5B",
        strategy: "honest_slow",
        listings: 0,
        failedChecks: [],
        score: 0,
        rank: null,
        reason: "no submission",
      },
      {
        hotkey: "5C",
        strategy: "fabricator",
        listings: 300,
        failedChecks: [],
        score: 0.8,
        rank: 1,
        reason: null,
      },
    ],
    agreement: 0.95,
  });
  assertEquals(checkEpoch(bad), [
    "2026-01-01T00-00-00: honest_slow scored 0 (no submission)",
    "2026-01-01T00-00-00: fabricator scored 0.8, not 0",
    "2026-01-01T00-00-00: honest_fast ranked 2, not first",
    "2026-01-01T00-00-00: validators agree on 95.00 % of weight",
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
