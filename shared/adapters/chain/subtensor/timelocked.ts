/**
 * CRv4 on subtensor, as the Python SDK sends it (bittensor 10.2 `commit_timelocked_mechanism_weights`): the
 * weights are a SCALE `WeightsTlockPayload` timelock-encrypted to a drand round (`shared/chain/tlock/`), the
 * chain decrypts them with the pulse of that round at the start of the reveal epoch and applies them itself;
 * there is no reveal transaction.
 *
 * Read from the chain at the head block: `SubtensorModule.CommitRevealWeightsVersion` (sent back; the chain
 * refuses any other with `IncorrectCommitRevealVersion`), `Drand.BeaconConfig` (the key encrypted to) and
 * `Drand.LastStoredRound` (the round is never older: `InvalidRevealRound`). The reveal round follows
 * bittensor-drand's `generate_commit` at `blockSeconds` per block.
 *
 * After the reveal epoch has begun, `checkLanded` reads the `Weights` row of the validator and reports
 * whether the committed weights are on chain (log line and `zipmine_subtensor_timelocked_total`).
 * @module
 */
import { u8aToHex } from "@polkadot/util";
import { blake2AsHex } from "@polkadot/util-crypto";
import type { SetWeightsResult, WeightVector } from "../../../ports.ts";
import type { KeyringPair } from "../../../signature.ts";
import { maxUpscale } from "../../../chain/weight_rules.ts";
import { mechanismStorageIndex } from "../../../chain/commit_reveal_v2.ts";
import { encodePayload, revealRound, tlockEncrypt } from "../../../chain/tlock/mod.ts";
import type { BytesCodec, IntCodec } from "./codecs.ts";
import type { Counter } from "../../../metrics.ts";
import type { AdapterContext } from "./context.ts";
import type { Head } from "./reads.ts";
import type { Submitted } from "./submission.ts";
import type { RevealOutcome, SubtensorHyperparameters } from "./types.ts";

/** Commit-reveal versions whose payload and ciphertext this adapter produces. */
export const SUPPORTED_COMMIT_REVEAL_VERSIONS: readonly number[] = [4];
const DEFAULT_BLOCK_SECONDS = 12;

export type TimelockedCall = "commit_timelocked_mechanism_weights" | "commit_timelocked_weights";

/** The chain state a CRv4 commit depends on. */
export interface TimelockState {
  version: number;
  beacon: { publicKey: Uint8Array; genesisTime: number; period: number };
  lastStoredRound: bigint;
}

interface BeaconConfigCodec {
  publicKey: BytesCodec;
  period: IntCodec;
  genesisTime: IntCodec;
}

/** A commit whose landing is still to be checked. */
interface PendingCheck {
  hash: string;
  netuid: number;
  mecid: number;
  uid: number;
  hotkey: string;
  uids: number[];
  values: number[];
  revealRound: bigint;
  firstRevealBlock: number;
  /** After this block a missing row means the chain did not apply the commit. */
  lastRevealBlock: number;
}

export interface CommitTimelockedInput {
  netuid: number;
  mecid: number;
  uid: number;
  hotkey: string;
  weights: WeightVector;
  versionKey: number;
  params: SubtensorHyperparameters;
  signer: KeyringPair;
  head: Head;
  landed: () => Promise<Submitted | null>;
}

/** The commit's reveal round (drand) and the weights payload sealed to it. */
function sealWeights(
  ctx: AdapterContext,
  input: CommitTimelockedInput,
  state: TimelockState,
  options: { blockSeconds: number; random: (n: number) => Uint8Array },
) {
  const { netuid, weights, versionKey, params } = input;
  const plan = revealRound({
    tempo: params.tempo,
    currentBlock: input.head.number,
    netuid,
    revealPeriodEpochs: params.commitRevealPeriod,
    blockTimeSeconds: options.blockSeconds,
    nowSeconds: ctx.options.clock.now().getTime() / 1000,
    genesisTime: state.beacon.genesisTime,
    period: state.beacon.period,
    lastStoredRound: state.lastStoredRound,
  });
  const payload = encodePayload({
    hotkey: input.signer.publicKey,
    uids: [...weights.uids],
    values: [...weights.weights],
    versionKey: BigInt(versionKey),
  });
  return {
    plan,
    ciphertext: tlockEncrypt(state.beacon.publicKey, plan.revealRound, payload, options.random),
  };
}

/** The timelocked call the metadata offers (the mechanism one when present, as the SDK prefers), or null. */
export function timelockedCall(ctx: AdapterContext): TimelockedCall | null {
  const tx = ctx.api.tx.subtensorModule;
  if (tx?.commitTimelockedMechanismWeights) return "commit_timelocked_mechanism_weights";
  if (tx?.commitTimelockedWeights) return "commit_timelocked_weights";
  return null;
}

export async function readTimelockState(ctx: AdapterContext, blockHash: string): Promise<TimelockState> {
  const at = await ctx.api.at(blockHash);
  const [version, config, last] = await Promise.all([
    at.query.subtensorModule.commitRevealWeightsVersion() as unknown as Promise<IntCodec>,
    at.query.drand.beaconConfig() as unknown as Promise<BeaconConfigCodec>,
    at.query.drand.lastStoredRound() as unknown as Promise<IntCodec>,
  ]);
  return {
    version: version.toNumber(),
    beacon: {
      publicKey: config.publicKey.toU8a(true),
      genesisTime: config.genesisTime.toNumber(),
      period: config.period.toNumber(),
    },
    lastStoredRound: last.toBigInt(),
  };
}

export function createTimelocked(ctx: AdapterContext) {
  const pending: PendingCheck[] = [];
  const landedTotal = ctx.options.metrics.counter(
    "zipmine_subtensor_timelocked_total",
    "CRv4 commits after their reveal epoch began: landed (weights row matches) or missing",
  );
  const random = ctx.options.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const blockSeconds = ctx.options.blockSeconds ?? DEFAULT_BLOCK_SECONDS;

  async function commit(input: CommitTimelockedInput): Promise<SetWeightsResult> {
    const call = timelockedCall(ctx);
    if (!call) return ctx.refuse("commit_timelocked_weights", "TimelockedCallMissing");
    if (call === "commit_timelocked_weights" && input.mecid !== 0) {
      return ctx.refuse(call, "MechanismCallMissing");
    }
    const state = await readTimelockState(ctx, input.head.hash);
    if (!SUPPORTED_COMMIT_REVEAL_VERSIONS.includes(state.version)) {
      ctx.log.error("weights not sent: the chain's commit-reveal version is not one this adapter speaks", {
        netuid: input.netuid,
        version: state.version,
        supported: SUPPORTED_COMMIT_REVEAL_VERSIONS,
      });
      return ctx.refuse(call, "UnsupportedCommitRevealVersion");
    }
    if (state.beacon.publicKey.length !== 96) return ctx.refuse(call, "BeaconConfigInvalid");
    const { netuid, mecid, weights, params } = input;
    const { plan, ciphertext } = sealWeights(ctx, input, state, { blockSeconds, random });
    const tx = ctx.api.tx.subtensorModule;
    // As hex: a Uint8Array given for `Bytes` is read as already SCALE-encoded (length prefix first).
    const commitHex = u8aToHex(ciphertext);
    const build = call === "commit_timelocked_mechanism_weights"
      ? () => tx.commitTimelockedMechanismWeights(netuid, mecid, commitHex, plan.revealRound, state.version)
      : () => tx.commitTimelockedWeights(netuid, commitHex, plan.revealRound, state.version);
    const outcome = await ctx.submitter.submit(call, build, input.signer, input.landed);
    if (!outcome.ok) return ctx.refuse(call, outcome.error);
    const lastRevealBlock = plan.firstRevealBlock + params.tempo;
    pending.push({
      hash: blake2AsHex(ciphertext, 256),
      netuid,
      mecid,
      uid: input.uid,
      hotkey: input.hotkey,
      uids: [...weights.uids],
      values: maxUpscale(weights.weights),
      revealRound: plan.revealRound,
      firstRevealBlock: plan.firstRevealBlock,
      lastRevealBlock,
    });
    ctx.outcomes.inc({ outcome: "committed" });
    ctx.log.info("weights committed on subtensor (CRv4, timelocked)", {
      netuid,
      mecid,
      block: outcome.block,
      call,
      revealRound: plan.revealRound.toString(),
      revealFrom: plan.firstRevealBlock,
      commitRevealVersion: state.version,
      bytes: ciphertext.length,
    });
    return { ok: true, block: outcome.block, mode: "commit", via: call };
  }

  return {
    commit,
    checkLanded: (hotkey: string, nowBlock?: number) =>
      checkLanded(ctx, pending, landedTotal, hotkey, nowBlock),
    available: () => timelockedCall(ctx) !== null,
  };
}

/** Checks every commit of `hotkey` whose reveal epoch has begun by `nowBlock` (default: the head). */
async function checkLanded(
  ctx: AdapterContext,
  pending: PendingCheck[],
  landedTotal: Counter,
  hotkey: string,
  nowBlock?: number,
): Promise<RevealOutcome[]> {
  const mine = pending.filter((p) => p.hotkey === hotkey);
  if (mine.length === 0) return [];
  const head = await ctx.reads.head();
  const block = nowBlock ?? head.number;
  const out: RevealOutcome[] = [];
  for (const p of mine) {
    // The chain reveals in the first block of the epoch; one block later the row must be there.
    if (block <= p.firstRevealBlock) {
      out.push({ hash: p.hash, netuid: p.netuid, outcome: "waiting", block: p.firstRevealBlock });
      continue;
    }
    const landed = await rowMatches(ctx, p, head.hash);
    if (!landed && block <= p.lastRevealBlock) {
      out.push({ hash: p.hash, netuid: p.netuid, outcome: "waiting", block: p.firstRevealBlock });
      continue;
    }
    pending.splice(pending.indexOf(p), 1);
    landedTotal.inc({ outcome: landed ? "landed" : "missing" });
    const fields = { netuid: p.netuid, mecid: p.mecid, revealRound: p.revealRound.toString(), block };
    if (landed) {
      ctx.log.info("CRv4 weights landed: the chain revealed the timelocked commit", fields);
      out.push({ hash: p.hash, netuid: p.netuid, outcome: "revealed", block });
    } else {
      ctx.log.warn(
        "CRv4 weights missing after the reveal epoch: the chain did not apply the commit",
        fields,
      );
      out.push({
        hash: p.hash,
        netuid: p.netuid,
        outcome: "dropped",
        error: "TimelockedWeightsNotRevealed",
      });
    }
  }
  return out;
}

async function rowMatches(ctx: AdapterContext, p: PendingCheck, blockHash: string): Promise<boolean> {
  const at = await ctx.api.at(blockHash);
  const index = mechanismStorageIndex(p.netuid, p.mecid);
  const row = await at.query.subtensorModule.weights(index, p.uid) as unknown as [IntCodec, IntCodec][];
  const got = [...row].map(([u, w]) => [u.toNumber(), w.toNumber()]);
  const want = p.uids.map((u, i) => [u, p.values[i]]);
  return JSON.stringify(got) === JSON.stringify(want);
}

export type Timelocked = ReturnType<typeof createTimelocked>;
