/**
 * Connecting to a subtensor node and assembling the adapter from its parts (reads, weights, reveals,
 * serve_axon).
 * @module
 */
import { ApiPromise, WsProvider } from "@polkadot/api";
import { cryptoReady } from "../../../signature.ts";
import { openRevealStore, type RevealStore } from "../reveal_store.ts";
import { SIGNED_EXTENSIONS } from "./codecs.ts";
import { createContext } from "./context.ts";
import { createRevealer } from "./reveals.ts";
import { createServeAxon } from "./serve_axon.ts";
import {
  resolveSubtensorEndpoint,
  type SubtensorChain,
  type SubtensorChainOptions,
  type SubtensorProvider,
} from "./types.ts";
import { createSetWeights } from "./weights.ts";

/** Connects to the node and returns the adapter; fails when the node does not answer in time. */
export async function openSubtensorChain(options: SubtensorChainOptions): Promise<SubtensorChain> {
  const url = options.provider ? "memory" : resolveSubtensorEndpoint(options.endpoint);
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`Invalid attempts "${attempts}": expected an integer >= 1`);
  }
  await cryptoReady();
  const provider = options.provider ?? new WsProvider(url, 2_500, {}, 60_000);
  const api = await connect(provider, url, options.connectTimeoutMs ?? 30_000);
  try {
    const store = options.stateDir ? await openRevealStore(options.stateDir) : null;
    return createSubtensorChain(api, url, store, { ...options, attempts });
  } catch (error) {
    await api.disconnect();
    throw error;
  }
}

async function connect(provider: SubtensorProvider, url: string, timeoutMs: number): Promise<ApiPromise> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      ApiPromise.create({
        provider,
        noInitWarn: true,
        throwOnConnect: true,
        signedExtensions: SIGNED_EXTENSIONS,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Cannot connect to subtensor at ${url}: no answer in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await provider.disconnect().catch(() => {});
    if (error instanceof Error && error.message.startsWith("Cannot connect")) throw error;
    // A refused WebSocket rejects with an ErrorEvent, not an Error.
    const reason = (error as { message?: unknown })?.message ?? error;
    throw new Error(`Cannot connect to subtensor at ${url}: ${String(reason) || "connection failed"}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

function createSubtensorChain(
  api: ApiPromise,
  url: string,
  store: RevealStore | null,
  options: SubtensorChainOptions & { attempts: number },
): SubtensorChain {
  const ctx = createContext(api, url, store, options);
  const { reads } = ctx;
  const revealer = createRevealer(ctx);
  return {
    api,
    url,
    description: ctx.description,
    currentBlock: async () => (await reads.head()).number,
    metagraph: reads.metagraph,
    async hyperparameters(netuid) {
      return await reads.hyperparameters(netuid, (await reads.head()).hash);
    },
    async ownerHotkey(netuid) {
      return await reads.owner(netuid, (await reads.head()).hash);
    },
    setWeights: createSetWeights(ctx),
    revealDue: revealer.revealDue,
    pendingReveals: () => store?.list() ?? [],
    serveAxon: createServeAxon(ctx),
    async close() {
      await Promise.allSettled([ctx.submitter.idle(), revealer.idle()]);
      await api.disconnect();
    },
  };
}
