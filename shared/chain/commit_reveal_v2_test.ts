// The CRv2 layout, reveal-window, pool-error and mechanism rules, with the facts they encode taken from
// opentensor/subtensor (tags named in commit_reveal_v2.ts).
import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  epochRevealState,
  mechanismStorageIndex,
  mechanismsToSet,
  readCommitTuple,
  revealRefusalRetryable,
  WEIGHT_COMMITS_TYPE,
  weightCommitsLayout,
} from "./commit_reveal_v2.ts";

const OLD_DOCS =
  " --- MAP (netuid, who) --> VecDeque<(hash, commit_block, first_reveal_block, last_reveal_block)> " +
  "| Stores a queue of commits for an account on a given netuid.";
// v3.4.8-423 pallets/subtensor/src/lib.rs:2458.
const NEW_DOCS = " --- MAP (netuid, who) --> VecDeque<(hash, commit_epoch, commit_block, _unused)>\n" +
  " Stores a queue of commit-reveal-v2 commits for an account on a given netuid.";

Deno.test("weightCommitsLayout() picks the layout by spec version: < 423 reveal blocks, 423..425 commit epoch", () => {
  const at = (specVersion: number, docs = OLD_DOCS) =>
    weightCommitsLayout({ specVersion, valueType: WEIGHT_COMMITS_TYPE, docs });
  assertEquals(at(205), { ok: true, layout: "reveal-blocks" });
  assertEquals(at(393), { ok: true, layout: "reveal-blocks" });
  assertEquals(at(422), { ok: true, layout: "reveal-blocks" });
  // Spec 423 on the old docs still reads as commit-epoch: the version decides inside the ranges read.
  assertEquals(at(423), { ok: true, layout: "commit-epoch" });
  assertEquals(at(424, NEW_DOCS), { ok: true, layout: "commit-epoch" });
  assertEquals(at(425, ""), { ok: true, layout: "commit-epoch" });
});

Deno.test("weightCommitsLayout() refuses what it has not read: older specs, newer ones without the epoch docs, other types", () => {
  const verdict = (specVersion: number, docs: string, valueType: string | null = WEIGHT_COMMITS_TYPE) =>
    weightCommitsLayout({ specVersion, valueType, docs });
  assertEquals(verdict(204, OLD_DOCS).ok, false);
  assertEquals(verdict(426, OLD_DOCS).ok, false);
  assertEquals(verdict(426, "").ok, false);
  assertEquals(verdict(426, NEW_DOCS), { ok: true, layout: "commit-epoch" });
  assertEquals(verdict(393, OLD_DOCS, null).ok, false);
  const other = verdict(393, OLD_DOCS, "Vec<(H256,u64)>");
  assert(!other.ok && other.reason.includes("Vec<(H256,u64)>"));
});

Deno.test("readCommitTuple() reads the three numbers in the layout's order", () => {
  assertEquals(readCommitTuple("reveal-blocks", [100, 400, 760]), {
    layout: "reveal-blocks",
    commitBlock: 100,
    firstRevealBlock: 400,
    lastRevealBlock: 760,
  });
  assertEquals(readCommitTuple("commit-epoch", [51, 10_001, 0]), {
    layout: "commit-epoch",
    commitBlock: 10_001,
    commitEpoch: 51,
  });
});

Deno.test("epochRevealState(): only the reveal epoch itself is open", () => {
  assertEquals(epochRevealState(50, 51), "early");
  assertEquals(epochRevealState(51, 51), "open");
  assertEquals(epochRevealState(52, 51), "expired");
});

Deno.test("revealRefusalRetryable(): RevealTooEarly and pool errors 16/17 are retried, others are not", () => {
  assert(revealRefusalRetryable("RevealTooEarly"));
  assert(revealRefusalRetryable("1010: Invalid Transaction: Custom error: 16"));
  assert(revealRefusalRetryable("1010: Invalid Transaction: Custom error: 17"));
  for (
    const permanent of [
      "1010: Invalid Transaction: Custom error: 6",
      "1010: Invalid Transaction: Custom error: 1",
      "1010: Invalid Transaction: Custom error: 160",
      "InvalidRevealCommitHashNotMatch",
      "ExpiredWeightCommit",
    ]
  ) {
    assert(!revealRefusalRetryable(permanent), permanent);
  }
});

Deno.test("mechanismStorageIndex() is netuid + mecid * 4096 and checks its bounds", () => {
  assertEquals(mechanismStorageIndex(46, 0), 46);
  assertEquals(mechanismStorageIndex(46, 1), 4142);
  assertEquals(mechanismStorageIndex(4095, 15), 65535);
  assertThrows(() => mechanismStorageIndex(4096, 0), RangeError);
  assertThrows(() => mechanismStorageIndex(1, 16), RangeError);
});

Deno.test("mechanismsToSet(): all by default, a configured subset if it exists, loud errors otherwise", () => {
  assertEquals(mechanismsToSet(1, undefined), { ok: true, mechanisms: [0] });
  assertEquals(mechanismsToSet(3, undefined), { ok: true, mechanisms: [0, 1, 2] });
  assertEquals(mechanismsToSet(3, [2, 0, 2]), { ok: true, mechanisms: [0, 2] });
  assertEquals(mechanismsToSet(2, [0, 2]), {
    ok: false,
    error: "MechanismDoesNotExist: 2 (the subnet has 2)",
  });
  assertEquals(mechanismsToSet(2, []).ok, false);
  assertEquals(mechanismsToSet(0, undefined).ok, false);
  assertEquals(mechanismsToSet(17, undefined).ok, false);
});
