// Offline tests of the subtensor adapter: ApiPromise on the real spec-393 metadata over an in-memory
// provider. Extrinsics are built, signed (sr25519, fixed dev seeds), submitted to the provider and decoded
// back with the metadata's types; runtime-API answers and storage are encoded with the same registry.
import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { blake2AsHex, blake2AsU8a, signatureVerify } from "@polkadot/util-crypto";
import { createLogger } from "../../log.ts";
import { createRegistry } from "../../metrics.ts";
import { MetagraphSnapshotSchema } from "../../schemas/metagraph.ts";
import { createKeyring, cryptoReady, type KeyringPair } from "../../signature.ts";
import { toU16Weights, type UidWeight } from "../../weights_u16.ts";
import { openRevealStore, REVEALS_FILE } from "./reveal_store.ts";
import {
  openSubtensorChain,
  raoToUnits,
  resolveSubtensorEndpoint,
  type SubtensorChain,
} from "./subtensor_chain.ts";
import {
  memoryBlockHash,
  MemorySubtensorProvider,
  setRuntimeAnswer,
  setStorage,
  SPEC_393,
  systemEvents,
} from "../../testing/subtensor_memory_provider.ts";
import {
  decodeExtrinsic as decode,
  openMemoryChain,
  registerHotkey,
  setHyperparameters,
  TEST_HYPERPARAMS,
} from "../../testing/subtensor_test_chain.ts";
import { revealBlocks, weightsCommitHash } from "../../chain/weight_rules.ts";
import { readSpec393Metadata } from "../../../tests/fixtures/chain/spec393.ts";

const metadata = await readSpec393Metadata();

await cryptoReady();
const keyring = createKeyring();
const validator = keyring.addFromUri("//zipmine/subtensor-test/validator");
const miner = keyring.addFromUri("//zipmine/subtensor-test/miner");
const coldkey = keyring.addFromUri("//zipmine/subtensor-test/coldkey");
const owner = keyring.addFromUri("//zipmine/subtensor-test/owner");

const NETUID = 46;
const HEAD = 10_000;
const VALIDATOR_UID = 2;
const SALT = [11, 22, 33, 44, 55, 66, 77, 88];
const NOW = new Date("2026-03-01T00:00:00Z");
const PRIORITY_TOO_LOW = "1014: Priority is too low: (0 vs 0): The transaction has too low priority";

Deno.test("resolveSubtensorEndpoint() maps the network names and passes ws(s) URLs through", () => {
  assertEquals(resolveSubtensorEndpoint("finney"), "wss://entrypoint-finney.opentensor.ai:443");
  assertEquals(resolveSubtensorEndpoint("test"), "wss://test.finney.opentensor.ai:443");
  assertEquals(resolveSubtensorEndpoint("ws://127.0.0.1:9944"), "ws://127.0.0.1:9944");
  for (const bad of ["local:./chain.kv", "http://x", "mainnet", ""]) {
    let threw = false;
    try {
      resolveSubtensorEndpoint(bad);
    } catch (error) {
      threw = error instanceof RangeError;
    }
    assert(threw, bad);
  }
});

Deno.test("openSubtensorChain() fails with a clear error when the node refuses the connection", async () => {
  const error = await assertRejects(
    () =>
      openSubtensorChain({
        endpoint: "ws://127.0.0.1:9",
        connectTimeoutMs: 5_000,
        clock: { now: () => NOW },
        log: createLogger({ sink: () => {}, clock: { now: () => NOW } }),
        metrics: createRegistry(),
      }),
    Error,
    "Cannot connect to subtensor at ws://127.0.0.1:9",
  );
  assert(error.message.length > "Cannot connect to subtensor at ws://127.0.0.1:9: ".length);
});

Deno.test("raoToUnits() turns rao into whole units", () => {
  assertEquals(raoToUnits(0n), 0);
  assertEquals(raoToUnits(1_000_000_000n), 1);
  assertEquals(raoToUnits(123_456_789_000n), 123.456789);
  assertEquals(raoToUnits(21_000_000n * 1_000_000_000n + 5n), 21_000_000.000000005);
});

registerMetadataTests(metadata);

function registerMetadataTests(metadata: Uint8Array) {
  async function setup(
    options: { stateDir?: string; provider?: MemorySubtensorProvider; attempts?: number } = {},
    // These tests cover CRv2; CRv4 (the default) is in subtensor_timelocked_test.ts.
    commitReveal: "crv2" | "crv4" = "crv2",
  ) {
    const provider = options.provider ?? new MemorySubtensorProvider({ metadata, block: HEAD });
    const sleeps: number[] = [];
    const opened = await openMemoryChain(provider, NOW, {
      stateDir: options.stateDir,
      commitReveal,
      attempts: options.attempts,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      salt: () => [...SALT],
    });
    return { ...opened, sleeps };
  }

  const hyper = (
    provider: MemorySubtensorProvider,
    chain: SubtensorChain,
    h: Partial<typeof TEST_HYPERPARAMS> | null,
  ) => setHyperparameters(provider, chain.api, h);

  /** Registers the validator at VALIDATOR_UID with `lastUpdate` (0 = never). */
  const register = (provider: MemorySubtensorProvider, chain: SubtensorChain, lastUpdate: number) =>
    registerHotkey(provider, chain.api, {
      netuid: NETUID,
      hotkey: validator.address,
      uid: VALIDATOR_UID,
      lastUpdate,
    });

  /** The extrinsic's sr25519 signature over its signing payload, as the chain checks it. */
  async function signatureValid(chain: SubtensorChain, hex: string, signer: KeyringPair, head: number) {
    const api = chain.api;
    const ext = api.registry.createType("Extrinsic", hex);
    const header = await api.rpc.chain.getHeader(memoryBlockHash(head));
    const payload = api.registry.createType("ExtrinsicPayload", {
      method: ext.method.toHex(),
      era: ext.era,
      nonce: ext.nonce,
      tip: ext.tip,
      mode: 0,
      metadataHash: null,
      specVersion: api.runtimeVersion.specVersion,
      transactionVersion: api.runtimeVersion.transactionVersion,
      genesisHash: api.genesisHash,
      blockHash: header.hash,
    }, { version: 4 });
    let message = payload.toU8a({ method: true });
    if (message.length > 256) message = blake2AsU8a(message, 256);
    return signatureVerify(message, ext.signature.toU8a(), signer.address).isValid;
  }

  Deno.test("subtensor adapter: the API starts on the spec-393 metadata in memory", async () => {
    const { chain, api } = await setup();
    try {
      assertEquals(api.runtimeVersion.specVersion.toNumber(), 393);
      const version = api.consts.system.version.toJSON() as Record<string, unknown>;
      for (const [k, v] of Object.entries(SPEC_393)) assertEquals(version[k], v, k);
      assertEquals(chain.description, "subtensor:memory");
      const tx = api.tx.subtensorModule;
      assertEquals([...tx.setWeights.callIndex], [7, 0]);
      assertEquals([...tx.serveAxon.callIndex], [7, 4]);
      assertEquals([...tx.commitWeights.callIndex], [7, 96]);
      assertEquals([...tx.revealWeights.callIndex], [7, 97]);
      assertEquals(await chain.currentBlock(), HEAD);
      // Reference vector (bittensor-protocol.md §3.3): set_weights(1, [0,5,7], [65535,32768,100], 10002000).
      assertEquals(
        tx.setWeights(1, [0, 5, 7], [65535, 32768, 100], 10_002_000).method.toHex(),
        "0x070001000c0000050007000cffff00806400509e980000000000",
      );
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: metagraph() decodes get_neurons_lite into the snapshot", async () => {
    const { provider, chain, api } = await setup();
    try {
      const axon = (ip: bigint, ipType: number, port: number) => ({
        block: 900,
        version: 10_002_000,
        ip,
        port,
        ipType,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
      });
      const neuron = (uid: number, hotkey: string, extra: Record<string, unknown>) => ({
        hotkey,
        coldkey: coldkey.address,
        uid,
        netuid: NETUID,
        active: true,
        axonInfo: axon(0n, 0, 0),
        prometheusInfo: { block: 0, version: 0, ip: 0, port: 0, ipType: 0 },
        stake: [],
        rank: 0,
        emission: 0,
        incentive: 0,
        consensus: 0,
        trust: 0,
        validatorTrust: 0,
        dividends: 0,
        lastUpdate: 0,
        validatorPermit: false,
        pruningScore: 0,
        ...extra,
      });
      let argument = "";
      setRuntimeAnswer(provider, api, "NeuronInfoRuntimeApi", "get_neurons_lite", (data) => {
        argument = data;
        return [
          neuron(1, miner.address, { axonInfo: axon(0x01020304n, 4, 8091) }),
          neuron(0, validator.address, {
            stake: [[coldkey.address, 123_456_789_000n], [owner.address, 1_000_000_000n]],
            validatorPermit: true,
            lastUpdate: 9_950,
          }),
          neuron(2, owner.address, {
            axonInfo: axon(0x20010db8000000000000000000000001n, 6, 443),
            active: false,
          }),
        ];
      });
      setStorage(provider, api, api.query.subtensorModule.subnetOwnerHotkey, [NETUID], owner.address);
      const snapshot = await chain.metagraph(NETUID);
      assertEquals(argument, "0x2e00"); // netuid 46 as u16 LE
      assertEquals(snapshot, {
        netuid: NETUID,
        block: HEAD,
        ownerHotkey: owner.address,
        neurons: [
          {
            uid: 0,
            hotkey: validator.address,
            coldkey: coldkey.address,
            stake: 124.456789,
            validatorPermit: true,
            axon: null,
            lastUpdate: 9_950,
            active: true,
          },
          {
            uid: 1,
            hotkey: miner.address,
            coldkey: coldkey.address,
            stake: 0,
            validatorPermit: false,
            axon: { ip: "1.2.3.4", port: 8091 },
            lastUpdate: 0,
            active: true,
          },
          {
            uid: 2,
            hotkey: owner.address,
            coldkey: coldkey.address,
            stake: 0,
            validatorPermit: false,
            axon: { ip: "2001:db8::1", port: 443 },
            lastUpdate: 0,
            active: false,
          },
        ],
      });
      MetagraphSnapshotSchema.parse(snapshot); // the API's schema accepts it
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: an unknown subnet is an error, not an empty metagraph", async () => {
    const { provider, chain, api } = await setup();
    try {
      setRuntimeAnswer(provider, api, "NeuronInfoRuntimeApi", "get_neurons_lite", () => []);
      await assertRejects(() => chain.metagraph(NETUID), RangeError, "does not exist");
      hyper(provider, chain, null);
      await assertRejects(() => chain.hyperparameters(NETUID), RangeError, "does not exist");
      setStorage(provider, api, api.query.subtensorModule.networksAdded, [NETUID], true);
      assertEquals((await chain.metagraph(NETUID)).neurons, []);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: hyperparameters() and ownerHotkey()", async () => {
    const { provider, chain, api } = await setup();
    try {
      hyper(provider, chain, {
        tempo: 99,
        weightsRateLimit: 12,
        commitRevealWeightsEnabled: true,
        commitRevealPeriod: 3,
        weightsVersion: 10_002_000,
        minAllowedWeights: 8,
        maxWeightsLimit: 1000,
      });
      assertEquals(await chain.hyperparameters(NETUID), {
        tempo: 99,
        weightsRateLimit: 12,
        commitRevealEnabled: true,
        commitRevealPeriod: 3,
        weightsVersionKey: 10_002_000,
        minAllowedWeights: 8,
        maxWeightLimit: 1000,
        servingRateLimit: 50,
        activityCutoff: 5000,
        kappa: 32767,
      });
      assertEquals(await chain.ownerHotkey(NETUID), null); // storage default: the zero account
      setStorage(provider, api, api.query.subtensorModule.subnetOwnerHotkey, [NETUID], owner.address);
      assertEquals(await chain.ownerHotkey(NETUID), owner.address);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: setWeights() signs and submits set_weights with the SDK's u16 vector", async () => {
    const { provider, chain, metrics } = await setup();
    try {
      hyper(provider, chain, { weightsVersion: 7 });
      register(provider, chain, HEAD - 100);
      // The first golden vector of tests/vectors/weights_u16.json, converted by the shared code.
      const vectors = JSON.parse(
        await Deno.readTextFile(new URL("../../../tests/vectors/weights_u16.json", import.meta.url)),
      ) as { input: UidWeight[]; expected: { uids: number[]; weights: number[] } }[];
      const vector = toU16Weights(vectors[0].input);
      assertEquals(vector, vectors[0].expected);
      assertEquals(vector, { uids: [0, 5, 7], weights: [65535, 32768, 100] });

      const result = await chain.setWeights(NETUID, vector, validator);
      assertEquals(result, { ok: true, block: HEAD + 1, mode: "set" });
      assertEquals(provider.submitted.length, 1);
      assertEquals(provider.blockExtrinsics(HEAD + 1), provider.submitted);
      const d = decode(chain, provider.submitted[0]);
      assert(d.ext.isSigned);
      assertEquals(d.signer, validator.address);
      assertEquals(d.callIndex, [7, 0]);
      assertEquals(d.name, "subtensorModule.setWeights");
      assertEquals(d.args, {
        netuid: NETUID,
        dests: [0, 5, 7],
        weights: [65535, 32768, 100],
        version_key: 7,
      });
      assertEquals(d.ext.nonce.toNumber(), 0);
      assert(await signatureValid(chain, provider.submitted[0], validator, HEAD), "signature verifies");
      assert(!(await signatureValid(chain, provider.submitted[0], miner, HEAD)), "not the miner's signature");
      assertEquals(metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "set" }), 1);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: setWeights() inside the rate limit is refused without submitting", async () => {
    const { provider, chain, metrics } = await setup();
    try {
      hyper(provider, chain, { weightsRateLimit: 100 });
      register(provider, chain, HEAD - 99);
      const weights = { uids: [0], weights: [65535] };
      assertEquals(await chain.setWeights(NETUID, weights, validator), {
        ok: false,
        error: "SettingWeightsTooFast",
      });
      hyper(provider, chain, { weightsRateLimit: 100, commitRevealWeightsEnabled: true });
      const dir = await Deno.makeTempDir({ prefix: "subtensor_test_" });
      const withState = await setup({
        stateDir: dir,
        provider: new MemorySubtensorProvider({ metadata, block: HEAD }),
      });
      try {
        hyper(withState.provider, withState.chain, {
          weightsRateLimit: 100,
          commitRevealWeightsEnabled: true,
        });
        register(withState.provider, withState.chain, HEAD - 1);
        assertEquals(await withState.chain.setWeights(NETUID, weights, validator), {
          ok: false,
          error: "CommittingWeightsTooFast",
        });
        assertEquals(withState.chain.pendingReveals(), []);
        assertEquals(withState.provider.attempts, []);
      } finally {
        await withState.chain.close();
        await Deno.remove(dir, { recursive: true });
      }
      // Not registered: refused with the chain's name, nothing sent.
      setStorage(
        provider,
        chain.api,
        chain.api.query.subtensorModule.uids,
        [NETUID, validator.address],
        null,
      );
      hyper(provider, chain, {});
      assertEquals(await chain.setWeights(NETUID, weights, validator), {
        ok: false,
        error: "HotKeyNotRegisteredInSubNet",
      });
      assertEquals(provider.attempts, []);
      const failures = metrics.counter("zipmine_subtensor_failures_total", "");
      assertEquals(failures.get({ call: "set_weights", error: "SettingWeightsTooFast" }), 1);
      assertEquals(failures.get({ call: "set_weights", error: "HotKeyNotRegisteredInSubNet" }), 1);
      assertEquals(metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "failed" }), 2);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: a dispatch error is reported by its chain name, without retry", async () => {
    const { provider, chain, api, sleeps } = await setup();
    try {
      hyper(provider, chain, {});
      register(provider, chain, 0);
      provider.onSubmit = () => ({
        events: systemEvents(api, 0, { pallet: "SubtensorModule", error: "IncorrectWeightVersionKey" }),
      });
      assertEquals(await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator), {
        ok: false,
        error: "IncorrectWeightVersionKey",
      });
      assertEquals(provider.attempts.length, 1);
      assertEquals(sleeps, []);
      // A pool rejection the node calls permanent is passed on as the node's message, also without retry.
      provider.onSubmit = () => ({ reject: "1010: Invalid Transaction: Custom error: 6" });
      assertEquals(await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator), {
        ok: false,
        error: "1010: Invalid Transaction: Custom error: 6",
      });
      assertEquals(provider.attempts.length, 2);
      assertEquals(sleeps, []);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: transient failures are retried with bounded backoff", async () => {
    const { provider, chain, metrics, sleeps } = await setup();
    try {
      hyper(provider, chain, {});
      register(provider, chain, 0);
      let calls = 0;
      provider.onSubmit = () => (++calls === 1 ? { reject: PRIORITY_TOO_LOW } : {});
      const weights = { uids: [1], weights: [65535] };
      assertEquals(await chain.setWeights(NETUID, weights, validator), {
        ok: true,
        block: HEAD + 1,
        mode: "set",
      });
      assertEquals([provider.attempts.length, provider.submitted.length], [2, 1]);
      assertEquals(sleeps, [2000]);
      assertEquals(metrics.counter("zipmine_subtensor_retries_total", "").get({ call: "set_weights" }), 1);

      register(provider, chain, 0);
      provider.onSubmit = () => ({ reject: PRIORITY_TOO_LOW });
      assertEquals(await chain.setWeights(NETUID, weights, validator), {
        ok: false,
        error: PRIORITY_TOO_LOW,
      });
      assertEquals(provider.attempts.length, 5); // 3 attempts, then the result
      assertEquals(sleeps, [2000, 2000, 4000]);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: a retry is skipped when the earlier attempt landed after all", async () => {
    const { provider, chain, api } = await setup();
    try {
      hyper(provider, chain, {});
      register(provider, chain, 0);
      // The node rejects the answer but the chain state shows our last update moved (e.g. a lost reply).
      provider.onSubmit = () => {
        setStorage(provider, api, api.query.subtensorModule.lastUpdate, [NETUID], [0, 0, HEAD + 1, 0]);
        return { reject: "connection reset" };
      };
      assertEquals(await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator), {
        ok: true,
        block: HEAD + 1,
        mode: "set",
      });
      assertEquals(provider.attempts.length, 1);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: the CRv2 commit hash matches the local chain, the registry and the reference", async () => {
    const { chain, api } = await setup();
    try {
      const input = {
        hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
        netuid: 1,
        uids: [0, 3],
        values: [65535, 1200],
        salt: [1, 2, 3, 4, 5, 6, 7, 8],
        versionKey: 10_002_000,
      };
      const tuple = api.registry.createType("(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)", [
        input.hotkey,
        input.netuid,
        input.uids,
        input.values,
        input.salt,
        input.versionKey,
      ]);
      const reference = "0x528f589d89d92020b94aa71a134298e02595586bbdb2e43650b315c018967548";
      assertEquals(blake2AsHex(tuple.toU8a(), 256), reference);
      assertEquals(weightsCommitHash(input), reference);
    } finally {
      await chain.close();
    }
  });

  /** Emulates the chain's CRv2 bookkeeping in the provider: commits go to WeightCommits, reveals check it. */
  function emulateCommitReveal(provider: MemorySubtensorProvider, chain: SubtensorChain, tempo: number) {
    const api = chain.api;
    provider.onSubmit = (hex) => {
      const d = decode(chain, hex);
      const block = provider.block + 1;
      const entry = api.query.subtensorModule.weightCommits;
      if (d.name === "subtensorModule.commitWeights") {
        const a = d.args as { netuid: number; commit_hash: string };
        const { first, last } = revealBlocks(a.netuid, block, { tempo, commitRevealPeriod: 1 });
        setStorage(provider, api, entry, [a.netuid, d.signer], [[a.commit_hash, block, first, last]]);
        setStorage(provider, api, api.query.subtensorModule.lastUpdate, [a.netuid], [0, 0, block, 0]);
      } else if (d.name === "subtensorModule.revealWeights") {
        const a = d.args as {
          netuid: number;
          uids: number[];
          values: number[];
          salt: number[];
          version_key: number;
        };
        const hash = weightsCommitHash({
          hotkey: d.signer,
          netuid: a.netuid,
          uids: a.uids,
          values: a.values,
          salt: a.salt,
          versionKey: a.version_key,
        });
        const stored = provider.storage.get(entry.key(a.netuid, d.signer));
        if (!stored?.includes(hash.slice(2))) {
          return {
            events: systemEvents(api, 0, {
              pallet: "SubtensorModule",
              error: "InvalidRevealCommitHashNotMatch",
            }),
          };
        }
        setStorage(provider, api, entry, [a.netuid, d.signer], null);
      }
      return {};
    };
  }

  Deno.test("subtensor adapter: commit-reveal commits the hash, persists the reveal and reveals after a restart", async () => {
    const dir = await Deno.makeTempDir({ prefix: "subtensor_test_" });
    const tempo = 360;
    const weights = { uids: [0, 5, 7], weights: [65535, 32768, 100] };
    const { first, last } = revealBlocks(NETUID, HEAD + 1, { tempo, commitRevealPeriod: 1 });
    const storage = new Map<string, string>();
    try {
      {
        const { provider, chain, metrics } = await setup({ stateDir: dir });
        try {
          hyper(provider, chain, { commitRevealWeightsEnabled: true, tempo, weightsVersion: 7 });
          register(provider, chain, 0);
          emulateCommitReveal(provider, chain, tempo);
          assertEquals(await chain.setWeights(NETUID, weights, validator), {
            ok: true,
            block: HEAD + 1,
            mode: "commit",
          });
          const d = decode(chain, provider.submitted[0]);
          assertEquals(d.callIndex, [7, 96]);
          assertEquals(d.signer, validator.address);
          const hash = weightsCommitHash({
            hotkey: validator.address,
            netuid: NETUID,
            uids: weights.uids,
            values: weights.weights,
            salt: SALT,
            versionKey: 7,
          });
          assertEquals(d.args, { netuid: NETUID, commit_hash: hash });
          assert(await signatureValid(chain, provider.submitted[0], validator, HEAD));
          const file = JSON.parse(await Deno.readTextFile(`${dir}/${REVEALS_FILE}`));
          assertEquals(file.reveals, [{
            netuid: NETUID,
            hotkey: validator.address,
            hash,
            uids: weights.uids,
            values: weights.weights,
            salt: SALT,
            versionKey: 7,
            commitBlock: HEAD + 1,
            firstRevealBlock: first,
            lastRevealBlock: last,
            createdAt: NOW.toISOString(),
          }]);
          assertEquals(
            metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "committed" }),
            1,
          );
          for (const [k, v] of provider.storage) storage.set(k, v);
        } finally {
          await chain.close();
        }
      }
      // "Restart": a new adapter over the same state folder and a node that kept the chain state.
      const provider = new MemorySubtensorProvider({ metadata, block: HEAD + 2 });
      for (const [k, v] of storage) provider.storage.set(k, v);
      const { chain, metrics } = await setup({ stateDir: dir, provider });
      try {
        hyper(provider, chain, { commitRevealWeightsEnabled: true, tempo, weightsVersion: 7 });
        emulateCommitReveal(provider, chain, tempo);
        const hash = chain.pendingReveals()[0].hash;
        assertEquals(await chain.revealDue(validator), [{
          hash,
          netuid: NETUID,
          outcome: "waiting",
          block: first,
        }]);
        assertEquals(await chain.revealDue(miner), []); // not the committer: nothing owed
        assertEquals(provider.attempts, []);
        provider.block = first;
        const revealed = await chain.revealDue(validator);
        assertEquals(revealed, [{ hash, netuid: NETUID, outcome: "revealed", block: first + 1 }]);
        assertEquals(provider.submitted.length, 1);
        const d = decode(chain, provider.submitted[0]);
        assertEquals(d.callIndex, [7, 97]);
        assertEquals(d.name, "subtensorModule.revealWeights");
        assertEquals(d.args, {
          netuid: NETUID,
          uids: weights.uids,
          values: weights.weights,
          salt: SALT,
          version_key: 7,
        });
        assert(await signatureValid(chain, provider.submitted[0], validator, first));
        assertEquals(chain.pendingReveals(), []);
        assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/${REVEALS_FILE}`)).reveals, []);
        assertEquals(metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "revealed" }), 1);
        assertEquals(await chain.revealDue(validator), []); // nothing owed any more
        assert(last > first);
      } finally {
        await chain.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test("subtensor adapter: owed reveals that expired, never landed or were refused are dropped", async () => {
    const dir = await Deno.makeTempDir({ prefix: "subtensor_test_" });
    try {
      const store = await openRevealStore(dir);
      const base = {
        netuid: NETUID,
        hotkey: validator.address,
        uids: [1],
        values: [65535],
        salt: SALT,
        versionKey: 7,
        createdAt: NOW.toISOString(),
      };
      const hashOf = (c: string) => `0x${c.repeat(64)}`;
      await store.put({
        ...base,
        hash: hashOf("a"),
        commitBlock: 100,
        firstRevealBlock: 400,
        lastRevealBlock: 760,
      });
      // Persisted before its commit was confirmed (crash) and found on chain: its window comes from there.
      await store.put({
        ...base,
        hash: hashOf("b"),
        commitBlock: null,
        firstRevealBlock: null,
        lastRevealBlock: null,
      });
      // Persisted before its commit was confirmed, not on chain and long ago: the commit never landed.
      const unconfirmed = { commitBlock: null, firstRevealBlock: null, lastRevealBlock: null };
      const hourAgo = new Date(NOW.getTime() - 3_600_000).toISOString();
      await store.put({ ...base, ...unconfirmed, hash: hashOf("c"), createdAt: hourAgo });
      // The same but recent: its commit may still be in the pool, so it is kept.
      await store.put({ ...base, ...unconfirmed, hash: hashOf("d") });
      const { provider, chain, api } = await setup({ stateDir: dir });
      try {
        setStorage(provider, api, api.query.subtensorModule.weightCommits, [NETUID, validator.address], [
          [hashOf("b"), 9_990, HEAD - 5, HEAD + 355],
        ]);
        provider.onSubmit = () => ({
          events: systemEvents(api, 0, {
            pallet: "SubtensorModule",
            error: "InvalidRevealCommitHashNotMatch",
          }),
        });
        const outcomes = await chain.revealDue(validator);
        assertEquals(outcomes, [
          { hash: hashOf("a"), netuid: NETUID, outcome: "dropped", error: "ExpiredWeightCommit" },
          { hash: hashOf("c"), netuid: NETUID, outcome: "dropped", error: "NoWeightsCommitFound" },
          { hash: hashOf("b"), netuid: NETUID, outcome: "dropped", error: "InvalidRevealCommitHashNotMatch" },
          { hash: hashOf("d"), netuid: NETUID, outcome: "waiting" },
        ]);
        assertEquals(provider.attempts.length, 1); // only "b" was due and sent
        assertEquals(chain.pendingReveals().map((r) => r.hash), [hashOf("d")]);
      } finally {
        await chain.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test("subtensor adapter: a reveal the chain finds too early is tried again a few blocks later", async () => {
    const dir = await Deno.makeTempDir({ prefix: "subtensor_test_" });
    try {
      const store = await openRevealStore(dir);
      const hash = `0x${"e".repeat(64)}`;
      await store.put({
        netuid: NETUID,
        hotkey: validator.address,
        hash,
        uids: [1],
        values: [65535],
        salt: SALT,
        versionKey: 7,
        commitBlock: HEAD - 400,
        firstRevealBlock: HEAD - 40,
        lastRevealBlock: HEAD + 320,
        createdAt: NOW.toISOString(),
      });
      const { provider, chain, api, metrics } = await setup({ stateDir: dir });
      try {
        let calls = 0;
        provider.onSubmit = () =>
          ++calls === 1
            ? { events: systemEvents(api, 0, { pallet: "SubtensorModule", error: "RevealTooEarly" }) }
            : {};
        assertEquals(await chain.revealDue(validator, HEAD), [
          { hash, netuid: NETUID, outcome: "retry", error: "RevealTooEarly" },
        ]);
        assertEquals(await chain.revealDue(validator, HEAD + 1), [
          { hash, netuid: NETUID, outcome: "waiting", block: HEAD + 2 },
        ]);
        assertEquals(provider.attempts.length, 1);
        const done = await chain.revealDue(validator, HEAD + 2);
        assertEquals(done.map((o) => o.outcome), ["revealed"]);
        assertEquals(provider.attempts.length, 2);
        assertEquals(chain.pendingReveals(), []);
        const failures = metrics.counter("zipmine_subtensor_failures_total", "");
        assertEquals(failures.get({ call: "reveal_weights", error: "RevealTooEarly" }), 1);
      } finally {
        await chain.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test("subtensor adapter: committing without a state folder is an error, not a lost reveal", async () => {
    const { provider, chain } = await setup();
    try {
      hyper(provider, chain, { commitRevealWeightsEnabled: true });
      register(provider, chain, 0);
      await assertRejects(
        () => chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator),
        Error,
        "stateDir",
      );
      assertEquals(provider.attempts, []);
    } finally {
      await chain.close();
    }
  });

  Deno.test("subtensor adapter: serveAxon() builds serve_axon and skips an identical axon", async () => {
    const { provider, chain, api } = await setup();
    try {
      hyper(provider, chain, { servingRateLimit: 50 });
      const result = await chain.serveAxon({ netuid: NETUID, ip: "1.2.3.4", port: 8091, signer: miner });
      assertEquals(result, { ok: true, block: HEAD + 1, skipped: false });
      const d = decode(chain, provider.submitted[0]);
      assertEquals(d.callIndex, [7, 4]);
      assertEquals(d.signer, miner.address);
      assertEquals(d.name, "subtensorModule.serveAxon");
      assertEquals(d.args, {
        netuid: NETUID,
        version: 10_002_000,
        ip: 0x01020304,
        port: 8091,
        ip_type: 4,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
      });
      assert(await signatureValid(chain, provider.submitted[0], miner, HEAD));

      const stored = {
        block: HEAD + 1,
        version: 10_002_000,
        ip: 0x01020304,
        port: 8091,
        ipType: 4,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
      };
      setStorage(provider, api, api.query.subtensorModule.axons, [NETUID, miner.address], stored);
      assertEquals(await chain.serveAxon({ netuid: NETUID, ip: "1.2.3.4", port: 8091, signer: miner }), {
        ok: true,
        block: HEAD + 1,
        skipped: true,
      });
      // A new port within the serving rate limit is refused without sending.
      assertEquals(await chain.serveAxon({ netuid: NETUID, ip: "1.2.3.4", port: 9000, signer: miner }), {
        ok: false,
        error: "ServingRateLimitExceeded",
      });
      assertEquals(provider.attempts.length, 1);
      provider.block = HEAD + 60;
      const v6 = await chain.serveAxon({ netuid: NETUID, ip: "2001:db8::1", port: 9000, signer: miner });
      assertEquals(v6, { ok: true, block: HEAD + 61, skipped: false });
      const d6 = decode(chain, provider.submitted[1]);
      assertEquals([d6.args.ip_type, d6.args.port], [6, 9000]);
      assertMatch(
        String(d6.args.ip),
        /^(0x20010db8000000000000000000000001|42540766411282592856903984951653826561)$/,
      );
    } finally {
      await chain.close();
    }
  });
}
