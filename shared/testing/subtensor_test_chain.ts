/**
 * Test support: the subtensor adapter opened over the in-memory provider, as the adapter's offline tests
 * set it up: a fixed clock, the log kept in `lines`, no real pauses; the subnet hyperparameters they start
 * from, the validator's registration, and a submitted extrinsic decoded with the metadata's types.
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import { createLogger } from "../log.ts";
import { createRegistry } from "../metrics.ts";
import {
  openSubtensorChain,
  type SubtensorChain,
  type SubtensorChainOptions,
  type SubtensorProvider,
} from "../adapters/chain/subtensor_chain.ts";
import { type MemorySubtensorProvider, setRuntimeAnswer, setStorage } from "./subtensor_memory_provider.ts";

/** The adapter's options a test may set; the rest are the in-memory ones. */
export type TestChainOptions = Partial<
  Omit<SubtensorChainOptions, "endpoint" | "provider" | "clock" | "log" | "metrics">
>;

/** Opens the adapter on `provider` with the clock fixed at `now`; `sleep` defaults to no pause. */
export async function openMemoryChain(
  provider: MemorySubtensorProvider,
  now: Date,
  options: TestChainOptions = {},
) {
  const metrics = createRegistry();
  const lines: string[] = [];
  const chain = await openSubtensorChain({
    endpoint: "finney",
    provider: provider as unknown as SubtensorProvider,
    clock: { now: () => now },
    log: createLogger({ sink: (line) => lines.push(line), clock: { now: () => now }, level: "debug" }),
    metrics,
    sleep: () => Promise.resolve(),
    ...options,
  });
  provider.useApi(chain.api);
  return { provider, chain, api: chain.api, metrics, lines };
}

/** The subnet hyperparameters the tests start from (`get_subnet_hyperparams_v2`). */
export const TEST_HYPERPARAMS = {
  tempo: 360,
  weightsRateLimit: 100,
  commitRevealWeightsEnabled: false,
  commitRevealPeriod: 1,
  weightsVersion: 7,
  minAllowedWeights: 1,
  maxWeightsLimit: 65535,
  servingRateLimit: 50,
  activityCutoff: 5000,
  kappa: 32767,
};

/** Answers `get_subnet_hyperparams_v2` with the test defaults and `overrides`; null: the subnet has none. */
export function setHyperparameters(
  provider: MemorySubtensorProvider,
  api: ApiPromise,
  overrides: Partial<typeof TEST_HYPERPARAMS> | null,
): void {
  setRuntimeAnswer(
    provider,
    api,
    "SubnetInfoRuntimeApi",
    "get_subnet_hyperparams_v2",
    () => overrides === null ? null : { ...TEST_HYPERPARAMS, ...overrides },
  );
}

/** Registers `hotkey` at `uid` of `netuid` with `lastUpdate` (0 = never set weights). */
export function registerHotkey(
  provider: MemorySubtensorProvider,
  api: ApiPromise,
  at: { netuid: number; hotkey: string; uid: number; lastUpdate: number },
): void {
  const q = api.query.subtensorModule;
  setStorage(provider, api, q.uids, [at.netuid, at.hotkey], at.uid);
  // The subnet's LastUpdate vector runs one neuron past the caller, so the uid is not read from its end.
  const lastUpdate = Array.from({ length: at.uid + 2 }, (_, i) => i === at.uid ? at.lastUpdate : 0);
  setStorage(provider, api, q.lastUpdate, [at.netuid], lastUpdate);
}

/** A submitted extrinsic, decoded: its call name, call index, signer and arguments. */
export function decodeExtrinsic(chain: SubtensorChain, hex: string) {
  const ext = chain.api.registry.createType("Extrinsic", hex);
  const json = ext.method.toJSON() as { args: Record<string, unknown> };
  return {
    ext,
    signer: ext.signer.toString(),
    callIndex: [...ext.method.callIndex],
    name: `${ext.method.section}.${ext.method.method}`,
    args: json.args,
  };
}
