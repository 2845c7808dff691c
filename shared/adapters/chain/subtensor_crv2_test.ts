// Offline tests of CRv2 by runtime and of mechanisms: the adapter on the real spec-393 metadata (memory
// provider), with the runtime version set to 393 (reveal-blocks WeightCommits), 423 (commit-epoch) or an
// unknown one. Spec 393's metadata has no `SubnetEpochIndex`; the >= 423 tuple
// `(hash, commit_epoch, commit_block, 0)` is the same `(H256, u64, u64, u64)` type, encoded with the
// registry, and the epoch counter is written at its raw key (Identity-hashed u16 netuid: subtensor
// v3.4.8-423 pallets/subtensor/src/lib.rs:1846). The chain side below follows subtensor v3.4.8-423
// pallets/subtensor/src/subnets/weights.rs (internal_commit_weights :61, internal_reveal_weights :451,
// is_reveal_block_range :1255) and guards/check_weights.rs:103 (pool check of a reveal: custom errors 16
// and 17, common/src/transaction_error.rs:56-57).
import { assert, assertEquals, assertMatch } from "../../../tests/assert.ts";
import { readSpec393Metadata } from "../../../tests/fixtures/chain/spec393.ts";
import { xxhashAsHex } from "@polkadot/util-crypto";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { mechanismStorageIndex } from "../../chain/commit_reveal_v2.ts";
import { revealBlocks, weightsCommitHash } from "../../chain/weight_rules.ts";
import { openRevealStore } from "./reveal_store.ts";
import type { SubtensorChain } from "./subtensor_chain.ts";
import { subnetEpochIndexKey } from "./subtensor/reads.ts";
import {
  MemorySubtensorProvider,
  setStorage,
  SPEC_393,
  systemEvents,
} from "../../testing/subtensor_memory_provider.ts";
import {
  decodeExtrinsic as decode,
  openMemoryChain,
  setHyperparameters,
} from "../../testing/subtensor_test_chain.ts";

const metadata = await readSpec393Metadata();
await cryptoReady();
const validator = createKeyring().addFromUri("//zipmine/subtensor-crv2-test/validator");

const NETUID = 46;
const HEAD = 10_000;
const UID = 2;
const TEMPO = 360;
const SALT = [1, 2, 3, 4, 5, 6, 7, 8];
const NOW = new Date("2026-03-01T00:00:00Z");
const WEIGHTS = { uids: [0, 5, 7], weights: [65535, 32768, 100] };

interface Setup {
  spec?: number;
  stateDir?: string;
  commitReveal?: boolean;
  mechanismCount?: number | null;
  mechanisms?: number[];
}

async function setup(o: Setup = {}) {
  const provider = new MemorySubtensorProvider({
    metadata,
    block: HEAD,
    runtimeVersion: { ...SPEC_393, specVersion: o.spec ?? 393 },
  });
  const opened = await openMemoryChain(provider, NOW, {
    stateDir: o.stateDir,
    salt: () => [...SALT],
    mechanisms: o.mechanisms,
    commitReveal: "crv2", // CRv4 (the default) is covered by subtensor_timelocked_test.ts
  });
  const { api } = opened;
  const q = api.query.subtensorModule;
  setHyperparameters(provider, api, { tempo: TEMPO, commitRevealWeightsEnabled: o.commitReveal ?? true });
  setStorage(provider, api, q.uids, [NETUID, validator.address], UID);
  if (o.mechanismCount !== null) {
    setStorage(provider, api, q.mechanismCountCurrent, [NETUID], o.mechanismCount ?? 1);
  }
  return opened;
}

function setEpochIndex(provider: MemorySubtensorProvider, epoch: number) {
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, BigInt(epoch), true);
  provider.storage.set(
    subnetEpochIndexKey(NETUID),
    `0x${[...value].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
  );
}

/**
 * The chain's CRv2 for `layout`: commits write `WeightCommits` (and LastUpdate) at the mechanism's storage
 * index; a reveal outside its window is refused by the pool with custom error 17, as the transaction
 * extension does, and one in the window removes the commit.
 */
function emulateChain(
  provider: MemorySubtensorProvider,
  chain: SubtensorChain,
  layout: "reveal-blocks" | "commit-epoch",
  epoch: () => number,
) {
  const api = chain.api;
  const q = api.query.subtensorModule;
  provider.onSubmit = (hex) => {
    const d = decode(chain, hex);
    const a = d.args;
    const block = provider.block + 1;
    const mecid = (a.mecid as number | undefined) ?? 0;
    const index = mechanismStorageIndex(a.netuid as number, mecid);
    if (d.name.startsWith("subtensorModule.commit")) {
      const tuple = layout === "reveal-blocks"
        ? (() => {
          const { first, last } = revealBlocks(NETUID, block, { tempo: TEMPO, commitRevealPeriod: 1 });
          return [a.commit_hash, block, first, last];
        })()
        : [a.commit_hash, epoch(), block, 0];
      setStorage(provider, api, q.weightCommits, [index, d.signer], [tuple]);
      setStorage(provider, api, q.lastUpdate, [index], [0, 0, block, 0]);
      return {};
    }
    if (d.name.startsWith("subtensorModule.reveal")) {
      const stored = q.weightCommits.key(index, d.signer);
      const raw = provider.storage.get(stored);
      if (!raw) return { reject: "1010: Invalid Transaction: Custom error: 16" };
      const [[, f1, f2, f3]] = api.registry.createType("Vec<(H256,u64,u64,u64)>", raw).toJSON() as number[][];
      const open = layout === "reveal-blocks" ? block >= f2 && block <= f3 : epoch() === f1 + 1;
      if (!open) return { reject: "1010: Invalid Transaction: Custom error: 17" };
      provider.storage.delete(stored);
      return {};
    }
    return { events: systemEvents(api, 0, { pallet: "SubtensorModule", error: "BadRequest" }) };
  };
}

Deno.test("subnetEpochIndexKey() shares the pallet prefix the registry derives and ends in the netuid", async () => {
  const { chain, api } = await setup();
  try {
    const palletPrefix = api.query.subtensorModule.tempo.keyPrefix().slice(0, 2 + 32);
    const key = subnetEpochIndexKey(NETUID);
    assertEquals(key.slice(0, 2 + 32), palletPrefix);
    assertEquals(key.slice(2 + 32, 2 + 64), xxhashAsHex("SubnetEpochIndex", 128).slice(2));
    assertEquals(key.slice(2 + 64), "2e00"); // 46 as u16 LE, Identity hasher
  } finally {
    await chain.close();
  }
});

Deno.test("spec 423: the commit-epoch tuple is read as (hash, commit_epoch, commit_block, 0) and revealed in epoch commit+period", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crv2_test_" });
  let epoch = 50;
  try {
    const { provider, chain, metrics } = await setup({ spec: 423, stateDir: dir });
    try {
      emulateChain(provider, chain, "commit-epoch", () => epoch);
      setEpochIndex(provider, epoch);
      assertEquals(await chain.setWeights(NETUID, WEIGHTS, validator), {
        ok: true,
        block: HEAD + 1,
        mode: "commit",
      });
      const [owed] = chain.pendingReveals();
      // The old reading would have made this { commitBlock: 50, first: HEAD + 1, last: 0 } and dropped it.
      assertEquals(
        {
          commitBlock: owed.commitBlock,
          first: owed.firstRevealBlock,
          last: owed.lastRevealBlock,
          at: owed.revealEpoch,
        },
        { commitBlock: HEAD + 1, first: null, last: null, at: 51 },
      );
      // Many blocks later but still epoch 50: not yet (block numbers no longer decide).
      provider.block = HEAD + 2_000;
      assertEquals(await chain.revealDue(validator), [{
        hash: owed.hash,
        netuid: NETUID,
        outcome: "waiting",
      }]);
      assertEquals(provider.attempts.length, 1);
      epoch = 51;
      setEpochIndex(provider, epoch);
      const revealed = await chain.revealDue(validator);
      assertEquals(revealed.map((r) => r.outcome), ["revealed"]);
      assertEquals(decode(chain, provider.submitted[1]).callIndex, [7, 97]);
      assertEquals(chain.pendingReveals(), []);
      assertEquals(metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "revealed" }), 1);
    } finally {
      await chain.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("spec 423: a commit whose reveal epoch has passed is dropped as expired, and a restart reads the window from the chain", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crv2_test_" });
  try {
    const store = await openRevealStore(dir);
    const hash = weightsCommitHash({
      hotkey: validator.address,
      netuid: NETUID,
      uids: [1],
      values: [65535],
      salt: SALT,
      versionKey: 7,
    });
    const base = {
      netuid: NETUID,
      hotkey: validator.address,
      uids: [1],
      values: [65535],
      salt: SALT,
      versionKey: 7,
    };
    // Persisted before its commit was confirmed (a crash): the chain holds (hash, epoch 40, block, 0).
    await store.put({
      ...base,
      hash,
      commitBlock: null,
      firstRevealBlock: null,
      lastRevealBlock: null,
      createdAt: NOW.toISOString(),
    });
    const { provider, chain, api } = await setup({ spec: 423, stateDir: dir });
    try {
      setStorage(provider, api, api.query.subtensorModule.weightCommits, [NETUID, validator.address], [[
        hash,
        40,
        HEAD - 800,
        0,
      ]]);
      setEpochIndex(provider, 42);
      assertEquals(await chain.revealDue(validator), [
        { hash, netuid: NETUID, outcome: "dropped", error: "ExpiredWeightCommit" },
      ]);
      assertEquals(provider.attempts, []);
    } finally {
      await chain.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reveal refused by the pool with custom error 16 or 17 is tried again while the window lasts, not dropped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crv2_test_" });
  let epoch = 70;
  try {
    const { provider, chain, metrics } = await setup({ spec: 423, stateDir: dir });
    try {
      emulateChain(provider, chain, "commit-epoch", () => epoch);
      setEpochIndex(provider, epoch);
      assert((await chain.setWeights(NETUID, WEIGHTS, validator)).ok);
      const [owed] = chain.pendingReveals();
      const chainSide = provider.onSubmit;
      let refusals = [
        "1010: Invalid Transaction: Custom error: 16",
        "1010: Invalid Transaction: Custom error: 17",
      ];
      provider.onSubmit = (hex) => refusals.length ? { reject: refusals.shift()! } : chainSide(hex);
      epoch = 71;
      setEpochIndex(provider, epoch);
      const first = await chain.revealDue(validator, HEAD + 10);
      assertEquals(first.map((o) => [o.outcome, o.error]), [[
        "retry",
        "1010: Invalid Transaction: Custom error: 16",
      ]]);
      assertEquals(await chain.revealDue(validator, HEAD + 11), [
        { hash: owed.hash, netuid: NETUID, outcome: "waiting", block: HEAD + 12 },
      ]);
      const second = await chain.revealDue(validator, HEAD + 12);
      assertEquals(second.map((o) => o.outcome), ["retry"]);
      const third = await chain.revealDue(validator, HEAD + 14);
      assertEquals(third.map((o) => o.outcome), ["revealed"]);
      const failures = metrics.counter("zipmine_subtensor_failures_total", "");
      assertEquals(
        failures.get({ call: "reveal_weights", error: "1010: Invalid Transaction: Custom error: 17" }),
        1,
      );
      // Another pool error is permanent: a new commit whose reveal is refused with error 6 is dropped.
      refusals = [];
      provider.block += 200;
      assert((await chain.setWeights(NETUID, WEIGHTS, validator)).ok);
      epoch = 72;
      setEpochIndex(provider, epoch);
      provider.onSubmit = () => ({ reject: "1010: Invalid Transaction: Custom error: 6" });
      const dropped = await chain.revealDue(validator);
      assertEquals(dropped.map((o) => o.outcome), ["dropped"]);
    } finally {
      await chain.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a runtime whose WeightCommits layout is unknown is refused loudly: no commit, owed reveals kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crv2_test_" });
  try {
    const store = await openRevealStore(dir);
    await store.put({
      netuid: NETUID,
      hotkey: validator.address,
      hash: `0x${"c".repeat(64)}`,
      uids: [1],
      values: [65535],
      salt: SALT,
      versionKey: 7,
      commitBlock: HEAD - 10,
      firstRevealBlock: HEAD - 5,
      lastRevealBlock: HEAD + 5,
      createdAt: NOW.toISOString(),
    });
    // Spec 430 is newer than any read, and its (spec-393) docs still name the reveal-blocks tuple.
    const { provider, chain, metrics, lines } = await setup({ spec: 430, stateDir: dir });
    try {
      const result = await chain.setWeights(NETUID, WEIGHTS, validator);
      assert(!result.ok);
      assertMatch(result.error, /^UnknownWeightCommitsLayout: spec 430 is newer than 425/);
      const outcomes = await chain.revealDue(validator);
      assertEquals(outcomes.map((o) => o.outcome), ["waiting"]);
      assertMatch(outcomes[0].error!, /^UnknownWeightCommitsLayout/);
      assertEquals(provider.attempts, []);
      assertEquals(chain.pendingReveals().length, 1);
      const unsupported = metrics.counter("zipmine_subtensor_unsupported_total", "");
      assertEquals(unsupported.get({ what: "layout" }), 2);
      assert(lines.some((l) => l.includes("ERROR") || l.includes("error")), lines.join("\n"));
      assert(lines.some((l) => l.includes("UnknownWeightCommitsLayout")));
    } finally {
      await chain.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with commit-reveal off and an unknown runtime, set_weights still goes out (no WeightCommits involved)", async () => {
  const { provider, chain } = await setup({ spec: 430, commitReveal: false });
  try {
    assertEquals(await chain.setWeights(NETUID, WEIGHTS, validator), {
      ok: true,
      block: HEAD + 1,
      mode: "set",
    });
    assertEquals(decode(chain, provider.submitted[0]).callIndex, [7, 0]);
  } finally {
    await chain.close();
  }
});

Deno.test("mechanisms: weights are set on every mechanism MechanismCountCurrent names, the same on each", async () => {
  const { provider, chain } = await setup({ commitReveal: false, mechanismCount: 3 });
  try {
    const api = chain.api;
    for (const m of [1, 2]) {
      setStorage(provider, api, api.query.subtensorModule.lastUpdate, [mechanismStorageIndex(NETUID, m)], [
        0,
        0,
        0,
        0,
      ]);
    }
    assertEquals(await chain.setWeights(NETUID, WEIGHTS, validator), {
      ok: true,
      block: HEAD + 3,
      mode: "set",
    });
    const sent = provider.submitted.map((hex) => decode(chain, hex));
    assertEquals(sent.map((d) => d.callIndex), [[7, 0], [7, 119], [7, 119]]);
    assertEquals(sent[1].args, {
      netuid: NETUID,
      mecid: 1,
      dests: WEIGHTS.uids,
      weights: WEIGHTS.weights,
      version_key: 7,
    });
    assertEquals((sent[2].args as { mecid: number }).mecid, 2);
  } finally {
    await chain.close();
  }
});

Deno.test("mechanisms: CRv2 commits hash the mechanism's storage index and reveal with reveal_mechanism_weights", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crv2_test_" });
  try {
    const { provider, chain } = await setup({ stateDir: dir, mechanismCount: 2 });
    try {
      emulateChain(provider, chain, "reveal-blocks", () => 0);
      assert((await chain.setWeights(NETUID, WEIGHTS, validator)).ok);
      const sent = provider.submitted.map((hex) => decode(chain, hex));
      assertEquals(sent.map((d) => d.callIndex), [[7, 96], [7, 115]]);
      const hash1 = weightsCommitHash({
        hotkey: validator.address,
        netuid: 4096 + NETUID,
        uids: WEIGHTS.uids,
        values: WEIGHTS.weights,
        salt: SALT,
        versionKey: 7,
      });
      assertEquals(sent[1].args, { netuid: NETUID, mecid: 1, commit_hash: hash1 });
      const owed = chain.pendingReveals();
      assertEquals(owed.map((r) => r.mechanism ?? 0), [0, 1]);
      assert(owed[0].hash !== owed[1].hash);
      provider.block = owed[1].firstRevealBlock!;
      const out = await chain.revealDue(validator);
      assertEquals(out.map((o) => [o.outcome, o.mechanism ?? 0]), [["revealed", 0], ["revealed", 1]]);
      const reveals = provider.submitted.slice(2).map((hex) => decode(chain, hex));
      assertEquals(reveals.map((d) => d.callIndex), [[7, 97], [7, 116]]);
      assertEquals((reveals[1].args as { mecid: number }).mecid, 1);
      assertEquals(chain.pendingReveals(), []);
    } finally {
      await chain.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mechanisms: configuring one the subnet lacks is refused loudly without sending anything", async () => {
  const { provider, chain, metrics, lines } = await setup({
    commitReveal: false,
    mechanismCount: 2,
    mechanisms: [0, 2],
  });
  try {
    const result = await chain.setWeights(NETUID, WEIGHTS, validator);
    assertEquals(result, { ok: false, error: "MechanismDoesNotExist: 2 (the subnet has 2)" });
    assertEquals(provider.attempts, []);
    assertEquals(metrics.counter("zipmine_subtensor_unsupported_total", "").get({ what: "mechanisms" }), 1);
    assert(lines.some((l) => l.includes("MechanismDoesNotExist")));
  } finally {
    await chain.close();
  }
});

Deno.test("mechanisms: the configured subset is set, and no MechanismCountCurrent value means one mechanism", async () => {
  const { provider, chain } = await setup({ commitReveal: false, mechanismCount: 2, mechanisms: [1] });
  try {
    setStorage(provider, chain.api, chain.api.query.subtensorModule.lastUpdate, [4096 + NETUID], [
      0,
      0,
      0,
      0,
    ]);
    assert((await chain.setWeights(NETUID, WEIGHTS, validator)).ok);
    assertEquals(provider.submitted.map((hex) => decode(chain, hex).callIndex), [[7, 119]]);
  } finally {
    await chain.close();
  }
  const unset = await setup({ commitReveal: false, mechanismCount: null });
  try {
    assert((await unset.chain.setWeights(NETUID, WEIGHTS, validator)).ok);
    assertEquals(unset.provider.submitted.map((hex) => decode(unset.chain, hex).callIndex), [[7, 0]]);
  } finally {
    await unset.chain.close();
  }
});
