/**
 * The local chain's weight calls: `setWeights` (direct, or the CRv4-style timelocked commit with
 * commit-reveal on) and CRv2 `commitWeights`/`revealWeights`, with subtensor's checks and error names.
 * @module
 */
import { encodeAddress } from "@polkadot/util-crypto";
import type { SetWeightsResult, WeightVector } from "../../../ports.ts";
import { type KeyringPair, signMessage, SS58_PREFIX, verifyHotkeySignature } from "../../../signature.ts";
import {
  assertU16Vector,
  checkWeights,
  MAX_UNREVEALED_COMMITS,
  rateLimitPassed,
  revealState,
  weightsCommitHash,
  type WeightsError,
} from "../../../chain/weight_rules.ts";
import { keys, retry, transact } from "./kv.ts";
import { type LocalStore, revealedWeights } from "./store.ts";
import type { HashCommit, StoredWeights, TimelockedCommit, WeightsReveal } from "./types.ts";
import {
  admitCommit,
  encryptWeights,
  LOCAL_COMMIT_REVEAL_VERSION,
  sameEpoch,
  TIMELOCKED_CALL,
} from "./timelocked.ts";

/** The weight calls over `kv`; `versionKey` is what this client sends with `setWeights`. */
export function createWeightCalls(kv: Deno.Kv, store: LocalStore, versionKey: number) {
  const commitTimelockedWeights = createCommitTimelocked(kv, store);
  return {
    setWeights: createSetWeights(kv, store, versionKey, commitTimelockedWeights),
    commitWeights: createCommitWeights(kv, store),
    revealWeights: createRevealWeights(kv, store),
    commitTimelockedWeights,
  };
}

type CommitTimelocked = ReturnType<typeof createCommitTimelocked>;

/** `setWeights`: direct with commit-reveal off; with it on, the SDK's CRv4 path (encrypt, then commit). */
function createSetWeights(
  kv: Deno.Kv,
  store: LocalStore,
  versionKey: number,
  commitTimelocked: CommitTimelocked,
) {
  const { currentBlock, readCaller } = store;

  async function setWeights(
    netuid: number,
    weights: WeightVector,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    assertU16Vector("uids", weights.uids);
    assertU16Vector("weights", weights.weights);
    const hotkey = signerHotkey(signer);
    const subnetNow = await store.getSubnet(netuid);
    if (subnetNow.value?.params.commitRevealEnabled) {
      // The SDK's path with commit-reveal on: encrypt to the reveal round, commit; the chain reveals.
      const { commit, round } = encryptWeights({
        beacon: store.beacon,
        meta: store.meta,
        params: subnetNow.value.params,
        netuid,
        block: currentBlock(),
        nowMs: store.clock.now().getTime(),
        hotkeyPublicKey: signer.publicKey,
        weights,
        versionKey,
        random: (n) => crypto.getRandomValues(new Uint8Array(n)),
      });
      return await commitTimelocked(netuid, commit, round, LOCAL_COMMIT_REVEAL_VERSION, signer);
    }
    if (!signedBy(signer, hotkey, "set_weights", { netuid, ...weights, versionKey })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, count, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      // Commit-reveal switched on since the first read: the chain refuses set_weights then.
      if (params.commitRevealEnabled) return refused("CommitRevealEnabled");
      const check = checkWeights({
        params,
        subnetN: count.value ?? 0,
        neuron: neuron?.value ?? null,
        isOwner: hotkey === subnet.value.ownerHotkey,
        block,
        uids: weights.uids,
        values: weights.weights,
        versionKey,
        rateLimit: "SettingWeightsTooFast",
      });
      if (!check.ok) return refused(check.error);
      const n = neuron!;
      const record: StoredWeights = {
        hotkey,
        block,
        uids: [...weights.uids],
        values: check.values,
        versionKey,
        via: "set_weights",
      };
      const atomic = kv.atomic().check(subnet, count, uid, n).set(n.key, { ...n.value, lastUpdate: block })
        .set(keys.weights(netuid, n.value.uid), record);
      return { atomic, result: setOk(block, "set") };
    });
  }

  return setWeights;
}

/** CRv4 `commit_timelocked_weights`: the chain side (local/timelocked.ts has the rules and the reveal). */
function createCommitTimelocked(kv: Deno.Kv, store: LocalStore) {
  const { currentBlock, readCaller } = store;

  async function commitTimelockedWeights(
    netuid: number,
    commit: Uint8Array,
    round: bigint,
    version: number,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    const hotkey = signerHotkey(signer);
    const args = { netuid, commit: Array.from(commit).join(","), round: String(round), version };
    if (!signedBy(signer, hotkey, TIMELOCKED_CALL, args)) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, count, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      const admitted = admitCommit({
        beacon: store.beacon,
        params,
        netuid,
        block,
        hotkey,
        commit,
        round,
        version,
      });
      if (!admitted.ok) return refused(admitted.error);
      if (neuron === null) return refused("HotKeyNotRegisteredInSubNet");
      if (!rateLimitPassed(neuron.value.lastUpdate, block, params.weightsRateLimit)) {
        return refused("CommittingWeightsTooFast");
      }
      // Fold commits the chain has revealed by now into the stored weights, then queue this one.
      const [stored, pending] = await retry(() =>
        kv.getMany<[StoredWeights, TimelockedCommit[]]>([
          keys.weights(netuid, neuron.value.uid),
          keys.timelocked(netuid, neuron.value.uid),
        ])
      );
      const state = {
        params,
        subnetN: count.value ?? 0,
        neuron: neuron.value,
        ownerHotkey: subnet.value.ownerHotkey,
      };
      const folded = revealedWeights(stored.value, pending.value ?? [], block, store.revealer, state);
      if (sameEpoch(folded.pending, netuid, block, params.tempo).length >= MAX_UNREVEALED_COMMITS) {
        return refused("TooManyUnrevealedCommits");
      }
      const atomic = kv.atomic().check(subnet, count, uid, neuron, stored, pending)
        .set(keys.timelocked(netuid, neuron.value.uid), [...folded.pending, admitted.record])
        .set(neuron.key, { ...neuron.value, lastUpdate: block });
      if (folded.weights) atomic.set(keys.weights(netuid, neuron.value.uid), folded.weights);
      return { atomic, result: { ok: true, block, mode: "commit", via: TIMELOCKED_CALL } };
    });
  }

  return commitTimelockedWeights;
}

/** CRv2 `commit_weights`. */
function createCommitWeights(kv: Deno.Kv, store: LocalStore) {
  const { currentBlock, readCaller } = store;

  async function commitWeights(
    netuid: number,
    commitHash: string,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    if (!/^0x[0-9a-f]{64}$/i.test(commitHash)) {
      throw new TypeError(`Cannot encode commit hash: "${commitHash}" is not an H256`);
    }
    const hash = commitHash.toLowerCase();
    const hotkey = signerHotkey(signer);
    if (!signedBy(signer, hotkey, "commit_weights", { netuid, hash })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      if (!params.commitRevealEnabled) return refused("CommitRevealDisabled");
      if (neuron === null) return refused("HotKeyNotRegisteredInSubNet");
      if (!rateLimitPassed(neuron.value.lastUpdate, block, params.weightsRateLimit)) {
        return refused("CommittingWeightsTooFast");
      }
      const commits = await retry(() => kv.get<HashCommit[]>(keys.hashCommits(netuid, hotkey)));
      const live = (commits.value ?? []).filter((c) =>
        revealState(netuid, c.commitBlock, block, params) !== "expired"
      );
      if (live.length >= MAX_UNREVEALED_COMMITS) return refused("TooManyUnrevealedCommits");
      const atomic = kv.atomic().check(subnet, uid, neuron, commits)
        .set(keys.hashCommits(netuid, hotkey), [...live, { hash, commitBlock: block }])
        .set(neuron.key, { ...neuron.value, lastUpdate: block });
      return { atomic, result: setOk(block, "commit") };
    });
  }

  return commitWeights;
}

/** CRv2 `reveal_weights`, accepted only in the commit's reveal epoch. */
function createRevealWeights(kv: Deno.Kv, store: LocalStore) {
  const { currentBlock, readCaller } = store;

  async function revealWeights(
    netuid: number,
    reveal: WeightsReveal,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    const hotkey = signerHotkey(signer);
    const hash = weightsCommitHash({ hotkey, netuid, ...reveal });
    if (!signedBy(signer, hotkey, "reveal_weights", { netuid, ...reveal })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, count, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      if (!params.commitRevealEnabled) return refused("CommitRevealDisabled");
      const commits = await retry(() => kv.get<HashCommit[]>(keys.hashCommits(netuid, hotkey)));
      if (!commits.value?.length) return refused("NoWeightsCommitFound");
      const expired = commits.value.filter((c) =>
        revealState(netuid, c.commitBlock, block, params) === "expired"
      );
      const live = commits.value.filter((c) => !expired.includes(c));
      const position = live.findIndex((c) => c.hash === hash);
      if (position < 0) {
        if (expired.some((c) => c.hash === hash)) return refused("ExpiredWeightCommit");
        return refused(live.length === 0 ? "NoWeightsCommitFound" : "InvalidRevealCommitHashNotMatch");
      }
      if (revealState(netuid, live[position].commitBlock, block, params) !== "open") {
        return refused("RevealTooEarly");
      }
      const check = checkWeights({
        params,
        subnetN: count.value ?? 0,
        neuron: neuron?.value ?? null,
        isOwner: hotkey === subnet.value.ownerHotkey,
        block,
        uids: reveal.uids,
        values: reveal.values,
        versionKey: reveal.versionKey,
        rateLimit: null, // with commit-reveal on, do_set_weights skips the rate limit
      });
      if (!check.ok) return refused(check.error);
      const record: StoredWeights = {
        hotkey,
        block,
        uids: [...reveal.uids],
        values: check.values,
        versionKey: reveal.versionKey,
        via: "reveal_weights",
      };
      // The chain drops every commit up to and including the revealed one; last_update stays (CR is on).
      const atomic = kv.atomic().check(subnet, count, uid, neuron!, commits)
        .set(keys.hashCommits(netuid, hotkey), live.slice(position + 1))
        .set(keys.weights(netuid, neuron!.value.uid), record);
      return { atomic, result: setOk(block, "set") };
    });
  }

  return revealWeights;
}

function signerHotkey(signer: KeyringPair): string {
  return encodeAddress(signer.publicKey, SS58_PREFIX);
}

// The extrinsic's signature check: the pair must hold the hotkey's sr25519 secret.
function signedBy(signer: KeyringPair, hotkey: string, call: string, args: unknown): boolean {
  const message = `local_chain:${call}:${JSON.stringify(args)}`;
  try {
    return verifyHotkeySignature({ message, signature: signMessage(signer, message), hotkey });
  } catch (error) {
    if (error instanceof Error) return false; // a locked or non-sr25519 pair cannot sign
    throw error;
  }
}

function refused(error: WeightsError): { done: SetWeightsResult } {
  return { done: { ok: false, error } };
}

function badProof(): SetWeightsResult {
  return { ok: false, error: "BadProof" satisfies WeightsError };
}

function setOk(block: number, mode: "set" | "commit"): SetWeightsResult {
  return { ok: true, block, mode };
}
