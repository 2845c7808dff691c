import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { cryptoReady } from "../signature.ts";
import {
  checkWeights,
  epochIndex,
  maxUpscale,
  maxWeightLimited,
  revealBlocks,
  revealState,
  type WeightCheckInput,
  weightsCommitHash,
} from "./weight_rules.ts";

await cryptoReady();

Deno.test("weightsCommitHash() matches the SCALE-tuple blake2 of the reference demo", () => {
  // Inputs of shared/reference/bittensor-demos/crv2_hash.mjs; the reference reports 0x528f589d…7548, and
  // @polkadot/types' tuple encoding gave this full value.
  const hash = weightsCommitHash({
    hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
    netuid: 1,
    uids: [0, 3],
    values: [65535, 1200],
    salt: [1, 2, 3, 4, 5, 6, 7, 8],
    versionKey: 10002000,
  });
  assertEquals(hash, "0x528f589d89d92020b94aa71a134298e02595586bbdb2e43650b315c018967548");
});

Deno.test("weightsCommitHash() refuses values that are not u16", () => {
  const base = {
    hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
    netuid: 1,
    salt: [1],
    versionKey: 0,
  };
  assertThrows(() => weightsCommitHash({ ...base, uids: [0], values: [65536] }), RangeError, "not a u16");
});

Deno.test("maxUpscale() rounds halves up so the largest becomes 65535", () => {
  assertEquals(maxUpscale([2, 1]), [65535, 32768]);
  assertEquals(maxUpscale([100, 0, 50]), [65535, 0, 32768]);
  assertEquals(maxUpscale([0, 0]), [0, 0]);
});

Deno.test("maxWeightLimited() compares max/sum with limit/65535", () => {
  assertEquals(maxWeightLimited([65535, 65535], 32767), false);
  assertEquals(maxWeightLimited([65535, 65535], 32768), true);
  assertEquals(maxWeightLimited([65535], 65535), true);
});

Deno.test("epochIndex() and revealBlocks() follow the legacy epoch formula", () => {
  // netuid 46, tempo 360: epoch e starts at block 361·e - 47.
  assertEquals(epochIndex(46, 0, 360), 0);
  assertEquals(epochIndex(46, 313, 360), 0);
  assertEquals(epochIndex(46, 314, 360), 1);
  assertEquals(revealBlocks(46, 10, { tempo: 360, commitRevealPeriod: 1 }), { first: 314, last: 674 });
  const params = { tempo: 360, commitRevealPeriod: 1 };
  assertEquals(revealState(46, 10, 313, params), "early");
  assertEquals(revealState(46, 10, 314, params), "open");
  assertEquals(revealState(46, 10, 674, params), "open");
  assertEquals(revealState(46, 10, 675, params), "expired");
});

const base: WeightCheckInput = {
  params: {
    weightsRateLimit: 100,
    weightsVersionKey: 0,
    minAllowedWeights: 1,
    maxWeightLimit: 65535,
    stakeThreshold: 0,
  },
  subnetN: 4,
  neuron: { uid: 0, stake: 10, validatorPermit: true, lastUpdate: null },
  isOwner: false,
  block: 50,
  uids: [1, 2],
  values: [10, 5],
  versionKey: 0,
  rateLimit: "SettingWeightsTooFast",
};

Deno.test("checkWeights() passes a valid vector and upscales it", () => {
  assertEquals(checkWeights(base), { ok: true, values: [65535, 32768] });
});

Deno.test("checkWeights() reports the chain's first failing check", () => {
  const cases: [Partial<WeightCheckInput>, string][] = [
    [{ values: [1] }, "WeightVecNotEqualSize"],
    [{ uids: [0, 1, 2, 3, 0], values: [1, 1, 1, 1, 1] }, "UidsLengthExceedUidsInSubNet"],
    [{ neuron: null }, "HotKeyNotRegisteredInSubNet"],
    [{ params: { ...base.params, stakeThreshold: 11 } }, "NotEnoughStakeToSetWeights"],
    [{ params: { ...base.params, weightsVersionKey: 3 }, versionKey: 2 }, "IncorrectWeightVersionKey"],
    [{ neuron: { ...base.neuron!, lastUpdate: 0 }, block: 99 }, "SettingWeightsTooFast"],
    [
      { neuron: { ...base.neuron!, lastUpdate: 0 }, block: 99, rateLimit: "CommittingWeightsTooFast" },
      "CommittingWeightsTooFast",
    ],
    [{ neuron: { ...base.neuron!, validatorPermit: false } }, "NeuronNoValidatorPermit"],
    [{ uids: [1, 1] }, "DuplicateUids"],
    [{ uids: [1, 4] }, "UidVecContainInvalidOne"],
    [{ params: { ...base.params, minAllowedWeights: 3 } }, "WeightVecLengthIsLow"],
    [{ params: { ...base.params, maxWeightLimit: 40000 } }, "MaxWeightExceeded"],
  ];
  for (const [change, error] of cases) {
    assertEquals(checkWeights({ ...base, ...change }), { ok: false, error } as never, error);
  }
});

Deno.test("checkWeights() lets a self-weight and the owner through without a permit", () => {
  const noPermit = { ...base.neuron!, validatorPermit: false };
  assertEquals(checkWeights({ ...base, neuron: noPermit, uids: [0], values: [7] }).ok, true);
  assertEquals(checkWeights({ ...base, neuron: noPermit, isOwner: true }).ok, true);
  const rich = { ...base.params, stakeThreshold: 1000 };
  assertEquals(checkWeights({ ...base, params: rich, isOwner: true }).ok, true);
});

Deno.test("checkWeights() ignores the rate limit when told to (a reveal)", () => {
  const recent = { ...base.neuron!, lastUpdate: 49 };
  assertEquals(checkWeights({ ...base, neuron: recent, rateLimit: null }).ok, true);
});
