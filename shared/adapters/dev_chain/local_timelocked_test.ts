// CRv4 on the local chain: what the chain holds is a ciphertext, and what it reveals is what the beacon's
// pulse decrypts and the set checks accept, so a cheater cannot replay, forge or pre-empt a commit.
import { assert, assertEquals } from "../../../tests/assert.ts";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { decodeTle, encodePayload, hexToBytes, tlockEncrypt } from "../../chain/tlock/mod.ts";
import { type LocalChain, openLocalChain } from "./local_chain.ts";

await cryptoReady();
const keyring = createKeyring();
const v1 = keyring.addFromUri("//local-tlock/validator-1");
const v2 = keyring.addFromUri("//local-tlock/validator-2");
const m1 = keyring.addFromUri("//local-tlock/miner-1");
const m2 = keyring.addFromUri("//local-tlock/miner-2");
const NETUID = 46;
const GENESIS_MS = Date.UTC(2025, 9, 1);
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

async function setup(commitRevealEnabled = true) {
  const dir = await Deno.makeTempDir({ prefix: "local_tlock_test_" });
  let nowMs = GENESIS_MS;
  const path = `${dir}/chain.kv`;
  const chain = await openLocalChain({ path, clock: { now: () => new Date(nowMs) }, genesisMs: GENESIS_MS });
  await chain.createSubnet(NETUID, { hyperparameters: { commitRevealEnabled } });
  for (const v of [v1, v2]) {
    await chain.registerNeuron(NETUID, {
      hotkey: v.address,
      coldkey: v.address,
      stake: 10,
      validatorPermit: true,
    });
  }
  for (const m of [m1, m2]) await chain.registerNeuron(NETUID, { hotkey: m.address, coldkey: m.address });
  return {
    chain,
    path,
    advance: (blocks: number) => (nowMs += blocks * 12_000),
    async dispose() {
      chain.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A commit made by hand, as a client of the chain's beacon would make it. */
function sealed(chain: LocalChain, round: bigint, hotkey: Uint8Array, uids: number[], values: number[]) {
  const key = hexToBytes(chain.beacon().publicKey);
  return tlockEncrypt(key, round, encodePayload({ hotkey, uids, values, versionKey: 0n }), random);
}

Deno.test("local CRv4: the chain holds a ciphertext, not the weights", async () => {
  const t = await setup();
  try {
    t.advance(10);
    assert((await t.chain.setWeights(NETUID, { uids: [2, 3], weights: [7, 9] }, v1)).ok);
    const kv = await Deno.openKv(t.path);
    try {
      const entry = await kv.get<{ commit: string; round: string }[]>([
        "local_chain",
        "timelocked",
        NETUID,
        0,
      ]);
      const [record] = entry.value!;
      assertEquals(Object.keys(record).sort(), [
        "block",
        "commit",
        "commitBlock",
        "hotkey",
        "lastBlock",
        "round",
      ]);
      const ct = decodeTle(hexToBytes(record.commit));
      // SCALE payload (hotkey, two uids, two values, version) and the GCM tag, nothing in the clear.
      assertEquals(ct.aes.ciphertext.length, 1 + 32 + 1 + 2 * 2 + 1 + 2 * 2 + 8 + 16);
      assert(BigInt(record.round) > BigInt(t.chain.beacon().lastRound));
    } finally {
      kv.close();
    }
  } finally {
    await t.dispose();
  }
});

Deno.test("local CRv4: the chain refuses what subtensor refuses at commit", async () => {
  const t = await setup();
  try {
    t.advance(10);
    const round = BigInt(t.chain.beacon().lastRound) + 400n;
    const commit = sealed(t.chain, round, v1.publicKey, [2], [1]);
    assertEquals(await t.chain.commitTimelockedWeights(NETUID, commit, round, 3, v1), {
      ok: false,
      error: "IncorrectCommitRevealVersion",
    });
    const past = BigInt(t.chain.beacon().lastRound) - 1n;
    assertEquals(await t.chain.commitTimelockedWeights(NETUID, commit, past, 4, v1), {
      ok: false,
      error: "InvalidRevealRound",
    });
    const stranger = keyring.addFromUri("//local-tlock/stranger");
    assertEquals(await t.chain.commitTimelockedWeights(NETUID, commit, round, 4, stranger), {
      ok: false,
      error: "HotKeyNotRegisteredInSubNet",
    });
    await t.chain.setHyperparameters(NETUID, { commitRevealEnabled: false });
    assertEquals(await t.chain.commitTimelockedWeights(NETUID, commit, round, 4, v1), {
      ok: false,
      error: "CommitRevealDisabled",
    });
  } finally {
    await t.dispose();
  }
});

Deno.test("local CRv4: a replayed, forged or invalid commit is dropped at reveal; an honest one lands", async () => {
  const t = await setup();
  try {
    t.advance(10);
    const round = 1268n; // out at block 317, inside the reveal epoch (blocks 314..674)
    // v1's honest commit; v2 replays a copy of v1's ciphertext (its payload names v1's hotkey).
    const honest = sealed(t.chain, round, v1.publicKey, [2, 3], [1, 1]);
    assert((await t.chain.commitTimelockedWeights(NETUID, honest, round, 4, v1)).ok);
    assert((await t.chain.commitTimelockedWeights(NETUID, honest, round, 4, v2)).ok);
    t.advance(400);
    assertEquals((await t.chain.weights(NETUID)).map((w) => w.uid), [0]);
    // Next epoch: garbage bytes, and weights on a uid that does not exist, are committed but never applied.
    const next = BigInt(t.chain.beacon().lastRound) + 200n;
    assert((await t.chain.commitTimelockedWeights(NETUID, new Uint8Array(300), next, 4, v2)).ok);
    t.advance(361);
    const bad = sealed(t.chain, BigInt(t.chain.beacon().lastRound) + 200n, v1.publicKey, [99], [1]);
    assert(
      (await t.chain.commitTimelockedWeights(NETUID, bad, BigInt(t.chain.beacon().lastRound) + 200n, 4, v1))
        .ok,
    );
    t.advance(800);
    const weights = await t.chain.weights(NETUID);
    assertEquals(weights.map((w) => [w.uid, w.uids]), [[0, [2, 3]]]);
  } finally {
    await t.dispose();
  }
});

Deno.test("local CRv4: a commit to a round that comes after its reveal epoch is never revealed", async () => {
  const t = await setup();
  try {
    t.advance(10);
    const late = BigInt(t.chain.beacon().lastRound) + 10_000n; // ~8 h ahead, the epoch lasts ~72 min
    assert(
      (await t.chain.commitTimelockedWeights(
        NETUID,
        sealed(t.chain, late, v1.publicKey, [2], [1]),
        late,
        4,
        v1,
      )).ok,
    );
    t.advance(3_000);
    assertEquals(await t.chain.weights(NETUID), []);
  } finally {
    await t.dispose();
  }
});
