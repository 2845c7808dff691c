import { assertEquals } from "../../../tests/assert.ts";
import { SCALE } from "../../fixed_point.ts";
import { type YumaNeuron, yumaSummary, type YumaWeights } from "./yuma.ts";

function validator(uid: number, stake = 100): YumaNeuron {
  return { uid, stake, validatorPermit: true, lastUpdate: 10, registeredBlock: 0 };
}

function miner(uid: number): YumaNeuron {
  return { uid, stake: 0, validatorPermit: false, lastUpdate: null, registeredBlock: 0 };
}

const MINERS = [miner(10), miner(11), miner(12)];

Deno.test("yumaSummary() gives identical validators full vtrust and agreement", () => {
  const weights: YumaWeights[] = [
    { uid: 0, uids: [10, 11], values: [65535, 32768] },
    { uid: 1, uids: [10, 11], values: [65535, 32768] },
  ];
  const s = yumaSummary({ block: 20, neurons: [validator(0), validator(1, 300), ...MINERS], weights });
  assertEquals(s.agreement, SCALE);
  assertEquals(s.validators.map((v) => v.vtrust), [SCALE, SCALE]);
  assertEquals(s.validators.map((v) => v.stakeShare), [250_000, 750_000]);
  assertEquals(s.validators.map((v) => v.dividend), [250_000, 750_000]);
  // 65535 : 32768 in parts per million, the leftover unit to the larger remainder.
  assertEquals(s.miners.map((m) => m.consensus), [0, 0, 666_663, 333_337, 0]);
  assertEquals(s.miners.map((m) => m.incentive), [0, 0, 666_663, 333_337, 0]);
  assertEquals(s.pairs, [{ a: 0, b: 1, agreement: SCALE }]);
});

Deno.test("yumaSummary() clips a deviating validator and cuts its vtrust", () => {
  const weights: YumaWeights[] = [
    { uid: 0, uids: [10, 11], values: [1, 1] },
    { uid: 1, uids: [10, 11], values: [1, 1] },
    { uid: 2, uids: [10], values: [1] },
  ];
  const s = yumaSummary({
    block: 20,
    neurons: [validator(0), validator(1), validator(2), ...MINERS],
    weights,
  });
  assertEquals(s.miners.filter((m) => m.uid >= 10).map((m) => m.consensus), [500_000, 500_000, 0]);
  assertEquals(s.validators.map((v) => v.vtrust), [SCALE, SCALE, 500_000]);
  assertEquals(s.clipped[2], { uid: 2, uids: [10], weights: [500_000] });
  assertEquals(s.pairs.map((p) => p.agreement), [SCALE, 500_000, 500_000]);
  assertEquals(s.agreement, 666_666);
  // Only what the majority backs is paid: the deviator's full weight on uid 10 counts as its half.
  assertEquals(s.miners.filter((m) => m.uid >= 10).map((m) => m.incentive), [600_000, 400_000, 0]);
});

Deno.test("yumaSummary() consensus is the highest weight backed by kappa of the stake", () => {
  const weights: YumaWeights[] = [
    { uid: 0, uids: [10, 11], values: [1, 1] },
    { uid: 1, uids: [10], values: [1] },
  ];
  // Two equal stakes: with kappa just under a half, either one backs its own weight.
  const even = yumaSummary({ block: 20, neurons: [validator(0), validator(1), ...MINERS], weights });
  assertEquals(even.validators.map((v) => v.vtrust), [SCALE, SCALE]);
  // A 60% validator decides alone; the 40% one keeps only what the 60% one also gives.
  const uneven = yumaSummary({
    block: 20,
    neurons: [validator(0, 60), validator(1, 40), ...MINERS],
    weights,
  });
  assertEquals(uneven.miners.filter((m) => m.uid >= 10).map((m) => m.consensus), [500_000, 500_000, 0]);
  assertEquals(uneven.validators.map((v) => v.vtrust), [SCALE, 500_000]);
});

Deno.test("yumaSummary() masks self-weights (not the owner's) and weights older than a registration", () => {
  const neurons = [validator(0), validator(1), { ...miner(10), registeredBlock: 10 }, miner(11)];
  const weights: YumaWeights[] = [
    { uid: 0, uids: [0, 11], values: [1, 1] }, // self-weight dropped
    { uid: 1, uids: [1, 10, 11], values: [1, 1, 1] }, // owner keeps its own; uid 10 re-registered at 10
  ];
  const s = yumaSummary({ block: 20, neurons, weights, ownerUid: 1 });
  assertEquals(s.clipped[0], { uid: 0, uids: [11], weights: [SCALE] });
  assertEquals(s.pairs[0].agreement, 500_000);
});

Deno.test("yumaSummary() leaves out validators without permit, stake, or a recent update", () => {
  const neurons = [
    validator(0),
    { ...validator(1), validatorPermit: false },
    { ...validator(2), stake: 0 },
    { ...validator(3), lastUpdate: null },
    { ...validator(4), lastUpdate: 1 },
    { ...validator(5), stake: 5 },
    ...MINERS,
  ];
  const weights = [0, 1, 2, 3, 4, 5].map((uid) => ({ uid, uids: [10], values: [1] }));
  const s = yumaSummary({ block: 105, neurons, weights, activityCutoff: 100, stakeThreshold: 10 });
  assertEquals(s.validators.map((v) => v.uid), [0]);
  assertEquals(s.agreement, SCALE);
});

Deno.test("yumaSummary() with no active validator pays nothing and has no agreement", () => {
  const s = yumaSummary({ block: 20, neurons: MINERS, weights: [] });
  assertEquals(s.agreement, null);
  assertEquals(s.miners.map((m) => m.incentive), [0, 0, 0]);
});

Deno.test("yumaSummary() does not depend on input order", () => {
  const neurons = [validator(0, 7), validator(1, 13), validator(2, 29), ...MINERS];
  const weights: YumaWeights[] = [
    { uid: 0, uids: [10, 11, 12], values: [3, 2, 1] },
    { uid: 1, uids: [12, 10], values: [9, 4] },
    { uid: 2, uids: [11], values: [5] },
  ];
  const a = yumaSummary({ block: 20, neurons, weights });
  const b = yumaSummary({ block: 20, neurons: [...neurons].reverse(), weights: [...weights].reverse() });
  assertEquals(a, b);
  assertEquals(a.miners.reduce((sum, m) => sum + m.incentive, 0), SCALE);
  assertEquals(a.validators.reduce((sum, v) => sum + v.dividend, 0), SCALE);
});
