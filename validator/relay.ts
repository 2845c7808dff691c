/**
 * The validator's relay of assignments (the `ZipcodeAssignment` synapse): it keeps the API-signed
 * assignment of the running epoch and hands it to registered miners that ask through the Bittensor axon
 * protocol, so miners can keep working when they cannot reach the API. The API's signature travels with it;
 * the validator can relay but not alter what the API assigned. It also serves its verified copies of the
 * API's sealed plans (`SealedPlans`, issue 18), which carry the API's signature just the same.
 * @module
 */
import type { ApiClient } from "../shared/api_client.ts";
import type { Logger } from "../shared/log.ts";
import type { ChainAdapter } from "../shared/ports.ts";
import type { SignedAssignment } from "../shared/schemas/signed_assignment.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { SealedPlansSynapse, ZipcodeAssignmentSynapse } from "../shared/synapse.ts";
import { epochAt, type EpochOptions } from "../shared/epoch.ts";
import type { SealedPlanStore } from "../shared/adapters/sealed_plans/store.ts";
import { AxonHandlerError, axonSynapse, createAxon } from "./axon/axon.ts";
import type { Clock } from "../shared/ports.ts";

const METAGRAPH_TTL_MS = 60_000;

/** What the relay needs. */
export interface RelayDeps {
  api: Pick<ApiClient, "current">;
  chain: ChainAdapter;
  netuid: number;
  pair: KeyringPair;
  clock: Clock;
  rateLimitPerMinute: number;
  /** Verified copies of the API's sealed plans, served by the `SealedPlans` synapse. */
  sealedPlans?: SealedPlanStore;
  /** Epoch timing: `SealedPlans` without `fromEpochId` serves from the previous epoch on. */
  epochOptions: EpochOptions;
  log: Logger;
}

/** Creates the relay: `refresh()` polls the API, `handler` serves the axon. */
export function createAssignmentRelay(deps: RelayDeps) {
  let latest: SignedAssignment | null = null;
  let registered = { atMs: -Infinity, hotkeys: new Set<string>() };

  async function isRegistered(hotkey: string): Promise<boolean> {
    if (deps.clock.now().getTime() - registered.atMs > METAGRAPH_TTL_MS) {
      const metagraph = await deps.chain.metagraph(deps.netuid);
      registered = {
        atMs: deps.clock.now().getTime(),
        hotkeys: new Set(metagraph.neurons.map((n) => n.hotkey)),
      };
    }
    return registered.hotkeys.has(hotkey);
  }

  const handler = createAxon({
    pair: deps.pair,
    synapses: {
      ZipcodeAssignment: axonSynapse({
        schema: ZipcodeAssignmentSynapse,
        handler: (request) => {
          if (!latest || deps.clock.now().getTime() >= Date.parse(latest.assignment.epochEnd)) {
            throw new AxonHandlerError(503, "no current assignment cached; try the API or another validator");
          }
          if (request.epochId && request.epochId !== latest.assignment.epochId) {
            throw new AxonHandlerError(404, `epoch ${request.epochId} is not the cached one`);
          }
          return latest;
        },
      }),
      SealedPlans: axonSynapse({
        schema: SealedPlansSynapse,
        handler: async (request) => {
          if (!deps.sealedPlans) throw new AxonHandlerError(404, "this validator keeps no sealed plans");
          const previous = epochAt(
            deps.clock.now().getTime() - deps.epochOptions.epochSeconds * 1000,
            deps.epochOptions,
          );
          const from = request.fromEpochId && request.fromEpochId > previous.id
            ? request.fromEpochId
            : previous.id;
          return { plans: (await deps.sealedPlans.list(from)).slice(0, 100) };
        },
      }),
    },
    isRegistered,
    rateLimitPerMinute: deps.rateLimitPerMinute,
    clock: deps.clock,
    log: deps.log,
  });

  return {
    handler,
    /** Fetches the current signed assignment from the API; keeps the cached one when the API is down. */
    async refresh(): Promise<void> {
      try {
        const { apiSignature, apiHotkey, ...assignment } = await deps.api.current();
        latest = { assignment, apiSignature, apiHotkey };
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        deps.log.debug("relay kept its cached assignment", { error });
      }
    },
    cached: () => latest,
  };
}
