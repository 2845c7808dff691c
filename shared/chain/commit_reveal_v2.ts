/**
 * CRv2 (hash commit, then reveal) as subtensor runtimes define it, and subnet mechanisms: which
 * `WeightCommits` layout a runtime uses, when a commit may be revealed, which transaction-pool rejections
 * of a reveal are worth trying again, and mechanism storage indices. Pure rules; every fact names its
 * source (opentensor/subtensor, tag, file, line).
 * @module
 */

/**
 * `storage_index = netuid + mecid * GLOBAL_MAX_SUBNET_COUNT` (subtensor v3.3.13-393
 * pallets/subtensor/src/subnets/mechanism.rs:28 and :35; the SDK's `get_mechid_storage_index`,
 * bittensor v10.2.0 bittensor/utils/__init__.py:73). Mechanism 0's index is the netuid itself.
 */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;
/** `MAX_MECHANISM_COUNT_PER_SUBNET` (v3.3.13-393 pallets/subtensor/src/subnets/mechanism.rs:32). */
export const MAX_MECHANISM_COUNT_PER_SUBNET = 16;

/** The `NetUidStorageIndex` of mechanism `mecid` of `netuid` (keys WeightCommits, LastUpdate, the hash). */
export function mechanismStorageIndex(netuid: number, mecid: number): number {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid >= GLOBAL_MAX_SUBNET_COUNT) {
    throw new RangeError(`Invalid netuid "${netuid}": expected 0..${GLOBAL_MAX_SUBNET_COUNT - 1}`);
  }
  if (!Number.isInteger(mecid) || mecid < 0 || mecid >= MAX_MECHANISM_COUNT_PER_SUBNET) {
    throw new RangeError(`Invalid mechanism "${mecid}": expected 0..${MAX_MECHANISM_COUNT_PER_SUBNET - 1}`);
  }
  return mecid * GLOBAL_MAX_SUBNET_COUNT + netuid;
}

/**
 * The meaning of a `WeightCommits` entry `(H256, u64, u64, u64)`:
 * - `reveal-blocks`: `(hash, commit_block, first_reveal_block, last_reveal_block)`; a reveal is accepted
 *   while the legacy epoch of the current block is `epoch(commit_block) + reveal_period` (v3.3.13-393
 *   pallets/subtensor/src/lib.rs:2171, subnets/weights.rs:1244 `is_reveal_block_range`, :1272
 *   `get_reveal_blocks`). First released so in tag v1.1.7 (spec 205, commit 25a26e88e; v1.1.6 is
 *   spec 203 and predates it).
 * - `commit-epoch`: `(hash, commit_epoch, commit_block, 0)`; `commit_epoch` is the stateful
 *   `SubnetEpochIndex` counter and a reveal is accepted while that counter (plus one on a block where the
 *   epoch fires) is `commit_epoch + reveal_period` (v3.4.8-423 pallets/subtensor/src/lib.rs:1846 and
 *   :2458, subnets/weights.rs:103-124 `internal_commit_weights`, :1255 `is_reveal_block_range`, :1275
 *   `current_epoch_with_lookahead`; the entries were rewritten by
 *   migrations/migrate_dynamic_tempo.rs:123-146). Same in v3.4.9-424 and main (spec 425, 14bc6f9f9).
 */
export type WeightCommitsLayout = "reveal-blocks" | "commit-epoch";

/** The first released spec whose WeightCommits hold reveal blocks (tag v1.1.7, runtime/src/lib.rs). */
export const FIRST_REVEAL_BLOCKS_SPEC = 205;
/** The spec that switched to `(hash, commit_epoch, commit_block, _)` (v3.4.8-423 runtime/src/lib.rs:237). */
export const FIRST_COMMIT_EPOCH_SPEC = 423;
/** The newest spec read (opentensor/subtensor main 14bc6f9f9, runtime/src/lib.rs spec_version 425). */
export const NEWEST_READ_SPEC = 425;
/** The value type both layouts share, as @polkadot/types prints it. */
export const WEIGHT_COMMITS_TYPE = "Vec<(H256,u64,u64,u64)>";

/** What the runtime's metadata says about `SubtensorModule.WeightCommits`. */
export interface WeightCommitsMeta {
  specVersion: number;
  /** The entry's value type (`WEIGHT_COMMITS_TYPE`), or null when the entry is missing. */
  valueType: string | null;
  /** The entry's doc lines joined (may be empty when the node strips docs). */
  docs: string;
}

/** The layout of a runtime, or why the adapter does not know it (then it must not commit). */
export type LayoutVerdict = { ok: true; layout: WeightCommitsLayout } | { ok: false; reason: string };

/**
 * The layout by spec version: the ranges read in the sources are trusted as they are; a newer runtime is
 * accepted only while its own docs still name the commit-epoch tuple. Anything else is unknown.
 */
export function weightCommitsLayout(meta: WeightCommitsMeta): LayoutVerdict {
  const spec = meta.specVersion;
  if (meta.valueType === null) {
    return { ok: false, reason: `spec ${spec} has no SubtensorModule.WeightCommits` };
  }
  if (meta.valueType !== WEIGHT_COMMITS_TYPE) {
    return {
      ok: false,
      reason: `spec ${spec} stores WeightCommits as ${meta.valueType}, not ${WEIGHT_COMMITS_TYPE}`,
    };
  }
  if (spec < FIRST_REVEAL_BLOCKS_SPEC) {
    return {
      ok: false,
      reason: `spec ${spec} is older than ${FIRST_REVEAL_BLOCKS_SPEC}, the oldest layout read`,
    };
  }
  if (spec < FIRST_COMMIT_EPOCH_SPEC) return { ok: true, layout: "reveal-blocks" };
  if (spec <= NEWEST_READ_SPEC) return { ok: true, layout: "commit-epoch" };
  if (/\(hash, commit_epoch, commit_block, _unused\)/.test(meta.docs)) {
    return { ok: true, layout: "commit-epoch" };
  }
  return {
    ok: false,
    reason: `spec ${spec} is newer than ${NEWEST_READ_SPEC} and its WeightCommits docs do not name ` +
      "(hash, commit_epoch, commit_block, _unused)",
  };
}

/** A commit's reveal window as the adapter keeps it. */
export type RevealWindow =
  | { layout: "reveal-blocks"; commitBlock: number; firstRevealBlock: number; lastRevealBlock: number }
  | { layout: "commit-epoch"; commitBlock: number; commitEpoch: number };

/** Reads a `WeightCommits` tuple's three numbers in the runtime's layout. */
export function readCommitTuple(
  layout: WeightCommitsLayout,
  tuple: readonly [number, number, number],
): RevealWindow {
  const [a, b, c] = tuple;
  return layout === "reveal-blocks"
    ? { layout, commitBlock: a, firstRevealBlock: b, lastRevealBlock: c }
    : { layout, commitBlock: b, commitEpoch: a };
}

/**
 * Where the stateful epoch counter stands against a commit's reveal epoch (`commit_epoch +
 * reveal_period`). The chain adds one on a block where the epoch fires; the adapter cannot see that, so
 * it may wait one block too long at the start and try once too often at the end (the chain then answers
 * `ExpiredWeightCommit` or pool error 17).
 */
export function epochRevealState(currentEpoch: number, revealEpoch: number): "early" | "open" | "expired" {
  if (currentEpoch < revealEpoch) return "early";
  return currentEpoch === revealEpoch ? "open" : "expired";
}

/**
 * `CustomTransactionError` codes the pool returns for a reveal (subtensor v3.3.13-393
 * common/src/transaction_error.rs:56-57, unchanged on main): 16 `CommitNotFound` (no commit with this
 * hash in the node's state: it may not be there yet) and 17 `CommitBlockNotInRevealRange` (the node's
 * epoch is not the reveal epoch yet, or no longer). Raised by the transaction extension
 * (v3.3.13-393 pallets/subtensor/src/extensions/subtensor.rs:125-150; from 423 guards/check_weights.rs:103-122
 * mapping `NoWeightsCommitFound` and `RevealTooEarly`, extensions/subtensor.rs:48-49).
 */
export const POOL_COMMIT_NOT_FOUND = 16;
export const POOL_COMMIT_NOT_IN_REVEAL_RANGE = 17;

/**
 * True when a refusal of a reveal may go away by itself, so it is tried again while the window lasts:
 * the chain's `RevealTooEarly`, or the pool's custom errors 16 and 17 (`1010: Invalid Transaction: Custom
 * error: 16`).
 */
export function revealRefusalRetryable(error: string): boolean {
  if (error === "RevealTooEarly") return true;
  const custom = /Custom error:?\s*(\d+)\b/i.exec(error);
  if (!custom) return false;
  const code = Number(custom[1]);
  return code === POOL_COMMIT_NOT_FOUND || code === POOL_COMMIT_NOT_IN_REVEAL_RANGE;
}

/**
 * The mechanisms to set weights for: every mechanism of the subnet (`MechanismCountCurrent`, default 1:
 * v3.3.13-393 pallets/subtensor/src/lib.rs:2398 and DefaultMechanismCount at :2369), or the configured ones, each of
 * which must exist. An error names what is wrong.
 */
export function mechanismsToSet(
  count: number,
  configured: readonly number[] | undefined,
): { ok: true; mechanisms: number[] } | { ok: false; error: string } {
  if (!Number.isInteger(count) || count < 1 || count > MAX_MECHANISM_COUNT_PER_SUBNET) {
    return {
      ok: false,
      error: `MechanismCountCurrent is ${count}, outside 1..${MAX_MECHANISM_COUNT_PER_SUBNET}`,
    };
  }
  const all = Array.from({ length: count }, (_, i) => i);
  if (configured === undefined) return { ok: true, mechanisms: all };
  if (configured.length === 0) return { ok: false, error: "no mechanism configured" };
  const missing = configured.filter((m) => !all.includes(m));
  if (missing.length > 0) {
    return { ok: false, error: `MechanismDoesNotExist: ${missing.join(",")} (the subnet has ${count})` };
  }
  return { ok: true, mechanisms: [...new Set(configured)].sort((a, b) => a - b) };
}
