/**
 * Opens the chain named by CHAIN_ENDPOINT: finney (the default), test or a ws(s) URL is subtensor through
 * @polkadot/api; `local:<path>` is the development chain of localnet and tests (a shared Deno KV file).
 * Which one it connects to is logged before connecting, so a validator started without CHAIN_ENDPOINT
 * says so.
 * @module
 */
import type { Logger } from "../../log.ts";
import type { Registry } from "../../metrics.ts";
import type { ChainAdapter } from "../../ports.ts";
import type { KeyringPair } from "../../signature.ts";
import { type LocalChain, localChainPath, openLocalChain } from "../dev_chain/local_chain.ts";
import { openSubtensorChain, resolveSubtensorEndpoint, type SubtensorChain } from "./subtensor_chain.ts";
import type { Clock } from "../../ports.ts";

/** What opening a chain needs; `stateDir` keeps owed commit-reveal reveals across restarts. */
export interface OpenChainDeps {
  clock: Clock;
  log: Logger;
  metrics: Registry;
  stateDir: string;
  /** CRv4 (default) or CRv2 with commit-reveal on (WEIGHTS_COMMIT_REVEAL). */
  commitReveal?: "crv4" | "crv2";
  /** Expected seconds per subtensor block (CHAIN_BLOCK_SECONDS). */
  blockSeconds?: number;
  /** Subnet mechanisms to set weights on (subtensor); empty or absent: all the subnet has. */
  mechanisms?: number[];
}

/** The adapter for `endpoint`. */
export async function openChain(
  endpoint: string,
  deps: OpenChainDeps,
): Promise<ChainAdapter & { close?(): void }> {
  const path = localChainPath(endpoint);
  if (path) {
    deps.log.warn("connecting to the development chain (local chain of localnet and tests, not subtensor)", {
      endpoint,
      path,
    });
    return await openLocalChain({ path, clock: deps.clock });
  }
  const url = resolveSubtensorEndpoint(endpoint);
  deps.log.info("connecting to subtensor", { endpoint, url });
  return await openSubtensorChain({
    endpoint,
    clock: deps.clock,
    log: deps.log,
    metrics: deps.metrics,
    stateDir: deps.stateDir,
    commitReveal: deps.commitReveal,
    blockSeconds: deps.blockSeconds,
    mechanisms: deps.mechanisms?.length ? deps.mechanisms : undefined,
  });
}

/**
 * Announces `pair`'s axon at `ip:port` on the chain, as bittensor neurons do: `serve_axon` on subtensor, the
 * neuron's axon entry on the local chain.
 */
export async function announceAxon(
  chain: ChainAdapter,
  netuid: number,
  pair: KeyringPair,
  axon: { ip: string; port: number },
  log: Logger,
): Promise<void> {
  if ("serveAxon" in chain) {
    const result = await (chain as SubtensorChain).serveAxon({ netuid, ...axon, signer: pair });
    log.info("axon served", { ...axon, result });
  } else if ("setAxon" in chain) {
    await (chain as LocalChain).setAxon(netuid, pair.address, axon);
    log.info("axon announced on the local chain", axon);
  }
}
