import { assertEquals } from "../../../tests/assert.ts";
import { QUICKNET, revealRound, roundAt } from "./mod.ts";

const base = { genesisTime: QUICKNET.genesisTime, period: QUICKNET.period };

Deno.test("reveal round: first block of the reveal epoch + 3, at block time, floored to a round", () => {
  // tempo 100, netuid 1: epoch = (1000 + 2) / 101 = 9, reveal epoch 11, first block 11*101 - 2 = 1109.
  const now = QUICKNET.genesisTime + 3000;
  const plan = revealRound({
    ...base,
    tempo: 100,
    currentBlock: 1000,
    netuid: 1,
    revealPeriodEpochs: 2,
    blockTimeSeconds: 12,
    nowSeconds: now,
  });
  assertEquals(plan.firstRevealBlock, 1109);
  assertEquals(plan.targetBlock, 1112);
  assertEquals(plan.revealRound, BigInt(Math.floor((3000 + 112 * 12) / 3)));
});

Deno.test("reveal round never goes below Drand.LastStoredRound nor below 1", () => {
  const input = {
    ...base,
    tempo: 10,
    currentBlock: 5,
    netuid: 0,
    revealPeriodEpochs: 1,
    blockTimeSeconds: 12,
    nowSeconds: QUICKNET.genesisTime - 1000,
  };
  assertEquals(revealRound(input).revealRound, 1n);
  assertEquals(revealRound({ ...input, lastStoredRound: 500n }).revealRound, 500n);
});

Deno.test("roundAt: round 1 at genesis, one more per period", () => {
  assertEquals(roundAt(base, QUICKNET.genesisTime), 1n);
  assertEquals(roundAt(base, QUICKNET.genesisTime + 2), 1n);
  assertEquals(roundAt(base, QUICKNET.genesisTime + 3), 2n);
  assertEquals(roundAt(base, QUICKNET.genesisTime - 1), 0n);
});
