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
import { type Attempt, keys, retry, transact } from "./kv.ts";
import { type LocalStore, revealedWeights } from "./store.ts";
import type {
  HashCommit,
  NeuronRecord,
  StoredWeights,
  SubnetRecord,
  TimelockedCommit,
  WeightsReveal,
} from "./types.ts";
import {
  admitCommit,
  encryptWeights,
  LOCAL_COMMIT_REVEAL_VERSION,
  sameEpoch,
  TIMELOCKED_CALL,
} from "./timelocked.ts";

/** The weight calls over `kv`; `versionKey` is what this client sends with `setWeights`. */
export function createWeightCalls(kv: Deno.Kv, store: LocalStore, versionKey: number) {
  const chain: WeightChain = { kv, store };
  return {
    setWeights: setWeights.bind(null, chain, versionKey),
    commitWeights: commitWeights.bind(null, chain),
    revealWeights: revealWeights.bind(null, chain),
    commitTimelockedWeights: commitTimelocked.bind(null, chain),
  };
}

/** What a weight call runs against. */
interface WeightChain {
  kv: Deno.Kv;
  store: LocalStore;
}

/** The signer's state inside a call's transaction, its subnet known to exist. */
interface Caller {
  hotkey: string;
  block: number;
  subnet: Deno.KvEntry<SubnetRecord>;
  count: Deno.KvEntryMaybe<number>;
  uid: Deno.KvEntryMaybe<number>;
  neuron: Deno.KvEntry<NeuronRecord> | null;
}

// A signed extrinsic as the chain runs it: the proof first, then the call's checks and write in one
// transaction over the signer's state; a subnet that does not exist is refused before anything else.
async function signedCall(
  chain: WeightChain,
  signer: KeyringPair,
  netuid: number,
  call: { name: string; args: unknown },
  attempt: (caller: Caller) => Attempt<SetWeightsResult> | Promise<Attempt<SetWeightsResult>>,
): Promise<SetWeightsResult> {
  const hotkey = signerHotkey(signer);
  if (!signedBy(signer, hotkey, call.name, call.args)) return badProof();
  return await transact<SetWeightsResult>(async () => {
    const block = chain.store.currentBlock();
    const { subnet, count, uid, neuron } = await chain.store.readCaller(netuid, hotkey);
    if (subnet.value === null) return refused("SubNetworkDoesNotExist");
    return await attempt({ hotkey, block, subnet: subnet as Deno.KvEntry<SubnetRecord>, count, uid, neuron });
  });
}

/** `setWeights`: direct with commit-reveal off; with it on, the SDK's CRv4 path (encrypt, then commit). */
async function setWeights(
  chain: WeightChain,
  versionKey: number,
  netuid: number,
  weights: WeightVector,
  signer: KeyringPair,
): Promise<SetWeightsResult> {
  const { kv, store } = chain;
  assertU16Vector("uids", weights.uids);
  assertU16Vector("weights", weights.weights);
  const subnetNow = await store.getSubnet(netuid);
  if (subnetNow.value?.params.commitRevealEnabled) {
    // The SDK's path with commit-reveal on: encrypt to the reveal round, commit; the chain reveals.
    const { commit, round } = encryptWeights({
      beacon: store.beacon,
      meta: store.meta,
      params: subnetNow.value.params,
      netuid,
      block: store.currentBlock(),
      nowMs: store.clock.now().getTime(),
      hotkeyPublicKey: signer.publicKey,
      weights,
      versionKey,
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    });
    return await commitTimelocked(chain, netuid, commit, round, LOCAL_COMMIT_REVEAL_VERSION, signer);
  }
  const call = { name: "set_weights", args: { netuid, ...weights, versionKey } };
  return await signedCall(chain, signer, netuid, call, (caller) => {
    // Commit-reveal switched on since the first read: the chain refuses set_weights then.
    if (caller.subnet.value.params.commitRevealEnabled) return refused("CommitRevealEnabled");
    const vector = { uids: weights.uids, values: weights.weights, versionKey };
    const check = checkedWeights(caller, vector, "SettingWeightsTooFast", "set_weights");
    if (!check.ok) return refused(check.error);
    const { subnet, count, uid, block } = caller;
    const n = caller.neuron!;
    const atomic = kv.atomic().check(subnet, count, uid, n).set(n.key, { ...n.value, lastUpdate: block })
      .set(keys.weights(netuid, n.value.uid), check.record);
    return { atomic, result: setOk(block, "set") };
  });
}

/** CRv4 `commit_timelocked_weights`: the chain side (local/timelocked.ts has the rules and the reveal). */
async function commitTimelocked(
  chain: WeightChain,
  netuid: number,
  commit: Uint8Array,
  round: bigint,
  version: number,
  signer: KeyringPair,
): Promise<SetWeightsResult> {
  const { kv, store } = chain;
  const args = { netuid, commit: Array.from(commit).join(","), round: String(round), version };
  return await signedCall(chain, signer, netuid, { name: TIMELOCKED_CALL, args }, async (caller) => {
    const { hotkey, block, subnet, count, uid } = caller;
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
    const committer = registeredCommitter(caller);
    if (!committer.ok) return refused(committer.error);
    const { neuron } = committer;
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

/** CRv2 `commit_weights`. */
async function commitWeights(
  chain: WeightChain,
  netuid: number,
  commitHash: string,
  signer: KeyringPair,
): Promise<SetWeightsResult> {
  const { kv } = chain;
  if (!/^0x[0-9a-f]{64}$/i.test(commitHash)) {
    throw new TypeError(`Cannot encode commit hash: "${commitHash}" is not an H256`);
  }
  const hash = commitHash.toLowerCase();
  const call = { name: "commit_weights", args: { netuid, hash } };
  return await signedCall(chain, signer, netuid, call, async (caller) => {
    const { hotkey, block, subnet, uid } = caller;
    const params = subnet.value.params;
    if (!params.commitRevealEnabled) return refused("CommitRevealDisabled");
    const committer = registeredCommitter(caller);
    if (!committer.ok) return refused(committer.error);
    const { neuron } = committer;
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

/** CRv2 `reveal_weights`, accepted only in the commit's reveal epoch. */
async function revealWeights(
  chain: WeightChain,
  netuid: number,
  reveal: WeightsReveal,
  signer: KeyringPair,
): Promise<SetWeightsResult> {
  const { kv } = chain;
  const hash = weightsCommitHash({ hotkey: signerHotkey(signer), netuid, ...reveal });
  const call = { name: "reveal_weights", args: { netuid, ...reveal } };
  return await signedCall(chain, signer, netuid, call, async (caller) => {
    const { hotkey, block, subnet, count, uid } = caller;
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
    // With commit-reveal on, do_set_weights skips the rate limit.
    const check = checkedWeights(caller, reveal, null, "reveal_weights");
    if (!check.ok) return refused(check.error);
    // The chain drops every commit up to and including the revealed one; last_update stays (CR is on).
    const atomic = kv.atomic().check(subnet, count, uid, caller.neuron!, commits)
      .set(keys.hashCommits(netuid, hotkey), live.slice(position + 1))
      .set(keys.weights(netuid, caller.neuron!.value.uid), check.record);
    return { atomic, result: setOk(block, "set") };
  });
}

// do_set_weights' checks on a vector the caller sets (directly or by a reveal), and the record stored.
function checkedWeights(
  caller: Caller,
  vector: { uids: readonly number[]; values: readonly number[]; versionKey: number },
  rateLimit: "SettingWeightsTooFast" | null,
  via: string,
): { ok: true; record: StoredWeights } | { ok: false; error: WeightsError } {
  const { hotkey, block, subnet, count, neuron } = caller;
  const check = checkWeights({
    params: subnet.value.params,
    subnetN: count.value ?? 0,
    neuron: neuron?.value ?? null,
    isOwner: hotkey === subnet.value.ownerHotkey,
    block,
    uids: vector.uids,
    values: vector.values,
    versionKey: vector.versionKey,
    rateLimit,
  });
  if (!check.ok) return check;
  const { uids, versionKey } = vector;
  return { ok: true, record: { hotkey, block, uids: [...uids], values: check.values, versionKey, via } };
}

// A commit needs a registered signer past the weights rate limit; its neuron when it is.
function registeredCommitter(
  { neuron, block, subnet }: Caller,
): { ok: true; neuron: Deno.KvEntry<NeuronRecord> } | { ok: false; error: WeightsError } {
  if (neuron === null) return { ok: false, error: "HotKeyNotRegisteredInSubNet" };
  if (!rateLimitPassed(neuron.value.lastUpdate, block, subnet.value.params.weightsRateLimit)) {
    return { ok: false, error: "CommittingWeightsTooFast" };
  }
  return { ok: true, neuron };
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
