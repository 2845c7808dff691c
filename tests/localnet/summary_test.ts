import { assertEquals } from "../assert.ts";
import { checkEpoch, type EpochSummary } from "./summary.ts";

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
