/**
 * The weight extrinsics per mechanism. Mechanism 0 uses the plain calls (`set_weights` 0,
 * `commit_weights` 96, `reveal_weights` 97), which dispatch to mechanism 0 (`MechId::MAIN`: subtensor
 * v3.4.8-423 pallets/subtensor/src/subnets/weights.rs:44-50 and :919-926); other mechanisms use
 * `set_mechanism_weights` 119, `commit_mechanism_weights` 115 and `reveal_mechanism_weights` 116
 * (v3.3.13-393 pallets/subtensor/src/macros/dispatches.rs:163, :273, :412), as the SDK does for every
 * mechanism (bittensor v10.2.0 bittensor/core/extrinsics/weights.py:303-310, :406-412).
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import type { Tx } from "./submission.ts";

/** `set_weights` or `set_mechanism_weights`. */
export function setWeightsTx(
  api: ApiPromise,
  netuid: number,
  mecid: number,
  uids: number[],
  values: number[],
  versionKey: number,
): Tx {
  const tx = api.tx.subtensorModule;
  return mecid === 0
    ? tx.setWeights(netuid, uids, values, versionKey)
    : tx.setMechanismWeights(netuid, mecid, uids, values, versionKey);
}

/** `commit_weights` or `commit_mechanism_weights`. */
export function commitWeightsTx(api: ApiPromise, netuid: number, mecid: number, hash: string): Tx {
  const tx = api.tx.subtensorModule;
  return mecid === 0 ? tx.commitWeights(netuid, hash) : tx.commitMechanismWeights(netuid, mecid, hash);
}

/** `reveal_weights` or `reveal_mechanism_weights`. */
export function revealWeightsTx(
  api: ApiPromise,
  r: {
    netuid: number;
    mechanism?: number;
    uids: number[];
    values: number[];
    salt: number[];
    versionKey: number;
  },
): Tx {
  const tx = api.tx.subtensorModule;
  const mecid = r.mechanism ?? 0;
  return mecid === 0
    ? tx.revealWeights(r.netuid, r.uids, r.values, r.salt, r.versionKey)
    : tx.revealMechanismWeights(r.netuid, mecid, r.uids, r.values, r.salt, r.versionKey);
}
