/**
 * `METAGRAPH_SOURCE=chain:<ws(s)-url>`: the metagraph read from subtensor through the chain adapter
 * (shared/adapters/chain/subtensor_chain.ts, `NeuronInfoRuntimeApi.get_neurons_lite`). The connection is opened
 * on the first load, not at construction, so the API's start-up stays synchronous; a failed connection is
 * retried at the next refresh, and a dropped one is re-established by the WebSocket provider. Each load is
 * checked against the same schema as the file source.
 * @module
 */
import type { Logger } from "../../shared/log.ts";
import type { Registry } from "../../shared/metrics.ts";
import type { ChainAdapter, MetagraphSource } from "../../shared/ports.ts";
import { type MetagraphSnapshot, MetagraphSnapshotSchema } from "../../shared/schemas/metagraph.ts";
import {
  openSubtensorChain,
  type SubtensorChain,
  type SubtensorChainOptions,
} from "../../shared/adapters/chain/subtensor_chain.ts";
import type { Clock } from "../../shared/ports.ts";

/** A metagraph source over any chain adapter (the subtensor one, or the local chain). */
export function createChainMetagraphSource(adapter: ChainAdapter, netuid: number): MetagraphSource {
  return {
    description: adapter.description,
    async load(): Promise<MetagraphSnapshot> {
      return MetagraphSnapshotSchema.parse(await adapter.metagraph(netuid));
    },
  };
}

/** Options of `openChainMetagraphSource`. */
export interface ChainMetagraphSourceOptions {
  /** `finney`, `test` or a ws(s):// URL (the part after `chain:`). */
  endpoint: string;
  netuid: number;
  clock: Clock;
  log: Logger;
  metrics: Registry;
  /** Opens the adapter; default `openSubtensorChain` (tests inject an in-memory provider through it). */
  open?: (options: SubtensorChainOptions) => Promise<SubtensorChain>;
}

/** A lazily connecting subtensor metagraph source; `close()` disconnects it. */
export function openChainMetagraphSource(
  options: ChainMetagraphSourceOptions,
): MetagraphSource & { close(): Promise<void> } {
  const open = options.open ?? openSubtensorChain;
  let chain: Promise<SubtensorChain> | null = null;
  const connect = () => {
    const opening = open({
      endpoint: options.endpoint,
      clock: options.clock,
      log: options.log,
      metrics: options.metrics,
    });
    chain = opening;
    // A failed connection is forgotten, so the next load tries again.
    opening.catch(() => {
      if (chain === opening) chain = null;
    });
    return opening;
  };
  return {
    description: `chain:${options.endpoint}`,
    async load() {
      const adapter = await (chain ?? connect());
      return await createChainMetagraphSource(adapter, options.netuid).load();
    },
    async close() {
      const current = chain;
      chain = null;
      const adapter = await current?.catch(() => null);
      await adapter?.close();
    },
  };
}
