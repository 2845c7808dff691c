/**
 * The subtensor chain adapter: `ChainAdapter` over @polkadot/api 16.5.6 for finney, testnet or any
 * subtensor node (`CHAIN_ENDPOINT=finney | test | ws(s)://...`). Everything is decoded with the types of
 * the node's own metadata; nothing about subtensor is hard-coded except call, storage and runtime-API
 * names (shared/reference/bittensor-protocol.md §3).
 *
 * The parts live in `subtensor/`: `types.ts` (options, results, endpoints), `codecs.ts` (structural
 * codec views), `reads.ts` (metagraph, hyperparameters, commits, mechanism count, epoch index),
 * `submission.ts` (signing, retries), `calls.ts` (the weight extrinsics per mechanism), `weights.ts`
 * (set_weights on every mechanism), `commit.ts` (CRv2 commit), `reveals.ts` (owed reveals),
 * `serve_axon.ts`, `open.ts` (connection and assembly). The CRv2 rules by runtime version (which
 * `WeightCommits` layout, which reveal refusals to retry) are pure, in shared/chain/commit_reveal_v2.ts.
 * This module is the adapter's public face.
 *
 * Not done: timelocked commits (CRv3/v4, `commit_timelocked_weights`, what SDK 10 sends). With
 * commit-reveal on this adapter uses CRv2 (`commit_weights` 96 / `reveal_weights` 97), which the
 * subtensor sources still dispatch; that was not tried on a live chain.
 * @module
 */
export { raoToUnits } from "./subtensor/codecs.ts";
export { openSubtensorChain } from "./subtensor/open.ts";
export {
  DEFAULT_AXON_VERSION,
  hasRevealScheduler,
  resolveSubtensorEndpoint,
  type RevealOutcome,
  type ServeAxonInput,
  type ServeAxonResult,
  SUBTENSOR_ENDPOINTS,
  type SubtensorAxon,
  type SubtensorChain,
  type SubtensorChainOptions,
  type SubtensorHyperparameters,
  type SubtensorMetagraph,
  type SubtensorNeuron,
  type SubtensorProvider,
} from "./subtensor/types.ts";
