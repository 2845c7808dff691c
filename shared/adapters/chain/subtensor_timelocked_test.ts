// Offline tests of the subtensor adapter's CRv4 path on the real spec-393 metadata (in-memory provider, as
// subtensor_chain_test.ts): the extrinsic the SDK sends, its ciphertext opened with a test beacon's pulse,
// the version and beacon read from chain storage, and the check that the weights landed.
import { assert, assertEquals } from "../../../tests/assert.ts";
import { createLogger } from "../../log.ts";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { MemorySubtensorProvider, setStorage } from "../../testing/subtensor_memory_provider.ts";
import {
  decodeExtrinsic,
  openMemoryChain,
  registerHotkey,
  setHyperparameters,
} from "../../testing/subtensor_test_chain.ts";
import { readSpec393Metadata } from "../../../tests/fixtures/chain/spec393.ts";
import {
  beaconPublicKey,
  bytesToHex,
  decodePayload,
  hexToBytes,
  QUICKNET,
  revealRound,
  signRound,
  tlockDecrypt,
} from "../../chain/tlock/mod.ts";
import { readTimelockState } from "./subtensor/timelocked.ts";
import { createContext } from "./subtensor/context.ts";

const metadata = await readSpec393Metadata();
await cryptoReady();
const validator = createKeyring().addFromUri("//zipmine/subtensor-test/validator");
const NETUID = 46;
const HEAD = 10_000;
const UID = 2;
const TEMPO = 360;
const NOW = new Date("2026-03-01T00:00:00Z");
const BEACON_SECRET = new Uint8Array(32).fill(5);
const BEACON = { publicKey: beaconPublicKey(BEACON_SECRET), genesisTime: 1_700_000_000, period: 3 };

async function setup(options: { lastStoredRound?: bigint; version?: number; beacon?: boolean } = {}) {
  const opened = await openMemoryChain(new MemorySubtensorProvider({ metadata, block: HEAD }), NOW);
  const { provider, api } = opened;
  setHyperparameters(provider, api, { tempo: TEMPO, commitRevealWeightsEnabled: true });
  registerHotkey(provider, api, { netuid: NETUID, hotkey: validator.address, uid: UID, lastUpdate: 0 });
  setStorage(provider, api, api.query.subtensorModule.commitRevealWeightsVersion, [], options.version ?? 4);
  if (options.beacon !== false) {
    setStorage(provider, api, api.query.drand.beaconConfig, [], {
      publicKey: `0x${bytesToHex(BEACON.publicKey)}`,
      period: BEACON.period,
      genesisTime: BEACON.genesisTime,
      hash: `0x${"00".repeat(32)}`,
      groupHash: `0x${"00".repeat(32)}`,
      schemeId: "bls-unchained-g1-rfc9380",
      metadata: { beaconId: "zipmine-test" },
    });
  }
  setStorage(provider, api, api.query.drand.lastStoredRound, [], options.lastStoredRound ?? 1n);
  return opened;
}

const expectedRound = (currentBlock = HEAD) =>
  revealRound({
    tempo: TEMPO,
    currentBlock,
    netuid: NETUID,
    revealPeriodEpochs: 1,
    blockTimeSeconds: 12,
    nowSeconds: NOW.getTime() / 1000,
    genesisTime: BEACON.genesisTime,
    period: BEACON.period,
  });

Deno.test("CRv4: commit-reveal on sends commit_timelocked_mechanism_weights that the beacon's pulse opens", async () => {
  const { provider, chain, metrics } = await setup();
  try {
    const weights = { uids: [0, 5, 7], weights: [65535, 32768, 100] };
    const result = await chain.setWeights(NETUID, weights, validator);
    assertEquals(result, {
      ok: true,
      block: HEAD + 1,
      mode: "commit",
      via: "commit_timelocked_mechanism_weights",
    });
    assertEquals(provider.submitted.length, 1);
    const d = decodeExtrinsic(chain, provider.submitted[0]);
    assertEquals(d.name, "subtensorModule.commitTimelockedMechanismWeights");
    assertEquals(d.signer, validator.address);
    const plan = expectedRound();
    assertEquals(d.args.netuid, NETUID);
    assertEquals(d.args.mecid, 0);
    assertEquals(BigInt(d.args.reveal_round as number), plan.revealRound);
    assertEquals(d.args.commit_reveal_version, 4);
    // What the chain does at the reveal epoch: decrypt with Pulses(reveal_round), decode, check the hotkey.
    const plain = tlockDecrypt(
      hexToBytes(d.args.commit as string),
      signRound(BEACON_SECRET, plan.revealRound).signature,
    );
    const payload = decodePayload(plain);
    assertEquals(payload.hotkey, validator.publicKey);
    assertEquals(payload.uids, weights.uids);
    assertEquals(payload.values, weights.weights);
    assertEquals(payload.versionKey, 7n);
    assertEquals(metrics.counter("zipmine_subtensor_weights_total", "").get({ outcome: "committed" }), 1);
  } finally {
    await chain.close();
  }
});

Deno.test("CRv4: the reveal round is never below Drand.LastStoredRound", async () => {
  const far = expectedRound().revealRound + 1_000n;
  const { provider, chain } = await setup({ lastStoredRound: far });
  try {
    assert((await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator)).ok);
    assertEquals(BigInt(decodeExtrinsic(chain, provider.submitted[0]).args.reveal_round as number), far);
  } finally {
    await chain.close();
  }
});

Deno.test("CRv4: a commit-reveal version this adapter does not speak is refused loudly, nothing sent", async () => {
  const { provider, chain, metrics, lines } = await setup({ version: 5 });
  try {
    const result = await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator);
    assertEquals(result, { ok: false, error: "UnsupportedCommitRevealVersion" });
    assertEquals(provider.submitted.length, 0);
    assert(lines.some((l) => l.includes("commit-reveal version") && l.includes('"version":5')));
    const failures = metrics.counter("zipmine_subtensor_failures_total", "");
    assertEquals(
      failures.get({ call: "commit_timelocked_mechanism_weights", error: "UnsupportedCommitRevealVersion" }),
      1,
    );
  } finally {
    await chain.close();
  }
});

Deno.test("CRv4: without a stored BeaconConfig the runtime's default is drand quicknet", async () => {
  const { chain, metrics } = await setup({ beacon: false });
  try {
    const ctx = createContext(chain.api, "memory", null, {
      endpoint: "finney",
      clock: { now: () => NOW },
      log: createLogger({ sink: () => {}, clock: { now: () => NOW } }),
      metrics,
      attempts: 1,
    });
    const state = await readTimelockState(ctx, (await chain.api.rpc.chain.getBlockHash()).toHex());
    assertEquals(state.beacon.publicKey, QUICKNET.publicKey);
    assertEquals(state.beacon.genesisTime, QUICKNET.genesisTime);
    assertEquals(state.beacon.period, QUICKNET.period);
    assertEquals(state.version, 4);
  } finally {
    await chain.close();
  }
});

Deno.test("CRv4: revealDue reports weights that landed (Weights row) and commits the chain never applied", async () => {
  const { provider, chain, api, metrics, lines } = await setup();
  try {
    const weights = { uids: [0, 5], weights: [30000, 15000] };
    assert((await chain.setWeights(NETUID, weights, validator)).ok);
    const plan = expectedRound();
    assertEquals((await chain.revealDue(validator))[0].outcome, "waiting");
    // The chain revealed at the first block of the reveal epoch and stored the max-upscaled row.
    provider.block = plan.firstRevealBlock + 1;
    setStorage(provider, api, api.query.subtensorModule.weights, [NETUID, UID], [[0, 65535], [5, 32768]]);
    const [landed] = await chain.revealDue(validator);
    assertEquals(landed.outcome, "revealed");
    const counter = metrics.counter("zipmine_subtensor_timelocked_total", "");
    assertEquals(counter.get({ outcome: "landed" }), 1);
    assertEquals(await chain.revealDue(validator), []); // checked once

    // A second commit whose row never appears: waiting through the reveal epoch, then reported missing.
    setStorage(provider, api, api.query.subtensorModule.lastUpdate, [NETUID], [0, 0, 0, 0]);
    assert((await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator)).ok);
    const second = expectedRound(provider.block);
    provider.block = second.firstRevealBlock + 1;
    assertEquals((await chain.revealDue(validator))[0].outcome, "waiting"); // the row holds the old weights
    provider.block = second.firstRevealBlock + TEMPO + 1;
    const [missing] = await chain.revealDue(validator);
    assertEquals(missing.outcome, "dropped");
    assertEquals(missing.error, "TimelockedWeightsNotRevealed");
    assertEquals(counter.get({ outcome: "missing" }), 1);
    assert(lines.some((l) => l.includes("CRv4 weights missing")));
  } finally {
    await chain.close();
  }
});

Deno.test("CRv4: every mechanism of the subnet gets its own timelocked commit", async () => {
  const { provider, chain, api } = await setup();
  try {
    setStorage(provider, api, api.query.subtensorModule.mechanismCountCurrent, [NETUID], 2);
    setStorage(provider, api, api.query.subtensorModule.lastUpdate, [NETUID + 4096], [0, 0, 0, 0]);
    const result = await chain.setWeights(NETUID, { uids: [1], weights: [65535] }, validator);
    assert(result.ok);
    const sent = provider.submitted.map((hex) => decodeExtrinsic(chain, hex));
    assertEquals(sent.map((d) => [d.name, d.args.mecid]), [
      ["subtensorModule.commitTimelockedMechanismWeights", 0],
      ["subtensorModule.commitTimelockedMechanismWeights", 1],
    ]);
  } finally {
    await chain.close();
  }
});
