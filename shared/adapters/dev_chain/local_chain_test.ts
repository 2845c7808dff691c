import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { SCALE } from "../../fixed_point.ts";
import { createKeyring, cryptoReady, type KeyringPair } from "../../signature.ts";
import {
  DEFAULT_HYPERPARAMETERS,
  type LocalChain,
  localChainPath,
  type LocalHyperparameters,
  openLocalChain,
} from "./local_chain.ts";
import { weightsCommitHash } from "../../chain/weight_rules.ts";

await cryptoReady();
const keyring = createKeyring();
const owner = keyring.addFromUri("//local-chain/owner");
const v1 = keyring.addFromUri("//local-chain/validator-1");
const v2 = keyring.addFromUri("//local-chain/validator-2");
const v3 = keyring.addFromUri("//local-chain/validator-3");
const m1 = keyring.addFromUri("//local-chain/miner-1");
const m2 = keyring.addFromUri("//local-chain/miner-2");
const stranger = keyring.addFromUri("//local-chain/stranger");
const coldkey = keyring.addFromUri("//local-chain/coldkey").address;

const NETUID = 46;
const GENESIS_MS = Date.UTC(2025, 9, 1);
const BLOCK_MS = 12_000;

/** A chain in a fresh temporary file with a hand-driven clock; always call `dispose()`. */
async function setup(hyperparameters: Partial<LocalHyperparameters> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "local_chain_test_" });
  const path = `${dir}/chain.kv`;
  let nowMs = GENESIS_MS;
  const clock = { now: () => new Date(nowMs) };
  const chain = await openLocalChain({ path, clock, genesisMs: GENESIS_MS, hyperparameters });
  await chain.createSubnet(NETUID, { ownerHotkey: owner.address, ownerColdkey: coldkey });
  return {
    chain,
    path,
    clock,
    advance(blocks: number) {
      nowMs += blocks * BLOCK_MS;
    },
    async dispose() {
      chain.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Validators v1, v2, v3 (uids 0-2, permit and stake) and miners m1, m2 (uids 3-4). */
async function registerAll(chain: LocalChain, validators: KeyringPair[] = [v1, v2, v3]) {
  for (const v of validators) {
    await chain.registerNeuron(NETUID, { hotkey: v.address, coldkey, stake: 1000, validatorPermit: true });
  }
  for (const [i, m] of [m1, m2].entries()) {
    await chain.registerNeuron(NETUID, {
      hotkey: m.address,
      coldkey,
      axon: { ip: "10.0.0.1", port: 8091 + i },
    });
  }
}

Deno.test("registerNeuron() and metagraph() round-trip", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain);
    t.advance(3);
    const metagraph = await t.chain.metagraph(NETUID);
    assertEquals(metagraph.block, 3);
    assertEquals(await t.chain.currentBlock(), 3);
    assertEquals(metagraph.ownerHotkey, owner.address);
    assertEquals(metagraph.neurons.map((n) => [n.uid, n.hotkey, n.stake, n.validatorPermit]), [
      [0, v1.address, 1000, true],
      [1, v2.address, 1000, true],
      [2, v3.address, 1000, true],
      [3, m1.address, 0, false],
      [4, m2.address, 0, false],
    ]);
    assertEquals(metagraph.neurons[3], {
      uid: 3,
      hotkey: m1.address,
      coldkey,
      stake: 0,
      validatorPermit: false,
      axon: { ip: "10.0.0.1", port: 8091 },
      lastUpdate: 0,
      registeredBlock: 0,
    });
    await t.chain.setStake(NETUID, m1.address, 12.5);
    await t.chain.setValidatorPermit(NETUID, m1.address, true);
    await t.chain.setAxon(NETUID, m1.address, null);
    const changed = (await t.chain.metagraph(NETUID)).neurons[3];
    assertEquals([changed.stake, changed.validatorPermit, changed.axon], [12.5, true, null]);
    assertEquals(await t.chain.ownerHotkey(NETUID), owner.address);
    assertEquals(await t.chain.hyperparameters(NETUID), { ...DEFAULT_HYPERPARAMETERS });
    await assertRejects(
      () => t.chain.registerNeuron(NETUID, { hotkey: v1.address, coldkey }),
      RangeError,
      "HotKeyAlreadyRegisteredInSubNet",
    );
    await assertRejects(() => t.chain.metagraph(7), RangeError, "SubNetworkDoesNotExist");
    await assertRejects(
      () => t.chain.setStake(NETUID, stranger.address, 1),
      RangeError,
      "HotKeyNotRegistered",
    );
  } finally {
    await t.dispose();
  }
});

Deno.test("registerNeuron() with a uid replaces that neuron and drops its weights", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain);
    t.advance(1);
    assert((await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v3)).ok);
    const replaced = await t.chain.registerNeuron(NETUID, { hotkey: stranger.address, coldkey, uid: 2 });
    assertEquals([replaced.uid, replaced.registeredBlock, replaced.lastUpdate], [2, 1, 0]);
    const metagraph = await t.chain.metagraph(NETUID);
    assertEquals(metagraph.neurons.length, 5);
    assertEquals(metagraph.neurons[2].hotkey, stranger.address);
    assertEquals((await t.chain.weights(NETUID)).map((w) => w.uid), []);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v3), {
      ok: false,
      error: "HotKeyNotRegisteredInSubNet",
    });
  } finally {
    await t.dispose();
  }
});

Deno.test("setWeights() stores the upscaled vector and enforces the rate limit", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain);
    t.advance(1);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [200, 100] }, v1), {
      ok: true,
      block: 1,
      mode: "set",
    });
    assertEquals(await t.chain.weights(NETUID), [
      {
        uid: 0,
        hotkey: v1.address,
        block: 1,
        uids: [3, 4],
        values: [65535, 32768],
        versionKey: 0,
        via: "set_weights",
      },
    ]);
    assertEquals((await t.chain.metagraph(NETUID)).neurons[0].lastUpdate, 1);
    t.advance(99);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v1), {
      ok: false,
      error: "SettingWeightsTooFast",
    });
    t.advance(1);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v1), {
      ok: true,
      block: 101,
      mode: "set",
    });
  } finally {
    await t.dispose();
  }
});

Deno.test("setWeights() refuses what the chain refuses, with its error names", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain);
    t.advance(1);
    const cases: [KeyringPair, number[], string][] = [
      [m1, [3, 4], "NeuronNoValidatorPermit"],
      [stranger, [3, 4], "HotKeyNotRegisteredInSubNet"],
      [v1, [3, 9], "UidVecContainInvalidOne"],
      [v1, [3, 3], "DuplicateUids"],
      [v1, [0, 1, 2, 3, 4, 5], "UidsLengthExceedUidsInSubNet"],
    ];
    for (const [signer, uids, error] of cases) {
      const result = await t.chain.setWeights(NETUID, { uids, weights: uids.map(() => 1) }, signer);
      assertEquals(result, { ok: false, error }, error);
    }
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1, 2] }, v1), {
      ok: false,
      error: "WeightVecNotEqualSize",
    });
    // A miner may weight itself alone.
    assertEquals((await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, m1)).ok, true);
    // A pair without its secret cannot sign the extrinsic.
    const locked = createKeyring().addFromAddress(v2.address);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, locked), {
      ok: false,
      error: "BadProof",
    });
    await t.chain.setHyperparameters(NETUID, { minAllowedWeights: 2 });
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v1), {
      ok: false,
      error: "WeightVecLengthIsLow",
    });
    await t.chain.setHyperparameters(NETUID, { maxWeightLimit: 30_000 });
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v1), {
      ok: false,
      error: "MaxWeightExceeded",
    });
    await t.chain.setHyperparameters(NETUID, { maxWeightLimit: 65_535, stakeThreshold: 1001 });
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v1), {
      ok: false,
      error: "NotEnoughStakeToSetWeights",
    });
    await t.chain.setHyperparameters(NETUID, { stakeThreshold: 0, weightsVersionKey: 5 });
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v1), {
      ok: false,
      error: "IncorrectWeightVersionKey",
    });
    // None of the refusals counted as an update.
    assertEquals((await t.chain.metagraph(NETUID)).neurons[0].lastUpdate, 0);
  } finally {
    await t.dispose();
  }
});

Deno.test("setWeights() sends the client's version key", async () => {
  const t = await setup({ weightsVersionKey: 5 });
  const current = await openLocalChain({ path: t.path, clock: t.clock, versionKey: 5 });
  try {
    await registerAll(t.chain);
    t.advance(1);
    assertEquals((await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v1)).ok, false);
    assertEquals(await current.setWeights(NETUID, { uids: [3], weights: [1] }, v1), {
      ok: true,
      block: 1,
      mode: "set",
    });
    assertEquals((await t.chain.weights(NETUID))[0].versionKey, 5);
  } finally {
    current.close();
    await t.dispose();
  }
});

Deno.test("consensus(): two validators with identical weights agree fully", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain, [v1, v2]);
    t.advance(1);
    for (const v of [v1, v2]) {
      assert((await t.chain.setWeights(NETUID, { uids: [2, 3], weights: [3, 1] }, v)).ok);
    }
    const summary = await t.chain.consensus(NETUID);
    assertEquals(summary.agreement, SCALE);
    assertEquals(summary.validators.map((v) => [v.uid, v.vtrust]), [[0, SCALE], [1, SCALE]]);
    assertEquals(summary.miners.map((m) => m.incentive), [0, 0, 750_000, 250_000]);
  } finally {
    await t.dispose();
  }
});

Deno.test("consensus(): a deviating validator loses vtrust", async () => {
  const t = await setup();
  try {
    await registerAll(t.chain);
    t.advance(1);
    assert((await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v1)).ok);
    assert((await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v2)).ok);
    assert((await t.chain.setWeights(NETUID, { uids: [4], weights: [1] }, v3)).ok);
    const summary = await t.chain.consensus(NETUID);
    assertEquals(summary.validators.map((v) => v.vtrust), [SCALE, SCALE, 500_000]);
    assertEquals(summary.agreement, 666_666);
  } finally {
    await t.dispose();
  }
});

Deno.test("commitWeights() then revealWeights() in the reveal epoch (CRv2)", async () => {
  const t = await setup({ commitRevealEnabled: true });
  try {
    await registerAll(t.chain);
    t.advance(10); // block 10, epoch 0 of netuid 46; the reveal epoch is blocks 314-674
    const reveal = { uids: [3, 4], values: [2, 1], salt: [7, 7, 7], versionKey: 0 };
    const hash = weightsCommitHash({ hotkey: v1.address, netuid: NETUID, ...reveal });
    assertEquals(await t.chain.commitWeights(NETUID, hash, v1), { ok: true, block: 10, mode: "commit" });
    assertEquals((await t.chain.metagraph(NETUID)).neurons[0].lastUpdate, 10);
    assertEquals(await t.chain.revealWeights(NETUID, reveal, v1), { ok: false, error: "RevealTooEarly" });
    assertEquals(await t.chain.commitWeights(NETUID, hash, v1), {
      ok: false,
      error: "CommittingWeightsTooFast",
    });
    assertEquals(await t.chain.revealWeights(NETUID, reveal, v2), {
      ok: false,
      error: "NoWeightsCommitFound",
    });
    t.advance(304); // block 314
    assertEquals(await t.chain.revealWeights(NETUID, { ...reveal, salt: [1] }, v1), {
      ok: false,
      error: "InvalidRevealCommitHashNotMatch",
    });
    assertEquals(await t.chain.weights(NETUID), []);
    assertEquals(await t.chain.revealWeights(NETUID, reveal, v1), { ok: true, block: 314, mode: "set" });
    assertEquals((await t.chain.weights(NETUID)).map((w) => [w.uid, w.block, w.values]), [[0, 314, [
      65535,
      32768,
    ]]]);
    assertEquals(await t.chain.revealWeights(NETUID, reveal, v1), {
      ok: false,
      error: "NoWeightsCommitFound",
    });

    // A commit not revealed within its reveal epoch expires.
    const late = { ...reveal, salt: [9] };
    assert(
      (await t.chain.commitWeights(
        NETUID,
        weightsCommitHash({ hotkey: v1.address, netuid: NETUID, ...late }),
        v1,
      )).ok,
    );
    t.advance(2 * 361);
    assertEquals(await t.chain.revealWeights(NETUID, late, v1), { ok: false, error: "ExpiredWeightCommit" });

    await t.chain.setHyperparameters(NETUID, { commitRevealEnabled: false });
    assertEquals(await t.chain.commitWeights(NETUID, hash, v2), { ok: false, error: "CommitRevealDisabled" });
  } finally {
    await t.dispose();
  }
});

Deno.test("setWeights() with commit-reveal on commits CRv4, and the chain reveals in the reveal epoch", async () => {
  const t = await setup({ commitRevealEnabled: true });
  try {
    await registerAll(t.chain);
    t.advance(10);
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3, 4], weights: [1, 1] }, v1), {
      ok: true,
      block: 10,
      mode: "commit",
      via: "commit_timelocked_weights",
    });
    assertEquals(await t.chain.setWeights(NETUID, { uids: [3], weights: [1] }, v1), {
      ok: false,
      error: "CommittingWeightsTooFast",
    });
    // The reveal epoch starts at block 314; the round aimed at 3 blocks later (bittensor-drand's margin)
    // is out at block 317, and the chain reveals from the first block that has its pulse.
    t.advance(306); // block 316: still sealed
    assertEquals(await t.chain.weights(NETUID), []);
    t.advance(1); // block 317: decrypted and applied
    assertEquals((await t.chain.weights(NETUID)).map((w) => [w.uid, w.block, w.values, w.via]), [[0, 317, [
      65535,
      65535,
    ], "commit_timelocked_weights"]]);
    assertEquals((await t.chain.consensus(NETUID)).validators.map((v) => v.uid), [0]);
    // A later commit replaces them only once it is revealed in turn.
    assert((await t.chain.setWeights(NETUID, { uids: [4], weights: [1] }, v1)).ok);
    assertEquals((await t.chain.weights(NETUID))[0].uids, [3, 4]);
    t.advance(361);
    assertEquals((await t.chain.weights(NETUID))[0].uids, [4]);
  } finally {
    await t.dispose();
  }
});

Deno.test("two handles on one file see each other's writes", async () => {
  const t = await setup();
  const other = await openLocalChain({ path: t.path, clock: t.clock });
  try {
    assertEquals([other.genesisMs, other.blockSeconds], [GENESIS_MS, 12]);
    // Concurrent registrations through both handles get distinct uids.
    const pairs = [v1, v2, v3, m1, m2, stranger];
    await Promise.all(
      pairs.map((p, i) =>
        (i % 2 === 0 ? t.chain : other).registerNeuron(NETUID, { hotkey: p.address, coldkey, stake: 10 })
      ),
    );
    const uids = (await other.metagraph(NETUID)).neurons.map((n) => n.uid);
    assertEquals(uids, [0, 1, 2, 3, 4, 5]);
    await other.setValidatorPermit(NETUID, v1.address, true);
    t.advance(1);
    const target = (await t.chain.metagraph(NETUID)).neurons.find((n) => n.hotkey === m1.address)!.uid;
    assert((await t.chain.setWeights(NETUID, { uids: [target], weights: [1] }, v1)).ok);
    assertEquals((await other.weights(NETUID)).map((w) => w.uids), [[target]]);
    // Both handles refuse the second setting within the rate limit.
    assertEquals((await other.setWeights(NETUID, { uids: [target], weights: [1] }, v1)).ok, false);
    await assertRejects(
      () => openLocalChain({ path: t.path, clock: t.clock, genesisMs: GENESIS_MS + 1 }),
      RangeError,
      "genesisMs",
    );
  } finally {
    other.close();
    await t.dispose();
  }
});

Deno.test("localChainPath() reads CHAIN_ENDPOINT=local:<path>", () => {
  assertEquals(localChainPath("local:./.zipmine/chain.kv"), "./.zipmine/chain.kv");
  assertEquals(localChainPath("finney"), null);
  assertEquals(localChainPath("wss://entrypoint-finney.opentensor.ai:443"), null);
});
